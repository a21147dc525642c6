"""Trigger of a dated mention: the predicate its date phrase attaches to.

A sentence is tokenised once (:func:`analyse`) and each token gets a coarse kind from the
event lexicon and its left neighbour: ``v`` verb, ``n`` event noun, ``x`` auxiliary, ``r``
preposition, ``t`` determiner, ``s`` clause opener, ``p`` clause punctuation, ``o`` other.
Every verb and event noun of the sentence is a candidate; :func:`pick` scores them with a
cost (token distance plus penalties for crossing a clause boundary, lying right of the date,
being a noun, a reporting verb or a light verb, minus bonuses for the attachments the issue
names: the head noun of a possessive date "Tuesday's vote", of a date inside a noun phrase
"the Oct. 23 shooting", the noun a date's preposition attaches to "a strike on July 7", and a
predicate right next to the date) and keeps the cheapest.  The weights live in
``rules/event_weights.yaml`` (chosen by 5-fold cross-validation on TimeBank + AQUAINT, see
eval/events.py).  A reporting verb is never the trigger when another predicate stands in the
date's clause (no boundary between them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from transforms.events.lexicon import RULES_DIR, EventLexicon

TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}|['\u2019]s\b|n['\u2019]t\b|[A-Za-z]+(?:-[A-Za-z]+|['\u2019](?!s\b)[A-Za-z]+)*"
    r"|\d+(?:[.,:/]\d+)*|[^\sA-Za-z0-9]"
)
BOUNDARY_PUNCT = frozenset(',;:()"\u201c\u201d\u2014\u2013[]')
# Inside a noun phrase, a base or -s/-ing form is read as a verb only when at least this share
# of its SemCor tags are verb tags (chosen on TimeBank by 5-fold CV with the weights).
NP_VERB_SHARE = 0.9
PRONOUNS = frozenset("i you he she it we they who which that there".split())


@dataclass(frozen=True)
class Parsed:
    """One tokenised sentence: parallel tuples, offsets into the document text."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    words: tuple[str, ...]
    kinds: str  # one kind character per token (see module docstring)
    lemmas: tuple[str | None, ...]  # lemma of verbs and event nouns, else None


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    text: str
    lemma: str
    pos: str  # verb | noun
    event_class: str


def load_weights(path: Path = RULES_DIR / "event_weights.yaml") -> dict[str, float]:
    """The trigger cost weights (see module docstring), keyed by feature name."""
    return {k: float(v) for k, v in yaml.safe_load(path.read_text("utf-8"))["weights"].items()}


def _kind(
    lex: EventLexicon, word: str, lower: str, prev: str, prev_lower: str, first: bool, in_np: bool
):
    """(kind, lemma) of one word token given the kind and text of the token before it and
    whether a noun phrase is open (after a determiner, preposition, number or verb)."""
    if lower in ("'s", "\u2019s"):
        return ("x", "be") if prev_lower in PRONOUNS else ("t", None)  # "it's" | "Friday's"
    if lower in ("and", "or"):
        return "c", None
    if lower in lex.words("subordinators"):
        return "s", None
    if lower in lex.words("auxiliaries"):
        return "x", lex.reading(lower).verb
    if lower in lex.words("prepositions"):
        return "r", None
    if lower in lex.words("determiners"):
        return "t", None
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
    """Tokenise ``text[start:end]`` and give each token a kind and lemma."""
    starts, ends, words, kinds, lemmas = [], [], [], [], []
    prev, prev_lower = "p", ""
    in_np = False
    for m in TOKEN_RE.finditer(text, start, end):
        word = m.group()
        lower = word.lower()
        if word in BOUNDARY_PUNCT:
            kind, lemma = "p", None
        elif not word[0].isalpha() and word[0] not in "'\u2019":
            kind, lemma = ("o", None) if word[0].isdigit() else ("q", None)
        else:
            kind, lemma = _kind(lex, word, lower, prev, prev_lower, not starts, in_np)
        starts.append(m.start())
        ends.append(m.end())
        words.append(word)
        kinds.append(kind)
        lemmas.append(lemma)
        prev, prev_lower = kind, lower
        if kind in "trv" or word[0].isdigit():
            in_np = True
        elif kind in "xspqc":
            in_np = False
    for k in range(len(kinds) - 1):
        # "Upjohn shares rose": an -s form right before a past verb is the subject noun
        if kinds[k] == "v" and kinds[k + 1] == "v" and words[k][-1:] == "s":
            if words[k + 1].lower().endswith("ed") or lemmas[k + 1] != lemmas[k]:
                kinds[k], lemmas[k] = "o", None
    return Parsed(tuple(starts), tuple(ends), tuple(words), "".join(kinds), tuple(lemmas))


