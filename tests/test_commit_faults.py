"""The attacks of the reliability issue, on the real job as a process: kills at every step of
the publish, injected failures, two concurrent full and incremental runs (barriers, not sleeps),
a writer on another host, a full small file system, glob characters in paths, older outputs.

Each asserts the exit code, the one-line message, the reconciliation, and that the previous
output (and every foreign file) is intact or, after the switch, that the new one is whole.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.commitkit import (
    SEED_FILES,
    copy_seeds,
    finish,
    make_legacy,
    newsline,
    snapshot,
    start,
    without_locks,
)
from tests.conftest import REPO
from tests.test_incremental import table_rows
from transforms.output import commit, faults, guard

pytestmark = pytest.mark.slow

OK_LINE = "-> OK"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Inputs (small: 2 seeds; big: 3 seeds; grow: an inbox that had 2 seeds when `prefab_inc`
    was written from it and has 3 now), the tables of full runs of each, and published outputs
    to copy (`prefab`: from small; `prefab_inc`: from grow with 2 seeds)."""
    tmp = tmp_path_factory.mktemp("commit")
    small = copy_seeds(tmp / "small", 2)
    big = copy_seeds(tmp / "big")
    grow = copy_seeds(tmp / "grow", 2)
    jobs = (("ref_small", small), ("ref_big", big), ("prefab_inc", grow))
    for name, folder in jobs:
        result = newsline("--input", str(folder), "--output", str(tmp / name))
        assert result.code == 0 and OK_LINE in result.out, result.err
    shutil.copy(SEED_FILES[2], grow / SEED_FILES[2].name)  # the third seed arrives
    result = newsline("--input", str(grow), "--output", str(tmp / "ref_grow"))
    assert result.code == 0 and OK_LINE in result.out, result.err
    prefab = tmp / "prefab"
    shutil.copytree(tmp / "ref_small", prefab, symlinks=True)
    return {
        "tmp": tmp,
        "small": small,
        "big": big,
        "grow": grow,
        "prefab": prefab,
        "prefab_inc": tmp / "prefab_inc",
        "rows_small": table_rows(tmp / "ref_small"),
        "rows_big": table_rows(tmp / "ref_big"),
        "rows_grown_before": table_rows(tmp / "prefab_inc"),
        "rows_grown": table_rows(tmp / "ref_grow"),
    }


def fresh_output(world, path: Path, prefab: str = "prefab") -> tuple[Path, str, dict]:
    """A copy of a published output: (folder, its current version, its snapshot)."""
    shutil.copytree(world[prefab], path, symlinks=True)
    return path, commit.read_current(str(path)), snapshot(path)


def versions(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "_v").iterdir() if p.is_dir())


def wait_for(folder: Path, pattern: str, proc: subprocess.Popen) -> None:
    """Block until a run reaches a barrier (its `.reached` file appears)."""
    deadline = time.monotonic() + 300
    while not list(folder.glob(pattern)):
        assert proc.poll() is None, finish(proc).err
        assert time.monotonic() < deadline, "the run never reached the barrier"
        time.sleep(0.02)


def assert_intact(out: Path, version: str, before: dict) -> None:
    """The old version is current, whole, and not one of its files or links changed."""
    assert commit.read_current(str(out)) == version
    after = snapshot(out)
    old = {k: v for k, v in before.items() if not k.endswith(".lock")}
    assert {k: after.get(k) for k in old} == old


def assert_reconciled(out: Path) -> None:
    summary = json.loads((out / "_SUCCESS").read_text())
    assert summary["inputs"] == summary["documents"] + summary["input_errors"]


# --- kill at every publish step ---

BEFORE_SWITCH = ("locked", "staged", "reported", "marked", "checked")


def assert_report_of_current(out: Path) -> None:
    """OUT/report.html is the current version's own report (it names the version's run_id)
    and is a file of that version, never of a version that was not published."""
    current = commit.read_current(str(out))
    report = out / "report.html"
    assert os.path.realpath(report) == os.path.realpath(out / "_v" / current / "report.html")
    assert current in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("step", [s for s in faults.STEPS if s != "linked"])
