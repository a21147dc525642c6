"""--incremental and the timeline: the timeline is corpus-level, so an incremental run
recomputes the clusters of every key its new mentions touch, from those mentions and the
published mentions of the same keys, and rewrites those timeline rows and event_ids.

Touched keys: the cluster keys (transforms/events/coref.py: a day and class group, or a document and
TIMEX3 value) of this run's new mentions, and of the published mentions of inputs this run
replaces (a changed file: its old mentions leave their clusters). Then, in the pipeline:

1. `PlanRereadFn` (once): lists the published `events` and `timeline` files of the partitions
   those keys live in (a key lives in one partition: its day's month, or its value's range).
2. `ReadPublishedFn` (per events file): the summaries of its rows whose key is touched, minus
   the rows of replaced inputs; they are clustered together with the new ones, and a published
   row whose event_id changes is rewritten (timeline.RewriteEventIdsFn: a staged copy).
3. `DropTimelineFn` (per timeline file): a staged copy without the rows of touched keys (those
   rows are recomputed); the published file is superseded.

The publish step deletes every superseded published file after moving the staged copies in,
so the result equals a full run over all inputs (tests/test_incremental.py).
"""

from __future__ import annotations

import apache_beam as beam
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam import pvalue
from apache_beam.io.filesystems import FileSystems

from transforms.events import coref
from transforms.output import parquet
from transforms.output.manifest import belongs_to
from transforms.output.partitions import dated_partition
from transforms.output.schemas import TABLES

PLAN = "plan"
SUPERSEDED = "superseded"


def summary_partition(summary: tuple) -> str:
    """The partition of the file that holds a summary's row (`.../year=Y/month=M/part-*`)."""
    return "/".join(summary[coref.PATH].split("/")[-3:-1])


def timeline_key(row: dict) -> tuple:
    """The cluster key a timeline row was computed from (= coref.cluster_key of its members)."""
    group = coref.class_group(row.get("event_class"))
    if row.get("granularity") == "day" and row.get("date_start") is not None:
        return ("day", row["date_start"].isoformat(), group)
    doc_ids = row.get("doc_ids") or [row.get("doc_id")]
    return ("doc", doc_ids[0], row.get("timex_value") or "", group)


def stale_keys(output: str, replaced: set[str]) -> set[tuple[tuple, str]]:
    """(key, partition) of the published event mentions of replaced inputs."""
    found: set[tuple[tuple, str]] = set()
    if not replaced:
        return found
    for meta in parquet.list_files(parquet.join(output, "events")):
        with FileSystems.open(meta.path) as handle:
            sources = pq.read_table(handle, columns=["source"]).column("source")
        mask = belongs_to(sources.combine_chunks(), replaced)
        if not pc.any(mask).as_py():
            continue
        with FileSystems.open(meta.path) as handle:
            table = pq.read_table(handle, schema=TABLES["events"]).filter(mask)
        for row in table.to_pylist():
            if coref.is_event(row):
                found.add((coref.cluster_key(row), dated_partition(row)))
    return found


class PlanRereadFn(beam.DoFn):
    """None -> `plan` (one dict: the touched keys and partitions) and the published files of
    those partitions, on the `events` and `timeline` outputs."""

    def __init__(self, output: str, replaced: list[str]):
        self.output = output
        self.replaced = sorted(replaced)

    def process(self, _, touched):
        """Handle one element (see the class docstring)."""
        pairs = set(touched) | stale_keys(self.output, set(self.replaced))
        partitions = sorted({partition for _, partition in pairs})
        yield pvalue.TaggedOutput(PLAN, {"keys": {key for key, _ in pairs}})
        for table in ("events", "timeline"):
            for partition in partitions:
                folder = parquet.join(self.output, table, partition)
                for meta in parquet.list_files(folder):
                    yield pvalue.TaggedOutput(table, meta.path)


class ReadPublishedFn(beam.DoFn):
    """A published events file -> (key, summary) of its rows of touched keys (not of replaced
    inputs); the summary names the published file."""

    def __init__(self, replaced: list[str]):
        self.replaced = set(replaced)

    def process(self, path, plan):
        """Handle one element (see the class docstring)."""
        with FileSystems.open(path) as handle:
            table = pq.read_table(handle, schema=TABLES["events"])
        stale = belongs_to(table.column("source").combine_chunks(), self.replaced)
        table = table.filter(pc.invert(stale))
        for row in table.to_pylist():
            if not coref.is_event(row):
                continue
            key = coref.cluster_key(row)
            if key in plan["keys"]:
                yield key, coref.summarize(row, path)


class DropTimelineFn(beam.DoFn):
    """A published timeline file -> a staged copy without the rows of touched keys (main
    output, when rows remain) and the published path (`superseded`), when any row is dropped."""

    def __init__(self, output: str, staging: str):
        self.output = output
        self.staging = staging

    def process(self, path, plan):
        """Handle one element (see the class docstring)."""
        with FileSystems.open(path) as handle:
            table = pq.read_table(handle, schema=TABLES["timeline"])
        keep = [timeline_key(row) not in plan["keys"] for row in table.to_pylist()]
        if all(keep):
            return
        kept = table.filter(keep)
        if kept.num_rows:
            yield staged_copy(self.output, self.staging, path, kept)
        yield pvalue.TaggedOutput(SUPERSEDED, path)


def staged_copy(output: str, staging: str, published: str, table) -> str:
    """Write `table` into the staging folder at the published file's table/partition."""
    relative = parquet.relative(output, published).rsplit("/", 1)[0]
    return parquet.write_table(parquet.join(staging, relative), table)


class RereadPublished(beam.PTransform):
    """New (key, summary) -> {"summaries": published (key, summary) of the touched keys,
    "timeline_files": staged copies of published timeline files, "superseded": the published
    timeline files they replace}."""

    def __init__(self, output: str, staging: str, replaced: list[str]):
        super().__init__()
        self.output = output
        self.staging = staging
        self.replaced = list(replaced)

    def expand(self, keyed):
        """Wire the reread (see the class docstring)."""
        touched = (
            keyed
            | "KeyPartition" >> beam.Map(lambda kv: (kv[0], summary_partition(kv[1])))
            | "DistinctKeys" >> beam.Distinct()
        )
        plan = (
            keyed.pipeline
            | "PlanOnce" >> beam.Create([None])
            | "PlanReread"
            >> beam.ParDo(
                PlanRereadFn(self.output, self.replaced), beam.pvalue.AsList(touched)
            ).with_outputs(PLAN, "events", "timeline")
        )
        keys = beam.pvalue.AsSingleton(plan[PLAN])
        published = plan["events"] | "ReadPublished" >> beam.ParDo(
            ReadPublishedFn(self.replaced), keys
        )
        dropped = plan["timeline"] | "DropTimelineRows" >> beam.ParDo(
            DropTimelineFn(self.output, self.staging), keys
        ).with_outputs(SUPERSEDED, main="paths")
        return {
            "summaries": published,
            "timeline_files": dropped.paths,
            "superseded": dropped[SUPERSEDED],
        }
