"""One bounded-memo rule for the per-worker caches of pure functions (the date tagger's mod and
first-word tables, the stated-date parser, the splitter's line memo).

A memo maps an input (an expression, a word, a header candidate, a line) to what a pure function
computed from it, so the results are the same with or without it. News text repeats (Zipf), so
a small memo serves most lookups; to keep a worker's memory bounded on any archive, a memo that
holds `max_entries` starts afresh: it is cleared before the next entry is stored. Clearing is
O(1) amortised and keeps no order bookkeeping on the hot path (an LRU would, on every hit). The
caps and their reasons are in transforms/limits.py.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def remember(memo: dict[K, V], key: K, value: V, max_entries: int) -> V:
    """Store `value` under `key` in `memo`, clearing `memo` first when it already holds
    `max_entries` entries; returns `value` (so a miss reads ``found = remember(...)``)."""
    if len(memo) >= max_entries:
        memo.clear()
    memo[key] = value
    return value