def test_a_full_run_killed_at_each_step_leaves_old_or_new_never_a_mix(world, tmp_path, step):
    out, old, before = fresh_output(world, tmp_path / "out")
    killed = newsline(
        "--input", str(world["big"]), "--output", str(out), env={faults.FAULT_ENV: f"{step}:kill"}
    )
    assert killed.code == -9
    if step in BEFORE_SWITCH:
        assert_intact(out, old, before)
        assert table_rows(out) == world["rows_small"]
    else:  # killed after the switch: the new version is whole and current
        assert commit.read_current(str(out)) != old
        assert table_rows(out) == world["rows_big"]
    assert_reconciled(out)
    assert_report_of_current(out)
    # the next run deletes the dead run's staging (its lock is free) and publishes
    again = newsline("--input", str(world["big"]), "--output", str(out))
    assert again.code == 0 and OK_LINE in again.out
    assert table_rows(out) == world["rows_big"]
    assert versions(out) == sorted(commit.kept_versions(str(out), 2))


@pytest.mark.parametrize("step", ["staged", "linked", "reported", "marked", "switched"])
def test_an_incremental_run_killed_at_each_step_loses_no_history(world, tmp_path, step):
    out, old, before = fresh_output(world, tmp_path / "out", "prefab_inc")
    args = ("--input", str(world["grow"]), "--output", str(out), "--incremental")
    killed = newsline(*args, env={faults.FAULT_ENV: f"{step}:kill"})
    assert killed.code == -9
    if step == "switched":
        assert table_rows(out) == world["rows_grown"]
    else:
        assert_intact(out, old, before)
        assert table_rows(out) == world["rows_grown_before"]
    assert_report_of_current(out)
    again = newsline(*args)  # the next incremental run adds what is missing, nothing doubled
    assert again.code == 0
    assert table_rows(out) == world["rows_grown"]
    assert_reconciled(out)
    # the new version has its own report (not a link to the previous version's)
    assert_report_of_current(out)
    assert os.stat(out / "report.html").st_ino != os.stat(out / "_v" / old / "report.html").st_ino


def test_a_failure_after_the_switch_keeps_the_published_version(world, tmp_path):
    out, old, _ = fresh_output(world, tmp_path / "out")
    failed = newsline(
        "--input", str(world["big"]), "--output", str(out), env={faults.FAULT_ENV: "switched:fail"}
    )
    assert failed.code == 0, failed.err  # the new version is current and whole
    assert "newsline: published; cleaning old versions failed" in failed.err
    assert table_rows(out) == world["rows_big"]
    assert_reconciled(out)


@pytest.mark.parametrize("step", ["staged", "reported", "marked", "checked"])
def test_a_failure_at_a_step_is_one_line_and_the_run_removes_only_its_own_staging(
    world, tmp_path, step
):
    out, old, before = fresh_output(world, tmp_path / "out")
    (out / "_v" / "notes.txt").write_text("not ours")  # a foreign file, even in _v/
    failed = newsline(
        "--input", str(world["big"]), "--output", str(out), env={faults.FAULT_ENV: f"{step}:fail"}
    )
    assert failed.code == guard.FAILED == 1
    assert failed.message.startswith("newsline: the run failed (")
    assert f"injected failure at step {step!r}" in failed.message
    assert "nothing was published" in failed.message
    assert_intact(out, old, before)
    assert versions(out) == [old]  # its own version folder is gone, nothing else
    assert (out / "_v" / "notes.txt").read_text() == "not ours"


# --- concurrent runs ---


def held_run(world, out: Path, barrier: Path, step: str, *args: str) -> subprocess.Popen:
    """A run that stops at `step` until the test removes barrier/<step>.hold."""
    barrier.mkdir(exist_ok=True)
    (barrier / f"{step}.hold").write_text("")
    proc = start(*args, "--output", str(out), env={faults.BARRIER_ENV: str(barrier)})
    wait_for(barrier, f"{step}.*.reached", proc)
    return proc


def test_two_concurrent_full_runs_one_refuses_and_nothing_is_lost(world, tmp_path):
    out, old, before = fresh_output(world, tmp_path / "out")
    first = held_run(world, out, tmp_path / "b", "staged", "--input", str(world["big"]))
    second = newsline("--input", str(world["small"]), "--output", str(out))
    assert second.code == guard.BUSY == 75
    assert second.message.startswith("newsline: another newsline run is writing")
    assert_intact(out, old, before)  # the held run has not published yet
    (tmp_path / "b" / "staged.hold").unlink()
    done = finish(first)
    assert done.code == 0 and OK_LINE in done.out
    assert table_rows(out) == world["rows_big"]
    assert versions(out) == sorted([old, commit.read_current(str(out))])


