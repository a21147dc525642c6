"""Scratch files: a table's rows held on disk between two steps of the job, never published.

The events rows are written by the bundle that extracted them and read back, partition by
partition, by the cross-document clustering (transforms/output/timeline.py), which then writes
the published Parquet file of the partition with the final `event_id`s. In between they are
Arrow IPC files (``part-<uuid>.arrow``, uncompressed) in the table's folder of the run's staging
folder: the commit deletes them with the other files it was not given
(transforms/output/commit.py), so they are never published.

One scratch file holds every partition a writer drains at once (`write_partitions`: each
partition's rows as consecutive record batches), and each partition's rows in it are named by
a reference ``<path>#<first batch>:<stop batch>:<rows>[:<first row>]`` (`ref`, `parse`):
events partitioned by
month spread the rows of a few thousand pages over hundreds of partitions, and a file per
partition made the writer and the clustering pay a file's set-up per partition (2,000 bench
pages: 565 scratch files, each opened three times by the clustering, against one file). The
partitions of the writer's shared batch (its thin partitions' rows, transforms/output/tails.py)
are named by row ranges of that batch, written once, rather than each written as a batch.

Why not Parquet: measured on the events files of the 2,000 bench pages (about 52 rows each),
an IPC file is written in 0.12 ms and read in 0.09 ms, a zstd Parquet file in 2.0 ms and
3.8 ms; the clustering reads every file at least twice. The price is disk: uncompressed, the
scratch files take about 2.2x the bytes of the Parquet files they become, until the commit.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from transforms.limits import SCRATCH_READERS_HELD, SCRATCH_SLICE_COPY_BYTES
from transforms.output import parquet

SUFFIX = ".arrow"
REF = "#"  # a reference to part of a scratch file: ``<path>#<first>:<stop>:<rows>[:<offset>]``


def ref(path: str, first: int, stop: int, rows: int, offset: int = 0) -> str:
    """The reference to `rows` rows of the scratch file at `path`: those of record batches
    first .. stop-1, from row `offset` of them (0: all their rows)."""
    if offset:
        return f"{path}{REF}{first}:{stop}:{rows}:{offset}"
    return f"{path}{REF}{first}:{stop}:{rows}"


def parse(path: str) -> tuple[str, int | None, int | None, int | None]:
    """(file path, first batch, stop batch, rows) of a reference; (path, None, None, None) for
    a whole file's path (a scratch file of `write_scratch` or a Parquet file)."""
    return _parse(path)[:4]


def _parse(path: str) -> tuple[str, int | None, int | None, int | None, int]:
    """`parse` and the reference's first row (0 when it names whole batches, or no batch)."""
    file, mark, span = path.rpartition(REF)
    if not mark or not file.endswith(SUFFIX):
        return path, None, None, None, 0
    first, stop, rows, *offset = (int(part) for part in span.split(":"))
    return file, first, stop, rows, offset[0] if offset else 0


def relative(reference: str, folder: str) -> str:
    """`reference` (into a scratch file of `folder`) without its folder: the form the events
    writer emits into the shuffle. The local runner holds a shuffle's whole input, about one
    reference per page, and the staging folder's path was more than half of each (bench pages:
    about 130 characters, 50 without it). `resolve` gives the reference back. Raises
    ValueError for a reference into another folder."""
    head = parquet.join(folder, "x")[:-1]  # the folder and its separator
    if not reference.startswith(head):
        raise ValueError(f"{reference!r} is not in {folder!r}")
    return reference[len(head):]


def resolve(folder: str, path: str) -> str:
    """A `relative` reference joined back to its `folder`; any other path (one with a folder:
    a scratch file, a reference or a published Parquet file) as it is."""
    if "/" in path or "\\" in path:
        return path
    return parquet.join(folder, path)


def is_scratch(path: str) -> bool:
    """Is `path` a scratch file or a reference into one (not a Parquet file of the output)?"""
    return parse(path)[0].endswith(SUFFIX)


def write_scratch(folder: str, table: pa.Table) -> str:
    """Write `table` as a new scratch file in folder (created if missing; any Beam
    filesystem); return its path."""
    path = parquet.join(folder, f"part-{uuid.uuid4().hex}{SUFFIX}")
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    with FileSystems.create(path) as handle:  # local: makes the folder
        handle.write(sink.getvalue())
    return path


