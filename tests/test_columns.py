"""The columnar writer: rows -> Arrow columns per partition, bounded in bytes, each partition
written once per batch (transforms/output/columns.py and output/beam.py's WriteTableFn)."""

import datetime as dt

import pyarrow.parquet as pq

from tests.test_commit import event
from transforms.output import columns
from transforms.output.beam import WriteTableFn
from transforms.output.schemas import EVENTS_SCHEMA

MONTHS = (dt.date(2019, 1, 5), dt.date(2019, 2, 5), None)


def rows(n: int) -> list[dict]:
    """n event rows spread over three partitions, each with its own id and sentence."""
    out = []
    for i in range(n):
        row = event(MONTHS[i % 3], f"e{i}")
        row["sentence"] = f"sentence {i} " * (i % 7)
        out.append(row)
    return out


def test_drain_gives_every_row_once_per_partition_with_its_values():
    buffers = columns.ColumnBuffers("events")
    given = rows(5000)  # more than CHUNK_ROWS in each partition: several batches each
    assert not any(buffers.add(row) for row in given)
    assert len(buffers) == 3
    drained = list(buffers.drain())
    assert sorted(p for p, _ in drained) == [
        "year=0/month=0",
        "year=2019/month=1",
        "year=2019/month=2",
    ]
    for partition, table in drained:
        assert table.schema.equals(EVENTS_SCHEMA)
        expected = [r for r in given if columns.PARTITIONERS["events"](r) == partition]
        assert table.to_pylist() == expected  # same rows, same order, same values
    assert buffers.nbytes == 0 and len(buffers) == 0
    assert list(buffers.drain()) == []


def test_add_says_full_once_the_byte_budget_is_reached():
    buffers = columns.ColumnBuffers("events", batch_bytes=200_000)
    full_at = next(i for i, row in enumerate(rows(20_000)) if buffers.add(row))
    assert buffers.nbytes >= 200_000
    # bounded in bytes, not rows: the budget is reached after some hundreds of rows
    assert 100 < full_at < 5000


def test_pending_rows_are_converted_past_their_byte_cap(monkeypatch):
    monkeypatch.setattr(columns, "PENDING_BYTES", 10_000)
    buffers = columns.ColumnBuffers("events")
    for row in rows(200):
        buffers.add(row)
        assert buffers.pending_bytes <= 10_000 + 1000
    assert buffers.arrow_bytes > 0
    assert sum(t.num_rows for _, t in buffers.drain()) == 200


def test_thin_partitions_share_one_batch_through_many_conversions(monkeypatch):
    """Each PENDING_BYTES conversion used to add one more small batch to every thin partition
    (about 31 KB of real memory each, whatever its rows: transforms/output/columns.py); now
    their rows are in one batch shared by all partitions, and none holds a batch of its own."""
    monkeypatch.setattr(columns, "PENDING_BYTES", 10_000)
    buffers = columns.ColumnBuffers("events")
    given = rows(3000)  # ~1,000 rows a partition, converted a few rows at a time
    conversions = 0
    for row in given:
        before = [id(b) for b in buffers.tail.batches()]
        buffers.add(row)
        conversions += [id(b) for b in buffers.tail.batches()] != before
        assert buffers.chunks == {}
    assert conversions > 20
    held = buffers.tail.batches()  # the shared batch and the conversions' batches since
    assert sum(b.num_rows for b in held) == 3000 - sum(map(len, buffers.pending.values()))
    # counted exactly: the held batches' buffers, nothing else
    assert buffers.arrow_bytes == sum(b.get_total_buffer_size() for b in held)
    for partition, table in buffers.drain():  # same rows, same order
        assert table.to_pylist() == [
            r for r in given if columns.PARTITIONERS["events"](r) == partition
        ]


def test_a_partition_past_chunk_rows_gets_a_batch_per_chunk():
    buffers = columns.ColumnBuffers("events")
    for row in rows(3 * (2 * columns.CHUNK_ROWS + 10)):
        buffers.add(row)
    assert all(len(batches) == 2 for batches in buffers.chunks.values())
    assert all(b.num_rows == columns.CHUNK_ROWS for bs in buffers.chunks.values() for b in bs)
    assert len(buffers.chunks) == 3


def test_writer_writes_one_file_per_partition_per_bundle(tmp_path):
    writer = WriteTableFn("events", str(tmp_path), batched=True)
    writer.start_bundle()
    given = rows(3000)
    paths = [p for i in range(0, 3000, 15) for p in writer.process(given[i : i + 15])]
    assert paths == []  # nothing written before the end of the bundle (far under 64 MiB)
    paths = [wv.value for wv in writer.finish_bundle()]
    assert len(paths) == 3
    written = sorted((r for p in paths for r in pq.read_table(p).to_pylist()), key=str)
    assert written == sorted(given, key=str)


def test_a_full_batch_writes_the_largest_partitions_and_keeps_the_thin_ones():
    buffers = columns.ColumnBuffers("events", batch_bytes=10**9)
    given = rows(3000)
    for i, row in enumerate(given):  # one big partition, two thin ones
        if i % 10:
            row["date_start"] = row["date_end"] = dt.date(2019, 1, 5)
        buffers.add(row)
    sizes = {p: buffers.size(p) for p in ("year=2019/month=1", "year=2019/month=2")}
    assert sizes["year=2019/month=1"] > 5 * sizes["year=2019/month=2"]
    # a partition's share of the shared batch is rounded down: within a byte per partition
    assert 0 <= buffers.nbytes - sum(buffers.size(p) for p in buffers.partitions) <= 3
    first = list(buffers.drain(down_to=buffers.nbytes // 2))
    assert [p for p, _ in first] == ["year=2019/month=1"]  # the largest only
    rest = list(buffers.drain())
    assert sorted(p for p, _ in rest) == ["year=0/month=0", "year=2019/month=2"]
    assert buffers.nbytes == 0 and len(buffers) == 0
    written = [r for _, t in first + rest for r in t.to_pylist()]
    assert sorted(written, key=str) == sorted(given, key=str)
