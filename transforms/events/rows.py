"""From a split document and its date mentions to output rows: one event per dated sentence
mention, one document row. Pure functions; no Beam here.

Each event row says what the date anchors (transforms/events/extract.py): the trigger, its
event_class, the actors of its clause, the tense (the trigger's verb group, else the date
stage's clause tense: transforms/events/tense.py) and whether the
date anchors an event at all (`date_role`, with `role_reason` when it does not).

Which mentions become events: calendar positions only (TIMEX3 type DATE or TIME) whose value
places them on the calendar (`date_start` known) or names a year-less day or month
(`XXXX-07-07`, `XXXX-07`). Every other mention is kept in `documents.timexes` and counted under
a reason code (REJECT_REASONS).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence

from transforms import native
from transforms.boilerplate.splitter import Removed
from transforms.events import role, tense
from transforms.events.actors import ACTOR_BOUNDARY
from transforms.events.extract import TENSES, EventExtractor
from transforms.records import Doc, event_id
from transforms.temporal.tagger import DateMention
from transforms.text import sentences
from transforms.text.pubdate import Anchor
from transforms.text.sentences import LazySentenceIndex

# the compiled document_row (None: the Python one), chosen once at import
_NATIVE_DOCUMENT_ROW = getattr(native.load("eventrows"), "document_row", None)
YEARLESS_RE = re.compile(r"^XXXX-\d{2}(-\d{2})?$")

# Why a mention did not become an event. Counted as Beam metrics `events_skipped_<reason>`.
REJECT_REASONS = ("duration", "set", "not_on_calendar", "no_sentence")


def skip_reason(mention) -> str | None:
    """None when the mention is an event; else the reason code it is not."""
    if mention.timex_type == "DURATION":
        return "duration"
    if mention.timex_type == "SET":
        return "set"
    if mention.date_start is None and not YEARLESS_RE.match(mention.value):
        return "not_on_calendar"
    return None


def event_rows(
    doc: Doc,
    anchor: Anchor,
    published: dt.date | None,
    body_spans: Sequence[tuple[int, int]],
    mentions: Iterable,
    extractor: EventExtractor | None = None,
) -> tuple[list[dict], dict[str, int]]:
    """Event rows for the mentions that are events, and counts of the skipped ones by reason.

    ``extractor`` holds the word tables (build it once per worker); None builds one (slow:
    about 0.4 s; for one-off calls). With the compiled accelerator the whole call is
    ``extractor.native_rows`` (:func:`native_rows`), which gives the same rows."""
    extractor = extractor or EventExtractor()
    if extractor.native_rows is not None:
        return extractor.native_rows(doc, anchor, published, body_spans, mentions)
    index = LazySentenceIndex(doc.text, body_spans)  # splits only the lines with dates
    parsed: dict = {}  # sentence span -> its tokens, shared by the sentence's dates
    texts: dict = {}  # sentence span -> its text as one paragraph (newlines as spaces)
    rows: list[dict] = []
    skipped: dict[str, int] = {}
    for mention in mentions:
        reason = skip_reason(mention)
        sentence = index.find(mention.start) if reason is None else None
        if reason is None and sentence is None:
            reason = "no_sentence"
        if reason is not None:
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        s_start, s_end = sentence
        sentence_text = texts.get(sentence)  # one string per sentence, shared by its dates
        if sentence_text is None:
            sentence_text = texts[sentence] = doc.text[s_start:s_end].replace("\n", " ")
        mention_id = event_id(doc.doc_id, mention.start, mention.end)
        rows.append(
            {
                "event_id": mention_id,  # the cross-document id will replace it (issue 18)
                "doc_id": doc.doc_id,
                "source": doc.source,
                "published": published,
                "anchor_date": anchor.date,
                "anchor_source": anchor.source,
                "date_text": mention.text,
                "char_start": mention.start,
                "char_end": mention.end,
                "timex_type": mention.timex_type,
                "timex_value": mention.value,
                "date_start": mention.date_start,
                "date_end": mention.date_end,
                "granularity": mention.granularity,
                "sentence": sentence_text,
                "sentence_start": s_start,
                "sentence_end": s_end,
                "rule": mention.rule,
                "mention_id": mention_id,
                **extractor.annotate(doc.text, sentence, mention, parsed),
                "timex_mod": mention.mod,
            }
        )
    return rows, skipped


def native_rows(extractor: EventExtractor, module) -> Callable | None:
    """:func:`event_rows` with ``extractor`` bound, from the compiled accelerator ``module``
    (``transforms.native.load("eventrows")``) over the extractor's compiled tokeniser, picker,
    trigger and actors; None when any of them is missing. The constants, word lists and
    regular expressions it reads are passed from here, their one definition."""
    fast = extractor.native_mentions
    if module is None or fast is None or extractor.native_analyse is None:
        return None
    if extractor.native_pick is None or extractor.native_actors is None:
        return None
    parts = {
        "lex": extractor.lex,
        "analyse": extractor.native_analyse,
        "pick": extractor.native_pick,
        "trigger_parts": fast.parts_of,
        "comparison": fast.comparison,
        "actors": extractor.native_actors,
        "tenses": TENSES,
        "aux_tense": tense.AUX_TENSE,
        "max_group": tense.MAX_GROUP,
        "yearless_re": YEARLESS_RE,
        "lazy_index": LazySentenceIndex,
        "blake2b": hashlib.blake2b,
        "mention_type": DateMention,
        "abbreviations": sentences.ABBREVIATIONS,
        "actor_boundary": ACTOR_BOUNDARY,
        **role.native_patterns(),
        "max_short_line": role.MAX_SHORT_LINE,
        "date_share_of_line": role.DATE_SHARE_OF_LINE,
    }
    return module.Rows(parts).rows


def document_row(
    doc: Doc,
    split,
    anchor: Anchor,
    published: dt.date | None,
    published_source: str,
    mentions: Sequence,
    n_events: int,
) -> dict:
    """The documents-table row: body as spans and text, removed pieces with their reasons.
    With the compiled accelerator, its compiled copy (transforms/native/_eventrows.pyx)."""
    if _NATIVE_DOCUMENT_ROW is not None:
        return _NATIVE_DOCUMENT_ROW(
            doc, split, anchor, published, published_source, mentions, n_events,
            DateMention, Removed,
        )  # fmt: skip
    return document_row_reference(
        doc, split, anchor, published, published_source, mentions, n_events
    )


def document_row_reference(
    doc: Doc,
    split,
    anchor: Anchor,
    published: dt.date | None,
    published_source: str,
    mentions: Sequence,
    n_events: int,
) -> dict:
    """:func:`document_row` in Python: the reference."""
    text = doc.text
    removed = [
        {"start": r.start, "end": r.end, "text": r.text, "reason": r.reason, "region": r.region}
        for r in split.removed
    ]
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "published": published,
        "published_source": published_source,
        "anchor_date": anchor.date,
        "anchor_source": anchor.source,
        "title": split.title,
        "body": "\n".join(text[s:e] for s, e in split.body_spans),
        "body_spans": [{"start": s, "end": e} for s, e in split.body_spans],
        "header": "\n".join(r.text for r in split.removed if r.region == "header"),
        "footer": "\n".join(r.text for r in split.removed if r.region == "footer"),
        "removed": removed,
        "timexes": [
            {
                "char_start": m.start,
                "char_end": m.end,
                "text": m.text,
                "timex_type": m.timex_type,
                "value": m.value,
                "mod": m.mod,
            }
            for m in mentions
        ],
        "n_chars": len(text),
        "n_events": n_events,
        "encoding": doc.encoding,
        "prefix_len": doc.prefix_len,
        "body_flag": split.body_flag,
        "anchor_evidence_start": anchor.evidence[0] if anchor.evidence else None,
        "anchor_evidence_end": anchor.evidence[1] if anchor.evidence else None,
        "notes": list(doc.notes),
    }
