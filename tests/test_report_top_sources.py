"""The report's events per source: the TOP_SOURCES largest and the rest summed, as the whole
sorted list (``Counter.most_common()``, the reference) gives them, ties included."""

import random
from collections import Counter

from transforms.output.report.summary import TOP_SOURCES, top_sources


def reference(per_source: Counter, n: int) -> tuple[list, tuple[int, int]]:
    top = per_source.most_common()
    rest = top[n:]
    return top[:n], (len(rest), sum(count for _, count in rest))


def test_top_sources_match_the_sorted_list_with_ties():
    rng = random.Random(14)
    for size in (0, 1, TOP_SOURCES - 1, TOP_SOURCES, TOP_SOURCES + 1, 400):
        per_source = Counter()
        for i in range(size):
            per_source[f"/in/doc-{rng.randrange(10**6):07d}-{i}.txt"] += rng.choice((1, 2, 2, 3))
        for n in (TOP_SOURCES, 3):
            assert top_sources(per_source, n) == reference(per_source, n)
