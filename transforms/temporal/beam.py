"""The Beam side of the date stage: (Doc, Split) -> Dated, every date expression of the body
tagged and normalized against the document's anchor (DCT).

`TagDates` is the stage's composite. The pure work is in transforms/temporal/tagger.py; the
anchor comes from transforms/text/pubdate.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, NamedTuple

import apache_beam as beam

from transforms.deadletter import ERRORS, CountingDoFn, error_from_exception, route_error
from transforms.records import Doc
from transforms.temporal.anchor import tag_document
from transforms.temporal.tagger import TOO_MANY_DATES
from transforms.text.pubdate import Anchor, choose_anchor, inferred_anchor

DATED = "dated"


class Dated(NamedTuple):
    """One document after the date stage: the split document, its anchor and publication date
    (`published_source`: prefix | field | text | none) and its date mentions in text order."""

    doc: Any  # records.Doc
    split: Any  # boilerplate.splitter.Split
    anchor: Anchor
    published: dt.date | None
    published_source: str
    mentions: list  # temporal.tagger.DateMention


def capped(doc: Doc, rejected: list) -> Doc:
    """The document, with the note ``too_many_dates`` when the tagger stopped at
    limits.MAX_DATES_PER_DOC (its later dates are not tagged: documents.notes says so)."""
    if any(item.reason == TOO_MANY_DATES for item in rejected):
        return dataclasses.replace(doc, notes=(*doc.notes, TOO_MANY_DATES))
    return doc


class TagDatesFn(CountingDoFn):
    """(Doc, Split) -> Dated. Counters: ``dates_rejected_<reason>`` per rejected candidate;
    for an undated page ``anchor_inferred_<dateline|stamp>`` or ``anchor_not_inferred_<reason>``
    (transforms/temporal/anchor.py).

    A document the tagger fails on becomes an error row (stage ``dates``, reason
    ``exception``). The compiled grammar is built once per DoFn instance in setup()."""

    def setup(self):
        """Compile the date grammar (a few hundred ms): once per worker, not per document."""
        from transforms.temporal.tagger import DateTagger

        self.tagger = DateTagger()

    def process(self, element):
        """Tag the body spans of one split document."""
        doc, split = element
        try:
            anchor, published, published_source = choose_anchor(doc, split.published)
            mentions, rejected, inferred = tag_document(
                self.tagger, doc.text, split.body_spans, anchor.date
            )
            if inferred is not None:
                anchor = inferred_anchor(anchor, inferred)
        except Exception as exc:  # noqa: BLE001 - dead letter: one document, not the run
            yield route_error(error_from_exception(doc.source, "dates", exc))
            return
        if inferred is not None:  # an undated page: anchor inferred, or why not
            outcome = "anchor_inferred_" if inferred.date else "anchor_not_inferred_"
            self.counts.add(outcome + inferred.reason)
        self.counts.add_reasons("dates_rejected_", (item.reason for item in rejected))
        yield Dated(capped(doc, rejected), split, anchor, published, published_source, mentions)


class TagDates(beam.PTransform):
    """(Doc, Split) pairs -> ``{"dated": Dated, "errors": error rows}``."""

    def expand(self, split_docs):
        """One ParDo of TagDatesFn."""
        dated = split_docs | "Tag" >> beam.ParDo(TagDatesFn()).with_outputs(ERRORS, main=DATED)
        return {DATED: dated[DATED], ERRORS: dated[ERRORS]}
