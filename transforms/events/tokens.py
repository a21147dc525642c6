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
from collections.abc import Callable
from itertools import accumulate, compress
from operator import add
from typing import NamedTuple

from transforms.events.lexicon import EventLexicon
from transforms.limits import EVENT_CHUNK_MEMO_MAX

# Words (with inner hyphens or apostrophes, "U.S.", "p.m."), numbers, a possessive "'s",
# any other single character.
TOKEN_RE = re.compile(
    r"[A-Za-z]+(?:(?:-|['\u2019](?!s\b))[A-Za-z]+)*(?:(?:\.[A-Za-z])+\.)?"
    r"|\d+(?:[.,:/]\d+)*|['\u2019]s\b|[^\sA-Za-z0-9]"
)
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
    # indices of the tokens an actor span can start at (transforms/events/actors.py):
    # capitalised or hyphenated words and the lowercase actor nouns ("police")
    name_starts: tuple[int, ...]


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
    auxiliary, "to" or a subject pronoun yes; after a determiner or preposition no ("the
    strike"); after a number only a past form used mostly as a verb ("the government in 2009
    enacted", not "in 1.5 revolving loans"); a base or -s form after a verb is its object
    ("raise wages"); elsewhere a past form, or a word used mostly as a verb."""
    if prev == "x" or prev_lower in PRONOUNS:
        return True
    if prev_lower[:1].isdigit():  # "in 2009 enacted" yes; "in 1.5 revolving loans" no
        return form == "ed" and share >= 0.5
    if prev in "tr":
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
    it starts the sentence.  No token crosses white space, so the sentence is read chunk by
    chunk (``str.split``): (chunk, state) -> (its tokens with kind, lemma and length, the next
    state's chunk table) is memoised on the lexicon (``lex.kind_memo``, one table per state), so
    that a known chunk costs one dict lookup and no regular expression."""
    sentence = text[start:end]
    chunks = sentence.split()
    if not chunks:
        return Parsed((), (), (), "", (), (), (), ())
    # (word, kind, lemma, advance, next state, can start an actor, lowercase word)
    found: list[tuple] = []
    table = _table(lex, FIRST_STATE)
    for chunk in chunks:
        entry = table.get(chunk)
        if entry is None:
            entry = _learn(lex, table, chunk, found[-1][4] if found else FIRST_STATE)
        found += entry[0]
        table = entry[1]
    # the columns in one pass (zip of the token tuples)
    words, kinds, lemmas, advances, _, nameish, lowers = zip(*found, strict=True)
    kind_str = "".join(kinds)
    if "vv" in kind_str:
        kind_str, lemmas = _subject_nouns(words, kind_str, lemmas)
    n = len(words)
    if " ".join(chunks) == sentence:  # single spaces: a token's end + its advance = next start
        starts = tuple(accumulate(advances[:-1], initial=start))
        ends = tuple(map(add, starts, map(len, words)))
    else:  # other white space: offsets from the running sums of the pieces of re.split
        offsets = list(accumulate(map(len, SPLIT_RE.split(sentence)), initial=start))
        starts, ends = tuple(offsets[1::2][:n]), tuple(offsets[2::2][:n])
    return Parsed(
        starts,
        ends,
        words,
        kind_str,
        lemmas,
        lowers,
        tuple(compress(range(n), kind_str.encode("ascii").translate(_PREDICATE_MASK))),
        tuple(compress(range(n), nameish)),
    )


def native_analyser(lex: EventLexicon, module) -> Callable[[str, int, int], Parsed] | None:
    """``analyse(text, start, end)`` with the lexicon bound, from the compiled accelerator
    ``module`` (``transforms.native.load("events")``): the same tokens from the same chunk memo
    (an unknown chunk is read by :func:`_learn`); None when ``module`` is None."""
    if module is None:
        return None
    return module.Analyser(lex, _table(lex, FIRST_STATE), FIRST_STATE, _learn, Parsed).analyse


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` (TOKEN_RE): words, numbers, a possessive "'s", other symbols."""
    return SPLIT_RE.split(text)[1::2]


def _subject_nouns(words: tuple[str, ...], kind_str: str, lemmas: tuple) -> tuple[str, tuple]:
    """Kinds and lemmas with an -s form right before a past verb made a noun (``o``): the
    subject of "Upjohn shares rose", not a verb."""
    kinds, lemmas = list(kind_str), list(lemmas)
    k = kind_str.find("vv")
    while k >= 0:
        if words[k][-1:] == "s" and (words[k + 1].endswith("ed") or lemmas[k + 1] != lemmas[k]):
            kinds[k], lemmas[k] = "o", None
        k = "".join(kinds).find("vv", k + 1)
    return "".join(kinds), tuple(lemmas)


# The state before a sentence's first token (see :func:`_classify`).
FIRST_STATE = "p001"
# byte of a kind character -> 1 for the predicate kinds (verb, event noun, auxiliary), else 0
_PREDICATE_MASK = bytes(int(chr(b) in "nvx") for b in range(256))


def _table(lex: EventLexicon, state: str) -> dict:
    """The memo's chunk table of one state (made on first use)."""
    table = lex.kind_memo.get(state)
    if table is None:
        table = lex.kind_memo[state] = {}
    return table


def _learn(lex: EventLexicon, table: dict, chunk: str, state: str) -> tuple:
    """(tokens of ``chunk`` as (word, kind, lemma, advance, next state, can start an actor,
    lowercase word)),
    the chunk table of the state after it) with the chunk read in ``state``; remembered in
    ``table`` (the state's chunk table). A memo holding ``limits.EVENT_CHUNK_MEMO_MAX``
    entries starts afresh first: every state's table is emptied (transforms/text/memo.py).
    ``advance`` is the token's length, plus one (the space before the next chunk) on the
    chunk's last token."""
    # a chunk of ASCII letters only is one TOKEN_RE word (most chunks): no regular expression
    words = [chunk] if chunk.isalpha() and chunk.isascii() else tokens(chunk)
    actor_nouns = lex.words("actor_nouns")
    found = []
    last = len(words)
    for n, word in enumerate(words, 1):
        lower = word.lower()
        kind, lemma, state = _classify(lex, word, state, lower)
        nameish = word[0].isupper() or "-" in word or word in actor_nouns
        advance = len(word) + (n == last)
        # one string kept for a lowercase word
        found.append((word, kind, lemma, advance, state, nameish, word if lower == word else lower))
    entry = (tuple(found), _table(lex, state))
    if lex.kind_memo_size >= EVENT_CHUNK_MEMO_MAX:  # full: start afresh (text/memo.py's rule)
        for held in lex.kind_memo.values():
            held.clear()  # in place: the compiled analyser holds the first state's table
        lex.kind_memo_size = 0
        lex.kind_memo_resets += 1  # the compiled analyser's chunk cache mirrors this epoch
    table[chunk] = entry
    lex.kind_memo_size += 1
    return entry


def _classify(lex, word: str, state: str, lower: str | None = None) -> tuple[str, str | None, str]:
    """(kind, lemma, next state) of ``word`` in ``state`` (see :func:`analyse`; a state is four
    characters: the kind before ("d" after a number), whether that was a pronoun, whether a
    noun phrase is open, whether the sentence starts); ``lower``: ``word.lower()`` when the
    caller has it."""
    if lower is None:
        lower = word.lower()
    head = word[0]
    digit = head.isdigit()
    if word in BOUNDARY_PUNCT:
        kind, lemma = "p", None
    elif not head.isalpha() and head not in "'\u2019":
        kind, lemma = ("o", None) if digit else ("q", None)
    else:
        prev = state[0]
        prev_lower = "i" if state[1] == "1" else "1" if prev == "d" else ""
        prev_kind = "o" if prev == "d" else prev
        kind, lemma = _kind(
            lex, word, lower, prev_kind, prev_lower, state[3] == "1", state[2] == "1"
        )
    if kind in "trv" or digit:
        in_np = "1"
    elif kind in "xspqc":
        in_np = "0"
    else:
        in_np = state[2]
    pronoun = lower in PRONOUNS
    if kind == "o" and pronoun:
        kind = "i"  # a subject pronoun: opens a clause after a reporting verb
    return kind, lemma, ("d" if digit else kind) + ("1" if pronoun else "0") + in_np + "0"


def date_tokens(p: Parsed, start: int, end: int) -> tuple[int, int]:
    """(first, last+1) token indices of the date span; (i, i) when it covers no token."""
    i = bisect.bisect_right(p.ends, start)
    j = bisect.bisect_left(p.starts, end, i)
    return i, j