def date_tokens(p: Parsed, start: int, end: int) -> tuple[int, int]:
    """(first, last+1) token indices of the date span; (i, i) when it covers no token."""
    i = 0
    n = len(p.starts)
    while i < n and p.ends[i] <= start:
        i += 1
    j = i
    while j < n and p.starts[j] < end:
        j += 1
    return i, j


def _np_head(p: Parsed, j: int) -> int | None:
    """The head of a noun phrase that goes on at token j: the first event noun or verb-like
    word within three tokens, stopping at clause punctuation, prepositions and openers."""
    for k in range(j, min(j + 3, len(p.kinds))):
        kind = p.kinds[k]
        if kind in "nv":
            return k
        if kind in "prsxq":
            return None
    return None


def _fronted_phrase_verb(kinds: str, i: int, j: int) -> int:
    """In "In composite trading Friday, Aetna closed at $60" the date ends a fronted
    prepositional phrase: the index of the first verb after the comma that closes it, else -1.
    The phrase must start the sentence (or follow clause punctuation) with a preposition and
    hold no verb."""
    c = i - 1
    while c >= 0 and kinds[c] not in "psvx":
        c -= 1
    if (c >= 0 and kinds[c] != "p") or kinds[c + 1] != "r":
        return -1
    comma = kinds.find("p", j)
    if comma < 0 or any(kind in "vx" for kind in kinds[j:comma]):
        return -1
    for k in range(comma + 1, len(kinds)):
        if kinds[k] == "v":
            return k
        if kinds[k] in "ps":
            return -1
    return -1


