"""Which characters can a match of a regular expression start (or end) with?

Both fast dispatchers use this: the boilerplate vocabulary (transforms/textscan/literals.py) and
the date grammar (transforms/temporal/grammar.py) keep, for each possible first character of a
line or candidate, only the patterns that can start with it. The answer is read from the
pattern's parse tree. Whenever the analysis is unsure (``.``, ``\\w``, a negated or very wide
class, a pattern that can match the empty string) it answers None, "any character", so a
dispatcher built on it never misses a match.

The parse tree comes from ``re._parser``, an INTERNAL module of CPython: there is no public API
for this, and writing our own regex parser is not worth it. Its tree has been stable for many
versions, but if it goes away or changes shape, `possible_chars` answers None for every pattern:
every pattern is then tried everywhere (the same results, slower), and the dispatch tests
(tests/test_boilerplate_regex.py, tests/test_temporal_rules.py) fail loudly.
"""

from __future__ import annotations

import re
from typing import Any

# A character class wider than this is treated as "any character".
MAX_CLASS = 256


def regex_parser() -> Any:
    """Python's regex parser module (``re._parser``), or None where it is not available."""
    try:
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:
        return None
    return _parser if callable(getattr(_parser, "parse", None)) else None


def possible_chars(
    pattern: str, flags: int = re.IGNORECASE, last: bool = False
) -> set[str] | None:
    """The characters, as written in the pattern, that a match can start with (`last`: end
    with), or None for "any". With re.IGNORECASE the caller adds the other cases."""
    parser = regex_parser()
    if parser is None:
        return None
    try:
        chars, empty = _first(parser.parse(pattern, flags), last)
    except (AttributeError, TypeError, ValueError, IndexError):  # the tree changed shape
        return None
    return None if chars is None or empty else chars


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
