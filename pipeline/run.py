"""The `newsline` command: parse the options, plan an incremental run, run the job (the chain
of pipeline/build.py) on the chosen runner, and print the summary.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
import uuid

import apache_beam as beam
from apache_beam.options.pipeline_options import (
    DirectOptions,
    GoogleCloudOptions,
    PipelineOptions,
    StandardOptions,
)

from pipeline import commands
from pipeline.build import Increment, build
from pipeline.options import NewslineOptions, attach_path_values, help_parser, unknown_flags
from pipeline.summary import format_summary, stage_seconds
from transforms.deadletter import NAMESPACE
from transforms.ingest import readers
from transforms.ingest.jsonl import JsonlFields
from transforms.output import commit, existing, faults, guard, manifest, parquet, runlock


def new_run_id() -> str:
    """A run's id: 12 random hex digits (names its staging folder, recorded in _SUCCESS)."""
    return uuid.uuid4().hex[:12]


def plan_increment(
    inputs: list[str], output: str, base: str, follow_links: bool = False
) -> Increment:
    """The files to read incrementally: those not in the manifest of version `base`, or
    changed since."""
    folder = existing.base_path(output, base, commit.MANIFEST).rsplit("/", 1)[0]
    previous = manifest.load(folder) or {}
    refs, errors = readers.match_all((readers.client_path(i) for i in inputs), follow_links)
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


def progress_workers(options: PipelineOptions) -> int:
    """Worker processes to show progress for: 0 (no progress: --quiet, or not the local
    runner), else the local runner's processes (1 unless --direct_running_mode
    multi_processing; threads of one process share one reporter)."""
    if options.view_as(NewslineOptions).quiet or not is_local(options):
        return 0
    direct = options.view_as(DirectOptions)
    if direct.direct_running_mode == "multi_processing":
        return max(1, direct.direct_num_workers or 1)
    return 1


def check_output(output: str) -> None:
    """Fail early, with a clear message, if a local output folder cannot be written."""
    if "://" in output:
        return
    try:
        os.makedirs(output, exist_ok=True)
    except OSError as exc:
        raise guard.Refused(
            guard.OUTPUT_REFUSED, f"cannot create output folder {output!r}: {exc}"
        ) from exc
    if not os.access(output, os.W_OK):
        raise guard.Refused(guard.OUTPUT_REFUSED, f"output folder {output!r} is not writable")


def run(argv: list[str] | None = None) -> dict:
    """Run the job; return the published summary (the content of the new version's _SUCCESS),
    or, for an --incremental run that found nothing new, {"unchanged": True, ...}.

    Raises guard.Refused (a SystemExit with the exit code of docs/runs.md, "Exit codes") when the
    run refuses; any other exception means the run failed and the output is unchanged."""
    argv = attach_path_values(list(sys.argv[1:] if argv is None else argv))
    if "-h" in argv or "--help" in argv:
        help_parser().print_help()
        raise SystemExit(0)
    unknown = unknown_flags(argv)
    if unknown:
        help_parser().print_usage(sys.stderr)
        raise guard.Refused(guard.USAGE, f"unknown option(s): {' '.join(unknown)}")
    options = PipelineOptions(argv)
    ours = options.view_as(NewslineOptions)
    if ours.incremental and ours.corpus_line_counts == "true":
        raise guard.Refused(
            guard.USAGE,
            "--incremental cannot be combined with --corpus_line_counts true: the "
            "counts make each page's split depend on every other page of the input, so adding "
            "files would change pages already published",
        )
    if ours.keep_versions < 1:
        raise guard.Refused(guard.USAGE, "--keep_versions must be 1 or more")
    inputs = guard.check_inputs(ours.input)
    guard.check_overlap(inputs, ours.output)
    found = existing.inspect(ours.output)  # before anything is created in a foreign folder
    if found.kind == "foreign":
        raise guard.Refused(guard.OUTPUT_REFUSED, runlock.foreign_message(ours.output, found))
    check_output(ours.output)
    run_id = new_run_id()
    with runlock.RunLock(ours.output, run_id, ours.lock_timeout, ours.keep_versions) as lock:
        return _run_locked(options, inputs, run_id, lock)


