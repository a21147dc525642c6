"""What a regular expression can start with at a NUMBER, read two tokens deep: the digit run
and the word after its space ("25 cents", "3 people", "2014 elections"). The date grammar's
digit dispatch (temporal/dispatch.py ``WordDispatch.for_number``) uses it to try, at a number
followed by a space and a word, only the rules that can start with both.

Why: the shape of a digit run alone (textscan/firsts.py ``first_shapes``: "2D " for "25 ")
keeps every rule that can start with a two-digit number and a space (a day, an age, a count
of years, months, days, ...): about a dozen rules, all tried in turn and all failing on "25
cents", "3 people", "400 million", which are most of the numbers in news text. The word after
the space rules out most of them.

Sound the way first_words is (a condition it cannot read only allows more): the analysis runs
on the rule's parse tree (firsts.start_states), every state is a text over "D" (an ASCII
digit; runs longer than firsts.MAX_SHAPE_DIGITS read as that long), one space and lowercase
letters, and a rule is dropped for a key only when no state of it can lead to that key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from transforms.textscan.firsts import (
    DIGITS,
    LETTERS,
    MAX_SHAPE_DIGITS,
    NOT_SPACE,
    StartStates,
    State,
    start_states,
)


@dataclass(frozen=True)
class NumberPhrases(StartStates):
    """The (text, ended) states a rule can start with at a digit: a run of "D"s, or the run,
    ONE space (a literal space or ``\\s``) and the lowercase letters read after it. ``ended``:
    a non-letter (or a ``(?!\\w)``) followed; else more may follow (a prefix). An ended state
    whose digit run was followed by something other than a space ends in firsts.NOT_SPACE: no
    key (digits, one space, a word) starts with it."""

    def allows(self, key: str) -> bool:
        """Can a match start with ``key``: "D" per ASCII digit of the text's digit run (at
        most MAX_SHAPE_DIGITS), one space, then the maximal run of lowercase letters after
        it ("" when a non-letter follows the space), a non-letter (or the end) after them?
        (This key, or the run and an end the analysis could not read on.)"""
        if key in self._ended:  # type: ignore[attr-defined]
            return True  # (before the run is cut: a key without a space raises, as it did)
        return self._allows(key, key[: key.index(" ")])


def number_phrases(pattern: str) -> NumberPhrases | None:
    """The number-phrase starts of a case-insensitive match of ``pattern`` (NumberPhrases);
    None for "anything" (the analysis gave up, or there is no parser)."""
    states = start_states(pattern, _extend_number)
    return None if states is None else NumberPhrases(states)


def _extend_number(live: set[State], chars: Iterable[str]) -> set[State]:
    out: set[State] = set()
    chars = set(chars)
    digit = bool(chars & DIGITS)
    letters = [c for c in chars if c in LETTERS]
    space = " " in chars
    others = any(c not in LETTERS for c in chars)  # digits, spaces, anything else
    for text, _ in live:
        if " " not in text:  # the digit run ("" before its first digit)
            if digit:
                out.add((text if len(text) >= MAX_SHAPE_DIGITS else text + "D", False))
            if text and space:
                out.add((text + " ", False))
            if chars - DIGITS - {" "}:
                out.add((text + NOT_SPACE, True))
        else:  # the word after the space: any non-letter ends it
            out.update((text + c, False) for c in letters)
            if others:
                out.add((text, True))
    return out
