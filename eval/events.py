"""Score the event stage: ``python -m eval.events`` (``make eval-events``).

1. **Anchoring** on TimeBank + AQUAINT (see eval/events_anchor.py): accuracy of the trigger
   picker with the shipped weights (in-sample: they were chosen on this data), 5-fold
   cross-validated over documents (weights re-tuned on four folds, scored on the fifth), and a
   nearest-verb baseline from the same run; 30 random misses printed for a reader.
2. **Tense** of the event row (transforms/events/tense.py: the trigger's verb group, else the
   date stage's clause tense ``DateMention.tense``) against TimeBank's gold ``MAKEINSTANCE
   tense`` of the anchored EVENT (PAST / PRESENT / FUTURE only); the date stage's clause tense
   alone is printed beside it.
3. **date_role** against the hand labels in eval/data/date_role_labels.jsonl (rows of the job's
   output on the shared boilerplate pages, labelled by a developer; see that file's README).
4. **Actors**: 30 random event rows of the boilerplate pages with their actors, for a reader.

``--tune`` prints the weights tuned on all the data (what rules/event_weights.yaml holds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from eval import events_anchor as ea
from eval import events_role, events_xdoc
from eval.timeml_events import load_event_corpus
from transforms.events.extract import TENSES
from transforms.events.lexicon import EventLexicon
from transforms.events.tense import row_tense
from transforms.events.trigger import choose, load_weights, picker, to_trigger

REPO = Path(__file__).resolve().parent.parent
TIMEBANK_CANDIDATES = (REPO.parent / "shared/data/timebank", Path("/work/shared/data/timebank"))
N_MISSES = 30
N_ACTOR_ROWS = 30


def find(candidates: Sequence[Path], given: Path | None, what: str) -> Path:
    for path in [given] if given else list(candidates):
        if path and path.is_dir():
            return path
    sys.exit(f"{what} not found (tried {', '.join(str(p) for p in candidates)})")


def anchoring(docs, lex: EventLexicon, tune_all: bool) -> list:
    """Print anchoring figures; return the items (for the tense check)."""
    items = ea.build_items(docs, lex)
    weights = load_weights()
    print(f"## Anchoring (TimeBank + AQUAINT, {len(docs)} documents)")
    print(
        f"denominator: {len(items)} DATE TIMEX3 with an inclusion TLINK to an EVENT in the "
        "same sentence (job's sentence splitter)"
    )
    base = sum(map(ea.nearest_verb, items)) / len(items)
    print(f"nearest-verb baseline:           {base:.3f}")
    print(f"trigger picker, shipped weights:  {ea.accuracy(items, weights):.3f} (in-sample)")
    cv, tuned = ea.cross_validate(items, weights)
    print(f"trigger picker, 5-fold CV:        {cv:.3f} (weights re-tuned on each 4 folds)")
    oracle = sum(any(it.right) for it in items) / len(items)
    print(f"ceiling (a right candidate exists): {oracle:.3f}")
    if tune_all:
        print("weights tuned on all items:", ea.tune(items, weights))
    rng = random.Random(ea.SEED)
    misses = [it for it in items if not ea.correct(it, weights)]
    print(f"\n### {N_MISSES} random misses of {len(misses)} (DATE in [[ ]], chosen in << >>)")
    for it in rng.sample(misses, min(N_MISSES, len(misses))):
        k = choose(it.cands, *picker(weights))
        marks = [(it.date[0], "[["), (it.date[1], "]]")]
        if k is not None:
            t = to_trigger(it.text, it.parsed, k, lex)
            marks += [(t.start, "<<"), (t.end, ">>")]
        s0, s1 = it.sentence
        out, pos = [], s0
        for off, mark in sorted(marks):
            out += [it.text[pos:off], mark]
            pos = off
        out.append(it.text[pos:s1])
        gold = ", ".join(it.text[a:b] for a, b, _ in it.gold)
        print(f"- {it.doc_id}: {''.join(out)[:400]}\n  gold: {gold}")
    return items


def tense(items, docs, lex) -> None:
    """Date-stage tense of each anchoring item's date vs the gold tense of its EVENT."""
    from transforms.temporal.tagger import DateTagger

    tagger = DateTagger()
    by_doc: dict[str, dict] = {}
    table: Counter = Counter()
    clause_table: Counter = Counter()  # the date stage's clause tense alone
    weights = picker(load_weights())
    for ed in docs:
        dct = ed.doc.dct
        anchor = dt.date.fromisoformat(dct) if dct else None
        mentions, _ = tagger.tag(ed.doc.text, anchor)
        by_doc[ed.doc.doc_id] = {(m.start, m.end): m.tense for m in mentions}
    for it in items:
        gold = {t for _, _, t in it.gold}
        gold_tense = next((t for t in ("PAST", "PRESENT", "FUTURE") if t in gold), None)
        if gold_tense is None:
            continue
        found = by_doc.get(it.doc_id, {})
        clause = next(
            (t for (a, b), t in found.items() if a < it.date[1] and b > it.date[0]), "no_date"
        )
        clause_table[(gold_tense.lower(), clause)] += 1
        if clause != "no_date":  # the event row's tense (transforms/events/tense.py)
            k = choose(it.cands, *weights)
            ours = row_tense(lex, it.parsed, k, clause if clause in TENSES else None) or "none"
        else:
            ours = clause
        table[(gold_tense.lower(), ours)] += 1
    n = sum(table.values())
    right = sum(v for (g, o), v in table.items() if g == o)
    clause_right = sum(v for (g, o), v in clause_table.items() if g == o)
    print(f"\n## Tense (event row) vs TimeBank MAKEINSTANCE tense of the anchored EVENT: n={n}")
    print(f"accuracy: {right / n:.3f}")
    print(f"date stage's clause tense alone: {clause_right / n:.3f}")
    print("| gold \\ event row | " + " | ".join(("past", "present", "future", "none", "no_date")))
    print("|---" * 6 + "|")
    for g in ("past", "present", "future"):
        cells = [str(table[(g, o)]) for o in ("past", "present", "future", "none", "no_date")]
        print(f"| {g} | " + " | ".join(cells) + " |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.events", description=__doc__)
    parser.add_argument("--timebank", type=Path, default=None)
    parser.add_argument("--boilerplate", type=Path, default=None)
    parser.add_argument("--tune", action="store_true", help="print weights tuned on all data")
    args = parser.parse_args(argv)
    lex = EventLexicon()
    docs = load_event_corpus(find(TIMEBANK_CANDIDATES, args.timebank, "TimeBank"))
    items = anchoring(docs, lex, args.tune)
    tense(items, docs, lex)
    events_role.report(find(events_role.BOILERPLATE_CANDIDATES, args.boilerplate, "pages"))
    events_xdoc.main(["--timebank", str(find(TIMEBANK_CANDIDATES, args.timebank, "TimeBank"))])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
