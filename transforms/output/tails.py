"""The last rows of many partitions in ONE Arrow record batch (`SharedTail`), for the columnar
writer (transforms/output/columns.py).

Why: the writer converts its buffered rows to Arrow every few MiB, and events partitioned by
month spread those rows over hundreds of partitions, most of them holding a few rows. Converting
(and appending) each partition's rows on its own costs a fixed ~0.2-0.35 ms per call whatever
its rows (pyarrow sets up a converter, a batch and 29 column arrays each time): on the 2,000
bench pages, 1,626 conversions of about 18 rows each were half of the write stage. Here every
partition's rows of one conversion come from ONE conversion, and the rows a partition holds
under `CHUNK_ROWS` live in one shared batch, rebuilt by one ``take`` at each conversion (the
old tail's live rows, each partition's new rows after its old ones): one batch for all thin
partitions, instead of one small batch each (about 31 KB of C++ objects per small batch,
columns.py), and one copy of the thin rows per conversion, as the per-partition append made.

Memory: the batch's buffers are counted exactly when it is built
(``get_total_buffer_size``); a partition's share of them is estimated from the writer's
per-row byte estimates (`columns.approx_row_bytes`), so that the rows of a partition taken out
(written, or moved to a batch of its own) stop counting at once; `compact` rebuilds the batch
without them, after which the count is exact again. While a batch is rebuilt the old one and the
new one are both held (at most the thin partitions' rows twice, for one ``take``).
"""

from __future__ import annotations

from array import array

import pyarrow as pa


def _indices(spans: list[tuple[int, int]]) -> pa.Array:
    """An int64 Arrow array of the row numbers of `spans` ((first row, rows) pairs), in order;
    built in an `array.array` and handed to Arrow without a copy."""
    idx = array("q")
    for first, n in spans:
        idx.extend(range(first, first + n))
    return pa.Array.from_buffers(pa.int64(), len(idx), [None, pa.py_buffer(idx)])


class SharedTail:
    """Rows of many partitions in one record batch, each partition's rows consecutive and in
    the order they were added.

    `extend` adds the rows of one conversion, `pop` takes a partition's rows out, `compact`
    drops the rows of partitions taken out. `nbytes` and `share` are the bytes counted against
    the writer's budget (see the module docstring)."""

    def __init__(self, schema: pa.Schema):
        self.schema = schema
        self.batch: pa.RecordBatch | None = None
        self.spans: dict[str, tuple[int, int]] = {}  # partition -> (first row, rows) in batch
        self.approx: dict[str, int] = {}  # partition -> estimated bytes of its rows
        self.built_bytes = 0  # buffer bytes of `batch` (exact, when built)
        self.built_approx = 0  # estimated bytes of every row of `batch` when built
        self.live_approx = 0  # = sum(self.approx.values())
        # (column index, its offsets as a memoryview, the column's offset) of each list column
        self.lists: list[tuple[int, memoryview, int]] = []

    def __contains__(self, partition: str) -> bool:
        return partition in self.spans

    def __len__(self) -> int:
        """The number of partitions with rows here."""
        return len(self.spans)

    def rows(self, partition: str) -> int:
        """Rows held for `partition` (0 when none)."""
        span = self.spans.get(partition)
        return span[1] if span else 0

    @property
    def nbytes(self) -> int:
        """Bytes counted: the batch's buffer bytes in proportion to the rows still live."""
        if not self.built_approx:
            return 0
        return self.built_bytes * self.live_approx // self.built_approx

    def share(self, partition: str) -> int:
        """Bytes counted for one partition (its estimated part of the batch's bytes)."""
        if not self.built_approx:
            return 0
        return self.built_bytes * self.approx.get(partition, 0) // self.built_approx

    def extend(self, batch: pa.RecordBatch, added: list[tuple[str, int, int, int]]) -> None:
        """Add the rows of `batch` (one conversion, `schema`): `added` lists (partition, first
        row in `batch`, rows, estimated bytes) for every partition with rows in it. A
        partition's new rows follow its rows held here. Rebuilds the shared batch with one
        ``take`` (none when no row was held)."""
        old = self.batch if self.spans else None
        base = old.num_rows if old is not None else 0
        layout: dict[str, list[tuple[int, int]]] = {p: [span] for p, span in self.spans.items()}
        for partition, first, n, approx in added:
            layout.setdefault(partition, []).append((base + first, n))
            self.approx[partition] = self.approx.get(partition, 0) + approx
        if old is None:
            self.batch = batch  # rows already grouped by partition, in `added` order
        else:
            pieces = [span for spans in layout.values() for span in spans]
            table = pa.Table.from_batches([old, batch], schema=self.schema)
            self.batch = _one_batch(table.take(_indices(pieces)))
        self.spans = {}
        at = 0
        for partition, spans in layout.items():
            n = sum(count for _, count in spans)
            self.spans[partition] = (at, n)
            at += n
        self._built()

    def pop(self, partition: str, copy: bool = False) -> pa.RecordBatch:
        """Take `partition`'s rows out (a slice of the shared batch, or with `copy` a batch of
        their own, so that it does not keep the shared batch alive). They stop counting now;
        their bytes are freed by the next `extend` or `compact`. KeyError when none held."""
        first, n = self.spans.pop(partition)
        self.live_approx -= self.approx.pop(partition)
        piece = self.batch.slice(first, n)
        for i, offsets, base in self.lists:
            if offsets[base + first] == offsets[base + first + n]:
                # only empty lists or nulls: a slice of them is written to an Arrow IPC file
                # with the WHOLE child data of the shared batch (pyarrow 25: a zero-length
                # slice of a string array is not truncated; measured 343 KB for one row on the
                # bench pages' scratch file, 33% more bytes): a copy of this column instead
                piece = piece.set_column(i, self.schema.field(i), pa.concat_arrays([piece[i]]))
        if not self.spans:  # nothing live: drop the batch now
            self.clear()
        return pa.concat_batches([piece]) if copy else piece

    def compact(self) -> None:
        """Rebuild the shared batch without the rows of partitions taken out (one ``take``)."""
        if self.batch is None or self.live_approx == self.built_approx:
            return
        if not self.spans:
            self.clear()
            return
        table = pa.Table.from_batches([self.batch], schema=self.schema)
        self.batch = _one_batch(table.take(_indices(list(self.spans.values()))))
        at = 0
        for partition, (_, n) in list(self.spans.items()):
            self.spans[partition] = (at, n)
            at += n
        self._built()

    def clear(self) -> None:
        """Hold nothing."""
        self.batch = None
        self.spans = {}
        self.approx = {}
        self.built_bytes = self.built_approx = self.live_approx = 0
        self.lists = []

    def _built(self) -> None:
        self.built_bytes = self.batch.get_total_buffer_size()
        self.built_approx = self.live_approx = sum(self.approx.values())
        self.lists = []
        for i, field in enumerate(self.schema):
            if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
                column = self.batch.column(i)
                kind = "i" if pa.types.is_list(field.type) else "q"
                offsets = memoryview(column.buffers()[1]).cast(kind)
                self.lists.append((i, offsets, column.offset))


def _one_batch(table: pa.Table) -> pa.RecordBatch:
    """The rows of `table` (at least one) as one record batch (a copy only when they are in
    several chunks)."""
    batches = table.to_batches()
    return batches[0] if len(batches) == 1 else pa.concat_batches(batches)
