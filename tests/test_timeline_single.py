"""A cluster of one mention takes a fast path for its timeline aggregates
(transforms/output/timeline_rows.py `single_aggregates`, and `timeline_table` without its
dict); its values must be those of the general path (`all_aggregates`), whatever the actors
(repeated, aliased, many, none) and dates."""

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


def rows_table(n: int):
    """n rows of the FROM_ROW columns, each value telling its row (i)."""
    import pyarrow as pa

    from transforms.output.schemas import TABLES
    from transforms.output.timeline_blocks import FROM_ROW

    fields = [TABLES["events"].field(c) for c in FROM_ROW]

    def value(field, i):
        if pa.types.is_string(field.type):
            return f"{field.name}-{i}"
        if pa.types.is_integer(field.type):
            return i
        if pa.types.is_date(field.type):
            return dt.date(1990, 1, 1) + dt.timedelta(days=i)
        raise AssertionError(f"no test value for {field}")

    return pa.table({f.name: pa.array([value(f, i) for i in range(n)], f.type) for f in fields})


def test_timeline_table_rows_are_the_aggregates_and_the_representatives_rows():
    """`timeline_table` appends the aggregates to column lists (a single mention's without
    its dict, first_published as date32 days): each row must equal `aggregates` of its
    cluster, and its FROM_ROW columns the representative's row."""
    from transforms.output.timeline import representative, timeline_table
    from transforms.output.timeline_blocks import FROM_ROW, ROW

    found_rows = random_rows(120, seed=11)
    members = [s + (i,) for i, s in enumerate(summaries(found_rows))]
    rng = random.Random(4)
    found, at = [], 0
    while at < len(members):
        size = rng.choice([1, 1, 1, 2, 3, 5])
        found.append(members[at : at + size])
        at += size
    assert any(len(c) == 1 for c in found) and any(len(c) > 1 for c in found)
    rows = rows_table(len(members))
    table = timeline_table(found, rows).to_pylist()
    expected_rows = rows.to_pylist()
    assert len(table) == len(found)
    for got, cluster in zip(table, found, strict=True):
        made = aggregates(cluster)
        assert {k: got[k] for k in made} == made
        chosen = expected_rows[representative(cluster)[ROW]]
        assert {c: got[c] for c in FROM_ROW} == chosen
