"""Header/footer splitter: find the article body of a news page given as plain text.

How it works (all pure functions; `Splitter` holds the compiled vocabulary):

1. Lines: the page text (after the date prefix) split on "\\n"; empty lines are ignored.
2. Each line gets a score: positive for running prose (enough words, function words, sentence
   punctuation), negative for page furniture (list bullets, link separators, boilerplate
   vocabulary from rules/boilerplate_vocab.yaml, lines repeated across many documents of the
   input, lines printed twice on the page). Section headings such as "Related articles" or
   "Comments" are barriers: a strongly negative score.
3. The body is ONE main region: the contiguous run of lines with the highest total score
   (maximum subarray). Short lines inside it (sub-headings, one-line quotes) are kept.
4. Inside the region, furniture lines with a vocabulary hit ("READ | ...", "Advertisement",
   photo credits) are removed as inner boilerplate.
5. The headline (title) and the stated publication date are read from the article's own
   header: the header lines close to the body, outside any list of other stories
   (transforms/boilerplate/region.py, transforms/boilerplate/header.py).

Every removed line keeps its text, a reason code from REASONS and a region (header, footer,
inner). Thresholds: transforms/boilerplate/thresholds.py, each with the reason for its value.

Speed (``python -m eval.body --speed`` measures docs/s): what depends on a line's text alone
(normalised form, features, vocabulary hit) is computed once per distinct line of a page; the
vocabulary asks one combined expression per match kind before any rule runs, dispatched by the
line's first character (transforms/textscan/literals.py); per-line records are named tuples.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import transforms.boilerplate.thresholds as T
from transforms import native
from transforms.boilerplate.blocks import build_blocks
from transforms.boilerplate.features import line_key, line_scanner
from transforms.boilerplate.header import find_title
from transforms.boilerplate.region import (
    box_reasons,
    bridge,
    extend_over_tail,
    header_published,
    list_zone,
    lone_paragraph,
    published_near_title,
)
from transforms.boilerplate.scoring import (
    BODY_FLAGS,
    WIRE_DATELINE_RULE,
    LineMemo,
    Scored,
    body_flag,
    extend_over_dateline,
    extend_over_lead_in,
    extend_over_structure,
    max_subarray,
    score_lines,
)
from transforms.boilerplate.vocab import Vocabulary, load_stopwords
from transforms.limits import MEMO_MAX_LINE_CHARS
from transforms.text.pubdate import find_date
from transforms.text.stated import StatedDateReader

__all__ = [
    "BODY_FLAGS",
    "REASONS",
    "REGIONS",
    "Removed",
    "Split",
    "Splitter",
    "line_key",
    "split_document",
]

# The enumerated reason codes of removed lines.
REASONS = (
    "breadcrumb",  # "Home > News > World"
    "nav_menu",  # menu entries, list bullets, "Next story"
    "title",  # the headline (kept in Split.title)
    "repeated_title",  # the headline printed again
    "byline",  # "By Jane Doe"
    "dateline",  # "Published: Nov 18, 2019"
    "share_prompt",  # "Share", "Tweet", social network names
    "subscribe_prompt",  # newsletter, follow us, sign in
    "contribute_prompt",  # "Send us your stories"
    "teaser",  # "READ | ...", "Also read: ..." inside the body
    "caption",  # photo captions and credits
    "related_list",  # "Related articles" and the headlines under it
    "author_bio",  # "About the author", "X is a freelance writer"
    "tags",  # "Tags: ..."
    "comments",  # comment sections
    "copyright",  # "(c) 2019 ...", "All rights reserved"
    "legal",  # privacy policy, terms of use, contact us
    "cookie",  # cookie notices
    "ad",  # "Advertisement"
    "unrelated_story",  # prose after the article: other stories
    "template_repeat",  # line present in many documents of the input
    "low_text_density",  # short non-prose lines outside the body
)
REGIONS = ("header", "footer", "inner")


@dataclass(frozen=True)
class Removed:
    """A removed piece of a document: [start, end) code-point offsets into the whole text, its text,
    the reason code (REASONS) and the region (REGIONS: header, footer, inner)."""

    start: int
    end: int
    text: str
    reason: str
    region: str


_new_object = object.__new__
_set_attribute = object.__setattr__
# The compiled `with_dict` (transforms/native/_split.pyx), or None: `removed_piece_reference`'s
# two calls made in C (no compiler, a stale build, NEWSLINE_NATIVE=0: the reference).
_NATIVE = native.load("split")
_WITH_DICT = getattr(_NATIVE, "with_dict", None)


def removed_piece(start: int, end: int, text: str, reason: str, region: str) -> Removed:
    """``Removed(start, end, text, reason, region)``, built without the frozen dataclass's
    ``__init__`` (five ``object.__setattr__`` calls): the instance dict is set at once, with
    the fields in their order, so the object is equal, prints, pickles and reads (by
    attribute or, as the compiled documents row does, from its ``__dict__``) the same. The
    splitter makes one per removed line (tests/test_boilerplate.py compares the two ways and
    `removed_piece_reference`). With the compiled module, `with_dict` makes the same two
    calls (object.__new__, then the instance dict set) in C; without it, the reference."""
    if _WITH_DICT is None:
        return removed_piece_reference(start, end, text, reason, region)
    fields = {"start": start, "end": end, "text": text, "reason": reason, "region": region}
    return _WITH_DICT(Removed, fields)


def removed_piece_reference(start: int, end: int, text: str, reason: str, region: str) -> Removed:
    """`removed_piece` in Python, the reference: ``object.__new__(Removed)``, then its instance
    dict set with ``object.__setattr__``."""
    piece = _new_object(Removed)
    _set_attribute(
        piece,
        "__dict__",
        {"start": start, "end": end, "text": text, "reason": reason, "region": region},
    )
    return piece


@dataclass(frozen=True)
class Split:
    """The splitter's result for one document: body spans ([start, end) offsets into the whole text,
    in order), removed pieces with reasons, the headline found (or None) and the publication date
    stated in the header with its span (or None)."""

    body_spans: tuple[tuple[int, int], ...]
    removed: tuple[Removed, ...]
    title: str | None
    published: dt.date | None
    published_span: tuple[int, int] | None
    body_flag: str | None = None  # None | "short_body" | "empty_body" (BODY_FLAGS)


class Splitter:
    """The splitter with its vocabulary and stop words loaded (build once per worker).

    `memo_lines` > 0 gives it a LineMemo of that many lines (a DoFn's own splitter, built in
    setup()); the shared default_splitter() has none, so it stays immutable."""

    def __init__(
        self,
        vocabulary: Vocabulary | None = None,
        stopwords: frozenset[str] | None = None,
        memo_lines: int = 0,
    ):
        self.vocabulary = vocabulary or Vocabulary.load()
        self.stopwords = stopwords if stopwords is not None else load_stopwords()
        self.memo = LineMemo(memo_lines, MEMO_MAX_LINE_CHARS) if memo_lines > 0 else None
        self.stated = StatedDateReader()  # stated publication dates (text/stated.py)
        self.scan = line_scanner(self.stopwords)  # the per-line seam, bound once

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        del state["scan"]  # may hold a C object: bound again where it is unpickled
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.scan = line_scanner(self.stopwords)

    def split(
        self,
        text: str,
        start: int = 0,
        repeated: Mapping[int, int] | None = None,
        n_docs: int = 1,
    ) -> Split:
        """Split one document into body spans and removed pieces.

        `text`: the whole decoded text; `start`: where the page starts (the date prefix's length);
        `repeated`: {line key: documents} from the corpus line counts, or None; `n_docs`: the number
        of documents those counts come from. Lines are joined into blocks (paragraphs of
        hard-wrapped text, blocks.py) and scored (vocabulary, template, prose features); the body
        is the best-scoring contiguous run of blocks (max subarray), bridged over short furniture
        gaps with article prose beyond them (region.py), extended over closing sentences,
        lead-ins, datelines and structure; everything else is removed with a reason. Never
        raises on text; an empty page gives no body spans (body_flag "empty_body")."""
        lines = build_blocks(text, start)
        scored = score_lines(
            lines, self.vocabulary, self.stopwords, repeated, n_docs, self.memo, self.scan
        )
        first, last, _ = max_subarray([s.score for s in scored])
        if last < first and lone_paragraph(scored):
            first = last = 0  # one short paragraph and nothing else: the story itself
        boxes: dict[int, str] = {}
        if last >= first:
            first, last, gaps = bridge(scored, first, last)
            boxes = box_reasons(scored, gaps)
            last = extend_over_structure(scored, extend_over_tail(scored, last))
            first = extend_over_dateline(scored, extend_over_lead_in(scored, first))
        header = scored[:first] if last >= first else scored
        footer = scored[last + 1 :] if last >= first else []
        body = scored[first : last + 1] if last >= first else []

        reasons: dict[int, str] = {}
        title = None
        published = None
        published_span = None
        header_lines = [s.line for s in header]
        zone = list_zone(header)
        read = self.stated.for_page(text)
        found = header_published(header, zone, read)
        if found is not None:
            published, published_span, line_index = found
            reasons[line_index] = "dateline"
        hints = [self._hint(s, reasons) for s in header]
        feats = [s.feats for s in header]
        title_pos = find_title(header_lines, feats, hints, [s.norm for s in header], zone)
        if title_pos and zone[title_pos[0]]:
            # the article's own header printed after a list of other stories
            if (near := published_near_title(header, zone, title_pos[0], read)) is not None:
                if found is not None:
                    reasons.pop(found[2], None)
                published, published_span, line_index = near
                reasons[line_index] = "dateline"
        if title_pos:
            title = header[title_pos[0]].line.text
            reasons[header[title_pos[0]].line.index] = "title"
            for pos in title_pos[1:]:
                reasons.setdefault(header[pos].line.index, "repeated_title")
            title_norm = header[title_pos[0]].norm
            for s in footer:
                if s.feats.n_words <= 40 and s.norm == title_norm:
                    reasons[s.line.index] = "repeated_title"

        kept: list[tuple[int, int]] = []
        removed: list[Removed] = []
        # (`_removed`, inline: once per removed line)
        outer = self.outer_reason
        for s in header:
            line = s.line
            reason = reasons.get(line.index) or outer(s, "header")
            removed.append(
                removed_piece(line.start, line.end, text[line.start : line.end], reason, "header")
            )
        inner = self.inner_reasons(body) | boxes
        for s in body:
            line = s.line
            reason = inner.get(line.index)
            if reason is None:
                kept.append((line.start, line.end))
            else:
                start, end = line.start, line.end
                reason = reason or outer(s, "inner")
                removed.append(removed_piece(start, end, text[start:end], reason, "inner"))
        for s in footer:
            line = s.line
            reason = reasons.get(line.index) or outer(s, "footer")
            removed.append(
                removed_piece(line.start, line.end, text[line.start : line.end], reason, "footer")
            )
        removed.sort(key=lambda r: r.start)
        flag = body_flag(scored, kept)
        return Split(tuple(kept), tuple(removed), title, published, published_span, flag)

    @staticmethod
    def _hint(s: Scored, reasons: Mapping[int, str]) -> str | None:
        if s.line.index in reasons:
            return reasons[s.line.index]
        if s.vocab is not None:
            return s.vocab.reason
        return "template_repeat" if s.template else None

    def inner_reasons(self, body: Sequence[Scored]) -> dict[int, str]:
        """Line index -> reason for the boilerplate lines inside the main region."""
        reasons: dict[int, str] = {}
        for pos, s in enumerate(body):
            if pos == 0 and s.vocab is not None and s.vocab.rule == WIRE_DATELINE_RULE:
                continue  # the dateline that opens the story (extend_over_dateline)
            if s.vocab is not None:
                reasons[s.line.index] = s.vocab.reason
            elif s.template and not s.prose:
                reasons[s.line.index] = "template_repeat"
            prev = body[pos - 1] if pos else None
            if prev is None or s.line.index in reasons:
                continue
            if (
                prev.vocab is not None
                and prev.vocab.reason == "caption"
                and (
                    prev.line.text.rstrip().endswith(":") and s.feats.n_chars <= T.CREDIT_MAX_CHARS
                )
            ):
                reasons[s.line.index] = "caption"  # "Photo:" then the credit on its own line
            if s.prose:
                continue  # only a line that is not prose is marked as a teaser copy
            window = body[max(0, pos - T.TEASER_COPY_DISTANCE) : pos]
            copies = [w for w in window if w.line.text == s.line.text]
            if copies:
                # the same headline twice in a row (image link + text link): a teaser card
                for w in [*copies, s]:
                    reasons[w.line.index] = "teaser"
        return reasons

    def _removed(self, text: str, s: Scored, region: str, reason: str | None) -> Removed:
        start, end = s.line.start, s.line.end
        reason = reason or self.outer_reason(s, region)
        return removed_piece(start, end, text[start:end], reason, region)

    def outer_reason(self, s: Scored, region: str) -> str:
        """The reason code of a header/footer line that no specific rule explained."""
        if s.vocab is not None:
            return s.vocab.reason
        if s.template:
            return "template_repeat"
        if s.feats.link_seps:
            return "breadcrumb" if region == "header" else "nav_menu"
        if s.feats.bullet:
            return "nav_menu"
        if region == "header" and len(s.line.text) <= 150 and find_date(s.line.text):
            return "dateline"
        if s.prose:
            return "unrelated_story" if region == "footer" else "teaser"
        if region == "footer" and s.feats.n_words >= 4:
            return "related_list"
        return "low_text_density"


@functools.cache
def default_splitter() -> Splitter:
    """One shared, immutable Splitter per process (the vocabulary is compiled once)."""
    return Splitter()


def split_document(
    text: str,
    start: int = 0,
    repeated: Mapping[int, int] | None = None,
    n_docs: int = 1,
) -> Split:
    """Split text[start:] into body line spans and removed pieces (see module docstring)."""
    return default_splitter().split(text, start, repeated, n_docs)
