"""The columnar writer's one conversion per flush and its shared tail (transforms/output/
columns.py, transforms/output/tails.py) against the reference: each partition's rows converted
on their own (`columns.to_batch`), the way the writer converted them before. Random rows of
every table's schema (nulls, empty and long lists, nested structs, non-ASCII text), spread over
many partitions, through many conversions, CHUNK_ROWS chunks and partial drains: every table
drained must be equal to the reference, row for row and in order, and the bytes counted must
be the bytes held."""

import datetime as dt
import os
import random

import pyarrow as pa
import pytest

from transforms.output import columns, scratch
from transforms.output.schemas import PARTITIONERS, TABLES
from transforms.output.tails import SharedTail

TEXTS = ("", "a", "Grève générale", "会议 在 北京", "x" * 300, "line\nbreak", "emoji 🎉")


def value(kind: pa.DataType, rng: random.Random, depth: int = 0):
    """A random value of an Arrow type, or None (a null) one time in five."""
    if rng.random() < 0.2:
        return None
    if pa.types.is_string(kind):
        return rng.choice(TEXTS) + str(rng.randrange(1000))
    if pa.types.is_int64(kind):
        return rng.randrange(-(2**40), 2**40)
    if pa.types.is_date32(kind):
        return dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(15_000))
    if pa.types.is_list(kind):
        return [value(kind.value_type, rng, depth + 1) for _ in range(rng.choice((0, 1, 2, 7)))]
    if pa.types.is_struct(kind):
        return {f.name: value(f.type, rng, depth + 1) for f in kind}
    raise NotImplementedError(f"no random values of {kind}: add them here")