def test_a_run_told_to_wait_for_the_lock_commits_after_the_other(world, tmp_path):
    out, old, _ = fresh_output(world, tmp_path / "out")
    first = held_run(world, out, tmp_path / "b", "staged", "--input", str(world["big"]))
    second = start("--input", str(world["small"]), "--output", str(out), "--lock_timeout", "300")
    (tmp_path / "b" / "staged.hold").unlink()
    one, two = finish(first), finish(second)
    assert (one.code, two.code) == (0, 0), two.err
    summary = json.loads((out / "_SUCCESS").read_text())
    assert summary["previous"] not in (None, old)  # the waiting run committed over the first
    assert table_rows(out) == world["rows_small"]


def test_two_concurrent_incremental_runs_never_double_rows(world, tmp_path):
    out, _, _ = fresh_output(world, tmp_path / "out", "prefab_inc")
    inc = ("--input", str(world["grow"]), "--incremental")
    first = held_run(world, out, tmp_path / "b", "staged", *inc)
    refused = newsline(*inc, "--output", str(out))  # 2 s later, say: refused, not doubled
    assert refused.code == guard.BUSY
    second = start(*inc, "--output", str(out), "--lock_timeout", "300")
    (tmp_path / "b" / "staged.hold").unlink()
    one, two = finish(first), finish(second)
    assert one.code == 0 and OK_LINE in one.out
    # the second planned after the first committed: nothing new, output untouched
    assert two.code == 0 and "nothing new" in two.out, two.err
    assert table_rows(out) == world["rows_grown"]
    third = newsline(*inc, "--output", str(out))
    assert third.code == 0 and "nothing new" in third.out
    assert table_rows(out) == world["rows_grown"]


def test_a_commit_from_another_host_meanwhile_makes_the_run_refuse(world, tmp_path):
    """Locks do not cross hosts (or object stores): the version check at commit does."""
    out, old, _ = fresh_output(world, tmp_path / "out")
    run = held_run(world, out, tmp_path / "b", "marked", "--input", str(world["big"]))
    other = "f" * 12  # what a writer elsewhere commits while this run is held
    shutil.copytree(out / "_v" / old, out / "_v" / other)
    summary = json.loads((out / "_v" / other / "_SUCCESS").read_text())
    commit.write_json(str(out / "_v" / other / "_SUCCESS"), {**summary, "previous": old})
    commit.switch_current(str(out), other)
    theirs = snapshot(out / "_v" / other)
    (tmp_path / "b" / "marked.hold").unlink()
    refused = finish(run)
    assert refused.code == guard.BUSY
    assert refused.message.startswith("newsline: the output changed while this run ran")
    assert commit.read_current(str(out)) == other
    assert snapshot(out / "_v" / other) == theirs
    assert versions(out) == sorted([old, other])  # its own version deleted, nothing else


# --- a full disk ---


