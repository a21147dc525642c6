"""The `timeline` table and the cross-document `event_id`: Beam composites over the pure
clustering of transforms/events/coref.py.

Flow (see README "How the pipeline is built"):
1. `WriteEventsFn` writes the events rows to staging exactly like `WriteTableFn` (with
   `event_id` = `mention_id`) and emits, beside each file's path, one compact summary per row
   written (`coref.summarize`, the file's path included), keyed by `coref.cluster_key`.
2. `ClusterEvents`: a `CombinePerKey` collects the summaries of a key and clusters them; its
   output is sorted, so the ids do not depend on the order of arrival. Hot keys (a very
   common day and class) are split by Beam's hot-key fan-out: partial lists are built on
   several workers before the final merge.
3. Each cluster gives one `timeline` row, and for every member whose `event_id` is not its own
   `mention_id`, a change (file path, (mention_id, event_id)).
4. `RewriteEventIdsFn`: a file with changes is rewritten with the new ids (a new file; the old
   one is then a stray that the publish step deletes); files without changes pass unchanged.

Only summaries are grouped, never rows: a summary holds the few fields the timeline needs
(about 0.5 KB with its sentence), not the row's 18+ columns.
"""

from __future__ import annotations

import uuid
from collections import Counter

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam import pvalue
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from transforms.events import coref
from transforms.events.coref import (
    ACTORS,
    DATE_END,
    DATE_START,
    DOC_ID,
    EVENT_CLASS,
    GRANULARITY,
    MENTION_ID,
    PATH,
    PUBLISHED,
    SENTENCE,
    SENTENCE_END,
    SENTENCE_START,
    SOURCE,
    STORED_ID,
    TIMEX_VALUE,
    TRIGGER,
)
from transforms.limits import HOT_KEY_FANOUT, TIMELINE_MAX_ACTORS
from transforms.ptransforms import WriteTableFn, client_path
from transforms.records import TABLES

SUMMARIES = "summaries"
NAMESPACE = "newsline"


# --- pure: a cluster -> its timeline row and its id changes -------------------------------------


def representative(members: list[tuple]) -> tuple:
    """The mention that speaks for the cluster: from the first published report (unknown
    publication dates last), then the smallest mention_id."""
    return min(members, key=lambda m: (m[PUBLISHED] is None, m[PUBLISHED] or 0, m[MENTION_ID]))


def timeline_row(members: list[tuple]) -> dict:
    """One `timeline` row from a cluster's member summaries (sorted by mention_id)."""
    event_id = members[0][MENTION_ID]
    rep = representative(members)
    published = [m[PUBLISHED] for m in members if m[PUBLISHED] is not None]
    return {
        "event_id": event_id,
        "date_start": rep[DATE_START],
        "date_end": rep[DATE_END],
        "granularity": rep[GRANULARITY],
        "timex_value": rep[TIMEX_VALUE],
        "trigger": rep[TRIGGER],
        "event_class": rep[EVENT_CLASS],
        "actors": cluster_actors(members),
        "sentence": rep[SENTENCE],
        "source": rep[SOURCE],
        "doc_id": rep[DOC_ID],
        "sentence_start": rep[SENTENCE_START],
        "sentence_end": rep[SENTENCE_END],
        "n_mentions": len(members),
        "n_documents": len({(m[DOC_ID], m[SOURCE]) for m in members}),
        "n_texts": len({m[DOC_ID] for m in members}),
        "first_published": min(published) if published else None,
        "doc_ids": sorted({m[DOC_ID] for m in members}),
    }


