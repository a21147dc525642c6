"""The job as a chain of named composites, one per step:

    ReadDocuments -> SplitBoilerplate -> TagDates -> ExtractEvents -> WriteTables -> Publish

Every composite lives with its stage under transforms/ (``<stage>/beam.py``) and sends what it
cannot process to an `errors` output (transforms/deadletter.py); the error rows of all steps
form the `errors` table. This module only wires the steps; pipeline/run.py parses the options
and runs the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass

import apache_beam as beam

from transforms.boilerplate.beam import CountTemplateLines, SplitBoilerplate
from transforms.deadletter import ERRORS
from transforms.events.beam import ExtractEvents
from transforms.ingest.beam import ReadDocuments
from transforms.ingest.jsonl import JsonlFields
from transforms.output import commit, manifest
from transforms.output.beam import Publish, WriteTables
from transforms.output.progress import ShowProgress
from transforms.output.timeline import CrossDocumentEvents
from transforms.temporal.beam import TagDates


@dataclass(frozen=True)
class Increment:
    """What an --incremental run reads, decided in the driver against the output's manifest."""

    files: list  # FileRefs that are new or changed
    match_errors: list  # error rows of patterns that named nothing
    replaced: list  # paths of changed files: their old rows are dropped
    skipped: int  # unchanged files not read again


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
    base: str | None = None,
    keep: int = commit.KEEP_VERSIONS,
    follow_links: bool = False,
    info: dict | None = None,
    progress: int = 0,
    allow_empty: bool = False,
):
    """Wire the steps into pipeline `p`; return the PCollection of the published summary.

    `inputs`: globs, folders or files; `output`: the output folder (or URI); `line_counts`:
    count template lines across the input first (reads it twice). The tables are written into
    the run's version folder, committed over version `base` (None: none yet), keeping `keep`
    versions. With an `increment`, only its files are read and the new version is `base` plus
    this run's rows. `fields`: the JSON Lines fields;
    `spread_streams`: reshuffle documents read from streams (see ReadDocuments);
    `follow_links`: read local links whose target leaves the input folder (--follow_links);
    `info`: keys added to the published summary (the patterns given, ...); `progress`: show
    progress on stderr with this many local worker processes (0: no progress); `allow_empty`:
    publish a full run that made no document over a `base` that holds documents (else the
    commit refuses it, commit.EmptyRunRefused)."""
    files = increment.files if increment else None
    read = p | "ReadDocuments" >> ReadDocuments(
        inputs,
        files=files,
        fields=fields,
        match_errors=increment.match_errors if increment else None,
        spread_streams=spread_streams,
        follow_links=follow_links,
    )
    corpus = None
    if line_counts:
        # A second, independent read feeds the corpus line counts, so the documents themselves
        # never have to be held in memory while the counts are being made.
        counted = p | "ReadForLineCounts" >> ReadDocuments(
            inputs, files=files, fields=fields, counted=False, follow_links=follow_links
        )
        corpus = counted["docs"] | "LineCounts" >> CountTemplateLines()
    split = read["docs"] | "SplitBoilerplate" >> SplitBoilerplate(corpus)
    dated = split["split"] | "TagDates" >> TagDates()
    extracted = dated["dated"] | "ExtractEvents" >> ExtractEvents()

    steps = (read, split, dated, extracted)
    errors = tuple(step[ERRORS] for step in steps) | "Errors" >> beam.Flatten()
    staging = commit.version_dir(output, run_id)
    # events (one list of rows per document): written, then linked across documents (event_id)
    # into the timeline (both tables' files written per partition there); an incremental run
    # re-clusters the keys its new mentions touch
    xdoc = extracted["events"] | "CrossDocumentEvents" >> CrossDocumentEvents(
        staging,
        (commit.version_root(output, base), increment.replaced) if increment and base else None,
    )
    tables = {
        "documents": extracted["documents"],
        "errors": errors,
        "files": read["files"],  # for the manifest
        "written": (xdoc["events"], *xdoc["files"]) | "EventFiles" >> beam.Flatten(),
    }
    paths = tables | "WriteTables" >> WriteTables(staging, run_id, manifest.new_seq())

    replaced = increment.replaced if increment else None
    extra = dict(info or {})
    if increment:
        extra.update(skipped_unchanged=increment.skipped, replaced_inputs=len(increment.replaced))
    if progress:
        _ = {"documents": extracted["documents"], "errors": errors} | "Progress" >> ShowProgress(
            run_id, progress
        )
    publish = {
        "paths": paths,
        "inputs_read": read["raw"],
        "read_errors": read["read_errors"],
        "documents": extracted["documents"],
        "errors": errors,
        "timeline": xdoc["timeline"],
    }
    if increment:
        publish["superseded"] = xdoc["superseded"] | "Superseded" >> beam.Flatten()
    return publish | "Publish" >> Publish(output, run_id, replaced, extra, base, keep, allow_empty)
