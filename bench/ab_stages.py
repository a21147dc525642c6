"""Per-stage A/B timing against another revision: ``python -m bench.ab_stages --old REV``.

A tree unpacked from ``--old REV`` has no compiled accelerators (transforms/native/ is not
built there), so its side runs the pure-Python references: to compare compiled with compiled,
build REV in its own checkout and pass that folder as ``--old-dir`` (docs/development.md).

`make bench`'s stage table (bench/stages.py) times each stage in one process; on a shared
machine its absolute figures move with the load by up to 2x within minutes, so "stage X is now
N ms/doc slower than it was" is only fair between runs made side by side. This runs PAIRS: each
pair runs the stages of the other tree (``git archive REV transforms bench``, unpacked in a
temporary folder, or a folder given with ``--old-dir``) and of this tree, in fresh processes,
in alternating order (ABBA...), over the same benchmark files. Each side calls its OWN
bench/stages.py functions (read, split, dates, events, write: what its job's DoFns call), so
each side does its own work on its own intermediate records; the stages are timed one after
the other over all the files, and each stage's time is the median of ``--passes`` passes
after one warm-up pass. Heavy objects (date tagger, event extractor) are built before timing,
as the job builds them in setup().

The write stage changed with the timeline stage: a tree with `_timeline` in bench/stages.py
writes the events rows as the job does (scratch files) and clusters them in the timeline stage;
an older tree writes events Parquet straight from the rows and has no timeline stage. Compare
the write + timeline sum of the newer tree with the older write only knowing that the older
one left out the clustering and the timeline table.

Prints, per stage: each side's median ms per document, the difference (this - old, ms/doc)
and the median of the per-pair ratios (this / old). Nothing is written to results.json.

Files: the first ``--pages`` files of the benchmark archive ``bench/work/archive-s7-gz0.1-
n<N>`` (bench/generate.py, generated when missing), sorted by name.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import ab_dates, runs

REPO = Path(__file__).resolve().parent.parent
STAGES = ("read", "split", "dates", "events", "write", "timeline")
PAIRS = 3
PASSES = 3
PAGES = 400
ARCHIVE_DOCS = 2000
SEED = 7

# Run in a fresh interpreter with the tree under test first on sys.path; prints JSON
# {"docs": n, "seconds": {stage: median seconds}}.
WORKER = r"""
import inspect, json, statistics, sys, tempfile, time
from bench import stages as S
try:
    from transforms.temporal.tagger import DateTagger
except ImportError:  # an older tree: transforms/temporal.py, one module
    from transforms.temporal import DateTagger
paths = json.load(open(sys.argv[1]))
passes = int(sys.argv[2])
tagger = DateTagger()
try:
    from transforms.events.extract import EventExtractor
    extractor = EventExtractor()
except ImportError:  # an older tree: event rows without an extractor
    extractor = None

def one_pass():
    spent = {}
    def timed(name, fn, *args):
        began = time.perf_counter()
        out = fn(*args)
        spent[name] = time.perf_counter() - began
        return out
    docs = timed("read", S._read, paths)
    splits = timed("split", S._split, docs, {"repeated": None, "n_docs": 1})
    tagged = timed("dates", S._dates, tagger, splits)
    if len(inspect.signature(S._events).parameters) > 1:
        made = timed("events", S._events, tagged, extractor)
    else:
        made = timed("events", S._events, tagged)
    with tempfile.TemporaryDirectory(prefix="newsline-ab-write-") as folder:
        written = timed("write", S._write, {"events": made[0], "documents": made[1]}, folder)
        if hasattr(S, "_timeline"):  # a tree whose write stage mirrors the job's output step
            timed("timeline", S._timeline, written, folder)
    return len(docs), spent

one_pass()  # warm-up: first-use caches of both sides
runs = [one_pass() for _ in range(passes)]
n = runs[0][0]
print(json.dumps({"docs": n, "seconds": {
    stage: statistics.median(r[1][stage] for r in runs) for stage in runs[0][1]}}))
