"""Anchoring accuracy of the trigger picker on TimeBank + AQUAINT, with 5-fold CV of its weights.

Items: every DATE TIMEX3 with an inclusion-type TLINK to an EVENT that lies in the same
sentence, sentences as split by the job's own splitter (transforms.sentences) over the lines of
the converted text.  A trigger is right when it overlaps one of the linked EVENTs.

The weights of the cost (transforms/events/rules/event_weights.yaml) are the only thing chosen on
this data: :func:`tune` does coordinate descent over a fixed grid per weight on the training folds;
:func:`cross_validate` scores each held-out fold with the weights tuned on the other four.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from eval.timeml_events import EventDoc
from transforms.events import trigger as et
from transforms.events.lexicon import EventLexicon
from transforms.events.tokens import Parsed, analyse, date_tokens
from transforms.text.sentences import SentenceIndex, sentence_spans

FOLDS = 5
SEED = 17
# The grid each weight is searched over (coordinate descent, PASSES passes).
GRID = {
    "dist": [0, 0.1, 0.25, 0.5, 1, 1.5, 2],
    "conj": [0, 1, 2, 4, 8],
    "vbetween": [0, 0.5, 1, 2, 4, 8, 12, 16],
    "bound": [0, 1, 2, 3, 4, 6, 8, 12, 16],
    "right": [-1, 0, 0.5, 1, 1.5, 2, 3, 4],
    "noun": [-2, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3, 4, 6],
    "weak": [0, 0.5, 1, 2, 3, 5, 8],
    "front": [0, -1, -2, -3, -5],
    "lead": [0, -1, -2, -3, -5, -8, -12],
    "when": [0, -1, -2, -3, -5, -8, -12],
    "inf": [0, 1, 2, 3, 5],
    "ing": [0, 1, 2, 3, 5],
    "report": [0, 1, 2, 3, 5, 8, 12],
    "light": [0, 1, 2, 3, 5, 8],
    "poss": [0, -1, -2, -3, -5, -8, -12],
    "npdet": [0, -1, -2, -3, -5, -8, -12],
    "premod": [0, -1, -2, -3, -5, -8, -12],
    "nprep": [0, -1, -2, -3, -5, -8, -12],
    "nbare": [0, -1, -2, -3, -5, -8, -12],
    "adj": [0, -0.5, -1, -2, -3, -5],
    "subject": [0, 1, 2, 4, 8],
    "marginal": [0, 1, 2, 3, 5, 8, 12],
    "copula": [0, 1, 2, 3, 5],
    "rconj": [-3, -2, -1, 0, 1, 2, 3, 5, 8],
    "rbound": [-3, -2, -1, 0, 1, 2, 3, 5, 8],
    "lopener": [-3, -2, -1, 0, 1, 2, 3, 5, 8],
    "report_rule": [1],  # the rule: fixed, not tuned
    "report_adjacent": [-1, 0, 1, 2],
}
PASSES = 3


@dataclass
class Item:
    doc: int  # index of the document (folds are over documents)
    doc_id: str
    text: str
    sentence: tuple[int, int]
    date: tuple[int, int]
    gold: list[tuple[int, int, str]]  # linked events: start, end, tense
    parsed: Parsed
    cands: list[tuple[int, dict]]
    right: list[bool]  # per candidate: overlaps a gold event


def _overlaps(a0: int, a1: int, spans) -> bool:
    return any(min(a1, b1) > max(a0, b0) for b0, b1, *_ in spans)


def build_items(docs: Sequence[EventDoc], lex: EventLexicon) -> list[Item]:
    """The anchoring items of the corpus (see module docstring), with their candidates."""
    items = []
    for d_index, ed in enumerate(docs):
        text = ed.doc.text
        lines, pos = [], 0
        for line in text.split("\n"):
            lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        index = SentenceIndex(sentence_spans(text, lines))
        cache: dict[tuple[int, int], Parsed] = {}
        for tid, timex in sorted(ed.timexes.items(), key=lambda kv: kv[1].start):
            if timex.timex_type != "DATE" or tid not in ed.links:
                continue
            sentence = index.find(timex.start)
            if sentence is None:
                continue
            gold = [
                (ev.start, ev.end, ev.tense)
                for eid in sorted(ed.links[tid])
                if (ev := ed.events.get(eid)) and sentence[0] <= ev.start < sentence[1]
            ]
            if not gold:
                continue
            parsed = cache.get(sentence)
            if parsed is None:
                parsed = cache[sentence] = analyse(lex, text, *sentence)
            i, j = date_tokens(parsed, timex.start, timex.end)
            cands = et.features(parsed, i, j, lex)
            right = [
                _overlaps(parsed.starts[k], _trigger_end(parsed, k, lex), gold) for k, _ in cands
            ]
            items.append(
                Item(d_index, ed.doc.doc_id, text, sentence, (timex.start, timex.end), gold,
                     parsed, cands, right)
            )  # fmt: skip
    return items


def _trigger_end(parsed: Parsed, k: int, lex: EventLexicon) -> int:
    return et.to_trigger("", parsed, k, lex).end if parsed.kinds[k] in "vx" else parsed.ends[k]


def picker(weights: dict[str, float]) -> tuple:
    """The picker arguments for :func:`transforms.events.trigger.choose`."""
    return et.picker(weights)


def correct(item: Item, weights: dict[str, float] | tuple) -> bool:
    """Whether the picker with these weights chooses a gold-linked event for the item."""
    k = et.choose(item.cands, *(picker(weights) if isinstance(weights, dict) else weights))
    if k is None:
        return False
    return item.right[[c[0] for c in item.cands].index(k)]


def nearest_verb(item: Item) -> bool:
    """Baseline: the verb-like token nearest to the date (either side, left on ties)."""
    i, j = date_tokens(item.parsed, *item.date)
    best = None
    for idx, (k, _) in enumerate(item.cands):
        if item.parsed.kinds[k] != "v":
            continue
        dist = i - k if k < i else k - j + 1
        if best is None or dist < best[0]:
            best = (dist, idx)
    return best is not None and item.right[best[1]]


def accuracy(items: Sequence[Item], weights: dict[str, float]) -> float:
    """Share of items whose chosen trigger overlaps a gold-linked EVENT."""
    compiled = picker(weights)
    return sum(correct(it, compiled) for it in items) / len(items) if items else 0.0


def tune(items: Sequence[Item], start: dict[str, float]) -> dict[str, float]:
    """Coordinate descent over GRID from ``start``; ties keep the current value."""
    weights = dict(start)
    best = accuracy(items, weights)
    for _ in range(PASSES):
        changed = False
        for name, values in GRID.items():
            for value in values:
                trial = {**weights, name: value}
                score = accuracy(items, trial)
                if score > best:
                    best, weights, changed = score, trial, True
        if not changed:
            break
    return weights


def folds_of(items: Sequence[Item]) -> list[int]:
    """Fold number per item: documents shuffled with a fixed seed, dealt round-robin."""
    docs = sorted({it.doc for it in items})
    random.Random(SEED).shuffle(docs)
    fold_of_doc = {d: n % FOLDS for n, d in enumerate(docs)}
    return [fold_of_doc[it.doc] for it in items]


def cross_validate(items: Sequence[Item], start: dict[str, float]) -> tuple[float, list[dict]]:
    """Held-out accuracy over FOLDS document folds, and the weights tuned for each fold."""
    folds = folds_of(items)
    hits, tuned = 0, []
    for f in range(FOLDS):
        train = [it for it, g in zip(items, folds, strict=True) if g != f]
        test = [it for it, g in zip(items, folds, strict=True) if g == f]
        weights = tune(train, start)
        tuned.append(weights)
        compiled = picker(weights)
        hits += sum(correct(it, compiled) for it in test)
    return hits / len(items), tuned
