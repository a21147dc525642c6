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
from transforms.text.pubdate import find_date
from transforms.text.stated import Stated
from transforms.textscan.required import Prechecked

_NOT_A_HEADLINE = Prechecked(  # skipped on ASCII lines without ":", "/", "@", "www.", "click"
    re.compile(
        r"://|\bwww\.|(?<!\w)@\w|\w@\w+(?:[.-]\w+)*\.[a-z]{2,}|"
        r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\bclick\b|\b\d{1,2}:\d\d\b",
        re.I,
    )
)


# Rank of a stated date by its label (text/stated.py Stated.kind): "Published ..." wins over a
# bare date line, which wins over "Updated ...".
_RANKS = {"published": 3, "bare": 2, "updated": 1}


def find_published(
    header: Sequence[Line], read: Callable[[str], Stated | None]
) -> tuple[dt.date, tuple[int, int], int] | None:
    """(date, span, line index) of the publication date stated in the header lines, or None.

    ``read`` reads the stated date of one line (text/stated.py, the one owner of stated
    publication dates: ``StatedDateReader.for_page``). A "Published ..." line wins over a bare
    date line, which wins over an "Updated ..." line; among equals the line closest to the body
    wins.
    """
    best: tuple[int, int, dt.date, tuple[int, int], int] | None = None
    window = header[-T.HEADER_WINDOW :]
    for pos, line in enumerate(window):
        if len(line.text) > T.MAX_DATELINE_CHARS:
            continue
        found = read(line.text)
        if found is None:
            continue
        key = (_RANKS[found.kind], pos)
        if best is None or key > best[:2]:
            span = (line.start + found.start, line.start + found.end)
            best = (key[0], pos, found.date, span, line.index)
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
    """Could the line be a headline? Title-sized (words, characters), no bullet or link separators,
    mostly letters, no date; thresholds in boilerplate/thresholds.py."""
    if feats.bullet or feats.link_seps:
        return False
    if not T.TITLE_MIN_WORDS <= feats.n_words <= T.TITLE_MAX_WORDS:
        return False
    if not T.TITLE_MIN_CHARS <= feats.n_chars <= T.TITLE_MAX_CHARS:
        return False
    if _NOT_A_HEADLINE.search(line.text) or line.text.rstrip().endswith(":"):
        return False  # a URL, a handle, an e-mail address, a numeric date, "click", a label
    return feats.alpha_ratio >= T.TITLE_MIN_ALPHA_RATIO and find_date(line.text) is None


def find_title(
    header: Sequence[Line],
    feats: Sequence[LineFeatures],
    hints: Sequence[str | None],
    norms: Sequence[str] | None = None,
    in_list: Sequence[bool] | None = None,
) -> list[int]:
    """Positions (into header) of the headline and its repeats; the first is the title.

    Candidates are title-like header lines near the body that no rule marked as furniture
    (`hints[pos]`: the reason code a vocabulary or template rule gave the line, else None).
    `norms`: normalise() of each header line, when the caller has them already.
    `in_list[pos]`: the line is inside a list of other stories (region.py, list_zone); such a
    line is a candidate only with a byline under it (the article's own headline printed after
    a related box).
    A headline printed twice wins; a byline or dateline under it (less: above it) helps; a
    headline-like line right above it means it is a standfirst or a list entry; a photo credit
    right after it means it is a caption; otherwise the candidate closest to the body wins.
    """
    lo = max(0, len(header) - T.HEADER_WINDOW)
    if norms is None:
        norms = [normalise(line.text) for line in header]
    copies = _copies_finder(norms)
    best_pos, best_score = -1, 0.0
    for pos in range(lo, len(header)):
        if hints[pos] is not None or not is_title_like(header[pos], feats[pos]):
            continue
        below = range(pos + 1, min(len(header), pos + T.NEIGHBOUR_LINES + 1))
        if in_list is not None and in_list[pos] and not _has_hint(hints, below, _BYLINE):
            continue  # a headline of another story
        group = [pos, *copies(pos)]
        closeness = (pos - lo + 1) / (len(header) - lo)
        score = closeness + min(feats[pos].n_words, 12) / 12 + (3.0 if len(group) > 1 else 0.0)
        if feats[pos].ends_sentence and not header[pos].text.endswith(("?", "!")):
            score -= 1.0  # a full stop: more likely a summary sentence than a headline
        dated_below = _has_hint(hints, below, _DATED)
        if not dated_below and _above_caption(hints, group, len(header)):
            # it (or its copy) sits directly above a photo credit: a caption (a credit with the
            # byline or dateline under it is the story's agency credit: "REUTERS", "AP")
            score -= 4.0
        above = range(max(0, pos - T.NEIGHBOUR_LINES), pos)
        if dated_below:
            score += 1.0  # the byline and the dateline sit under the headline
        elif _has_hint(hints, above, _DATED):
            score += 0.5  # ... or, on some sites, above it
        if pos > lo and hints[pos - 1] is None and pos - 1 not in group:
            if is_title_like(header[pos - 1], feats[pos - 1]):
                # right under another headline-like line: a standfirst, or the second entry
                # of a list of links ("Key events", related stories)
                score -= 1.0
        if score > best_score:
            best_pos, best_score = pos, score
    if best_pos < 0:
        return []
    return [best_pos, *copies(best_pos)]


# The hints of a byline and of a line that dates the story (find_title's neighbours).
_BYLINE = ("byline",)
_DATED = ("byline", "dateline")


def _has_hint(hints: Sequence[str | None], positions: Sequence[int], wanted: tuple) -> bool:
    """True when the hint of one of `positions` is one of `wanted` (a loop, not a generator
    expression: find_title asks this of every candidate)."""
    for q in positions:
        if hints[q] in wanted:
            return True
    return False


def _above_caption(hints: Sequence[str | None], group: Sequence[int], n_lines: int) -> bool:
    """True when a line of `group` sits directly above a line hinted "caption" (of the
    `n_lines` header lines)."""
    for q in group:
        if q + 1 < n_lines and hints[q + 1] == "caption":
            return True
    return False


def _copies_finder(norms: Sequence[str]) -> Callable[[int], list[int]]:
    """copies(pos): the other positions whose words (of the normalised lines `norms`) make the
    same headline as those of norms[pos], in order. Only lines that share a word can be
    copies, so the others are passed over with one set test each (``isdisjoint``, in C; an
    index of the words cost more to build than the few candidates of a page ask of it); the
    words are built on the first call (a page without a headline candidate never asks)."""
    words: list[frozenset[str]] = []

    def copies(pos: int) -> list[int]:
        if not words:
            words.extend([frozenset(norm.split()) for norm in norms])
        mine = words[pos]
        return [
            q
            for q, theirs in enumerate(words)
            if q != pos and not mine.isdisjoint(theirs) and _same_words(mine, theirs)
        ]

    return copies
