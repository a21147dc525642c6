"""The differential gate: ``python -m eval.diffcheck`` (``make diffcheck``).

Writes the inputs (inputs.py), runs the job on them through its command line
(``python -m pipeline --input ... --output ...``), digests the Parquet it published
(digest.py) and compares the digests with the committed baseline (compare.py). Exit status 0
when identical, 1 when anything differs (a readable summary says which part of which document),
2 when the job itself failed. ``--update`` (``make diffcheck-update``) rewrites the baseline
instead: commit it on its own, with a message naming the output change and why.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from eval.diffcheck.compare import SHOW, compare, format_report
from eval.diffcheck.digest import digest_output, read_digests, write_digests
from eval.diffcheck.inputs import BENCH_PAGES, REPO, Job, write_inputs

BASELINE = REPO / "eval" / "diffcheck" / "baseline.jsonl"
WORK = REPO / "eval" / "out" / "diffcheck"


def run_job(job: Job, output: Path) -> float:
    """Run the job's command line on job.inputs into output; return its wall time in seconds.
    Raises SystemExit(2) with the job's last output lines if it fails."""
    argv = [sys.executable, "-m", "pipeline", "--output", str(output), *job.flags]
    for pattern in job.inputs:
        argv += ["--input", pattern]
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, errors="replace")
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
        print(f"diffcheck: job {job.name} failed (exit {done.returncode}):\n{tail}")
        raise SystemExit(2)
    return time.perf_counter() - started


def digest_all(work: Path, pages: int = BENCH_PAGES) -> list[dict]:
    """Write the inputs under work/in, run every job, return the digest entries of all."""
    if work.exists():
        shutil.rmtree(work)
    inputs = work / "in"
    entries = []
    for job in write_inputs(inputs, pages):
        output = work / "out" / job.name
        seconds = run_job(job, output)
        found = digest_output(output, inputs, job.name)
        sources = sum("parts" in e for e in found)
        print(f"diffcheck: job {job.name}: {sources} sources in {seconds:.1f} s")
        entries += found
    return entries


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval.diffcheck", description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite the baseline")
    parser.add_argument("--baseline", type=Path, default=BASELINE, help="the digest file")
    parser.add_argument("--work", type=Path, default=WORK, help="scratch folder (wiped)")
    parser.add_argument("--pages", type=int, default=BENCH_PAGES, help="bench archive pages")
    parser.add_argument("--show", type=int, default=SHOW, help="differences listed in full")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    entries = digest_all(args.work, args.pages)
    current = args.work / "current.jsonl"
    write_digests(current, entries)
    if args.update:
        write_digests(args.baseline, entries)
        print(f"diffcheck: baseline written: {args.baseline} ({len(entries)} entries)")
        return 0
    if not args.baseline.exists():
        print(f"diffcheck: no baseline at {args.baseline}; run make diffcheck-update")
        return 1
    report = compare(read_digests(args.baseline), read_digests(current))
    print(format_report(report, args.show))
    print(f"diffcheck: {time.perf_counter() - started:.0f} s; this run's digests: {current}")
    return 0 if report.same else 1


if __name__ == "__main__":
    sys.exit(main())
