"""Dead letters: the one convention every DoFn follows for what it cannot turn into output.

Nothing is lost and the job goes on: an input that cannot become a document, and a document a
stage fails on, become one row of the `errors` table (`records.ErrorRow`: source, stage,
reason, message) instead of failing the run. Every DoFn that can drop something therefore:

- has a tagged output named `ERRORS` (``.with_outputs(ERRORS, main=...)``) and sends error
  rows there through `route_error` (or `tag_error` when the caller counts itself);
- turns an unexpected exception of one element into a row with reason ``exception``
  (`error_from_exception`: the exception's last line is the message), catching ``Exception``
  only around the work for that one element;
- counts every error and every other thing it drops or fixes with a Beam counter in the
  namespace `NAMESPACE` (`count`), named ``<what>_<reason>``:

  ====================================  ==============================================
  ``errors_<stage>_<reason>``           error rows, by stage and reason
  ``lines_removed_<reason>``            lines the splitter removed (boilerplate REASONS)
  ``dates_rejected_<reason>``           date candidates the tagger rejected
  ``events_skipped_<reason>``           date mentions that are not events
  ``decode_note_<note>``                documents read with a fix (kept)
  ====================================  ==============================================

Stages (``ErrorRow.stage``): ``match`` (a pattern named nothing), ``read`` (file, archive
member, JSONL record), ``decode``, ``split``, ``dates``. Each stage's reason codes are listed
with the code that raises them (e.g. `transforms.ingest.streams.error_reason`). The run ends
with the reconciliation inputs = documents + errors (`transforms.output.beam.Publish`), so a
lost element fails the publish instead of passing unnoticed.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable

from apache_beam import pvalue
from apache_beam.metrics import Metrics

from transforms.records import ErrorRow

ERRORS = "errors"  # the tagged output of error rows, on every DoFn that can drop an element
NAMESPACE = "newsline"  # the Beam metrics namespace of every counter of the job


def count(name: str, n: int = 1) -> None:
    """Add n to the job's Beam counter `name` (namespace `NAMESPACE`)."""
    Metrics.counter(NAMESPACE, name).inc(n)


def count_reasons(prefix: str, reasons: Iterable[str]) -> None:
    """Count each reason code of `reasons` (one per dropped item) as ``<prefix><reason>``."""
    totals: dict[str, int] = {}
    for reason in reasons:
        totals[reason] = totals.get(reason, 0) + 1
    for reason, n in totals.items():
        count(prefix + reason, n)


def error_from_exception(source: str, stage: str, exc: BaseException) -> ErrorRow:
    """The error row of an unexpected exception: reason ``exception``, the exception's last
    line (type and message, no traceback) as the message."""
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return ErrorRow(source, stage, "exception", last)


def tag_error(error: ErrorRow) -> pvalue.TaggedOutput:
    """The error row as an element of the `ERRORS` output, without counting it."""
    return pvalue.TaggedOutput(ERRORS, error.as_row())


def route_error(error: ErrorRow) -> pvalue.TaggedOutput:
    """Count the error (``errors_<stage>_<reason>``) and return it for the `ERRORS` output."""
    count(f"errors_{error.stage}_{error.reason}")
    return tag_error(error)
