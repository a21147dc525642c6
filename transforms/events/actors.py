"""Actors of a trigger: the people, organisations and places named in the trigger's clause.

A capitalised-span chunker over the tokens of :func:`transforms.events.trigger.analyse`: runs of
capitalised words (with "of", "al-", "bin", "de", "van", "von", "&" inside a run, acronyms such
as "U.S."), minus sentence-initial function words and date words (``not_names`` in
rules/event_words.yaml), plus the common lowercase actor nouns ("police", "rebels").  The clause
is the trigger's stretch of the sentence between clause punctuation (; : ( ) quotes, dashes),
so "the US launched an operation which took out ISIS leader Abu Bakr al-Baghdadi" keeps both the
US and al-Baghdadi.  Type, first match wins:

1. the WordNet name table (rules/event_names.tsv): "Syria" place, "NATO" org, "Bush" person;
2. the last word: an org word ("Ministry", "Command", "Inc") -> org, a place word ("Street",
   "Province") -> place;
3. a title just before or inside the span ("President", "Mr.", "leader") -> person;
4. an all-capitals acronym -> org; two to four capitalised words -> person; else other.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from transforms.events.lexicon import EventLexicon
from transforms.events.tokens import Parsed
from transforms.limits import ACTOR_TYPE_MEMO_MAX, COMMON_WORD_MEMO_MAX
from transforms.text.memo import remember

# Clause punctuation for actors: commas do not end the clause (appositions, lists of names).
ACTOR_BOUNDARY = frozenset(';:()"\u201c\u201d\u2014\u2013[]')
# Lowercase words allowed inside a capitalised run ("Bank of England", "Abu Bakr al-Baghdadi").
NAME_JOINERS = frozenset("of al bin ibn de del da di van von der le la & du".split())
# At most this many tokens on each side of the trigger are searched (about a clause).
MAX_ACTOR_WINDOW = 30


def _common_word(lex: EventLexicon, word: str) -> bool:
    """A sentence-initial word that is a common English word: an adverb in -ly, a closed-class
    word of event_words.yaml (determiner, preposition, auxiliary, clause opener: "Another",
    "Through", "To") or a WordNet verb or event-noun lemma when lowercased."""
    lower = word.lower()
    return (
        lower.endswith("ly")
        or lower in lex.closed
        or lower in lex.tags
        or lex.reading(lower).verb is not None
    )


def _is_cap(word: str) -> bool:
    """A capitalised word, or a joined name part such as "al-Baghdadi"."""
    if word[:1].isupper():
        return True
    head, _, tail = word.partition("-")
    return bool(tail) and head in NAME_JOINERS and tail[:1].isupper()


def _type(lex: EventLexicon, name: str, words: tuple[str, ...], before: str) -> str:
    """The actor type of ``name`` (tokens ``words``, lowercase word ``before`` it), by the rules
    of the module docstring; memoised on the lexicon (``lex.actor_type_memo``, bounded by
    ACTOR_TYPE_MEMO_MAX: names repeat across an archive; a full memo starts afresh)."""
    key = (name, words, before)
    kind = lex.actor_type_memo.get(key)
    if kind is None:
        kind = remember(lex.actor_type_memo, key, _rule_type(lex, name, words, before),
                        ACTOR_TYPE_MEMO_MAX)  # fmt: skip
    return kind


def _rule_type(lex: EventLexicon, name: str, words: tuple[str, ...], before: str) -> str:
    kind = lex.names.get(name) or lex.names.get(name.replace(".", ""))
    if kind:
        return kind
    last = words[-1].lower().rstrip(".")
    if last in lex.words("org_words"):
        return "org"
    if last in lex.words("place_words"):
        return "place"
    titles = lex.words("person_titles")
    if before.rstrip(".") in titles or any(w.lower().rstrip(".") in titles for w in words[:-1]):
        return "person"  # "President Bush", "US Secretary of State Mike Pompeo"
    if len(words) == 1 and name.replace(".", "").isupper() and len(name) > 1:
        return "org"
    if 2 <= len([w for w in words if _is_cap(w)]) <= 4:
        return "person"
    if len(words) == 1:
        return lex.names.get(words[0], "other")
    return "other"


def sentence_bounds(p: Parsed) -> list[int]:
    """Token indices of a sentence's clause punctuation (ACTOR_BOUNDARY), sorted: its clause
    punctuation tokens (kind ``p``, transforms/events/tokens.py) other than commas."""
    out = []
    kinds, words = p.kinds, p.words
    t = kinds.find("p")
    while t >= 0:
        if words[t] in ACTOR_BOUNDARY:
            out.append(t)
        t = kinds.find("p", t + 1)
    return out


def clause_names(lex: EventLexicon, text: str, p: Parsed, lo: int, hi: int) -> list:
    """Every actor span of tokens [lo, hi) of a sentence, ``[(first token, last+1, actor
    dict)]``.  With lo and hi at clause punctuation (or the sentence's ends) the spans are those
    a scan of the whole sentence finds there: no name runs over clause punctuation.  Spans start
    at ``p.name_starts`` (capitalised, hyphenated or lowercase actor-noun tokens)."""
    not_names = lex.lists["not_names"]
    lower_actors = lex.words("actor_nouns")
    org_words = lex.words("org_words")
    out: list = []
    words = p.words
    covered = lo
    starts = p.name_starts
    first = bisect.bisect_left(starts, lo)
    for t in starts[first : bisect.bisect_left(starts, hi, first)]:
        if t < covered:
            continue
        word = words[t]
        if t == 0 and word not in lex.names and _common_word(lex, word):
            continue  # "Roughly 13,000 troops", "Check out ...": a capital only by position
        if (
            (word[0].isupper() or "-" in word)
            and _is_cap(word)
            and word.rstrip(".") not in not_names
        ):
            u = t + 1
            while u < hi and (
                _is_cap(words[u])
                or (words[u] in NAME_JOINERS and u + 1 < hi and _is_cap(words[u + 1]))
                or (words[u] == "-" and u + 1 < hi and _is_cap(words[u + 1]))
            ):
                u += 1
            if words[u - 1] in NAME_JOINERS:
                u -= 1
            start, end = p.starts[t], p.ends[u - 1]
            name = text[start:end]
            # the word before, past the full stop of an abbreviated title ("Mr. Trump")
            before = words[t - 1].lower() if t > 0 else ""
            if before == "." and t > 1:
                before = words[t - 2].lower()
            kind = _type(lex, name, words[t:u], before)
            out.append((t, u, {"text": name, "type": kind, "start": start, "end": end}))
            covered = u
            continue
        if word in lower_actors:
            kind = "org" if word in org_words else "other"
            out.append((t, t + 1, {"text": word, "type": kind, "start": p.starts[t],
                                   "end": p.ends[t]}))  # fmt: skip
    return out


def native_actors(lex: EventLexicon, module) -> Callable | None:
    """``actors(text, p, bounds, memo, k, i, j)``, the same as
    ``trigger_actors(lex, text, p, bounds, memo, k, (i, j))`` (and the same ``memo``), from the
    compiled accelerator ``module`` (``transforms.native.load("events")``); None when ``module``
    is None."""
    if module is None:
        return None
    return native_actor_parts(lex, module).actors


def native_actor_parts(lex: EventLexicon, module):
    """The compiled ``Actors`` of ``module`` (transforms/native/_events.pyx) for ``lex``: its
    ``actors`` method is :func:`native_actors`; a new name is typed by its own copy of
    :func:`_rule_type` (``rule_type``) and memoised as :func:`_type` does."""
    return module.Actors(
        lex, NAME_JOINERS, MAX_ACTOR_WINDOW, _common_word, _type, COMMON_WORD_MEMO_MAX,
        ACTOR_TYPE_MEMO_MAX,
    )  # fmt: skip


def trigger_actors(
    lex: EventLexicon,
    text: str,
    p: Parsed,
    bounds: list[int],
    memo: dict[int, list],
    k: int,
    skip: tuple[int, int],
) -> list[dict]:
    """Actors of the clause of trigger token k (``bounds`` from :func:`sentence_bounds`;
    ``memo`` keeps the clause's spans for the sentence's other dates, keyed by the clause's
    first token): ``[{text, type, start, end}]`` in text order, offsets into the document text;
    spans touching ``skip`` (the date's tokens) or the trigger are left out, and a name already
    listed ("OrbitBeyond ... OrbitBeyond": one actor, its first span).  Only the trigger's
    clause is chunked."""
    x = bisect.bisect_left(bounds, k)
    c0 = bounds[x - 1] + 1 if x > 0 else 0
    c1 = bounds[x] if x < len(bounds) else len(p.words)
    spans = memo.get(c0)
    if spans is None:
        spans = memo[c0] = clause_names(lex, text, p, c0, c1)
    lo, hi = max(c0, k - MAX_ACTOR_WINDOW), min(c1, k + MAX_ACTOR_WINDOW + 1)
    out: list[dict] = []
    seen: set[str] = set()
    for t, u, actor in spans:
        if lo <= t and u <= hi and not (t <= k < u) and (u <= skip[0] or t >= skip[1]):
            if actor["text"] not in seen:
                seen.add(actor["text"])
                out.append(dict(actor))
    return out
