"""Trigger of a dated mention: the predicate its date phrase attaches to.

A sentence is tokenised once (transforms/events/tokens.py). Every verb and event noun within
WINDOW tokens of the date is a candidate; :func:`choose` scores them with a
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

import bisect
from collections.abc import Callable
from itertools import compress
from operator import itemgetter, mul
from pathlib import Path
from typing import NamedTuple

import yaml

from transforms.events.lexicon import RULES_DIR, EventLexicon
from transforms.events.tokens import Parsed


class Trigger(NamedTuple):
    """The chosen trigger: offsets into the document text, its text, lemma (a phrasal verb
    as "take out"), part of speech (verb | noun) and event class."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str  # verb | noun
    event_class: str


# The features of a candidate, in the order of its feature tuple (see :func:`features`).
FEATURES = (
    "dist", "bound", "conj", "vbetween", "right", "noun", "weak", "report", "light", "poss",
    "npdet", "premod", "nprep", "nbare", "adj", "front", "lead", "when", "inf", "ing",
    "subject", "marginal", "copula", "rconj", "rbound", "lopener", "comp", "ropener",
)  # fmt: skip
F = {name: n for n, name in enumerate(FEATURES)}
# Candidates farther than this many tokens from the date are not considered (speed; a date
# anchors a predicate of its own clause, which is almost always closer).
WINDOW = 20


def load_weights(path: Path = RULES_DIR / "event_weights.yaml") -> dict[str, float]:
    """The trigger cost weights (see module docstring), keyed by feature name; ``report_rule``
    (1 = on) switches the reporting-verb rule, ``report_adjacent`` is its exemption distance (see
    :func:`choose`)."""
    return {k: float(v) for k, v in yaml.safe_load(path.read_text("utf-8"))["weights"].items()}


# The features that are always a bool (True/False); every other one is a count or a share.
NOT_BOOL = frozenset(("dist", "bound", "conj", "vbetween", "weak"))
# "comp" (left of the date, a complementiser such as "that" between) and "ropener" (right of
# the date, a clause opener between) carry no weight: the report rule of :func:`choose` reads
# them ("informed that one year ago, on October 27, 2019, it had launched": launched).


def _getter(indices: list[int]):
    """A function of a feature tuple -> the tuple of its items at ``indices``."""
    if not indices:
        return lambda f: ()
    if len(indices) == 1:
        index = indices[0]
        return lambda f: (f[index],)
    return itemgetter(*indices)


def weight_vector(weights: dict[str, float]) -> tuple:
    """The non-zero weights for :func:`choose`, in the order of ``weights``: (getter of the
    features up to the last one that is not a bool, their weights, getter of the bool features
    after it, their weights).  A candidate's cost is the sum of weight * feature in that order;
    a True bool adds its weight and a False one adds zero, so :func:`choose` adds the weights of
    the True ones only (:func:`itertools.compress`): the same floating-point sum, added left to
    right in the same order (Python 3.11's ``sum``), without a multiplication per bool."""
    head, tail = weight_orders(weights)
    return (
        _getter([x for x, _ in head]),
        tuple(w for _, w in head),
        _getter([x for x, _ in tail]),
        tuple(w for _, w in tail),
    )


def weight_orders(weights: dict[str, float]) -> tuple[list, list]:
    """The non-zero weights as (head, tail) lists of (feature index, weight), in the order of
    ``weights``: head up to the last feature that is not a bool (summed as weight * feature),
    tail the bool features after it (a true one adds its weight); see :func:`weight_vector`."""
    pairs = [(F[name], w) for name, w in weights.items() if name in F and w]
    split = max((n + 1 for n, (x, _) in enumerate(pairs) if FEATURES[x] in NOT_BOOL), default=0)
    return pairs[:split], pairs[split:]


def native_picker(lex: EventLexicon, weights: dict[str, float], module) -> Callable | None:
    """``pick(parsed, i, j)`` -> the trigger's token index or None, the same as
    ``choose(features(parsed, i, j, lex), *picker(weights))``, from the compiled accelerator
    ``module`` (``transforms.native.load("events")``); None when ``module`` is None."""
    if module is None:
        return None
    head, tail = weight_orders(weights)
    return module.Picker(
        lex.words("reporting"),
        lex.words("light_verbs"),
        lex.words("marginal_prepositions"),
        lex.event_nouns,
        lex.words("complementisers"),
        head,
        tail,
        weights.get("report_rule", 1.0) > 0,
        weights.get("report_adjacent", -1.0),
        WINDOW,
    ).pick


