"""The commit protocol's pieces, without running the job: versions, the pointer, markers,
readers through the links, retention, stale staging, the version check, legacy outputs."""

from __future__ import annotations

import datetime as dt
import json
import os

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from tests.commitkit import snapshot
from transforms.output import commit, existing
from transforms.output import parquet as sinks
from transforms.output.runlock import is_held
from transforms.output.schemas import EVENTS_SCHEMA, TABLES


def event(day: dt.date | None, value: str = "x") -> dict:
    row = {name: None for name in EVENTS_SCHEMA.names}
    row.update(event_id=value, date_start=day, date_end=day, char_start=0, char_end=1)
    return row


def commit_events(out, run_id, base, rows_by_partition, **kwargs) -> dict:
    """Stage event rows as run `run_id` would and commit them over version `base`."""
    stage = commit.version_dir(str(out), run_id)
    paths = [sinks.write_rows(stage, "events", part, rows) for part, rows in rows_by_partition]
    return commit.publish(str(out), run_id, base, paths, {"inputs": 0}, is_held=is_held, **kwargs)


def ids(out) -> list[str]:
    found = duckdb.sql(
        f"SELECT event_id FROM read_parquet('{out}/events/**/*.parquet', hive_partitioning=true)"
    ).fetchall()
    return sorted(row[0] for row in found)


def test_duckdb_and_pyarrow_read_every_table_through_the_links(tmp_path):
    rows = [("year=2019/month=10", [event(dt.date(2019, 10, 27), "a")])]
    summary = commit_events(tmp_path, "a" * 12, None, rows)
    assert os.readlink(tmp_path / "_current") == "_v/" + "a" * 12
    assert os.readlink(tmp_path / "events") == "_current/events"
    assert ids(tmp_path) == ["a"]
    hive = duckdb.sql(
        f"SELECT year, month FROM read_parquet('{tmp_path}/events/**/*.parquet', "
        "hive_partitioning=true)"
    ).fetchall()
    assert hive == [(2019, 10)]
    dataset = ds.dataset(tmp_path / "events", format="parquet", partitioning="hive")
    assert dataset.to_table().column("event_id").to_pylist() == ["a"]
    assert dataset.to_table().column("year").to_pylist() == [2019]
    for name in TABLES:  # every table, empty ones too (one empty file so that globs match)
        assert ds.dataset(tmp_path / name, format="parquet").count_rows() >= 0
    assert json.loads((tmp_path / "_SUCCESS").read_text())["run_id"] == summary["run_id"]
    assert summary["files"] == {"events": 1, "documents": 1, "errors": 1, "timeline": 1}


def test_one_link_switches_every_table_and_keeps_the_version_before(tmp_path):
    first = "1" * 12
    commit_events(tmp_path, first, None, [("year=2019/month=10", [event(None, "a")])])
    second = "2" * 12
    summary = commit_events(tmp_path, second, first, [("year=2020/month=1", [event(None, "b")])])
    assert summary["previous"] == first and ids(tmp_path) == ["b"]
    third = "3" * 12
    commit_events(tmp_path, third, second, [("year=2020/month=1", [event(None, "c")])])
    # retention: the current version and the one before; the first is deleted after the commit
    assert sorted(p.name for p in (tmp_path / "_v").iterdir()) == [second, third]
    assert commit.kept_versions(str(tmp_path), 5) == [third, second]


def test_a_commit_over_a_version_that_is_no_longer_current_is_refused(tmp_path):
    first, mine, other = "1" * 12, "2" * 12, "3" * 12
    commit_events(tmp_path, first, None, [("year=0/month=0", [event(None, "a")])])
    commit_events(tmp_path, other, first, [("year=0/month=0", [event(None, "other")])])
    before = snapshot(tmp_path / "_v" / other)
    with pytest.raises(commit.CommitConflict, match="output changed while this run ran"):
        commit_events(tmp_path, mine, first, [("year=0/month=0", [event(None, "mine")])])
    assert commit.read_current(str(tmp_path)) == other and ids(tmp_path) == ["other"]
    assert snapshot(tmp_path / "_v" / other) == before
    commit.delete_own_staging(str(tmp_path), mine)  # what the run does on its way out
    assert not (tmp_path / "_v" / mine).exists()


