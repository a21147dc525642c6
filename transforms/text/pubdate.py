"""Publication dates: where a document's date comes from, and the anchor (DCT) it gives.

A document's publication date comes, in this order of trust, from
1. the ` date YYYY-MM-DD ` prefix of the file (``published_source`` ``prefix``),
2. the date field of a JSON Lines record (``field``),
3. a date stated in the page's header, found by the splitter (``text``);
and is otherwise unknown (``none``). The anchor (TimeML's document creation time, DCT) that
relative expressions ("on Tuesday", "last year") are resolved against is that date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from transforms.records import Doc

# ` date YYYY-MM-DD ` at the very start of the file, directly followed by the page text.
PREFIX_RE = re.compile(r"^ date (\S{1,20}) ")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

# Publication dates outside this range are misreadings (or archive pages about history).
MIN_YEAR, MAX_YEAR = 1980, 2035

# --- dates stated in a page's header (the splitter picks the line: boilerplate/header.py) ---

_MONTHS = {
    # en
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # pt / es
    "janeiro": 1, "fevereiro": 2, "março": 3, "abril": 4, "maio": 5, "junho": 6, "julho": 7,
    "agosto": 8, "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "mayo": 5, "junio": 6, "julio": 7,
    "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    # de
    "januar": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12,
    # fr
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    # id
    "januari": 1, "februari": 2, "maret": 3, "mei": 5, "agustus": 8, "desember": 12,
}  # fmt: skip
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR = r"((?:19|20)\d\d)"
_DATE_PATTERNS = (
    # 2019-11-18, 2019/11/18, 2019.11.18
    ("ymd", re.compile(_YEAR + r"[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")),
    # 2019년 11월 18일, 2019年11月18日
    ("ymd", re.compile(_YEAR + r"\s*[년年]\s*(\d{1,2})\s*[월月]\s*(\d{1,2})\s*[일日]")),
    # November 18, 2019 / Nov. 18 2019
    ("mdy", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}", re.I)),
    # 18 November 2019 / 18. November 2019 / 18 de novembro de 2019
    (
        "dmy",
        re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?({_MONTH_RE})\.?,?\s+(?:de\s+)?{_YEAR}",
            re.I,
        ),
    ),
    # 18.11.2019
    ("dmy_num", re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?!\d)")),
)
_HAS_YEAR = re.compile(_YEAR)


def may_hold_year(text: str) -> bool:
    """False when text holds no "19" or "20", so no year of _YEAR (nor of stated.py's year in
    a line, which also begins with 19 or 20): str's substring search before a year expression
    whose look-behind or group leaves the engine no literal prefix to skip ahead with (about
    six times faster on the bench pages' lines without a year)."""
    return "19" in text or "20" in text


def find_date(text: str) -> tuple[dt.date, int, int] | None:
    """The first calendar date (with a year) in text, with its span in text."""
    if not may_hold_year(text) or not _HAS_YEAR.search(text):
        return None  # every pattern has a four-digit year (19.. or 20..): most lines stop here
    best: tuple[dt.date, int, int] | None = None
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            date = _to_date(kind, m.groups())
            if date is not None and (best is None or m.start() < best[1]):
                best = (date, m.start(), m.end())
                break
    return best


def _to_date(kind: str, groups: Sequence[str]) -> dt.date | None:
    try:
        if kind == "ymd":
            y, mo, d = int(groups[0]), int(groups[1]), int(groups[2])
        elif kind == "mdy":
            mo, d, y = _MONTHS[groups[0].lower()], int(groups[1]), int(groups[2])
        elif kind == "dmy":
            d, mo, y = int(groups[0]), _MONTHS[groups[1].lower()], int(groups[2])
        else:
            d, mo, y = int(groups[0]), int(groups[1]), int(groups[2])
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None
        return dt.date(y, mo, d)
    except (ValueError, KeyError):
        return None


# --- the file prefix and the JSON Lines field ---


def parse_prefix(text: str) -> tuple[int, dt.date | None, str | None]:
    """(prefix length, publication date, problem) of a ` date YYYY-MM-DD ` prefix.

    A malformed prefix (` date 2020-13-45 `) is still a prefix: its length is kept out of the
    body, the date is unknown (the splitter may still find one in the page) and the document
    carries the note `bad_prefix`, counted in the run summary.
    """
    match = PREFIX_RE.match(text)
    if not match:
        return 0, None, None
    iso = ISO_DATE_RE.match(match.group(1))
    if not iso:
        return match.end(), None, "bad_prefix"
    try:
        return match.end(), dt.date(*map(int, iso.groups())), None
    except ValueError:
        return match.end(), None, "bad_prefix"


def field_date(value: str) -> dt.date | None:
    """The date of a JSON Lines date field (ISO ``YYYY-MM-DD``, anything after the first 10
    characters ignored, e.g. a time), or None when it is not one."""
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


# --- the anchor ---


@dataclass(frozen=True)
class Anchor:
    """The date relative expressions are resolved against, and where it came from."""

    date: dt.date | None
    source: str  # prefix | field | text | inferred | none
    # Offsets of the text the anchor was inferred from (anchor_source "inferred"), else None.
    evidence: tuple[int, int] | None = None


def inferred_anchor(anchor: Anchor, inferred) -> Anchor:
    """The anchor after inference (temporal.anchor.Inferred: date, evidence): unchanged when
    none was found."""
    if inferred.date is None:
        return anchor
    return Anchor(inferred.date, "inferred", inferred.evidence)


def choose_anchor(doc: Doc, text_published: dt.date | None) -> tuple[Anchor, dt.date | None, str]:
    """(anchor, published, published_source): the prefix wins; else a date stated in the page."""
    if doc.published is not None:
        return Anchor(doc.published, doc.published_source), doc.published, doc.published_source
    if text_published is not None:
        return Anchor(text_published, "text"), text_published, "text"
    return Anchor(None, "none"), None, "none"