def random_rows(table: str, n: int, seed: int, months: int = 40) -> list[dict]:
    """n rows of `table`; dated rows over `months` months (and undated ones): many partitions,
    a few fat ones. Some rows leave columns out (a missing key is a null)."""
    rng = random.Random(seed)
    schema = TABLES[table]
    out = []
    for i in range(n):
        row = {f.name: value(f.type, rng) for f in schema if rng.random() > 0.05}
        month = min(int(rng.expovariate(0.15)), months)  # month 0 is the fattest
        day = dt.date(2000 + month // 12, 1 + month % 12, 1 + rng.randrange(28))
        if table in ("events", "timeline"):
            row["date_start"] = day if month < months else None
            row["date_end"] = day if rng.random() < 0.9 else day + dt.timedelta(days=40)
        if table == "documents":
            row["published"] = day if month < months else None
        row["n_chars"] = rng.randrange(0, 5000) if "n_chars" in schema.names else None
        row[schema.names[0]] = f"row{i}"  # every row told apart by its first column
        out.append(row)
    return out


def reference(table: str, rows: list[dict]) -> dict[str, pa.Table]:
    """Each partition's rows, in order, converted on their own."""
    by_partition: dict[str, list[dict]] = {}
    partitioner = PARTITIONERS[table]
    for row in rows:
        by_partition.setdefault(partitioner(row) if partitioner else "", []).append(row)
    schema = TABLES[table]
    return {
        p: pa.Table.from_batches([columns.to_batch(schema, r)]) for p, r in by_partition.items()
    }


def drained_tables(table: str, rows: list[dict], batch_bytes: int) -> dict[str, pa.Table]:
    """The rows through ColumnBuffers as the writer uses it: a partial drain whenever `add`
    says full, every partition at the end; the tables of each partition in drain order."""
    buffers = columns.ColumnBuffers(table, batch_bytes=batch_bytes)
    got: dict[str, list[pa.Table]] = {}

    def take(down_to):
        for partition, drained in buffers.drain(down_to):
            assert drained.schema.equals(TABLES[table])
            assert drained.num_rows > 0
            got.setdefault(partition, []).append(drained)
        held = [b for bs in buffers.chunks.values() for b in bs]
        tail = buffers.tail.batch
        exact = sum(b.get_total_buffer_size() for b in held)
        exact += tail.get_total_buffer_size() if tail is not None else 0
        assert buffers.arrow_bytes == exact  # after a drain the count is exact
        assert buffers.nbytes <= down_to  # and within the bound
        if tail is not None:  # rows written are gone from the shared batch
            assert tail.num_rows == sum(n for _, n in buffers.tail.spans.values())

    for row in rows:
        if buffers.add(row):
            assert buffers.nbytes >= batch_bytes
            take(batch_bytes // 2)
    take(0)
    assert len(buffers) == 0 and buffers.tail.batch is None and buffers.chunks == {}
    return {p: pa.concat_tables(tables) for p, tables in got.items()}


@pytest.mark.parametrize(
    ("table", "n", "pending", "chunk", "batch_bytes"),
    [
        ("events", 3000, 20_000, 64, 10**9),  # many conversions and chunks, one drain
        ("events", 3000, 20_000, 64, 300_000),  # and partial drains
        ("events", 2500, 5_000, 2048, 150_000),  # thin partitions through partial drains
        ("documents", 600, 30_000, 16, 400_000),
        ("errors", 500, 10_000, 32, 100_000),  # one partition, ""
        ("timeline", 800, 4_000, 8, 10**9),
    ],
)
def test_drained_tables_equal_each_partition_converted_on_its_own(
    monkeypatch, table, n, pending, chunk, batch_bytes
):
    monkeypatch.setattr(columns, "PENDING_BYTES", pending)
    monkeypatch.setattr(columns, "CHUNK_ROWS", chunk)
    rows = random_rows(table, n, seed=n + chunk)
    expected = reference(table, rows)
    got = drained_tables(table, rows, batch_bytes)
    assert sorted(got) == sorted(expected)
    for partition, want in expected.items():
        assert got[partition].equals(want), partition  # values, nulls, order
    assert sum(t.num_rows for t in got.values()) == n


@pytest.mark.parametrize(
    ("n", "pending", "chunk", "batch_bytes"),
    [
        (3000, 20_000, 64, 10**9),  # many conversions and chunks, one drain
        (3000, 20_000, 64, 300_000),  # and partial drains (rows taken out of the shared batch)
        (2500, 5_000, 2048, 150_000),  # thin partitions through partial drains
        (800, 10**9, 2048, 10**9),  # one conversion: the shared batch as converted
    ],
)
def test_a_shared_drain_writes_the_shared_batch_once_and_each_partition_reads_back(
    monkeypatch, tmp_path, n, pending, chunk, batch_bytes
):
    """The end of a bundle into a scratch file (`drain` with `shared`, as WriteEventsFn): the
    partitions whose rows are all in the shared tail name rows of its batch, written once;
    every partition's rows read back equal the reference, in order, and a reference's rows
    count its share of the batch's bytes."""
    monkeypatch.setattr(columns, "PENDING_BYTES", pending)
    monkeypatch.setattr(columns, "CHUNK_ROWS", chunk)
    rows = random_rows("events", n, seed=n + chunk + 1)
    expected = reference("events", rows)
    buffers = columns.ColumnBuffers("events", batch_bytes=batch_bytes)
    got: dict[str, list[pa.Table]] = {}
    last = {}

    def take(down_to):
        drained = buffers.drain(down_to, shared=not down_to)
        path, refs = scratch.write_partitions(str(tmp_path / "events"), drained)
        for partition, ref in refs:
            table, size = scratch.read_sized(ref, TABLES["events"])
            assert scratch.n_rows(ref) == table.num_rows > 0 and 0 < size
            got.setdefault(partition, []).append(table)
        last.update(path=path, refs=refs)

    for row in rows:
        if buffers.add(row):
            take(batch_bytes // 2)
    take(0)
    assert len(buffers) == 0 and buffers.tail.batch is None and buffers.nbytes == 0
    assert sorted(got) == sorted(expected)
    for partition, want in expected.items():
        assert pa.concat_tables(got[partition]).equals(want), partition
    firsts = [scratch.parse(ref)[1] for _, ref in last["refs"]]
    assert len(set(firsts)) < len(firsts)  # the thin partitions share one batch


def test_rows_converted_in_one_call_for_every_partition(monkeypatch):
    """The point of the change: a conversion per flush, not one per partition."""
    rows = random_rows("events", 1000, seed=3, months=200)
    partitions = len(reference("events", rows))
    calls = []
    original = columns.to_batch
    monkeypatch.setattr(columns, "to_batch", lambda s, r: calls.append(len(r)) or original(s, r))
    monkeypatch.setattr(columns, "PENDING_BYTES", 50_000)
    buffers = columns.ColumnBuffers("events")
    for row in rows:
        buffers.add(row)
    drained = list(buffers.drain())
    assert len(drained) == partitions > 30
    assert len(calls) < 20 and sum(calls) == 1000


def test_a_tail_past_chunk_rows_moves_to_a_batch_of_its_own_in_order(monkeypatch):
    monkeypatch.setattr(columns, "PENDING_BYTES", 2_000)
    monkeypatch.setattr(columns, "CHUNK_ROWS", 10)
    rows = [
        dict(r, date_start=dt.date(2001, 1, 1), date_end=None)
        for r in random_rows("events", 95, seed=5)
    ]
    buffers = columns.ColumnBuffers("events")
    for row in rows:
        buffers.add(row)
        assert buffers.tail.rows("year=2001/month=1") <= 10
    assert all(b.num_rows <= 10 for b in buffers.chunks["year=2001/month=1"])
    ((partition, drained),) = list(buffers.drain())
    assert drained.equals(reference("events", rows)[partition])


def test_shared_tail_extend_pop_compact():
    schema = TABLES["errors"]
    tail = SharedTail(schema)

    def batch(*names):
        return columns.to_batch(schema, [{"message": m} for m in names])

    def messages(batch):
        return batch.column("message").to_pylist()

    tail.extend(batch("a1", "a2", "b1"), [("a", 0, 2, 100), ("b", 2, 1, 100)])
    assert tail.nbytes == tail.batch.get_total_buffer_size()
    first = tail.batch
    tail.extend(batch("c1", "a3"), [("c", 0, 1, 100), ("a", 1, 1, 100)])
    assert tail.batch is first and len(tail.newer) == 1  # kept as it came: no copy yet
    assert tail.nbytes == sum(b.get_total_buffer_size() for b in tail.batches())
    assert tail.rows("a") == 3 and len(tail) == 3
    assert messages(tail.pop("b")) == ["b1"]  # only in the shared batch: a slice, no rebuild
    assert tail.newer and tail.nbytes == tail.built_bytes * 300 // 400  # b stops counting
    copy = tail.pop("c", copy=True)  # in a newer batch: copied out, no rebuild
    assert messages(copy) == ["c1"] and tail.newer
    assert copy.get_total_buffer_size() < tail.built_bytes  # its own, small buffers
    tail.compact()  # one batch of the live rows, each partition's rows together, in order
    assert messages(tail.batch) == ["a1", "a2", "a3"] and tail.newer == []
    assert tail.nbytes == tail.batch.get_total_buffer_size() and tail.spans == {"a": (0, 3)}
    assert tail.pop("a").num_rows == 3
    assert tail.batch is None and tail.nbytes == 0 and len(tail) == 0
    with pytest.raises(KeyError):
        tail.pop("a")


def test_shared_tail_rebuilds_when_written_or_mostly_taken_out():
    schema = TABLES["errors"]
    tail = SharedTail(schema)

    def batch(*names):
        return columns.to_batch(schema, [{"message": m} for m in names])

    tail.extend(batch("a1", "b1"), [("a", 0, 1, 100), ("b", 1, 1, 100)])
    tail.extend(batch("b2", "a2"), [("b", 0, 1, 100), ("a", 1, 1, 100)])
    got = tail.pop("b")  # written: the shared batch is rebuilt first, once
    assert got.column("message").to_pylist() == ["b1", "b2"] and tail.newer == []
    assert tail.batch.column("message").to_pylist() == ["a1", "a2", "b1", "b2"]
    tail.extend(batch("c1"), [("c", 0, 1, 100)])
    assert len(tail.newer) == 1
    assert (tail.live_approx, tail.built_approx) == (300, 500)  # estimated bytes live, held
    tail.pop("a", copy=True)  # 100 of 500 live
    tail.extend(batch("c2"), [("c", 0, 1, 100)])  # 200 of 600: more taken out than live
    assert tail.newer == [] and tail.batch.column("message").to_pylist() == ["c1", "c2"]
    tail.pop("c", copy=True)  # nothing live: nothing held
    assert tail.batch is None and tail.newer == [] and tail.nbytes == 0
    tail.extend(batch("d1"), [("d", 0, 1, 100)])
    tail.extend(batch("d2", "e1", "e2", "e3"), [("d", 0, 1, 100), ("e", 1, 3, 300)])
    assert len(tail.newer) == 1
    tail.pop("e", copy=True)  # 200 of 500 live
    tail.extend(batch("f1"), [("f", 0, 1, 50)])  # 250 of 550: more taken out than live
    assert tail.newer == [] and tail.batch.column("message").to_pylist() == ["d1", "d2", "f1"]
    assert tail.nbytes == tail.batch.get_total_buffer_size()


def test_scratch_file_of_drained_partitions_is_no_larger_than_of_their_own_batches(
    monkeypatch, tmp_path
):
    """A partition whose rows hold only empty or null lists is a slice of the shared batch
    whose list values are a zero-length slice; pyarrow's IPC writer wrote the whole child
    data of the shared batch for it (tails.SharedTail.pop copies such a column)."""
    monkeypatch.setattr(columns, "PENDING_BYTES", 40_000)
    rows = random_rows("events", 2000, seed=11, months=300)
    for i, row in enumerate(rows):
        if i % 3:
            row["actors"] = [] if i % 2 else None
    buffers = columns.ColumnBuffers("events")
    for row in rows:
        buffers.add(row)
    drained = list(buffers.drain())
    own = list(reference("events", rows).items())
    path, _ = scratch.write_partitions(str(tmp_path / "a"), drained)
    own_path, _ = scratch.write_partitions(str(tmp_path / "b"), own)
    assert os.path.getsize(path) <= 1.05 * os.path.getsize(own_path)
    got = dict(drained)
    for partition, want in own:
        assert got[partition].equals(want), partition
