"""The manifest of inputs already processed into an output, and what an `--incremental` run
reads and rewrites.

`<version>/_manifest/part-*.parquet` holds one row per input file (path, size, mtime, seq,
run_id). Every run writes the files it read; a full run's version has only its own part, an
incremental run's version the previous parts (linked) and its own. The latest row (highest
`seq`) of a path wins.

An incremental run (decided in the driver, see pipeline/run.py):
- reads only files that are new (path not in the manifest) or changed (size or mtime differ);
- builds its version from the previous one (transforms/output/commit.py), except the few files
  that hold rows of a changed input: those are rewritten without them (`rewrite_stale`), so a
  changed file's old rows are replaced, never doubled;
- keeps the rows of inputs that disappeared (an inbox folder emptied after each run);
- needs a complete previous version with a manifest and the same table schema; otherwise it
  refuses (the first run into an empty output is a full run).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from transforms.ingest.readers import FileRef
from transforms.limits import MANIFEST_CHUNK_ROWS
from transforms.output import parquet
from transforms.output.schemas import TABLES

MANIFEST = parquet.MANIFEST
SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("size", pa.int64()),
        ("mtime", pa.float64()),
        ("seq", pa.int64()),
        ("run_id", pa.string()),
    ]
)
# Rows per manifest part file written by one bundle (a row is ~100 bytes).
ROWS_PER_PART = 200_000


def new_seq() -> int:
    """A run's sequence number: milliseconds since the epoch (later runs win)."""
    return time.time_ns() // 1_000_000


# --- reading the manifest and deciding what to read ----------------------------------------------


def load(output: str) -> dict[str, tuple[int, float]] | None:
    """{path: (size, mtime)} of the inputs in output's manifest; None when there is none."""
    folder = parquet.join(output, MANIFEST)
    if not parquet.folder_exists(folder):
        return None
    latest: dict[str, tuple[int, int, float]] = {}
    for meta in parquet.list_files(folder):
        with FileSystems.open(meta.path) as handle:
            table = pq.read_table(handle, schema=SCHEMA)
        for path, size, mtime, seq in zip(
            *(table.column(c).to_pylist() for c in ("path", "size", "mtime", "seq")), strict=True
        ):
            if path not in latest or seq >= latest[path][0]:
                latest[path] = (seq, size, mtime)
    return {path: (size, mtime) for path, (_, size, mtime) in latest.items()}


def diff(
    refs: Iterable[FileRef], previous: dict[str, tuple[int, float]]
) -> tuple[list[FileRef], list[str], int]:
    """(files to read, paths of changed files whose old rows must go, unchanged files skipped)."""
    todo, changed, skipped = [], [], 0
    for ref in refs:
        seen = previous.get(ref.source)  # the manifest holds sources (names escaped as UTF-8)
        if seen is None:
            todo.append(ref)
        elif seen != (ref.size, ref.mtime):
            todo.append(ref)
            changed.append(ref.source)
        else:
            skipped += 1
    return todo, changed, skipped


# --- writing this run's part ----------------------------------------------------------------------


def write_part(stage: str, rows: list[dict] | pa.Table) -> str:
    """Write manifest rows (dicts of SCHEMA, or a `PartRows.table()`) as one part file of the
    staged manifest."""
    table = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows, schema=SCHEMA)
    return parquet.write_table(parquet.join(stage, MANIFEST), table)


