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
`PENDING_BYTES`, so the Python dicts held stay small whatever the batch size.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from transforms.limits import WRITE_BATCH_BYTES
from transforms.output.schemas import PARTITIONERS, TABLES

# Rows of one partition converted to Arrow at a time: large enough that the conversion's fixed
# cost per call (about 20 us per column) is spread, small enough to keep few dicts alive.
CHUNK_ROWS = 2048
# Unconverted rows (estimated bytes, all partitions) past which every partition's rows are
# converted: Python dicts take 3-5x their text, so 4 MiB of text is at most ~20 MiB of objects.
PENDING_BYTES = 4 * 1024 * 1024
# Thin partitions keep one batch. What a small RecordBatch really costs, whatever its rows:
# measured with the events schema (29 columns), 1,000 one-row batches took 31 MiB of RSS (24 MiB
# of C-heap for the arrays' C++ objects, 3.6 MiB of Arrow pool for their 64-byte-aligned buffers)
# while their buffers counted 0.3 MiB. Thin partitions (an events month named by a few pages) used
# to get one more such batch at every PENDING_BYTES conversion and are written only at the end of
# the bundle, which on the local runner is the end of the run: the batches held grew with the
# archive (1,881 after 4,000 bench pages, 3,018 after 60,000), and so did the worker's peak. So a
# partition's rows converted while its last batch is small (under CHUNK_ROWS rows together) are
# appended to that batch (``pa.concat_batches``: a copy of a few rows), leaving one small batch
# per partition (ColumnBuffers._convert).


def approx_row_bytes(row: dict) -> int:
    """A cheap estimate, in bytes, of a row's text: a document row holds its text about twice
    (body, header/footer, removed pieces), an event row its sentence, an error its message."""
    return (
        256
        + 2 * (row.get("n_chars") or 0)
        + len(row.get("sentence") or "")
        + len(row.get("message") or "")
    )


class ColumnBuffers:
    """The rows of one output table, per Hive partition, as Arrow record batches.

    `add(row)` buffers a row (a dict keyed by the table's column names; missing keys are
    nulls) and returns True once the buffered data reach `batch_bytes`; the caller then
    writes partitions with `drain()`. Raises KeyError for a table not in
    `schemas.TABLES`, and pyarrow's errors for a value that does not fit its column.
    """

    def __init__(self, table: str, batch_bytes: int = WRITE_BATCH_BYTES):
        self.table = table
        self.schema = TABLES[table]
        self.partitioner = PARTITIONERS[table]
        self.batch_bytes = batch_bytes
        self.pending: dict[str, list[dict]] = {}  # partition -> rows not yet converted
        self.pending_sizes: dict[str, int] = {}  # partition -> their estimated bytes
        self.pending_bytes = 0  # = sum(self.pending_sizes.values())
        self.batches: dict[str, list[pa.RecordBatch]] = {}  # partition -> converted rows
        self.arrow_bytes = 0  # buffer bytes of every batch held
        self.held: dict[str, int] = {}  # partition -> its Arrow bytes

    @property
    def nbytes(self) -> int:
        """Bytes held: Arrow data plus the estimate of the rows not yet converted."""
        return self.arrow_bytes + self.pending_bytes

    def __len__(self) -> int:
        """The number of partitions holding rows."""
        return len(self.pending.keys() | self.batches.keys())

    def add(self, row: dict) -> bool:
        """Buffer one row; True when the buffers reached the batch size (call `drain`)."""
        partition = self.partitioner(row) if self.partitioner else ""
        rows = self.pending.get(partition)
        if rows is None:
            rows = self.pending[partition] = []
        rows.append(row)
        size = approx_row_bytes(row)
        self.pending_sizes[partition] = self.pending_sizes.get(partition, 0) + size
        self.pending_bytes += size
        if len(rows) >= CHUNK_ROWS:
            self._convert(partition)
        elif self.pending_bytes > PENDING_BYTES:
            for name in list(self.pending):
                self._convert(name)
        return self.nbytes >= self.batch_bytes

    def _convert(self, partition: str) -> None:
        rows = self.pending.pop(partition)
        self.pending_bytes -= self.pending_sizes.pop(partition)
        batch = to_batch(self.schema, rows)
        held = self.batches.setdefault(partition, [])
        if held and held[-1].num_rows + batch.num_rows <= CHUNK_ROWS:
            # a thin partition keeps ONE batch (see the note on batches above), rows in order
            last = held.pop()
            size = last.get_total_buffer_size()
            self.arrow_bytes -= size
            self.held[partition] -= size
            batch = pa.concat_batches([last, batch])
        held.append(batch)
        size = batch.get_total_buffer_size()
        self.arrow_bytes += size
        self.held[partition] = self.held.get(partition, 0) + size

    def size(self, partition: str) -> int:
        """Bytes held for one partition (as `nbytes` counts them)."""
        return self.held.get(partition, 0) + self.pending_sizes.get(partition, 0)

    def drain(self, down_to: int = 0) -> Iterator[tuple[str, pa.Table]]:
        """Partitions' rows as one Arrow table each, ``(partition, table)``, removed from the
        buffers as they are yielded.

        `down_to` 0 (the end of a bundle): every partition. `down_to` > 0 (the budget was
        reached): the largest partitions first, until at most `down_to` bytes are held; the
        thin ones wait for the end of the bundle. With events partitioned by date range a
        batch holds hundreds of thin partitions, and writing them all at every batch made
        one file per partition per batch (measured: 1,713 events files for 10,000 pages
        instead of 1,178 with the row writer); this way a partition gets about one file per
        bundle plus one per `down_to` bytes of its own.
        """
        if down_to > 0:
            order = sorted(self.pending.keys() | self.batches.keys(), key=self.size, reverse=True)
        else:
            order = list(self.batches) + [p for p in self.pending if p not in self.batches]
        for partition in order:
            if down_to > 0 and self.nbytes <= down_to:
                return
            yield self._take(partition)

    def _take(self, partition: str) -> tuple[str, pa.Table]:
        if partition in self.pending:
            self._convert(partition)
        parts = self.batches.pop(partition)
        self.arrow_bytes -= self.held.pop(partition)  # = the bytes of `parts`, counted once
        return partition, pa.Table.from_batches(parts, schema=self.schema)


def to_batch(schema: pa.Schema, rows: list[dict]) -> pa.RecordBatch:
    """Rows (dicts; a missing key is a null, keys not in `schema` are ignored) -> one
    RecordBatch with `schema`. The rows are converted in one call, as an array of structs
    whose fields are the schema's columns, then split into the columns: pyarrow reads the
    dicts in C++ (measured on the bench pages' events rows: 7 us a row, against 21 us for a
    list per column with ``row.get`` and one ``pa.array`` per column). Raises pyarrow's errors
    for a value that does not fit its column."""
    struct = pa.array(rows, type=pa.struct(list(schema)))
    return pa.RecordBatch.from_arrays(struct.flatten(), schema=schema)
