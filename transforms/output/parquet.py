"""Writing Hive-partitioned Parquet files into a run's version folder.

Why not `fileio.WriteToFiles`: on local disk it does not create Hive sub-folders and can leave
files in its temp folder silently (Beam issue 21313, seen here on Beam 2.77). Instead every
bundle writes its rows to `<version>/<table>/<partition>/part-*.parquet` (one file per
partition per batch of Arrow data, transforms/output/columns.py) and emits the paths it wrote.
A retried bundle writes new files, but only the paths of the attempt that succeeded reach the
commit (transforms/output/commit.py), which deletes the others and makes the version current.
This module only writes and lists files; it never publishes.
"""

from __future__ import annotations

import contextlib
import os
import uuid

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam.io.filesystem import FileMetadata
from apache_beam.io.filesystems import FileSystems

from transforms.limits import WRITE_BATCH_BYTES
from transforms.output.schemas import PARTITIONERS, TABLES, by_schema

STAGING = "_staging"
SUCCESS = "_SUCCESS"
# The inputs this output was made from (transforms/output/manifest.py); written before _SUCCESS.
MANIFEST = "_manifest"


def join(*parts: str) -> str:
    """Join path parts for local paths and URIs alike (FileSystems.join needs a scheme match).
    A local path is joined as Beam's LocalFileSystem joins it (os.path.join), without looking
    the file system up on every call (a writer joins a few paths per file)."""
    parts = tuple(p for p in parts if p)
    if len(parts) == 1:
        return parts[0]
    if "://" not in parts[0]:
        return os.path.join(*parts)
    return FileSystems.join(parts[0], *parts[1:])


def write_rows(directory: str, table: str, partition: str, rows: list[dict]) -> str:
    """Write rows as one Parquet file with the table's explicit schema; return its path."""
    schema = TABLES[table]
    # Column lists, then one conversion per column: 2-3x faster than pa.Table.from_pylist.
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return write_table(
        join(directory, table, partition), pa.Table.from_pydict(columns, schema=schema)
    )


def write_table(folder: str, arrow_table: pa.Table) -> str:
    """Write arrow_table as one new zstd-compressed Parquet file ``part-<uuid>.parquet`` in
    folder (created if missing; any Beam filesystem); return the file's path. Every Parquet
    file of an output is written here or by `write_tables` (encoding: `encoding_options`)."""
    return write_tables(folder, arrow_table.schema, [arrow_table], empty=True)[0]


def write_tables(
    folder: str, schema: pa.Schema, tables, empty: bool = False, max_bytes: int = WRITE_BATCH_BYTES
) -> list[str]:
    """Write the Arrow tables of an iterable (each with `schema`) as new Parquet files in
    folder, a row group per table, a new file once one holds `max_bytes` encoded; return their
    paths: one file unless the tables are large. No file when they hold no row, unless `empty`
    (then one file with the schema and no row).

    On local disk a file is written as it is encoded (Arrow's own file, no Python call per
    page), so what is held is one table and the writer's pages of its row group, not the file:
    a hot month's events file of a 300,000-page archive encodes to about 20 MB, and holding it
    made the clustering step's memory grow with the archive (issue 14). On an object store a
    file is encoded in memory and handed to the file system in one write (pyarrow writing to a
    Python file object makes a call per page, a dozen per column): at most about `max_bytes`
    of it are held. A file left part-written by a failure is a stray of the staging folder,
    which the commit deletes (transforms/output/commit.py)."""
    paths: list[str] = []
    sink = writer = None
    try:
        for table in tables:
            if not table.num_rows and not (empty and writer is None and not paths):
                continue
            if writer is None:
                path, sink = _open_sink(folder)
                options = encoding_options(schema, dictionary_paths(table))
                writer = pq.ParquetWriter(sink, schema, **options)
            writer.write_table(table)
            if sink.tell() >= max_bytes:
                paths.append(_close_sink(path, sink, writer))
                writer = None
        if writer is not None:
            paths.append(_close_sink(path, sink, writer))
            writer = None
    finally:
        if writer is not None:  # failed mid-file: writer and file closed, the file a stray
            # (closed here, or the writer's own __del__ would later write into a closed file)
            with contextlib.suppress(pa.ArrowException):
                writer.close()
            sink.close()
    return paths


