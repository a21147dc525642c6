"""A/B timing of the date stage against an older commit: ``python -m bench.ab_dates --old REV``.

The machine may be shared and loaded, so one timing of each side says little. This runs PAIRS:
each pair times the date stage of the older tree (``git archive REV``, unpacked in a temporary
folder) and of this tree, in fresh processes, in alternating order, on the same prepared
documents; each side's time is the median of ``--passes`` passes over them. It prints every
pair, the median seconds of each side and the median of the per-pair ratios (new / old).

The documents are ``--pages`` pages of the benchmark archive (bench/generate.py, seed 7),
split once by THIS tree's splitter, so that both sides tag the same body spans with the same
anchors. Each side runs the date stage as its own job does: ``temporal.anchor.tag_document``
where the tree has it (an undated page is tagged, its anchor inferred, and tagged again), else
``DateTagger.tag``. The tagger is built before timing starts (the job builds it in setup()).
"""

from __future__ import annotations

import argparse
import io
import pickle
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAIRS = 5
PASSES = 3
PAGES = 400
SEED = 7

# Run in a fresh interpreter with the tree under test first on sys.path; prints seconds.
WORKER = r"""
import pickle, statistics, sys, time
docs = pickle.load(open(sys.argv[1], "rb"))
passes = int(sys.argv[2])
from transforms.temporal.tagger import DateTagger
tagger = DateTagger()
try:
    from transforms.temporal.anchor import tag_document
except ImportError:
    tag_document = None

def stage():
    for text, spans, anchor in docs:
        if tag_document is not None:
            tag_document(tagger, text, spans, anchor)
        else:
            tagger.tag(text, anchor, spans)

stage()  # warm-up: first-use caches of both sides
times = []
for _ in range(passes):
    began = time.perf_counter()
    stage()
    times.append(time.perf_counter() - began)
print(statistics.median(times))
"""


def prepare(pages: int, seed: int) -> list[tuple]:
    """(text, body spans, anchor date or None) of the first ``pages`` benchmark pages."""
    from bench.generate import page
    from bench.material import load_material
    from transforms.boilerplate.splitter import Splitter
    from transforms.records import Doc
    from transforms.text.pubdate import choose_anchor, parse_prefix

    material = load_material()
    splitter = Splitter()
    out = []
    for i in range(pages):
        text, _ = page(i, seed, material)
        prefix_len, published, source = parse_prefix(text)
        split = splitter.split(text, prefix_len)
        doc = Doc(f"page-{i}", f"page-{i}", text, published, source or "none", prefix_len, "utf-8")
        anchor, _, _ = choose_anchor(doc, split.published)
        out.append((text, list(split.body_spans), anchor.date))
    return out


def export(rev: str, folder: Path, paths: tuple[str, ...] = ("transforms",)) -> Path:
    """The ``paths`` (folders) of ``rev``'s tree unpacked under ``folder`` (no checkout, no
    worktree). Raises subprocess.CalledProcessError for an unknown revision."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, *paths],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def time_tree(tree: Path, docs_file: Path, passes: int) -> float:
    """Median seconds of the date stage of ``tree`` over the prepared documents."""
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(docs_file), str(passes)],
        check=True,
        capture_output=True,
        text=True,
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ab_dates", description=__doc__)
    parser.add_argument("--old", required=True, help="the older commit (any git revision)")
    parser.add_argument("--pairs", type=int, default=PAIRS)
    parser.add_argument("--passes", type=int, default=PASSES)
    parser.add_argument("--pages", type=int, default=PAGES)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsline-ab-") as tmp:
        docs_file = Path(tmp) / "docs.pickle"
        docs = prepare(args.pages, SEED)
        docs_file.write_bytes(pickle.dumps(docs))
        old = export(args.old, Path(tmp) / "old")
        undated = sum(1 for _, _, anchor in docs if anchor is None)
        print(f"date stage A/B: {len(docs)} benchmark pages ({undated} undated), "
              f"{args.pairs} pairs, median of {args.passes} passes per side")  # fmt: skip
        olds, news, ratios = [], [], []
        for i in range(args.pairs):
            order = [("old", old), ("new", REPO)]
            if i % 2:
                order.reverse()
            got = {name: time_tree(tree, docs_file, args.passes) for name, tree in order}
            olds.append(got["old"])
            news.append(got["new"])
            ratios.append(got["new"] / got["old"])
            print(f"  pair {i + 1}: old {got['old']:.3f} s, new {got['new']:.3f} s, "
                  f"new/old {ratios[-1]:.3f}")  # fmt: skip
        print(
            f"median: old {statistics.median(olds):.3f} s, new {statistics.median(news):.3f} s; "
            f"median ratio new/old {statistics.median(ratios):.3f} (old = {args.old})"
        )


if __name__ == "__main__":
    main()
