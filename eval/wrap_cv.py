"""Cross-validate the hard-wrap detector on short texts: ``python -m eval.wrap_cv``.

`make eval-body` scores whole pages; a short wire story (a headline and two or three wrapped
paragraphs) gives the detector (transforms/boilerplate/blocks.py, `wrap_width`) much less
evidence, and a miss there loses the whole body. This module measures the detector on
windows of several lengths cut from the labelled pages and from TimeBank + AQUAINT:

- for every source text and every window length in WINDOW_LINES, the first lines of the text
  (and, for labelled pages, the lines from the first body line on), as it is: one paragraph per
  line, NOT wrapped; gold: no line joins;
- the same paragraphs hard-wrapped as wire copy (eval/wrap.py: width 60-75, indent 2-5, no blank
  lines) and as e-mail (same widths, no indent, a blank line between paragraphs), cut to the
  window length in physical lines; gold: the physical lines that come from one source line
  are one paragraph.

A pair of adjacent non-empty physical lines is a join when build_blocks puts them in one
block; join precision/recall/F1 are pooled over all windows (false joins on the unwrapped
windows count against precision). The detector's thresholds (GRID) are chosen on the other
folds and scored on the held-out one, folds grouped by site (labelled pages) or by news agency
(TimeBank file name prefix), K folds. The report prints the in-sample figure of every grid
value, the held-out-fold figure and the values chosen per fold.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eval.body import PREFIX, find_data, find_wire, prf
from eval.body_cv import site, thresholds
from eval.wrap import params, wrap_text

K = 5
WINDOW_LINES = (3, 5, 7, 10, 15, 30)  # physical lines per window: a brief to a long story
GRID: dict[str, tuple] = {
    "WRAP_MIN_BREAKS": (1, 2, 3, 4),
    "WRAP_BREAK_NEEDS_LOWER": (False, True),
}
_AGENCY = re.compile(r"^[A-Za-z]+")


@dataclass(frozen=True)
class Sample:
    """One window: its text, the gold join of every adjacent pair of lines, its group."""

    text: str
    gold: tuple[bool | None, ...]  # per physical line i>0: joins line i-1 (None: not a pair)
    group: str
    kind: str  # "plain", "wire" or "email"
    lines: int


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _plain(paras: Sequence[str], n: int, group: str) -> Sample:
    text = "\n".join(paras[:n])
    gold = tuple(False for _ in range(len(paras[:n]) - 1))
    return Sample(text, (None, *gold), group, "plain", len(paras[:n]))


def _wrapped(paras: Sequence[str], n: int, group: str, name: str, email: bool) -> Sample:
    width, indent = params(f"{name}:{n}:{'email' if email else 'wire'}")
    source = ("\n\n" if email else "\n").join(paras[:n])
    wrapped = wrap_text(source, width, 0 if email else indent)
    physical = wrapped.text.split("\n")[:n]
    src = wrapped.line_source[:n]
    gold: list[bool | None] = [None]
    for i in range(1, len(physical)):
        pair = bool(physical[i].strip()) and bool(physical[i - 1].strip())
        gold.append(src[i] == src[i - 1] if pair else None)
    return Sample("\n".join(physical), tuple(gold), group, "email" if email else "wire", n)


def windows(name: str, paras: Sequence[str], group: str) -> list[Sample]:
    """The unwrapped, wire and e-mail windows of one source text (module docstring)."""
    out = []
    for n in WINDOW_LINES:
        out.append(_plain(paras, n, group))
        out.append(_wrapped(paras, n, group, name, email=False))
        out.append(_wrapped(paras, n, group, name, email=True))
    return out


def load_samples(data: Path, wire: Path | None) -> list[Sample]:
    """Windows of the labelled pages (from the top and from the first body line) and of the
    TimeML news wire."""
    samples = []
    for row in (data / "labels.jsonl").read_text().splitlines():
        if not row.strip():
            continue
        page = json.loads(row)
        text = (data / "texts" / page["file"]).read_text(encoding="utf-8")
        text = text[m.end() :] if (m := PREFIX.match(text)) else text
        group = site(page["url"])
        samples += windows(page["file"], _paragraphs(text), group)
        body = page.get("body_line_indices") or []
        if body:
            tail = "\n".join(text.split("\n")[body[0] :])
            samples += windows(page["file"] + "#body", _paragraphs(tail), group)
    if wire is not None:
        from eval.timeml import load_corpus

        for doc in load_corpus(wire):
            group = "wire:" + (m.group() if (m := _AGENCY.match(doc.doc_id)) else doc.doc_id)
            samples += windows(doc.doc_id, _paragraphs(doc.text), group.lower())
    return samples


def predicted(text: str) -> list[bool]:
    """Per physical line: True when build_blocks puts it in the block of the line before."""
    from transforms.boilerplate.blocks import build_blocks

    starts = set()
    for block in build_blocks(text):
        starts.add(block.index)
    return [i not in starts for i in range(text.count("\n") + 1)]


def count(samples: Sequence[Sample]) -> tuple[int, int, int]:
    """(tp, fp, fn) of the joins over these windows."""
    tp = fp = fn = 0
    for sample in samples:
        pred = predicted(sample.text)
        for i, gold in enumerate(sample.gold):
            if gold is None:
                continue
            tp += gold and pred[i]
            fp += (not gold) and pred[i]
            fn += gold and not pred[i]
    return tp, fp, fn


def fold(group: str) -> int:
    return int(hashlib.sha1(group.encode()).hexdigest(), 16) % K


def configs() -> list[dict]:
    names = list(GRID)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*GRID.values())]


def cross_validate(samples: Sequence[Sample]) -> dict:
    """Per grid value the per-fold (tp, fp, fn); the held-out total with per-fold choices."""
    per_config = []
    for config in configs():
        with thresholds(config):
            per_fold = [count([s for s in samples if fold(s.group) == f]) for f in range(K)]
        per_config.append((config, per_fold))

    def total(per_fold, folds):
        return tuple(sum(per_fold[f][j] for f in folds) for j in range(3))

    held = [0, 0, 0]
    chosen = []
    for f in range(K):
        train = [g for g in range(K) if g != f]
        # ties: the earlier (more conservative) grid value
        best = max(per_config, key=lambda c: prf(*total(c[1], train))[2])
        chosen.append(best[0])
        for j, v in enumerate(best[1][f]):
            held[j] += v
    return {
        "in_sample": [(c, total(p, range(K))) for c, p in per_config],
        "held_out": tuple(held),
        "chosen": chosen,
    }


def by_length(samples: Sequence[Sample]) -> list[str]:
    """Join recall of the wrapped windows and false joins of the plain ones, per length."""
    rows = ["| lines | wire R | e-mail R | plain false joins / pairs |", "|---|---|---|---|"]
    for n in WINDOW_LINES:
        cells = []
        for kind in ("wire", "email"):
            tp, _, fn = count([s for s in samples if s.lines == n and s.kind == kind])
            cells.append(f"{tp / max(tp + fn, 1):.3f}")
        plain = [s for s in samples if s.lines == n and s.kind == "plain"]
        pairs = sum(g is not None for s in plain for g in s.gold)
        cells.append(f"{count(plain)[1]} / {pairs}")
        rows.append(f"| {n} | " + " | ".join(cells) + " |")
    return rows


def report(data: Path, wire: Path | None) -> list[str]:
    samples = load_samples(data, wire)
    cv = cross_validate(samples)
    lines = [
        f"## Hard-wrap detector on short windows ({len(samples)} windows, {K} grouped folds)",
        "",
        "| values | join P | join R | join F1 |",
        "|---|---|---|---|",
    ]
    for config, counts in cv["in_sample"]:
        p, r, f = prf(*counts)
        lines.append(f"| {config} | {p:.3f} | {r:.3f} | {f:.3f} |")
    p, r, f = prf(*cv["held_out"])
    lines.append(f"| held-out folds | {p:.3f} | {r:.3f} | {f:.3f} |")
    lines += ["", "chosen per fold: " + "; ".join(str(c) for c in cv["chosen"]), ""]
    lines += ["Shipped values, per window length:", "", *by_length(samples)]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.wrap_cv", description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="labelled pages folder (texts/ + labels.jsonl)")
    ap.add_argument("--wire", help="TimeML folder (TimeBank/, AQUAINT/)")
    args = ap.parse_args(argv)
    print("\n".join(report(find_data(args.data), find_wire(args.wire))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
