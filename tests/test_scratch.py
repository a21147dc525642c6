"""Scratch files (Arrow IPC between the events writer and the clustering): the same table read
back, whole or by columns, as from a Parquet file; and the clustering publishes one Parquet file
per partition from them, never a scratch file."""

import datetime as dt

import pyarrow as pa

from tests.test_commit import event
from transforms.limits import SCRATCH_READERS_HELD
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


def test_one_scratch_file_holds_many_partitions_each_read_back_by_its_reference(tmp_path):
    parts = [("year=2019/month=10", table([1, 2, 3])), ("year=2019/month=11", table([4]))]
    path, refs = scratch.write_partitions(str(tmp_path / "events"), iter(parts))
    assert path.endswith(".arrow") and [p for p, _ in refs] == [p for p, _ in parts]
    assert len(list((tmp_path / "events").iterdir())) == 1  # one file for both partitions
    readers: dict = {}
    for (_, rows), (_, ref) in zip(parts, refs, strict=True):
        assert scratch.is_scratch(ref) and scratch.parse(ref)[0] == path
        assert scratch.n_rows(ref) == rows.num_rows
        assert scratch.read_table(ref, EVENTS_SCHEMA, readers=readers).equals(rows)
        narrow = scratch.read_table(ref, EVENTS_SCHEMA, ["mention_id"], readers)
        assert narrow.column("mention_id").to_pylist() == rows.column("mention_id").to_pylist()
    assert list(readers) == [path]  # opened once for both references
    assert scratch.write_partitions(str(tmp_path / "none"), iter([])) == (None, [])
    assert not (tmp_path / "none").exists()


def test_rows_of_a_batch_shared_by_partitions_are_written_once_and_read_back(tmp_path):
    shared = table([1, 2, 3, 4, 5]).to_batches()[0]
    parts = [("a", (shared, 0, 2)), ("b", table([6])), ("c", (shared, 2, 3))]
    path, refs = scratch.write_partitions(str(tmp_path / "events"), iter(parts))
    assert pa.ipc.open_file(path).num_record_batches == 2  # the shared batch once
    parsed = [scratch.parse(r) for _, r in refs]
    assert parsed == [(path, 0, 1, 2), (path, 1, 2, 1), (path, 0, 1, 3)]
    want = {"a": [1, 2], "b": [6], "c": [3, 4, 5]}
    for partition, ref in refs:
        got = scratch.read_table(ref, EVENTS_SCHEMA)
        assert got.column("event_id").to_pylist() == [f"m{d}" for d in want[partition]]
        assert scratch.n_rows(ref) == got.num_rows
        narrow, size = scratch.read_sized(ref, EVENTS_SCHEMA, ["mention_id"])
        assert narrow.column_names == ["mention_id"] and narrow.num_rows == got.num_rows
    whole = scratch.read_sized(refs[0][1].replace(":2", ":5", 1), EVENTS_SCHEMA)[1]
    assert scratch.read_sized(refs[2][1], EVENTS_SCHEMA)[1] == whole * 3 // 5  # its share


def test_a_shared_batch_is_decoded_once_per_open_file_and_reads_back_the_same(tmp_path):
    shared = table([1, 2, 3, 4, 5]).to_batches()[0]
    parts = [("a", (shared, 0, 2)), ("b", table([6])), ("c", (shared, 2, 3)), ("d", (shared, 0, 5))]
    path, refs = scratch.write_partitions(str(tmp_path / "events"), iter(parts))
    readers: dict = {}
    for columns in (["mention_id", "event_id"], None, ["event_id"]):
        for _, ref in [*refs, *reversed(refs)]:
            kept = scratch.read_sized(ref, EVENTS_SCHEMA, columns, readers)
            fresh = scratch.read_sized(ref, EVENTS_SCHEMA, columns)  # no reader kept: decoded
            assert kept[0].equals(fresh[0]) and kept[0].schema == fresh[0].schema
            assert kept[1] == fresh[1]
            assert kept[0].column(0).num_chunks == fresh[0].column(0).num_chunks
    assert list(readers[path].shared) == [0]  # the shared batch, not the batch of one partition


