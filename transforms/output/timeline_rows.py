"""A partition's clusters -> timeline rows and id changes: pure functions, no Beam.

The clusters come from transforms/output/timeline_blocks.py (a block's summaries: coref's
tuples plus, at `ROW`, the row's position in the block's Arrow table of FROM_ROW columns).
Each cluster becomes one `timeline` row: the representative's date, trigger, sentence and
offsets taken from the Arrow rows, and the aggregates over all members. The Beam side
(transforms/output/timeline.py) writes the rows and applies the id changes.

Listed in transforms/native/compiled_modules.txt: this module runs once per cluster and
member, so it is also compiled, unchanged (transforms/native/pure.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pyarrow as pa

from transforms.events.coref import (
    ACTORS,
    DOC_ID,
    MENTION_ID,
    PATH,
    PUBLISHED,
    SOURCE,
    STORED_ID,
)
from transforms.limits import TIMELINE_MAX_ACTORS
from transforms.output.schemas import TABLES
from transforms.output.timeline_blocks import FROM_ROW, ROW

TIMELINE = "timeline"
# date32 counts days from 1970-01-01, whose proleptic Gregorian ordinal this is.
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def representative(members: list[tuple]) -> tuple:
    """The mention that speaks for the cluster: from the first published report (unknown
    publication dates last), then the smallest mention_id."""
    return min(
        members,
        key=lambda m: (m[PUBLISHED] is None, m[PUBLISHED] or 0, m[MENTION_ID], m[SOURCE]),
    )


def aggregates(members: list[tuple]) -> dict:
    """The timeline columns that come from all members, not from the representative's row.
    `n_documents`: the documents (inputs: a file, an archive member, a JSON Lines record) that
    report the event, distinct (`doc_id`, `source`); `n_texts`: distinct `doc_id` (a hash of the
    text: identical copies read from two paths count once). A cluster of one mention (most of
    them: 97% on the bench pages) takes `single_aggregates`, the same values without the sets
    and counters."""
    if len(members) == 1:
        return single_aggregates(members[0])
    return all_aggregates(members)


def all_aggregates(members: list[tuple]) -> dict:
    """`aggregates` of any cluster (the reference `single_aggregates` is tested against)."""
    published = [m[PUBLISHED] for m in members if m[PUBLISHED] is not None]
    return {
        "event_id": members[0][MENTION_ID],
        "actors": cluster_actors(members),
        "n_mentions": len(members),
        "n_documents": len({(m[DOC_ID], m[SOURCE]) for m in members}),
        "n_texts": len({m[DOC_ID] for m in members}),
        "first_published": dt.date.fromordinal(min(published)) if published else None,
        "doc_ids": sorted({m[DOC_ID] for m in members}),
    }


def single_aggregates(member: tuple) -> dict:
    """`aggregates` of a cluster of one mention: its id, its actors (each once, in order of
    their normalised names, n_mentions 1), one mention, document and text."""
    published = member[PUBLISHED]
    return {
        "event_id": member[MENTION_ID],
        "actors": single_actors(member[ACTORS]),
        "n_mentions": 1,
        "n_documents": 1,
        "n_texts": 1,
        "first_published": None if published is None else dt.date.fromordinal(published),
        "doc_ids": [member[DOC_ID]],
    }


def single_actors(actors: tuple) -> list[dict]:
    """The `actors` of a cluster of one mention whose summary holds `actors` ((normalised
    name, type, surface text), ...): each name once with its first surface form and type, in
    order of the names, at most TIMELINE_MAX_ACTORS, n_mentions 1."""
    if not actors:
        return []
    first: dict[str, tuple[str, str]] = {}
    for key, kind, text in actors:
        first.setdefault(key, (text, kind))
    ranked = sorted(first)[:TIMELINE_MAX_ACTORS]
    return [{"text": first[k][0], "type": first[k][1], "n_mentions": 1} for k in ranked]


def cluster_actors(members: list[tuple]) -> list[dict]:
    """The cluster's actors, one per normalised name: the first surface form seen (members in
    mention_id order), its type, and in how many mentions it occurs; most frequent first."""
    counts: Counter = Counter()
    first: dict[str, tuple[str, str]] = {}
    for member in members:
        for key, kind, text in member[ACTORS]:
            first.setdefault(key, (text, kind))
        counts.update({key for key, _, _ in member[ACTORS]})
    ranked = sorted(counts, key=lambda k: (-counts[k], k))[:TIMELINE_MAX_ACTORS]
    return [{"text": first[k][0], "type": first[k][1], "n_mentions": counts[k]} for k in ranked]


# The timeline columns that `aggregates` makes (the others are the representative's, FROM_ROW).
AGGREGATES = (
    "event_id",
    "actors",
    "n_mentions",
    "n_documents",
    "n_texts",
    "first_published",
    "doc_ids",
)


def timeline_table(found: list[list[tuple]], rows: pa.Table) -> pa.Table:
    """The timeline rows of clusters (summaries of timeline_blocks.block_summaries, whose
    `rows` table holds their rows' FROM_ROW columns), one per cluster in the order given, as
    a table with the timeline schema: the representative's date, trigger, sentence and
    offsets taken from `rows` (Arrow data, never converted to Python), and the aggregates
    (the values of `aggregates`, appended to one list per column; a cluster of one mention
    without building its dict, tests/test_timeline_single.py)."""
    schema = TABLES[TIMELINE]
    listed = [name for name in AGGREGATES if name != "first_published"]
    values: dict[str, list] = {name: [] for name in listed}
    event_ids, actors, n_mentions, n_documents, n_texts, doc_ids = (values[n] for n in listed)
    firsts = []  # first_published as days since 1970-01-01 (date32's integers), or None
    chosen = []
    for members in found:
        if len(members) == 1:  # most clusters: the mention is its own representative
            member = members[0]
            chosen.append(member[ROW])
            event_ids.append(member[MENTION_ID])
            actors.append(single_actors(member[ACTORS]))
            n_mentions.append(1)
            n_documents.append(1)
            n_texts.append(1)
            published = member[PUBLISHED]
            firsts.append(None if published is None else published - EPOCH_ORDINAL)
            doc_ids.append([member[DOC_ID]])
            continue
        chosen.append(representative(members)[ROW])
        made = all_aggregates(members)
        for name in listed:
            values[name].append(made[name])
        first = made["first_published"]
        firsts.append(None if first is None else first.toordinal() - EPOCH_ORDINAL)
    taken = rows.take(pa.array(chosen, pa.int64()))
    columns = []
    for field in schema:
        if field.name in FROM_ROW:
            columns.append(taken.column(field.name))
        elif field.name == "first_published":
            days = pa.array(firsts, pa.int32()).cast(field.type)
            columns.append(pa.chunked_array([days], field.type))
        else:
            columns.append(pa.chunked_array([pa.array(values[field.name], field.type)], field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def id_changes(members: list[tuple]) -> list[tuple[str, str, str]]:
    """(file path, mention_id, event_id) for each member whose file holds another event_id."""
    event_id = members[0][MENTION_ID]
    return [(m[PATH], m[MENTION_ID], event_id) for m in members if m[STORED_ID] != event_id]


def rewrite_ids(table: pa.Table, changes: dict[str, str]) -> pa.Table:
    """The table with event_id = changes[mention_id] where given."""
    old = table.column("event_id").to_pylist()
    mids = table.column("mention_id").to_pylist()
    new = [changes.get(m, e) for m, e in zip(mids, old, strict=True)]
    index = table.schema.get_field_index("event_id")
    return table.set_column(index, "event_id", pa.array(new, pa.string()))