def features(p: Parsed, i: int, j: int, lex: EventLexicon) -> list[tuple[int, dict]]:
    """(token index, features) of every candidate predicate for the date tokens [i, j)."""
    kinds = p.kinds
    poss = npdet = premod = nprep = nbare = -1
    if j < len(kinds) and p.words[j].lower() in ("'s", "\u2019s"):
        poss = _np_head(p, j + 1) or -1  # "Tuesday's vote"
    if j < len(kinds) and kinds[j] in "nov" and p.words[j][:1].islower():
        if i > 0 and kinds[i - 1] == "t":
            npdet = _np_head(p, j) or -1  # "the Oct. 23 shooting"
        elif i == 0 or kinds[i - 1] not in "rv":
            premod = _np_head(p, j) or -1  # "third-quarter results", "recent declines"
    if i > 1 and kinds[i - 1] == "r" and kinds[i - 2] == "n":
        nprep = i - 2  # "a drone strike on July 7"
    if i > 0 and kinds[i - 1] == "n":
        nbare = i - 1  # "a news conference Friday"
    # A fronted date ("On Tuesday, police arrested ..."): only prepositions or determiners
    # between the clause start and the date.
    c = i - 1
    while c >= 0 and kinds[c] in "rt":
        c -= 1
    fronted = c < 0 or kinds[c] in "ps"
    lead = _fronted_phrase_verb(kinds, i, j)
    when = -1  # "in 1979 when the Soviet Union invaded": the when-clause tells what happened
    w = j + (j < len(kinds) and kinds[j] == "p")
    if w < len(kinds) and p.words[w].lower() == "when":
        when = kinds.find("v", w + 1)
    report = lex.words("reporting")
    light = lex.words("light_verbs")
    pp = i > 0 and kinds[i - 1] == "r"  # the date is a preposition's object
    out = []
    for k, kind in enumerate(kinds):
        if kind not in "nvx" or i <= k < j:
            continue
        lemma = p.lemmas[k]
        if kind == "x":  # an auxiliary is a candidate only as a main verb ("was in Paris")
            nxt = kinds[k + 1 : k + 3]
            if lemma is None or lemma not in light or "v" in nxt or "x" in nxt:
                continue
        lo, hi = (k + 1, i) if k < i else (j, k)
        between = kinds[lo:hi]
        bound = sum(1 for c in between if c in "ps")
        conj = sum(1 for c in between if c == "c")
        # a subject pronoun between opens a new clause ("said Sunday it carried out")
        subject = any(p.words[x].lower() in PRONOUNS for x in range(lo, hi))
        dist = sum(1 for c in between if c not in "pq")
        noun = kind == "n"
        out.append(
            (
                k,
                {
                    "dist": float(dist),
                    "d0": float(dist == 0),
                    "d1": float(dist == 1),
                    "d2": float(2 <= dist <= 3),
                    "d4": float(4 <= dist <= 7),
                    "nbetween": float(between.count("n")),
                    "pp_noun": float(pp and noun),
                    "pp_verb": float(pp and not noun),
                    "right_noun": float(noun and k >= j),
                    "ed": float(kind == "v" and p.words[k].lower().endswith("ed")),
                    "bound": float(bound),
                    "conj": float(conj),
                    "vbetween": float(between.count("v")),
                    "right": float(k >= j),
                    "noun": float(kind == "n"),
                    "weak": 1.0 - lex.event_nouns.get(lemma, 0.0) if kind == "n" else 0.0,
                    "report": float(lemma in report),
                    "light": float(kind == "x" or lemma in light),
                    "poss": float(k == poss),
                    "npdet": float(k == npdet),
                    "premod": float(k == premod),
                    "nprep": float(k == nprep),
                    "nbare": float(k == nbare),
                    "adj": float(all(c in "rt" for c in between)),
                    "front": float(fronted and k >= j),
                    "lead": float(k == lead),
                    "when": float(k == when),
                    "subject": float(subject),
                    "inf": float(k > 0 and p.words[k - 1].lower() == "to"),
                    "ing": float(kind == "v" and p.words[k].lower().endswith("ing")),
                },
            )
        )
    return out


def choose(cands: list[tuple[int, dict]], weights: dict[str, float]) -> int | None:
    """Index of the cheapest candidate; a reporting verb loses to another verb of the date's own
    clause (no clause punctuation, opener or subject pronoun between)."""
    best, best_cost = None, 0.0
    for k, f in cands:
        cost = sum(weights[name] * f[name] for name in weights if name in f)
        if best is None or cost < best_cost:
            best, best_cost, best_f = k, cost, f
    if best is not None and best_f["report"] and weights.get("report_rule", 1.0) > 0:
        same_clause = [
            (f["dist"], k)
            for k, f in cands
            if not (f["report"] or f["bound"] or f["light"] or f["subject"] or f["noun"])
        ]
        if same_clause:
            best = min(same_clause)[1]
    return best


def to_trigger(text: str, p: Parsed, k: int, lex: EventLexicon) -> Trigger:
    """The trigger at token k, with a following particle when WordNet lists the phrasal verb
    ("took out" = "take out")."""
    lemma = p.lemmas[k] or p.words[k].lower()
    end = p.ends[k]
    if p.kinds[k] in "vx" and k + 1 < len(p.words):
        particle = p.words[k + 1].lower()
        phrasal = f"{lemma} {particle}"
        if particle in lex.words("particles") and phrasal in lex.verbs:
            lemma, end = phrasal, p.ends[k + 1]
    pos = "noun" if p.kinds[k] == "n" else "verb"
    head = lemma.split(" ")[0]
    listed = lemma if lemma in lex.class_of else head if head in lex.class_of else lemma
    start = p.starts[k]
    return Trigger(start, end, text[start:end], lemma, pos, lex.event_class(listed))