def test_a_retried_commit_of_the_current_run_changes_nothing(tmp_path):
    run_id = "4" * 12
    first = commit_events(tmp_path, run_id, None, [("year=0/month=0", [event(None, "a")])])
    before = snapshot(tmp_path)
    again = commit.publish(str(tmp_path), run_id, None, [], {"inputs": 0})
    assert again == first and snapshot(tmp_path) == before


def test_files_of_failed_bundle_attempts_are_not_published(tmp_path):
    run_id = "5" * 12
    stage = commit.version_dir(str(tmp_path), run_id)
    kept = sinks.write_rows(stage, "events", "year=0/month=0", [event(None, "kept")])
    sinks.write_rows(stage, "events", "year=0/month=0", [event(None, "stray")])
    commit.publish(str(tmp_path), run_id, None, [kept], {})
    assert ids(tmp_path) == ["kept"]


def test_stale_staging_is_deleted_only_when_its_lock_is_free(tmp_path):
    from filelock import FileLock

    current = "6" * 12
    commit_events(tmp_path, current, None, [("year=0/month=0", [event(None, "a")])])
    dead, alive = tmp_path / "_v" / ("7" * 12), tmp_path / "_v" / ("8" * 12)
    for folder in (dead, alive):
        (folder / "events").mkdir(parents=True)
        (folder / "events" / "part-x.parquet").write_bytes(b"half")
    lock = FileLock(str(alive) + ".lock")
    lock.acquire()
    foreign = tmp_path / "_v" / "notes.txt"  # not a name this protocol makes
    foreign.write_text("mine")
    try:
        deleted = commit.remove_unkept(str(tmp_path), 2, is_held)
    finally:
        lock.release()
    assert deleted == ["7" * 12]
    assert alive.exists() and foreign.read_text() == "mine"
    assert commit.read_current(str(tmp_path)) == current


