"""A document's text rebuilt from what the output stores, for the report's document view.

The `documents` table keeps the body lines (`body`, joined with `\\n`, and `body_spans`, their
offsets in the file text), every removed piece (`removed`: offsets, text, reason, region) and
every temporal expression of the body (`timexes`). Laid out by offset they give the page back,
except the whitespace between lines, which is not stored: each gap is shown as one line break.
The ` date YYYY-MM-DD ` prefix is rebuilt from `published` when its length matches
`prefix_len`.

Nothing here produces HTML: the template escapes every piece of text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

DOC_COLUMNS = [
    "doc_id",
    "source",
    "published",
    "published_source",
    "anchor_date",
    "anchor_source",
    "title",
    "body",
    "body_spans",
    "removed",
    "timexes",
    "n_chars",
    "n_events",
    "prefix_len",
]


@dataclass
class Segment:
    """One stretch of the page: a body line, a removed piece, or the date prefix.

    pieces: (kind, text, info) with kind `text`, `timex` (info: {"value", "type", "mod",
    "event"}) or `trigger` (info: {"class"})."""

    start: int
    end: int
    region: str  # body | header | footer | inner | prefix
    reason: str = ""
    pieces: list[tuple[str, str, dict]] = field(default_factory=list)
    gap_before: bool = False


@dataclass
class DocView:
    """What the document view shows for one document."""

    doc_id: str
    source: str
    title: str
    meta: list[tuple[str, str]]
    segments: list[Segment]
    note: str = ""


def build(row: dict, events: list[dict] | None = None) -> DocView:
    """The view of one `documents` row; `events` are its `events` rows (for triggers and to mark
    which date expressions became events). Raises nothing: an inconsistent row (body lines that
    do not match their spans) is shown as stored, without highlights, with a note."""
    events = events or []
    event_dates = {(e.get("char_start"), e.get("char_end")) for e in events}
    timexes = [
        (
            t["char_start"],
            t["char_end"],
            "timex",
            {
                "value": t.get("value") or "",
                "type": t.get("timex_type") or "",
                "mod": t.get("mod") or "",
                "event": (t["char_start"], t["char_end"]) in event_dates,
            },
        )
        for t in row.get("timexes") or []
    ]
    triggers = [
        (e["trigger_start"], e["trigger_end"], "trigger", {"class": e.get("event_class") or ""})
        for e in events
        if e.get("trigger_start") is not None and e.get("trigger_end") is not None
    ]
    marks = sorted(set_unique(timexes + triggers), key=lambda m: (m[0], -m[1]))
    segments, note = _segments(row)
    for seg in segments:
        if seg.region == "body":
            seg.pieces = _pieces(seg.pieces[0][1], seg.start, marks)
    return DocView(
        doc_id=row.get("doc_id") or "",
        source=row.get("source") or "",
        title=row.get("title") or "",
        meta=_meta(row),
        segments=segments,
        note=note,
    )


def set_unique(marks: list[tuple]) -> list[tuple]:
    """Drop exact duplicates (the same trigger anchored by two dates), keeping the first."""
    seen, out = set(), []
    for m in marks:
        key = (m[0], m[1], m[2])
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _segments(row: dict) -> tuple[list[Segment], str]:
    segments: list[Segment] = []
    note = ""
    lines = (row.get("body") or "").split("\n")
    spans = row.get("body_spans") or []
    if len(lines) == len(spans) and all(
        len(line) == s["end"] - s["start"] for line, s in zip(lines, spans, strict=True)
    ):
        for line, s in zip(lines, spans, strict=True):
            segments.append(Segment(s["start"], s["end"], "body", pieces=[("text", line, {})]))
    else:
        note = "body lines do not match their stored offsets: shown as stored, no highlights"
        start = spans[0]["start"] if spans else 0
        body = row.get("body") or ""
        segments.append(Segment(start, start + len(body), "body", pieces=[("text", body, {})]))
    for piece in row.get("removed") or []:
        segments.append(
            Segment(
                piece["start"],
                piece["end"],
                piece.get("region") or "removed",
                piece.get("reason") or "",
                [("text", piece.get("text") or "", {})],
            )
        )
    prefix = _prefix(row)
    if prefix:
        segments.append(Segment(0, len(prefix), "prefix", "date prefix", [("text", prefix, {})]))
    segments.sort(key=lambda s: (s.start, s.end))
    kept: list[Segment] = []
    for seg in segments:
        if kept and seg.start < kept[-1].end:
            continue  # overlapping pieces: the first one wins (never expected)
        seg.gap_before = bool(kept) and seg.start > kept[-1].end
        kept.append(seg)
    return kept, note


def _prefix(row: dict) -> str:
    size = row.get("prefix_len") or 0
    if not size:
        return ""
    published = row.get("published")
    text = f" date {published.isoformat()} " if isinstance(published, dt.date) else ""
    return text if len(text) == size else f"[date prefix, {size} characters]"


def _pieces(line: str, offset: int, marks: list[tuple]) -> list[tuple[str, str, dict]]:
    """Split one body line (starting at file offset `offset`) at the marks that lie inside it.

    Marks that overlap an earlier mark are left out (tags cannot cross)."""
    pieces: list[tuple[str, str, dict]] = []
    pos = 0
    end_of_line = len(line)
    for start, end, kind, info in marks:
        a, b = start - offset, end - offset
        if a < pos or b > end_of_line or a >= b:
            continue
        if a > pos:
            pieces.append(("text", line[pos:a], {}))
        pieces.append((kind, line[a:b], info))
        pos = b
    if pos < end_of_line:
        pieces.append(("text", line[pos:], {}))
    return pieces


def _meta(row: dict) -> list[tuple[str, str]]:
    def show(value) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value or "")

    meta = [
        ("doc_id", show(row.get("doc_id"))),
        ("source", show(row.get("source"))),
        ("published", f"{show(row.get('published')) or '—'} ({show(row.get('published_source'))})"),
        ("anchor", f"{show(row.get('anchor_date')) or '—'} ({show(row.get('anchor_source'))})"),
        ("characters", show(row.get("n_chars"))),
        ("events", show(row.get("n_events"))),
    ]
    return [(k, v) for k, v in meta if v]