"""


def export(rev: str, folder: Path) -> Path:
    """The ``transforms`` and ``bench`` folders of ``rev`` unpacked under ``folder``: each side
    runs its own bench/stages.py."""
    return ab_dates.export(rev, folder, ("transforms", "bench"))


def time_tree(tree: Path, paths_file: Path, passes: int) -> dict:
    """{"docs": n, "seconds": {stage: median seconds}} of ``tree``'s stages over the files.

    Raises subprocess.CalledProcessError (with the worker's stderr) when a side fails."""
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(paths_file), str(passes)],
        capture_output=True,
        text=True,
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )
    if done.returncode:
        sys.stderr.write(done.stderr[-3000:])
        done.check_returncode()
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_files(pages: int) -> list[str]:
    """The first ``pages`` files (sorted) of the benchmark archive of ARCHIVE_DOCS pages."""
    size = max(ARCHIVE_DOCS, pages)
    folder, _ = runs.archive(REPO / "bench" / "work", size, SEED, runs.GZ_SHARE_WHEN_SUPPORTED)
    files = sorted(str(p) for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json")
    return files[:pages]


def report(pairs: list[dict], old_name: str) -> list[str]:
    """Lines of the per-stage table: medians of each side, difference and median ratio."""
    lines = [f"{'stage':<8} {'old ms/doc':>11} {'this ms/doc':>12} {'this-old':>9} {'this/old':>9}"]
    for stage in [*STAGES, "total"]:
        olds, news, ratios = [], [], []
        for pair in pairs:
            o, n = pair["old"], pair["this"]
            o_s = sum(o["seconds"].values()) if stage == "total" else o["seconds"].get(stage)
            n_s = sum(n["seconds"].values()) if stage == "total" else n["seconds"].get(stage)
            if o_s is None or n_s is None:
                continue
            olds.append(1000 * o_s / o["docs"])
            news.append(1000 * n_s / n["docs"])
            ratios.append(news[-1] / olds[-1] if olds[-1] else float("nan"))
        if not olds:
            continue
        old_ms, new_ms = statistics.median(olds), statistics.median(news)
        lines.append(
            f"{stage:<8} {old_ms:>11.3f} {new_ms:>12.3f} {new_ms - old_ms:>+9.3f} "
            f"{statistics.median(ratios):>9.3f}"
        )
    lines.append(f"(old = {old_name}; ratio = median of per-pair ratios of ms/doc, < 1 is faster)")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ab_stages", description=__doc__)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--old", help="the other revision (any git revision of this repo)")
    which.add_argument("--old-dir", type=Path, help="or another checkout's folder")
    parser.add_argument("--pairs", type=int, default=PAIRS)
    parser.add_argument("--passes", type=int, default=PASSES)
    parser.add_argument("--pages", type=int, default=PAGES)
    args = parser.parse_args(argv)
    files = bench_files(args.pages)
    with tempfile.TemporaryDirectory(prefix="newsline-ab-stages-") as tmp:
        paths_file = Path(tmp) / "paths.json"
        paths_file.write_text(json.dumps(files))
        old = args.old_dir.resolve() if args.old_dir else export(args.old, Path(tmp) / "old")
        old_name = str(args.old_dir) if args.old_dir else args.old
        print(f"stage A/B: {len(files)} benchmark files, {args.pairs} pairs in alternating "
              f"order, median of {args.passes} passes per side")  # fmt: skip
        pairs = []
        for i in range(args.pairs):
            order = [("old", old), ("this", REPO)]
            if i % 2:
                order.reverse()
            pair = {name: time_tree(tree, paths_file, args.passes) for name, tree in order}
            pairs.append(pair)
            o, n = pair["old"], pair["this"]
            print(f"  pair {i + 1}: old {1000 * sum(o['seconds'].values()) / o['docs']:.2f} "
                  f"ms/doc, this {1000 * sum(n['seconds'].values()) / n['docs']:.2f} ms/doc",
                  flush=True)  # fmt: skip
        print("\n".join(report(pairs, old_name)))


if __name__ == "__main__":
    main()
