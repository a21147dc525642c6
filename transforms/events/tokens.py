"""Tokens of a sentence for the event stage, each with a coarse kind and lemma.

``v`` verb, ``n`` event noun (WordNet act/event/process senses or a nominalisation), ``x``
auxiliary, ``r`` preposition, ``t`` determiner or possessive, ``s`` clause opener, ``c``
and/or, ``i`` subject pronoun, ``p`` clause punctuation, ``q`` other symbol, ``o`` anything
else.  A word with a verb
reading is a verb or not from its left neighbour and SemCor verb share (:func:`_verbal`).
:func:`analyse` returns the kinds as one string, so that counts between two tokens are one
``str.count`` each.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate, compress
from operator import itemgetter
from typing import NamedTuple

from transforms.events.lexicon import EventLexicon

# Words (with inner hyphens or apostrophes, "U.S.", "p.m."), numbers, a possessive "'s",
# any other single character.
TOKEN_RE = re.compile(
    r"[A-Za-z]+(?:(?:-|['\u2019](?!s\b))[A-Za-z]+)*(?:(?:\.[A-Za-z])+\.)?"
    r"|\d+(?:[.,:/]\d+)*|['\u2019]s\b|[^\sA-Za-z0-9]"
)
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
SPLIT_RE = re.compile(f"({TOKEN_RE.pattern})")
BOUNDARY_PUNCT = frozenset(',;:()"\u201c\u201d\u2014\u2013[]')
# Inside a noun phrase, a base or -s/-ing form is read as a verb only when at least this share
# of its SemCor tags are verb tags (chosen on TimeBank by 5-fold CV with the weights).
NP_VERB_SHARE = 0.9
PRONOUNS = frozenset("i you he she it we they who which that there".split())


class Parsed(NamedTuple):
    """One tokenised sentence: parallel tuples, offsets into the document text."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    words: tuple[str, ...]
    kinds: str  # one kind character per token (see module docstring)
    lemmas: tuple[str | None, ...]  # lemma of verbs and event nouns, else None
    lowers: tuple[str, ...]
    predicates: tuple[int, ...]  # indices of verbs, event nouns and auxiliaries


def _kind(
    lex: EventLexicon, word: str, lower: str, prev: str, prev_lower: str, first: bool, in_np: bool
):
    """(kind, lemma) of one word token given the kind and text of the token before it and
    whether a noun phrase is open (after a determiner, preposition, number or verb)."""
    if lower in ("'s", "\u2019s"):
        return ("x", "be") if prev_lower in PRONOUNS else ("t", None)  # "it's" | "Friday's"
    closed = lex.closed.get(lower)
    if closed is not None:
        return closed
    if word[0].isupper() and not first:
        return "o", None  # a name ("Strike Force", "May")
    r = lex.reading(lower)
    if r.verb is not None and _verbal(r.form, r.verb_share, prev, prev_lower, in_np):
        return "v", r.verb
    if r.noun is not None:
        return "n", r.noun
    return "o", None


def _verbal(form: str, share: float, prev: str, prev_lower: str, in_np: bool) -> bool:
    """Whether a word with a verb reading is a verb here, from the token before it: after an
    auxiliary, "to" or a subject pronoun yes; after a determiner, preposition or number no
    ("the strike", "in revolving loans"); a base or -s form after a verb is its object
    ("raise wages"); elsewhere a past form, or a word used mostly as a verb."""
    if prev == "x" or prev_lower in PRONOUNS:
        return True
    if prev in "tr" or prev_lower[:1].isdigit():
        return False
    if prev == "v":
        return form == "ing" or (form == "ed" and share >= 0.5)
    if in_np:  # "an economic cooperation plan", "small stakes": the phrase's nouns, unless
        # the word is almost only a verb ("the convictions prove"); a past form after a noun
        # ends the phrase ("trading volume totaled")
        if form == "ed":
            return prev in "on" or share >= 0.5
        return share >= NP_VERB_SHARE
    return form == "ed" or share >= 0.5


