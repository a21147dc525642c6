"""The Parquet writer: files with the table's explicit schema, in Hive partition folders of the
folder it is given (a run's version folder). Publishing is tests/test_commit.py's."""

import datetime as dt

import pyarrow.parquet as pq

from tests.test_commit import event
from transforms.output import parquet as sinks
from transforms.output.schemas import EVENTS_SCHEMA


def test_written_files_carry_the_explicit_schema(tmp_path):
    stage = str(tmp_path / "_v" / "r1")
    path = sinks.write_rows(stage, "events", "year=2019/month=10", [event(dt.date(2019, 10, 27))])
    assert "/_v/r1/events/year=2019/month=10/" in path
    assert pq.read_schema(path).equals(EVENTS_SCHEMA)


def test_listing_takes_glob_characters_in_the_folder_literally(tmp_path):
    folder = tmp_path / "out[1]"
    written = sinks.write_rows(str(folder), "events", "year=0/month=0", [event(None)])
    (tmp_path / "out1").mkdir()  # what `out[1]` means as a glob
    (tmp_path / "out1" / "x.parquet").write_bytes(b"")
    assert [m.path for m in sinks.list_files(str(folder))] == [written]
