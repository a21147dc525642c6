"""First-WORD dispatch for the date grammar: which rules can match at a position that starts
with a given lowercase word ("the", "last", "friday", ...).

At a candidate position the grammar is one alternation of the rules that can start with its
first character (temporal_grammar.Grammar.by_first): about 20-30 branches for "t" or "a", each
tried in turn by Python's re. Most rules can start with only a few words, so this module reads
every rule's parse tree and lists the words it can start with. A position whose first word no
rule can start with ("of", "to", "and": words that only continue a prefix chain) is not tried
at all, and the others are tried with only the rules that can start there. A rule is dropped for
a word only when its pattern cannot match text that begins with that word, so the results are
exactly those of the full grammar (tests/test_temporal_dispatch.py compares both).

The parse tree comes from Python's internal ``re._parser`` (see transforms/textscan/firsts.py):
when it is missing or its shape changed, every rule is marked ANY and dispatch falls back to the
first character only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from string import ascii_lowercase
from typing import Any

LETTERS = frozenset(ascii_lowercase)
# Bounds on the analysis: more first-word states than this, or a repetition of letters longer
# than this, and the rule is marked ANY (tried for every word with its first character).
MAX_STATES = 5000
MAX_REPEAT_STEPS = 12
# Words seen in texts that are not a listed first word of any rule are looked up once and
# remembered, at most this many (then the memory starts afresh): news text has ~10^4 words.
WORD_CACHE_SIZE = 20000

State = tuple[str, bool]  # (letters read so far, the word has ended)


class _Any(Exception):
    """The rule can start with any word (or the analysis gave up)."""


@dataclass(frozen=True)
class FirstWords:
    """Words a rule can start with: ``exact`` words (followed by a non-letter), and
    ``prefixes`` that may be followed by more letters (the rule can end after them)."""

    exact: frozenset[str]
    prefixes: frozenset[str]

    def allows(self, word: str) -> bool:
        if word in self.exact:
            return True
        return any(word.startswith(p) for p in self.prefixes)


def first_words(parser: Any, pattern: str) -> FirstWords | None:
    """The words a case-insensitive match of ``pattern`` can start with; None for ANY."""
    if parser is None:
        return None
    try:
        states = _seq(list(parser.parse(pattern, re.IGNORECASE)), {("", False)})
    except (_Any, AttributeError, TypeError, ValueError, IndexError):
        return None
    exact = frozenset(word for word, ended in states if ended)
    prefixes = frozenset(word for word, ended in states if not ended)
    if "" in prefixes:  # may match the empty string: anything can follow
        return None
    return FirstWords(exact, prefixes)


def _seq(items: Sequence[Any], states: set[State]) -> set[State]:
    for op, av in items:
        live = {s for s in states if not s[1]}
        if not live:
            return states
        states = (states - live) | _item(str(op), av, live)
        if len(states) > MAX_STATES:
            raise _Any
    return states


def _item(name: str, av: Any, live: set[State]) -> set[State]:
    if name == "LITERAL":
        return _extend(live, {chr(av).lower()})
    if name == "IN":
        return _extend(live, _class_chars(av))
    if name in ("AT", "ASSERT"):
        return live  # consumes nothing; ignoring a condition only allows more words
    if name == "ASSERT_NOT":
        direction, sub = av
        if direction == 1 and _rejects_every_letter(list(sub)):
            return {(word, True) for word, _ in live}  # (?!\w): the word ends here
        return live
    if name == "SUBPATTERN":
        return _seq(list(av[-1]), live)
    if name == "ATOMIC_GROUP":
        return _seq(list(av), live)
    if name == "BRANCH":
        out: set[State] = set()
        for alternative in av[1]:
            out |= _seq(list(alternative), live)
        return out
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return _repeat(av, live)
    raise _Any  # ANY, NOT_LITERAL, GROUPREF, ...: may read any letter


def _repeat(av: Any, live: set[State]) -> set[State]:
    low, high, sub = av
    out: set[State] = set(live) if low == 0 else set()
    current = live
    for step in range(1, MAX_REPEAT_STEPS + 1):
        current = _seq(list(sub), current)
        if step >= low:
            out |= current
        current = {s for s in current if not s[1]}
        if not current or step >= high:
            return out
    raise _Any  # a long run of letters ("[a-z]{2,}ed")


def _extend(live: set[State], chars: Iterable[str]) -> set[State]:
    out: set[State] = set()
    letters = [c for c in chars if c in LETTERS]
    other = any(c not in LETTERS for c in chars)
    for word, _ in live:
        out.update((word + c, False) for c in letters)
        if other:
            out.add((word, True))
    return out


def _class_chars(items: Any) -> set[str]:
    """Lowercased characters a character class can match (ANY for categories and negation,
    except digits and spaces, which only end a word)."""
    out: set[str] = set()
    for kind, value in items:
        kind = str(kind)
        if kind == "LITERAL":
            out.add(chr(value).lower())
        elif kind == "RANGE":
            out.update(chr(c).lower() for c in range(value[0], value[1] + 1))
        elif kind == "CATEGORY" and str(value) in ("CATEGORY_DIGIT", "CATEGORY_SPACE"):
            out.add(" ")  # a non-letter: ends the word
        else:
            raise _Any
    return out


def _rejects_every_letter(items: Sequence[Any]) -> bool:
    """True when a negative lookahead fails on every letter: (?!\\w), (?![\\w-]), (?!\\w|-x)."""
    alternatives = [items]
    if len(items) == 1 and str(items[0][0]) == "BRANCH":
        alternatives = [list(a) for a in items[0][1][1]]
    for alternative in alternatives:
        if len(alternative) != 1 or str(alternative[0][0]) != "IN":
            continue
        kinds = alternative[0][1]
        if any(str(k) == "CATEGORY" and str(v) == "CATEGORY_WORD" for k, v in kinds):
            return True
        try:
            if LETTERS <= _class_chars(kinds):
                return True
        except _Any:
            continue
    return False


_MISSING = object()


class WordDispatch:
    """Compiled sub-grammars by first word. ``for_word(w)`` is the alternation of the rules
    (in grammar order) that can start with ``w``, or None when none can."""

    def __init__(
        self,
        branches: Sequence[str],
        firsts: Sequence[set[str] | None],
        words: Sequence[FirstWords | None],
        combine: Any,
    ) -> None:
        self._branches = list(branches)
        self._firsts = list(firsts)
        self._words = list(words)
        self._combine = combine
        self._compiled: dict[tuple[int, ...], re.Pattern[str]] = {}
        listed = {w for fw in words if fw is not None for w in fw.exact if w}
        self.by_word: dict[str, re.Pattern[str] | None] = {w: self._build(w) for w in listed}
        self._other: dict[str, re.Pattern[str] | None] = {}  # bounded, see WORD_CACHE_SIZE

    def for_word(self, word: str) -> re.Pattern[str] | None:
        found = self.by_word.get(word, _MISSING)
        if found is _MISSING:
            found = self._other.get(word, _MISSING)
            if found is _MISSING:
                if len(self._other) >= WORD_CACHE_SIZE:
                    self._other.clear()
                found = self._other[word] = self._build(word)
        return found  # type: ignore[return-value]

    def _build(self, word: str) -> re.Pattern[str] | None:
        key = tuple(i for i in range(len(self._branches)) if self._can_start(i, word))
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
