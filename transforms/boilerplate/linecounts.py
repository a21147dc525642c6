"""Corpus line counts: in how many documents of the input each normalised line appears.

Lines that repeat across many pages of an archive are template (navigation, footers, prompts),
not article text; the splitter uses these counts as one of its signals. Counting is a Beam
combine over one small set of line keys per document (see boilerplate.beam.CountTemplateLines);
the accumulator is bounded by MAX_LINE_KEYS with lossy counting.

Copies of one document (same doc_id) count once: an archive that holds a page twice must not
turn that page's own lines into "template". Within one accumulator this is exact; two copies
that land in different partial accumulators of a distributed combine count twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from transforms.limits import (
    MAX_DOC_IDS_TRACKED,
    MAX_LINE_KEYS,
    MAX_TEMPLATE_LINE_CHARS,
    MIN_REPEAT_DOCS,
)


def doc_line_keys(text: str, start: int, key_fn: Callable[[str], int | None]) -> frozenset[int]:
    """The distinct keys of the lines of text[start:] (a line counts once per document); lines
    longer than MAX_TEMPLATE_LINE_CHARS are prose and are not counted."""
    keys = set()
    for line in text[start:].split("\n"):
        if len(line) > MAX_TEMPLATE_LINE_CHARS:
            continue
        key = key_fn(line)
        if key is not None:
            keys.add(key)
    return frozenset(keys)


class LineCounts:
    """A bounded counter of line keys over documents. Mergeable, so it works as a combine."""

    __slots__ = ("counts", "n_docs", "max_keys", "seen")

    def __init__(self, max_keys: int = MAX_LINE_KEYS):
        self.counts: dict[int, int] = {}
        self.n_docs = 0
        self.max_keys = max_keys
        self.seen: set[str] = set()

    def add_doc(self, keys: Iterable[int], doc_id: str | None = None) -> LineCounts:
        """Count each line key of one document once; a doc_id already seen (a copy of a page) adds
        nothing. Returns self (a CombineFn accumulator)."""
        if doc_id is not None:
            if doc_id in self.seen:
                return self
            if len(self.seen) < MAX_DOC_IDS_TRACKED:
                self.seen.add(doc_id)
        counts = self.counts
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        self.n_docs += 1
        self._bound()
        return self

    def merge(self, other: LineCounts) -> LineCounts:
        """Add other's counts and documents to self; returns self."""
        counts = self.counts
        for key, n in other.counts.items():
            counts[key] = counts.get(key, 0) + n
        self.n_docs += other.n_docs
        if len(self.seen) + len(other.seen) <= MAX_DOC_IDS_TRACKED:
            self.seen |= other.seen
        self._bound()
        return self

    def _bound(self) -> None:
        # Lossy counting: past the cap, forget the keys seen in one document only. Template lines
        # come back in later documents and are counted again; one-off article lines do not.
        if len(self.counts) > self.max_keys:
            self.counts = {k: n for k, n in self.counts.items() if n > 1}

    def repeated(self, min_docs: int = MIN_REPEAT_DOCS) -> dict[int, int]:
        """Keys seen in at least min_docs documents, with their document counts."""
        return {k: n for k, n in self.counts.items() if n >= min_docs}
