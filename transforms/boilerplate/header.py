"""Header reading for the splitter: the headline (title) and the stated publication date.

Both are looked for in the header, i.e. the lines before the main body region, close to it:
news pages put the headline, byline and dateline right above the article.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

import transforms.boilerplate.thresholds as T
from transforms.boilerplate.features import Line, LineFeatures, normalise

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
_PUBLISHED_WORDS = re.compile(
    r"\b(published|posted|publicado|publicada|veröffentlicht|publié|diterbitkan|dipublikasikan|"
    r"опубликовано)\b|입력|公開|配信",
    re.I,
)
_UPDATED_WORDS = re.compile(
    r"\b(updated|modified|refreshed|atualizado|actualizado|aktualisiert|mis à jour|diperbarui|"
    r"обновлено)\b|수정|更新",
    re.I,
)


_NOT_A_HEADLINE = re.compile(
    r"://|\bwww\.|(?<!\w)@\w|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bclick\b|\b\d{1,2}:\d\d\b", re.I
)


def find_date(text: str) -> tuple[dt.date, int, int] | None:
    """The first calendar date (with a year) in text, with its span in text."""
    if not _HAS_YEAR.search(text):
        return None  # every pattern has a four-digit year: most lines fail here, cheaply
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
        if not T.MIN_YEAR <= y <= T.MAX_YEAR:
            return None
        return dt.date(y, mo, d)
    except (ValueError, KeyError):
        return None


def find_published(header: Sequence[Line]) -> tuple[dt.date, tuple[int, int], int] | None:
    """(date, span, line index) of the publication date stated in the header lines, or None.

    A "Published ..." line wins over a bare date line, which wins over an "Updated ..." line;
    among equals the line closest to the body wins.
    """
    best: tuple[int, int, dt.date, tuple[int, int], int] | None = None
    window = header[-T.HEADER_WINDOW :]
    for pos, line in enumerate(window):
        if len(line.text) > T.MAX_DATELINE_CHARS:
            continue
        found = find_date(line.text)
        if found is None:
            continue
        date, s, e = found
        before = line.text[:s]
        if _PUBLISHED_WORDS.search(before) or _PUBLISHED_WORDS.search(line.text):
            rank = 3
        elif _UPDATED_WORDS.search(before):
            rank = 1
        else:
            rank = 2
        key = (rank, pos)
        if best is None or key > best[:2]:
            best = (rank, pos, date, (line.start + s, line.start + e), line.index)
    if best is None:
        return None
    return best[2], best[3], best[4]


def _word_set(text: str) -> frozenset[str]:
    return frozenset(normalise(text).split())


def same_headline(a: str, b: str) -> bool:
    """True when two lines are the same headline (printed twice, maybe with a kicker)."""
    return _same_words(_word_set(a), _word_set(b))


def _same_words(wa: frozenset[str], wb: frozenset[str]) -> bool:
    if not wa or not wb:
        return False
    inter = len(wa & wb)
    return inter / len(wa | wb) >= T.DUPLICATE_JACCARD or inter == min(len(wa), len(wb)) >= 4


def is_title_like(line: Line, feats: LineFeatures) -> bool:
    if feats.bullet or feats.link_seps:
        return False
    if not T.TITLE_MIN_WORDS <= feats.n_words <= T.TITLE_MAX_WORDS:
        return False
    if not T.TITLE_MIN_CHARS <= feats.n_chars <= T.TITLE_MAX_CHARS:
        return False
    if _NOT_A_HEADLINE.search(line.text) or line.text.rstrip().endswith(":"):
        return False  # a URL, a handle, a numeric date, a "click" prompt, a label
    return feats.alpha_ratio >= T.TITLE_MIN_ALPHA_RATIO and find_date(line.text) is None


def find_title(
    header: Sequence[Line],
    feats: Sequence[LineFeatures],
    hints: Sequence[str | None],
    norms: Sequence[str] | None = None,
) -> list[int]:
    """Positions (into header) of the headline and its repeats; the first is the title.

    Candidates are title-like header lines near the body that no rule marked as furniture
    (`hints[pos]`: the reason code a vocabulary or template rule gave the line, else None).
    `norms`: normalise() of each header line, when the caller has them already.
    A headline printed twice wins; a byline or dateline next to it helps; a photo credit right
    after it means it is a caption; otherwise the candidate closest to the body wins.
    """
    lo = max(0, len(header) - T.HEADER_WINDOW)
    if norms is None:
        norms = [normalise(line.text) for line in header]
    words = [frozenset(norm.split()) for norm in norms]
    copies = _copies_finder(words)
    best_pos, best_score = -1, 0.0
    for pos in range(lo, len(header)):
        if hints[pos] is not None or not is_title_like(header[pos], feats[pos]):
            continue
        group = [pos, *copies(pos)]
        closeness = (pos - lo + 1) / (len(header) - lo)
        score = closeness + min(feats[pos].n_words, 12) / 12 + (3.0 if len(group) > 1 else 0.0)
        if feats[pos].ends_sentence and not header[pos].text.endswith(("?", "!")):
            score -= 1.0  # a full stop: more likely a summary sentence than a headline
        if any(q + 1 < len(header) and hints[q + 1] == "caption" for q in group):
            score -= 4.0  # it (or its copy) sits directly above a photo credit: a caption
        near = range(max(0, pos - T.NEIGHBOUR_LINES), min(len(header), pos + T.NEIGHBOUR_LINES + 1))
        if any(hints[q] in ("byline", "dateline") for q in near):
            score += 1.0  # headlines sit next to the byline and the dateline
        if score > best_score:
            best_pos, best_score = pos, score
    if best_pos < 0:
        return []
    return [best_pos, *copies(best_pos)]


def _copies_finder(words: Sequence[frozenset[str]]) -> Callable[[int], list[int]]:
    """copies(pos): the other positions whose words make the same headline as words[pos], in
    order. Only lines that share a word can be copies, so an index of words finds them."""
    where: dict[str, list[int]] = {}
    for q, ws in enumerate(words):
        for w in ws:
            where.setdefault(w, []).append(q)

    def copies(pos: int) -> list[int]:
        near = {q for w in words[pos] for q in where[w]}
        near.discard(pos)
        return sorted(q for q in near if _same_words(words[pos], words[q]))

    return copies
