"""Refuse, don't destroy: each case is the command line as a user types it (in this process:
refusals happen before any pipeline starts). Each asserts the exit code, the one-line message,
and that the previous output and every foreign file are exactly as they were."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from tests.commitkit import cli, make_legacy, snapshot, without_locks
from tests.test_commit import commit_events, event
from transforms.output import commit, guard


@pytest.fixture
def published(tmp_path):
    """A committed newsline output (one event row), and its snapshot."""
    out = tmp_path / "out"
    commit_events(out, "a" * 12, None, [("year=2019/month=1", [event(dt.date(2019, 1, 2), "e")])])
    return out, snapshot(out)


@pytest.fixture
def run_cli(capsys, monkeypatch):
    return lambda *args: cli(*args, capsys=capsys, monkeypatch=monkeypatch)


def test_input_is_required_even_from_another_folder(published, run_cli, tmp_path, monkeypatch):
    out, before = published
    monkeypatch.chdir(tmp_path)  # where seeds/*.txt would match nothing
    result = run_cli("--output", str(out))
    assert result.code == guard.USAGE == 2
    assert result.message.startswith("newsline: --input is required")
    assert snapshot(out) == before


@pytest.mark.parametrize("empty", ["", " "])
def test_an_empty_input_pattern_is_an_error(published, run_cli, empty):
    out, before = published
    result = run_cli("--input", empty, "--output", str(out))
    assert (result.code, result.message) == (
        2,
        f"newsline: --input {empty!r} is empty: give a file, folder or glob",
    )
    assert snapshot(out) == before


def test_a_pattern_that_matches_nothing_does_not_replace_the_output(published, run_cli, tmp_path):
    out, before = published
    typo = str(tmp_path / "inbox" / "*.txtt")
    result = run_cli("--input", typo, "--output", str(out))
    assert result.code == guard.NO_INPUT == 3
    assert f"newsline: --input {typo!r} matched no file" in result.err  # reported by name
    assert result.message.startswith(f"newsline: no file matched --input {typo!r}")
    assert "--allow_empty" in result.message
    assert without_locks(snapshot(out)) == without_locks(before)


def test_incremental_over_an_output_without_a_manifest_refuses(published, run_cli, tmp_path):
    out, before = published  # committed without the manifest of the inputs it read
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "a.txt").write_text("The plant closed on May 5, 2022.")
    result = run_cli("--input", str(tmp_path / "inbox"), "--output", str(out), "--incremental")
    assert result.code == guard.INCREMENTAL_REFUSED
    assert "no input manifest" in result.message
    assert without_locks(snapshot(out)) == without_locks(before)


def test_a_foreign_output_folder_is_refused_and_left_alone(run_cli, tmp_path):
    proj = tmp_path / "proj"
    (proj / "documents").mkdir(parents=True)
    (proj / "documents" / "contract.pdf").write_bytes(b"%PDF-1.4 mine")
    (proj / "events").mkdir()
    (proj / "events" / "notes.txt").write_text("my notes")
    before = snapshot(proj)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("The plant closed on January 5, 2022.")
    result = run_cli("--input", str(tmp_path / "in"), "--output", str(proj))
    assert result.code == guard.OUTPUT_REFUSED == 4
    assert result.message.startswith(f"newsline: --output {str(proj)!r} is not empty and is not")
    assert snapshot(proj) == before  # not even a lock file


@pytest.mark.parametrize(
    "inp, outp",
    [
        ("proj/documents", "proj"),  # the input articles are inside the output
        ("proj", "proj/out"),  # the output is inside the input: it would read its own Parquet
        ("proj/*", "proj/out"),  # a glob that matches the output folder
        ("proj/**/*.txt", "proj/out"),
    ],
)
def test_overlapping_input_and_output_trees_are_refused(run_cli, tmp_path, inp, outp):
    (tmp_path / "proj" / "documents").mkdir(parents=True)
    (tmp_path / "proj" / "documents" / "a.txt").write_text("The plant closed on May 5, 2022.")
    before = snapshot(tmp_path / "proj")
    result = run_cli("--input", str(tmp_path / inp), "--output", str(tmp_path / outp))
    assert result.code == guard.OUTPUT_REFUSED
    assert result.message.startswith("newsline: --output") and "overlap" in result.message
    assert snapshot(tmp_path / "proj") == before


def test_sibling_folders_and_narrow_globs_do_not_overlap(tmp_path):
    (tmp_path / "data").mkdir()
    guard.check_overlap([str(tmp_path / "data" / "*.txt")], str(tmp_path / "data" / "out"))
    guard.check_overlap([str(tmp_path / "data")], str(tmp_path / "data-out"))
    with pytest.raises(guard.Refused):
        guard.check_overlap([str(tmp_path / "data" / "o*")], str(tmp_path / "data" / "out"))


def test_incremental_over_an_incomplete_previous_output_refuses(tmp_path, run_cli):
    """A layout-1 publish killed half-way left tables and no _SUCCESS: an incremental run
    would publish only its own inputs and drop the history."""
    commit_events(tmp_path / "src", "b" * 12, None, [("year=0/month=0", [event(None, "e")])])
    out = make_legacy(tmp_path / "src" / "_v" / ("b" * 12), tmp_path / "out", success=False)
    (out / "_staging").mkdir()
    before = snapshot(out)
    (tmp_path / "day4").mkdir()
    (tmp_path / "day4" / "a.txt").write_text("The plant closed on May 5, 2022.")
    result = run_cli("--input", str(tmp_path / "day4"), "--output", str(out), "--incremental")
    assert result.code == guard.INCREMENTAL_REFUSED == 5
    assert "is incomplete" in result.message and "without --incremental" in result.message
    assert without_locks(snapshot(out)) == before


def test_an_unreadable_success_marker_is_no_complete_output_not_a_crash(published, run_cli):
    out, _ = published
    (out / "_v" / ("a" * 12) / "_SUCCESS").write_bytes(b"")  # torn by a crash or a full disk
    before = snapshot(out)
    result = run_cli("--input", "seeds", "--output", str(out), "--incremental")
    assert result.code == guard.INCREMENTAL_REFUSED
    assert "no readable _SUCCESS" in result.message
    assert without_locks(snapshot(out)) == without_locks(before)


def test_incremental_refuses_another_table_schema(published, run_cli):
    out, _ = published
    success = out / "_v" / ("a" * 12) / "_SUCCESS"
    summary = json.loads(success.read_text())
    success.write_text(json.dumps({**summary, "schema_version": "0123456789abcdef"}))
    before = snapshot(out)
    result = run_cli("--input", "seeds", "--output", str(out), "--incremental")
    assert result.code == guard.INCREMENTAL_REFUSED
    assert "table schema 0123456789abcdef" in result.message
    assert commit.schema_version() in result.message
    assert without_locks(snapshot(out)) == without_locks(before)


def test_a_run_that_finds_the_lock_held_refuses_at_once(published, run_cli):
    from filelock import FileLock

    out, before = published
    with FileLock(str(out / commit.LOCK)):  # another run is writing this output
        result = run_cli("--input", "seeds", "--output", str(out))
    assert result.code == guard.BUSY == 75
    assert result.message.startswith("newsline: another newsline run is writing")
    assert without_locks(snapshot(out)) == without_locks(before)


def test_every_refusal_is_one_line():
    for code in guard.EXIT_CODES:
        refused = guard.Refused(code, "a\nb   c")
        assert refused.message == "newsline: a b c" and refused.code == code


def test_every_exit_code_is_documented(repo_root):
    doc = (repo_root / "docs" / "runs.md").read_text()
    section = doc[doc.index("## Exit codes") :]
    for code in guard.EXIT_CODES:
        assert f"| {code} |" in section


def test_readers_take_an_existing_path_literally(tmp_path):
    from transforms.ingest import readers

    inbox = tmp_path / "inbox[2024]"
    inbox.mkdir()
    (inbox / "a.txt").write_text("x")
    (tmp_path / "inbox2").mkdir()  # what `inbox[2024]` means as a glob: must not be read
    (tmp_path / "inbox2" / "b.txt").write_text("y")
    found = list(readers.match_input(str(inbox)))
    assert [r.path for r in found] == [str(inbox / "a.txt")]
    found = list(readers.match_input(str(inbox / "a.txt")))
    assert [r.path for r in found] == [str(inbox / "a.txt")]
    assert guard.matches_a_file(str(inbox)) and not guard.matches_a_file(str(tmp_path / "z*"))
    [row] = list(readers.match_input(str(tmp_path / "z*")))
    assert (row.source, row.stage, row.reason) == (str(tmp_path / "z*"), "match", "no_match")
    os.makedirs(tmp_path / "empty")
    [row] = list(readers.match_input(str(tmp_path / "empty")))
    assert row.reason == "no_match"


def test_an_output_copied_with_links_followed_is_refused_not_half_committed(published, run_cli):
    import shutil

    out, _ = published
    copy = out.parent / "copy"  # as a copy that follows links makes it: folders, not links
    shutil.copytree(out / "_v", copy / "_v")
    version = out / "_v" / ("a" * 12)
    shutil.copytree(version, copy / "_current")
    for name in ("events", "documents", "errors"):
        shutil.copytree(version / name, copy / name)
    before = snapshot(copy)
    result = run_cli("--input", "seeds", "--output", str(copy))
    assert result.code == guard.OUTPUT_REFUSED
    assert "copy it with cp -a" in result.message
    assert snapshot(copy) == before