def _open_sink(folder: str) -> tuple[str, pa.NativeFile]:
    """(path of a new file ``part-<uuid>.parquet`` in folder, the sink to encode it into): the
    file itself on local disk (its folder made), else an in-memory buffer (`_close_sink`
    stores it)."""
    path = join(folder, f"part-{uuid.uuid4().hex}.parquet")
    if "://" in path:
        return path, pa.BufferOutputStream()
    os.makedirs(folder, exist_ok=True)
    return path, pa.OSFile(path, "wb")


def _close_sink(path: str, sink: pa.NativeFile, writer: pq.ParquetWriter) -> str:
    """Finish the file `writer` encodes into `sink` (`_open_sink`); its path."""
    writer.close()
    if isinstance(sink, pa.BufferOutputStream):
        with FileSystems.create(path) as handle:
            handle.write(sink.getvalue())
    else:
        sink.close()
    return path


# Columns that hold a few distinct labels per file (codes, classes, reasons, a document's
# source): dictionary-encoded. Every other column (ids, offsets, dates, free text) is written
# plain: in files of tens to thousands of rows their values are nearly all distinct, and a
# dictionary page is one more zstd-compressed page per column chunk (measured on the bench
# pages' events files: about 0.5 ms of the 2.9 ms per file, and 7% larger files). Names are
# Parquet column paths (nested: ``actors.list.element.type``).
DICTIONARY_COLUMNS = frozenset(
    {
        "source",
        "stage",
        "reason",
        "anchor_source",
        "published_source",
        "timex_type",
        "granularity",
        "rule",
        "trigger_pos",
        "event_class",
        "tense",
        "date_role",
        "role_reason",
        "timex_mod",
        "encoding",
        "body_flag",
        "actors.list.element.type",
        "removed.list.element.reason",
        "removed.list.element.region",
        "timexes.list.element.timex_type",
        "timexes.list.element.mod",
    }
)
# A column of DICTIONARY_COLUMNS whose chunk in a file's first row group holds fewer values than
# this is written plain (values: rows for a top-level column, list elements for a nested one).
# Measured on the bench pages' events rows (zstd, these columns): at 20 and 52 rows a file is
# 2.2% and 0.4% smaller plain, at 200 rows 1.9% larger, at 1,000 rows 4.0% larger; and a
# dictionary page is one more page to encode and compress per column chunk (callgrind, 100
# files of 52 rows: 4.7% fewer instructions plain). Partitioning by month makes most files of a
# run small (2,000 pages: 566 events files, median about 50 rows); a documents file of as many
# rows still holds hundreds of removed pieces, whose labels stay dictionary-encoded. The values
# read back are the same either way.
DICTIONARY_MIN_VALUES = 128
# Long free text: no min/max statistics (no reader prunes row groups on the min and max of a
# sentence or a page's body; they cost time and footer bytes in every file).
NO_STATISTICS_COLUMNS = frozenset(
    {"sentence", "body", "title", "header", "footer", "message", "removed.list.element.text"}
)


def column_paths(schema: pa.Schema) -> list[str]:
    """The Parquet column paths (leaves) of an Arrow schema: ``actors.list.element.type``."""

    def leaves(prefix: str, kind: pa.DataType):
        if pa.types.is_struct(kind):
            for i in range(kind.num_fields):
                yield from leaves(f"{prefix}.{kind.field(i).name}", kind.field(i).type)
        elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
            yield from leaves(f"{prefix}.list.element", kind.value_type)
        else:
            yield prefix

    return [path for field in schema for path in leaves(field.name, field.type)]


@by_schema  # a pure function of its arguments; a handful of schemas (by_schema: why)
def encoding_options(schema: pa.Schema, dictionary: frozenset | None = None) -> dict:
    """pyarrow.parquet writer options of every output file: zstd, dictionary encoding only for
    the column paths in `dictionary` (None: all of DICTIONARY_COLUMNS; see `dictionary_paths`),
    statistics for every column but NO_STATISTICS_COLUMNS. File layout only: the values and
    types read back are the same whatever these options."""
    paths = column_paths(schema)
    wanted = DICTIONARY_COLUMNS if dictionary is None else dictionary
    return {
        "compression": "zstd",
        "use_dictionary": [p for p in paths if p in wanted and p in DICTIONARY_COLUMNS],
        "write_statistics": [p for p in paths if p not in NO_STATISTICS_COLUMNS],
    }


