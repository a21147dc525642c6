"""Which literal words must a match of a regular expression contain? A sound pre-check for
case-insensitive patterns on ASCII text.

`required(pattern)` reads the pattern's parse tree (``re._parser``, through
`firsts.regex_parser`, as the dispatchers of transforms/textscan/firsts.py do) and answers a set
of lower-case strings, one of which occurs (as ``s in text.lower()``) in every ASCII text that
the pattern, compiled with re.IGNORECASE, matches anywhere; None when the analysis finds no
such set ("anything"). Callers ask it only of ASCII text (`could_match`): there, re's
case-insensitive match of an ASCII letter is the letter in either case, and a character
outside ASCII in the pattern can only match an ASCII one when one of its case forms is ASCII
(the Kelvin sign, the long s, the dotless and dotted i): such a character makes the analysis of
its item answer None. So a pattern whose required set has no string in the lower-cased line
cannot match it, and its search can be skipped without changing any answer
(tests/test_required_literals.py checks this on the vocabulary's patterns over real lines and
random text).

The set comes from one item of the pattern's top-level sequence that every match must pass
through: a run of literal characters, a small character class (one character each), a group
or a repetition of at least once (its own set), or an alternation (the union of its branches'
sets, when every branch has one). Of these, the one whose shortest string is longest is kept
(the most selective pre-check).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from transforms.textscan.firsts import regex_parser

# A character class with more members than this gives no useful pre-check.
MAX_CLASS_CHARS = 8


@functools.lru_cache(maxsize=1024)  # a pure function of the pattern: each worker's rules
def required(pattern: str) -> frozenset[str] | None:
    """Lower-case strings one of which every ASCII text that `pattern` (re.IGNORECASE)
    matches contains, or None (module doc). Raises nothing: a pattern the parser does not
    read (or a parser of another shape) gives None."""
    parser = regex_parser()
    if parser is None:
        return None
    try:
        found = _seq(list(parser.parse(pattern, re.IGNORECASE)))
    except (AttributeError, TypeError, ValueError, IndexError, re.error):
        return None
    if found is None:
        return None
    # a string that holds another of the set adds nothing to the check: "://" with ":"
    return frozenset(s for s in found if not any(t != s and t in s for t in found))


def could_match(requirement: frozenset[str] | None, lower: str) -> bool:
    """False only when no string of `requirement` (from `required`) occurs in `lower`, the
    lower-cased ASCII text: the pattern then cannot match the text."""
    return requirement is None or any(s in lower for s in requirement)


def _char(code: int) -> str | None:
    """The lower-case form an ASCII text shows of the pattern character `code` under
    IGNORECASE; None when a non-ASCII character has an ASCII case form (it may match an ASCII
    letter). A non-ASCII character without one is kept as it is: it never occurs in ASCII
    text, which is right, since it can match nothing there."""
    ch = chr(code)
    if ch.isascii():
        return ch.lower()
    forms = ch.lower() + ch.upper() + ch.casefold() + ch.title()
    return None if any(f.isascii() for f in forms) else ch


def _class(items: Any) -> frozenset[str] | None:
    """The one-character strings of a small [...] class (None: negated, a category, wide, or a
    member with an ASCII case form)."""
    chars: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            codes = [av]
        elif name == "RANGE" and av[1] - av[0] < MAX_CLASS_CHARS:
            codes = list(range(av[0], av[1] + 1))
        else:
            return None
        for code in codes:
            ch = _char(code)
            if ch is None:
                return None
            chars.add(ch)
    return frozenset(chars) if 0 < len(chars) <= MAX_CLASS_CHARS else None


def _better(best: frozenset[str] | None, new: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two required sets (longest shortest string, then fewer strings);
    a set holding the empty string requires nothing."""
    if new is None or not new or "" in new:
        return best
    if best is None:
        return new
    key_new = (min(map(len, new)), -len(new))
    key_best = (min(map(len, best)), -len(best))
    return new if key_new > key_best else best


