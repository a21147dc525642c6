"""One explicit pyarrow schema per output table, and the tables' Hive partitioning.

The schemas are the public output contract (see docs/output-contract.md). Extend them, never
rename a column silently. Every offset is a Python code-point offset into the whole decoded file
text, the ` date YYYY-MM-DD ` prefix included, so that ``text[start:end]`` is always the quoted
text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pyarrow as pa

from transforms.output import partitions

# --- output tables ------------------------------------------------------------------------------

SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64())])
REMOVED = pa.struct(
    [
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("text", pa.string()),
        ("reason", pa.string()),
        ("region", pa.string()),
    ]
)
TIMEX = pa.struct(
    [
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
        ("text", pa.string()),
        ("timex_type", pa.string()),
        ("value", pa.string()),
        ("mod", pa.string()),
    ]
)

ACTOR = pa.struct(
    [
        ("text", pa.string()),
        ("type", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
    ]
)

EVENTS_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("doc_id", pa.string()),
        ("source", pa.string()),
        ("published", pa.date32()),
        ("anchor_date", pa.date32()),
        ("anchor_source", pa.string()),
        ("date_text", pa.string()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
        ("timex_type", pa.string()),
        ("timex_value", pa.string()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("granularity", pa.string()),
        ("sentence", pa.string()),
        ("sentence_start", pa.int64()),
        ("sentence_end", pa.int64()),
        ("rule", pa.string()),
        ("mention_id", pa.string()),
        ("trigger", pa.string()),
        ("trigger_start", pa.int64()),
        ("trigger_end", pa.int64()),
        ("trigger_pos", pa.string()),
        ("event_class", pa.string()),
        ("actors", pa.list_(ACTOR)),
        ("tense", pa.string()),
        ("date_role", pa.string()),
        ("role_reason", pa.string()),
        ("timex_mod", pa.string()),
    ]
)

DOCUMENTS_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source", pa.string()),
        ("published", pa.date32()),
        ("published_source", pa.string()),
        ("anchor_date", pa.date32()),
        ("anchor_source", pa.string()),
        ("title", pa.string()),
        ("body", pa.string()),
        ("body_spans", pa.list_(SPAN)),
        ("header", pa.string()),
        ("footer", pa.string()),
        ("removed", pa.list_(REMOVED)),
        ("timexes", pa.list_(TIMEX)),
        ("n_chars", pa.int64()),
        ("n_events", pa.int64()),
        ("encoding", pa.string()),
        ("prefix_len", pa.int64()),
        ("body_flag", pa.string()),
        ("anchor_evidence_start", pa.int64()),
        ("anchor_evidence_end", pa.int64()),
        ("notes", pa.list_(pa.string())),
    ]
)

ERRORS_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("stage", pa.string()),
        ("reason", pa.string()),
        ("message", pa.string()),
    ]
)

TIMELINE_ACTOR = pa.struct(
    [("text", pa.string()), ("type", pa.string()), ("n_mentions", pa.int64())]
)
TIMELINE_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("granularity", pa.string()),
        ("timex_value", pa.string()),
        ("trigger", pa.string()),
        ("event_class", pa.string()),
        ("actors", pa.list_(TIMELINE_ACTOR)),
        ("sentence", pa.string()),
        ("source", pa.string()),
        ("doc_id", pa.string()),
        ("sentence_start", pa.int64()),
        ("sentence_end", pa.int64()),
        ("n_mentions", pa.int64()),
        ("n_documents", pa.int64()),
        ("n_texts", pa.int64()),
        ("first_published", pa.date32()),
        ("doc_ids", pa.list_(pa.string())),
    ]
)

TABLES = {
    "events": EVENTS_SCHEMA,
    "documents": DOCUMENTS_SCHEMA,
    "errors": ERRORS_SCHEMA,
    "timeline": TIMELINE_SCHEMA,
}

# The output schema's layout version (tables, columns, partitions), written to _SUCCESS as
# `layout_version`: the one place it is defined. An --incremental run over an output of another
# version refuses (a full run rewrites it). The commit protocol's marker (issue 12) should carry
# it too: its column fingerprint does not see a partition change.
# 1: events partitioned by date_start's year and month.
# 2: events (and timeline) partitioned by their whole [date_start, date_end] range
#    (transforms/output/partitions.py): month=0 = not within one month, year=0 = year unknown.
LAYOUT_VERSION = 2

# Partition values are plain integers (year=2019/month=7), not zero-padded: DuckDB and
# BigQuery infer a zero-padded value such as "07" as text, a plain one as an integer.
# Rows whose year is not known go to 0.
UNKNOWN_YEAR = str(partitions.UNKNOWN_YEAR)


def documents_partition(row: dict) -> str:
    """Hive partition of a document: by publication year; no date goes to year=0."""
    published = row.get("published")
    return f"year={published.year}" if published else f"year={UNKNOWN_YEAR}"


PARTITIONERS = {
    "events": partitions.dated_partition,
    "documents": documents_partition,
    "errors": None,  # few rows: one folder, no partitions
    "timeline": partitions.dated_partition,
}


# --- memoising a function of a schema -----------------------------------------------------------

# Entries a `by_schema` memo holds: the output's handful of schemas, each with a few argument sets.
SCHEMA_MEMO_ENTRIES = 16


def by_schema(fn: Callable) -> Callable:
    """`fn` (a pure function of its arguments, some of them pyarrow Schemas) memoised on its
    last SCHEMA_MEMO_ENTRIES argument tuples, a schema matched by identity or by ``equals``
    (metadata included), any other argument by ``==``.

    Why not functools.lru_cache: it hashes its key at every call, and a Schema's hash is the
    hash of every field's type spelled out as text (nested lists of structs too). Measured
    (callgrind, 300 bench pages): 73,000 instructions a hash, two per Parquet file written
    (`parquet.encoding_options`, `parquet._dictionary_candidates`): 4.7% of the timeline
    stage's instructions and 3.3% of the write stage's. ``Schema.equals`` compares in C++."""
    held: list[tuple[tuple, object]] = []  # (arguments, value), the most recent last

    @functools.wraps(fn)
    def memoised(*args):
        for key, value in reversed(held):
            if len(key) == len(args) and all(map(_same, key, args)):
                return value
        value = fn(*args)
        held.append((args, value))
        if len(held) > SCHEMA_MEMO_ENTRIES:
            del held[0]
        return value

    return memoised


def _same(a: object, b: object) -> bool:
    """Is argument `b` the same as `a` for a `by_schema` memo?"""
    if a is b:
        return True
    if isinstance(a, pa.Schema):
        return isinstance(b, pa.Schema) and a.equals(b, check_metadata=True)
    return type(a) is type(b) and a == b
