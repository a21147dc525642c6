"""Infer a document anchor (DCT) from the text of a page that states no publication date.

A reader of an undated page dates it by its date stamps: a dateline ("WASHINGTON, March 3,
2005 -"), a "Published November 18, 2019" line, the date printed over the story. News prose
itself writes the year of a date only when it is NOT the current one ("killed on Aug. 7, 1998"
in a 1999 story; "notes due March 1, 2011"), so a full date inside a sentence is history or a
plan, never evidence of the day of writing (measured: in TimeBank + AQUAINT with the DCT
removed, 2 of 26 such dates carry the publication year; the stamps of the shared web pages, 18
of 18). :func:`infer_anchor` works on the mentions the tagger found WITHOUT an anchor (so every
calendar value it sees was written out in full, never computed from a guess):

* evidence is a DATE/TIME mention whose value is a full day (``YYYY-MM-DD``), whose text spells
  its year, and that stands as a stamp: nothing word-like before it on its line (line start or
  punctuation: "WASHINGTON, March 3, 2005", "| Nov. 18, 2019") or a label word (STAMP_WORDS);
* evidence inside a quotation or in a future-tense clause is not used;
* a stamp within the first DATELINE_CHARS of the body is the dateline: the anchor;
* else the stamp date written most often (ties: the earliest, since later stamps are updates
  and comments) is the anchor.

With no such evidence no anchor is returned, with a reason code (REASONS) that the date stage
counts as a Beam metric (``anchor_not_inferred_<reason>``): wrong inference is worse than none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# A full date this close (characters) to the start of the body is a dateline.
DATELINE_CHARS = 200
_DAY_VALUE = re.compile(r"^(\d{4})-\d\d-\d\d")
_YEAR_VALUE = re.compile(r"^(\d{4})")
_QUOTES = ('"', "\u201c", "\u201d", "``", "''")

REASONS = ("no_full_date", "only_sentence_dates", "only_quoted_or_future")
# Label words that make a full date after them a stamp ("published Nov. 18, 2019").
STAMP_WORDS = frozenset({"published", "posted", "updated", "dated", "modified", "created"})
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[ \t]*:?[ \t]*$")


@dataclass(frozen=True)
class Inferred:
    """The anchor inferred from a page, or None with the reason it was left null."""

    date: dt.date | None
    evidence: tuple[int, int] | None  # code-point offsets of the evidence mention
    reason: str  # "dateline", "stamp", or one of REASONS


def _in_quotation(text: str, start: int) -> bool:
    """An odd number of quote marks between the paragraph start and ``start``."""
    para = text.rfind("\n\n", 0, start) + 1
    segment = text[para:start]
    opened = segment.count("\u201c") - segment.count("\u201d")
    if opened > 0:
        return True
    plain = segment.count('"') + segment.count("``") - segment.count("''")
    return plain % 2 == 1 if "``" not in segment else plain > 0


def _spelled_year(mention) -> int | None:
    m = _YEAR_VALUE.match(mention.value)
    if m is None or m[1] not in mention.text:
        return None
    return int(m[1])


def _is_stamp(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip(" \t")
    if not before or not before[-1].isalnum():
        return True
    m = _WORD_BEFORE.search(before)
    return m is not None and m.group(1).lower() in STAMP_WORDS


def infer_anchor(text: str, body_spans: Sequence[tuple[int, int]], mentions: Sequence) -> Inferred:
    """The anchor of an undated page from its mentions tagged with no anchor.

    ``mentions`` are temporal.DateMention (offsets into ``text``); ``body_spans`` the kept body.
    """
    body_start = body_spans[0][0] if body_spans else 0
    stamps = []  # (date, mention)
    reason = "no_full_date"
    for mention in mentions:
        if mention.timex_type not in ("DATE", "TIME") or not _DAY_VALUE.match(mention.value):
            continue
        if _spelled_year(mention) is None:
            continue
        if mention.tense == "future" or _in_quotation(text, mention.start):
            reason = "only_quoted_or_future" if reason == "no_full_date" else reason
            continue
        if not _is_stamp(text, mention.start):
            reason = "only_sentence_dates"
            continue
        stamps.append((dt.date.fromisoformat(mention.value[:10]), mention))
    if not stamps:
        return Inferred(None, None, reason)
    first_day, first = stamps[0]
    if first.start - body_start <= DATELINE_CHARS:
        return Inferred(first_day, (first.start, first.end), "dateline")
    counts = Counter(day for day, _ in stamps)
    best = min(counts, key=lambda day: (-counts[day], day))
    mention = next(m for day, m in stamps if day == best)
    return Inferred(best, (mention.start, mention.end), "stamp")


def tag_document(tagger, text: str, spans: Sequence[tuple[int, int]], anchor: dt.date | None):
    """Tag a document; with no anchor, infer one (:func:`infer_anchor`) and tag again with it.

    Returns ``(mentions, rejected, inferred)``; ``inferred`` is None when an anchor was given.
    Undated pages are tagged twice (the first pass finds the evidence); dated ones once.
    """
    mentions, rejected = tagger.tag(text, anchor, spans)
    if anchor is not None:
        return mentions, rejected, None
    inferred = infer_anchor(text, spans, mentions)
    if inferred.date is not None:
        mentions, rejected = tagger.tag(text, inferred.date, spans)
    return mentions, rejected, inferred
