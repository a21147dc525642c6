"""Build and run the newsline pipeline: read -> split -> dates/events -> Parquet -> publish.

This module only parses options and wires stages; the work is in transforms/.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass

import apache_beam as beam
from apache_beam.options.pipeline_options import (
    GoogleCloudOptions,
    PipelineOptions,
    StandardOptions,
)

from pipeline.options import DEFAULT_INPUT, NewslineOptions, help_parser, unknown_flags
from transforms import ptransforms as pt
from transforms.events import timeline
from transforms.ingest import beam as reading
from transforms.ingest import readers
from transforms.ingest.jsonl import JsonlFields
from transforms.limits import HOT_KEY_FANOUT
from transforms.output import manifest
from transforms.output import parquet as sinks
from transforms.records import LAYOUT_VERSION


@dataclass(frozen=True)
class Increment:
    """What an --incremental run reads, decided in the driver against the output's manifest."""

    files: list  # FileRefs that are new or changed
    match_errors: list  # error rows of patterns that named nothing
    replaced: list  # paths of changed files: their old rows are dropped
    skipped: int  # unchanged files not read again


def plan_increment(inputs: list[str], output: str) -> Increment | None:
    """The files to read incrementally; None (= a full run) without a complete previous output."""
    success = sinks.read_success(output)
    if success is None:
        return None
    found = sinks.layout_version_of(success)
    if found != LAYOUT_VERSION:
        raise SystemExit(
            f"newsline: {output} has output layout version {found}, this newsline writes "
            f"version {LAYOUT_VERSION} (partitions and tables changed, see README 'Output "
            "contract'); --incremental cannot add to it: run once without --incremental to "
            "rewrite the output"
        )
    previous = manifest.load(output)
    if previous is None:
        return None
    refs, errors = readers.match_all(pt.client_path(i) for i in inputs)
    todo, changed, skipped = manifest.diff(refs, previous)
    return Increment(todo, [e.as_row() for e in errors], changed, skipped)


def build(
    p: beam.Pipeline,
    inputs: list[str],
    output: str,
    run_id: str,
    line_counts: bool,
    *,
    increment: Increment | None = None,
    fields: JsonlFields | None = None,
    spread_streams: bool = False,
    hot_key_fanout: int = 0,
):
    """Wire the stages into pipeline p. Returns the PCollection of the publish summary.

    With an `increment`, only its files are read and the publish adds to the tables."""
    files = increment.files if increment else None
    match_errors = increment.match_errors if increment else None
    read = p | "ReadDocuments" >> reading.ReadDocuments(
        inputs,
        files=files,
        fields=fields,
        match_errors=match_errors,
        spread_streams=spread_streams,
    )

    corpus = None
    if line_counts:
        # A second, independent read feeds the corpus line counts, so the documents themselves
        # never have to be held in memory while the counts are being made.
        counted = p | "ReadForLineCounts" >> reading.ReadDocuments(
            inputs, files=files, fields=fields, counted=False
        )
        corpus = beam.pvalue.AsSingleton(counted["docs"] | "LineCounts" >> pt.CountTemplateLines())

    split = read["docs"] | "Split" >> beam.ParDo(pt.SplitFn(), corpus=corpus).with_outputs(
        pt.ERRORS, main="split"
    )
    dated = split.split | "Dates" >> beam.ParDo(pt.DatesFn()).with_outputs(
        pt.EVENTS, pt.ERRORS, main="documents"
    )
    errors = (read["errors"], split[pt.ERRORS], dated[pt.ERRORS]) | "Errors" >> beam.Flatten()
    staging = sinks.staging_dir(output, run_id)
    # events: one list of rows per document (DatesFn); written, then clustered across documents
    # (event_id) into the timeline; the other tables: one row per element
    events = dated[pt.EVENTS] | "CrossDocumentEvents" >> timeline.CrossDocumentEvents(
        staging, (output, increment.replaced) if increment else None, hot_key_fanout
    )
    tables = {"documents": dated.documents, "errors": errors, "timeline": events["timeline"]}
    written = [events["events"], *events["files"]] + [
        rows | f"Write {name}" >> beam.ParDo(pt.WriteTableFn(name, staging))
        for name, rows in tables.items()
    ]
    # The manifest: the files this run read (size, mtime), for later --incremental runs.
    written.append(
        read["files"]
        | "WriteManifest"
        >> beam.ParDo(manifest.WriteManifestFn(pt.client_path(staging), manifest.new_seq(), run_id))
    )
    paths = written | "AllFiles" >> beam.Flatten() | "FileList" >> beam.combiners.ToList()

    counts = {
        "inputs_read": read["raw"],
        "read_errors": read["read_errors"],
        "documents": dated.documents,
        "errors": errors,
        "timeline": events["timeline"],
    }
    singletons = {
        name: beam.pvalue.AsSingleton(pcoll | f"Count {name}" >> beam.combiners.Count.Globally())
        for name, pcoll in counts.items()
    }
    # Events are counted from the document rows (each carries n_events, emitted together with
    # its events): one element per document instead of one per event.
    singletons["events"] = beam.pvalue.AsSingleton(
        dated.documents
        | "EventsPerDoc" >> beam.Map(lambda row: row["n_events"])
        | "Count events" >> beam.CombineGlobally(sum)
    )
    by_reason = beam.pvalue.AsSingleton(
        errors
        | "ErrorKey" >> beam.Map(lambda row: f"{row['stage']}:{row['reason']}")
        | "CountReasons" >> beam.combiners.Count.PerElement()
        | "ReasonDict" >> beam.combiners.ToDict()
    )
    # published files replaced by staged copies (--incremental: recomputed event_ids, timeline)
    superseded = {}
    if increment is not None:
        superseded["superseded"] = beam.pvalue.AsList(
            events["superseded"] | "Superseded" >> beam.Flatten()
        )
    summary = (
        p
        | "Once" >> beam.Create([None])
        | "Counts" >> beam.Map(_counts, by_reason=by_reason, **singletons)
    )
    return (
        p
        | "PublishTrigger" >> beam.Create([None])
        | "Publish" >> beam.ParDo(
            _publisher(output, run_id, increment),
            beam.pvalue.AsSingleton(paths),
            beam.pvalue.AsSingleton(summary),
            **superseded,
        )
    )


