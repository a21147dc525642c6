"""The `timeline` table and the cross-document `event_id`: Beam composites over the pure
clustering of transforms/events/coref.py.

Flow (see docs/method.md, "How the pipeline is built"):
1. `WriteEventsFn` writes the events rows to staging exactly like `WriteTableFn` (with
   `event_id` = `mention_id`) and emits, beside each file's path, one compact summary per row
   written (`coref.summarize`: ids, class, link and copy keys, actors, the file's path), keyed by
   `coref.cluster_key`.
2. `ClusterEvents`: a `CombinePerKey` collects the summaries of a key and clusters them; its
   output is sorted, so the ids do not depend on the order of arrival. On distributed runners
   hot keys (a very common day and class) are split by Beam's hot-key fan-out: partial lists
   are built on several workers before the final merge.
3. Each cluster gives, keyed by file path: an id change for every member whose file holds
   another `event_id`, and its representative mention with the cluster's aggregates (counts,
   doc_ids, actors).
4. `FinalizeEventsFn` (per file, after a `CoGroupByKey` on the path): rewrites the file when
   ids change (a new file; the old one is then a stray the publish deletes, or, for a published
   file of an incremental run, a superseded file) and builds the timeline rows of the
   representatives it holds from their rows (date, trigger, sentence, offsets) and aggregates.

Only compact summaries are grouped, never rows: the sentence and the other wide columns are
read back from the files in step 4.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam import pvalue
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from transforms.deadletter import count
from transforms.events import coref
from transforms.events.coref import (
    ACTORS,
    DOC_ID,
    MENTION_ID,
    PATH,
    PUBLISHED,
    SOURCE_KEY,
    STORED_ID,
)
from transforms.ingest.readers import client_path
from transforms.limits import HOT_KEY_FANOUT, TIMELINE_MAX_ACTORS
from transforms.output import parquet
from transforms.output.beam import WriteTableFn
from transforms.output.schemas import TABLES

SUMMARIES = "summaries"
TIMELINE = "timeline"
SUPERSEDED = "superseded"
# Columns of the representative's row that the timeline row copies.
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


# --- pure: a cluster -> its id changes, its representative and aggregates ---------------------


def representative(members: list[tuple]) -> tuple:
    """The mention that speaks for the cluster: from the first published report (unknown
    publication dates last), then the smallest mention_id."""
    return min(
        members,
        key=lambda m: (m[PUBLISHED] is None, m[PUBLISHED] or 0, m[MENTION_ID], m[SOURCE_KEY]),
    )


def aggregates(members: list[tuple]) -> dict:
    """The timeline columns that come from all members, not from the representative's row."""
    published = [m[PUBLISHED] for m in members if m[PUBLISHED] is not None]
    return {
        "event_id": members[0][MENTION_ID],
        "actors": cluster_actors(members),
        "n_mentions": len(members),
        "n_documents": len({(m[DOC_ID], m[SOURCE_KEY]) for m in members}),
        "n_texts": len({m[DOC_ID] for m in members}),
        "first_published": dt.date.fromordinal(min(published)) if published else None,
        "doc_ids": sorted({m[DOC_ID] for m in members}),
    }


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


def cluster_outputs(members: list[tuple]) -> list[tuple[str, tuple]]:
    """(file path, item) for one cluster: ("id", mention_id, event_id) for each member whose
    file holds another id, and ("rep", mention_id, source_key, aggregates) for its
    representative."""
    event_id = members[0][MENTION_ID]
    out = [(m[PATH], ("id", m[MENTION_ID], event_id)) for m in members if m[STORED_ID] != event_id]
    rep = representative(members)
    out.append((rep[PATH], ("rep", rep[MENTION_ID], rep[SOURCE_KEY], aggregates(members))))
    return out


def timeline_rows(table: pa.Table, reps: list[tuple]) -> list[dict]:
    """The timeline rows of the representatives `reps` (mention_id, source_key, aggregates)
    whose rows are in `table` (an events file, ids already final)."""
    if not reps:
        return []
    wanted = {(m, s): agg for m, s, agg in reps}
    mask = pc.is_in(table.column("mention_id"), value_set=pa.array(sorted({m for m, _ in wanted})))
    out = []
    for row in table.filter(mask).select(["mention_id", *FROM_ROW]).to_pylist():
        agg = wanted.pop((row["mention_id"], coref.source_key(row["source"])), None)
        if agg is not None:
            out.append({**{c: row[c] for c in FROM_ROW}, **agg})
    if wanted:
        raise RuntimeError(f"timeline: {len(wanted)} representative rows not found in the file")
    return out


