"""The report's events per source, counted without a Python object per source.

The report shows the TOP_SOURCES sources with the most events and sums the rest (summary.py).
Counted in a `Counter` keyed by the source's path, that was one entry per input document, about
150 bytes each (43 MB at 300,000 documents, tracemalloc, docs/method.md), held at the commit's
largest moment inside the job's process: a part of the job's peak that grew with the number of
documents.

`SourceCounts` keeps, per source, a 16-byte BLAKE2b digest of its name, its count and the place
it was first seen, in three sorted numpy arrays (32 bytes a source); only the names of the
sources finally shown are looked up again, by a second pass over the column (`names_of`). The
result is the Counter's: `most_common` order (count descending, ties in first-seen order), the
number of the other sources and their events (tests/test_report_sources.py compares both on
random data with ties). Two names with one 128-bit digest would merge (the chance at a million
sources is about 1e-27); a shown digest met with a second name before every shown name is found
raises `DigestCollision`, on which the caller counts with a Counter instead.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DIGEST_BYTES = 16
KEY = np.dtype([("hi", ">u8"), ("lo", ">u8")])  # a digest, compared as bytes
# (batch, source) pairs held before they are merged into the sorted arrays. A merge's
# temporaries are about 100 bytes a pending pair, so the pending pairs are few: 8 Ki pairs,
# under 1 MB at a merge; each merge copies the arrays once (32 bytes a source: about 10 MB at
# 300,000 sources, a few milliseconds), so the report's peak does not grow with the rows read
# between merges (tests/test_report_memory.py).
PENDING_MAX = 1 << 13


class DigestCollision(Exception):
    """Two different source names have the same digest (see the module docstring)."""


def digest(name: bytes) -> bytes:
    """The 16-byte key of a source name (its UTF-8 bytes)."""
    return hashlib.blake2b(name, digest_size=DIGEST_BYTES).digest()


def batch_counts(column: pa.Array) -> tuple[list[bytes], list[int]]:
    """The distinct names of a batch's `source` column as UTF-8 bytes (a null as b"", as the
    Counter keyed it ""), in `pc.value_counts` order, and their counts."""
    counted = pc.value_counts(column)
    names = counted.field("values").cast(pa.binary()).to_pylist()
    return [name or b"" for name in names], counted.field("counts").to_pylist()


class SourceCounts:
    """Counts per source name, in sorted arrays of digests (see the module docstring)."""

    def __init__(self, pending_max: int = PENDING_MAX):
        self.pending_max = pending_max
        self.keys = np.empty(0, KEY)  # sorted, distinct
        self.counts = np.empty(0, np.int64)
        self.first = np.empty(0, np.int64)  # order of first sight (smaller: seen earlier)
        self._keys = bytearray()  # pending digests, concatenated
        self._counts = array("q")
        self._merged = 0  # (batch, source) pairs merged into the arrays so far

    def add(self, names: Iterable[bytes], counts: Iterable[int]) -> None:
        """Add one batch's distinct names (UTF-8 bytes) with their counts, in the order a
        Counter would be updated (that order breaks ties)."""
        for name, n in zip(names, counts, strict=True):
            self._keys += digest(name)
            self._counts.append(n)
        if len(self._counts) >= self.pending_max:
            self._merge()

    def _merge(self) -> None:
        """Fold the pending pairs into the sorted arrays."""
        if not self._counts:
            return
        keys = np.frombuffer(bytes(self._keys), KEY)
        counts = np.frombuffer(self._counts, np.int64)
        seq = np.arange(self._merged, self._merged + len(counts), dtype=np.int64)
        self._keys, self._counts = bytearray(), array("q")
        self._merged += len(counts)
        # one entry per distinct pending key: counts summed, the first sight kept
        order = np.argsort(keys, kind="stable")
        keys, counts, seq = keys[order], counts[order], seq[order]
        start = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        keys, counts, seq = keys[start], np.add.reduceat(counts, start), seq[start]
        # keys already held: add their counts (their first sight is earlier)
        at = np.searchsorted(self.keys, keys)
        held = at < len(self.keys)
        held[held] = self.keys[at[held]] == keys[held]
        self.counts[at[held]] += counts[held]
        new = ~held
        self.keys = np.insert(self.keys, at[new], keys[new])
        self.counts = np.insert(self.counts, at[new], counts[new])
        self.first = np.insert(self.first, at[new], seq[new])

    def __len__(self) -> int:
        """The number of distinct sources."""
        self._merge()
        return len(self.keys)

    def total(self) -> int:
        """The events of all sources."""
        self._merge()
        return int(self.counts.sum())

    def top(self, n: int) -> list[tuple[bytes, int]]:
        """The `n` largest counts as (digest, count), largest first, ties in first-seen order
        (`Counter.most_common(n)`)."""
        self._merge()
        if n <= 0 or not len(self.keys):
            return []
        best = np.lexsort((self.first, -self.counts))[:n]
        return [(self.keys[i].tobytes(), int(self.counts[i])) for i in best]


def names_of(wanted: set[bytes], batches: Iterable[pa.RecordBatch]) -> dict[bytes, str]:
    """{digest: source name} for the `wanted` digests, read from the `source` column of
    `batches` (stops once every one is found). Raises DigestCollision when a wanted digest
    turns up with a second name."""
    found: dict[bytes, bytes] = {}
    for batch in batches:
        for name in batch_counts(batch.column("source"))[0]:
            key = digest(name)
            if key in wanted:
                if found.setdefault(key, name) != name:
                    raise DigestCollision(key.hex())
        if len(found) == len(wanted):
            break
    return {key: name.decode("utf-8") for key, name in found.items()}
