"""A cluster of one mention takes a fast path for its timeline aggregates
(transforms/output/timeline.py `single_aggregates`); its values must be those of the general
path (`all_aggregates`), whatever the actors (repeated, aliased, many, none) and dates."""

from __future__ import annotations

import datetime as dt
import random

from tests.test_coref import row, summaries
from transforms.limits import TIMELINE_MAX_ACTORS
from transforms.output.timeline import aggregates, all_aggregates, single_aggregates

NAMES = [
    ("Kenya", "place"),
    ("U.S.", "place"),
    ("United States", "place"),
    ("the United States", "place"),
    ("Albright", "person"),
    ("Madeleine Albright", "person"),
    ("INS", "org"),
    ("government", "other"),
    ("Nairobi", "place"),
    ("Kenya's", "place"),
]


def random_rows(n: int, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        k = rng.choice([0, 1, 2, 3, 5, TIMELINE_MAX_ACTORS + 7])
        actors = [(*rng.choice(NAMES), rng.randrange(200)) for _ in range(k)]
        if k > TIMELINE_MAX_ACTORS:  # more distinct names than a timeline row lists
            actors += [(f"Person{j} Name", "person", j) for j in range(k)]
        published = rng.choice([None, dt.date(1998, 8, 7), dt.date(2001, 1, 1)])
        rows.append(row(f"m{i:04d}", f"d{i % 7}", "attack", actors, published=published))
    return rows


def test_single_mention_aggregates_equal_the_general_path():
    for summary in summaries(random_rows(300)):
        fast = single_aggregates(summary)
        assert fast == all_aggregates([summary])
        assert aggregates([summary]) == fast
        assert len(fast["actors"]) <= TIMELINE_MAX_ACTORS


def test_clusters_of_several_mentions_still_take_the_general_path():
    members = summaries(random_rows(4, seed=5))
    out = aggregates(members)
    assert out == all_aggregates(members)
    assert out["n_mentions"] == 4 and out["n_texts"] == len({m[1] for m in members})
