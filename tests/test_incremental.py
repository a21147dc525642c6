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
from transforms.output import commit
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

    # nothing new: nothing read, no new version, no file touched
    def parquet_mtimes():
        return {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}

    before = parquet_mtimes()
    current = commit.read_current(str(out))
    again = job(inbox, out, "--incremental")
    assert again == {"unchanged": True, "version": current, "skipped_unchanged": 7}  # 7 files
    assert parquet_mtimes() == before and commit.read_current(str(out)) == current

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
    # the new version was built from the previous one by hard links: unchanged files share
    # their data with the version before (kept by retention), nothing was copied
    new_files = {
        p.relative_to(out / "_v" / third["run_id"]): p.stat()
        for p in (out / "_v" / third["run_id"]).rglob("*.parquet")
    }
    old_files = {
        p.relative_to(out / "_v" / current): p.stat()
        for p in (out / "_v" / current).rglob("*.parquet")
    }
    shared = {
        r for r, st in new_files.items() if r in old_files and old_files[r].st_ino == st.st_ino
    }
    changed = {str(seed), str(inbox / "bundle.tar")}

    def has_stale_rows(path: Path) -> bool:
        if path.parts[0] == "_manifest":
            return False
        table = pq.read_table(out / "_v" / current / path)
        stages = table.column("stage").to_pylist() if "stage" in table.column_names else []
        sources = table.column("source").to_pylist()
        return "match" in stages or any(s.split("!")[0] in changed for s in sources)

    assert shared == {r for r in old_files if not has_stale_rows(r)}
    assert len(shared) > len(old_files) / 2

    # an input that disappears (an inbox emptied after processing) keeps its rows
    (inbox / "feed.jsonl").unlink()
    job(inbox, out, "--incremental")
    assert table_rows(out) == table_rows(tmp / "fresh")
