"""What can a match of a regular expression start (or end) with? The one module that reads
regex parse trees.

Both fast dispatchers use it: the boilerplate vocabulary (transforms/textscan/literals.py) and
the date grammar (transforms/temporal/grammar.py, temporal/dispatch.py) keep, for each possible
first character (`possible_chars`, `first_chars`) or first word (`first_words`) of a line or
candidate, only the patterns that can start with it; `AnyOf` regroups patterns by their
`leading` anchor. Whenever the analysis is unsure (``.``, ``\\w``, a negated or very wide
class, a pattern that can match the empty string) it answers None, "anything", so a
dispatcher built on it never misses a match.

The parse tree comes from ``re._parser``, an INTERNAL module of CPython (`regex_parser` is its
only door): there is no public API for this, and writing our own regex parser is not worth it.
Its tree has been stable for many versions, but if it goes away or changes shape, every
answer here is None: every pattern is then tried everywhere (the same results, slower), and
the dispatch tests (tests/test_boilerplate_regex.py, tests/test_temporal_rules.py,
tests/test_temporal_dispatch.py) fail loudly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from string import ascii_lowercase
from typing import Any

# A character class wider than this is treated as "any character".
MAX_CLASS = 256
ASCII = [chr(i) for i in range(128)]


def regex_parser() -> Any:
    """Python's regex parser module (``re._parser``), or None where it is not available."""
    try:
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:
        return None
    return _parser if callable(getattr(_parser, "parse", None)) else None


def possible_chars(pattern: str, flags: int = re.IGNORECASE, last: bool = False) -> set[str] | None:
    """The characters, as written in the pattern, that a match can start with (`last`: end
    with), or None for "any". With re.IGNORECASE the caller adds the other cases."""
    return _possible_in(_parse(pattern, flags), last)


def _parse(pattern: str, flags: int) -> Any:
    """The parse tree of pattern, or None (no parser, or one that fails on it)."""
    parser = regex_parser()
    if parser is None:
        return None
    try:
        return parser.parse(pattern, flags)
    except (AttributeError, TypeError, ValueError, IndexError):  # the parser changed shape
        return None


def _possible_in(parsed: Any, last: bool) -> set[str] | None:
    """possible_chars of a parse tree (None: any)."""
    if parsed is None:
        return None
    try:
        chars, empty = _first(parsed, last)
    except (AttributeError, TypeError, ValueError, IndexError):  # the tree changed shape
        return None
    return None if chars is None or empty else chars


def first_chars(
    pattern: str, ignore_case: bool = True, last: bool = False
) -> frozenset[str] | None:
    """ASCII characters (both cases) a match of pattern can start with (`last`: end with);
    None when it may start with any character (or the analysis is unsure)."""
    chars = possible_chars(pattern, re.IGNORECASE if ignore_case else 0, last)
    return _ascii_cases(chars, ignore_case)


@functools.lru_cache(maxsize=1024)  # a pure function of the pattern: each worker's rules
def first_and_last_chars(
    pattern: str, ignore_case: bool = True
) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """(first_chars(pattern), first_chars(pattern, last=True)) from one parse of pattern.
    Cached (immutable answers): every Vocabulary a process builds (one per Splitter, one
    Splitter per DoFn instance) asks it of the same patterns, and the parse is most of the
    vocabulary's set-up time."""
    parsed = _parse(pattern, re.IGNORECASE if ignore_case else 0)
    return (
        _ascii_cases(_possible_in(parsed, False), ignore_case),
        _ascii_cases(_possible_in(parsed, True), ignore_case),
    )


_ASCII_TEXT = "".join(ASCII)