def _publisher(output: str, run_id: str, increment: Increment | None) -> beam.DoFn:
    if increment is None:
        return pt.PublishFn(output, run_id)
    extra = {"skipped_unchanged": increment.skipped, "replaced_inputs": len(increment.replaced)}
    return manifest.AppendPublishFn(pt.client_path(output), run_id, increment.replaced, extra)


def _counts(_, inputs_read, read_errors, documents, errors, events, timeline, by_reason):
    return {
        # Every input (file, archive member, JSONL line) is either read or a read error.
        "inputs": inputs_read + read_errors,
        "documents": documents,
        "errors": errors,
        "events": events,
        "timeline": timeline,
        "errors_by_reason": dict(sorted(by_reason.items())),
    }


def is_local(options: PipelineOptions) -> bool:
    """Does the job run on the local, in-process runner (see make_runner)?"""
    return options.view_as(StandardOptions).runner in (None, "DirectRunner", "FnApiRunner")


def spread_streams(options: PipelineOptions) -> bool:
    setting = options.view_as(NewslineOptions).spread_streams
    return setting == "true" or (setting == "auto" and not is_local(options))


def make_runner(options: PipelineOptions):
    """The runner: the local DirectRunner engine unless the user names another runner.

    Beam 2.68+ hands DirectRunner pipelines to Prism, which downloads a binary; newsline runs
    Beam's in-process FnApiRunner (the DirectRunner's own batch engine) instead, so that a run
    never needs the network. It honours --direct_num_workers and --direct_running_mode.
    """
    if is_local(options):
        from apache_beam.runners.portability.fn_api_runner import FnApiRunner

        return FnApiRunner()
    return options.view_as(StandardOptions).runner


def check_output(output: str) -> None:
    """Fail early, with a clear message, if a local output folder cannot be written."""
    if "://" in output:
        return
    try:
        os.makedirs(output, exist_ok=True)
    except OSError as exc:
        raise SystemExit(f"newsline: cannot create output folder {output!r}: {exc}") from exc
    if not os.access(output, os.W_OK):
        raise SystemExit(f"newsline: output folder {output!r} is not writable")


