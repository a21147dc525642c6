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

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from transforms.records import ErrorRow

ERRORS = "errors"  # the tagged output of error rows, on every DoFn that can drop an element
NAMESPACE = "newsline"  # the Beam metrics namespace of every counter of the job


class BundleCounts:
    """Counter increments summed in memory and added to the Beam counters once per bundle.

    An increment of a Beam counter costs about 1.6 us and the job made about 17.6 of them per
    document (issue 14); a dict addition costs a tenth of that. `flush` adds each total to the
    counter of the same name (namespace `NAMESPACE`), so the counters' names and totals are
    those of `count` called for every increment, including counters incremented by 0. A bundle
    that fails is retried with its counts discarded, as Beam discards its metrics.
    """

    __slots__ = ("totals",)

    def __init__(self) -> None:
        self.totals: dict[str, int] = {}

    def add(self, name: str, n: int = 1) -> None:
        """Add n to the total of counter `name`."""
        self.totals[name] = self.totals.get(name, 0) + n

    def add_reasons(self, prefix: str, reasons: Iterable[str]) -> None:
        """Count each reason code of `reasons` (one per dropped item) as ``<prefix><reason>``."""
        totals = self.totals
        for reason in reasons:
            name = prefix + reason
            totals[name] = totals.get(name, 0) + 1

    def flush(self) -> None:
        """Add every total to its Beam counter and start again from nothing."""
        totals, self.totals = self.totals, {}
        for name, n in totals.items():
            count(name, n)


class CountingDoFn(beam.DoFn):
    """A DoFn whose counters are summed per bundle: ``self.counts`` (a `BundleCounts`) is new at
    each bundle's start and flushed to Beam's counters at its end. A subclass that overrides
    `start_bundle` or `finish_bundle` calls the base's."""

    def start_bundle(self):
        """No counts yet."""
        self.counts = BundleCounts()

    def finish_bundle(self):
        """Add the bundle's counts to the Beam counters."""
        self.counts.flush()


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
