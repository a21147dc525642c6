"""Thin Beam wrappers around the pure functions of the other modules.

Each DoFn calls one pure function, counts what it dropped with Beam metrics, and sends any
failure of one document to the `errors` output (a dead letter) instead of failing the run.
Heavy objects (the date tagger's compiled grammar) are built once per worker in `setup()`.
"""

from __future__ import annotations

import os
import traceback
import uuid
from collections import Counter

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

from transforms.boilerplate import splitter as boilerplate
from transforms.boilerplate.linecounts import LineCounts, doc_line_keys
from transforms.events import rows as events
from transforms.limits import MAX_BUFFER_BYTES, MEMO_MAX_LINES, ROWS_PER_FILE
from transforms.output import parquet as sinks
from transforms.records import ErrorRow

ERRORS = "errors"
EVENTS = "events"
NAMESPACE = "newsline"


def count(name: str, n: int = 1) -> None:
    Metrics.counter(NAMESPACE, name).inc(n)


def error_from_exception(source: str, stage: str, exc: BaseException) -> ErrorRow:
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return ErrorRow(source, stage, "exception", last)


def route_error(error: ErrorRow):
    count(f"errors_{error.stage}_{error.reason}")
    return pvalue.TaggedOutput(ERRORS, error.as_row())


def client_path(path: str) -> str:
    """A local path made absolute where the pipeline is built (URIs unchanged).

    Transforms are constructed in the launching process; their DoFns run in SDK workers whose
    working directory is not the user's (Flink, Spark, Dataflow, an external worker pool), where
    a relative `seeds/*.txt` would silently match nothing.
    """
    return path if "://" in path else os.path.abspath(path)


# --- corpus line counts -------------------------------------------------------------------------


class LineCountsFn(beam.CombineFn):
    """Combine the line-key sets of all documents into a bounded LineCounts."""

    def create_accumulator(self):
        return LineCounts()

    def add_input(self, accumulator, element):
        doc_id, keys = element
        return accumulator.add_doc(keys, doc_id)

    def merge_accumulators(self, accumulators):
        accumulators = iter(accumulators)
        first = next(accumulators)
        for other in accumulators:
            first.merge(other)
        return first

    def extract_output(self, accumulator):
        return {"n_docs": accumulator.n_docs, "repeated": accumulator.repeated()}


class CountTemplateLines(beam.PTransform):
    """Docs -> one dict {n_docs, repeated: {line_key: documents}} for the splitter."""

    def expand(self, docs):
        return (
            docs
            | "LineKeys" >> beam.Map(
                lambda d: (d.doc_id, doc_line_keys(d.text, d.prefix_len, boilerplate.line_key))
            )
            | "CountLines" >> beam.CombineGlobally(LineCountsFn())
        )


# --- split, dates, events -----------------------------------------------------------------------


class SplitFn(beam.DoFn):
    """Doc -> (Doc, Split): the body found, removed pieces kept with reasons."""

    def setup(self):
        # Compile the splitter's vocabulary once per DoFn instance, before the first document;
        # its line memo then serves every page this instance splits.
        self.splitter = boilerplate.Splitter(memo_lines=MEMO_MAX_LINES)

    def process(self, doc, corpus=None):
        repeated = corpus["repeated"] if corpus else None
        n_docs = corpus["n_docs"] if corpus else 1
        try:
            split = self.splitter.split(doc.text, doc.prefix_len, repeated, n_docs)
        except Exception as exc:  # noqa: BLE001 - dead letter
            yield route_error(error_from_exception(doc.source, "split", exc))
            return
        for reason, n in Counter(piece.reason for piece in split.removed).items():
            count(f"lines_removed_{reason}", n)
        count("lines_kept", len(split.body_spans))
        yield doc, split


class DatesFn(beam.DoFn):
    """(Doc, Split) -> a documents row (main) and the document's event rows as ONE list
    (`events`): one element per document instead of one per event saves Beam's per-element
    cost (about 15 events per news page)."""

    def setup(self):
        from transforms.event_extract import EventExtractor
        from transforms.temporal.tagger import DateTagger

        self.tagger = DateTagger()
        self.extractor = EventExtractor()

    def process(self, element):
        doc, split = element
        try:
            anchor, published, published_source = events.choose_anchor(doc, split.published)
            mentions, rejected = self.tagger.tag(doc.text, anchor.date, split.body_spans)
            rows, skipped = events.event_rows(
                doc, anchor, published, split.body_spans, mentions, self.extractor
            )
            doc_row = events.document_row(
                doc, split, anchor, published, published_source, mentions, len(rows)
            )
        except Exception as exc:  # noqa: BLE001 - dead letter
            yield route_error(error_from_exception(doc.source, "dates", exc))
            return
        for reason, n in Counter(item.reason for item in rejected).items():
            count(f"dates_rejected_{reason}", n)
        for reason, n in skipped.items():
            count(f"events_skipped_{reason}", n)
        count("documents_written")
        count("events_written", len(rows))
        for reason, n in Counter(row["role_reason"] or "event" for row in rows).items():
            count(f"events_role_{reason}", n)  # date_role: event, or other with this reason
        if rows:
            yield pvalue.TaggedOutput(EVENTS, rows)
        yield doc_row


# --- writing ------------------------------------------------------------------------------------


class WriteTableFn(beam.DoFn):
    """Rows -> Parquet files in the staging folder, one per partition per ROWS_PER_FILE rows.
    With `batched`, each element is a list of rows (the events of one document).

    A bundle may hold a whole input on the local runner, so the buffers are also bounded in
    bytes (MAX_BUFFER_BYTES, estimated from the rows' text): past it the largest partition is
    written out. Emits the path of every file written; only the paths of successful bundles
    reach publish.
    """

    def __init__(self, table: str, staging: str, batched: bool = False):
        self.table = table
        self.staging = client_path(staging)
        self.batched = batched

    def start_bundle(self):
        self.buffers: dict[str, list[dict]] = {}
        self.sizes: dict[str, int] = {}
        self.total = 0  # = sum(self.sizes.values())

    def process(self, element):
        for row in element if self.batched else (element,):
            yield from self._add(row)

    def _add(self, row: dict):
        partition = sinks.partition_of(self.table, row)
        buffer = self.buffers.setdefault(partition, [])
        buffer.append(row)
        size = sinks.approx_row_bytes(row)
        self.sizes[partition] = self.sizes.get(partition, 0) + size
        self.total += size
        if len(buffer) >= ROWS_PER_FILE:
            yield self._flush(partition)
        elif self.total > MAX_BUFFER_BYTES:
            yield self._flush(max(self.sizes, key=self.sizes.get))

    def finish_bundle(self):
        for partition in list(self.buffers):
            yield WindowedValue(self._flush(partition), 0, [GlobalWindow()])

    def _flush(self, partition: str) -> str:
        rows = self.buffers.pop(partition)
        self.total -= self.sizes.pop(partition, 0)
        path = sinks.write_rows(self.staging, self.table, partition, rows)
        count(f"files_written_{self.table}")
        return path


class PublishFn(beam.DoFn):
    """Runs once, after all tables are written: check the counts, move files into place."""

    def __init__(self, output: str, run_id: str):
        self.output = client_path(output)
        self.run_id = run_id

    def process(self, _, paths, counts):
        counts = dict(counts)
        if counts["inputs"] != counts["documents"] + counts["errors"]:
            raise RuntimeError(
                f"reconciliation failed: inputs={counts['inputs']} != documents="
                f"{counts['documents']} + errors={counts['errors']}; output not published"
            )
        yield sinks.publish(self.output, self.run_id, paths, counts)


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]
