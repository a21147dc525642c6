"""The Beam side of the event stage: Dated -> a documents row and the document's event rows.

`ExtractEvents` is the stage's composite. The pure work is in transforms/events/rows.py.
"""

from __future__ import annotations

import apache_beam as beam
from apache_beam import pvalue

from transforms.deadletter import ERRORS, CountingDoFn, error_from_exception, route_error
from transforms.events import rows as events

DOCUMENTS = "documents"
EVENTS = "events"


class ExtractEventsFn(CountingDoFn):
    """Dated -> a documents row (main) and the document's event rows as ONE list (`events`):
    one element per document instead of one per event saves Beam's per-element cost (about 15
    events per news page).

    Counters: ``events_skipped_<reason>``, ``documents_written``, ``events_written``,
    ``events_role_event`` and ``events_role_<reason>`` (date_role ``other`` by role_reason). A
    document that fails here becomes an error row (stage ``dates``, reason ``exception``)."""

    def setup(self):
        """Load the event word tables (about 0.4 s): once per worker, not per document."""
        from transforms.events.extract import EventExtractor

        self.extractor = EventExtractor()

    def process(self, dated):
        """Event rows and the documents row of one dated document."""
        doc, split = dated.doc, dated.split
        try:
            rows, skipped = events.event_rows(
                doc, dated.anchor, dated.published, split.body_spans, dated.mentions, self.extractor
            )
            doc_row = events.document_row(
                doc,
                split,
                dated.anchor,
                dated.published,
                dated.published_source,
                dated.mentions,
                len(rows),
            )
        except Exception as exc:  # noqa: BLE001 - dead letter: one document, not the run
            yield route_error(error_from_exception(doc.source, "dates", exc))
            return
        for reason, n in skipped.items():
            self.counts.add(f"events_skipped_{reason}", n)
        self.counts.add("documents_written")
        self.counts.add("events_written", len(rows))
        # date_role: event, or other with this reason
        self.counts.add_reasons("events_role_", (row["role_reason"] or "event" for row in rows))
        if rows:
            yield pvalue.TaggedOutput(EVENTS, rows)
        yield doc_row


class ExtractEvents(beam.PTransform):
    """Dated -> ``{"documents": rows, "events": lists of rows (one per document), "errors"}``."""

    def expand(self, dated):
        """One ParDo of ExtractEventsFn."""
        out = dated | "Extract" >> beam.ParDo(ExtractEventsFn()).with_outputs(
            EVENTS, ERRORS, main=DOCUMENTS
        )
        return {DOCUMENTS: out[DOCUMENTS], EVENTS: out[EVENTS], ERRORS: out[ERRORS]}
