"""The body is a region: its boundaries need evidence on both sides (pure functions).

The maximum-subarray search (transforms/boilerplate/scoring.py) ends the region wherever a run
of furniture-looking blocks costs more than the prose after it earns: a results table written
with " | " (read as a menu), a newsletter box, a short question and answer. When article prose
continues on the other side of such a gap, the boundary has evidence on one side only. Two
steps move it:

- `bridge`: the region grows over a short gap (at most T.BRIDGE_MAX_GAP blocks) to a solid run
  of prose beyond it (at least T.BRIDGE_MIN_RUN consecutive prose blocks that end like
  sentences, T.BRIDGE_MIN_RUN_WORDS words in all, none printed twice on the page). A gap that
  holds a section heading that closes an article (comments, tags, author box, copyright;
  CLOSING_REASONS) or, above the region, a byline or a dateline, is real evidence
  and is never bridged. The gap's blocks are kept when none of them
  has a furniture word (a table, a short exchange: the article's own structure); when one has,
  the gap is a promo box inside the article and all of it goes, as `inner`, with that reason
  (`box_reasons`).
- `lone_paragraph`: a page that is one block of prose and nothing else (a one-paragraph item,
  a JSON Lines record's short text) has no furniture to tell apart: that block is the body
  even when it is too short to earn a positive score, and its date is a date in the story,
  not a dateline.
- `extend_over_tail`: the region's end moves over the short statements that close many stories
  ("The hearing continues."): a few words, a full stop, function words, no furniture signal.

The article's own header, where the headline and the stated publication date are read, is a
region too. A page's header holds the article's headline, byline and dateline, but also lists
of other stories ("Related coverage", "Most read", "Latest news") with their headlines and
dates, which are another story's. `list_zone` marks the blocks inside such a list (from a
heading that opens one to the next byline, menu or other furniture); the splitter reads the
title and the publication date only outside it, or right under the article's own headline when
the page prints it after a list (a byline under it says so). Parsing the date string itself is
boilerplate/header.py find_published (one place), called only here.

Thresholds: T.BRIDGE_*, T.TAIL_MIN_WORDS and T.NEIGHBOUR_LINES in
transforms/boilerplate/thresholds.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence

import transforms.boilerplate.thresholds as T
from transforms.boilerplate.header import find_published
from transforms.boilerplate.scoring import Scored, is_furniture
from transforms.text.stated import Stated

_STAMP = re.compile(r"(updated|posted|published|modified|last updated)\b", re.I)
_CLOSERS = "\"'”’»)]"
# Section headings that close an article: a gap holding one is a real boundary. ("Related
# articles" is not among them: news sites print inline related boxes between paragraphs, and
# the solid prose run needed beyond the gap tells them from the list after an article.)
CLOSING_REASONS = frozenset({"comments", "tags", "author_bio", "copyright", "legal", "cookie"})
# Above the region, these mark the article's own header: the body starts after them.
# (A photo credit above the region: a gallery of captions, which repeat prose-like text.)
HEADER_REASONS = frozenset({"byline", "dateline", "caption"})


class _Copies:
    """How often each normalised text occurs on the page, counted on first use (most pages
    never need it: no prose run beyond a gap)."""

    def __init__(self, scored: Sequence[Scored]):
        self.scored = scored
        self.counts: Counter[str] | None = None

    def once(self, s: Scored) -> bool:
        if self.counts is None:
            self.counts = Counter(x.norm for x in self.scored)
        return self.counts[s.norm] == 1


def _solid(s: Scored, copies: _Copies) -> bool:
    """A prose block that ends like a sentence, is no furniture and is not printed again on
    the page (captions of a gallery, a lede shown as a summary): article text."""
    return s.prose and s.feats.ends_sentence and s.score > 0 and s.vocab is None and copies.once(s)


def _run_after(scored: Sequence[Scored], start: int, copies: _Copies) -> int:
    """Length of the run of solid prose blocks from `start` on."""
    n = 0
    while start + n < len(scored) and _solid(scored[start + n], copies):
        n += 1
    return n


def _run_before(scored: Sequence[Scored], end: int, copies: _Copies) -> int:
    """Length of the run of solid prose blocks ending at `end` (inclusive)."""
    n = 0
    while end - n >= 0 and _solid(scored[end - n], copies):
        n += 1
    return n


def _substantial(run: Sequence[Scored]) -> bool:
    """A run of article prose: enough blocks and enough words (a newsletter blurb and its
    consent line are two short sentences)."""
    words = sum(s.feats.n_words for s in run)
    return len(run) >= T.BRIDGE_MIN_RUN and words >= T.BRIDGE_MIN_RUN_WORDS


def _bridgeable(gap: Sequence[Scored], above: bool) -> bool:
    for s in gap:
        if s.vocab is not None and (
            s.vocab.reason in CLOSING_REASONS or (above and s.vocab.reason in HEADER_REASONS)
        ):
            return False
        if s.template:
            return False
    return True


def bridge(scored: Sequence[Scored], first: int, last: int) -> tuple[int, int, list[range]]:
    """(first, last, gaps): the region grown over short furniture gaps to solid prose on their
    far side, and the gaps it crossed (index ranges into scored)."""
    gaps: list[range] = []
    copies = _Copies(scored)
    grown = True
    while grown:
        grown = False
        for size in range(1, T.BRIDGE_MAX_GAP + 1):
            a = last + 1 + size  # the block after a gap of `size`
            if a >= len(scored):
                break
            run = _run_after(scored, a, copies)
            gap = scored[last + 1 : a]
            if _substantial(scored[a : a + run]) and _bridgeable(gap, above=False):
                gaps.append(range(last + 1, a))
                last, grown = a + run - 1, True
                break
        for size in range(1, T.BRIDGE_MAX_GAP + 1):
            b = first - 1 - size  # the block before a gap of `size`
            if b < 0:
                break
            run = _run_before(scored, b, copies)
            gap = scored[b + 1 : first]
            if _substantial(scored[b - run + 1 : b + 1]) and _bridgeable(gap, above=True):
                gaps.append(range(b + 1, first))
                first, grown = b - run + 1, True
                break
    return first, last, gaps


def box_reasons(scored: Sequence[Scored], gaps: Sequence[range]) -> dict[int, str]:
    """Line index -> reason for the blocks of the bridged gaps that are a promo box (a gap with
    a furniture word in it); gaps without one (tables, short exchanges) stay body."""
    reasons: dict[int, str] = {}
    for gap in gaps:
        hits = [scored[i].vocab.reason for i in gap if scored[i].vocab is not None]
        if not hits:
            continue
        for i in gap:
            s = scored[i]
            reasons[s.line.index] = s.vocab.reason if s.vocab is not None else hits[0]
    return reasons


def extend_over_tail(scored: Sequence[Scored], last: int) -> int:
    """Move the region's end over short closing sentences right after it ("No one was
    seriously hurt.", "The hearing continues."). Returns the new last index."""
    while last + 1 < len(scored):
        s = scored[last + 1]
        end = s.line.text.rstrip(_CLOSERS)
        if not end.endswith(".") or end.endswith("..") or s.feats.n_stop == 0:
            break  # "Like this article?", "Sharing is caring!", "Tell us...": prompts
        if _STAMP.match(s.line.text):
            break  # "Updated at 1:23 p.m.": a time stamp
        if s.feats.n_words < T.TAIL_MIN_WORDS:
            break
        if is_furniture(s) or s.vocab is not None or s.feats.bullet or s.template:
            break
        if s.score <= -T.DUPLICATE_PENALTY:
            break  # printed again elsewhere on the page: a headline or a caption
        last += 1
    return last