def _ascii_cases(chars: set[str] | None, ignore_case: bool) -> frozenset[str] | None:
    """The ASCII characters that the pattern characters `chars` match (None: any)."""
    if chars is None:
        return None
    out = set()
    for c in chars:
        if not ignore_case:
            out.update(c if c.isascii() else "")
        elif c.isascii():
            out.update((c.lower(), c.upper()))
        else:  # e.g. the Kelvin sign matches "k": ask the engine which ASCII characters match
            # (a one-character pattern matches one character: each match is one of them)
            out.update(re.findall(re.escape(c), _ASCII_TEXT, re.IGNORECASE))
    return frozenset(out)


@functools.lru_cache(maxsize=1024)  # a pure function of the pattern, as first_and_last_chars
def leading(pattern: str) -> tuple[str, str] | None:
    """The first item of the parsed pattern, as names ("AT", "AT_BEGINNING"); the parser moves
    a prefix shared by every alternative of a top-level "|" in front of it, so an anchor here
    applies to all. None without the parser: no regrouping."""
    parser = regex_parser()
    if parser is None:
        return None
    parsed = parser.parse(pattern, re.IGNORECASE)
    if not len(parsed):
        return None
    op, av = parsed[0]
    return str(op), str(av)


def _class_chars(items: Any) -> set[str] | None:
    """The characters of a [...] class, or None (negated, a category other than digits, wide)."""
    chars: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(av))
        elif name == "RANGE" and av[1] - av[0] <= MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif name == "CATEGORY" and str(av) == "CATEGORY_DIGIT":
            chars.update("0123456789")
        else:
            return None
    return chars


def _first(items: Any, last: bool = False) -> tuple[set[str] | None, bool]:
    """(characters a match of the parsed sequence can start with, or None for any; can the
    match be empty)."""
    chars: set[str] = set()
    for op, av in reversed(list(items)) if last else items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero width: the next item decides
        if name == "LITERAL":
            sub, empty = {chr(av)}, False
        elif name == "IN":
            sub, empty = _class_chars(av), False
        elif name == "SUBPATTERN":
            sub, empty = _first(av[-1], last)
        elif name == "BRANCH":
            sub, empty = set(), False
            for alt in av[1]:
                alt_chars, alt_empty = _first(alt, last)
                sub = None if sub is None or alt_chars is None else sub | alt_chars
                empty = empty or alt_empty
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            sub, empty = _first(av[2], last)
            empty = empty or av[0] == 0
        else:
            return None, True  # anything else (., group references, atomic groups): give up
        if sub is None:
            return None, True
        chars |= sub
        if not empty:
            return chars, False
    return chars, True


# --- what a pattern can start with: lowercase WORDS (the date grammar's dispatch) ---

LETTERS = frozenset(ascii_lowercase)
DIGITS = frozenset("0123456789")
# Digit runs longer than this read as this long (first_shapes, and FirstPhrases' shapes).
MAX_SHAPE_DIGITS = 5
# Bounds on the analysis: more first-word states than this, or a repetition of letters longer
# than this, and the rule is marked ANY (tried for every word with its first character).
MAX_STATES = 5000
MAX_REPEAT_STEPS = 12

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
        """Can a match start with the lowercase word (listed, or continuing a listed prefix)?"""
        if word in self.exact:
            return True
        return any(word.startswith(p) for p in self.prefixes)


def first_words(pattern: str) -> FirstWords | None:
    """The lowercase words a case-insensitive match of ``pattern`` can start with; None for
    "any word" (the analysis gave up, the pattern can match the empty string, or there is no
    parser). Used by the date grammar's first-word dispatch (temporal/dispatch.py)."""
    parser = regex_parser()
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


Extend = Callable[[set[State], Iterable[str]], set[State]]


def _seq(
    items: Sequence[Any], states: set[State], extend: Extend = None, cap: int = MAX_STATES
) -> set[State]:
    extend = extend or _extend
    for op, av in items:
        live = {s for s in states if not s[1]}
        if not live:
            return states
        states = (states - live) | _item(str(op), av, live, extend, cap)
        if len(states) > cap:
            raise _Any
    return states