def cluster_actors(members: list[tuple]) -> list[dict]:
    """The cluster's actors, one per normalised name: the first surface form seen (members in
    mention_id order), its type, and in how many mentions it occurs; most frequent first."""
    counts: Counter = Counter()
    first: dict[str, tuple[str, str]] = {}
    for member in members:
        seen = set()
        for text, kind, _, _ in member[ACTORS]:
            if not text:
                continue
            key = coref.normalize_actor(text)
            first.setdefault(key, (text, kind))
            if key not in seen:
                seen.add(key)
                counts[key] += 1
    ranked = sorted(counts, key=lambda k: (-counts[k], k))[:TIMELINE_MAX_ACTORS]
    return [{"text": first[k][0], "type": first[k][1], "n_mentions": counts[k]} for k in ranked]


def id_changes(members: list[tuple]) -> list[tuple[str, tuple[str, str]]]:
    """(file path, (mention_id, event_id)) for members whose file holds another id."""
    event_id = members[0][MENTION_ID]
    return [(m[PATH], (m[MENTION_ID], event_id)) for m in members if m[STORED_ID] != event_id]


# --- Beam ---------------------------------------------------------------------------------------


class ClusterFn(beam.CombineFn):
    """Summaries of one key -> its clusters (lists of summaries), sorted (coref.cluster).

    The accumulator is the list of summaries: merging is concatenation, so partial results of a
    split hot key combine in any order to the same clusters."""

    def create_accumulator(self):
        return []

    def add_input(self, accumulator, element):
        accumulator.append(element)
        return accumulator

    def add_inputs(self, accumulator, elements):
        accumulator.extend(elements)
        return accumulator

    def merge_accumulators(self, accumulators):
        merged = []
        for accumulator in accumulators:
            merged.extend(accumulator)
        return merged

    def extract_output(self, accumulator):
        return coref.cluster(accumulator)


class ClusterEvents(beam.PTransform):
    """(cluster key, summary) -> {"timeline": timeline rows, "changes": (path, (mention_id,
    event_id)) for rows whose event_id must change}."""

    def expand(self, keyed):
        clusters = (
            keyed
            | "Cluster" >> beam.CombinePerKey(ClusterFn()).with_hot_key_fanout(HOT_KEY_FANOUT)
            | "Clusters" >> beam.FlatMap(lambda kv: kv[1])
        )
        return {
            "timeline": clusters | "TimelineRow" >> beam.Map(timeline_row),
            "changes": clusters | "IdChanges" >> beam.FlatMap(id_changes),
        }


class WriteEventsFn(WriteTableFn):
    """`WriteTableFn` for `events` (a list of rows per document) that also emits, on the
    `summaries` output, one (cluster key, summary) per row written whose date anchors an event;
    the summary names the file that holds the row."""

    def __init__(self, staging: str):
        super().__init__("events", staging, batched=True)

    def start_bundle(self):
        super().start_bundle()
        self.summaries: list[tuple] = []

    def process(self, element):
        for path in super().process(element):
            yield path
            yield from (pvalue.TaggedOutput(SUMMARIES, s) for s in self._drain())

    def finish_bundle(self):
        for path in super().finish_bundle():
            yield path
            for keyed in self._drain():
                yield pvalue.TaggedOutput(SUMMARIES, _windowed(keyed))

    def _flush(self, partition: str) -> str:
        rows = self.buffers[partition]
        path = super()._flush(partition)
        for row in rows:
            if coref.is_event(row):
                summary = coref.summarize(row, path)
                self.summaries.append((coref.cluster_key(summary), summary))
        return path

    def _drain(self) -> list[tuple]:
        out, self.summaries = self.summaries, []
        return out


