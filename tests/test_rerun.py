"""Safe reruns: the same input into the same output gives the same rows; a run killed half-way
(a subprocess, SIGKILL while it is staging its files) leaves the previous complete output
readable, and no partial table visible; the next run cleans up and publishes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.run import run
from tests.test_incremental import table_rows
from transforms.output import parquet as sinks

pytestmark = pytest.mark.slow  # runs the whole job, and kills one in a subprocess

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def write_copies(folder: Path, n: int) -> None:
    """n distinct pages made from the seeds (each differs, so each is its own document)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text() for p in SEEDS]
    for i in range(n):
        (folder / f"page{i:05d}.txt").write_text(texts[i % len(texts)] + f"\nPage {i}.\n")


def success(out: Path) -> dict | None:
    return sinks.read_success(str(out))


def test_a_rerun_gives_the_same_rows(tmp_path):
    write_copies(tmp_path / "in", 6)
    first = run(["--input", str(tmp_path / "in"), "--output", str(tmp_path / "out")])
    rows = table_rows(tmp_path / "out")
    second = run(["--input", str(tmp_path / "in"), "--output", str(tmp_path / "out")])
    assert second["run_id"] != first["run_id"]
    assert table_rows(tmp_path / "out") == rows
    assert {k: first[k] for k in ("inputs", "documents", "errors", "events")} == {
        k: second[k] for k in ("inputs", "documents", "errors", "events")
    }
    # retention: the current version and the one before
    assert sorted(p.name for p in (tmp_path / "out" / "_v").iterdir() if p.is_dir()) == sorted(
        [first["run_id"], second["run_id"]]
    )


def test_a_killed_run_leaves_the_previous_output_intact(tmp_path):
    out = tmp_path / "out"
    write_copies(tmp_path / "small", 4)
    old = run(["--input", str(tmp_path / "small"), "--output", str(out)])
    old_rows = table_rows(out)
    old_files = sorted(p for p in out.rglob("*.parquet"))

    write_copies(tmp_path / "big", 1500)
    cmd = [sys.executable, "-m", "pipeline", "--input", str(tmp_path / "big"), "--output", str(out)]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        staging = out / "_v"
        while not any(staging.glob("*/*/*/*.parquet")) or len(list(staging.glob("*/"))) < 2:
            # the run has started writing files into its version folder
            assert proc.poll() is None, "the run ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGSTOP)  # freeze it half-way, look, then kill it
        assert success(out)["run_id"] == old["run_id"]
        assert table_rows(out) == old_rows
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    # the previous complete output: same _SUCCESS, same files, same rows, readable by DuckDB
    assert success(out)["run_id"] == old["run_id"]
    dead = [p for p in staging.iterdir() if p.is_dir() and p.name != old["run_id"]]
    assert len(dead) == 1  # the dead run's staging, never current
    assert sorted(p for p in out.rglob("*.parquet") if dead[0] not in p.parents) == old_files
    assert table_rows(out) == old_rows
    n = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{out}/documents/**/*.parquet', hive_partitioning=1)"
    ).fetchall()[0][0]
    assert n == old["documents"]

    # the next run removes the dead run's staging (its lock is not held) and publishes
    new = run(["--input", str(tmp_path / "small"), "--output", str(out)])
    assert not dead[0].exists()
    assert json.loads((out / sinks.SUCCESS).read_text())["run_id"] == new["run_id"]
    assert table_rows(out) == old_rows
