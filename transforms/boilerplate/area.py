"""The article's own header: where the headline and the stated publication date are read.

A page's header (the blocks above the body) holds the article's headline, byline and dateline,
but also lists of other stories ("Related coverage", "Most read", "Latest news") with their
headlines and dates. A headline or a date from such a list is another story's. `list_zone`
marks the blocks inside a list (from a heading that opens one to the next byline, menu or other
furniture); the splitter
reads the title and the publication date only outside it, or right under the article's own
headline when the page prints it after a list (a byline under it says so).

Parsing the date string itself is boilerplate/header.py find_published (one place), called only
here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import transforms.boilerplate.thresholds as T
from transforms.boilerplate.header import find_published
from transforms.boilerplate.scoring import Scored

# Section headings that open a list of other stories (or of comments) in a page's header.
LIST_REASONS = frozenset({"related_list", "comments"})

Found = tuple[dt.date, tuple[int, int], int]  # (date, span in the text, line index)


def list_zone(header: Sequence[Scored]) -> list[bool]:
    """True for each header block inside a list of other stories: the heading that opens the
    list and what follows it, up to the next block of another kind of furniture (a byline, a
    menu, share buttons)."""
    zone: list[bool] = []
    inside = False
    for s in header:
        hit = s.vocab
        if hit is not None and hit.barrier and hit.reason in LIST_REASONS:
            inside = True
        elif (hit is not None and hit.reason not in LIST_REASONS) or s.feats.link_seps:
            inside = False  # a byline, a menu, share buttons: the list is over
        zone.append(inside)
    return zone


def header_published(header: Sequence[Scored], zone: Sequence[bool]) -> Found | None:
    """The stated publication date from the header blocks outside the lists of other stories."""
    return find_published([s.line for s, z in zip(header, zone, strict=True) if not z])


def published_near_title(
    header: Sequence[Scored], zone: Sequence[bool], title: int
) -> Found | None:
    """The stated publication date when the headline (at `title`) sits inside a list zone (the
    page prints the article's header after a related box): its own dateline, under it."""
    near = range(title + 1, min(len(header), title + T.NEIGHBOUR_LINES + 1))
    lines = [
        s.line for i, (s, z) in enumerate(zip(header, zone, strict=True)) if not z or i in near
    ]
    return find_published(lines)