def write_partitions(
    folder: str, parts: Iterable[tuple[str, pa.Table | tuple[pa.RecordBatch, int, int]]]
) -> tuple[str | None, list[tuple[str, str]]]:
    """Write the ``(partition, table)`` pairs of `parts` (one schema) as ONE new scratch file in
    folder (created if missing; any Beam filesystem), each table as consecutive record batches.
    A part may also be ``(partition, (batch, first row, rows))``: rows of a batch shared with
    other parts (columns.ColumnBuffers.drain with `shared`), written once, the first time it
    comes. Returns (its path, [(partition, `ref` to its rows)] in the order given); (None, [])
    and no file when `parts` is empty. A local file is written as the tables come (one held at
    a time, and the shared batches); on an object store the file is assembled in memory and
    written once."""
    parts = iter(parts)
    first = next(parts, None)
    if first is None:
        return None, []
    schema = first[1][0].schema if isinstance(first[1], tuple) else first[1].schema
    path = parquet.join(folder, f"part-{uuid.uuid4().hex}{SUFFIX}")
    local = "://" not in path
    if local:
        os.makedirs(folder, exist_ok=True)
        sink = pa.OSFile(path, "wb")
    else:
        sink = pa.BufferOutputStream()
    refs = []
    at = 0
    shared: list[tuple[pa.RecordBatch, int]] = []  # shared batches written, their index
    with pa.ipc.new_file(sink, schema) as writer:
        for partition, table in itertools.chain([first], parts):
            if isinstance(table, tuple):
                batch, offset, rows = table
                index = next((i for held, i in shared if held is batch), None)
                if index is None:
                    writer.write_batch(batch)
                    index = at
                    at += 1
                    shared.append((batch, index))
                refs.append((partition, ref(path, index, index + 1, rows, offset)))
                continue
            batches = table.to_batches()
            for batch in batches:
                writer.write_batch(batch)
            refs.append((partition, ref(path, at, at + len(batches), table.num_rows)))
            at += len(batches)
    if local:
        sink.close()
    else:
        with FileSystems.create(path) as handle:
            handle.write(sink.getvalue())
    return path, refs


def read_table(
    path: str,
    schema: pa.Schema,
    columns: list[str] | None = None,
    readers: dict | None = None,
) -> pa.Table:
    """The table in a scratch file, a `ref` into one, or a Parquet file at `path` (its
    `columns` when given, in that order), with `schema` (the table's full schema). `readers`:
    a dict of the scratch files kept open ({file path: `_Opened`}, kept here to the
    SCRATCH_READERS_HELD most recently used), so that the references of one file open it
    once. Raises pyarrow's errors for a file that is neither."""
    return read_sized(path, schema, columns, readers)[0]


def read_sized(
    path: str,
    schema: pa.Schema,
    columns: list[str] | None = None,
    readers: dict | None = None,
) -> tuple[pa.Table, int]:
    """`read_table` and the table's bytes of Arrow data: its buffers' sizes
    (``get_total_buffer_size``); for a reference to rows of a batch shared by many partitions,
    that batch's bytes in proportion to the rows (a slice holds the whole batch's buffers)."""
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])
    file, first, stop, rows, offset = _parse(path)
    if file.endswith(SUFFIX):
        opened = readers.pop(file, None) if readers is not None else None
        if opened is None:
            opened = _Opened(_reader(file))
        if readers is not None:  # the most recently used last; at most SCRATCH_READERS_HELD
            readers[file] = opened
            while len(readers) > SCRATCH_READERS_HELD:
                readers.pop(next(iter(readers)))
        if first is not None and stop == first + 1:  # one batch, whole or a row range of it
            return opened.rows(first, rows, offset, columns)
        reader = opened.reader
        if first is None:
            table = reader.read_all()
        else:
            batches = [reader.get_batch(i) for i in range(first, stop)]
            table = pa.Table.from_batches(batches, schema=reader.schema)
        if columns is not None:
            table = table.select(columns)
        size = table.get_total_buffer_size()
        if offset or (rows is not None and rows != table.num_rows):
            return _row_range(table, offset, rows, size)
        return table, size
    with FileSystems.open(path) as handle:
        table = pq.read_table(handle, columns=columns, schema=schema)
    return table, table.get_total_buffer_size()