def run(argv: list[str] | None = None) -> dict:
    """Run the job; return the published summary (the content of _SUCCESS)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "-h" in argv or "--help" in argv:
        help_parser().print_help()
        raise SystemExit(0)
    unknown = unknown_flags(argv)
    if unknown:
        help_parser().print_usage(sys.stderr)
        raise SystemExit(f"newsline: unknown option(s): {' '.join(unknown)}")
    options = PipelineOptions(argv)
    ours = options.view_as(NewslineOptions)
    if ours.incremental and ours.corpus_line_counts == "true":
        raise SystemExit(
            "newsline: --incremental cannot be combined with --corpus_line_counts true: the "
            "counts make each page's split depend on every other page of the input, so adding "
            "files would change pages already published"
        )
    inputs = ours.input or [DEFAULT_INPUT]
    check_output(ours.output)
    run_id = pt.new_run_id()
    increment = plan_increment(inputs, ours.output) if ours.incremental else None
    if ours.incremental and increment is None:
        logging.warning("newsline: no complete previous output in %s: full run", ours.output)
    fields = JsonlFields(ours.jsonl_text_field, ours.jsonl_date_field or None)
    p = beam.Pipeline(runner=make_runner(options), options=options)
    line_counts = ours.corpus_line_counts == "true"
    build(
        p,
        inputs,
        ours.output,
        run_id,
        line_counts,
        increment=increment,
        fields=fields,
        spread_streams=spread_streams(options),
        # one local process gains nothing from splitting hot keys (see CrossDocumentEvents)
        hot_key_fanout=0 if is_local(options) else HOT_KEY_FANOUT,
    )
    result = p.run()
    result.wait_until_finish()
    if getattr(result, "has_job", True) is False:
        # Dataflow wrote a template (a Flex Template launch does this): nothing has run yet.
        template = options.view_as(GoogleCloudOptions).template_location
        return {"run_id": run_id, "template_location": template}
    summary = sinks.read_success(ours.output) or {}
    if summary.get("run_id") != run_id:
        raise SystemExit("newsline: the run did not publish its output")
    summary["metrics"] = stage_counters(result)
    return summary


def stage_counters(result) -> dict[str, int]:
    """newsline's Beam counters (lines removed, dates rejected, ... by reason), where the runner
    reports them."""
    try:
        counters = result.metrics().query()["counters"]
    except Exception:  # noqa: BLE001 - some runners report no metrics
        return {}
    totals: dict[str, int] = {}
    for counter in counters:
        if counter.key.metric.namespace == pt.NAMESPACE:
            name = counter.key.metric.name
            totals[name] = totals.get(name, 0) + (counter.committed or counter.attempted or 0)
    return dict(sorted(totals.items()))


def format_summary(summary: dict) -> str:
    ok = summary["inputs"] == summary["documents"] + summary["errors"]
    lines = [
        f"inputs read:       {summary['inputs']}",
        f"documents written: {summary['documents']}",
        f"errors:            {summary['errors']}",
    ]
    lines += [f"  {reason}: {n}" for reason, n in summary.get("errors_by_reason", {}).items()]
    lines += [
        f"events written:    {summary['events']}",
        f"timeline rows:     {summary.get('timeline', 0)} (events across documents)",
        f"check: read {summary['inputs']} = documents {summary['documents']} + errors "
        f"{summary['errors']} -> {'OK' if ok else 'MISMATCH'}",
    ]
    if summary.get("mode") == "incremental":
        totals = summary.get("totals", {})
        lines.append(
            f"incremental: {summary.get('skipped_unchanged', 0)} unchanged files skipped, "
            f"{summary.get('replaced_inputs', 0)} changed files replaced; the tables now hold "
            + ", ".join(f"{n} {t}" for t, n in totals.items())
        )
    metrics = summary.get("metrics") or {}
    for prefix, title in REASON_GROUPS:
        group = {k[len(prefix) :]: n for k, n in metrics.items() if k.startswith(prefix)}
        if group:
            lines.append(title + ", ".join(f"{k}={n}" for k, n in group.items()))
    return "\n".join(lines)


REASON_GROUPS = (
    ("lines_removed_", "lines removed by reason: "),
    ("dates_rejected_", "date candidates rejected by reason: "),
    ("events_skipped_", "expressions not made events, by reason: "),
    ("decode_note_", "documents read with a note (kept), by reason: "),
)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    summary = run()
    if "template_location" in summary:
        print(f"template written to {summary['template_location']}; the job runs on Dataflow")
        return
    print(format_summary(summary))
