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

from transforms.events.lexicon import EventLexicon
from transforms.events.trigger import Parsed

# Clause punctuation for actors: commas do not end the clause (appositions, lists of names).
ACTOR_BOUNDARY = frozenset(';:()"\u201c\u201d\u2014\u2013[]')
# Lowercase words allowed inside a capitalised run ("Bank of England", "Abu Bakr al-Baghdadi").
NAME_JOINERS = frozenset("of al bin ibn de del da di van von der le la & du".split())
# At most this many tokens on each side of the trigger are searched (about a clause).
MAX_ACTOR_WINDOW = 30


def clause_span(p: Parsed, k: int) -> tuple[int, int]:
    """(first, last+1) token indices of the clause around token k, at most MAX_ACTOR_WINDOW
    tokens on each side."""
    lo = k
    while lo > 0 and k - lo < MAX_ACTOR_WINDOW and p.words[lo - 1] not in ACTOR_BOUNDARY:
        lo -= 1
    hi = k + 1
    n = len(p.words)
    while hi < n and hi - k < MAX_ACTOR_WINDOW and p.words[hi] not in ACTOR_BOUNDARY:
        hi += 1
    return lo, hi


def _is_cap(word: str) -> bool:
    """A capitalised word, or a joined name part such as "al-Baghdadi"."""
    if word[:1].isupper():
        return True
    head, _, tail = word.partition("-")
    return bool(tail) and head in NAME_JOINERS and tail[:1].isupper()


def _type(lex: EventLexicon, name: str, words: list[str], before: str) -> str:
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


def actors(lex: EventLexicon, text: str, p: Parsed, k: int, skip: tuple[int, int]) -> list[dict]:
    """Actors of the clause of trigger token k: ``[{text, type, start, end}]`` in text order,
    offsets into ``text``; tokens in ``skip`` (the date, as token indices) are never actors."""
    lo, hi = clause_span(p, k)
    not_names = lex.lists["not_names"]
    lower_actors = lex.words("actor_nouns")
    out: list[dict] = []
    t = lo
    words = p.words
    while t < hi:
        if skip[0] <= t < skip[1] or t == k:
            t += 1
            continue
        word = words[t]
        if _is_cap(word) and word.rstrip(".") not in not_names:
            u = t + 1
            while (
                u < hi
                and not (skip[0] <= u < skip[1])
                and (
                    _is_cap(words[u])
                    or (words[u] in NAME_JOINERS and u + 1 < hi and _is_cap(words[u + 1]))
                    or (words[u] == "-" and u + 1 < hi and _is_cap(words[u + 1]))
                )
            ):
                u += 1
            if words[u - 1] in NAME_JOINERS:
                u -= 1
            span_words = list(words[t:u])
            start, end = p.starts[t], p.ends[u - 1]
            name = text[start:end]
            before = words[t - 1].lower() if t > 0 else ""
            out.append({"text": name, "type": _type(lex, name, span_words, before),
                        "start": start, "end": end})  # fmt: skip
            t = u
            continue
        if word in lower_actors:
            kind = "org" if word in lex.words("org_words") else "other"
            out.append({"text": word, "type": kind, "start": p.starts[t], "end": p.ends[t]})
        t += 1
    return out
