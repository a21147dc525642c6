"""A case-insensitive regular expression compiled so that Python's engine skips the
alternatives of a "|" faster: ``compile_ignorecase(pattern)`` matches exactly what
``re.compile(pattern, re.IGNORECASE)`` matches (same spans, groups, lastgroup, flags, pattern
text), in fewer instructions. The date grammar compiles its combined and dispatched forms with
it (transforms/temporal/grammar.py ``_combine``).

Why: at a "|" the engine (``_sre``, SRE_OP_BRANCH) skips an alternative without entering it
only when the alternative starts with a case-sensitive literal or character class that the
next character fails. Under re.IGNORECASE a letter compiles to a case-folding literal
(LITERAL_UNI_IGNORE), which the engine must enter, with its backtracking state, to test: the
grammar's word lists ("about|around|nearly|...", the month and number names) are entered one by
one. Here the parse tree's first item of each alternative, when it is an ASCII letter, becomes
a case-SENSITIVE class of exactly the characters that the case-insensitive letter matches
(``IGNORECASE_CLASSES``: the letter, its upper case, and the three letters with more: "i" also
matches "\\u0130" and "\\u0131", "k" the Kelvin sign, "s" the long s), which the engine tests
without entering the alternative. On the date stage of 300 bench pages: about 6% fewer
instructions (callgrind).

Sound: the class matches one character exactly when the literal does (tests/test_ignorecase.py
checks ``IGNORECASE_CLASSES`` against the engine on every code point), it carries no group
and no flag but its own, so every match, group and backtracking order is the same; the same
test compares both compilations on real and random text. The rewrite uses Python's internal
regex parser and compiler (``re._parser``, ``re._compiler``, ``_sre.compile``): where they are
missing or differ in shape, this is ``re.compile`` (the same matches, slower).
"""

from __future__ import annotations

import functools
import re
from typing import Any

# For each ASCII letter, the characters that Python's re.IGNORECASE matches for it (Python 3.11's
# Unicode tables; tests/test_ignorecase.py checks every code point).
IGNORECASE_CLASSES: dict[str, str] = {c: c + c.upper() for c in "abcdefghijklmnopqrstuvwxyz"} | {
    "i": "iI\u0130\u0131",
    "k": "kK\u212a",
    "s": "sS\u017f",
}


# The flag as an int, as re.compile passes it on (the compiler's many ``flags & X`` on the enum
# made a compilation four times as long).
_IGNORECASE = int(re.IGNORECASE)


# As re.compile's own cache (re._MAXCACHE): a process builds its taggers from the same
# pattern texts (the grammar's dispatched forms share many), and a compiled pattern is immutable.
COMPILED_CACHE = 512


