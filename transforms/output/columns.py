"""Rows of one table -> Arrow columns per Hive partition, held in memory up to a byte budget.

Why: a Parquet file costs about 1.7 ms whatever its size (zstd sets up each column chunk), and
partitioning events by month spreads a few thousand pages over hundreds of partitions. Writing
each partition as soon as a small buffer filled made hundreds of tiny files; here rows become
Arrow record batches per partition, held up to `WRITE_BATCH_BYTES` (transforms/limits.py);
when the budget is reached the largest partitions are written until half of it is free, and
every partition still held is written at the end of the bundle, so a partition gets about one
file per bundle (more only when it alone holds many MiB). The table contents are the same
rows; only the number of files and their row groups change.

Memory: the budget counts the Arrow bytes of the converted batches (their buffers' sizes,
``RecordBatch.get_total_buffer_size``: ``nbytes`` walks nested columns and cost 0.24 ms a batch),
and an estimate of the rows not yet converted (`approx_row_bytes`); rows are converted to
Arrow in chunks of `CHUNK_ROWS` per partition, or all at once when the unconverted rows pass
`PENDING_BYTES` (one conversion for every partition's rows: a conversion has a fixed cost of
about 0.2-0.35 ms whatever its rows), so the Python dicts held stay small whatever the batch
size.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import pyarrow as pa

from transforms import native
from transforms.limits import WRITE_BATCH_BYTES
from transforms.output import partitions
from transforms.output.schemas import PARTITIONERS, TABLES
from transforms.output.tails import SharedTail

# The compiled conversion of rows to Arrow buffers (transforms/native/_arrowrows.pyx), or None:
# `to_batch` then converts with the reference, `to_batch_reference`.
_NATIVE = native.load("arrowrows")

# Rows of one partition converted to Arrow at a time: large enough that the conversion's fixed
# cost per call (about 20 us per column) is spread, small enough to keep few dicts alive.
CHUNK_ROWS = 2048
# Unconverted rows (estimated bytes, all partitions) past which every partition's rows are
# converted: Python dicts take 3-5x their text, so 4 MiB of text is at most ~20 MiB of objects.
PENDING_BYTES = 4 * 1024 * 1024
# Thin partitions hold no batch of their own. What a small RecordBatch really costs, whatever
# its rows: measured with the events schema (29 columns), 1,000 one-row batches took 31 MiB of
# RSS (24 MiB of C-heap for the arrays' C++ objects, 3.6 MiB of Arrow pool for their 64-byte-
# aligned buffers) while their buffers counted 0.3 MiB. Thin partitions (an events month named by
# a few pages) are written only at the end of the bundle, which on the local runner is the end of
# the run: a batch per partition per conversion made the batches held grow with the archive
# (1,881 after 4,000 bench pages, 3,018 after 60,000), and so did the worker's peak. So every
# partition's rows under CHUNK_ROWS live in ONE batch shared by all partitions
# (transforms/output/tails.py), rebuilt when rows are written (each conversion's batch is held
# as it came until then); converting and appending per partition instead cost ~0.35 ms a
# partition per conversion, half of the write stage.


def approx_row_bytes(row: dict) -> int:
    """A cheap estimate, in bytes, of a row's text: a document row holds its text about twice
    (body, header/footer, removed pieces), an event row its sentence, an error its message."""
    # `in` and [] rather than row.get: compiled, a method call costs about 400 instructions,
    # and most rows lack two of the keys (the value is the same: row.get(k) is row[k] or None)
    n_chars = row["n_chars"] if "n_chars" in row else None
    sentence = row["sentence"] if "sentence" in row else None
    message = row["message"] if "message" in row else None
    return 256 + 2 * (n_chars or 0) + len(sentence or "") + len(message or "")


def writer_partitioner(table: str):
    """The partitioner of one writer of `table` (row -> Hive partition path, None for an
    unpartitioned table): PARTITIONERS[table], or for a table partitioned by date range a
    `partitions.DatedPartitioner` of its own (the same paths, memoised per range)."""
    partitioner = PARTITIONERS[table]
    if partitioner is partitions.dated_partition:
        return partitions.DatedPartitioner()
    return partitioner


class ColumnBuffers:
    """The rows of one output table, per Hive partition, as Arrow record batches.

    `add(row)` buffers a row (a dict keyed by the table's column names; missing keys are
    nulls) and returns True once the buffered data reach `batch_bytes`; the caller then
    writes partitions with `drain()`. Raises KeyError for a table not in
    `schemas.TABLES`, and pyarrow's errors for a value that does not fit its column.

    Held per partition, in row order: `chunks`, batches of its own (CHUNK_ROWS rows converted
    at once, or rows moved out of the tail when it would pass CHUNK_ROWS), then its rows in
    `tail` (transforms/output/tails.py: under CHUNK_ROWS rows, in ONE batch shared by every
    partition, plus the conversions' batches since it was last rebuilt), then its `pending`
    rows, not yet converted.
    """

    def __init__(self, table: str, batch_bytes: int = WRITE_BATCH_BYTES):
        self.table = table
        self.schema = TABLES[table]
        self.partitioner = writer_partitioner(table)
        self.batch_bytes = batch_bytes
        self.pending: dict[str, list[dict]] = {}  # partition -> rows not yet converted
        self.pending_sizes: dict[str, int] = {}  # partition -> their estimated bytes
        self.pending_bytes = 0  # = sum(self.pending_sizes.values())
        self.chunks: dict[str, list[pa.RecordBatch]] = {}  # partition -> batches of its own
        self.chunk_bytes: dict[str, int] = {}  # partition -> their buffer bytes
        self.chunks_total = 0  # = sum(self.chunk_bytes.values())
        self.tail = SharedTail(self.schema)
        self.partitions: dict[str, None] = {}  # every partition holding rows, first seen first
        self.arrow_bytes = 0  # = chunks_total + tail.nbytes, kept by `_recount`

    @property
    def nbytes(self) -> int:
        """Bytes held: Arrow data plus the estimate of the rows not yet converted."""
        return self.arrow_bytes + self.pending_bytes

    def __len__(self) -> int:
        """The number of partitions holding rows."""
        return len(self.partitions)

    def add(self, row: dict) -> bool:
        """Buffer one row; True when the buffers reached the batch size (call `drain`)."""
        partitioner = self.partitioner
        partition = partitioner(row) if partitioner else ""
        pending = self.pending
        if partition in pending:  # (not .get: see approx_row_bytes)
            rows = pending[partition]
        else:
            rows = pending[partition] = []
            self.pending_sizes[partition] = 0
            self.partitions[partition] = None
        rows.append(row)
        size = approx_row_bytes(row)
        self.pending_sizes[partition] += size
        self.pending_bytes += size
        if len(rows) >= CHUNK_ROWS:
            self._convert_one(partition)
        elif self.pending_bytes > PENDING_BYTES:
            self._convert_all()
        return self.arrow_bytes + self.pending_bytes >= self.batch_bytes

    def _convert_one(self, partition: str) -> None:
        """A partition's CHUNK_ROWS pending rows -> a batch of its own, after its tail rows."""
        rows = self.pending.pop(partition)
        self.pending_bytes -= self.pending_sizes.pop(partition)
        if partition in self.tail:
            self._add_chunk(partition, self.tail.pop(partition, copy=True))
        self._add_chunk(partition, to_batch(self.schema, rows))
        self._recount()

    def _convert_all(self) -> None:
        """Every partition's pending rows -> Arrow in ONE conversion, into the shared tail; a
        partition whose tail would pass CHUNK_ROWS rows first moves its tail to a batch of its
        own (each partition then holds one small batch's worth of rows in the tail, in order)."""
        if not self.pending:
            return
        rows: list[dict] = []
        added = []
        for partition, part_rows in self.pending.items():
            if self.tail.rows(partition) + len(part_rows) > CHUNK_ROWS:
                self._add_chunk(partition, self.tail.pop(partition, copy=True))
            added.append((partition, len(rows), len(part_rows), self.pending_sizes[partition]))
            rows += part_rows
        self.pending = {}
        self.pending_sizes = {}
        self.pending_bytes = 0
        self.tail.extend(to_batch(self.schema, rows), added)
        self._recount()
        _release_pool()

    def _add_chunk(self, partition: str, batch: pa.RecordBatch) -> None:
        self.chunks.setdefault(partition, []).append(batch)
        size = batch.get_total_buffer_size()
        self.chunk_bytes[partition] = self.chunk_bytes.get(partition, 0) + size
        self.chunks_total += size

    def size(self, partition: str) -> int:
        """Bytes held for one partition (as `nbytes` counts them, up to rounding of its share
        of the tail)."""
        return (
            self.chunk_bytes.get(partition, 0)
            + self.tail.share(partition)
            + self.pending_sizes.get(partition, 0)
        )

    def drain(
        self, down_to: int = 0, shared: bool = False
    ) -> Iterator[tuple[str, pa.Table | tuple[pa.RecordBatch, int, int]]]:
        """Partitions' rows as one Arrow table each, ``(partition, table)``, removed from the
        buffers as they are yielded.

        `down_to` 0 (the end of a bundle): every partition. `down_to` > 0 (the budget was
        reached): the largest partitions first, until at most `down_to` bytes are held; the
        thin ones wait for the end of the bundle. With events partitioned by date range a
        batch holds hundreds of thin partitions, and writing them all at every batch made
        one file per partition per batch (measured: 1,713 events files for 10,000 pages
        instead of 1,178 with the row writer); this way a partition gets about one file per
        bundle plus one per `down_to` bytes of its own. The pending rows are converted first,
        in one conversion; the shared tail is rebuilt (with the conversions' batches held
        since the last drain) when the first partition with rows there is written, and after
        a partial drain without the rows written, so that their memory is freed.

        `shared` (with `down_to` 0; for a writer that can refer to rows of a batch, the scratch
        files of transforms/output/scratch.py): a partition whose rows are all in the shared
        tail is yielded as ``(partition, (shared batch, first row, rows))``, not as a table, so
        that the shared batch is written once for all of them rather than sliced and written
        once per partition (the shared batch is compacted first: no row taken out is written).
        Measured (callgrind, the write stage on 300 bench pages' rows, 528 events partitions):
        the slices and the per-partition IPC batches were 21% of the stage's instructions.
        """
        self._convert_all()
        if not down_to:
            if shared:
                self.tail.compact()
            for partition in list(self.partitions):
                yield self._take(partition, shared)
            return
        while self.partitions and self.nbytes > down_to:
            for partition in sorted(self.partitions, key=self.size, reverse=True):
                if self.nbytes <= down_to:
                    break
                yield self._take(partition)
            self.tail.compact()  # the count is exact again: go on if the estimate fell short
            self._recount()
            _release_pool()

    def _recount(self) -> None:
        self.arrow_bytes = self.chunks_total + self.tail.nbytes

    def _take(self, partition: str, shared: bool = False) -> tuple:
        """(partition, its rows as one table); with `shared`, (partition, (shared batch, first
        row, rows)) when all its rows are in the shared tail (`drain`)."""
        del self.partitions[partition]
        parts = self.chunks.pop(partition, [])
        self.chunks_total -= self.chunk_bytes.pop(partition, 0)
        if partition in self.tail:
            if shared and not parts:
                span = self.tail.take(partition)
                self._recount()
                return partition, span
            parts.append(self.tail.pop(partition))
        self._recount()
        return partition, pa.Table.from_batches(parts, schema=self.schema)


def _release_pool() -> None:
    """Hand the Arrow pool's free pages back to the OS after a conversion or a rebuild of the
    shared tail: converting thousands of rows at once (and the ``take`` of the shared batch)
    makes large transient buffers that the pool (mimalloc) kept. Measured (the 2,000 bench
    pages' events rows written 4 times in one bundle): the worker's RSS held 60-93 MiB more
    than it started with, against 33-40 MiB with per-partition conversions; 33-42 MiB with
    this call, which costs about 0.2 ms (a conversion every few thousand rows)."""
    pa.default_memory_pool().release_unused()


def to_batch(schema: pa.Schema, rows: list[dict]) -> pa.RecordBatch:
    """Rows (dicts; a missing key is a null, keys not in `schema` are ignored) -> one
    RecordBatch with `schema`: the same batch as `to_batch_reference` (equal values, buffers of
    the same sizes, so that the writer's byte budget counts the same). With the compiled
    module the columns' buffers are built in one pass over the rows (`native_batch`);
    without it, or for a value it does not build, the reference converts the rows. Raises
    pyarrow's errors for a value that does not fit its column."""
    batch = native_batch(_NATIVE, schema, rows) if _NATIVE is not None else None
    return batch if batch is not None else to_batch_reference(schema, rows)


def native_batch(module, schema: pa.Schema, rows: list[dict]) -> pa.RecordBatch | None:
    """`to_batch` by the compiled module `module` (transforms/native/_arrowrows.pyx): its
    buffers wrapped as arrays without a copy. None when it does not build the batch (a column
    type, a value or a row it does not handle, or no row): the caller uses the reference.
    Measured on the 2,000 bench pages' rows (events 29,397 rows, documents 2,000; callgrind,
    2026-12-01): the conversion takes 0.36 of the reference's instructions (341M vs 936M)."""
    spec = _native_spec(module, schema) if rows and isinstance(rows, list) else None
    built = module.columns(rows, spec) if spec is not None else None
    if built is None:
        return None
    arrays = [_array(field.type, built[i]) for i, field in enumerate(schema)]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def to_batch_reference(schema: pa.Schema, rows: list[dict]) -> pa.RecordBatch:
    """`to_batch` by pyarrow alone (the reference, and the fallback without the compiled
    module). The rows are converted in one call, as an array of structs whose fields are the
    schema's columns, then split into the columns: pyarrow reads the dicts in C++ (measured
    on the bench pages' events rows: 7 us a row, against 21 us for a list per column with
    ``row.get`` and one ``pa.array`` per column: reading the rows column by column misses the
    cache on every row). Raises pyarrow's errors for a value that does not fit its column."""
    struct = pa.array(rows, type=pa.struct(list(schema)))
    return pa.RecordBatch.from_arrays(struct.flatten(), schema=schema)


def _leaf_kind(module, kind: pa.DataType) -> int | None:
    """The compiled module's code of a leaf type (string, int64, date32); None otherwise."""
    if kind == pa.string():
        return module.STRING
    if kind == pa.int64():
        return module.INT64
    if kind == pa.date32():
        return module.DATE32
    return None


@functools.lru_cache(maxsize=16)  # a pure function of its arguments; a handful of schemas
def _native_spec(module, schema: pa.Schema) -> tuple | None:
    """The compiled module's description of `schema`'s columns: per column (name, kind, child
    kinds, field names); None when a column has a type it does not build (then every batch of
    the schema is converted by the reference)."""
    spec = []
    for field in schema:
        kind = field.type
        leaf = _leaf_kind(module, kind)
        if leaf is not None:
            spec.append((field.name, leaf, (), ()))
        elif pa.types.is_list(kind) and _leaf_kind(module, kind.value_type) is not None:
            spec.append((field.name, module.LIST, (_leaf_kind(module, kind.value_type),), ()))
        elif pa.types.is_list(kind) and pa.types.is_struct(kind.value_type):
            fields = list(kind.value_type)
            kinds = tuple(_leaf_kind(module, f.type) for f in fields)
            if not fields or None in kinds:
                return None
            names = tuple(f.name for f in fields)
            spec.append((field.name, module.LIST_STRUCT, kinds, names))
        else:
            return None
    return tuple(spec)


def _array(kind: pa.DataType, built: tuple) -> pa.Array:
    """One column of `kind` from the compiled module's buffers (bytes-like objects, wrapped
    without a copy): a leaf (length, null count, validity or None, offsets or None, values) or
    a list (length, null count, validity or None, offsets, [its leaves]); a list of structs
    gets a struct array without a validity bitmap (no element is null), as pyarrow's builder
    makes it."""
    length, nulls, validity, offsets, rest = built
    valid = pa.py_buffer(validity) if validity is not None else None
    if not pa.types.is_list(kind):
        buffers = [valid] + ([pa.py_buffer(offsets)] if offsets is not None else [])
        return pa.Array.from_buffers(kind, length, [*buffers, pa.py_buffer(rest)], nulls)
    element = kind.value_type
    if pa.types.is_struct(element):
        children = [_array(element.field(i).type, leaf) for i, leaf in enumerate(rest)]
        values = pa.Array.from_buffers(element, rest[0][0], [None], 0, children=children)
    else:
        values = _array(element, rest[0])
    buffers = [valid, pa.py_buffer(offsets)]
    return pa.Array.from_buffers(kind, length, buffers, nulls, children=[values])
