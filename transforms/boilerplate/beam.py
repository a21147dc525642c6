"""The Beam side of the boilerplate stage: Docs -> (Doc, Split), removed lines counted by reason.

`SplitBoilerplate` is the stage's composite; `CountTemplateLines` makes the optional corpus
line counts (``--corpus_line_counts true``) it takes as a side input. The pure work is in
transforms/boilerplate/splitter.py.
"""

from __future__ import annotations

import apache_beam as beam

from transforms.boilerplate import splitter
from transforms.boilerplate.linecounts import LineCounts, doc_line_keys
from transforms.deadletter import ERRORS, CountingDoFn, error_from_exception, route_error
from transforms.limits import MEMO_MAX_LINES

SPLIT = "split"


class LineCountsFn(beam.CombineFn):
    """Combine (doc_id, line keys) pairs of all documents into one bounded LineCounts.

    Output: ``{"n_docs": int, "repeated": {line_key: number of documents}}``, the lines seen
    in several documents (bounded by the caps of transforms/limits.py)."""

    def create_accumulator(self) -> LineCounts:
        """An empty LineCounts."""
        return LineCounts()

    def add_input(self, accumulator: LineCounts, element: tuple[str, set]) -> LineCounts:
        """Add one document's (doc_id, set of line keys); a doc_id counts once."""
        doc_id, keys = element
        return accumulator.add_doc(keys, doc_id)

    def merge_accumulators(self, accumulators) -> LineCounts:
        """Merge partial counts into the first one."""
        accumulators = iter(accumulators)
        first = next(accumulators)
        for other in accumulators:
            first.merge(other)
        return first

    def extract_output(self, accumulator: LineCounts) -> dict:
        """``{"n_docs": int, "repeated": {line_key: documents}}``."""
        return {"n_docs": accumulator.n_docs, "repeated": accumulator.repeated()}


class CountTemplateLines(beam.PTransform):
    """Docs -> one dict {n_docs, repeated: {line_key: documents}} for the splitter."""

    def expand(self, docs):
        """Line keys of every document, combined globally into one LineCounts dict."""
        return (
            docs
            | "LineKeys"
            >> beam.Map(
                lambda d: (d.doc_id, doc_line_keys(d.text, d.prefix_len, splitter.line_key))
            )
            | "CountLines" >> beam.CombineGlobally(LineCountsFn())
        )


class SplitFn(CountingDoFn):
    """Doc -> (Doc, Split): the body found, removed pieces kept with reasons.

    Counters: ``lines_removed_<reason>`` per removed piece, ``lines_kept`` per body span,
    ``body_flag_<flag>`` per document whose body looks lost (Split.body_flag). A
    document the splitter fails on becomes an error row (stage ``split``, reason
    ``exception``)."""

    def setup(self):
        """Compile the splitter's vocabulary once per DoFn instance, before the first document;
        its line memo then serves every page this instance splits."""
        self.splitter = splitter.Splitter(memo_lines=MEMO_MAX_LINES)

    def process(self, doc, corpus=None):
        """Split one Doc; `corpus` is CountTemplateLines' dict (a side input) or None."""
        repeated = corpus["repeated"] if corpus else None
        n_docs = corpus["n_docs"] if corpus else 1
        try:
            split = self.splitter.split(doc.text, doc.prefix_len, repeated, n_docs)
        except Exception as exc:  # noqa: BLE001 - dead letter: one document, not the run
            yield route_error(error_from_exception(doc.source, "split", exc))
            return
        self.counts.add_reasons("lines_removed_", (piece.reason for piece in split.removed))
        self.counts.add("lines_kept", len(split.body_spans))
        if split.body_flag is not None:
            self.counts.add(f"body_flag_{split.body_flag}")
        yield doc, split


class SplitBoilerplate(beam.PTransform):
    """Docs -> ``{"split": (Doc, Split) pairs, "errors": error rows}``.

    `corpus`: optional PCollection of one CountTemplateLines dict; with it, lines repeated on
    many pages of the input count as template text.
    """

    def __init__(self, corpus=None):
        super().__init__()
        self.corpus = corpus

    def expand(self, docs):
        """One ParDo of SplitFn, with the corpus counts as a singleton side input."""
        corpus = beam.pvalue.AsSingleton(self.corpus) if self.corpus is not None else None
        split = docs | "Split" >> beam.ParDo(SplitFn(), corpus=corpus).with_outputs(
            ERRORS, main=SPLIT
        )
        return {SPLIT: split[SPLIT], ERRORS: split[ERRORS]}
