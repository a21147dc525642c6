"""The manifest of inputs already processed into an output, and the append-mode publish of
`--incremental` runs.

`DIR/_manifest/part-*.parquet` holds one row per input file (path, size, mtime, seq, run_id).
Every run writes the files it read; a full run replaces the manifest, an incremental run adds a
part. The latest row (highest `seq`) of a path wins.

An incremental run (decided in the driver, see pipeline/run.py):
- reads only files that are new (path not in the manifest) or changed (size or mtime differ);
- publishes by ADDING its staged files to the tables, never rewriting the others, except the
  few published files that hold rows of a changed input: those are rewritten without them, so
  a changed file's old rows are replaced, never doubled;
- keeps the rows of inputs that disappeared (an inbox folder emptied after each run);
- needs a complete previous output (`_SUCCESS` and a manifest); otherwise it runs as a full run.
  A killed append publish deletes `_SUCCESS` first, so the next run rebuilds in full.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from transforms.ingest.readers import FileRef
from transforms.output import parquet as sinks
from transforms.records import LAYOUT_VERSION, TABLES

MANIFEST = sinks.MANIFEST
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
    folder = sinks.join(output, MANIFEST)
    if not sinks._folder_exists(folder):
        return None
    latest: dict[str, tuple[int, int, float]] = {}
    for meta in sinks._list_files(folder):
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
        seen = previous.get(ref.path)
        if seen is None:
            todo.append(ref)
        elif seen != (ref.size, ref.mtime):
            todo.append(ref)
            changed.append(ref.path)
        else:
            skipped += 1
    return todo, changed, skipped


# --- writing this run's part ----------------------------------------------------------------------


def write_part(stage: str, rows: list[dict]) -> str:
    folder = sinks.join(stage, MANIFEST)
    sinks._ensure_dir(folder)
    path = sinks.join(folder, f"part-{uuid.uuid4().hex}.parquet")
    with FileSystems.create(path) as handle:
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), handle, compression="zstd")
    return path


class WriteManifestFn(beam.DoFn):
    """FileRefs read by this run -> manifest part files in the staging folder (their paths)."""

    def __init__(self, stage: str, seq: int, run_id: str):
        self.stage = stage
        self.seq = seq
        self.run_id = run_id

    def start_bundle(self):
        self.rows: list[dict] = []

    def process(self, ref: FileRef):
        self.rows.append(
            {
                "path": ref.path,
                "size": ref.size,
                "mtime": ref.mtime,
                "seq": self.seq,
                "run_id": self.run_id,
            }
        )
        if len(self.rows) >= ROWS_PER_PART:
            yield write_part(self.stage, self.rows)
            self.rows = []

    def finish_bundle(self):
        if self.rows:
            yield WindowedValue(write_part(self.stage, self.rows), 0, [GlobalWindow()])
            self.rows = []


# --- append-mode publish --------------------------------------------------------------------------


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
    output: str, stage: str, replaced: set[str], skip: set[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """Write, into the staging folder, a copy of every published file that holds stale rows,
    without them (files in `skip` are already replaced). Returns (staged copies, published
    files they replace)."""
    copies, olds = [], []
    for name in TABLES:
        if name == "timeline":  # corpus-level: recomputed for the touched keys instead
            continue
        columns = ["source", "stage"] if name == "errors" else ["source"]
        folder = sinks.join(output, name)
        for meta in sinks._list_files(folder):
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
                partition = sinks._relative(folder, meta.path).rsplit("/", 1)[0]
                partition = "" if partition.endswith(".parquet") else partition
                copies.append(_write_kept(stage, name, partition, kept))
    return copies, olds


def _write_kept(stage: str, table: str, partition: str, kept: pa.Table) -> str:
    folder = sinks.join(stage, table, partition)
    sinks._ensure_dir(folder)
    path = sinks.join(folder, f"part-{uuid.uuid4().hex}.parquet")
    with FileSystems.create(path) as handle:
        pq.write_table(kept, handle, compression="zstd")
    return path


def append_publish(
    output: str,
    run_id: str,
    written: Iterable[str],
    counts: dict,
    replaced: Iterable[str],
    superseded: Iterable[str] = (),
) -> dict:
    """Add this run's staged files to the published tables; drop the stale rows and the
    `superseded` published files (replaced by staged copies: recomputed event_ids and timeline
    rows); add its manifest part; write _SUCCESS (this run's counts and the tables' totals)."""
    superseded = sorted(set(superseded))
    stage = sinks.staging_dir(output, run_id)
    written = sorted(set(written))
    keep = set(written)
    strays = [m.path for m in sinks._list_files(stage) if m.path not in keep]
    if strays:  # files of bundle attempts that failed and were retried
        FileSystems.delete(strays)
    success = sinks.join(output, sinks.SUCCESS)
    if FileSystems.exists(success):
        FileSystems.delete([success])
    copies, olds = rewrite_stale(output, stage, set(replaced), set(superseded))
    olds += superseded
    for path in written + copies:
        target = sinks.join(output, sinks._relative(stage, path))
        sinks._ensure_dir(target.rsplit("/", 1)[0])
        FileSystems.rename([path], [target])
    if olds:
        FileSystems.delete(olds)
    sinks._delete_if_exists(sinks.join(output, sinks.STAGING))
    summary = {
        "run_id": run_id,
        "mode": "incremental",
        "layout_version": LAYOUT_VERSION,
        **counts,
        "files": {
            t: sum(sinks._relative(stage, p).startswith(t + "/") for p in written) for t in TABLES
        },
        "totals": table_rows(output),
    }
    with FileSystems.create(success, mime_type="application/json") as handle:
        handle.write(json.dumps(summary, indent=2, sort_keys=True).encode())
    return summary


def table_rows(output: str) -> dict[str, int]:
    """Rows of each published table, from the Parquet footers (no data read)."""
    totals = {}
    for name in TABLES:
        rows = 0
        for meta in sinks._list_files(sinks.join(output, name)):
            with FileSystems.open(meta.path) as handle:
                rows += pq.ParquetFile(handle).metadata.num_rows
        totals[name] = rows
    return totals


class AppendPublishFn(beam.DoFn):
    """Runs once, after all tables are written: check the counts, add the files to the tables."""

    def __init__(self, output: str, run_id: str, replaced: list[str], extra: dict):
        self.output = output
        self.run_id = run_id
        self.replaced = replaced
        self.extra = extra

    def process(self, _, paths, counts, superseded=()):
        counts = {**dict(counts), **self.extra}
        if counts["inputs"] != counts["documents"] + counts["errors"]:
            raise RuntimeError(
                f"reconciliation failed: inputs={counts['inputs']} != documents="
                f"{counts['documents']} + errors={counts['errors']}; output not published"
            )
        yield append_publish(
            self.output, self.run_id, paths, counts, self.replaced, list(superseded)
        )