def analyse(lex: EventLexicon, text: str, start: int, end: int) -> Parsed:
    """Tokenise ``text[start:end]`` and give each token a kind and lemma.

    A token's kind depends only on its text and a small state: the kind of the token before it
    (``d`` after a number), whether that was a pronoun, whether a noun phrase is open, whether
    it starts the sentence.  (word, state) -> (kind, lemma, next state, next state's table) is
    memoised on the lexicon (``lex.kind_memo``: one word table per state), so that a known
    token costs one dict lookup."""
    # re.split with the token pattern as a group: [space, token, space, token, ..., space];
    # offsets are the running sums of the pieces' lengths (no match objects: about a third
    # faster than finditer)
    parts = SPLIT_RE.split(text[start:end])
    words = parts[1::2]
    if not words:
        return Parsed((), (), (), "", (), (), ())
    offsets = list(accumulate(map(len, parts), initial=start))
    found_all = []
    append = found_all.append
    table = _table(lex, FIRST_STATE)
    for word in words:
        found = table.get(word)
        if found is None:
            found = _learn(lex, table, word, found_all[-1][2] if found_all else FIRST_STATE)
        append(found)
        table = found[3]
    kind_str = "".join(map(_FIRST, found_all))
    lemmas = tuple(map(_SECOND, found_all))
    if "vv" in kind_str:
        kind_str, lemmas = _subject_nouns(words, kind_str, lemmas)
    n = len(words)
    return Parsed(
        tuple(offsets[1::2][:n]),
        tuple(offsets[2::2][:n]),
        tuple(words),
        kind_str,
        lemmas,
        tuple(map(str.lower, words)),
        tuple(compress(range(n), map(_PREDICATE_KINDS.__contains__, kind_str))),
    )


def _subject_nouns(words: list[str], kind_str: str, lemmas: tuple) -> tuple[str, tuple]:
    """"Upjohn shares rose": an -s form right before a past verb is the subject noun, not a
    verb (kinds and lemmas with such tokens made ``o``)."""
    kinds, lemmas = list(kind_str), list(lemmas)
    k = kind_str.find("vv")
    while k >= 0:
        if words[k][-1:] == "s" and (words[k + 1].endswith("ed") or lemmas[k + 1] != lemmas[k]):
            kinds[k], lemmas[k] = "o", None
        k = "".join(kinds).find("vv", k + 1)
    return "".join(kinds), tuple(lemmas)


# Entries of the (word, context) -> kind memo; past this the memo stops growing.
MEMO_MAX = 200_000
# The state before a sentence's first token (see :func:`_classify`).
FIRST_STATE = "p001"
_PREDICATE_KINDS = frozenset("nvx")


def _table(lex: EventLexicon, state: str) -> dict:
    """The memo's word table of one state (made on first use)."""
    table = lex.kind_memo.get(state)
    if table is None:
        table = lex.kind_memo[state] = {}
    return table


def _learn(lex: EventLexicon, table: dict, word: str, state: str) -> tuple:
    """(kind, lemma, next state, next state's table) of ``word`` in ``state``, remembered in
    ``table`` (the state's word table) while the memo holds fewer than MEMO_MAX entries."""
    kind, lemma, nxt = _classify(lex, word, state)
    found = (kind, lemma, nxt, _table(lex, nxt))
    if lex.kind_memo_size < MEMO_MAX:
        table[word] = found
        lex.kind_memo_size += 1
    return found


def _classify(lex, word: str, state: str) -> tuple[str, str | None, str]:
    """(kind, lemma, next state) of ``word`` in ``state`` (see :func:`analyse`)."""
    prev, prev_pronoun, in_np, first = state[0], state[1] == "1", state[2] == "1", state[3] == "1"
    lower = word.lower()
    if word in BOUNDARY_PUNCT:
        kind, lemma = "p", None
    elif not word[0].isalpha() and word[0] not in "'\u2019":
        kind, lemma = ("o", None) if word[0].isdigit() else ("q", None)
    else:
        prev_lower = "i" if prev_pronoun else "1" if prev == "d" else ""
        prev_kind = "o" if prev == "d" else prev
        kind, lemma = _kind(lex, word, lower, prev_kind, prev_lower, first, in_np)
    if kind in "trv" or word[0].isdigit():
        in_np = True
    elif kind in "xspqc":
        in_np = False
    if kind == "o" and lower in PRONOUNS:
        kind = "i"  # a subject pronoun: opens a clause after a reporting verb
    nxt = "d" if word[0].isdigit() else kind
    return kind, lemma, f"{nxt}{int(lower in PRONOUNS)}{int(in_np)}0"


def date_tokens(p: Parsed, start: int, end: int) -> tuple[int, int]:
    """(first, last+1) token indices of the date span; (i, i) when it covers no token."""
    i = bisect.bisect_right(p.ends, start)
    j = bisect.bisect_left(p.starts, end, i)
    return i, j