def _item(name: str, av: Any, live: set[State], extend: Extend, cap: int) -> set[State]:
    if name == "LITERAL":
        return extend(live, {chr(av).lower()})
    if name == "IN":
        return extend(live, _word_class_chars(av))
    if name in ("AT", "ASSERT"):
        return live  # consumes nothing; ignoring a condition only allows more words
    if name == "ASSERT_NOT":
        direction, sub = av
        if direction == 1 and _rejects_every_letter(list(sub)):
            return {(word, True) for word, _ in live}  # (?!\w): the word ends here
        return live
    if name == "SUBPATTERN":
        return _seq(list(av[-1]), live, extend, cap)
    if name == "ATOMIC_GROUP":
        return _seq(list(av), live, extend, cap)
    if name == "BRANCH":
        out: set[State] = set()
        for alternative in av[1]:
            out |= _seq(list(alternative), live, extend, cap)
        return out
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return _repeat(av, live, extend, cap)
    raise _Any  # ANY, NOT_LITERAL, GROUPREF, ...: may read any letter


def _repeat(av: Any, live: set[State], extend: Extend, cap: int) -> set[State]:
    low, high, sub = av
    out: set[State] = set(live) if low == 0 else set()
    current = live
    for step in range(1, MAX_REPEAT_STEPS + 1):
        before = current
        current = _seq(list(sub), current, extend, cap)
        if step >= low:
            out |= current
        current = {s for s in current if not s[1]}
        if not current or step >= high:
            return out
        if step >= low and current == before:
            return out  # a fixed point (a capped digit run): more steps add nothing
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


def _word_class_chars(items: Any) -> set[str]:
    """Lowercased characters a character class can match (ANY for categories and negation,
    except digits and spaces, which only end a word)."""
    out: set[str] = set()
    for kind, value in items:
        kind = str(kind)
        if kind == "LITERAL":
            out.add(chr(value).lower())
        elif kind == "RANGE":
            out.update(chr(c).lower() for c in range(value[0], value[1] + 1))
        elif kind == "CATEGORY" and str(value) == "CATEGORY_DIGIT":
            out.add("0")  # a non-letter: ends the word
        elif kind == "CATEGORY" and str(value) == "CATEGORY_SPACE":
            # non-letters: end the word; " " is the space between two words of a phrase,
            # _OTHER_SPACE any other white space (first_shapes)
            out.update((" ", _OTHER_SPACE))
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
            if LETTERS <= _word_class_chars(kinds):
                return True
        except _Any:
            continue
    return False


# --- ... and the first TWO words (the date grammar's phrase dispatch) ---

# Stands for every white-space character but the space (``\\s`` reads both).
_OTHER_SPACE = "\t"

# More states than this in the two-word analysis of a rule, and it is marked ANY.
MAX_PHRASE_STATES = 20_000
# A phrase state whose first word (a number state whose digit run: numphrases.py) was
# followed by a non-letter other than a space.
NOT_SPACE = "|"


