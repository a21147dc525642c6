"""The commit protocol: every table of a run becomes visible in one atomic step.

Layout of an output folder OUT (local disk):

    OUT/_newsline              marker: this folder is a newsline output (JSON, layout version)
    OUT/_newsline.lock         the writers' lock (filelock): one run at a time on a host
    OUT/_v/<run_id>/           one version: events/ documents/ errors/ timeline/ _manifest/
                               report.html (local disk) _SUCCESS
    OUT/_v/<run_id>.lock       held by the run that is writing that version
    OUT/_current -> _v/<id>    THE pointer: a symbolic link, replaced by one rename(2)
    OUT/events -> _current/events       (and documents, errors, timeline, _manifest,
                                        report.html, _SUCCESS): created once, never changed

A run writes its version folder (its staging) while it runs; readers do not see it. The commit
writes the version's HTML report (transforms/output/report/, from the staged tables; local disk
only), then the version's `_SUCCESS` (temporary name + rename), checks that `_current` still names
the version the run started from (else it refuses: another writer committed meanwhile), then
replaces `_current` by renaming a new link over it. rename(2) is atomic, so a reader that
resolves `OUT/events` (DuckDB's and pyarrow's globs follow links) sees the old version's tables
or the new one's, all of them, never a mix; a run killed at any instant leaves the old version
current. Retention then deletes versions beyond `keep` (the current and the one before, by
default), following the chain of `previous` versions recorded in each `_SUCCESS`.

On object stores (gs://, s3://, ...) there are no links: `OUT/_current` is a small object
holding `_v/<id>`, written last. Writing one object is atomic there, so readers that follow the
pointer (docs/runs.md, "Nothing lost") see one complete version. What is NOT atomic on
object stores: the check-then-write of the pointer (two runs on two machines can both pass the
check; run one writer at a time), and there is no lock, so stale staging is reported, not
deleted.

An --incremental run builds its version from the previous one: every file of the previous
version is hard-linked (local disk; copied on object stores) into the new version, except the
few files that hold rows of changed inputs, which are rewritten without them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Iterable

from apache_beam.io.filesystems import FileSystems

from transforms.output import faults
from transforms.output import parquet as sinks
from transforms.output.schemas import LAYOUT_VERSION, TABLES

MARKER = "_newsline"
LOCK = "_newsline.lock"
CURRENT = "_current"
VERSIONS = "_v"
SUCCESS = sinks.SUCCESS
MANIFEST = sinks.MANIFEST
LEGACY = "legacy"  # the version an output written before this protocol becomes
REPORT = "report.html"  # the version's HTML report (transforms/output/report/), local disk
LINKED = (*TABLES, MANIFEST, SUCCESS, REPORT)  # OUT/<name> -> _current/<name>
LAYOUT = 2  # 1: tables as plain folders (before this protocol); 2: versions + pointer
# Versions kept: the current one and the one before, so that a reader that resolved the
# pointer just before a commit can finish reading.
KEEP_VERSIONS = 2
VERSION_RE = re.compile(r"^(?:[0-9a-f]{12}|legacy)$")


class CommitConflict(RuntimeError):
    """The output's current version is not the one this run started from: another writer
    committed while this run ran. This run's version is deleted; the other one stays."""


class EmptyRunRefused(RuntimeError):
    """A full run in which no input became a document would replace a version that holds
    documents with empty tables (a wrong folder, a mount of empty files, an upstream encoding
    change). Refused unless --allow_empty; this run's version is deleted, the output keeps its
    current version. pipeline/run.py turns it into exit 3 (guard.NO_INPUT)."""


def check_not_emptied(output: str, base: str | None, counts: dict) -> None:
    """Raise EmptyRunRefused when `counts` (this full run's) has no document and the `base`
    version's _SUCCESS counts some; return otherwise (no base, or base empty too)."""
    if counts.get("documents", 0) or base is None:
        return
    summary = current_success(output, base) or {}
    # an incremental version's own counts are its run's; `totals` are the version's rows
    kept = (summary.get("totals") or {}).get("documents", summary.get("documents")) or 0
    if kept:
        raise EmptyRunRefused(
            f"none of the {counts.get('inputs', 0):,} inputs read became a document "
            f"({counts.get('errors', 0):,} error rows); {output} keeps its {kept:,} documents "
            f"(version {base}); pass --allow_empty to publish empty tables"
        )


