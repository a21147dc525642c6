"""Per-document digests of the job's output tables, and their comparison with a baseline.

A digest file is JSON Lines, one entry per key, sorted by key:

- ``{"key": "<job>:<set>/<path>", "parts": {part: "<rows>:<sha256[:12]>", ...}}`` for every
  source (a document, an archive member ``a.tar!m.txt``, a JSONL record ``f.jsonl!3``);
- ``{"key": "#schema <job> <table>", "columns": ["name:type", ...]}`` per table;
- ``{"key": "#summary <job>", "counts": {...}}``: the counts the job published in _SUCCESS.

Parts of a source: ``split`` (title, body, body_spans, header, footer, removed: the
header/footer split and the removal reasons), ``timexes``, ``document`` (every other column of
its documents row, by name, plus the Hive partition it was written to), ``events`` (its event
rows, whole), ``timeline`` (the timeline rows whose representative mention it holds, whole:
event_id, counts, doc_ids, partition; so a merge or a split of a cross-document event shows
as a change of the representative's document) and ``error`` (its errors rows, whole).
Columns are digested by name, so a new column shows as a change of ``document``, ``events``,
``timeline`` or ``error``.

Robust to what legitimately varies between two runs of the same code: row order and the
number, names and order of Parquet files in a partition, and the absolute paths of the
temporary folders (the input root is removed from every string). Sensitive to every value.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

SPLIT_COLUMNS = ("title", "body", "body_spans", "header", "footer", "removed")
TIMEX_COLUMNS = ("timexes",)
TABLES = ("documents", "events", "errors", "timeline")
# Tables a job may leave without files (no event anchored by a date: no timeline row).
OPTIONAL_TABLES = ("timeline",)
# _SUCCESS keys that are outputs of the job; run ids and file counts vary between runs.
SUMMARY_KEYS = ("inputs", "documents", "errors", "events", "timeline", "errors_by_reason")
PARTITION = "_partition"
DIGEST_CHARS = 12  # 48 bits of sha256: no accidental collision among a few thousand rows
NO_SOURCE = "<no source>"


def canonical(value: object) -> str:
    """A stable text form of a row or value: JSON with sorted keys, dates in ISO form."""
    return json.dumps(value, sort_keys=True, ensure_ascii=True, default=_jsonable)


def _jsonable(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"cannot digest a {type(value).__name__}")


def part_digest(rows: list[dict]) -> str:
    """``"<number of rows>:<sha256 of the sorted canonical rows, first DIGEST_CHARS hex>"``."""
    lines = sorted(canonical(row) for row in rows)
    sha = hashlib.sha256("\n".join(lines).encode("ascii")).hexdigest()[:DIGEST_CHARS]
    return f"{len(rows)}:{sha}"


def relativize(value: object, roots: dict[str, str]) -> object:
    """value with every folder of roots ({folder: replacement}) replaced in its strings, nested
    lists and dicts included: ``<root>/a.txt`` -> ``<replacement>a.txt``."""
    if isinstance(value, str):
        for folder, replacement in roots.items():
            value = value.replace(folder + "/", replacement)
        return value
    if isinstance(value, list):
        return [relativize(v, roots) for v in value]
    if isinstance(value, dict):
        return {k: relativize(v, roots) for k, v in value.items()}
    return value


def path_roots(inputs: Path, output: Path) -> dict[str, str]:
    """The temporary folders of a run as they may appear in rows (as given and as real paths),
    longest first so that a folder inside another is replaced first."""
    roots = {}
    for folder, replacement in ((inputs, ""), (output, "<output>/")):
        for form in (str(folder), os.path.realpath(folder)):
            roots[form] = replacement
    return dict(sorted(roots.items(), key=lambda kv: -len(kv[0])))


def read_table(output: Path, table: str) -> tuple[list[dict], list[str]]:
    """All rows of ``output/<table>/**/*.parquet`` (each with its partition folder under
    PARTITION), and the table's columns as ``name:type``. Folders starting with ``_`` or ``.``
    (staging, trash) are not part of the table. Raises SystemExit if files disagree on schema."""
    import pyarrow.parquet as pq

    folder = output / table
    rows: list[dict] = []
    columns: list[str] | None = None
    for path in sorted(folder.rglob("*.parquet")):
        relative = path.relative_to(folder)
        if any(p.startswith(("_", ".")) for p in relative.parts):
            continue
        data = pq.read_table(path, partitioning=None)
        these = [f"{f.name}:{f.type}" for f in data.schema]
        if columns is not None and these != columns:
            raise SystemExit(f"diffcheck: {path} has columns {these}, other files {columns}")
        columns = these
        partition = relative.parent.as_posix()
        for row in data.to_pylist():
            row[PARTITION] = "" if partition == "." else partition
            rows.append(row)
    if columns is None:
        raise SystemExit(f"diffcheck: no Parquet files under {folder}")
    return rows, columns


def digest_output(output: Path, inputs: Path, job: str) -> list[dict]:
    """The digest entries of one job's output folder. inputs is the folder holding the input
    sets: it is removed from every string, so keys read ``<job>:<set>/<path>``."""
    roots = path_roots(inputs, output)
    parts: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    entries = []
    for table in TABLES:
        if table in OPTIONAL_TABLES and not any((output / table).rglob("*.parquet")):
            continue
        rows, columns = read_table(output, table)
        entries.append({"key": f"#schema {job} {table}", "columns": columns})
        for row in rows:
            row = relativize(row, roots)
            key = f"{job}:{row.get('source') or NO_SOURCE}"
            for part, content in split_row(table, row).items():
                parts[key][part].append(content)
    for key, by_part in parts.items():
        entries.append({"key": key, "parts": {p: part_digest(r) for p, r in by_part.items()}})
    entries.append({"key": f"#summary {job}", "counts": read_summary(output)})
    return sorted(entries, key=lambda e: e["key"])


def split_row(table: str, row: dict) -> dict[str, dict]:
    """The parts one row contributes to its source's digest."""
    if table == "events":
        return {"events": row}
    if table == "errors":
        return {"error": row}
    if table == "timeline":
        return {"timeline": row}
    taken = SPLIT_COLUMNS + TIMEX_COLUMNS
    return {
        "split": {c: row.get(c) for c in SPLIT_COLUMNS},
        "timexes": {c: row.get(c) for c in TIMEX_COLUMNS},
        "document": {c: v for c, v in row.items() if c not in taken},
    }


def read_summary(output: Path) -> dict:
    """The job's published counts (SUMMARY_KEYS of _SUCCESS)."""
    path = output / "_SUCCESS"
    if not path.exists():
        raise SystemExit(f"diffcheck: the job published no {path}")
    summary = json.loads(path.read_text())
    return {k: summary[k] for k in SUMMARY_KEYS if k in summary}


def write_digests(path: Path, entries: Iterable[dict]) -> None:
    """One JSON line per entry, key first, sorted by key (a stable, diff-friendly text file)."""
    lines = [
        '{"key": ' + canonical(e["key"]) + ", " + canonical(_without_key(e))[1:]
        for e in sorted(entries, key=lambda e: e["key"])
    ]
    path.write_text("".join(line + "\n" for line in lines), encoding="ascii")


def _without_key(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k != "key"}


def read_digests(path: Path) -> dict[str, dict]:
    """{key: entry} of a digest file."""
    entries = {}
    for line in path.read_text(encoding="ascii").splitlines():
        if line.strip():
            entry = json.loads(line)
            entries[entry["key"]] = entry
    return entries