def rewrite_ids(table: pa.Table, changes: dict[str, str]) -> pa.Table:
    """The table with event_id = changes[mention_id] where given."""
    old = table.column("event_id").to_pylist()
    mids = table.column("mention_id").to_pylist()
    new = [changes.get(m, e) for m, e in zip(mids, old, strict=True)]
    index = table.schema.get_field_index("event_id")
    return table.set_column(index, "event_id", pa.array(new, pa.string()))


# --- Beam ---------------------------------------------------------------------------------------


class ClusterFn(beam.CombineFn):
    """Summaries of one key -> its clusters (lists of summaries), sorted (coref.cluster).

    The accumulator is the list of summaries: merging is concatenation, so partial results of a
    split hot key combine in any order to the same clusters."""

    def create_accumulator(self):
        """An empty list of summaries."""
        return []

    def add_input(self, accumulator, element):
        """Append one summary."""
        accumulator.append(element)
        return accumulator

    def add_inputs(self, accumulator, elements):
        """Append many summaries."""
        accumulator.extend(elements)
        return accumulator

    def merge_accumulators(self, accumulators):
        """Concatenate partial lists (order is free: extract_output sorts)."""
        merged = []
        for accumulator in accumulators:
            merged.extend(accumulator)
        return merged

    def extract_output(self, accumulator):
        """The key's clusters, sorted (coref.cluster)."""
        return coref.cluster(accumulator)


class ClusterEvents(beam.PTransform):
    """(cluster key, summary) -> (file path, item) per cluster (`cluster_outputs`).

    `fanout`: Beam's hot-key fan-out (0 = off: on the local runner, where one process does all
    the work anyway, it would only hold the summaries twice)."""

    def __init__(self, fanout: int = HOT_KEY_FANOUT):
        super().__init__()
        self.fanout = fanout

    def expand(self, keyed):
        """Wire the transform (see the class docstring)."""
        combine = beam.CombinePerKey(ClusterFn())
        if self.fanout > 1:
            combine = combine.with_hot_key_fanout(self.fanout)
        return (
            keyed
            | "Cluster" >> combine
            | "Clusters" >> beam.FlatMap(lambda kv: kv[1])
            | "PerFile" >> beam.FlatMap(cluster_outputs)
        )


def event_summary(row: dict) -> tuple | None:
    """(cluster key, summary without its path) of an events row whose date anchors an event
    (coref.is_event); None for the others."""
    if not coref.is_event(row):
        return None
    return coref.cluster_key(row), coref.summarize(row)


def with_path(summary: tuple, path: str) -> tuple:
    """The summary naming `path` as the file that holds its row."""
    return (*summary[:PATH], path, *summary[PATH + 1 :])


class WriteEventsFn(WriteTableFn):
    """`WriteTableFn` for `events` (a list of rows per document) that also emits, on the
    `summaries` output, one (cluster key, summary) per row written whose date anchors an event;
    the summary names the file that holds the row. Summaries are taken as rows are buffered
    (`event_summary`), so the writer never holds the rows themselves."""

    keep = staticmethod(event_summary)

    def __init__(self, staging: str):
        super().__init__("events", staging, batched=True)

    def start_bundle(self):
        """Empty buffers and no summaries yet."""
        super().start_bundle()
        self.summaries: list[tuple] = []

    def written(self, path: str, kept: list) -> None:
        """The summaries of the rows of the file just written, with its path."""
        self.summaries += [(key, with_path(summary, path)) for key, summary in kept]

    def process(self, element):
        """Handle one element (see the class docstring)."""
        for path in super().process(element):
            yield path
            yield from (pvalue.TaggedOutput(SUMMARIES, s) for s in self._drain())

    def finish_bundle(self):
        """Write the buffers still held; emit their paths and summaries."""
        for path in super().finish_bundle():
            yield path
            for keyed in self._drain():
                yield pvalue.TaggedOutput(SUMMARIES, _windowed(keyed))

    def _drain(self) -> list[tuple]:
        out, self.summaries = self.summaries, []
        return out