@dataclass(frozen=True)
class StartStates:
    """The (text, ended) states a rule can start in (`start_states`), split once into the
    ended texts and the live ones (prefixes that more may continue); the base of FirstPhrases,
    FirstShapes and numphrases.NumberPhrases, which differ only in what their key is."""

    states: frozenset[State]

    def __post_init__(self) -> None:
        ended = frozenset(text for text, end in self.states if end)
        object.__setattr__(self, "_ended", ended)
        object.__setattr__(self, "_prefixes", tuple(t for t, end in self.states if not end))

    def _allows(self, key: str, head: str) -> bool:
        """True when ``key`` or its ``head`` (the part an analysis may have ended on: a first
        word, a digit run) is an ended state, or ``key`` continues a live one."""
        ended = self._ended  # type: ignore[attr-defined]
        if key in ended or head in ended:
            return True
        return any(key.startswith(text) for text in self._prefixes)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class FirstPhrases(StartStates):
    """What a rule can start with, read two words deep: ``states`` are (text, ended) pairs over
    lowercase letters, where the text is a first word, or a first word, ONE space (a literal
    space or ``\\s``) and a second word. ``ended``: a non-letter follows (or a first word ended
    by ``(?!\\w)``); else the text is a prefix that more letters may continue.

    When a non-letter follows the space, the text after the space is read as an after-space
    shape instead of a word (`after_space_key`): "D" per ASCII digit of a digit run (at most
    MAX_SHAPE_DIGITS) and the character after the run ("the DDDD " for "the 1998 ", "the Ds"
    for "the 1990s"), or the one non-letter ("the $" for "the $2 million")."""

    def __post_init__(self) -> None:
        super().__post_init__()
        # What the key "the " (no shape: the end of a span, or a character the shape does not
        # read) allows: the ended states, and the first word and space of every state that
        # reads a shape after the space ("the " of "the DD", "the $"): anything may follow.
        shaped = {text[: text.index(" ") + 1] for text, _ in self.states if _is_shaped(text)}
        object.__setattr__(self, "_ended_any", self._ended | shaped)  # type: ignore[attr-defined]
        object.__setattr__(self, "_texts", tuple(text for text, _ in self.states))

    def allows(self, phrase: str, first: str) -> bool:
        """Can a match start with ``phrase``: ``first``, " ", then either a second word
        (maximal run of lowercase letters) and a non-letter (or the end of the text) after it,
        or an after-space shape (`after_space_key`), or nothing ("the ": the end of the text,
        or a character the shape does not read, may follow the space)?"""
        rest = len(first) + 1
        if len(phrase) == rest:  # "the ": as a state of any shape after the space
            ended = self._ended_any  # type: ignore[attr-defined]
            if phrase in ended or first in ended:
                return True
            return any(phrase.startswith(t) for t in self._prefixes)  # type: ignore[attr-defined]
        if phrase[rest] in LETTERS:
            return self._allows(phrase, first)
        # a shape: a state that reads it whole, or one that stopped (a look-ahead, the end of
        # the pattern) before its end
        return first in self._ended or any(  # type: ignore[attr-defined]
            phrase.startswith(t) for t in self._texts  # type: ignore[attr-defined]
        )


def after_space_key(text: str, start: int, end: int) -> str | None:
    """The after-space shape of a FirstPhrases key read in the lowercased ``text`` from
    ``start`` (the character after the first word's space, not a letter a-z) before ``end``:
    "D" per ASCII digit of the digit run there (a run longer than MAX_SHAPE_DIGITS reads as
    that long) and shape_char of the character after it ("" at ``end``), or the one ASCII
    character there (shape_char); None for a character the key does not read (not ASCII, or
    a run followed by a character that is not ASCII), where the key is the phrase without a
    shape. Only ASCII is read: another script's digit or letter may match a rule's ``\\d``
    or ASCII letter under IGNORECASE."""
    ch = text[start]
    if ch in DIGITS:
        stop = start + 1
        while stop < end and text[stop] in DIGITS:
            stop += 1
        after = text[stop] if stop < end else ""
        if not after.isascii():
            return None
        return "D" * min(stop - start, MAX_SHAPE_DIGITS) + (shape_char(after) if after else "")
    return shape_char(ch) if ch.isascii() else None


def _is_shaped(text: str) -> bool:
    """Is the phrase state ``text`` a first word, its space and an after-space shape?"""
    cut = text.find(" ")
    return 0 <= cut < len(text) - 1 and text[cut + 1] not in LETTERS


def first_phrases(pattern: str) -> FirstPhrases | None:
    """The two-word starts of a case-insensitive match of ``pattern`` (see FirstPhrases); None
    for "anything" (the analysis gave up, or there is no parser). Sound the same way as
    first_words: a condition it cannot read (a lookahead, an anchor) only allows more."""
    states = start_states(pattern, _extend_phrase)
    return None if states is None else FirstPhrases(states)