class PartRows:
    """The rows of one manifest part being gathered (one per FileRef read), held as Arrow
    batches: at most `chunk_rows` rows at a time are Python objects (three columns), the rest
    are Arrow data (about 120 bytes a row on the bench archive).

    Why not a list of dict rows: a dict row with its strings is about 300 bytes of small
    Python objects; 200,000 of them (ROWS_PER_PART) are 60 MB, allocated while the listing
    also makes the read units that live on in the Reshuffle, so the interpreter's allocator
    kept most of those pages after the rows were freed: listing 300,000 files left the process
    76 MiB larger than listing 10,000 (see MANIFEST_CHUNK_ROWS). `table()` is the same table
    as ``pa.Table.from_pylist`` of the dict rows (one chunk per column)."""

    def __init__(self, seq: int, run_id: str, chunk_rows: int = MANIFEST_CHUNK_ROWS):
        self.seq = seq
        self.run_id = run_id
        self.chunk_rows = chunk_rows
        self.batches: list[pa.RecordBatch] = []
        self.n_batched = 0
        self._empty_columns()

    def _empty_columns(self) -> None:
        self.paths: list[str] = []
        self.sizes: list[int] = []
        self.mtimes: list[float] = []

    def __len__(self) -> int:
        return self.n_batched + len(self.paths)

    def add(self, ref: FileRef) -> None:
        """Add the file's row (its `source`: valid UTF-8; `path`, the bytes, is what is
        opened)."""
        self.paths.append(ref.source)
        self.sizes.append(ref.size)
        self.mtimes.append(ref.mtime)
        if len(self.paths) >= self.chunk_rows:
            self._flush()

    def _flush(self) -> None:
        if not self.paths:
            return
        n = len(self.paths)
        self.batches.append(
            pa.record_batch(
                [
                    pa.array(self.paths, pa.string()),
                    pa.array(self.sizes, pa.int64()),
                    pa.array(self.mtimes, pa.float64()),
                    pa.array([self.seq] * n, pa.int64()),
                    pa.array([self.run_id] * n, pa.string()),
                ],
                schema=SCHEMA,
            )
        )
        self.n_batched += n
        self._empty_columns()

    def table(self) -> pa.Table:
        """Every row added, as one Arrow table of SCHEMA with one chunk per column."""
        self._flush()
        return pa.Table.from_batches(self.batches, schema=SCHEMA).combine_chunks()


# --- rows an incremental run replaces -------------------------------------------------------------


def belongs_to(sources: pa.Array, replaced: set[str]) -> pa.Array:
    """Mask of rows whose source is a replaced file or one of its members/records (`file!...`)."""
    if not replaced:
        return pa.array([False] * len(sources), type=pa.bool_())
    mask = pc.is_in(sources, value_set=pa.array(sorted(replaced), type=pa.string()))
    for path in replaced:  # members and records of a replaced archive or JSON Lines file
        mask = pc.or_(mask, pc.starts_with(sources, path + "!"))
    return pc.fill_null(mask, False)


def stale_rows(table_name: str, table: pa.Table, replaced: set[str]) -> pa.Array:
    """Rows to drop from a published file: rows of replaced inputs; and in `errors`, the rows of
    the previous run's `match` stage (they describe that run's command line, not an input)."""
    mask = belongs_to(table.column("source").combine_chunks(), replaced)
    if table_name == "errors":
        mask = pc.or_(mask, pc.fill_null(pc.equal(table.column("stage"), "match"), False))
    return mask


def rewrite_stale(
    output: str, stage: str, replaced: set[str], skip: frozenset[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """Write, into the staging folder, a copy of every published file that holds stale rows,
    without them (files in `skip` are replaced already). Returns (staged copies, published
    files they replace). `timeline` is corpus-level: its rows of the keys that replaced inputs
    touch are recomputed by the run (transforms/output/timeline_increment.py), not filtered."""
    copies, olds = [], []
    for name in TABLES:
        if name == "timeline":
            continue
        columns = ["source", "stage"] if name == "errors" else ["source"]
        folder = parquet.join(output, name)
        for meta in parquet.list_files(folder):
            if meta.path in skip:
                continue
            with FileSystems.open(meta.path) as handle:
                mask = stale_rows(name, pq.read_table(handle, columns=columns), replaced)
            if not pc.any(mask).as_py():
                continue
            with FileSystems.open(meta.path) as handle:
                full = pq.read_table(handle, schema=TABLES[name])
            kept = full.filter(pc.invert(stale_rows(name, full, replaced)))
            olds.append(meta.path)
            if kept.num_rows:
                partition = parquet.relative(folder, meta.path).rsplit("/", 1)[0]
                partition = "" if partition.endswith(".parquet") else partition
                copies.append(parquet.write_table(parquet.join(stage, name, partition), kept))
    return copies, olds


def table_rows(output: str) -> dict[str, int]:
    """Rows of each published table, from the Parquet footers (no data read)."""
    totals = {}
    for name in TABLES:
        rows = 0
        for meta in parquet.list_files(parquet.join(output, name)):
            with FileSystems.open(meta.path) as handle:
                rows += pq.ParquetFile(handle).metadata.num_rows
        totals[name] = rows
    return totals