def _seq(items: list) -> frozenset[str] | None:
    """The required set of a parsed sequence (None: none found)."""
    best: frozenset[str] | None = None
    run: list[str] = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            ch = _char(av)
            if ch is not None:
                run.append(ch)
                continue
        if run:  # a run of literals ends here
            best = _better(best, frozenset({"".join(run)}))
            run = []
        if name == "IN":
            best = _better(best, _class(av))
        elif name == "SUBPATTERN":
            best = _better(best, _seq(list(av[-1])))
        elif name == "ATOMIC_GROUP":
            best = _better(best, _seq(list(av)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            best = _better(best, _seq(list(av[2])))
        elif name == "BRANCH":
            alts = [_seq(list(alt)) for alt in av[1]]
            if all(a is not None for a in alts):
                best = _better(best, frozenset().union(*alts))
        # anything else (anchors, ., negated characters, look-arounds, optional items,
        # group references) requires nothing of the text
    if run:
        best = _better(best, frozenset({"".join(run)}))
    return best


@functools.lru_cache(maxsize=1024)  # a pure function of the pattern: each worker's rules
def word_starts(pattern: str) -> frozenset[str] | None:
    """For a pattern that begins with ``\\b``: lower-case strings, each starting with a word
    character, one of which every match (re.IGNORECASE, on ASCII text) begins with; the match
    begins at a word boundary, so that string occurs in the lower-cased text at a word start
    (position 0 or after a character that is not ``[a-z0-9_]``). None when the pattern does
    not begin so or the analysis finds no such set. A sharper pre-check than `required` for
    a pattern such as ``\\b(AP|AFP|Reuters)...`` whose literal "ap" occurs inside most
    English lines but at the start of a word in few (`could_start_word`)."""
    parser = regex_parser()
    if parser is None:
        return None
    try:
        items = list(parser.parse(pattern, re.IGNORECASE))
        if not items or str(items[0][0]) != "AT" or str(items[0][1]) != "AT_BOUNDARY":
            return None
        found = _prefixes(items[1:])
    except (AttributeError, TypeError, ValueError, IndexError, re.error):
        return None
    if not found or not all(s[0] in _WORD_CHARS for s in found):
        return None
    return frozenset(found)


# The word characters of ``\b`` on ASCII text (lower case, as the pre-checks read it).
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _prefixes(items: list) -> frozenset[str] | None:
    """Non-empty lower-case strings one of which every match of the parsed sequence `items`
    begins with (None: none found): its leading run of literal characters, or what the first
    item (a group, an alternation, a small class) begins with."""
    run: list[str] = []
    for op, av in items:
        ch = _char(av) if str(op) == "LITERAL" else None
        if ch is None:
            break
        run.append(ch)
    if run:
        return frozenset({"".join(run)})
    if not items:
        return None
    op, av = items[0]
    name = str(op)
    if name == "SUBPATTERN":
        return _prefixes(list(av[-1]))
    if name == "ATOMIC_GROUP":
        return _prefixes(list(av))
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
        return _prefixes(list(av[2]))
    if name == "IN":
        return _class(av)
    if name == "BRANCH":
        alts = [_prefixes(list(alt)) for alt in av[1]]
        if all(a is not None for a in alts):
            return frozenset().union(*alts)
    return None


def could_start_word(starts: frozenset[str] | None, lower: str) -> bool:
    """False only when no string of `starts` (from `word_starts`) occurs at a word start of
    `lower`, the lower-cased ASCII text: the pattern then cannot match the text."""
    if starts is None:
        return True
    for s in starts:
        i = lower.find(s)
        while i >= 0:
            if i == 0 or lower[i - 1] not in _WORD_CHARS:
                return True
            i = lower.find(s, i + 1)
    return False


def matches_at_word_start(
    starts: frozenset[str], lower: str, match: Callable[[str, int], Any], text: str
) -> bool:
    """``regex.search(text) is not None`` for a pattern that begins with ``\\b`` and whose
    `word_starts` are `starts`, on an ASCII `text` (`lower` = text.lower(), the same offsets):
    `match` (the compiled pattern's ``match``) is tried only at the word starts of `lower`
    where one of `starts` occurs. Every match begins at such a position (`word_starts`), and
    ``match(text, i)`` reads ``\\b`` and look-behinds against the whole text as ``search``
    does, so the answer is the same; the search's attempt at every other position (most of a
    line) is left out. False wherever `could_start_word` is."""
    for s in starts:
        i = lower.find(s)
        while i >= 0:
            if (i == 0 or lower[i - 1] not in _WORD_CHARS) and match(text, i) is not None:
                return True
            i = lower.find(s, i + 1)
    return False


class Prechecked:
    """A compiled pattern whose `search(text)` first asks whether an ASCII text holds one of
    the pattern's required literals (`required`, in the lower-cased text): when it holds none
    the answer is None without running the pattern, otherwise the pattern's own search. The
    same answer as `regex.search(text)` (a case-sensitive pattern matches less than its
    case-insensitive reading, so the pre-check holds for it too). Pickles (by its pattern)."""

    def __init__(self, regex: re.Pattern[str]):
        self.regex = regex
        self.requirement = required(regex.pattern)

    def search(self, text: str) -> re.Match[str] | None:
        """`regex.search(text)`, skipped when it cannot match (class doc)."""
        if self.requirement is not None and text.isascii():
            lower = text.lower()
            if not any(s in lower for s in self.requirement):
                return None
        return self.regex.search(text)
