import datetime as dt
import json

import duckdb
import pyarrow.parquet as pq

from transforms.output import parquet as sinks
from transforms.output.schemas import EVENTS_SCHEMA


def event(day: dt.date | None, value: str = "x") -> dict:
    row = {name: None for name in EVENTS_SCHEMA.names}
    row.update(event_id=value, date_start=day, date_end=day, char_start=0, char_end=1)
    return row


def stage_events(out, run_id, rows_by_partition):
    stage = sinks.staging_dir(str(out), run_id)
    return [sinks.write_rows(stage, "events", part, rows) for part, rows in rows_by_partition]


def test_written_files_carry_the_explicit_schema(tmp_path):
    [path] = stage_events(tmp_path, "r1", [("year=2019/month=10", [event(dt.date(2019, 10, 27))])])
    assert "/_staging/r1/events/year=2019/month=10/" in path
    assert pq.read_schema(path).equals(EVENTS_SCHEMA)


def test_publish_moves_files_into_hive_folders_and_writes_success_last(tmp_path):
    paths = stage_events(
        tmp_path,
        "r1",
        [
            ("year=2019/month=10", [event(dt.date(2019, 10, 27), "a")]),
            ("year=0/month=0", [event(None, "b")]),
        ],
    )
    summary = sinks.publish(str(tmp_path), "r1", paths, {"inputs": 2})
    assert not (tmp_path / "_staging").exists()
    assert json.loads((tmp_path / "_SUCCESS").read_text())["run_id"] == "r1"
    assert summary["files"] == {"events": 2, "documents": 1, "errors": 1, "timeline": 1}
    rows = duckdb.sql(
        f"select event_id, year, month from read_parquet('{tmp_path}/events/**/*.parquet', "
        "hive_partitioning=true) order by 1"
    ).fetchall()
    assert rows == [("a", 2019, 10), ("b", 0, 0)]
    # empty tables still have a readable file with the right columns
    n = duckdb.sql(f"select count(*) from read_parquet('{tmp_path}/errors/*.parquet')").fetchall()[
        0
    ]
    assert n == (0,)


def test_rerun_replaces_the_previous_tables(tmp_path):
    first = stage_events(
        tmp_path, "r1", [("year=2019/month=10", [event(dt.date(2019, 10, 1), "old")])]
    )
    sinks.publish(str(tmp_path), "r1", first, {})
    second = stage_events(
        tmp_path, "r2", [("year=2020/month=1", [event(dt.date(2020, 1, 1), "new")])]
    )
    sinks.publish(str(tmp_path), "r2", second, {})
    ids = duckdb.sql(
        f"select event_id from read_parquet('{tmp_path}/events/**/*.parquet')"
    ).fetchall()
    assert ids == [("new",)]
    assert not (tmp_path / "events" / "year=2019").exists()


def test_files_of_failed_bundle_attempts_are_not_published(tmp_path):
    kept = stage_events(
        tmp_path, "r1", [("year=2019/month=10", [event(dt.date(2019, 10, 1), "ok")])]
    )
    stage_events(tmp_path, "r1", [("year=2019/month=10", [event(dt.date(2019, 10, 1), "retry")])])
    sinks.publish(str(tmp_path), "r1", kept, {})
    ids = duckdb.sql(f"select event_id from read_parquet('{tmp_path}/events/**/*.parquet')")
    assert ids.fetchall() == [("ok",)]


def test_an_unpublished_run_leaves_the_previous_output_readable(tmp_path):
    first = stage_events(
        tmp_path, "r1", [("year=2019/month=10", [event(dt.date(2019, 10, 1), "old")])]
    )
    sinks.publish(str(tmp_path), "r1", first, {})
    stage_events(tmp_path, "r2", [("year=2020/month=1", [event(dt.date(2020, 1, 1), "new")])])
    # run r2 dies before publish: readers still see r1's table and r1's _SUCCESS
    ids = duckdb.sql(f"select event_id from read_parquet('{tmp_path}/events/**/*.parquet')")
    assert ids.fetchall() == [("old",)]
    assert sinks.read_success(str(tmp_path))["run_id"] == "r1"


def test_a_retried_publish_of_the_same_run_changes_nothing(tmp_path):
    paths = stage_events(tmp_path, "r1", [("year=2019/month=10", [event(dt.date(2019, 10, 1))])])
    first = sinks.publish(str(tmp_path), "r1", paths, {"inputs": 1})
    again = sinks.publish(str(tmp_path), "r1", paths, {"inputs": 1})
    assert again == first
    ids = duckdb.sql(f"select count(*) from read_parquet('{tmp_path}/events/**/*.parquet')")
    assert ids.fetchall() == [(1,)]