def test_markers_are_replaced_whole_and_unreadable_markers_mean_no_output(tmp_path, monkeypatch):
    marker = tmp_path / "_SUCCESS"
    commit.write_json(str(marker), {"run_id": "old"})

    def disk_full(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        commit.write_json(str(marker), {"run_id": "new"})
    monkeypatch.undo()
    assert json.loads(marker.read_text()) == {"run_id": "old"}  # old content, whole
    assert [p.name for p in tmp_path.iterdir()] == ["_SUCCESS"]  # no temporary file left
    for torn in (b"", b'{"run_id": "x', b"[1, 2]", b"\xff\xfe"):
        marker.write_bytes(torn)
        assert commit.read_json(str(marker)) is None


def test_the_schema_version_follows_the_tables_columns(monkeypatch):
    import pyarrow as pa

    from transforms.output import schemas as model

    before = commit.schema_version()
    changed = dict(model.TABLES, errors=model.TABLES["errors"].append(pa.field("x", pa.int8())))
    monkeypatch.setattr(commit, "TABLES", changed)
    assert commit.schema_version() != before


def test_inspect_tells_newsline_outputs_from_foreign_folders(tmp_path):
    assert existing.inspect(str(tmp_path / "missing")).kind == "empty"
    assert existing.inspect(str(tmp_path)).kind == "empty"
    user = tmp_path / "user"
    (user / "documents").mkdir(parents=True)
    (user / "documents" / "report.pdf").write_bytes(b"%PDF")
    found = existing.inspect(str(user))
    assert found.kind == "foreign" and "_SUCCESS" in found.reason
    (user / "_SUCCESS").write_text("{}")  # a _SUCCESS does not make a PDF ours
    assert existing.inspect(str(user)).kind == "foreign"
    legacy = tmp_path / "legacy"
    (legacy / "events" / "year=0").mkdir(parents=True)
    (legacy / "events" / "year=0" / "part-1.parquet").write_bytes(b"x")
    (legacy / "_staging").mkdir()  # a killed layout-1 publish: no _SUCCESS, only _staging
    assert existing.inspect(str(legacy)).kind == "legacy"
    out = tmp_path / "out"
    commit_events(out, "9" * 12, None, [("year=0/month=0", [event(None, "a")])])
    (out / "_newsline").write_text("")  # even an unreadable marker is newsline's
    found = existing.inspect(str(out))
    assert (found.kind, found.current, found.complete) == ("newsline", "9" * 12, True)
    (out / "_v" / ("9" * 12) / "_SUCCESS").write_text("")  # torn: no complete output, no crash
    assert existing.inspect(str(out)).complete is False


def test_a_legacy_output_becomes_a_version_and_an_interrupted_migration_resumes(tmp_path):
    out = tmp_path / "out"
    commit_events(tmp_path / "new", "a" * 12, None, [("year=0/month=0", [event(None, "old")])])
    from tests.commitkit import make_legacy

    make_legacy(tmp_path / "new" / "_v" / ("a" * 12), out)
    rows = sorted(pq.read_table(out / "events").column("event_id").to_pylist())
    # a migration cut after its first table: documents moved, its link not yet made
    (out / "_v" / "legacy").mkdir(parents=True)
    os.rename(out / "documents", out / "_v" / "legacy" / "documents")
    os.symlink("_v/legacy", out / "_current")
    assert existing.inspect(str(out)).kind == "legacy"
    existing.migrate_legacy(str(out))
    found = existing.inspect(str(out))
    assert (found.kind, found.current, found.complete) == ("newsline", "legacy", True)
    assert ids(out) == rows
    for name in ("documents", "errors", "_manifest", "_SUCCESS"):
        assert os.readlink(out / name) == f"_current/{name}"
    assert existing.version_schema(str(out), "legacy", found.success) == commit.schema_version()


def test_a_legacy_output_with_its_report_is_ours_and_the_report_moves_with_it(tmp_path):
    from tests.commitkit import make_legacy

    commit_events(tmp_path / "new", "a" * 12, None, [("year=0/month=0", [event(None, "old")])])
    out = make_legacy(tmp_path / "new" / "_v" / ("a" * 12), tmp_path / "out")
    (out / "report.html").write_text("<!doctype html>")  # `newsline report` on a layout-1 output
    assert existing.inspect(str(out)).kind == "legacy"
    existing.migrate_legacy(str(out))
    assert os.readlink(out / "report.html") == "_current/report.html"
    assert (out / "_v" / "legacy" / "report.html").read_text() == "<!doctype html>"
    odd = make_legacy(tmp_path / "new" / "_v" / ("a" * 12), tmp_path / "odd")
    (odd / "report.html").mkdir()  # not a file newsline writes
    found = existing.inspect(str(odd))
    assert found.kind == "foreign" and "report.html" in found.reason


def test_the_commit_writes_the_versions_report_before_its_success(tmp_path, monkeypatch):
    """The report is part of the version: written into the staging before _SUCCESS, so a
    version with a _SUCCESS has its report, and a failed report publishes nothing."""
    out = tmp_path / "out"
    commit_events(out, "b" * 12, None, [("year=2019/month=10", [event(None, "a")])])
    version = out / "_v" / ("b" * 12)
    assert os.readlink(out / "report.html") == "_current/report.html"
    assert ("b" * 12) in (out / "report.html").read_text(encoding="utf-8")
    assert (version / "report.html").stat().st_mtime <= (version / "_SUCCESS").stat().st_mtime
    assert json.loads((version / "_SUCCESS").read_text())["report"] == "report.html"

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(commit, "_write_report", broken)
    with pytest.raises(OSError, match="disk full"):
        commit_events(out, "c" * 12, "b" * 12, [("year=2019/month=10", [event(None, "b")])])
    assert commit.read_current(str(out)) == "b" * 12
    assert not (out / "_v" / ("c" * 12) / "_SUCCESS").exists()


def test_an_empty_full_run_is_refused_over_a_version_with_documents(monkeypatch):
    """commit.check_not_emptied: the base's documents are its `totals` when it was built by an
    incremental run (whose own `documents` count only that run's)."""
    counts = {"documents": 0, "inputs": 2, "errors": 2}
    base = {"documents": 0, "totals": {"documents": 5}}
    monkeypatch.setattr(commit, "current_success", lambda output, version: base)
    with pytest.raises(commit.EmptyRunRefused, match="keeps its 5 documents"):
        commit.check_not_emptied("out", "a" * 12, counts)
    commit.check_not_emptied("out", "a" * 12, {**counts, "documents": 1})  # not empty
    commit.check_not_emptied("out", None, counts)  # nothing to lose
    monkeypatch.setattr(commit, "current_success", lambda output, version: {"documents": 0})
    commit.check_not_emptied("out", "a" * 12, counts)  # empty over empty