def start_states(pattern: str, extend) -> frozenset[State] | None:
    """The states a case-insensitive match of ``pattern`` can start in, grown by ``extend``
    (first_phrases, first_shapes); None when the analysis gave up or there is no parser."""
    parser = regex_parser()
    if parser is None:
        return None
    try:
        states = _seq(
            list(parser.parse(pattern, re.IGNORECASE)), {("", False)}, extend, MAX_PHRASE_STATES
        )
    except (_Any, AttributeError, TypeError, ValueError, IndexError):
        return None
    return frozenset(states)


def _extend_phrase(live: set[State], chars: Iterable[str]) -> set[State]:
    out: set[State] = set()
    chars = set(chars)
    letters = [c for c in chars if c in LETTERS]
    space = " " in chars
    other = any(c not in LETTERS and c != " " for c in chars)
    digit = bool(chars & DIGITS)
    for text, _ in live:
        cut = text.find(" ")
        if cut < 0:  # the first word: a space starts the second, anything else ends the phrase
            out.update((text + c, False) for c in letters)
            if space:
                out.add((text + " ", False))
            if other:
                out.add((text + NOT_SPACE, True))
        elif cut == len(text) - 1:  # after the space: a letter starts a word, else a shape
            out.update((text + c, False) for c in letters)
            if digit:
                out.add((text + "D", False))
            out.update((text + shape_char(c), True) for c in chars - LETTERS - DIGITS)
        elif text[cut + 1] in LETTERS:  # the second word: any non-letter ends it
            out.update((text + c, False) for c in letters)
            if space or other:
                out.add((text, True))
        else:  # a digit run after the space (live "D"s): the character after it ends it
            if digit:
                run = len(text) - cut - 1
                out.add((text if run >= MAX_SHAPE_DIGITS else text + "D", False))
            out.update((text + shape_char(c), True) for c in chars - DIGITS)
    return out


# --- ... and the shape of a leading digit run (the date grammar's digit dispatch) ---



@dataclass(frozen=True)
class FirstShapes(StartStates):
    """What a rule can start with at a digit: (shape, ended) pairs, where a shape is "D" per
    ASCII digit read (at most MAX_SHAPE_DIGITS, standing for that many or more) and, when
    ended, the one lowercase character read after the digits ("DDDD ", "D,", "DDam"[:3]); a
    shape ended by ``(?!\\w)`` has no character. A live shape is a prefix that anything may
    continue."""

    def allows(self, shape: str) -> bool:
        """Can a match start with ``shape``: "D" per digit of the text's leading run of ASCII
        digits (capped), then its next character lowercased (shape_char), or nothing at the
        end of the text? (This shape, or its digits and a look-ahead's end.)"""
        return self._allows(shape, shape if shape.endswith("D") else shape[:-1])


def shape_char(ch: str) -> str:
    """The character of a shape that stands for ``ch`` (after the digit run, lowercased): any
    white space but the space reads as one."""
    return _OTHER_SPACE if ch != " " and ch.isspace() else ch


def first_shapes(pattern: str) -> FirstShapes | None:
    """The digit-run shapes a case-insensitive match of ``pattern`` can start with (see
    FirstShapes); None for "anything". Sound as first_words is."""
    states = start_states(pattern, _extend_shape)
    return None if states is None else FirstShapes(states)


def _extend_shape(live: set[State], chars: Iterable[str]) -> set[State]:
    out: set[State] = set()
    chars = set(chars)
    digit = bool(chars & DIGITS)
    others = chars - DIGITS
    for text, _ in live:  # a live shape is a digit run ("" first)
        if digit:
            out.add((text if len(text) >= MAX_SHAPE_DIGITS else text + "D", False))
        out.update((text + c, True) for c in others)
    return out