def random_pages(folder: Path, n: int, size: int) -> None:
    """Pages of random words: they compress badly, so they fill a small disk."""
    rng = random.Random(7)
    words = [
        "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 9))) for _ in range(5000)
    ]
    folder.mkdir()
    for i in range(n):
        text = " ".join(rng.choices(words, k=size // 6))
        (folder / f"page{i:04d}.txt").write_text(text)


def test_a_full_small_disk_fails_the_run_and_keeps_the_output(world, tmp_path):
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    assert probe.returncode == 0, "unshare -m is needed (tests run as root here and in CI)"
    copy_seeds(tmp_path / "small", 2)
    random_pages(tmp_path / "big", 120, 30_000)
    proc = subprocess.run(
        ["unshare", "-m", sys.executable, "-m", "tests.fullfs", str(tmp_path), "1m"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    steps = json.loads((tmp_path / "result.json").read_text())
    small, big, again = steps["small"], steps["big"], steps["again"]
    assert small["code"] == 0 and OK_LINE in small["stdout"]
    assert big["code"] == guard.FAILED
    assert big["message"].startswith("newsline: the run failed (")
    assert "No space left on device" in big["message"] or "ENOSPC" in big["message"]
    assert without_locks(big["after"]) == without_locks(big["before"])  # old output intact
    assert big["versions"] == [small["current"]]  # its own staging is gone: the space is free
    assert again["code"] == 0 and OK_LINE in again["stdout"]  # the next run fits again
    assert again["versions"] == sorted([small["current"], again["current"]])


# --- names, foreign folders, older outputs ---


def test_glob_characters_in_input_and_output_paths_are_literal(world, tmp_path):
    inbox = copy_seeds(tmp_path / "inbox[2024]", 2)
    copy_seeds(tmp_path / "inbox2", 3)  # what the name means as a glob: never read
    out = tmp_path / "out[1]"
    for _ in range(3):  # reruns replace; nothing piles up in _v/
        result = newsline("--input", str(inbox), "--output", str(out))
        assert result.code == 0 and "check: read 2 = documents 2 + errors 0 -> OK" in result.out
    rows = {
        t: [r.replace(str(inbox), str(world["small"])) for r in rs]
        for t, rs in table_rows(out).items()
    }
    assert rows == world["rows_small"]  # the same rows as from a folder without [ ]
    assert len(versions(out)) == 2
    nothing = newsline("--input", str(inbox), "--output", str(out), "--incremental")
    assert nothing.code == 0 and "nothing new (2 unchanged files skipped)" in nothing.out
    before = snapshot(out)
    typo = str(tmp_path / "inbox[2024]x" / "*.txt")
    refused = newsline("--input", typo, "--output", str(out))
    assert refused.code == guard.NO_INPUT and typo in refused.message
    assert without_locks(snapshot(out)) == without_locks(before)


def test_an_empty_run_publishes_only_when_allowed(world, tmp_path):
    out, old, before = fresh_output(world, tmp_path / "out")
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = newsline("--input", str(empty), "--output", str(out))
    assert refused.code == guard.NO_INPUT
    assert_intact(out, old, before)
    allowed = newsline("--input", str(empty), "--output", str(out), "--allow_empty")
    # the folder is not an input: it is an error row of a pattern, reported by name in errors/
    assert allowed.code == 0 and "check: read 0 = documents 0 + errors 0 -> OK" in allowed.out
    assert "match:no_match: 1" in allowed.out
    rows = table_rows(out)
    assert rows["documents"] == [] and str(empty) in rows["errors"][0]


def test_a_run_that_makes_no_document_keeps_an_output_with_documents(world, tmp_path):
    """Inputs matched, but every one became an errors row (a folder of binaries, a mount of
    empty files): a full run would replace the documents with empty tables. It refuses (exit
    3) unless --allow_empty."""
    out, old, before = fresh_output(world, tmp_path / "out")
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "a.txt").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 40)
    (junk / "b.txt").write_bytes(b"")
    refused = newsline("--input", str(junk), "--output", str(out))
    assert refused.code == guard.NO_INPUT
    assert "none of the 2 inputs read became a document (2 error rows)" in refused.message
    assert "--allow_empty" in refused.message
    assert_intact(out, old, before)
    allowed = newsline("--input", str(junk), "--output", str(out), "--allow_empty")
    assert allowed.code == 0 and "check: read 2 = documents 0 + errors 2 -> OK" in allowed.out
    rows = table_rows(out)
    assert rows["documents"] == [] and len(rows["errors"]) == 2
    again = newsline("--input", str(junk), "--output", str(out))  # empty over empty: no loss
    assert again.code == 0


def test_an_interrupted_run_says_so_and_keeps_the_output(world, tmp_path):
    """Ctrl-C (SIGINT) while the run commits: exit 130 and one line, not a failure's
    traceback; the previous version stays current and whole."""
    out, old, before = fresh_output(world, tmp_path / "out")
    env = {faults.FAULT_ENV: "staged:interrupt"}
    stopped = newsline("--input", str(world["big"]), "--output", str(out), env=env)
    assert stopped.code == guard.INTERRUPTED == 130
    last = stopped.err.strip().splitlines()[-1]
    assert last == "newsline: interrupted; nothing was published, the output is as it was"
    assert "Traceback" not in stopped.err
    assert_intact(out, old, before)


def test_an_older_newsline_output_is_adopted_and_extended(world, tmp_path):
    ref = world["prefab_inc"]
    out = make_legacy(ref / "_v" / commit.read_current(str(ref)), tmp_path / "out")
    (out / "_staging" / "deadbeef0000-old" / "events").mkdir(parents=True)  # a killed publish
    result = newsline("--input", str(world["grow"]), "--output", str(out), "--incremental")
    assert result.code == 0 and OK_LINE in result.out, result.err
    assert "incremental: 2 unchanged files skipped" in result.out
    assert table_rows(out) == world["rows_grown"]
    assert versions(out) == sorted(["legacy", commit.read_current(str(out))])
    assert not (out / "_staging").exists()
    assert os.readlink(out / "events") == "_current/events"
