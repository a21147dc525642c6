"""The `newsline` command: parse the options, plan an incremental run, run the job (the chain
of pipeline/build.py) on the chosen runner, and print the summary.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import uuid

import apache_beam as beam
from apache_beam.options.pipeline_options import (
    GoogleCloudOptions,
    PipelineOptions,
    StandardOptions,
)

from pipeline.build import Increment, build
from pipeline.options import DEFAULT_INPUT, NewslineOptions, help_parser, unknown_flags
from transforms.deadletter import NAMESPACE
from transforms.ingest import readers
from transforms.ingest.jsonl import JsonlFields
from transforms.limits import HOT_KEY_FANOUT
from transforms.output import manifest, parquet
from transforms.output.schemas import LAYOUT_VERSION


def new_run_id() -> str:
    """A run's id: 12 random hex digits (names its staging folder, recorded in _SUCCESS)."""
    return uuid.uuid4().hex[:12]


def plan_increment(inputs: list[str], output: str) -> Increment | None:
    """The files to read incrementally; None (= a full run) without a complete previous output."""
    success = parquet.read_success(output)
    if success is None:
        return None
    found = parquet.layout_version_of(success)
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
    refs, errors = readers.match_all(readers.client_path(i) for i in inputs)
    todo, changed, skipped = manifest.diff(refs, previous)
    return Increment(todo, [e.as_row() for e in errors], changed, skipped)


def is_local(options: PipelineOptions) -> bool:
    """Does the job run on the local, in-process runner (see make_runner)?"""
    return options.view_as(StandardOptions).runner in (None, "DirectRunner", "FnApiRunner")


def spread_streams(options: PipelineOptions) -> bool:
    """Should ReadDocuments reshuffle the documents read from streams? ``--spread_streams``: true,
    false, or auto (on for distributed runners, off for the local one)."""
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
    run_id = new_run_id()
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
    summary = parquet.read_success(ours.output) or {}
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
        if counter.key.metric.namespace == NAMESPACE:
            name = counter.key.metric.name
            totals[name] = totals.get(name, 0) + (counter.committed or counter.attempted or 0)
    return dict(sorted(totals.items()))


def format_summary(summary: dict) -> str:
    """The printed summary of a run: counts, the inputs = documents + errors check, error reasons,
    incremental totals and the Beam counters by reason group (one line each)."""
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


def status(argv: list[str]) -> int:
    """``newsline status OUTPUT``: print the summary of the run OUTPUT was last published by
    (its ``_SUCCESS``: run_id, counts, files per table) as JSON on stdout; return 0. Return 1,
    with a message on stderr, when OUTPUT holds no complete output (no ``_SUCCESS``: never
    published, or a publish was cut short). OUTPUT: a local folder or any Beam filesystem URI."""
    if len(argv) != 1 or argv[0].startswith("-"):
        print("usage: newsline status OUTPUT", file=sys.stderr)
        return 2
    summary = parquet.read_success(argv[0])
    if summary is None:
        print(f"newsline: no complete output in {argv[0]} (no {parquet.SUCCESS})", file=sys.stderr)
        return 1
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 0


def main() -> None:
    """The console script: ``newsline [OPTIONS]`` runs the job and prints its summary;
    ``newsline status OUTPUT`` prints the summary of OUTPUT's last published run."""
    logging.basicConfig(level=logging.WARNING)
    if sys.argv[1:2] == ["status"]:
        raise SystemExit(status(sys.argv[2:]))
    summary = run()
    if "template_location" in summary:
        print(f"template written to {summary['template_location']}; the job runs on Dataflow")
        return
    print(format_summary(summary))
