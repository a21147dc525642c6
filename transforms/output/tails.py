"""The last rows of many partitions in ONE Arrow record batch (`SharedTail`), for the columnar
writer (transforms/output/columns.py).

Why: the writer converts its buffered rows to Arrow every few MiB, and events partitioned by
month spread those rows over hundreds of partitions, most of them holding a few rows. Converting
(and appending) each partition's rows on its own costs a fixed ~0.2-0.35 ms per call whatever
its rows (pyarrow sets up a converter, a batch and 29 column arrays each time): on the 2,000
bench pages, 1,626 conversions of about 18 rows each were half of the write stage. Here every
partition's rows of one conversion come from ONE conversion, and the rows a partition holds
under `CHUNK_ROWS` live in one shared batch: one batch for all thin partitions, instead of one
small batch each (about 31 KB of C++ objects per small batch, columns.py).

When rebuilt: a conversion's batch is kept as it came (`newer`), its rows already grouped by
partition; the shared batch is rebuilt by one ``take`` (each partition's rows together, in
order, without the rows taken out) only when rows are written (`pop` without `copy`, `compact`:
a drain), or when the rows taken out would otherwise pass the live ones. Rebuilding at every
conversion copied every held row again each time (2,000 bench pages: the events rows taken
29,397 + 21,701 times for 29,397 rows, the documents rows 6,182 times for 2,000; callgrind:
the takes were about 12% of the write stage's instructions).

Memory: the batches' buffers are counted exactly when they are added or rebuilt
(``get_total_buffer_size``); a partition's share of them is estimated from the writer's
per-row byte estimates (`columns.approx_row_bytes`), so that the rows of a partition taken out
(written, or moved to a batch of its own) stop counting at once; `compact` rebuilds the batch
without them, after which the count is exact again. The rows taken out stay in memory until the
next rebuild, at most as many bytes (estimated) as the live rows; while a batch is rebuilt the
old batches and the new one are both held (at most the thin partitions' rows twice, for one
``take``), as when every conversion rebuilt it.
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
    the order they were added, plus the batches of the conversions since it was last rebuilt.

    `extend` adds the rows of one conversion, `pop` takes a partition's rows out, `compact`
    rebuilds the shared batch with the live rows only. `nbytes` and `share` are the bytes
    counted against the writer's budget (see the module docstring)."""

    def __init__(self, schema: pa.Schema):
        self.schema = schema
        self.batch: pa.RecordBatch | None = None  # the shared batch, as last rebuilt
        self.spans: dict[str, tuple[int, int]] = {}  # partition -> (first row, rows) in batch
        self.newer: list[pa.RecordBatch] = []  # conversions' batches since the last rebuild
        # partition -> its rows in `newer`: (index in newer, first row, rows), in order
        self.pieces: dict[str, list[tuple[int, int, int]]] = {}
        self.approx: dict[str, int] = {}  # partition -> estimated bytes of its rows
        self.built_bytes = 0  # buffer bytes of `batch` and `newer` (exact, when added)
        self.built_approx = 0  # estimated bytes of every row of `batch` and `newer` when added
        self.live_approx = 0  # = sum(self.approx.values())
        # (column index, its offsets as a memoryview, the column's offset) of each list column
        self.lists: list[tuple[int, memoryview, int]] = []

    def __contains__(self, partition: str) -> bool:
        return partition in self.approx

    def __len__(self) -> int:
        """The number of partitions with rows here."""
        return len(self.approx)

    def rows(self, partition: str) -> int:
        """Rows held for `partition` (0 when none)."""
        span = self.spans.get(partition)
        n = span[1] if span else 0
        for _, _, count in self.pieces.get(partition, ()):
            n += count
        return n

    @property
    def nbytes(self) -> int:
        """Bytes counted: the batches' buffer bytes in proportion to the rows still live."""
        if not self.built_approx:
            return 0
        return self.built_bytes * self.live_approx // self.built_approx

    def share(self, partition: str) -> int:
        """Bytes counted for one partition (its estimated part of the batches' bytes)."""
        if not self.built_approx:
            return 0
        return self.built_bytes * self.approx.get(partition, 0) // self.built_approx

    def batches(self) -> list[pa.RecordBatch]:
        """Every batch held (the shared batch, then the newer ones)."""
        return ([self.batch] if self.batch is not None else []) + self.newer

    def extend(self, batch: pa.RecordBatch, added: list[tuple[str, int, int, int]]) -> None:
        """Add the rows of `batch` (one conversion, `schema`): `added` lists (partition, first
        row in `batch`, rows, estimated bytes) for every partition with rows in it. A
        partition's new rows follow its rows held here. No copy: the batch is kept as it is
        until a rebuild (becomes the shared batch when no row was held); the shared batch is
        rebuilt now only when the rows taken out would pass the live ones."""
        approx = 0
        if not self.approx:  # nothing live: this batch is the shared batch
            self.clear()
            self.batch = batch  # rows already grouped by partition, in `added` order
            for partition, first, n, size in added:
                self.spans[partition] = (first, n)
                self.approx[partition] = size
            self._built()
            return
        index = len(self.newer)
        self.newer.append(batch)
        for partition, first, n, size in added:
            self.pieces.setdefault(partition, []).append((index, first, n))
            self.approx[partition] = self.approx.get(partition, 0) + size
            approx += size
        self.built_bytes += batch.get_total_buffer_size()
        self.built_approx += approx
        self.live_approx += approx
        if 2 * self.live_approx < self.built_approx:  # more taken out than live: free them
            self._rebuild()

    def pop(self, partition: str, copy: bool = False) -> pa.RecordBatch:
        """Take `partition`'s rows out (a slice of the shared batch, or with `copy` a batch of
        their own, so that it does not keep the shared batch alive). They stop counting now;
        their bytes are freed by the next rebuild. Rows in batches added since the last
        rebuild: with `copy`, their slices are copied into one batch; without, the shared
        batch is rebuilt first (once per drain). KeyError when none held."""
        if partition in self.pieces:
            if not copy:
                self._rebuild()
            else:
                return self._pop_pieces(partition)
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
        if not self.approx:  # nothing live: drop the batches now
            self.clear()
        return pa.concat_batches([piece]) if copy else piece

    def take(self, partition: str) -> tuple[pa.RecordBatch, int, int]:
        """Take `partition`'s rows out as (the shared batch, first row, rows), without slicing
        it: for a writer that writes the shared batch whole, once for every partition in it
        (transforms/output/scratch.py `write_partitions`). The shared batch is rebuilt first
        when the partition has rows in batches added since the last rebuild (as `pop`).
        KeyError when none held."""
        if partition in self.pieces:
            self._rebuild()
        first, n = self.spans.pop(partition)
        self.live_approx -= self.approx.pop(partition)
        batch = self.batch
        if not self.approx:  # nothing live: drop the batches now (the caller holds this one)
            self.clear()
        return batch, first, n

    def _pop_pieces(self, partition: str) -> pa.RecordBatch:
        """`pop` with `copy` of a partition with rows in `newer`: its slices, in order, copied
        into one batch."""
        slices = []
        span = self.spans.pop(partition, None)
        if span is not None:
            slices.append(self.batch.slice(*span))
        for index, first, n in self.pieces.pop(partition):
            slices.append(self.newer[index].slice(first, n))
        self.live_approx -= self.approx.pop(partition)
        if not self.approx:
            self.clear()
        return pa.concat_batches(slices)

    def compact(self) -> None:
        """Rebuild the shared batch, with the newer batches' rows, without the rows of
        partitions taken out (one ``take``)."""
        if self.batch is None or (not self.newer and self.live_approx == self.built_approx):
            return
        self._rebuild()

    def _rebuild(self) -> None:
        """One shared batch of every live row (each partition's rows together, in order)."""
        if not self.approx:
            self.clear()
            return
        held = self.batches()
        starts = [0]
        for batch in held:
            starts.append(starts[-1] + batch.num_rows)
        shift = 1 if self.batch is not None else 0  # `newer` index -> index in `held`
        layout: dict[str, list[tuple[int, int]]] = {p: [span] for p, span in self.spans.items()}
        for partition, pieces in self.pieces.items():
            spans = layout.setdefault(partition, [])
            spans.extend((starts[index + shift] + first, n) for index, first, n in pieces)
        wanted = [span for spans in layout.values() for span in spans]
        table = pa.Table.from_batches(held, schema=self.schema)
        self.batch = _one_batch(table.take(_indices(wanted)))
        del table
        self.newer = []
        held = None
        # the old batches (unless a slice written still holds one) and the take's transient
        # buffers back to the OS at once, as the writer does after a conversion (columns.py):
        # measured on 2,000 bench pages' rows written 4 times (NEWSLINE_NATIVE=0, peak RSS
        # added by the writers), 147.9 MiB without this call, 146.6 with it after the spans
        # below, 144.7 here, against 146.0 when every conversion rebuilt the batch
        pa.default_memory_pool().release_unused()
        self.pieces = {}
        self.spans = {}
        at = 0
        for partition, spans in layout.items():
            n = sum(count for _, count in spans)
            self.spans[partition] = (at, n)
            at += n
        self._built()

    def clear(self) -> None:
        """Hold nothing."""
        self.batch = None
        self.spans = {}
        self.newer = []
        self.pieces = {}
        self.approx = {}
        self.built_bytes = self.built_approx = self.live_approx = 0
        self.lists = []

    def _built(self) -> None:
        """The counts and list offsets of a shared batch just built (no newer batch)."""
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
