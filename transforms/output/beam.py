"""The Beam side of the output stage: rows -> Parquet files in the run's version folder -> one
committed version.

- `WriteTables`: the rows of every table (and the files read, for the manifest) -> Parquet
  files in the run's version folder (its staging); one PCollection holding their paths.
- `Publish`: once every table is written, count (inputs = documents + errors or nothing is
  published), then commit: every table of the version becomes current in one atomic step.

The pure work is in transforms/output/parquet.py (writing), transforms/output/manifest.py (the
manifest, what an incremental run replaces) and transforms/output/commit.py (the commit).
The writer only writes files and emits their paths; the commit never writes table rows.
"""

from __future__ import annotations

import apache_beam as beam
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from transforms.deadletter import count
from transforms.ingest.readers import FileRef, client_path
from transforms.limits import WRITE_BATCH_BYTES
from transforms.output import columns, commit, figures, manifest, parquet
from transforms.output.heap import HeapReleaser

# The tables whose elements are lists of rows (one list per document), not single rows.
BATCHED = frozenset({"events"})
FILES = "files"  # WriteTables' input of the FileRefs read, for the manifest
WRITTEN = "written"  # WriteTables' input: files written already (events, by CrossDocumentEvents)


class WriteTableFn(beam.DoFn):
    """Rows -> Parquet files in the staging folder. With `batched`, each element is a list of
    rows (the events of one document).

    Rows become Arrow columns per partition (transforms/output/columns.py), bounded in bytes:
    once WRITE_BATCH_BYTES are held, the largest partitions are written (one file each) until
    half of it is free, and at the end of the bundle every partition still held; after each
    batch of files, freed memory goes back to the OS (transforms/output/heap.py).
    Emits the path of every file written; only the paths of successful bundles reach publish.
    Counter: ``files_written_<table>``.
    """

    def __init__(self, table: str, staging: str, batched: bool = False):
        self.table = table
        self.staging = client_path(staging)
        self.batched = batched
        self.counter = f"files_written_{table}"
        self.heap = HeapReleaser()  # used once a batch of files is written

    def start_bundle(self):
        """Empty buffers."""
        self.buffers = columns.ColumnBuffers(self.table, WRITE_BATCH_BYTES)

    def process(self, element):
        """Buffer a row (or a list of rows); yield the paths of any files written."""
        full = False
        add = self.buffers.add
        for row in element if self.batched else (element,):
            full = add(row) or full
        if full:  # the budget is reached: write the largest partitions until half is free
            yield from self._write(WRITE_BATCH_BYTES // 2)

    def finish_bundle(self):
        """Write every partition still held; yield their paths (in the global window, whose
        object is made once: ``GlobalWindow()`` returns one object but re-reads the end of time
        from its proto at every call, and the events writer yields a path per partition)."""
        window = GlobalWindow()
        for path in self._write():
            yield WindowedValue(path, 0, [window])

    def write_file(self, folder: str, arrow_table) -> str:
        """Write one partition's rows as a new file in folder; its path (a Parquet file)."""
        return parquet.write_table(folder, arrow_table)

    def _write(self, down_to: int = 0):
        folder = parquet.join(self.staging, self.table)
        n = 0
        for partition, arrow_table in self.buffers.drain(down_to):
            n += 1
            yield self.write_file(parquet.join(folder, partition), arrow_table)
            arrow_table = None  # (not held while the next partition is taken)
        if n:
            count(self.counter, n)
            self.heap.release()  # the batch's rows and Arrow data are freed now


class WriteManifestFn(beam.DoFn):
    """FileRefs read by this run -> manifest part files in the staging folder (their paths).
    A part's rows are gathered as Arrow batches (manifest.PartRows), not as Python dicts."""

    def __init__(self, stage: str, seq: int, run_id: str):
        self.stage = stage
        self.seq = seq
        self.run_id = run_id
        self.heap = HeapReleaser()  # used once a part is written

    def start_bundle(self):
        """No rows yet."""
        self.rows = manifest.PartRows(self.seq, self.run_id)

    def process(self, ref: FileRef):
        """Add the file's manifest row; write a part every ROWS_PER_PART rows."""
        self.rows.add(ref)
        if len(self.rows) >= manifest.ROWS_PER_PART:
            yield self._write()

    def finish_bundle(self):
        """Write the rows still held as one part."""
        if len(self.rows):
            yield WindowedValue(self._write(), 0, [GlobalWindow()])

    def _write(self) -> str:
        table = self.rows.table()
        self.rows = manifest.PartRows(self.seq, self.run_id)
        path = manifest.write_part(self.stage, table)
        del table  # (freed before the pool's pages are released)
        self.heap.release()
        return path


class WriteTables(beam.PTransform):
    """``{table name: rows, "files": FileRefs read}`` -> one PCollection of ONE element, the
    list of every file written to the run's staging folder (tables and manifest part).

    Rows of the tables in BATCHED arrive as one list per document."""

    def __init__(self, staging: str, run_id: str, seq: int):
        super().__init__()
        self.staging = staging
        self.run_id = run_id
        self.seq = seq

    def expand(self, pcolls: dict):
        """One writer per table, one for the manifest, their paths gathered in one list."""
        written = [
            rows | f"Write {name}" >> beam.ParDo(WriteTableFn(name, self.staging, name in BATCHED))
            for name, rows in pcolls.items()
            if name not in (FILES, WRITTEN)
        ]
        if WRITTEN in pcolls:
            written.append(pcolls[WRITTEN])
        # The manifest: the files this run read (size, mtime), for later --incremental runs.
        written.append(
            pcolls[FILES]
            | "WriteManifest"
            >> beam.ParDo(WriteManifestFn(client_path(self.staging), self.seq, self.run_id))
        )
        return written | "AllFiles" >> beam.Flatten() | "FileList" >> beam.combiners.ToList()


def check_counts(counts: dict) -> None:
    """Raise RuntimeError unless every input became a document or an error row (the error rows
    of patterns that named nothing are not inputs: `input_errors` leaves them out)."""
    errors = counts.get("input_errors", counts["errors"])
    if counts["inputs"] != counts["documents"] + errors:
        raise RuntimeError(
            f"reconciliation failed: inputs={counts['inputs']} != documents="
            f"{counts['documents']} + errors={errors}; output not published"
        )


# The run's totals, also as Beam counters ``run_<key>`` (Dataflow's console shows them).
RUN_COUNTERS = ("inputs", "documents", "errors", "input_errors", "events", "timeline")


def count_summary(summary: dict) -> None:
    """The published summary's figures as Beam counters: ``run_<key>`` for RUN_COUNTERS,
    ``dates_<kind>`` for the date expressions (figures.DATE_KINDS). Lines removed, documents
    flagged and errors by reason have their counters already (``lines_removed_<reason>``,
    ``body_flag_<flag>``, ``errors_<stage>_<reason>``)."""
    for key in RUN_COUNTERS:
        count(f"run_{key}", int(summary.get(key) or 0))
    for kind, n in (summary.get("dates") or {}).items():
        count(f"dates_{kind}", n)


class CommitFn(beam.DoFn):
    """Runs once, after every table is written: check the counts, then commit the run's
    version (transforms/output/commit.py).

    base: the version the run started from; replaced: None (a full run) or the changed inputs
    of an incremental run, whose old rows go; extra: keys added to the summary; keep: versions
    retention keeps; allow_empty: publish a full run that made no document over a base that
    holds some (commit.EmptyRunRefused otherwise)."""

    def __init__(
        self,
        output,
        run_id,
        base,
        replaced=None,
        extra=None,
        keep=commit.KEEP_VERSIONS,
        allow_empty=False,
    ):
        self.output = client_path(output)
        self.run_id = run_id
        self.base = base
        self.replaced = replaced
        self.extra = extra or {}
        self.keep = keep
        self.allow_empty = allow_empty

    def process(self, _, paths, counts, superseded=()):
        """Commit the staged `paths` (an incremental run: without the `superseded` files of
        the base version, replaced by staged copies: recomputed event_ids and timeline rows);
        yield the summary written to the version's _SUCCESS."""
        from transforms.output.runlock import is_held

        counts = {**dict(counts), **self.extra}
        check_counts(counts)
        summary = commit.publish(
            self.output,
            self.run_id,
            self.base,
            paths,
            counts,
            replaced=self.replaced,
            superseded=list(superseded),
            keep=self.keep,
            is_held=is_held,
            allow_empty=self.allow_empty,
        )
        count_summary(summary)
        yield summary


def run_counts(
    _, inputs_read, read_errors, documents, errors, events, by_reason, timeline=0, sums=None
) -> dict:
    """The run's counts for _SUCCESS, from the singleton counts of Publish.

    inputs: the files, archive members and JSONL records actually read (each is a document or
    an error row); the error rows of stage `match` (a pattern or folder that named nothing or
    could not be listed) are errors but not inputs (`pattern_errors`). sums: the summed
    figures.document_figures (lines removed, dates, documents flagged)."""
    pattern_errors = sum(n for key, n in by_reason.items() if key.startswith("match:"))
    return {
        "inputs": inputs_read + read_errors - pattern_errors,
        "documents": documents,
        "errors": errors,
        "input_errors": errors - pattern_errors,
        "pattern_errors": pattern_errors,
        "events": events,
        "timeline": timeline,
        "errors_by_reason": dict(sorted(by_reason.items())),
        **figures.nest(sums or {}),
    }


class Publish(beam.PTransform):
    """``{"paths": WriteTables' list, "inputs_read": raw docs, "read_errors": error rows of
    reading, "documents": document rows, "errors": all error rows}`` (optionally "timeline":
    the number of timeline rows written per partition, summed; "superseded": published files
    that staged copies replace, for an incremental run) -> the published summary (one dict,
    the content of _SUCCESS).

    The commit makes the run's version current over version `base` (the one the run started
    from). A full run's version holds its tables only (`replaced` None); an incremental run's
    version is `base` plus its rows, less the old rows of the `replaced` inputs, and `extra` is
    added to the summary. A full run that made no document over a `base` holding documents is
    refused (commit.EmptyRunRefused) unless `allow_empty`.
    """

    def __init__(
        self,
        output: str,
        run_id: str,
        replaced: list[str] | None = None,
        extra: dict | None = None,
        base: str | None = None,
        keep: int = commit.KEEP_VERSIONS,
        allow_empty: bool = False,
    ):
        super().__init__()
        self.output = output
        self.run_id = run_id
        self.replaced = replaced
        self.extra = extra or {}
        self.base = base
        self.keep = keep
        self.allow_empty = allow_empty

    def expand(self, pcolls: dict):
        """Count every collection once, then run the publish DoFn once with the counts."""
        p = pcolls["paths"].pipeline
        singletons = {
            name: beam.pvalue.AsSingleton(
                pcolls[name] | f"Count {name}" >> beam.combiners.Count.Globally()
            )
            for name in ("inputs_read", "read_errors", "documents", "errors")
            if name in pcolls
        }
        if "timeline" in pcolls:  # the rows written per partition (CrossDocumentEvents)
            singletons["timeline"] = beam.pvalue.AsSingleton(
                pcolls["timeline"] | "Count timeline" >> beam.CombineGlobally(sum)
            )
        # Events are counted from the document rows (each carries n_events, emitted together
        # with its events): one element per document instead of one per event.
        singletons["events"] = beam.pvalue.AsSingleton(
            pcolls["documents"]
            | "EventsPerDoc" >> beam.Map(lambda row: row["n_events"])
            | "Count events" >> beam.CombineGlobally(sum)
        )
        by_reason = beam.pvalue.AsSingleton(
            pcolls["errors"]
            | "ErrorKey" >> beam.Map(lambda row: f"{row['stage']}:{row['reason']}")
            | "CountReasons" >> beam.combiners.Count.PerElement()
            | "ReasonDict" >> beam.combiners.ToDict()
        )
        sums = beam.pvalue.AsSingleton(
            pcolls["documents"]
            | "DocFigures" >> beam.Map(figures.document_figures)
            | "SumFigures" >> beam.CombineGlobally(figures.SumFigures())
        )
        summary = (
            p
            | "Once" >> beam.Create([None])
            | "Counts" >> beam.Map(run_counts, by_reason=by_reason, sums=sums, **singletons)
        )
        publisher = CommitFn(
            self.output,
            self.run_id,
            self.base,
            self.replaced,
            self.extra,
            self.keep,
            self.allow_empty,
        )
        extra = {}
        if self.replaced is not None and "superseded" in pcolls:
            extra["superseded"] = beam.pvalue.AsList(pcolls["superseded"])
        return (
            p
            | "PublishTrigger" >> beam.Create([None])
            | "Publish"
            >> beam.ParDo(
                publisher,
                beam.pvalue.AsSingleton(pcolls["paths"]),
                beam.pvalue.AsSingleton(summary),
                **extra,
            )
        )
