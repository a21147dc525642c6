"""The cross-document clustering of one block of the events table: pure functions, no Beam.

A cluster key (transforms/events/coref.py: a day and class group, or a document and TIMEX3
value) lives in exactly one partition of the events table (`year=Y/month=M`: a day lies within
its month, and the rows of one document and value share one range), so the mentions that may
link are all in the files of one partition. A partition is clustered as `n_blocks` blocks, the
keys split by a stable hash (`block_of`), so that at most about `BLOCK_MENTIONS` mention
summaries are held at once however large the partition grows. Each block yields its `Cluster`s;
the caller turns them into id changes and timeline rows (transforms/output/timeline.py).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from transforms.events import coref
from transforms.output.schemas import TABLES

# The representative's columns that a timeline row copies: taken from the block's rows as Arrow
# data (`block_summaries`' table), never converted to Python.
FROM_ROW = (
    "date_start",
    "date_end",
    "granularity",
    "timex_value",
    "trigger",
    "event_class",
    "sentence",
    "source",
    "doc_id",
    "sentence_start",
    "sentence_end",
)
# The columns read as Python values: the summary's (coref.summaries), the cluster key's
# (coref.cluster_keys) and `date_role` (which rows anchor an event: coref.is_event).
PY_COLUMNS = tuple(dict.fromkeys((*coref.SUMMARY_COLUMNS, *coref.KEY_COLUMNS)))
# The columns a block reads from an events file.
READ_COLUMNS = tuple(dict.fromkeys((*PY_COLUMNS, "date_role", *FROM_ROW)))
# Index of the row's position in the block's table of FROM_ROW columns, appended to coref's
# summary tuple.
ROW = coref.STORED_ID + 1


def n_blocks(n_rows: int, block_mentions: int) -> int:
    """Blocks for a partition of `n_rows` rows (>= 1): each holds about `block_mentions`."""
    return max(1, math.ceil(n_rows / max(1, block_mentions)))


def block_of(key: tuple, blocks: int) -> int:
    """The block (0 .. blocks-1) of a cluster key: a hash that is the same on every run,
    process and runner (Python's own hash of a str is not)."""
    if blocks <= 1:
        return 0
    text = "\x1f".join(str(part) for part in key).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big") % blocks


def block_summaries(
    tables: Iterable[tuple[str, pa.Table]], block: int, blocks: int, memo: dict | None = None
) -> tuple[dict[tuple, list[tuple]], pa.Table]:
    """({cluster key: summaries}, rows) of the event-anchoring rows of `tables` ((path, events
    table with READ_COLUMNS), in any order) whose key falls in `block`. `rows` holds those
    rows' FROM_ROW columns, in the order read; each summary is coref's tuple plus, at index
    ROW, its row's position in `rows`. `memo`: coref.summaries' actor-name memo."""
    keyed: dict[tuple, list[tuple]] = {}
    parts: list[pa.Table] = []
    held = 0
    for path, table in tables:
        anchoring = is_anchoring(table.column("date_role"))
        if not pc.all(anchoring, min_count=0).as_py():  # rows whose date anchors no event
            table = table.filter(anchoring)
        keys = None
        if blocks > 1:
            # The block's rows are chosen from the key columns alone, so that only they are
            # converted to Python: a partition of n blocks reads every row n times, and
            # converting all of its summary columns each time cost n times the conversion.
            keys = coref.cluster_keys(table.select(list(coref.KEY_COLUMNS)).to_pydict())
            chosen = [i for i, key in enumerate(keys) if block_of(key, blocks) == block]
            if len(chosen) < table.num_rows:  # the rows of other blocks
                table = table.take(pa.array(chosen, pa.int64()))
                keys = [keys[i] for i in chosen]
        columns = table.select(list(PY_COLUMNS)).to_pydict()
        if keys is None:  # one block: the keys from the columns converted anyway
            keys = coref.cluster_keys(columns)
        for at, (key, summary) in enumerate(
            zip(keys, coref.summaries(columns, path, memo), strict=True), held
        ):
            keyed.setdefault(key, []).append(summary + (at,))
        rows = table.select(list(FROM_ROW))
        parts.append(rows)
        held += rows.num_rows
    if not parts:
        return keyed, pa.schema([TABLES["events"].field(c) for c in FROM_ROW]).empty_table()
    return keyed, pa.concat_tables(parts)


def is_anchoring(date_role: pa.ChunkedArray) -> pa.ChunkedArray:
    """Booleans (never null): which rows' `date_role` is one of coref.EVENT_ROLES (their date
    anchors an event; null is "event" in files of older runs)."""
    roles = pa.array(coref.EVENT_ROLES, pa.string())
    return pc.is_in(date_role, value_set=roles, skip_nulls=False)


def clusters(keyed: dict[tuple, list[tuple]]) -> Iterator[list[tuple]]:
    """The clusters of every key of a block (coref.cluster), keys in sorted order."""
    for key in sorted(keyed):
        yield from coref.cluster(keyed[key])
