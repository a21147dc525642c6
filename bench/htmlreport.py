"""`make bench-report`: how long `newsline report` takes and how big the page is at scale.

Generates N pages (default 8,000: about 118,000 event rows, 14.7 per page) with the bench
generator, runs the job on them once (reused while the archive and the job's output exist),
then writes the report `--repeats` times in this process and prints the median time, the page's
size and what it drew. The same in-process comparison on the seeds gives the baseline.

    python -m bench.htmlreport [--docs N] [--repeats K]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import generate, input_glob
from transforms.output.report import version_dir, write_report
from transforms.output.report.entries import collect
from transforms.output.report.tables import Output

WORK = Path(__file__).resolve().parent / "work" / "report"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def job(inputs: str, out: Path) -> None:
    """Run the job (a subprocess, as a user would) unless `out` already holds its output."""
    if (out / "_SUCCESS").exists():
        return
    cmd = [sys.executable, "-m", "pipeline", "--input", inputs, "--output", str(out)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def timed(folder: Path, repeats: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds (this process, all threads) of write_report over `repeats`
    runs, and the page's size in bytes. On a shared machine the CPU time is the steadier one."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        path = write_report(version_dir(str(folder)))
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), os.path.getsize(path)


def main(argv: list[str] | None = None) -> int:
    """Print one line per output: event rows, marks drawn, median seconds, page size."""
    parser = argparse.ArgumentParser(prog="python -m bench.htmlreport", description=__doc__)
    parser.add_argument("--docs", type=int, default=8000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    pages = WORK / f"pages-{args.docs}"
    generate(pages, args.docs)
    outputs = {"seeds": (str(SEEDS / "*.txt"), WORK / "out-seeds")}
    outputs[f"{args.docs} pages"] = (input_glob(pages), WORK / f"out-{args.docs}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, (inputs, out) in outputs.items():
        job(inputs, out)
        entries = collect(Output(version_dir(str(out))))
        rows = Output(version_dir(str(out))).read("events", ["event_id"]).num_rows
        wall, cpu, size = timed(out, args.repeats)
        what = "sample" if entries.sampled else "all"
        print(
            f"{name}: {rows:,} event rows, {entries.total:,} dated entries, "
            f"{entries.drawn:,} marks drawn ({what}); report in {wall:.2f} s wall, "
            f"{cpu:.2f} s CPU (medians of {args.repeats}), {size / 1e6:.2f} MB; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