def is_local(output: str) -> bool:
    """Is the output on local disk (links, renames, locks) rather than an object store?"""
    return "://" not in output


def schema_version() -> str:
    """Fingerprint of the output contract (every table's column names and types, and the
    partition layout's version, schemas.LAYOUT_VERSION: a partition change changes no column),
    16 hex."""
    text = f"layout={LAYOUT_VERSION};" + ";".join(
        f"{name}:" + ",".join(f"{f.name}={f.type}" for f in schema)
        for name, schema in TABLES.items()
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def version_dir(output: str, version: str) -> str:
    """The folder of one version: `OUT/_v/<version>`."""
    return sinks.join(output, VERSIONS, version)


# --- markers: written to a temporary name and renamed; unreadable = absent ---


def write_json(path: str, value: dict) -> None:
    """Write JSON so that readers see the old content or the new, never a torn file."""
    data = json.dumps(value, indent=2, sort_keys=True).encode()
    if not is_local(path):  # one object PUT is atomic on object stores
        with FileSystems.create(path, mime_type="application/json") as handle:
            handle.write(data)
        return
    tmp = f"{path}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def read_json(path: str) -> dict | None:
    """The JSON object at path; None when it is missing, unreadable, torn or not an object."""
    try:
        if is_local(path):
            with open(path, "rb") as handle:
                value = json.loads(handle.read().decode())
        else:
            if not FileSystems.exists(path):
                return None
            with FileSystems.open(path) as handle:
                value = json.loads(handle.read().decode())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


# --- the pointer ---


def read_current(output: str) -> str | None:
    """The current version's name, or None (no committed version, or an unreadable pointer)."""
    path = sinks.join(output, CURRENT)
    if is_local(output):
        try:
            target = os.readlink(path)
        except OSError:
            return None
    else:
        value = read_json(path)
        target = value.get("version", "") if value else ""
    head, _, name = target.rpartition("/")
    return name if head == VERSIONS and VERSION_RE.match(name) else None


def switch_current(output: str, version: str) -> None:
    """Make `version` the current one in one atomic step (local disk: rename of a new link)."""
    path = sinks.join(output, CURRENT)
    target = f"{VERSIONS}/{version}"
    if not is_local(output):
        write_json(path, {"version": target})
        return
    replace_link(path, target)
    _fsync_dir(output)


def replace_link(path: str, target: str) -> None:
    """Make path a symbolic link to target in one rename(2) (a new link renamed over it)."""
    tmp = f"{path}.tmp-{uuid.uuid4().hex[:8]}"
    os.symlink(target, tmp)
    try:
        os.replace(tmp, path)
    except OSError:
        os.unlink(tmp)
        raise


def _fsync_dir(folder: str) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_links(output: str) -> None:
    """OUT/<table> -> _current/<table> for every table (local disk; created once)."""
    if not is_local(output):
        return
    for name in LINKED:
        path = os.path.join(output, name)
        if not os.path.lexists(path):
            replace_link(path, f"{CURRENT}/{name}")


def write_marker(output: str) -> None:
    """Write OUT/_newsline: this folder is a newsline output of layout LAYOUT."""
    write_json(sinks.join(output, MARKER), {"format": "newsline-output", "layout": LAYOUT})


# --- reading a version ---


def current_success(output: str, version: str | None) -> dict | None:
    """The _SUCCESS of a version; None for no version or an unreadable marker."""
    if version is None:
        return None
    return read_json(sinks.join(version_dir(output, version), SUCCESS))


def read_summary(output: str) -> dict | None:
    """The summary (_SUCCESS) of the output's current version; of a layout-1 output, its
    _SUCCESS; None when there is no complete output or the marker is unreadable."""
    current = read_current(output)
    if current is not None:
        return current_success(output, current)
    return read_json(sinks.join(output, SUCCESS))


# --- retention and stale staging ---


def kept_versions(output: str, keep: int) -> list[str]:
    """The current version and its `keep - 1` predecessors (from each _SUCCESS's `previous`)."""
    chain: list[str] = []
    version = read_current(output)
    while version and len(chain) < keep and version not in chain:
        success = current_success(output, version)
        if success is None and chain:  # deleted already (or never complete)
            break
        chain.append(version)
        version = (success or {}).get("previous")
    return chain


def remove_unkept(output: str, keep: int, is_held) -> list[str]:
    """Delete versions that are no longer needed; returns the names deleted.

    Local disk: every version folder outside the kept chain whose lock is not held (older
    versions, and the staging of runs that died). Object stores (no locks): only versions that
    were current once and fell out of the chain; a dead run's staging stays (reported). Only
    names this protocol makes (12 hex digits, `legacy`) under _v/ are touched."""
    if not is_local(output):
        return _remove_remote(output, keep)
    folder = sinks.join(output, VERSIONS)
    if not os.path.isdir(folder):
        return []
    kept = set(kept_versions(output, keep))
    deleted = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not VERSION_RE.match(name) or name in kept or not os.path.isdir(path):
            continue
        lock = path + ".lock"
        if is_held(lock):
            continue
        shutil.rmtree(path)
        if os.path.exists(lock):
            os.unlink(lock)
        deleted.append(name)
    return deleted


def _remove_remote(output: str, keep: int) -> list[str]:
    chain = kept_versions(output, 1_000_000)
    for name in chain[keep:]:
        delete_files([m.path for m in sinks.list_files(version_dir(output, name))])
    others = {
        sinks.relative(sinks.join(output, VERSIONS), m.path).split("/")[0]
        for m in sinks.list_files(sinks.join(output, VERSIONS))
    } - set(chain)
    if others:
        logging.warning(
            "newsline: %s/%s holds versions that were never committed (%s): runs that died or "
            "are running elsewhere; delete them when no run is writing",
            output,
            VERSIONS,
            ", ".join(sorted(others)),
        )
    return chain[keep:]


def version_root(output: str, version: str) -> str:
    """The folder that holds a version's tables: `_v/<version>`; for a layout-1 output on an
    object store (version `legacy`, never moved there), the output itself."""
    if version == LEGACY and not is_local(output):
        return output
    return version_dir(output, version)


def current_dir(output: str) -> str | None:
    """The folder of the output's current version (`OUT/_v/<id>`): what readers on object
    stores read (docs/runs.md, "Nothing lost"); None when nothing is committed."""
    current = read_current(output)
    return version_dir(output, current) if current else None


# --- the commit ---


def publish(
    output: str,
    run_id: str,
    base: str | None,
    written: Iterable[str],
    counts: dict,
    *,
    replaced: Iterable[str] | None = None,
    superseded: Iterable[str] = (),
    keep: int = KEEP_VERSIONS,
    is_held=None,
    allow_empty: bool = False,
) -> dict:
    """Commit this run's version (`_v/<run_id>`, where its files were written).

    base: the version the run started from (None: none). replaced: None for a full run; for an
    incremental run, the paths of changed inputs whose old rows go (the rest of `base` is
    linked in, except the `superseded` files of `base`, which staged copies replace: their
    event_ids or timeline rows were recomputed, transforms/output/timeline_increment.py).
    Returns the summary written to the version's _SUCCESS. Raises CommitConflict when the
    current version is no longer `base` (the run's version is then deleted), and
    EmptyRunRefused when a full run without `allow_empty` made no document over a `base` that
    holds some.
    Idempotent: a retried publish of a run that is already current returns its summary."""
    from transforms.output import manifest  # manifest imports parquet; no import cycle

    stage = version_dir(output, run_id)
    if read_current(output) == run_id:
        return current_success(output, run_id) or {}
    if replaced is None and not allow_empty:
        check_not_emptied(output, base, counts)
    faults.point("staged")
    written = sorted(set(written))
    keep_paths = set(written)
    strays = [m.path for m in sinks.list_files(stage) if m.path not in keep_paths]
    delete_files(strays)  # files of bundle attempts that failed and were retried
    summary = {"run_id": run_id, **counts}
    if replaced is not None and base is not None:
        previous = version_root(output, base)
        skip = frozenset(superseded)
        copies, olds = manifest.rewrite_stale(previous, stage, set(replaced), skip)
        link_version(previous, stage, skip=set(olds) | skip)
        faults.point("linked")
        summary["mode"] = "incremental"
        written += copies
    written += _fill_empty_tables(stage)
    summary["files"] = {
        t: sum(sinks.relative(stage, p).startswith(t + "/") for p in written) for t in TABLES
    }
    if replaced is not None:
        summary["totals"] = manifest.table_rows(stage)
    summary.update(
        previous=base,
        schema_version=schema_version(),
        layout_version=LAYOUT_VERSION,
        committed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    if is_local(output):
        summary["report"] = REPORT
        _write_report(output, stage, summary)
        faults.point("reported")
    write_json(sinks.join(stage, SUCCESS), summary)
    faults.point("marked")
    # a layout-1 output on an object store has no pointer until this first commit
    expected = None if base == LEGACY and not is_local(output) else base
    if read_current(output) != expected:
        raise CommitConflict(
            f"the output changed while this run ran: it started from version {base}, the "
            f"current version is now {read_current(output)}; this run's version was not "
            "published"
        )
    faults.point("checked")
    ensure_links(output)
    switch_current(output, run_id)
    faults.point("switched")
    remove_unkept(output, keep, is_held or (lambda _: True))
    faults.point("retained")
    return summary


def _write_report(output: str, stage: str, summary: dict) -> str:
    """The version's report.html, made from its staged tables before its _SUCCESS is written:
    a version that is published always has the report of its own tables, and a run killed
    before the switch leaves no report of an unpublished version where readers look (the
    stage is deleted by the next run). A failure here fails the commit (nothing published).
    A report a retried publish wrote before was deleted with the strays and is made again."""
    from transforms.output.heap import HeapReleaser
    from transforms.output.report import write_report  # the report reads this module

    # Made in the job's process after every step: the pages those steps freed go back to the
    # OS first, so that the report's own memory comes on top of what is live, not of that.
    HeapReleaser().release()
    return write_report(stage, title=output, run=summary)


def _fill_empty_tables(stage: str) -> list[str]:
    """An empty table still gets one file, in the partition of a row with no dates (year=0,
    ...), so that readers' globs match. Returns the files written."""
    return [
        sinks.write_rows(stage, table, sinks.partition_of(table, {}), [])
        for table in TABLES
        if not sinks.list_files(sinks.join(stage, table))
    ]


def link_version(previous: str, stage: str, skip: set[str]) -> int:
    """Every file of the previous version (tables and manifest; not its _SUCCESS nor its
    report.html, which describe the previous version: the new version gets its own, made at
    the commit) into the new version at the same relative path: a hard link on local disk
    (no data copied; the files are never modified in place, so sharing them is safe), a copy
    on object stores or across devices. Returns the number of files."""
    n = 0
    for name in (*TABLES, MANIFEST):
        for meta in sinks.list_files(sinks.join(previous, name)):
            if meta.path in skip:
                continue
            target = sinks.join(stage, sinks.relative(previous, meta.path))
            if is_local(stage):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                try:
                    os.link(meta.path, target)
                except OSError:  # another device, or links not supported
                    shutil.copy2(meta.path, target)
            else:
                FileSystems.copy([meta.path], [target])
            n += 1
    return n


def delete_files(paths: list[str]) -> None:
    """Delete exactly these files (Beam's local delete would glob the names)."""
    if not paths:
        return
    if is_local(paths[0]):
        for path in paths:
            os.unlink(path)
    else:
        FileSystems.delete(paths)


def delete_own_staging(output: str, run_id: str) -> None:
    """A run that did not commit deletes its own version folder, and nothing else."""
    if read_current(output) == run_id:
        return
    stage = version_dir(output, run_id)
    if is_local(output):
        if os.path.isdir(stage):
            shutil.rmtree(stage, ignore_errors=True)
    else:
        delete_files([m.path for m in sinks.list_files(stage)])
    logging.info("newsline: removed this run's unpublished version %s", stage)
