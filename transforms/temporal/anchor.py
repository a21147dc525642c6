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
  and comments) is the anchor;
* with no stamp, a day written with its weekday but no year ("Monday, Oct. 26", "Friday
  Oct. 13") fixes the year to a few in each 28-year cycle; when exactly one of them lies in
  the window ``[latest, latest + WEEKDAY_YEAR_WINDOW]`` after the latest year the page writes
  out (not quoted, not future), that day is the anchor (reason ``weekday_date``). A page that
  writes no year has no window and gets no anchor (``weekday_no_year_bound``).

Signals measured and NOT used (TimeBank + AQUAINT without the DCT, 256 documents; shared
boilerplate pages, 93): the latest year the text writes out is the DCT year in 7 of 84 TimeML
documents that write one (17 of 61 pages); with a full date of that year and a second mention
of it, 0 of 2 (6 of 6 pages): sentence dates and bare years are history or plans, so no
year-only anchor is inferred from them.

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

REASONS = (
    "no_full_date",
    "only_sentence_dates",
    "only_quoted_or_future",
    "weekday_no_year_bound",
    "weekday_ambiguous",
)
# Years after the latest year a page writes out in which its weekday-dated day may fall: an
# article is rarely written more than this many years after the latest year it names. Chosen
# by cross-validation in eval/dates_anchor.py (weekday_window_cv, printed by make eval-dates):
# on TimeBank + AQUAINT without the DCT and the shared pages, windows 4 to 14 give the most
# anchors at year precision >= 0.95; the median of that run is used.
WEEKDAY_YEAR_WINDOW = 9
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_YEARLESS_DAY = re.compile(r"^XXXX-(\d\d)-(\d\d)")
# Label words that make a full date after them a stamp ("published Nov. 18, 2019").
STAMP_WORDS = frozenset({"published", "posted", "updated", "dated", "modified", "created"})
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Inferred:
    """The anchor inferred from a page, or None with the reason it was left null."""

    date: dt.date | None
    evidence: tuple[int, int] | None  # code-point offsets of the evidence mention
    reason: str  # "dateline", "stamp", "weekday_date", or one of REASONS


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
    """Nothing word-like before ``start`` on its line, or a label word (STAMP_WORDS) right
    before it (spaces and tabs between; the line ends in a letter or digit there, so a colon
    after the label is not possible).

    The label is the run of ASCII letters that ends the line's text before ``start``, read
    backwards: a search for ``([A-Za-z]+)[ \t]*:?[ \t]*$`` over the whole line tried every
    letter of the line, which cost hundreds of microseconds on a long one (tests/
    test_temporal_anchor.py compares both)."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip(" \t")
    if not before or not before[-1].isalnum():
        return True
    i = len(before)
    while i and before[i - 1] in _ASCII_LETTERS:
        i -= 1
    return i < len(before) and before[i:].lower() in STAMP_WORDS


def infer_anchor(
    text: str,
    body_spans: Sequence[tuple[int, int]],
    mentions: Sequence,
    window: int = WEEKDAY_YEAR_WINDOW,
) -> Inferred:
    """The anchor of an undated page from its mentions tagged with no anchor.

    ``mentions`` are temporal.DateMention (offsets into ``text``); ``body_spans`` the kept body;
    ``window`` the weekday tier's year window (WEEKDAY_YEAR_WINDOW; the evaluation varies it).
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
        if reason == "no_full_date":
            return weekday_anchor(text, mentions, window)
        return Inferred(None, None, reason)
    first_day, first = stamps[0]
    if first.start - body_start <= DATELINE_CHARS:
        return Inferred(first_day, (first.start, first.end), "dateline")
    counts = Counter(day for day, _ in stamps)
    best = min(counts, key=lambda day: (-counts[day], day))
    mention = next(m for day, m in stamps if day == best)
    return Inferred(best, (mention.start, mention.end), "stamp")


def weekday_days(mention) -> list[tuple[int, int, int]]:
    """``(month, day, weekday)`` of a year-less day written with its weekday ("Monday, Oct. 26":
    ``[(10, 26, 0)]``), else ``[]``. Weekdays are 0 = Monday ... 6 = Sunday."""
    m = _YEARLESS_DAY.match(mention.value)
    if m is None:
        return []
    lower = mention.text.lower()
    days = [i for i, name in enumerate(_WEEKDAYS) if name in lower]
    return [(int(m[1]), int(m[2]), days[0])] if len(days) == 1 else []


def latest_written_year(text: str, mentions: Sequence) -> int | None:
    """The latest year the page writes out in a DATE/TIME mention outside quotations and
    future-tense clauses (a lower bound of the year of writing), or None."""
    years = [
        year
        for m in mentions
        if m.timex_type in ("DATE", "TIME")
        and m.tense != "future"
        and (year := _spelled_year(m)) is not None
        and not _in_quotation(text, m.start)
    ]
    return max(years, default=None)


def weekday_years(month: int, day: int, weekday: int, low: int, window: int) -> list[int]:
    """Years in ``[low, low + window]`` in which ``month``/``day`` falls on ``weekday``."""
    out = []
    for year in range(low, low + window + 1):
        try:
            if dt.date(year, month, day).weekday() == weekday:
                out.append(year)
        except ValueError:  # 29 February of a common year
            continue
    return out


def weekday_anchor(text: str, mentions: Sequence, window: int = WEEKDAY_YEAR_WINDOW) -> Inferred:
    """The anchor from a weekday-dated, year-less day (module docstring), or None with
    ``no_full_date`` (no such day), ``weekday_no_year_bound`` or ``weekday_ambiguous``."""
    dated = [(m, d) for m in mentions if not _in_quotation(text, m.start) for d in weekday_days(m)]
    if not dated:
        return Inferred(None, None, "no_full_date")
    low = latest_written_year(text, mentions)
    if low is None:
        return Inferred(None, None, "weekday_no_year_bound")
    found = {}
    for mention, (month, day, weekday) in dated:
        years = weekday_years(month, day, weekday, low, window)
        if len(years) == 1:
            found.setdefault(years[0], (dt.date(years[0], month, day), mention))
    if len(found) != 1:  # none, or two days that disagree on the year
        return Inferred(None, None, "weekday_ambiguous")
    day, mention = next(iter(found.values()))
    return Inferred(day, (mention.start, mention.end), "weekday_date")


def tag_document(tagger, text: str, spans: Sequence[tuple[int, int]], anchor: dt.date | None):
    """Tag a document; with no anchor, infer one (:func:`infer_anchor`) and tag again with it.

    Returns ``(mentions, rejected, inferred)``; ``inferred`` is None when an anchor was given.
    Undated pages are tagged twice (the first pass finds the evidence); dated ones once. The
    grammar's candidates do not depend on the anchor: both passes read one scan
    (DateTagger.scan_document).
    """
    scanned = tagger.scan_document(text, spans)
    mentions, rejected = tagger.tag(text, anchor, spans, scanned)
    if anchor is not None:
        return mentions, rejected, None
    inferred = infer_anchor(text, spans, mentions)
    if inferred.date is not None:
        mentions, rejected = tagger.tag(text, inferred.date, spans, scanned)
    return mentions, rejected, inferred
