"""Writing Hive-partitioned Parquet through a staging folder, then publishing it.

Why not `fileio.WriteToFiles`: on local disk it does not create Hive sub-folders and can leave
files in its temp folder silently (Beam issue 21313, seen here on Beam 2.77). Instead:

1. Every bundle writes its rows to `<output>/_staging/<run_id>/<table>/<partition>/part-*.parquet`
   (one file per partition per ROWS_PER_FILE rows) and emits the paths it wrote. A retried
   bundle writes new files, but only the paths of the attempt that succeeded reach step 2.
2. Once every table is written, `publish` moves exactly those files into place, replacing the
   previous output table by table, and writes `_SUCCESS` (with the run's counts) last.

Readers never see a half-written table: nothing is under `<output>/<table>/` until the run has
finished, and `_SUCCESS` says which run the tables come from. Folders whose names start with `_`
are ignored by DuckDB globs over `<table>/**`, Spark and Hive.
"""

from __future__ import annotations

import json
import posixpath
import uuid
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from transforms.output.schemas import LAYOUT_VERSION, PARTITIONERS, TABLES

STAGING = "_staging"
SUCCESS = "_SUCCESS"
# The inputs this output was made from (transforms/output/manifest.py); written before _SUCCESS.
MANIFEST = "_manifest"


def join(*parts: str) -> str:
    """Join path parts for local paths and URIs alike (FileSystems.join needs a scheme match)."""
    parts = tuple(p for p in parts if p)
    return FileSystems.join(parts[0], *parts[1:]) if len(parts) > 1 else parts[0]


def staging_dir(output: str, run_id: str) -> str:
    """The run's staging folder: ``<output>/_staging/<run_id>``."""
    return join(output, STAGING, run_id)


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
    file of an output is written here."""
    path = join(folder, f"part-{uuid.uuid4().hex}.parquet")
    ensure_dir(folder)
    with FileSystems.create(path) as handle:
        pq.write_table(arrow_table, handle, compression="zstd")
    return path


def ensure_dir(folder: str) -> None:
    """Create a local folder (and parents) if missing; object stores need none."""
    # Object stores have no folders; local disk needs them.
    if "://" not in folder and not FileSystems.exists(folder):
        try:
            FileSystems.mkdirs(folder)
        except OSError:  # another bundle created it first
            pass


def approx_row_bytes(row: dict) -> int:
    """A cheap estimate of a row's memory from its big strings: a document row holds its text
    about twice (body, header/footer, removed pieces), an event row its sentence."""
    return (
        256
        + 2 * (row.get("n_chars") or 0)
        + len(row.get("sentence") or "")
        + len(row.get("message") or "")
    )


def partition_of(table: str, row: dict) -> str:
    """The Hive partition path of a row in `table` (``year=2019/month=7``; "" for errors)."""
    partitioner = PARTITIONERS[table]
    return partitioner(row) if partitioner else ""


def publish(output: str, run_id: str, written: Iterable[str], counts: dict) -> dict:
    """Move the staged files of this run into place, replacing the old tables; write _SUCCESS.

    Idempotent: a runner that retries the publish step after it succeeded finds this run's
    _SUCCESS and returns it unchanged."""
    done = read_success(output)
    if done is not None and done.get("run_id") == run_id:
        return done
    stage = staging_dir(output, run_id)
    written = sorted(set(written))
    tables = {t: [p for p in written if relative(stage, p).startswith(t + "/")] for t in TABLES}
    for table, paths in tables.items():
        if not paths:
            # An empty table still gets one file, in the partition of a row with no dates
            # (year=0, ...), so that readers' globs match.
            paths.append(write_rows(stage, table, partition_of(table, {}), []))
    success = join(output, SUCCESS)
    if FileSystems.exists(success):
        FileSystems.delete([success])
    for table, paths in tables.items():
        _replace_table(output, stage, table, paths)
    parts = [p for p in written if relative(stage, p).startswith(MANIFEST + "/")]
    _replace_manifest(output, stage, parts)
    delete_if_exists(join(output, STAGING))
    summary = {
        "run_id": run_id,
        "layout_version": LAYOUT_VERSION,
        **counts,
        "files": {t: len(p) for t, p in tables.items()},
    }
    with FileSystems.create(success, mime_type="application/json") as handle:
        handle.write(json.dumps(summary, indent=2, sort_keys=True).encode())
    return summary


def relative(base: str, path: str) -> str:
    """`path` relative to `base` (a folder prefix of it), without a leading slash."""
    return path[len(base) :].lstrip("/")


def _replace_table(output: str, stage: str, table: str, paths: list[str]) -> None:
    """Swap in the staged table: old table -> trash, staged table -> place, drop the trash.

    On local disk both moves are single directory renames, so a reader sees the old table or
    the new one, never a mix. Object stores have no directories: there files move one by one.
    """
    staged = join(stage, table)
    keep = set(paths)
    strays = [m.path for m in list_files(staged) if m.path not in keep]
    if strays:  # files of bundle attempts that failed and were retried
        FileSystems.delete(strays)
    final = join(output, table)
    trash = join(stage + "-old", table)
    if folder_exists(final):
        _move_tree(final, trash)
    _move_tree(staged, final)
    delete_if_exists(stage + "-old")


def _replace_manifest(output: str, stage: str, parts: list[str]) -> None:
    """A full run's manifest replaces the previous one (written after the tables, so a run killed
    before this point leaves the old manifest, and no _SUCCESS)."""
    final = join(output, MANIFEST)
    delete_if_exists(final)
    if parts:
        ensure_dir(final)
        FileSystems.rename(parts, [join(final, posixpath.basename(p)) for p in parts])


def folder_exists(folder: str) -> bool:
    """On object stores (gs://, s3://) a folder is a prefix: it exists when objects are under it."""
    if "://" not in folder:
        return FileSystems.exists(folder)
    return bool(list_files(folder))


def list_files(folder: str) -> list:
    """Metadata of every file under folder (recursive); [] when it does not exist."""
    if "://" not in folder and not FileSystems.exists(folder):
        return []
    return FileSystems.match([join(folder, "**")])[0].metadata_list


def _move_tree(source: str, target: str) -> None:
    if "://" not in source:
        ensure_dir(posixpath.dirname(target))
        FileSystems.rename([source], [target])
        return
    files = [m.path for m in list_files(source)]
    FileSystems.rename(files, [target + f[len(source) :] for f in files])


def delete_if_exists(path: str) -> None:
    """Delete a file or a folder (on object stores: every object under the prefix)."""
    if FileSystems.exists(path):
        FileSystems.delete([path])
    elif "://" in path:
        objects = [m.path for m in list_files(path)]
        if objects:
            FileSystems.delete(objects)


def layout_version_of(success: dict) -> int:
    """The layout version of a published output (outputs written before versions existed: 1)."""
    return int(success.get("layout_version", 1))


def read_success(output: str) -> dict | None:
    """The summary in ``<output>/_SUCCESS`` (JSON), or None when there is none."""
    path = join(output, SUCCESS)
    if not FileSystems.exists(path):
        return None
    with FileSystems.open(path) as handle:
        return json.loads(handle.read().decode())
