"""The `timeline` table and the cross-document `event_id`: Beam composites over the pure
clustering of transforms/events/coref.py and transforms/output/timeline_blocks.py, and the
pure timeline rows of transforms/output/timeline_rows.py.

Flow (see docs/method.md, "How the pipeline is built"):
1. `WriteEventsFn` writes the events rows to staging like any table (with `event_id` =
   `mention_id`), but as scratch files (Arrow IPC, transforms/output/scratch.py: cheap to write
   and to read back; never published; one file holds every partition drained at once), and
   emits (partition, reference to the partition's rows in the file) for each partition,
   without the scratch folder's path (scratch.relative: it was half of each reference's bytes).
2. The references are grouped by their partition (`year=Y/month=M`): every cluster key lives
   in one partition, so a partition's references hold every mention that may link. Only
   references cross this shuffle, never rows or mention summaries, so the local runner (which
   holds a shuffle's whole input) holds a few bytes per partition and file, whatever the
   number of mentions.
3. `ClusterPartitionFn` (per partition) reads the narrow columns of its files and clusters them
   block by block (at most about `BLOCK_MENTIONS` summaries held at once); each block's
   clusters become a table of timeline rows (the representatives' columns taken from the
   block's Arrow rows, the aggregates built as columns: no dict per row), written at once as
   a row group of the partition's ONE timeline Parquet file, and its members' id changes are
   kept. Then the partition's scratch files become ONE Parquet file with the final
   event_ids, written once (a scratch file in memory at a time, joined into row groups of about
   `ROW_GROUP_BYTES`); the scratch files are strays the publish deletes. A published file of an
   incremental run whose ids change is copied into staging and superseded.

On distributed runners the partitions are the units of work spread over the workers; a hot
partition (a very common month) is cut into blocks by key, so its memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import apache_beam as beam
import pyarrow as pa
import pyarrow.compute as pc
from apache_beam import pvalue

from transforms.deadletter import count
from transforms.ingest.readers import client_path
from transforms.limits import (
    BLOCK_MENTIONS,
    PUBLISHED_FILE_BYTES,
    ROW_GROUP_BYTES,
)
from transforms.output import parquet, scratch
from transforms.output.beam import WriteTableFn
from transforms.output.schemas import TABLES
from transforms.output.timeline_blocks import READ_COLUMNS, block_summaries, clusters, n_blocks
from transforms.output.timeline_rows import (  # noqa: F401 - the pure functions, re-exported
    AGGREGATES,
    TIMELINE,
    aggregates,
    all_aggregates,
    cluster_actors,
    id_changes,
    representative,
    rewrite_ids,
    single_aggregates,
    timeline_table,
)

TIMELINE_FILES = "timeline_files"
SUPERSEDED = "superseded"


def partition_of(path: str) -> str:
    """The partition (`year=Y/month=M`) of an events or timeline file at `.../year=Y/month=M/f`."""
    return "/".join(path.split("/")[-3:-1])


def read_events(
    path: str, columns: list[str] | None = None, readers: dict | None = None
) -> pa.Table:
    """The events rows of a scratch reference of this run or of a published Parquet file at
    `path` (only `columns` when given), with the events schema. `readers`: scratch.read_table's
    dict of the scratch files opened so far."""
    return scratch.read_table(path, TABLES["events"], columns, readers)


def row_groups(tables: Iterable[pa.Table], max_bytes: int = ROW_GROUP_BYTES) -> Iterator[pa.Table]:
    """Tables (one schema) joined into tables of about `max_bytes` of Arrow data each (a table
    larger than that stays whole): the row groups of a partition's file, so that the scratch
    files of many small bundles do not make many tiny row groups."""
    return sized_row_groups(((table, table.get_total_buffer_size()) for table in tables), max_bytes)


def sized_row_groups(
    sized: Iterable[tuple[pa.Table, int]], max_bytes: int = ROW_GROUP_BYTES
) -> Iterator[pa.Table]:
    """`row_groups` of (table, its bytes of Arrow data) pairs (scratch.read_sized: a slice of
    a shared batch counts its share of the batch, not the whole batch's buffers)."""
    held: list[pa.Table] = []
    size = 0
    for table, nbytes in sized:
        held.append(table)
        size += nbytes
        if size >= max_bytes:
            yield pa.concat_tables(held)
            held, size = [], 0
    if held:
        yield pa.concat_tables(held)


def n_rows(path: str) -> int:
    """Rows of an events file (a scratch file or a Parquet file)."""
    return scratch.n_rows(path)


# --- Beam ---------------------------------------------------------------------------------------


class WriteEventsFn(WriteTableFn):
    """`WriteTableFn` for `events` (a list of rows per document) into scratch files
    (transforms/output/scratch.py): ONE file per drain of the buffers (at most one per
    WRITE_BATCH_BYTES // 2 of rows, and one at the end of the bundle) holding every partition
    drained; emits (partition, scratch reference to its rows, relative to the table's staging
    folder: scratch.relative) per partition. `ClusterPartitionFn` writes the partition's
    Parquet file from them. Counter: ``scratch_files_events``."""

    def __init__(self, staging: str):
        super().__init__("events", staging, batched=True)
        self.counter = "scratch_files_events"

    def _write(self, down_to: int = 0):
        folder = parquet.join(self.staging, self.table)
        path, refs = scratch.write_partitions(folder, self.buffers.drain(down_to, shared=True))
        if path is not None:
            count(self.counter, 1)
            self.heap.release()  # as WriteTableFn: the drained rows' memory back to the OS
        for partition, reference in refs:  # without the folder: ClusterPartitionFn adds it
            yield partition, scratch.relative(reference, folder)


class ClusterPartitionFn(beam.DoFn):
    """(partition, paths of its events files) -> the paths of the events files to publish
    (main), the partition's `timeline` Parquet file (`timeline_files`), its number of timeline
    rows (`timeline`), and (`superseded`) published files replaced.

    Both tables of a partition are written here: the timeline file block by block as the
    clusters are found (a row group per block), then the events file with the final ids.
    Files of this run with id changes are rewritten beside themselves (the original becomes a
    stray the publish deletes). Published files (--incremental: `published` is the published
    tables' root) are read without the rows of `replaced` inputs; one with id changes is copied
    into the staging folder and its path goes to `superseded`. Counters: ``timeline_blocks``,
    ``files_written_timeline``, ``files_written_events``, ``event_ids_changed``."""

    def __init__(
        self,
        staging: str,
        published: str | None = None,
        replaced: tuple = (),
        block_mentions: int = BLOCK_MENTIONS,
    ):
        self.staging = staging
        self.published = published
        self.replaced = tuple(replaced)
        self.block_mentions = block_mentions

    def setup(self):
        """The worker's memo of normalised actor names (coref.summaries) and its open scratch
        files (scratch.read_table's `readers`)."""
        self.memo: dict[str, str] = {}
        self.readers: dict = {}

    def finish_bundle(self):
        """Close the scratch files kept open (the publish deletes them)."""
        self.readers = {}

    def process(self, element):
        """Handle one element (see the class docstring)."""
        partition, paths = element
        folder = parquet.join(self.staging, "events")  # WriteEventsFn's (scratch.relative)
        paths = sorted({scratch.resolve(folder, path) for path in paths})
        if not hasattr(self, "readers"):  # a DoFn called without setup(): none kept open
            self.readers = {}
        blocks = n_blocks(sum(n_rows(p) for p in paths), self.block_mentions)
        count("timeline_blocks", blocks)
        changes: dict[str, dict[str, str]] = {}
        made = [0]  # timeline rows written
        written = parquet.write_tables(
            parquet.join(self.staging, TIMELINE, partition),
            TABLES[TIMELINE],
            self._timeline(paths, blocks, changes, made),
            max_bytes=PUBLISHED_FILE_BYTES,
        )
        if written:
            count("files_written_timeline", len(written))
        for path in written:
            yield pvalue.TaggedOutput(TIMELINE_FILES, path)
        yield pvalue.TaggedOutput(TIMELINE, made[0])
        ours = [path for path in paths if scratch.is_scratch(path)]
        if ours:
            yield from self._publishable(partition, ours, changes)
        for path in paths:
            if not scratch.is_scratch(path):
                yield from self._finalize(path, changes.pop(path, None))

    def _timeline(self, paths: list[str], blocks: int, changes: dict, made: list[int]):
        """The partition's timeline rows, a table per block; the members' id changes are
        added to `changes` ({path: {mention_id: event_id}}), the rows counted in made[0]."""
        memo = getattr(self, "memo", None)  # set by setup(); a DoFn called without it: none
        for block in range(blocks):
            keyed, rows = block_summaries(self._tables(paths), block, blocks, memo)
            found = list(clusters(keyed))
            del keyed  # (the summaries live on in `found` only)
            for members in found:
                for path, mention_id, event_id in id_changes(members):
                    changes.setdefault(path, {})[mention_id] = event_id
            made[0] += len(found)
            table = timeline_table(found, rows)
            # Dropped before the table is handed on: otherwise this block's summaries and
            # rows would still be held while the next block's are built (two blocks at once).
            del found, rows
            yield table
            del table

    def _staged(self, path: str) -> bool:
        return path.startswith(self.staging + "/")

    def _tables(self, paths: list[str]):
        for path in paths:
            table = read_events(path, list(READ_COLUMNS), self.readers)
            if not self._staged(path):
                table = table.filter(pc.invert(self._stale(table)))
            yield path, table

    def _stale(self, table: pa.Table) -> pa.Array:
        from transforms.output.manifest import belongs_to

        return belongs_to(table.column("source").combine_chunks(), set(self.replaced))

    def _publishable(self, partition: str, paths: list[str], changes: dict):
        """This run's scratch files of the partition -> ONE Parquet file with the final
        event_ids (more only past PUBLISHED_FILE_BYTES encoded; row groups of about
        ROW_GROUP_BYTES, one held at a time); its path."""
        n_changed = sum(len(changes.get(path) or ()) for path in paths)
        if n_changed:
            count("event_ids_changed", n_changed)
        tables = (self._final(path, changes.pop(path, None)) for path in paths)
        folder = parquet.join(self.staging, "events", partition)
        paths = parquet.write_tables(
            folder, TABLES["events"], sized_row_groups(tables), max_bytes=PUBLISHED_FILE_BYTES
        )
        if paths:
            count("files_written_events", len(paths))
        yield from paths

    def _final(self, path: str, changes: dict[str, str] | None) -> tuple[pa.Table, int]:
        """The events rows at `path` with their final event_ids, and their bytes of Arrow data
        (scratch.read_sized)."""
        table, size = scratch.read_sized(path, TABLES["events"], readers=self.readers)
        return (rewrite_ids(table, changes) if changes else table), size

    def _finalize(self, path: str, changes: dict[str, str] | None):
        """A published file (--incremental): copied into staging without the rows of replaced
        inputs and with the new event_ids when any changes (the published one superseded)."""
        if not changes:
            return
        count("event_ids_changed", len(changes))
        from transforms.output.timeline_increment import staged_copy

        table = read_events(path)
        table = rewrite_ids(table.filter(pc.invert(self._stale(table))), changes)
        if table.num_rows:
            yield staged_copy(self.published, self.staging, path, table)
        yield pvalue.TaggedOutput(SUPERSEDED, path)


class CrossDocumentEvents(beam.PTransform):
    """events rows (a list per document) -> {"events": paths of the staged events files, with
    their cross-document event_ids; "timeline": the number of timeline rows of each partition
    (ints: their sum is the table's rows); "files": other staged files to publish (a list of
    PCollections: the timeline files); "superseded": published files they replace}. With
    `increment` (published tables' root, replaced inputs), the partitions this run touches are
    clustered again with their published mentions (transforms/output/timeline_increment.py)."""

    def __init__(
        self,
        staging: str,
        increment: tuple[str, list[str]] | None = None,
        block_mentions: int = BLOCK_MENTIONS,
    ):
        super().__init__()
        self.staging = client_path(staging)
        self.increment = increment
        self.block_mentions = block_mentions

    def expand(self, event_lists):
        """Wire the transform (see the class docstring)."""
        keyed = event_lists | "WriteEvents" >> beam.ParDo(WriteEventsFn(self.staging))
        superseded = []
        published, replaced = None, ()
        if self.increment is not None:
            from transforms.output.timeline_increment import RereadPublished

            published, replaced = client_path(self.increment[0]), tuple(self.increment[1])
            reread = keyed | "RereadPublished" >> RereadPublished(published, replaced)
            keyed = (keyed, reread["paths"]) | "AllFiles" >> beam.Flatten()
            superseded.append(reread["superseded"])
        final = (
            keyed
            | "GroupByPartition" >> beam.GroupByKey()
            | "ClusterPartitions"
            >> beam.ParDo(
                ClusterPartitionFn(self.staging, published, replaced, self.block_mentions)
            ).with_outputs(TIMELINE, TIMELINE_FILES, SUPERSEDED, main="paths")
        )
        superseded.append(final[SUPERSEDED])
        return {
            "events": final.paths,
            "timeline": final[TIMELINE],
            "files": [final[TIMELINE_FILES]],
            "superseded": superseded,
        }