def _run_locked(options: PipelineOptions, inputs: list[str], run_id: str, lock) -> dict:
    """Under the output's lock: refuse what would destroy, plan, run, commit."""
    ours = options.view_as(NewslineOptions)
    output, found = ours.output, lock.found
    base = found.current
    unmatched = [p for p in inputs if not guard.matches_a_file(p)]
    for pattern in unmatched:
        print(f"newsline: --input {pattern!r} matched no file", file=sys.stderr)
    increment = None
    if ours.incremental and base is not None:
        runlock.check_incremental(output, found)
        increment = plan_increment(inputs, output, base, ours.follow_links)
        if not increment.files and not increment.replaced:
            return {"unchanged": True, "version": base, "skipped_unchanged": increment.skipped}
    elif len(unmatched) == len(inputs) and base is not None and not ours.allow_empty:
        raise guard.Refused(
            guard.NO_INPUT,
            f"no file matched --input {' '.join(repr(p) for p in unmatched)}; {output} keeps "
            f"its tables (version {base}); pass --allow_empty to publish empty tables",
        )
    started = time.monotonic()
    lock.prepare()
    faults.point("locked")
    fields = JsonlFields(ours.jsonl_text_field, ours.jsonl_date_field or None)
    p = beam.Pipeline(runner=make_runner(options), options=options)
    build(
        p,
        inputs,
        output,
        run_id,
        ours.corpus_line_counts == "true",
        increment=increment,
        fields=fields,
        spread_streams=spread_streams(options),
        follow_links=ours.follow_links,
        base=base,
        keep=ours.keep_versions,
        info={"patterns": inputs, "patterns_unmatched": unmatched},
        progress=progress_workers(options),
        allow_empty=ours.allow_empty,
    )
    try:
        result = p.run()
        result.wait_until_finish()
    except (Exception, KeyboardInterrupt) as exc:  # an interrupt after the switch: published
        conflict = runlock.conflict_message(exc)
        if conflict:
            raise guard.Refused(guard.BUSY, conflict) from exc
        emptied = runlock.wrapped_message(exc, commit.EmptyRunRefused)
        if emptied:
            raise guard.Refused(guard.NO_INPUT, emptied) from exc
        if commit.read_current(output) != run_id:
            raise
        # Published: only the clean-up after the switch (retention) failed. Old versions stay.
        print(f"newsline: published; cleaning old versions failed: {exc}", file=sys.stderr)
        summary = commit.read_summary(output) or {}
        summary["metrics"] = {}
        return summary
    if getattr(result, "has_job", True) is False:
        # Dataflow wrote a template (a Flex Template launch does this): nothing has run yet.
        template = options.view_as(GoogleCloudOptions).template_location
        return {"run_id": run_id, "template_location": template}
    summary = commit.read_summary(output) or {}
    if summary.get("run_id") != run_id:
        raise RuntimeError("the run did not publish its output")
    summary["metrics"] = stage_counters(result)
    summary["stage_seconds"] = stage_seconds(result)
    summary["seconds"] = round(time.monotonic() - started, 1)
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
    ``newsline status OUTPUT`` prints the summary of OUTPUT's last published run;
    ``newsline report`` and ``newsline export-timeml``: see pipeline/commands.py. Exit codes:
    transforms/output/guard.py (docs/runs.md, "Exit codes")."""
    logging.basicConfig(level=logging.WARNING)
    # Beam logs the traceback of an exception in a step before re-raising it; for Ctrl-C the
    # one line below says all there is.
    logging.getLogger("apache_beam.runners.common").addFilter(_not_an_interrupt)
    if sys.argv[1:2] == ["status"]:
        raise SystemExit(status(sys.argv[2:]))
    if sys.argv[1:2] and sys.argv[1] in commands.COMMANDS:  # newsline report OUTPUT, ...
        raise SystemExit(commands.main(sys.argv[1:]))
    try:
        summary = run()
    except guard.Refused as exc:
        print(exc.message, file=sys.stderr)
        raise SystemExit(exc.code) from None
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the traceback, then one line
        if guard.interrupted(exc):  # Ctrl-C: not a failure, no traceback
            print(
                "newsline: interrupted; nothing was published, the output is as it was",
                file=sys.stderr,
            )
            raise SystemExit(guard.INTERRUPTED) from None
        traceback.print_exc()
        print(runlock.failure_message(sys.argv, exc), file=sys.stderr)
        raise SystemExit(guard.FAILED) from None
    if "template_location" in summary:
        print(f"template written to {summary['template_location']}; the job runs on Dataflow")
        return
    if summary.get("unchanged"):
        print(
            f"incremental: nothing new ({summary['skipped_unchanged']} unchanged files skipped); "
            f"the output is unchanged (version {summary['version']})"
        )
        return
    print(format_summary(summary, _output_arg(sys.argv[1:])))


def _not_an_interrupt(record: logging.LogRecord) -> bool:
    """A logging filter: False for a record of a KeyboardInterrupt (Ctrl-C)."""
    kind = record.exc_info[0] if record.exc_info else None
    return not (kind is not None and issubclass(kind, KeyboardInterrupt))


def console() -> None:
    """The `newsline` console script and `python -m pipeline`: `main()`, then leave without the
    interpreter's teardown. pyarrow's C++ thread pools can abort a process at exit after all its
    work is done (``terminate called without an active exception``, SIGABRT: apache/arrow
    issues 34314 and 38352), which turned a finished run's exit code 0 into -6. Everything a run
    writes is closed when `main()` returns, so the exit code goes to `os._exit` after logging,
    stdout and stderr are flushed. Exit codes as `main()`'s."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)


def _output_arg(argv: list[str]) -> str:
    """The --output of the command line, as the user typed it (for the summary's commands)."""
    return PipelineOptions(argv).view_as(NewslineOptions).output or "OUTPUT"