def n_rows(path: str) -> int:
    """Rows of a `ref` (from the reference itself), a scratch file or a Parquet file (from its
    footer)."""
    file, _, _, rows = parse(path)
    if rows is not None:
        return rows
    if not file.endswith(SUFFIX):
        with FileSystems.open(path) as handle:
            return pq.ParquetFile(handle).metadata.num_rows
    reader = _reader(path)  # zero-copy: only the batches' headers are read
    return sum(reader.get_batch(i).num_rows for i in range(reader.num_record_batches))


class _Opened:
    """A scratch file kept open by `read_sized` (a value of its `readers`): the IPC reader,
    and the batches of it that row-range references were read from, decoded once.

    Why: the writer's shared batch (columns.ColumnBuffers.drain with `shared`) holds the rows
    of most thin partitions of a drain, each named by a row range of it, and the clustering
    reads every partition twice (its narrow columns, then every column); decoding the batch's
    IPC message (a C++ array per column and child) for each reference cost more than the
    per-partition batches it replaced. A decoded batch of a memory-mapped file holds no copy
    of its data, only its arrays' objects; it is dropped with the reader (at most
    SCRATCH_READERS_HELD files are kept)."""

    __slots__ = ("reader", "selected", "shared")

    def __init__(self, reader: pa.ipc.RecordBatchFileReader):
        self.reader = reader
        self.shared: dict[int, pa.Table] = {}  # batch index -> the batch, as a table
        # (batch index, columns) -> (the batch's table of those columns, its buffer bytes)
        self.selected: dict[tuple, tuple[pa.Table, int]] = {}

    def rows(
        self, index: int, rows: int | None, offset: int, columns: list[str] | None
    ) -> tuple[pa.Table, int]:
        """`read_sized` of `rows` rows (None: all) from row `offset` of batch `index`: the same
        table (a zero-copy slice of the batch when a range) and bytes as reading the batch
        itself. A batch found to hold more rows than one reference names is kept decoded."""
        whole = self.shared.get(index)
        if whole is None:
            batch = self.reader.get_batch(index)
            whole = pa.Table.from_batches([batch], schema=self.reader.schema)
            if not (offset or (rows is not None and rows != whole.num_rows)):  # a whole batch
                table = whole.select(columns) if columns is not None else whole
                return table, table.get_total_buffer_size()
            self.shared[index] = whole
        key = (index, tuple(columns) if columns is not None else None)
        held = self.selected.get(key)
        if held is None:
            table = whole.select(columns) if columns is not None else whole
            held = self.selected[key] = (table, table.get_total_buffer_size())
        table, size = held
        if offset or (rows is not None and rows != table.num_rows):
            return _row_range(table, offset, rows, size)
        return table, size


def _row_range(table: pa.Table, offset: int, rows: int, size: int) -> tuple[pa.Table, int]:
    """Rows [offset, offset + rows) of `table` (whose buffers hold `size` bytes) and their
    bytes in proportion to the rows: the value `read_sized` reports whether the rows are a
    zero-copy slice or a copy, so that row groups (sized by it) are the same either way.
    Under SCRATCH_SLICE_COPY_BYTES the rows are copied (``take``), so that the table no longer
    holds the batch's buffers: a slice of a memory-mapped file pins at least a page per buffer
    (transforms/limits.py)."""
    size = size * rows // max(1, table.num_rows)
    if size < SCRATCH_SLICE_COPY_BYTES:
        return table.take(pa.array(range(offset, offset + rows), pa.int64())), size
    return table.slice(offset, rows), size


def _reader(path: str) -> pa.ipc.RecordBatchFileReader:
    """The IPC reader of a scratch file: a local file is memory-mapped (read zero-copy, only
    the pages used), any other filesystem's opened as a seekable stream (a batch is read when
    asked for: a file holds many partitions, a reader is used for one)."""
    if "://" not in path:
        return pa.ipc.open_file(pa.memory_map(path))
    return pa.ipc.open_file(pa.PythonFile(FileSystems.open(path), mode="r"))
