"""date_role against hand labels, and actors for a reader, on the shared boilerplate pages.

The job's own stage functions run in-process on the 93 pages (read, split, dates, events).
``python -m eval.events_role --sample`` writes the rows to label (a fixed random sample of
SAMPLE_SIZE event rows: page, offsets, date, sentence; no prediction shown, so that the labels
are made blind) to eval/data/date_role_sample.jsonl; a developer copies it to
eval/data/date_role_labels.jsonl and adds ``"label": "event" | "other"`` (and a free-text
``note``) to each row.  :func:`report` scores the job's ``date_role`` against those labels.

The role rules (transforms/events/role.py) were written with that first sample in view, so its
figure is in-sample. ``--sample --heldout`` draws a second sample with another seed, leaving out
the rows of the first, to eval/data/date_role_sample_heldout.jsonl; labelled the same way (blind,
after the rules were fixed) it is eval/data/date_role_labels_heldout.jsonl, scored as held-out.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BOILERPLATE_CANDIDATES = (
    REPO.parent / "shared/data/boilerplate",
    Path("/work/shared/data/boilerplate"),
)
LABELS = REPO / "eval/data/date_role_labels.jsonl"
SAMPLE = REPO / "eval/data/date_role_sample.jsonl"
HELDOUT_LABELS = REPO / "eval/data/date_role_labels_heldout.jsonl"
HELDOUT_SAMPLE = REPO / "eval/data/date_role_sample_heldout.jsonl"
SAMPLE_SIZE = 100
SEED = 17
HELDOUT_SEED = 29
N_ACTOR_ROWS = 30


def job_rows(pages: Path) -> list[dict]:
    """Event rows of the job's stages over ``pages``/texts/*.txt, sorted by page and offset
    (the stage functions as the in-process bench profile runs them)."""
    from bench.stages import _dates, _read, _split
    from transforms.events import rows as events
    from transforms.events.extract import EventExtractor
    from transforms.temporal.tagger import DateTagger

    extractor = EventExtractor()
    paths = [str(p) for p in sorted((pages / "texts").glob("*.txt"))]
    tagged = _dates(DateTagger(), _split(_read(paths), {"repeated": None, "n_docs": 1}))
    rows: list[dict] = []
    for doc, split, anchor, published, _, mentions, *_ in tagged:
        found, _ = events.event_rows(doc, anchor, published, split.body_spans, mentions, extractor)
        for row in found:
            row["page"] = Path(doc.source).name
        rows += found
    return rows


def _key(row: dict) -> tuple:
    return (row["page"], row["char_start"], row["date_text"])


def load_labels(path: Path) -> list[dict]:
    """The labelled rows of one JSON Lines file (empty when it does not exist)."""
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]


def sample(rows: list[dict], seed: int = SEED, leave_out: frozenset = frozenset()) -> list[dict]:
    """SAMPLE_SIZE rows drawn with a fixed seed, as the labeller sees them, none of whose
    (page, char_start, date_text) keys is in ``leave_out``."""
    rows = [r for r in rows if _key(r) not in leave_out]
    picked = random.Random(seed).sample(rows, min(SAMPLE_SIZE, len(rows)))
    picked.sort(key=lambda r: (r["page"], r["char_start"]))
    return [
        {
            "page": r["page"],
            "char_start": r["char_start"],
            "char_end": r["char_end"],
            "date_text": r["date_text"],
            "sentence": r["sentence"],
        }
        for r in picked
    ]


def score_roles(rows: list[dict], labels: list[dict], heading: str = "hand labels") -> None:
    """Print accuracy and the confusion of date_role against the labels."""
    by_key = {_key(r): r for r in rows}
    table: Counter = Counter()
    reasons: Counter = Counter()
    missing = 0
    for lab in labels:
        row = by_key.get((lab["page"], lab["char_start"], lab["date_text"]))
        if row is None:
            missing += 1
            continue
        table[(lab["label"], row["date_role"])] += 1
        if row["date_role"] == "other":
            reasons[(row["role_reason"], lab["label"])] += 1
    n = sum(table.values())
    right = table[("event", "event")] + table[("other", "other")]
    print(f"\n## date_role vs {len(labels)} {heading} (boilerplate pages): n={n}")
    if missing:
        print(f"labelled rows the job no longer emits: {missing}")
    if not n:
        return
    tp, fp, fn = table[("other", "other")], table[("event", "other")], table[("other", "event")]
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    print(f"accuracy: {right / n:.3f}; `other` precision {prec:.3f}, recall {rec:.3f}")
    print(f"majority baseline (all `event`): {(table[('event', 'event')] + fp) / n:.3f}")
    print("| label \\ job | event | other |\n|---|---|---|")
    for lab in ("event", "other"):
        print(f"| {lab} | {table[(lab, 'event')]} | {table[(lab, 'other')]} |")
    print("role_reason of the job's `other` rows (reason: labelled other / labelled event):")
    for reason in sorted({r for r, _ in reasons}):
        print(f"- {reason}: {reasons[(reason, 'other')]} / {reasons[(reason, 'event')]}")


def print_actors(rows: list[dict]) -> None:
    """N_ACTOR_ROWS random rows with a trigger, their trigger, class and actors."""
    with_trigger = [r for r in rows if r["trigger"]]
    picked = random.Random(SEED + 1).sample(with_trigger, min(N_ACTOR_ROWS, len(with_trigger)))
    print(f"\n## Actors: {len(picked)} random rows (boilerplate pages), for a reader to judge")
    for r in picked:
        names = "; ".join(f"{a['text']} ({a['type']})" for a in r["actors"]) or "-"
        print(f"- [{r['date_text']}] {r['trigger']} ({r['event_class']}): {names}")
        print(f"  {r['sentence'][:300]}")


def report(pages: Path) -> None:
    """date_role figures and actor rows (see module docstring)."""
    rows = job_rows(pages)
    roles = Counter(r["role_reason"] or "event" for r in rows)
    print(f"\n## date_role on the boilerplate pages: {len(rows)} event rows")
    print(", ".join(f"{k}={v}" for k, v in roles.most_common()))
    score_roles(rows, load_labels(LABELS))
    heldout = load_labels(HELDOUT_LABELS)
    if heldout:
        score_roles(rows, heldout, "held-out hand labels (second sample, after the rules)")
    print_actors(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m eval.events_role", description=__doc__)
    parser.add_argument("--pages", type=Path, default=None)
    parser.add_argument("--sample", action="store_true", help="write the rows to label")
    parser.add_argument("--heldout", action="store_true", help="with --sample: the second one")
    args = parser.parse_args()
    folder = args.pages or next(p for p in BOILERPLATE_CANDIDATES if p.is_dir())
    if args.sample:
        out, seed, leave_out = SAMPLE, SEED, frozenset()
        if args.heldout:
            out, seed = HELDOUT_SAMPLE, HELDOUT_SEED
            leave_out = frozenset(_key(r) for r in load_labels(LABELS))
        out.parent.mkdir(parents=True, exist_ok=True)
        lines = [
            json.dumps(r, ensure_ascii=False) for r in sample(job_rows(folder), seed, leave_out)
        ]
        out.write_text("\n".join(lines) + "\n", "utf-8")
        print(f"wrote {out}")
    else:
        report(folder)