class RewriteEventIdsFn(beam.DoFn):
    """(path, {"file": [...], "ids": [(mention_id, event_id), ...]}) -> the path of the file
    to publish: the same file when no id changes, else a rewritten copy. A file of this run is
    copied beside itself (the original becomes a stray the publish deletes); a published file
    (--incremental) is copied into the staging folder, without the rows of replaced inputs, and
    its path goes to the `superseded` output."""

    def __init__(self, staging: str, output: str | None = None, replaced: tuple = ()):
        self.staging = staging
        self.output = output
        self.replaced = set(replaced)

    def process(self, element):
        path, grouped = element
        changes = dict(grouped["ids"])
        if not changes:
            yield path
            return
        Metrics.counter(NAMESPACE, "event_ids_changed").inc(len(changes))
        table = rewrite_ids(read_events(path), changes)
        if path.startswith(self.staging):
            yield write_beside(path, table)
            return
        from transforms.events.timeline_increment import SUPERSEDED, staged_copy
        from transforms.output.manifest import belongs_to

        stale = belongs_to(table.column("source").combine_chunks(), self.replaced)
        table = table.filter(pc.invert(stale))
        if table.num_rows:
            yield staged_copy(self.output, self.staging, path, table)
        yield pvalue.TaggedOutput(SUPERSEDED, path)


def read_events(path: str) -> pa.Table:
    with FileSystems.open(path) as handle:
        return pq.read_table(handle, schema=TABLES["events"])


def rewrite_ids(table: pa.Table, changes: dict[str, str]) -> pa.Table:
    """The table with event_id = changes[mention_id] where given."""
    ids = table.column("mention_id" if "mention_id" in table.column_names else "event_id")
    old = table.column("event_id").to_pylist()
    new = [changes.get(m, e) for m, e in zip(ids.to_pylist(), old, strict=True)]
    index = table.schema.get_field_index("event_id")
    return table.set_column(index, "event_id", pa.array(new, pa.string()))


def write_beside(path: str, table: pa.Table) -> str:
    """Write table as a new Parquet file in the folder of `path`; return its path."""
    target = path.rsplit("/", 1)[0] + f"/part-{uuid.uuid4().hex}.parquet"
    with FileSystems.create(target) as handle:
        pq.write_table(table, handle, compression="zstd")
    return target


def _windowed(value):
    return WindowedValue(value, 0, [GlobalWindow()])


class CrossDocumentEvents(beam.PTransform):
    """events rows (a list per document) -> {"events": paths of the staged events files, with
    their cross-document event_ids; "timeline": timeline rows; "files": other staged files to
    publish; "superseded": published files they replace}. With `increment` (output folder,
    replaced inputs), the published mentions of touched keys are clustered again
    (transforms/events/timeline_increment.py)."""

    def __init__(self, staging: str, increment: tuple[str, list[str]] | None = None):
        super().__init__()
        self.staging = client_path(staging)
        self.increment = increment

    def expand(self, event_lists):
        written = event_lists | "WriteEvents" >> beam.ParDo(
            WriteEventsFn(self.staging)
        ).with_outputs(SUMMARIES, main="paths")
        keyed = written[SUMMARIES]
        extra_files, superseded = [], []
        output, replaced = None, ()
        if self.increment is not None:
            from transforms.events.timeline_increment import RereadPublished

            output, replaced = client_path(self.increment[0]), tuple(self.increment[1])
            reread = keyed | "RereadPublished" >> RereadPublished(output, self.staging, replaced)
            keyed = (keyed, reread["summaries"]) | "AllSummaries" >> beam.Flatten()
            extra_files.append(reread["timeline_files"])
            superseded.append(reread["superseded"])
        clustered = keyed | "ClusterEvents" >> ClusterEvents()
        files = written.paths | "FileKey" >> beam.Map(lambda path: (path, None))
        rewritten = (
            {"file": files, "ids": clustered["changes"]}
            | "GroupIdsByFile" >> beam.CoGroupByKey()
            | "RewriteEventIds"
            >> beam.ParDo(RewriteEventIdsFn(self.staging, output, replaced)).with_outputs(
                "superseded", main="paths"
            )
        )
        superseded.append(rewritten.superseded)
        p = event_lists.pipeline
        return {
            "events": rewritten.paths,
            "timeline": clustered["timeline"],
            "files": extra_files or [p | "NoFiles" >> beam.Create([])],
            "superseded": superseded,
        }
