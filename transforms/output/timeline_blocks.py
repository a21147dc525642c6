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
from operator import itemgetter

import pyarrow as pa

from transforms.events import coref

# The columns a block reads from an events file: the summary's (coref.summarize, cluster_key,
# is_event) and the representative's columns that the timeline row copies (FROM_ROW).
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
READ_COLUMNS = tuple(
    dict.fromkeys(
        (
            "mention_id",
            "event_id",
            "published",
            "actors",
            "trigger_start",
            "date_role",
            *FROM_ROW,
        )
    )
)
# Index of the representative's FROM_ROW values, appended to coref's summary tuple.
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
    tables: Iterable[tuple[str, pa.Table]], block: int, blocks: int
) -> dict[tuple, list[tuple]]:
    """{cluster key: summaries} of the event-anchoring rows of `tables` ((path, events table
    with READ_COLUMNS), in any order) whose key falls in `block`. Each summary is coref's
    tuple plus, at index ROW, the row's FROM_ROW values."""
    keyed: dict[tuple, list[tuple]] = {}
    from_row = itemgetter(*FROM_ROW)  # a tuple of the representative's values, in C
    for path, table in tables:
        for row in table.to_pylist():
            if not coref.is_event(row):
                continue
            key = coref.cluster_key(row)
            if block_of(key, blocks) != block:
                continue
            summary = coref.summarize(row, path) + (from_row(row),)
            keyed.setdefault(key, []).append(summary)
    return keyed


def clusters(keyed: dict[tuple, list[tuple]]) -> Iterator[list[tuple]]:
    """The clusters of every key of a block (coref.cluster), keys in sorted order."""
    for key in sorted(keyed):
        yield from coref.cluster(keyed[key])
