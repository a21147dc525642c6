"""Scratch files (Arrow IPC between the events writer and the clustering): the same table read
back, whole or by columns, as from a Parquet file; and the clustering publishes one Parquet file
per partition from them, never a scratch file."""

import datetime as dt

import pyarrow as pa

from tests.test_commit import event
from transforms.output import parquet, scratch
from transforms.output.schemas import EVENTS_SCHEMA
from transforms.output.timeline import row_groups


def table(days: list[int]) -> pa.Table:
    rows = [event(dt.date(2019, 10, d), f"m{d}") for d in days]
    return pa.Table.from_pylist(rows, schema=EVENTS_SCHEMA)


def test_a_scratch_file_reads_back_like_the_parquet_file_of_the_same_rows(tmp_path):
    rows = table([1, 2, 3])
    ipc = scratch.write_scratch(str(tmp_path / "s" / "year=2019" / "month=10"), rows)
    pq_path = parquet.write_table(str(tmp_path / "p"), rows)
    assert scratch.is_scratch(ipc) and not scratch.is_scratch(pq_path)
    assert ipc.endswith(".arrow") and "/year=2019/month=10/part-" in ipc
    for path in (ipc, pq_path):
        assert scratch.read_table(path, EVENTS_SCHEMA).equals(rows)
        narrow = scratch.read_table(path, EVENTS_SCHEMA, ["mention_id", "event_id"])
        assert narrow.column_names == ["mention_id", "event_id"]
        assert narrow.column("event_id").to_pylist() == ["m1", "m2", "m3"]
        assert scratch.n_rows(path) == 3


def test_row_groups_join_small_tables_up_to_the_byte_size():
    tables = [table([d]) for d in range(1, 7)]
    one = list(row_groups(iter(tables), max_bytes=1 << 30))
    assert len(one) == 1 and one[0].num_rows == 6
    each = list(row_groups(iter(tables), max_bytes=1))  # every table is past the size alone
    assert [t.num_rows for t in each] == [1] * 6
    assert list(row_groups(iter([]))) == []