def picker(weights: dict[str, float]) -> tuple:
    """The arguments after ``cands`` of :func:`choose` for these weights: (weight vector,
    report rule on, report-rule exemption distance in tokens; -1 = none)."""
    return (
        weight_vector(weights),
        weights.get("report_rule", 1.0) > 0,
        weights.get("report_adjacent", -1.0),
    )


def _np_head(p: Parsed, j: int, event_nouns: dict[str, float]) -> int | None:
    """The head of a noun phrase that goes on at token j: the first event noun or verb-like
    word within three tokens, stopping at clause punctuation, prepositions and openers.  Of a
    run of event nouns, the most event-like one (share of event senses, ``event_nouns``), the
    last of equals: English compounds are right-headed ("a late October rice harvest" ->
    harvest) unless a modifier is the event ("the Oct. 23 shooting case" -> shooting)."""
    kinds = p.kinds
    n = len(kinds)
    for k in range(j, min(j + 3, n)):
        kind = kinds[k]
        if kind == "n":
            best = event_nouns.get(p.lemmas[k], 0.0)
            m = k + 1
            while m < n and kinds[m] == "n":
                share = event_nouns.get(p.lemmas[m], 0.0)
                if share >= best:
                    k, best = m, share
                m += 1
            return k
        if kind == "v":
            return k
        if kind in "prsxq":
            return None
    return None


def _fronted_phrase_verb(kinds: str, lowers: tuple[str, ...], i: int, j: int) -> int:
    """In "In composite trading Friday, Aetna closed at $60" the date ends a fronted
    phrase: the index of the first verb after the comma that closes it, else -1.  The phrase
    must start the sentence (or follow clause punctuation or a clause opener: "that one year
    ago, it had launched") with a preposition or with the date itself ("Last week, ..."), and
    hold no verb ("to" as a preposition is no verb: "In a letter to the president in May,").
    Further verbless phrases set off by commas are skipped ("one year ago, on October 27,
    2019, it had launched")."""
    c = i - 1
    while c >= 0 and (kinds[c] not in "psvx" or (kinds[c] == "x" and lowers[c] == "to")):
        c -= 1
    if (c >= 0 and kinds[c] not in "ps") or (kinds[c + 1] != "r" and c + 1 != i):
        return -1
    comma = kinds.find("p", j)
    if comma < 0:
        return -1
    for k in range(j, comma):
        if kinds[k] == "v" or (kinds[k] == "x" and lowers[k] != "to"):
            return -1
    for k in range(comma + 1, len(kinds)):
        if kinds[k] == "v":
            return k
        if kinds[k] == "s" or (kinds[k] == "p" and lowers[k] != ","):
            return -1
    return -1