def _buffer_ranges(table: pa.Table) -> list[tuple[int, int]]:
    out = []
    for column in table.columns:
        for chunk in column.chunks:
            stack = [chunk]
            while stack:
                array = stack.pop()
                out += [(b.address, b.address + b.size) for b in array.buffers() if b]
                if isinstance(array.type, pa.ListType):
                    stack.append(array.values)
                elif isinstance(array.type, pa.StructType):
                    stack += [array.field(i) for i in range(array.type.num_fields)]
    return out


def test_a_thin_row_range_is_copied_out_of_the_mapped_batch_with_the_same_size(
    tmp_path, monkeypatch
):
    shared = table([1, 2, 3, 4, 5]).to_batches()[0]
    parts = [("a", (shared, 1, 2)), ("d", (shared, 0, 5))]
    path, refs = scratch.write_partitions(str(tmp_path / "events"), iter(parts))
    readers: dict = {}  # one open file: the same map for every read
    whole, whole_size = scratch.read_sized(refs[1][1], EVENTS_SCHEMA, readers=readers)
    mapped = _buffer_ranges(whole)  # the batch's buffers, in the memory-mapped file

    def pins_the_map(t: pa.Table) -> bool:
        return any(lo <= a < hi for a, _ in _buffer_ranges(t) for lo, hi in mapped)

    copied, size = scratch.read_sized(refs[0][1], EVENTS_SCHEMA, readers=readers)
    assert copied.equals(whole.slice(1, 2)) and size == whole_size * 2 // 5
    assert not pins_the_map(copied)  # under SCRATCH_SLICE_COPY_BYTES: its own buffers
    monkeypatch.setattr(scratch, "SCRATCH_SLICE_COPY_BYTES", 0)
    sliced, sliced_size = scratch.read_sized(refs[0][1], EVENTS_SCHEMA, readers=readers)
    assert sliced.equals(copied) and sliced_size == size and pins_the_map(sliced)


def test_the_readers_kept_open_are_bounded(tmp_path):
    readers: dict = {}
    refs = [
        scratch.write_partitions(str(tmp_path), [("p", table([d]))])[1][0][1] for d in range(1, 8)
    ]
    for ref in refs:
        assert scratch.read_table(ref, EVENTS_SCHEMA, readers=readers).num_rows == 1
    assert list(readers) == [scratch.parse(r)[0] for r in refs[-SCRATCH_READERS_HELD:]]


def test_a_hash_in_the_folder_name_is_not_a_reference(tmp_path):
    folder = str(tmp_path / "out#1")
    path, refs = scratch.write_partitions(folder, [("p", table([1, 2]))])
    assert scratch.parse(refs[0][1]) == (path, 0, 1, 2)
    assert scratch.parse(path) == (path, None, None, None)
    assert scratch.read_table(refs[0][1], EVENTS_SCHEMA).num_rows == 2


def test_a_reference_made_relative_to_its_folder_resolves_back_and_a_full_path_stays(tmp_path):
    folder = str(tmp_path / "staging" / "events")
    path, refs = scratch.write_partitions(folder, iter([("year=2019/month=10", table([1, 2]))]))
    full = refs[0][1]
    short = scratch.relative(full, folder)
    assert short.startswith("part-") and "/" not in short and len(short) < len(full)
    assert scratch.resolve(folder, short) == full
    assert scratch.read_table(scratch.resolve(folder, short), EVENTS_SCHEMA).equals(table([1, 2]))
    for whole in (full, path, str(tmp_path / "published" / "part-0.parquet")):
        assert scratch.resolve(folder, whole) == whole  # a path with its folder, as it is
    try:
        scratch.relative(full, str(tmp_path / "elsewhere"))
    except ValueError:
        pass
    else:
        raise AssertionError("a reference into another folder was made relative")
