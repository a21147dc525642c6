"""--incremental and the timeline: the timeline is corpus-level, so an incremental run
recomputes the clusters of every partition its new mentions touch, from those mentions and the
published mentions of the same partitions, and rewrites those timeline rows and event_ids.

Touched partitions (`year=Y/month=M`; every cluster key of transforms/events/coref.py lives in
one): those of this run's new events files, and those of the published events files that hold
rows of inputs this run replaces (a changed file: its old mentions leave their clusters). Then,
in the pipeline:

1. `PlanRereadFn` (once) lists the published `events` files of the touched partitions, keyed by
   partition: they join this run's files in `ClusterPartitionFn` (transforms/output/timeline.py),
   which reads them without the rows of replaced inputs and copies into staging each one whose
   event_ids change (that published file is then superseded).
2. Every published `timeline` file of a touched partition is superseded: the partition's timeline
   rows are all recomputed by `ClusterPartitionFn`.

The publish step deletes every superseded published file after moving the staged copies in,
so the result equals a full run over all inputs (tests/test_incremental.py).
"""

from __future__ import annotations

import apache_beam as beam
import pyarrow.compute as pc
import pyarrow.parquet as pq
from apache_beam import pvalue
from apache_beam.io.filesystems import FileSystems

from transforms.output import parquet
from transforms.output.manifest import belongs_to

SUPERSEDED = "superseded"
EVENTS = "events"


def stale_partitions(output: str, replaced: set[str]) -> set[str]:
    """Partitions of the published events files that hold rows of `replaced` inputs."""
    found: set[str] = set()
    if not replaced:
        return found
    folder = parquet.join(output, "events")
    for meta in parquet.list_files(folder):
        with FileSystems.open(meta.path) as handle:
            sources = pq.read_table(handle, columns=["source"]).column("source")
        if pc.any(belongs_to(sources.combine_chunks(), replaced)).as_py():
            found.add(parquet.relative(folder, meta.path).rsplit("/", 1)[0])
    return found


class PlanRereadFn(beam.DoFn):
    """None -> (partition, path) of each published events file of the touched partitions (on
    `events`) and, on `superseded`, the published timeline files of those partitions."""

    def __init__(self, output: str, replaced: list[str]):
        self.output = output
        self.replaced = sorted(replaced)

    def process(self, _, touched):
        """Handle one element (see the class docstring)."""
        partitions = set(touched) | stale_partitions(self.output, set(self.replaced))
        for partition in sorted(partitions):
            for meta in parquet.list_files(parquet.join(self.output, "events", partition)):
                yield pvalue.TaggedOutput(EVENTS, (partition, meta.path))
            for meta in parquet.list_files(parquet.join(self.output, "timeline", partition)):
                yield pvalue.TaggedOutput(SUPERSEDED, meta.path)


def staged_copy(output: str, staging: str, published: str, table) -> str:
    """Write `table` into the staging folder at the published file's table/partition."""
    relative = parquet.relative(output, published).rsplit("/", 1)[0]
    return parquet.write_table(parquet.join(staging, relative), table)


class RereadPublished(beam.PTransform):
    """New (partition, path) -> {"paths": (partition, path) of the published events files of the
    touched partitions, "superseded": the published timeline files of those partitions}."""

    def __init__(self, output: str, replaced: list[str]):
        super().__init__()
        self.output = output
        self.replaced = list(replaced)

    def expand(self, keyed):
        """Wire the reread (see the class docstring)."""
        touched = keyed | "Partitions" >> beam.Keys() | "DistinctPartitions" >> beam.Distinct()
        plan = (
            keyed.pipeline
            | "PlanOnce" >> beam.Create([None])
            | "PlanReread"
            >> beam.ParDo(
                PlanRereadFn(self.output, self.replaced), beam.pvalue.AsList(touched)
            ).with_outputs(EVENTS, SUPERSEDED)
        )
        return {"paths": plan[EVENTS], "superseded": plan[SUPERSEDED]}
