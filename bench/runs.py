"""Running the floor and the full job as subprocesses on a generated archive, and reading what
they did. Each run writes into a fresh output folder under bench/work/ and logs to a file there.
"""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

from bench.generate import Manifest, generate, input_glob
from bench.measure import Run, python_cmd, run_measured

JOBS = {"floor": "bench.floor", "full": "pipeline"}
# Share of .gz files when the job's reader decompresses them (probe_gzip); 0 when it does not.
GZ_SHARE_WHEN_SUPPORTED = 0.1
# Lines of a failed run's log kept in the results.
LOG_TAIL_LINES = 15


def worker_args(workers: int) -> list[str]:
    if workers <= 1:
        return ["--direct_num_workers", "1"]
    return ["--direct_num_workers", str(workers), "--direct_running_mode", "multi_processing"]


def probe_gzip() -> bool:
    """Does the job's reader decompress a .gz page into its text?"""
    from bench.stages import read_file
    from transforms.ingest import readers
    from transforms.records import ErrorRow

    text = " date 2020-01-02 Probe page.\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "probe.txt.gz"
        path.write_bytes(gzip.compress(text.encode(), mtime=0))
        try:
            items = list(read_file(str(path)))
            docs = [readers.decode(i) for i in items if not isinstance(i, ErrorRow)]
        except Exception:  # noqa: BLE001 - any failure means "not supported"
            return False
    return any(getattr(d, "text", None) == text for d in docs)


def archive(work: Path, n_docs: int, seed: int, gz_share: float) -> tuple[Path, Manifest]:
    folder = work / f"archive-s{seed}-gz{gz_share:g}-n{n_docs}"
    return folder, generate(folder, n_docs, seed, gz_share)


def log_tail(log: Path) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:])
    except OSError:
        return ""


def run_job(
    job: str, folder: Path, work: Path, workers: int, tag: str, cwd: Path | None = None
) -> dict:
    """Run the floor or the full job over one archive; the Run's fields plus its outcome.
    `cwd`: run the code of another checkout (bench/ab.py); default this one."""
    out = work / "out" / f"{job}-{tag}"
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    log = work / "logs" / f"{job}-{tag}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = python_cmd(
        JOBS[job], "--input", input_glob(folder), "--output", str(out), *worker_args(workers)
    )
    run: Run = run_measured(cmd, log, cwd=cwd)
    result = asdict(run)
    if run.returncode != 0:
        result["error"] = f"exit {run.returncode}: {log_tail(log)}"
    elif job == "full":
        summary = read_summary(out)
        result["summary"] = summary
        result["outcome"] = (
            f"{summary.get('documents', '?'):,} docs, {summary.get('errors', '?'):,} errors, "
            f"{summary.get('events', '?'):,} events"
            if summary
            else "no _SUCCESS"
        )
    else:
        result["outcome"] = f"{len(list(out.glob('*.parquet')))} Parquet file(s)"
    shutil.rmtree(out, ignore_errors=True)  # outputs of 1M pages are GBs; keep only the figures
    return result


def read_summary(out: Path) -> dict:
    try:
        return json.loads((out / "_SUCCESS").read_text())
    except (OSError, ValueError):
        return {}


def slope(
    small: dict,
    large: dict,
    n_small: int,
    n_large: int,
    bytes_small: int,
    bytes_large: int,
    workers: int,
) -> dict:
    """Throughput with start-up excluded, from the medians of a small and a large run."""
    dt = large["wall_s"] - small["wall_s"]
    dcpu = large["cpu_s"] - small["cpu_s"]
    if dt <= 0 or n_large <= n_small:
        return {
            "docs_per_s": None,
            "docs_per_core": None,
            "mb_per_s": None,
            "startup_s": None,
            "docs_per_cpu_s": None,
            "docs_per_s_whole_run": round(n_large / large["wall_s"], 1),
        }
    rate = (n_large - n_small) / dt
    return {
        "docs_per_s": round(rate, 1),
        "docs_per_core": round(rate / max(1, workers), 1),
        "docs_per_cpu_s": round((n_large - n_small) / dcpu, 1) if dcpu > 0 else None,
        "mb_per_s": round((bytes_large - bytes_small) / dt / 1e6, 2),
        "startup_s": round(small["wall_s"] - n_small / rate, 2),
        "docs_per_s_whole_run": round(n_large / large["wall_s"], 1),
    }
