"""The Parquet writer: files with the table's explicit schema, in Hive partition folders of the
folder it is given (a run's version folder). Publishing is tests/test_commit.py's."""

import datetime as dt
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

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


def test_tables_become_one_file_with_a_row_group_each_and_the_same_values(tmp_path):
    rows = [event(dt.date(2019, 10, d)) for d in (1, 2, 3)]
    tables = [pa.Table.from_pylist(rows[:2], schema=EVENTS_SCHEMA)]
    tables += [EVENTS_SCHEMA.empty_table(), pa.Table.from_pylist(rows[2:], schema=EVENTS_SCHEMA)]
    [path] = sinks.write_tables(str(tmp_path / "p"), EVENTS_SCHEMA, iter(tables))
    assert pq.ParquetFile(path).metadata.num_row_groups == 2  # the empty table adds none
    assert pq.read_table(path, schema=EVENTS_SCHEMA).to_pylist() == rows
    # past max_bytes encoded, a new file: every row once
    paths = sinks.write_tables(str(tmp_path / "m"), EVENTS_SCHEMA, tables, max_bytes=1)
    assert len(paths) == 2
    assert [r for p in paths for r in pq.read_table(p, schema=EVENTS_SCHEMA).to_pylist()] == rows
    # no rows at all: no file
    empty = [EVENTS_SCHEMA.empty_table()]
    assert sinks.write_tables(str(tmp_path / "q"), EVENTS_SCHEMA, empty) == []
    assert sinks.write_tables(str(tmp_path / "r"), EVENTS_SCHEMA, []) == []
    assert not (tmp_path / "q").exists() and not (tmp_path / "r").exists()


def _chunks(path: str) -> dict:
    meta = pq.ParquetFile(path).metadata.row_group(0)
    return {meta.column(i).path_in_schema: meta.column(i) for i in range(meta.num_columns)}


def test_only_label_columns_are_dictionary_encoded_and_long_text_has_no_statistics(tmp_path):
    actors = [{"text": "Kenya", "type": "place", "start": 0, "end": 5}]
    row = {**event(dt.date(2019, 10, 27)), "sentence": "Kenya said so.", "tense": "past"}
    row["actors"] = actors
    rows = [{**row, "mention_id": f"m{i}"} for i in range(sinks.DICTIONARY_MIN_VALUES)]
    path = sinks.write_rows(str(tmp_path), "events", "year=2019/month=10", rows)
    columns = _chunks(path)
    assert all(c.compression == "ZSTD" for c in columns.values())
    dictionary = {p for p, c in columns.items() if c.dictionary_page_offset is not None}
    assert "tense" in dictionary and "actors.list.element.type" in dictionary
    assert not dictionary & {"event_id", "mention_id", "sentence", "char_start", "date_start"}
    assert dictionary <= sinks.DICTIONARY_COLUMNS
    assert not columns["sentence"].is_stats_set
    assert columns["date_start"].statistics.min == dt.date(2019, 10, 27)
    assert sinks.column_paths(EVENTS_SCHEMA)[24:28] == [
        f"actors.list.element.{name}" for name in ("text", "type", "start", "end")
    ]
    assert pq.read_table(path, schema=EVENTS_SCHEMA).to_pylist() == rows


def test_a_small_file_is_written_without_dictionaries_and_reads_back_the_same(tmp_path):
    row = {**event(dt.date(2019, 10, 27)), "tense": "past"}
    rows = [{**row, "mention_id": f"m{i}"} for i in range(sinks.DICTIONARY_MIN_VALUES - 1)]
    path = sinks.write_rows(str(tmp_path), "events", "year=2019/month=10", rows)
    columns = _chunks(path)
    assert all(c.dictionary_page_offset is None for c in columns.values())
    assert all(c.compression == "ZSTD" for c in columns.values())
    assert not columns["sentence"].is_stats_set and columns["date_start"].is_stats_set
    assert pq.read_table(path, schema=EVENTS_SCHEMA).to_pylist() == rows


def test_a_nested_label_column_is_dictionary_encoded_by_its_values_not_its_rows(tmp_path):
    actors = [{"text": f"Name{i}", "type": "person", "start": i, "end": i + 1} for i in range(4)]
    row = {**event(dt.date(2019, 10, 27)), "actors": actors}
    n = sinks.DICTIONARY_MIN_VALUES // 4  # few rows, but 4 actors each: enough values
    rows = [{**row, "mention_id": f"m{i}"} for i in range(n)]
    path = sinks.write_rows(str(tmp_path), "events", "year=2019/month=10", rows)
    dictionary = {p for p, c in _chunks(path).items() if c.dictionary_page_offset is not None}
    assert dictionary == {"actors.list.element.type"}
    assert pq.read_table(path, schema=EVENTS_SCHEMA).to_pylist() == rows


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_local_file_is_written_as_it_is_encoded_and_a_failure_leaves_no_open_file(tmp_path):
    rows = [event(dt.date(2019, 10, d)) for d in (1, 2)]
    first = pa.Table.from_pylist(rows, schema=EVENTS_SCHEMA)

    def tables():
        yield first
        # the file is on disk already, with the first row group's bytes, before the end
        [part] = list((tmp_path / "p").iterdir())
        assert part.name.startswith("part-") and part.stat().st_size > 0
        raise RuntimeError("the next table failed")

    before = _open_descriptors()
    with pytest.raises(RuntimeError, match="next table failed"):
        sinks.write_tables(str(tmp_path / "p"), EVENTS_SCHEMA, tables())
    assert _open_descriptors() == before  # the part-written file (a stray) was closed
