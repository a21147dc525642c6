"""What an output folder holds, before a run adopts it: empty, a newsline output (layout 2,
transforms/output/commit.py), an output of newsline before the commit protocol (layout 1:
tables as plain folders of Parquet files and `_SUCCESS`), or a folder that is not ours.

A run adopts only the first three; a layout-1 output becomes version `legacy` of layout 2 at
the first run that goes ahead (`migrate_legacy`), never at a run that refuses.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass

from apache_beam.io.filesystems import FileSystems

from transforms.output import parquet as sinks
from transforms.output.commit import (
    CURRENT,
    LEGACY,
    LINKED,
    LOCK,
    MANIFEST,
    MARKER,
    REPORT,
    SUCCESS,
    VERSIONS,
    current_success,
    ensure_links,
    is_local,
    read_current,
    read_json,
    replace_link,
    schema_version,
    version_dir,
    write_marker,
)
from transforms.output.schemas import TABLES


@dataclass(frozen=True)
class Existing:
    """What an output folder holds. kind: empty | newsline | legacy | foreign."""

    kind: str
    current: str | None = None  # the current version (newsline layout)
    success: dict | None = None  # the current version's _SUCCESS, when readable
    reason: str = ""  # why a folder is foreign

    @property
    def complete(self) -> bool:
        """Does the current version have a readable _SUCCESS?"""
        return self.success is not None


def inspect(output: str) -> Existing:
    """Classify the output folder without changing anything."""
    if not is_local(output):
        return _inspect_remote(output)
    if not os.path.isdir(output):
        return Existing("empty")
    names = set(os.listdir(output)) - {LOCK}
    if not names:
        return Existing("empty")
    current_path = os.path.join(output, CURRENT)
    if CURRENT in names and not os.path.islink(current_path):
        return Existing(
            "foreign",
            reason=f"{CURRENT} is not newsline's link: was the output copied with links "
            "followed? copy it with cp -a or rsync -a",
        )
    if MARKER in names or (CURRENT in names and VERSIONS in names):
        if MARKER not in names:  # a migration from layout 1 that was cut: finished next run
            return Existing("legacy", LEGACY, read_json(base_path(output, LEGACY, SUCCESS)))
        current = read_current(output)
        return Existing("newsline", current, current_success(output, current))
    return _legacy_or_foreign(output, names)


def _inspect_remote(output: str) -> Existing:
    """On object stores: the pointer object decides; a layout-1 output (tables and _SUCCESS at
    the root) stays where it is as version `legacy` until the first commit (never deleted)."""
    current = read_current(output)
    if current is not None:
        return Existing("newsline", current, current_success(output, current))
    if FileSystems.exists(sinks.join(output, SUCCESS)):
        return _remote_legacy(output)
    if read_json(sinks.join(output, MARKER)) is not None:
        return Existing("newsline")
    objects = sinks.list_files(output)
    if not objects:
        return Existing("empty")
    return Existing("foreign", reason=f"it holds {len(objects)} objects and no {MARKER}")


def _remote_legacy(output: str) -> Existing:
    allowed = {*TABLES, MANIFEST, SUCCESS, sinks.STAGING, MARKER, VERSIONS, REPORT}
    for meta in sinks.list_files(output):
        relative = sinks.relative(output, meta.path)
        top = relative.split("/")[0]
        if top not in allowed or (top in TABLES and not relative.endswith(".parquet")):
            return Existing("foreign", reason=f"{relative} is not a newsline file")
    return Existing("legacy", LEGACY, read_json(sinks.join(output, SUCCESS)))


def _legacy_or_foreign(output: str, names: set[str]) -> Existing:
    """An output of newsline before this protocol: tables as folders of Parquet files, _SUCCESS
    (or, from a killed publish, _staging), and the report.html `newsline report` wrote there.
    Anything else is not ours."""
    allowed = {*TABLES, MANIFEST, SUCCESS, sinks.STAGING, REPORT}
    if not names <= allowed:
        return Existing("foreign", reason="it holds " + ", ".join(sorted(names - allowed)[:3]))
    if not names & {SUCCESS, sinks.STAGING}:
        return Existing("foreign", reason=f"it holds {', '.join(sorted(names))} but no {SUCCESS}")
    report = os.path.join(output, REPORT)
    if REPORT in names and (os.path.islink(report) or not os.path.isfile(report)):
        return Existing("foreign", reason=f"{REPORT} is not a file newsline wrote")
    for name in names & {*TABLES, MANIFEST}:
        folder = os.path.join(output, name)
        if not os.path.isdir(folder) or os.path.islink(folder):
            return Existing("foreign", reason=f"{name} is not a folder of Parquet files")
        for root, _, files in os.walk(folder):
            for file in files:
                if not file.endswith(".parquet"):
                    rel = os.path.relpath(os.path.join(root, file), output)
                    return Existing("foreign", reason=f"{rel} is not a newsline file")
    return Existing("legacy", LEGACY, read_json(os.path.join(output, SUCCESS)))


def migrate_legacy(output: str) -> None:
    """Turn a layout-1 output into version `legacy` of layout 2, step by step, each step
    idempotent (a migration cut by a kill is finished by the next run). Each table moves into
    _v/legacy and its link replaces it at once; between the two renames (microseconds) that one
    table is absent. Old staging folders are dead runs' files (layout 1 had no lock)."""
    legacy = version_dir(output, LEGACY)
    os.makedirs(legacy, exist_ok=True)
    if read_current(output) is None:
        replace_link(os.path.join(output, CURRENT), f"{VERSIONS}/{LEGACY}")
    for name in LINKED:
        path = os.path.join(output, name)
        if os.path.lexists(path) and not os.path.islink(path):
            os.rename(path, os.path.join(legacy, name))
    ensure_links(output)
    old_staging = os.path.join(output, sinks.STAGING)
    if os.path.isdir(old_staging):
        shutil.rmtree(old_staging)
    write_marker(output)


def base_path(output: str, version: str, name: str) -> str:
    """Where `name` (a table, _manifest, _SUCCESS) of a version is. A layout-1 output not yet
    migrated (or cut half-way) has it at OUT/<name> or already in _v/legacy/<name>."""
    if version != LEGACY:
        return sinks.join(version_dir(output, version), name)
    if not is_local(output):  # object stores: a layout-1 output is read where it is
        return sinks.join(output, name)
    path = os.path.join(output, name)
    return path if os.path.exists(path) else os.path.join(version_dir(output, LEGACY), name)


def version_schema(output: str, version: str, success: dict | None) -> str | None:
    """The schema version a version was written with: from its _SUCCESS, or (a legacy
    version) from the Parquet footers of its files; None when unknown."""
    if success and success.get("schema_version"):
        return success["schema_version"]
    if version != LEGACY:
        return None
    import pyarrow.parquet as pq

    for name, schema in TABLES.items():
        files = sinks.list_files(base_path(output, version, name))
        if not files:
            return None
        found = pq.read_schema(files[0].path)
        if [(f.name, f.type) for f in found] != [(f.name, f.type) for f in schema]:
            return "legacy-" + hashlib.sha256(str(found).encode()).hexdigest()[:8]
    return schema_version()