class FinalizeEventsFn(beam.DoFn):
    """(path, {"file": [...], "items": [...]}) -> the path of the events file to publish (main),
    and the `timeline` rows of the representatives it holds.

    A file of this run with id changes is rewritten beside itself (the original becomes a stray
    that the publish deletes). A published file (--incremental) with id changes is copied into
    the staging folder without the rows of replaced inputs, and its path goes to `superseded`."""

    def __init__(self, staging: str, published: str | None = None, replaced: tuple = ()):
        self.staging = staging
        self.published = published
        self.replaced = set(replaced)

    def process(self, element):
        """Handle one element (see the class docstring)."""
        path, grouped = element
        items = grouped["items"]
        staged = path.startswith(self.staging + "/")
        changes = {i[1]: i[2] for i in items if i[0] == "id"}
        reps = [i[1:] for i in items if i[0] == "rep"]
        if not changes and not reps:
            if staged:
                yield path
            return
        table = read_events(path)
        if changes:
            count("event_ids_changed", len(changes))
            table = rewrite_ids(table, changes)
        for row in timeline_rows(table, reps):
            yield pvalue.TaggedOutput(TIMELINE, row)
        if staged:
            yield write_beside(path, table) if changes else path
        elif changes:
            yield from self._replace_published(path, table)

    def _replace_published(self, path: str, table: pa.Table):
        from transforms.output.manifest import belongs_to
        from transforms.output.timeline_increment import staged_copy

        stale = belongs_to(table.column("source").combine_chunks(), self.replaced)
        table = table.filter(pc.invert(stale))
        if table.num_rows:
            yield staged_copy(self.published, self.staging, path, table)
        yield pvalue.TaggedOutput(SUPERSEDED, path)


def read_events(path: str) -> pa.Table:
    """The events Parquet file at `path`, with the events schema."""
    with FileSystems.open(path) as handle:
        return pq.read_table(handle, schema=TABLES["events"])


def write_beside(path: str, table: pa.Table) -> str:
    """Write table as a new Parquet file in the folder of `path`; return its path."""
    return parquet.write_table(path.rsplit("/", 1)[0], table)


def _windowed(value):
    return WindowedValue(value, 0, [GlobalWindow()])


class CrossDocumentEvents(beam.PTransform):
    """events rows (a list per document) -> {"events": paths of the staged events files, with
    their cross-document event_ids; "timeline": timeline rows; "files": other staged files to
    publish; "superseded": published files they replace}. With `increment` (published tables'
    root, replaced inputs), the published mentions of touched keys are clustered again
    (transforms/output/timeline_increment.py). `fanout`: see ClusterEvents."""

    def __init__(
        self,
        staging: str,
        increment: tuple[str, list[str]] | None = None,
        fanout: int = HOT_KEY_FANOUT,
    ):
        super().__init__()
        self.staging = client_path(staging)
        self.increment = increment
        self.fanout = fanout

    def expand(self, event_lists):
        """Wire the transform (see the class docstring)."""
        written = event_lists | "WriteEvents" >> beam.ParDo(
            WriteEventsFn(self.staging)
        ).with_outputs(SUMMARIES, main="paths")
        keyed = written[SUMMARIES]
        extra_files, superseded = [], []
        published, replaced = None, ()
        if self.increment is not None:
            from transforms.output.timeline_increment import RereadPublished

            published, replaced = client_path(self.increment[0]), tuple(self.increment[1])
            reread = keyed | "RereadPublished" >> RereadPublished(published, self.staging, replaced)
            keyed = (keyed, reread["summaries"]) | "AllSummaries" >> beam.Flatten()
            extra_files.append(reread["timeline_files"])
            superseded.append(reread["superseded"])
        items = keyed | "ClusterEvents" >> ClusterEvents(self.fanout)
        files = written.paths | "FileKey" >> beam.Map(lambda path: (path, None))
        final = (
            {"file": files, "items": items}
            | "GroupByFile" >> beam.CoGroupByKey()
            | "FinalizeEvents"
            >> beam.ParDo(FinalizeEventsFn(self.staging, published, replaced)).with_outputs(
                TIMELINE, SUPERSEDED, main="paths"
            )
        )
        superseded.append(final[SUPERSEDED])
        p = event_lists.pipeline
        return {
            "events": final.paths,
            "timeline": final[TIMELINE],
            "files": extra_files or [p | "NoFiles" >> beam.Create([])],
            "superseded": superseded,
        }