def features(p: Parsed, i: int, j: int, lex: EventLexicon) -> list[tuple[int, tuple]]:
    """(token index, feature tuple in FEATURES order) of every candidate predicate within
    WINDOW tokens of the date tokens [i, j)."""
    kinds, lowers = p.kinds, p.lowers
    n = len(kinds)
    poss = npdet = premod = nprep = nbare = -1
    if j < n and lowers[j] in ("'s", "\u2019s"):
        poss = _np_head(p, j + 1, lex.event_nouns) or -1  # "Tuesday's vote"
    if j < n and kinds[j] in "nov" and p.words[j][:1].islower():
        if i > 0 and kinds[i - 1] == "t":
            npdet = _np_head(p, j, lex.event_nouns) or -1  # "the Oct. 23 shooting"
        elif i == 0 or kinds[i - 1] not in "rv":
            # "third-quarter results", "recent declines"
            premod = _np_head(p, j, lex.event_nouns) or -1
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
    lead = _fronted_phrase_verb(kinds, lowers, i, j)
    when = -1  # "in 1979 when the Soviet Union invaded": the when-clause tells what happened
    w = j + (j < n and kinds[j] == "p")
    if w < n and lowers[w] == "when":
        when = kinds.find("v", w + 1)
    # the last complementiser ("that", "whether") left of the date: a candidate before it
    # stands outside the date's clause ("informed that one year ago, ... it had launched")
    comps = lex.words("complementisers")
    comp_at = -1
    for c in range(i - 1, max(-1, i - WINDOW - 1), -1):
        if kinds[c] == "s" and lowers[c] in comps:
            comp_at = c
            break
    report = lex.words("reporting")
    light = lex.words("light_verbs")
    marginal = lex.words("marginal_prepositions")
    event_nouns = lex.event_nouns
    lemmas = p.lemmas
    out = []
    append = out.append
    preds = p.predicates
    lo_k = bisect.bisect_left(preds, i - WINDOW)
    hi_k = bisect.bisect_left(preds, j + WINDOW, lo_k)
    for k in preds[lo_k:hi_k]:
        if i <= k < j:
            continue
        kind = kinds[k]
        lemma = lemmas[k]
        if kind == "x":  # an auxiliary is a candidate only as a main verb ("was in Paris")
            nxt = kinds[k + 1 : k + 3]
            if lemma is None or lemma not in light or "v" in nxt or "x" in nxt:
                continue
        seg = kinds[k + 1 : i] if k < i else kinds[j:k]  # the tokens between
        noun = kind == "n"
        n_punct, n_opener = seg.count("p"), seg.count("s")
        n_bound = n_punct + n_opener
        n_conj = seg.count("c")
        right = k >= j
        append(
            (
                k,
                (
                    len(seg) - n_punct - seg.count("q"),
                    n_bound,
                    n_conj,
                    seg.count("v"),
                    right,
                    noun,
                    1.0 - event_nouns.get(lemma, 0.0) if noun else 0.0,
                    lemma in report,
                    kind == "x" or lemma in light,
                    k == poss,
                    k == npdet,
                    k == premod,
                    k == nprep,
                    k == nbare,
                    not seg.strip("rt"),  # only prepositions and determiners between
                    fronted and right,
                    k == lead,
                    k == when,
                    k > 0 and lowers[k - 1] == "to",
                    kind == "v" and lowers[k].endswith("ing"),
                    "i" in seg,  # "said Sunday it carried out": new clause
                    # "compared with", "including": a participle used as a preposition
                    lowers[k] in marginal and not (k > 0 and kinds[k - 1] == "x"),
                    lemma == "be",  # "Aqaba is Iraq's only outlet now": a state, rarely linked
                    right and n_conj > 0,  # "on Thursday and called on": a coordinated predicate
                    right and n_bound > 0,  # right of the date, past a clause boundary
                    not right and n_opener > 0,  # "who lived in London until 1989"
                    k < comp_at,  # "informed that one year ago": not the date's clause
                    right and n_opener > 0,  # right of the date, past a clause opener
                ),
            )
        )
    return out


_DIST, _BOUND, _NOUN, _REPORT, _LIGHT, _SUBJECT, _RIGHT, _COMP, _ROPENER = (
    F["dist"], F["bound"], F["noun"], F["report"], F["light"], F["subject"], F["right"],
    F["comp"], F["ropener"],
)  # fmt: skip


def choose(
    cands: list[tuple[int, tuple]], vector: tuple, report_rule: bool, report_adjacent: float = -1
) -> int | None:
    """Token index of the cheapest candidate (cost = sum of weight * feature over ``vector``,
    see :func:`weight_vector`; the first of equal costs); with ``report_rule``, a reporting verb
    loses to another verb of the date's own clause (no clause punctuation, opener or subject
    pronoun between), unless at most ``report_adjacent`` tokens and no clause boundary stand
    between the reporting verb and the date ("said on Monday", "said Monday": the date anchors
    the saying).  When no verb stands in that clause and a complementiser ("that") stands
    between the reporting verb and the date, the date is in the reported clause: the nearest
    verb right of the date before any clause opener wins, past commas and a subject ("informed
    that one year ago, on October 27, 2019, it had launched an operation": launched)."""
    best, best_cost, best_f = None, 0.0, None
    head, head_values, flags, flag_values = vector
    for k, f in cands:
        cost = sum(compress(flag_values, flags(f)), sum(map(mul, head(f), head_values)))
        if best is None or cost < best_cost:
            best, best_cost, best_f = k, cost, f
    if (
        best is not None
        and report_rule
        and best_f[_REPORT]
        and not (best_f[_DIST] <= report_adjacent and not best_f[_BOUND])
    ):
        same_clause = [
            (f[_DIST], k)
            for k, f in cands
            if not (f[_REPORT] or f[_BOUND] or f[_LIGHT] or f[_SUBJECT] or f[_NOUN])
        ]
        if same_clause:
            best = min(same_clause)[1]
        elif best_f[_COMP]:
            reported = [
                (f[_DIST], k)
                for k, f in cands
                if f[_RIGHT] and not (f[_REPORT] or f[_LIGHT] or f[_NOUN] or f[_ROPENER])
            ]
            if reported:
                best = min(reported)[1]
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
