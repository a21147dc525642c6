"""The writers' byte budget, A/B: ``python -m bench.write_budget`` (issue 14, limits.py).

What a table writer's budget (`transforms.limits.WRITE_BATCH_BYTES`) trades: memory held
against files written and time. The rows of the first ``--pages`` benchmark pages are made once
by the job's own stage functions (bench/stages.py) and repeated ``--copies`` times, so the
writers see a long run's volume of rows; then, in a fresh process per (budget, pass), the job's
own writer DoFns (`WriteTableFn` for documents, `WriteEventsFn`'s scratch files for events, one
bundle each) write them with that budget, and `ClusterPartitionFn` turns each partition's
scratch files into its published events file, as the job does. Passes alternate the budgets
(ABC CBA ...); each figure is the median over ``--passes``.

Prints, per budget: ms per document for the writers and for the merge of scratch files, files
written per table, and the peak RSS the writing added (the process's high-water mark after the
rows were loaded, minus before). Copies of a page repeat its partitions, so the number of thin
partitions is that of ``--pages`` pages, not of pages x copies. Nothing is written to
results.json.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import runs

BENCH_DIR = Path(__file__).resolve().parent
MIB = 1024 * 1024
BUDGETS_MIB = (64, 32, 16, 8)


def make_rows(pages: int, cache: Path) -> Path:
    """Events rows (a list per document) and document rows of the first `pages` bench pages,
    pickled in `cache` (made once)."""
    if cache.exists():
        return cache
    from bench import stages
    from transforms.events.extract import EventExtractor
    from transforms.temporal.tagger import DateTagger

    folder, _ = runs.archive(BENCH_DIR / "work", 2000, 7, runs.GZ_SHARE_WHEN_SUPPORTED)
    paths = sorted(str(p) for p in folder.glob("shard-*/doc-*"))[:pages]
    docs = stages._read(paths)
    splits = stages._split(docs, {"repeated": None, "n_docs": 1})
    tagged = stages._dates(DateTagger(), splits)
    extractor = EventExtractor()
    events, documents = [], []
    for item in tagged:
        rows, doc_rows, _ = stages._events([item], extractor)
        if doc_rows:
            events.append(rows)
            documents.append(doc_rows[0])
    cache.parent.mkdir(parents=True, exist_ok=True)
    with open(cache, "wb") as handle:
        pickle.dump((events, documents), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return cache


def _rss_peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def one_pass(rows: Path, budget: int, copies: int) -> dict:
    """Write the rows with a budget of `budget` bytes per writer (in this process)."""
    from transforms.output import beam as output_beam
    from transforms.output import timeline

    with open(rows, "rb") as handle:
        events, documents = pickle.load(handle)
    output_beam.WRITE_BATCH_BYTES = budget  # what WriteTableFn reads, as limits.py sets it
    before = _rss_peak()
    with tempfile.TemporaryDirectory(prefix="newsline-budget-") as staging:
        start = time.perf_counter()
        paths = {}
        for name, fn, elements in (
            ("documents", output_beam.WriteTableFn("documents", staging), documents),
            ("events", timeline.WriteEventsFn(staging), events),
        ):
            fn.start_bundle()
            written = []
            for _ in range(copies):
                for element in elements:
                    written += list(fn.process(element))
            written += [w.value for w in fn.finish_bundle()]
            paths[name] = written
        write_s = time.perf_counter() - start
        peak = _rss_peak() - before
        by_partition: dict[str, list[str]] = {}
        for partition, ref in paths["events"]:  # (partition, reference into a scratch file)
            by_partition.setdefault(partition, []).append(ref)
        start = time.perf_counter()
        cluster = timeline.ClusterPartitionFn(staging)
        published = 0
        for element in by_partition.items():
            published += sum(1 for out in cluster.process(element) if isinstance(out, str))
        merge_s = time.perf_counter() - start
    n = len(documents) * copies
    return {
        "budget_mib": budget / MIB,
        "documents": n,
        "write_ms_per_doc": 1000 * write_s / n,
        "merge_ms_per_doc": 1000 * merge_s / n,
        "files_documents": len(paths["documents"]),
        "scratch_files_events": len({ref.rpartition("#")[0] for _, ref in paths["events"]}),
        "published_events_files": published,
        "partitions_events": len(by_partition),
        "rss_added_mib": peak / MIB,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--budgets", default=",".join(map(str, BUDGETS_MIB)), help="MiB each")
    parser.add_argument("--one", nargs=2, metavar=("ROWS", "BUDGET"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_pass(Path(args.one[0]), int(args.one[1]), args.copies)))
        return
    rows = make_rows(args.pages, BENCH_DIR / "work" / f"budget-rows-{args.pages}.pickle")
    budgets = [int(float(b) * MIB) for b in args.budgets.split(",")]
    results: dict[int, list[dict]] = {b: [] for b in budgets}
    for p in range(args.passes):
        for budget in budgets if p % 2 == 0 else budgets[::-1]:
            cmd = [sys.executable, "-m", "bench.write_budget", "--copies", str(args.copies)]
            out = subprocess.run(
                [*cmd, "--one", str(rows), str(budget)],
                check=True,
                capture_output=True,
                text=True,
                cwd=BENCH_DIR.parent,
            ).stdout
            results[budget].append(json.loads(out.strip().splitlines()[-1]))
    print(
        f"{'MiB/writer':>10} {'write ms/doc':>12} {'merge ms/doc':>12} {'docs files':>10} "
        f"{'scratch':>8} {'events files':>12} {'RSS added MiB':>13}"
    )
    for passes in results.values():
        med = {k: statistics.median(r[k] for r in passes) for k in passes[0]}
        print(
            f"{med['budget_mib']:>10g} {med['write_ms_per_doc']:>12.3f} "
            f"{med['merge_ms_per_doc']:>12.3f} {med['files_documents']:>10.0f} "
            f"{med['scratch_files_events']:>8.0f} {med['published_events_files']:>12.0f} "
            f"{med['rss_added_mib']:>13.0f}"
        )
    print(f"({passes[0]['documents']:,} documents: {args.pages} pages x {args.copies} copies)")


if __name__ == "__main__":
    main()