@functools.lru_cache(maxsize=COMPILED_CACHE)
def compile_ignorecase(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern, re.IGNORECASE)``, with the alternatives that start with an ASCII
    letter made cheaper to skip (see the module docstring). Raises re.error as re.compile.
    Cached, as re.compile is."""
    flags = _IGNORECASE
    internals = _internals()
    if internals is None:
        return re.compile(pattern, flags)
    parser, compiler, constants, sre = internals
    try:
        tree = parser.parse(pattern, flags)
        _rewrite(tree, parser, constants)
        code = compiler._code(tree, flags)
        groupindex = tree.state.groupdict
        indexgroup: list[str | None] = [None] * tree.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        return sre.compile(
            pattern,
            flags | tree.state.flags,
            code,
            tree.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
    except (AttributeError, TypeError, ValueError, IndexError, KeyError):
        return re.compile(pattern, flags)  # the internals changed shape


# The parse-tree operations _rewrite reads (re._constants).
_OPS = (
    "BRANCH", "LITERAL", "IN", "SUBPATTERN", "MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT",
    "ASSERT", "ASSERT_NOT", "ATOMIC_GROUP",
)  # fmt: skip


def _internals() -> tuple[Any, Any, Any, Any] | None:
    """(re._parser, re._compiler, re._constants, _sre), or None where one is missing."""
    try:
        import _sre
        from re import _compiler, _constants, _parser  # type: ignore[attr-defined]
    except ImportError:
        return None
    needed = (
        callable(getattr(_parser, "parse", None))
        and callable(getattr(_compiler, "_code", None))
        and callable(getattr(_compiler, "_optimize_charset", None))
        and callable(getattr(_sre, "compile", None))
        and hasattr(_parser, "SubPattern")
        and all(hasattr(_constants, n) for n in _OPS)
    )
    return (_parser, _compiler, _constants, _sre) if needed else None


# A "|" of fewer alternatives is left as it is: the rewrite costs compile time (the grammar's
# dispatched forms are compiled when a worker starts and on first use), and the long word lists
# are where the engine enters many alternatives in vain.
MIN_ALTERNATIVES = 4


def _rewrite(items: Any, parser: Any, c: Any, ignore_case: bool = True) -> None:
    """Replace, in place, the first item of every alternative of every "|" of at least
    MIN_ALTERNATIVES alternatives in the parsed sequence ``items`` that is a literal ASCII letter
    read case-insensitively (``ignore_case``: re.IGNORECASE holds here; a ``(?-i:...)`` group
    turns it off) by its case-sensitive class. Reads the parser's lists (``.data``) directly:
    its item access costs a function call each."""
    for op, av in items.data if isinstance(items, parser.SubPattern) else items:
        if op is c.BRANCH:
            alternatives = av[1]
            rewrite = ignore_case and len(alternatives) >= MIN_ALTERNATIVES
            for alternative in alternatives:
                data = alternative.data
                if rewrite and data and data[0][0] is c.LITERAL:
                    letter = chr(data[0][1]).lower()
                    if letter in IGNORECASE_CLASSES:
                        data[0] = _case_class(letter, parser, c)
                _rewrite(alternative, parser, c, ignore_case)
        elif op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            inside = (ignore_case or bool(add_flags & _IGNORECASE)) and not (
                del_flags & _IGNORECASE
            )
            _rewrite(sub, parser, c, inside)
        elif op is c.MAX_REPEAT or op is c.MIN_REPEAT or op is c.POSSESSIVE_REPEAT:
            _rewrite(av[2], parser, c, ignore_case)
        elif op is c.ASSERT or op is c.ASSERT_NOT:
            _rewrite(av[1], parser, c, ignore_case)
        elif op is c.ATOMIC_GROUP:
            _rewrite(av, parser, c, ignore_case)


def _case_class(letter: str, parser: Any, c: Any) -> tuple[Any, Any]:
    """A group without a number, with re.IGNORECASE turned off inside, holding the class of
    IGNORECASE_CLASSES[letter]: ``(?-i:[...])``, as a parse-tree item."""
    return (
        c.SUBPATTERN,
        (None, 0, _IGNORECASE, parser.SubPattern(None, [(c.IN, list(_class_items(letter)))])),
    )


@functools.cache
def _class_items(letter: str) -> tuple[tuple[Any, Any], ...]:
    """The class of IGNORECASE_CLASSES[letter] as the compiler's own optimizer writes it for a
    case-sensitive class (for "i", "k" and "s", whose classes hold characters past U+00FF, a
    bitmap of 256-character blocks): the compiler passes such a form on as it is, where
    optimizing the literals again in every rewritten alternative took most of a compilation's
    time (a 64K-character map per "i", "k" or "s")."""
    internals = _internals()
    if internals is None:
        raise AttributeError("re internals missing")  # compile_ignorecase falls back
    _parser, compiler, c, _sre = internals
    chars = [(c.LITERAL, ord(ch)) for ch in IGNORECASE_CLASSES[letter]]
    return tuple(compiler._optimize_charset(chars)[0])