def dictionary_paths(table: pa.Table) -> frozenset:
    """The DICTIONARY_COLUMNS paths of `table` that hold at least DICTIONARY_MIN_VALUES values:
    rows for a top-level column, list elements (``actors.list.element.type``: the actors of
    every row) for a column inside a list."""
    chosen = []
    values: dict[str, int] = {}  # list elements per top-level column, counted once
    for path, top, nested in _dictionary_candidates(table.schema):
        n = table.num_rows
        if nested:
            if top not in values:
                values[top] = list_values(table.column(top))
            n = values[top]
        if n >= DICTIONARY_MIN_VALUES:
            chosen.append(path)
    return frozenset(chosen)


def list_values(column: pa.ChunkedArray) -> int:
    """The elements of a list column's lists, nulls' counted as none: the sum of
    ``pc.list_value_length``. A chunk without nulls is read from its two end offsets (a slice's
    own, ``offsets``): two compute calls a file cost about 40 us, more than a small events
    file's dictionary choice is worth; a chunk with nulls is summed by them."""
    n = 0
    for chunk in column.chunks:
        if not len(chunk):
            continue
        if chunk.null_count:
            n += pc.sum(pc.list_value_length(chunk)).as_py() or 0
        else:
            offsets = chunk.offsets
            n += offsets[len(chunk)].as_py() - offsets[0].as_py()
    return n


@by_schema  # a pure function of the schema; a handful of schemas
def _dictionary_candidates(schema: pa.Schema) -> tuple[tuple[str, str, bool], ...]:
    """(column path, its top-level column, inside a list?) of the schema's DICTIONARY_COLUMNS."""
    return tuple(
        (path, path.split(".", 1)[0], ".list.element" in path)
        for path in column_paths(schema)
        if path in DICTIONARY_COLUMNS
    )


def ensure_dir(folder: str) -> None:
    """Create a local folder (and parents) if missing; object stores need none."""
    # Object stores have no folders; local disk needs them.
    if "://" not in folder and not FileSystems.exists(folder):
        try:
            FileSystems.mkdirs(folder)
        except OSError:  # another bundle created it first
            pass


def partition_of(table: str, row: dict) -> str:
    """The Hive partition path of a row in `table` (``year=2019/month=7``; "" for errors)."""
    partitioner = PARTITIONERS[table]
    return partitioner(row) if partitioner else ""


def relative(base: str, path: str) -> str:
    """`path` relative to `base` (a folder prefix of it), without a leading slash."""
    return path[len(base) :].lstrip("/")


def folder_exists(folder: str) -> bool:
    """On object stores (gs://, s3://) a folder is a prefix: it exists when objects are under it."""
    if "://" not in folder:
        return FileSystems.exists(folder)
    return bool(list_files(folder))


def list_files(folder: str) -> list:
    """Every file under folder. Local disk: os.walk (following a link given as folder), so that
    glob characters in the path (`out[1]`) are taken literally."""
    if "://" not in folder:
        found = []
        for root, _, files in os.walk(folder):
            for name in files:
                path = os.path.join(root, name)
                stat = os.stat(path)
                found.append(FileMetadata(path, stat.st_size, stat.st_mtime))
        return sorted(found, key=lambda m: m.path)
    return FileSystems.match([join(folder, "**")])[0].metadata_list


def delete_if_exists(path: str) -> None:
    """Delete a file or a folder (on object stores: every object under the prefix)."""
    if FileSystems.exists(path):
        FileSystems.delete([path])
    elif "://" in path:
        objects = [m.path for m in list_files(path)]
        if objects:
            FileSystems.delete(objects)


def read_success(output: str) -> dict | None:
    """The current version's _SUCCESS (transforms/output/commit.py); None if there is no
    complete output or its marker is unreadable."""
    from transforms.output import commit  # commit builds on this module

    return commit.read_summary(output)
