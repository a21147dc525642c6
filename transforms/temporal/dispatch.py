"""First-WORD dispatch for the date grammar: which rules can match at a position that starts
with a given lowercase word ("the", "last", "friday", ...).

At a candidate position the grammar is one alternation of the rules that can start with its
first character (grammar.Grammar.by_first): about 20-30 branches for "t" or "a", each
tried in turn by Python's re. Most rules can start with only a few words, so the words each
rule can start with are listed (read from its parse tree). A position whose first word no
rule can start with ("of", "to", "and": words that only continue a prefix chain) is not tried
at all, and the others are tried with only the rules that can start there. A rule is dropped for
a word only when its pattern cannot match text that begins with that word, so the results are
exactly those of the full grammar (tests/test_temporal_dispatch.py compares both).

A position whose first word is followed by one space is dispatched further by its first TWO
words ("the first", "the company", "about two"): `for_phrase` keeps, of the rules that can
start with the first word, those that can start with the phrase. About two thirds of the
grammar's work at letter positions went into rules that the second word rules out (after
"the", some thirty rules are tried in turn). When no letter follows the space ("the 1998",
"the $2 million"), the phrase key reads what does instead (firsts.after_space_key): the shape
of a digit run there and the character after it ("the DDDD " for "the 1998 ", "the DDDDs" for
"the 1990s"), or the one sign ("the $"): "the " alone kept a dozen rules, all of which take a
digit after it, and about seventy thousand instructions went into each failing attempt at
"the 1998 elections" (callgrind, bench pages); "the DDDD " keeps three, "the $" none.

A position at a digit is dispatched by the shape of its digit run (`for_shape`): the first
digit, a "D" per further digit (at most firsts.MAX_SHAPE_DIGITS in all) and the character
after the run ("2DDD " for "2014 ", "1," for "1,384"): most numbers in news ("2,000 people",
"15 percent") can start only a few of the thirty-odd rules that start with a digit. A digit
run followed by one space is dispatched further by the word after the space (`for_number`:
"2D cents", textscan/numphrases.py): "25 cents", "3 people" can start none.

The words a rule can start with are read from its parse tree by
transforms/textscan/firsts.py (`first_words`, `first_phrases`, `first_shapes`): when Python's
internal parser is missing or its shape changed, every rule is marked ANY and dispatch falls
back to the first character only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from transforms.limits import WORD_MEMO_MAX
from transforms.text.memo import remember
from transforms.textscan.firsts import FirstPhrases, FirstShapes, FirstWords
from transforms.textscan.numphrases import NumberPhrases

_MISSING = object()


class WordDispatch:
    """Compiled sub-grammars by first word. ``for_word(w)`` is the alternation of the rules
    (in grammar order) that can start with ``w``, or None when none can; ``for_phrase(p)`` the
    same for a first word, one space and a second word."""

    def __init__(
        self,
        branches: Sequence[str],
        firsts: Sequence[set[str] | None],
        words: Sequence[FirstWords | None],
        combine: Any,
        phrases: Sequence[FirstPhrases | None] | None = None,
        shapes: Sequence[FirstShapes | None] | None = None,
        numbers: Sequence[NumberPhrases | None] | None = None,
    ) -> None:
        self._branches = list(branches)
        self._firsts = list(firsts)
        self._words = list(words)
        self._phrases = list(phrases) if phrases is not None else [None] * len(self._branches)
        self._shapes = list(shapes) if shapes is not None else [None] * len(self._branches)
        self._numbers = list(numbers) if numbers is not None else [None] * len(self._branches)
        self._combine = combine
        self._compiled: dict[tuple[int, ...], re.Pattern[str]] = {}
        listed = {w for fw in words if fw is not None for w in fw.exact if w}
        self.by_word: dict[str, re.Pattern[str] | None] = {w: self._build(w) for w in listed}
        self._other: dict[str, re.Pattern[str] | None] = {}  # bounded: WORD_MEMO_MAX
        # Phrases seen ("the first", "the company"), bounded the same way: news text has a
        # few thousand distinct ones after the first words of the rules.
        self.by_phrase: dict[str, re.Pattern[str] | None] = {}
        # Digit-run shapes seen ("2DDD ", "1,"): a few hundred in any text.
        self.by_shape: dict[str, re.Pattern[str] | None] = {}
        # Numbers and the word after them seen ("2D cents", "1DDD elections"), bounded.
        self.by_number: dict[str, re.Pattern[str] | None] = {}

    def for_word(self, word: str) -> re.Pattern[str] | None:
        """The compiled alternation of the rules that can start with the lowercase `word`, or None
        when no rule can (the position is not tried)."""
        found = self.by_word.get(word, _MISSING)
        if found is _MISSING:
            found = self._other.get(word, _MISSING)
            if found is _MISSING:
                found = remember(self._other, word, self._build(word), WORD_MEMO_MAX)
        return found  # type: ignore[return-value]

    def for_phrase(self, phrase: str) -> re.Pattern[str] | None:
        """The compiled alternation of the rules that can start with ``phrase``: a lowercase
        first word, ONE space and the lowercase letters after it (a maximal run of a-z), a
        non-letter (or the end of the text) after them; or, when no letter follows the space,
        the first word, the space and firsts.after_space_key of what follows ("the DDDD ",
        "the $"; nothing at the end of the text or where that key is None); None when none
        can. A first word with no listed rule gives None, as for_word does."""
        found = self.by_phrase.get(phrase, _MISSING)
        if found is _MISSING:
            first = phrase[: phrase.index(" ")]
            key = tuple(
                i
                for i in range(len(self._branches))
                if self._can_start(i, first) and self._can_start_phrase(i, phrase, first)
            )
            found = remember(self.by_phrase, phrase, self._compile(key), WORD_MEMO_MAX)
        return found  # type: ignore[return-value]

    def for_shape(self, shape: str) -> re.Pattern[str] | None:
        """The compiled alternation of the rules that can start with a digit run of ``shape``:
        its first digit, "D" for each further digit (a run longer than
        firsts.MAX_SHAPE_DIGITS reads as that long), then firsts.shape_char of the lowercased
        character after the run (nothing at the end of the text); None when none can."""
        found = self.by_shape.get(shape, _MISSING)
        if found is _MISSING:
            found = remember(
                self.by_shape, shape, self._compile(self._shape_rules(shape)), WORD_MEMO_MAX
            )
        return found  # type: ignore[return-value]

    def for_number(self, key: str) -> re.Pattern[str] | None:
        """The compiled alternation of the rules that can start with a digit run, ONE space
        and a word: ``key`` is the run's shape with its space (for_shape's key, "2D ") and the
        lowercase letters after the space (a maximal run of a-z, "" when none follow), a
        non-letter (or the end of the text) after them ("2D cents"); None when none can.
        The rules are those of for_shape(shape) that textscan.numphrases allows."""
        found = self.by_number.get(key, _MISSING)
        if found is _MISSING:
            read = "D" + key[1:]
            key_rules = tuple(
                i
                for i in self._shape_rules(key[: key.index(" ") + 1])
                if self._numbers[i] is None or self._numbers[i].allows(read)  # type: ignore[union-attr]
            )
            found = remember(self.by_number, key, self._compile(key_rules), WORD_MEMO_MAX)
        return found  # type: ignore[return-value]

    def _shape_rules(self, shape: str) -> tuple[int, ...]:
        """The rules (in order) that can start with a digit run of ``shape`` (for_shape)."""
        digit, read = shape[0], "D" + shape[1:]
        return tuple(
            i
            for i, first in enumerate(self._firsts)
            if (first is None or digit in first)
            and (self._shapes[i] is None or self._shapes[i].allows(read))  # type: ignore[union-attr]
        )

    def _can_start_phrase(self, i: int, phrase: str, first: str) -> bool:
        phrases = self._phrases[i]
        return phrases is None or phrases.allows(phrase, first)

    def _build(self, word: str) -> re.Pattern[str] | None:
        return self._compile(
            tuple(i for i in range(len(self._branches)) if self._can_start(i, word))
        )

    def _compile(self, key: tuple[int, ...]) -> re.Pattern[str] | None:
        if not key:
            return None
        if key not in self._compiled:
            self._compiled[key] = self._combine([self._branches[i] for i in key])
        return self._compiled[key]

    def _can_start(self, i: int, word: str) -> bool:
        first = self._firsts[i]
        if first is not None and word[0] not in first:
            return False
        words = self._words[i]
        return words is None or words.allows(word)
