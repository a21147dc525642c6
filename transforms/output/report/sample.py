"""Bounded selections over a table read batch by batch: the report's memory does not grow with
the output.

The report used to read whole columns of the `events` and `timeline` tables (about 150 bytes
a row, 1.5 million rows at 100,000 pages), sort them and turn the ids into Python strings; made
inside the job's commit, that was the job's peak memory, and it grew with the corpus
(docs/method.md, "Memory stays flat"). Here a table goes through in batches and only what the
page shows is kept: the `limit` smallest keys (`Smallest`), and the smallest keys per group
(`SmallestPerGroup`, the timeline's years). Each batch is first cut down with pyarrow compute
(only keys below the current cut-off go on to Python), so the Python work is about
`limit * log(rows / limit)` insertions, not one per row. Within a batch the rows that pass a
cut-off are cut down once more to the `limit` smallest distinct keys of the batch (of each group:
`smallest_in_batch`, `smallest_per_group_in_batch`), since any other row meets `limit` smaller
keys in the same batch and cannot stay: a group's first batch (each year's first partition
file, with its cut-off still open) would otherwise send every row through Python (measured
2026-12-01 on a 40,000-page output: 175,000 of 503,000 timeline rows were offered, 49,000
with the narrowing).
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable

import pyarrow as pa
import pyarrow.compute as pc

# Rows per batch when a report pass streams a table: a batch of the key columns is about 1 MB.
BATCH_ROWS = 8192


class Smallest:
    """The `limit` smallest distinct keys seen (strings), each with the payload it came with
    (the first one offered for a key is kept). Holds at most `limit` keys."""

    def __init__(self, limit: int):
        self.limit = max(0, limit)
        self.keys: list[str] = []  # sorted
        self.payloads: dict[str, object] = {}

    def cutoff(self) -> str | None:
        """The largest key held once full (only smaller keys can enter), else None."""
        return self.keys[-1] if self.limit and len(self.keys) >= self.limit else None

    def offer(self, key: str, payload=None) -> str | None:
        """Keep `key` if it is among the smallest; return the key that left (or `key` itself
        when it did not enter), None when nothing left."""
        if key in self.payloads:
            return None
        if not self.limit:
            return key
        cut = self.cutoff()
        if cut is not None and key >= cut:
            return key
        bisect.insort(self.keys, key)
        self.payloads[key] = payload
        if len(self.keys) > self.limit:
            gone = self.keys.pop()
            del self.payloads[gone]
            return gone
        return None

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, key: str) -> bool:
        return key in self.payloads


class SmallestPerGroup:
    """The `limit` smallest distinct keys of each group (a year): one `Smallest` per group.
    Holds at most `limit` keys per group seen."""

    def __init__(self, limit: int):
        self.limit = limit
        self.groups: dict[Hashable, Smallest] = {}

    def offer(self, group: Hashable, key: str, payload=None) -> str | None:
        """As Smallest.offer, within `group`."""
        held = self.groups.get(group)
        if held is None:
            held = self.groups[group] = Smallest(self.limit)
        return held.offer(key, payload)

    def cutoffs(self, groups: list) -> list[str | None]:
        """The cut-off of each group of `groups` (None: the group still takes any key)."""
        return [self.groups[g].cutoff() if g in self.groups else None for g in groups]


def below(keys: pa.Array, cutoff: str | None) -> pa.Array:
    """Boolean mask: keys strictly below `cutoff` (all True when cutoff is None)."""
    if cutoff is None:
        return pa.array([True] * len(keys), pa.bool_())
    return pc.fill_null(pc.less(keys, pa.scalar(cutoff, keys.type)), False)


def below_group_cutoff(keys: pa.Array, groups: pa.Array, per_group: SmallestPerGroup) -> pa.Array:
    """Boolean mask: keys below the cut-off of their own group (True where the group is not
    full yet). `groups`: one group value per key."""
    distinct = pc.unique(groups)
    cutoffs = pa.array(per_group.cutoffs(distinct.to_pylist()), keys.type)
    own = cutoffs.take(pc.index_in(groups, value_set=distinct))
    return pc.fill_null(pc.less(keys, own), True)


def smallest_in_batch(keys: pa.Array, mask: pa.Array, limit: int) -> pa.Array:
    """`mask` narrowed to the rows whose key is among the `limit` smallest distinct keys of the
    masked rows (all of them when they are that few). Offering only these to a `Smallest` of
    `limit` (in batch order) leaves it as offering every masked row would: each other row has
    at least `limit` smaller keys offered from the same batch. Null keys are dropped."""
    mask = pc.fill_null(mask, False)
    if limit <= 0:
        return mask
    masked = keys.filter(mask)
    if len(masked) <= limit:
        return mask
    distinct = pc.unique(masked)
    if len(distinct) <= limit:
        return mask
    order = pc.select_k_unstable(distinct, k=limit, sort_keys=[("dummy", "ascending")])
    largest = pc.max(distinct.take(order))
    return pc.and_(mask, pc.fill_null(pc.less_equal(keys, largest), False))


def smallest_per_group_in_batch(
    keys: pa.Array, groups: pa.Array, mask: pa.Array, limit: int
) -> pa.Array:
    """`smallest_in_batch` within each group of the masked rows (the years of a batch: one
    per partition file it joins). Rows of a null group are kept as masked."""
    mask = pc.fill_null(mask, False)
    narrowed = mask
    for group in pc.unique(groups.filter(mask)).to_pylist():
        if group is None:
            continue
        in_group = pc.and_(mask, pc.fill_null(pc.equal(groups, group), False))
        kept = smallest_in_batch(keys, in_group, limit)
        narrowed = pc.and_(narrowed, pc.or_(pc.invert(in_group), kept))
    return narrowed
