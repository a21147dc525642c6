"""Reading a published output for the report and the TimeML export.

The report is a reader of the output contract (docs/output-contract.md), like DuckDB: it reads
the Hive-partitioned Parquet tables with pyarrow, only the columns it needs and only the columns
that exist, so that it keeps working while later releases add columns (`trigger`, `actors`,
`mod`, the `timeline` table, ...). A column that a release does not have is simply absent from
the report.

The output folder: a run commits a version folder OUTPUT/_v/<id> and points OUTPUT/_current at
it (transforms/output/commit.py). The tables of the current version are read there and the
report is written into that version folder; an output written before versions (layout 1) is
its own version folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from transforms.output import commit
from transforms.output.report import sample

SUCCESS = commit.SUCCESS
TABLE_NAMES = ("events", "documents", "errors", "timeline")
# The small columns of the timeline (or events) table that the report reads for every row: to
# choose the marks and to count. A timeline table is read once, batch by batch (entries.py,
# summary.py); the events table of an output without one is read whole (Output.cached).
# Everything else (sentences, actors, ...) is read only for the rows shown, with a filter
# (entries.DETAIL_COLUMNS).
KEY_COLUMNS = [
    "event_id",
    "doc_id",
    "source",
    "date_start",
    "date_end",
    "date_role",
    "char_start",
    "sentence_start",
]


# Small batches of consecutive files are joined into one (Output.batches) up to this size: the
# key columns of a few thousand rows. Joining copies; unbounded (up to batch_size rows of the
# documents' texts), the report's peak RSS rose from 213 to 304 MiB on a 10,000-page output.
JOIN_BYTES = 1 << 20

# Rows per batch when a file is probed for a key, or read after a probe found it (read_in).
PROBE_ROWS = 8192

# Columns a `read` filter may refer to besides the wanted ones (the report looks rows up by them).
FILTER_KEYS = ("doc_id", "event_id")


class OutputError(Exception):
    """The folder is not a readable newsline output (message says why)."""


def version_dir(output: str) -> str:
    """The folder that holds the current version's tables: OUTPUT/_v/<id> named by the commit's
    `_current` pointer, or OUTPUT itself for an output written before versions (layout 1).

    Raises OutputError when OUTPUT does not exist or holds no `documents/` table."""
    if not os.path.isdir(output):
        raise OutputError(f"{output!r} is not a folder")
    current = commit.read_current(output)
    folder = commit.version_dir(output, current) if current else output
    if not os.path.isdir(os.path.join(folder, "documents")):
        raise OutputError(f"{output!r} holds no newsline output (no documents/ table)")
    return folder


def link_report(output: str, name: str) -> str:
    """Make OUTPUT/<name> reachable the way the tables are: a link to `_current/<name>`,
    created once (like the tables' links) when OUTPUT is versioned. Returns OUTPUT/<name>."""
    path = os.path.join(output, name)
    if commit.read_current(output) and not os.path.lexists(path):
        commit.replace_link(path, f"{commit.CURRENT}/{name}")
    return path


class Output:
    """The tables of one output version, opened lazily as pyarrow datasets.

    `folder` is a version folder (see version_dir). Missing tables read as None."""

    def __init__(self, folder: str):
        self.folder = folder
        self._datasets: dict[str, ds.Dataset | None] = {}
        self._cache: dict[str, pa.Table] = {}

    def dataset(self, table: str) -> ds.Dataset | None:
        """The table as a pyarrow dataset (hive partition columns included), or None."""
        if table not in self._datasets:
            path = os.path.join(self.folder, table)
            self._datasets[table] = (
                ds.dataset(path, format="parquet", partitioning="hive", exclude_invalid_files=True)
                if os.path.isdir(path)
                else None
            )
        return self._datasets[table]

    def columns(self, table: str) -> set[str]:
        """Column names of a table (empty when the table does not exist)."""
        data = self.dataset(table)
        return set(data.schema.names) if data is not None else set()

    def read(self, table: str, wanted: list[str], where: pc.Expression | None = None) -> pa.Table:
        """The wanted columns that exist (others silently left out), rows matching `where`.

        `where` may refer to the wanted columns and to the keys `doc_id` and `event_id`. The
        table is streamed file by file (`batches`) and filtered batch by batch, so what is held
        is the matching rows, not a scan's decoded columns."""
        return self._read(table, wanted, None if where is None else lambda part: part.filter(where))

    def read_in(
        self, table: str, wanted: list[str], key: str, values: list, probe: bool = False
    ) -> pa.Table:
        """`read` with the filter ``pc.field(key).isin(values)`` (a null key matches nothing),
        as a mask per batch: an expression filter builds an Acero plan for every batch (about
        1 ms each, measured 2026-12-01: 1.7 s of the report's 17 s on a 40,000-page output,
        growing with its rows), a mask costs microseconds. `key` must be one of FILTER_KEYS or
        a wanted column. `probe`: read a file's wanted columns only when its `key` column
        holds one of the values (for a few values, found in a few files: the documents'
        texts of the document view were decoded for every document, 5.4 s of the report's
        22 s on a 100,000-page output)."""
        data = self.dataset(table)
        if data is None or key not in data.schema.names:
            return self.read(table, wanted, pc.field(key).isin(values))
        value_set = pa.array(values, data.schema.field(key).type)

        def keep(part: pa.Table) -> pa.Table:
            return part.filter(pc.is_in(part.column(key), value_set=value_set))

        def holds(path: str, keys: dict) -> bool:
            return any(
                pc.any(pc.is_in(b.column(key), value_set=value_set)).as_py()
                for b in _file_batches(data, path, keys, [key], PROBE_ROWS)
            )

        return self._read(table, wanted, keep, holds if probe else None)

    def _read(self, table: str, wanted: list[str], keep, holds=None) -> pa.Table:
        """`read` with `keep` (batch table -> its rows to keep; None: all); with `holds`
        ((file path, partition keys) -> bool), only the files it holds true for are read."""
        data = self.dataset(table)
        if data is None:
            return pa.table({})
        present = [c for c in wanted if c in data.schema.names]
        keys = [c for c in FILTER_KEYS if c in data.schema.names and c not in present]
        schema = pa.schema([data.schema.field(c) for c in present])
        parts = []
        batches = (
            self.batches(table, present + keys)
            if holds is None
            else _held_batches(data, present + keys, holds)
        )
        for batch in batches:
            part = pa.Table.from_batches([batch])
            if keep is not None:
                part = keep(part)
            if part.num_rows:
                parts.append(part.select(present))
        return pa.concat_tables(parts) if parts else schema.empty_table()

    def cached(self, table: str) -> pa.Table:
        """The table's KEY_COLUMNS (those that exist), read whole and kept: only for the
        events of an output without a timeline table (entries.collect); memory grows with the
        table, so everything else streams (`batches`)."""
        if table not in self._cache:
            self._cache[table] = self.read(table, KEY_COLUMNS)
        return self._cache[table]

    def batches(
        self, table: str, wanted: list[str], batch_size: int = 4096
    ) -> Iterator[pa.RecordBatch]:
        """The wanted columns that exist (Hive partition columns included, from each file's
        path), batch by batch, in the order of the files and rows. Memory is bounded by one
        batch: the files are read one after the other (`_file_batches`), and the small batches
        of consecutive files are joined up to `batch_size` rows, since each pass pays its
        compute calls per batch and an output has a small file for every partition (measured
        2026-12-01, a 10,000-page output's timeline: 581 files of 230 rows on average); only
        up to JOIN_BYTES, so that wide columns (texts, sentences) are not copied into bigger
        buffers."""
        data = self.dataset(table)
        if data is None:
            return
        present = [c for c in wanted if c in data.schema.names]
        pending: list[pa.RecordBatch] = []
        rows = size = 0
        for batch in _released(_files_batches(data, present, batch_size)):
            if rows and (rows + batch.num_rows > batch_size or size + batch.nbytes > JOIN_BYTES):
                yield _joined(pending)
                pending, rows, size = [], 0, 0
            pending.append(batch)
            rows += batch.num_rows
            size += batch.nbytes
        if pending:
            yield _joined(pending)

    def success(self) -> dict:
        """The run summary in `_SUCCESS` (run_id, counts), or {} when absent or unreadable."""
        for folder in (self.folder, os.path.dirname(self.folder.rstrip("/"))):
            path = os.path.join(folder, SUCCESS)
            try:
                with open(path, encoding="utf-8") as handle:
                    summary = json.load(handle)
            except (OSError, ValueError):
                continue
            if isinstance(summary, dict):
                return summary
        return {}


def _file_batches(
    data: ds.Dataset, path: str, keys: dict, present: list[str], batch_size: int
) -> Iterator[pa.RecordBatch]:
    """One Parquet file's `present` columns, batch by batch, in the dataset's types, through
    pyarrow.parquet's reader on one thread. A Hive partition column comes from the file's
    partition `keys`, a column the file lacks (an older schema) as nulls, as a dataset scan
    gives them. Why not `Fragment.to_batches`: on a 10,000-page output the dataset scans of
    the events table's 586 files left about 100 MiB more resident (allocator pages kept after
    the scans; they grow with the output) than this reader, which added 25 MiB (measured ad
    hoc, 2026-11-30: RSS before and after the report's event counts; docs/method.md)."""
    target = pa.schema([data.schema.field(c) for c in present])
    with data.filesystem.open_input_file(path) as handle:
        reader = pq.ParquetFile(handle)
        names = set(reader.schema_arrow.names)
        own = [c for c in present if c in names]
        for batch in reader.iter_batches(batch_size=batch_size, columns=own, use_threads=False):
            if len(own) < len(present):
                rows = batch.num_rows
                batch = pa.RecordBatch.from_arrays(
                    [
                        batch.column(c)
                        if c in names
                        else pa.repeat(pa.scalar(keys.get(c), target.field(c).type), rows)
                        for c in present
                    ],
                    names=present,
                )
            yield batch if batch.schema == target else batch.cast(target)


def _files_batches(
    data: ds.Dataset, present: list[str], batch_size: int, holds=None
) -> Iterator[pa.RecordBatch]:
    """The `present` columns of every file (of those that `holds` (path, partition keys) is
    true for), in file order, batch by batch (`_file_batches`)."""
    for fragment in data.get_fragments():
        keys = ds.get_partition_keys(fragment.partition_expression)
        if holds is None or holds(fragment.path, keys):
            yield from _file_batches(data, fragment.path, keys, present, batch_size)


def _released(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """`batches`, giving the Arrow pool's freed pages back to the OS (`release_unused`) after
    each one. Arrow's allocator (mimalloc) keeps the pages that reads freed: over a
    100,000-page output's 1,805 timeline files, streaming the key and detail columns held 5 MB
    of live Arrow data but left RSS 79 MiB higher (peak +93); released after each file, 28-35
    MiB (peak +54-60), for about 2 ms a release. The whole report on that output (2026-12-01,
    3 runs each): peak RSS 229-254 MiB released after every batch, 261-289 once per 8 MiB
    read or never; CPU within the noise of a shared machine (16.9-19.6 s vs 16.6-18.2)."""
    pool = pa.default_memory_pool()
    for batch in batches:
        yield batch
        pool.release_unused()


def _held_batches(data: ds.Dataset, present: list[str], holds) -> Iterator[pa.RecordBatch]:
    """The `present` columns of the files that `holds` (path, partition keys) is true for, in
    file order, batch by batch."""
    return _released(_files_batches(data, present, PROBE_ROWS, holds))


def _joined(batches: list[pa.RecordBatch]) -> pa.RecordBatch:
    """One batch of the rows of `batches` (all of one schema), in order."""
    return batches[0] if len(batches) == 1 else pa.concat_batches(batches)


def documents_by_id(output: Output, doc_ids: list[str], columns: list[str]) -> list[dict]:
    """Rows of the documents table whose doc_id is in doc_ids, in the order of doc_ids.

    A doc_id read from several sources (copies of one page) gives its first row by source."""
    if not doc_ids:
        return []
    table = output.read_in("documents", columns, "doc_id", doc_ids, probe=True)
    rows: dict[str, dict] = {}
    for row in sorted(table.to_pylist(), key=lambda r: (r["doc_id"], r.get("source") or "")):
        rows.setdefault(row["doc_id"], row)
    return [rows[d] for d in doc_ids if d in rows]


def smallest_doc_ids(output: Output, k: int, wanted: list[str] = ()) -> tuple[list[str], set]:
    """The `k` smallest distinct doc_ids of the documents table, sorted (doc_ids are hashes:
    sorted order is a uniform, reproducible shuffle), and those of `wanted` that the table
    holds. One pass, batch by batch: holds k ids and `wanted`, whatever the table's size."""
    smallest = sample.Smallest(k)
    found: set[str] = set()
    asked = pa.array(sorted(set(wanted)), pa.string())
    for batch in output.batches("documents", ["doc_id"], sample.BATCH_ROWS):
        if "doc_id" not in batch.schema.names:
            break
        ids = batch.column("doc_id")
        if len(asked):
            found.update(ids.filter(pc.is_in(ids, value_set=asked)).to_pylist())
        for doc_id in ids.filter(sample.below(ids, smallest.cutoff())).to_pylist():
            if doc_id is not None:
                smallest.offer(doc_id)
    return list(smallest.keys), found