# --- the article's own header ---
# Section headings that open a list of other stories (or of comments) in a page's header.
LIST_REASONS = frozenset({"related_list", "comments"})

Found = tuple[dt.date, tuple[int, int], int]  # (date, span in the text, line index)


def lone_paragraph(scored: Sequence[Scored]) -> bool:
    """True when the page is a single block that reads as a sentence (it ends like one, has at
    least T.LONE_MIN_WORDS words) and no vocabulary or template rule calls it furniture."""
    if len(scored) != 1:
        return False
    s = scored[0]
    return (
        s.vocab is None
        and not s.template
        and s.feats.ends_sentence
        and s.feats.n_words >= T.LONE_MIN_WORDS
    )


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


def header_published(
    header: Sequence[Scored], zone: Sequence[bool], read: Callable[[str], Stated | None]
) -> Found | None:
    """The stated publication date from the header blocks outside the lists of other stories;
    ``read`` reads one line's stated date (header.find_published)."""
    return find_published([s.line for s, z in zip(header, zone, strict=True) if not z], read)


def published_near_title(
    header: Sequence[Scored],
    zone: Sequence[bool],
    title: int,
    read: Callable[[str], Stated | None],
) -> Found | None:
    """The stated publication date when the headline (at `title`) sits inside a list zone (the
    page prints the article's header after a related box): its own dateline, under it."""
    near = range(title + 1, min(len(header), title + T.NEIGHBOUR_LINES + 1))
    lines = [
        s.line for i, (s, z) in enumerate(zip(header, zone, strict=True)) if not z or i in near
    ]
    return find_published(lines, read)
