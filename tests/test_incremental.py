"""--incremental: two incremental runs over a growing folder give the same tables as one full
run; a changed file's rows are replaced, not doubled; unchanged files are not read again and
published files are not rewritten."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.run import run
from tests import badinputs
from transforms.output import parquet as sinks
from transforms.output.schemas import TABLES

pytestmark = pytest.mark.slow  # runs the whole job

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def table_rows(out: Path) -> dict[str, list[str]]:
    """Every row of every table, as sorted JSON strings (order of files and rows is free)."""
    tables = {}
    for name in TABLES:
        rows = []
        for path in sorted((out / name).rglob("*.parquet")):
            rows += [
                json.dumps(r, sort_keys=True, default=str)
                for r in pq.read_table(path, schema=TABLES[name]).to_pylist()
            ]
        tables[name] = sorted(rows)
    return tables


def job(inputs: Path, out: Path, *extra: str) -> dict:
    return run(["--input", str(inputs), "--output", str(out), *extra])


def batch_a(folder: Path) -> None:
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(path, folder / path.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "bundle.tar").write_bytes(
        badinputs.tar_bytes([("a.txt", badinputs.PREFIXED), ("../bad.txt", b"x")])
    )


def batch_b(folder: Path) -> None:
    for path in sorted(SEEDS.glob("*.txt"))[2:]:
        shutil.copy(path, folder / path.name)
    (folder / "feed.jsonl").write_text(
        json.dumps({"text": badinputs.TEXT, "date": "2021-01-02"}) + "\n{broken\n"
    )
    sub = folder / "sub"
    sub.mkdir()
    (sub / "late.txt").write_bytes(b" date 2022-02-02 The plant closed on January 5, 2022.")


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A folder read by two incremental runs as it grew, and one full run of its final state."""
    tmp = tmp_path_factory.mktemp("incremental")
    inbox = tmp / "inbox"
    inbox.mkdir()
    batch_a(inbox)
    first = job(inbox, tmp / "inc", "--incremental")
    batch_b(inbox)
    second = job(inbox, tmp / "inc", "--incremental")
    full = job(inbox, tmp / "full")
    return tmp, inbox, first, second, full


def test_two_incremental_runs_equal_one_full_run(grown):
    tmp, _, first, second, full = grown
    assert "mode" not in first  # no previous output: the first run is a full run
    assert second["mode"] == "incremental"
    assert second["skipped_unchanged"] == 4  # batch A's files were not read again
    assert first["inputs"] + second["inputs"] == full["inputs"]
    assert table_rows(tmp / "inc") == table_rows(tmp / "full")
    assert second["totals"] == {t: len(rows) for t, rows in table_rows(tmp / "full").items()}


def test_later_runs_over_the_grown_output(grown):
    """One scenario, in order, on the output of the fixture (each step builds on the last)."""
    tmp, inbox, *_ = grown
    out = tmp / "inc"

    # nothing new: nothing read, no published file rewritten
    def parquet_mtimes():
        return {
            p: p.stat().st_mtime_ns for p in out.rglob("*.parquet") if "_manifest" not in p.parts
        }

    before = parquet_mtimes()
    again = job(inbox, out, "--incremental")
    assert (again["inputs"], again["documents"], again["errors"]) == (0, 0, 0)
    assert parquet_mtimes() == before

    # changed files: their old rows are replaced, not doubled (a member that went away too)
    seed = sorted(inbox.glob("*.txt"))[0]
    seed.write_text(seed.read_text().replace("2019", "2018"))
    (inbox / "bundle.tar").write_bytes(badinputs.tar_bytes([("b.txt", badinputs.PREFIXED)]))
    os.utime(inbox / "bundle.tar", (1, 1))  # a changed mtime that goes back in time counts too
    third = job(inbox, out, "--incremental")
    assert third["replaced_inputs"] == 2 and third["inputs"] == 2
    fresh = job(inbox, tmp / "fresh")
    assert table_rows(out) == table_rows(tmp / "fresh")
    assert fresh["documents"] == third["totals"]["documents"]

    # an input that disappears (an inbox emptied after processing) keeps its rows
    (inbox / "feed.jsonl").unlink()
    job(inbox, out, "--incremental")
    assert table_rows(out) == table_rows(tmp / "fresh")

    # no _SUCCESS (e.g. a publish killed half-way): the incremental run is a full run
    (out / sinks.SUCCESS).unlink()
    rebuilt = job(inbox, out, "--incremental")
    assert "mode" not in rebuilt
    assert rebuilt["inputs"] == fresh["inputs"] - 2  # the JSONL file and its 2 lines are gone
