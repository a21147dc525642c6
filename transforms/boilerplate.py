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
5. The headline (title) and the stated publication date are read from the header lines close
   to the body (transforms/boilerplate_header.py).

Every removed line keeps its text, a reason code from REASONS and a region (header, footer,
inner). Thresholds are the named constants below, each with the reason for its value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from transforms.boilerplate_features import (
    Line,
    LineFeatures,
    line_features,
    line_key,
    normalise,
    split_lines,
)
from transforms.boilerplate_header import find_date, find_published, find_title
from transforms.boilerplate_vocab import VocabHit, Vocabulary, load_stopwords

__all__ = ["REASONS", "REGIONS", "Removed", "Split", "Splitter", "line_key", "split_document"]

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
# Furniture that publishers insert INSIDE the article text: it is removed, but it must not
# split the main region (it costs what a short line costs).
INNER_REASONS = frozenset({"teaser", "ad", "caption"})

# --- thresholds (the only place they are set) ---
# Prose: seven words make a clause; menus and headlines are shorter or have no function words.
PROSE_MIN_WORDS = 7
# Share of function words in prose is ~0.3-0.5 in the languages we list; headlines ~0-0.15.
PROSE_MIN_STOP_RATIO = 0.15
# Headlines capitalise most content words; prose capitalises names only (~0.2-0.4).
HEADLINE_CAP_RATIO = 0.7
# A line that ends like a sentence needs fewer: "Coast Savings Financial Inc. reported a
# third-quarter loss, citing ..." is dense in names but still one function word in twelve.
SENTENCE_MIN_STOP_RATIO = 0.08
# Without a stop-word list for the page's language, prose needs this many characters.
NOSTOP_PROSE_MIN_CHARS = 40
# Below this share of long lines with function words, the page's language is not in our lists.
STOPWORD_LANGUAGE_MIN_SHARE = 0.2
# A prose line earns one point per this many words, so long paragraphs weigh more ...
WORDS_PER_POINT = 10.0
# ... up to this cap, so one huge teaser cannot pull a region across a wall of furniture.
MAX_LINE_SCORE = 5.0
# Lines without final punctuation shorter than this are headlines, not paragraphs.
UNFINISHED_MIN_WORDS = 15
# Prose without final punctuation (teaser blurbs, captions) counts less than a paragraph.
UNFINISHED_FACTOR = 0.5
# The signature line of a post embedded in the article ("— Name (@handle) Nov 4, 2019")
# belongs to the quoted post: a small plus, so it stays with the text around it.
EMBED_SCORE = 0.5
# A short non-prose line inside the body (sub-heading, "[Source]") costs a little.
SHORT_PENALTY = 0.5
# A list bullet is usually a menu entry; lists inside articles are surrounded by prose.
BULLET_PENALTY = 1.0
# Link separators ("News | World", "a › b") mark navigation.
LINK_PENALTY = 2.0
# A vocabulary hit ("Advertisement", "Privacy Policy").
VOCAB_PENALTY = 3.0
# A section heading ("Related articles", "Comments"): a wall that about two paragraphs of
# prose cannot cross, while a long article split by one stray heading still can.
BARRIER_PENALTY = 8.0
# A line repeated in the input that is not prose (site menus, footers).
TEMPLATE_PENALTY = 2.0
# A line in this many documents of the input is template, not coincidence.
TEMPLATE_MIN_DOCS = 3
# A credit printed on the line after a "Photo:" label is at most this long.
CREDIT_MAX_CHARS = 80
# A headline repeated within this many lines inside the body is a teaser card for another
# story (image link + text link); articles do not repeat a line that close.
TEASER_COPY_DISTANCE = 2
# Prose lines count as template only when this share of documents has them: a wire story
# syndicated to a few papers repeats its paragraphs, a site-wide disclaimer is everywhere.
TEMPLATE_PROSE_MIN_SHARE = 0.3
# The article is the first big block of prose on a page; sidebars, teaser lists and comments
# come after it. A prose line's score shrinks linearly with the share of the page's prose
# before it, down to (1 - POSITION_DECAY) for the last line: enough to break ties between an
# article and a longer teaser list below it, not enough to prefer a header blurb.
POSITION_DECAY = 0.5
# A line printed again further down the page (headline, lede shown as a summary above the
# article, caption) is not one-off body text; the last copy is the one that may be body.
DUPLICATE_PENALTY = 1.0


@dataclass(frozen=True)
class Removed:
    start: int
    end: int
    text: str
    reason: str
    region: str


@dataclass(frozen=True)
class Split:
    body_spans: tuple[tuple[int, int], ...]
    removed: tuple[Removed, ...]
    title: str | None
    published: dt.date | None
    published_span: tuple[int, int] | None


@dataclass(frozen=True)
class _Scored:
    line: Line
    feats: LineFeatures
    vocab: VocabHit | None
    template: bool
    prose: bool
    score: float


def max_subarray(scores: Sequence[float]) -> tuple[int, int, float]:
    """(first, last, total) of the contiguous run with the highest sum; (0, -1, 0) if none > 0."""
    best = (0, -1, 0.0)
    run_start, run_sum = 0, 0.0
    for i, s in enumerate(scores):
        if run_sum <= 0:
            run_start, run_sum = i, 0.0
        run_sum += s
        if run_sum > best[2]:
            best = (run_start, i, run_sum)
    return best


def line_score(f: LineFeatures, vocab: VocabHit | None, template: bool, prose: bool) -> float:
    """The score of one line on its own: > 0 for article prose, < 0 for furniture."""
    if vocab is not None and vocab.reason in INNER_REASONS and not vocab.barrier:
        return -SHORT_PENALTY  # sits inside articles: must not split the region
    if vocab is not None:
        return -(BARRIER_PENALTY if vocab.barrier else VOCAB_PENALTY)
    if template:
        return -TEMPLATE_PENALTY
    if prose:
        score = min(f.n_words / WORDS_PER_POINT, MAX_LINE_SCORE)
        if not f.ends_sentence:
            score *= UNFINISHED_FACTOR
        return score / 2 if f.bullet else score
    if f.embed_signature:
        return EMBED_SCORE
    if f.link_seps:
        return -LINK_PENALTY
    if f.bullet:
        return -BULLET_PENALTY
    return -SHORT_PENALTY


def duplicate_costs(norms: Sequence[str]) -> list[float | None]:
    """Score caps for lines printed exactly twice on the page (None: no cap).

    The first copy of a pair far apart is a headline, a lede shown as a summary or a caption:
    it costs DUPLICATE_PENALTY (the last copy may be body). A pair close together is a teaser
    card (removed as inner boilerplate), which costs only what a short line costs. Lines
    printed three times or more are structure (menus, recipe steps) and get no cap.
    """
    where: dict[str, list[int]] = {}
    for i, norm in enumerate(norms):
        where.setdefault(norm, []).append(i)
    costs: list[float | None] = [None] * len(norms)
    for positions in where.values():
        if len(positions) != 2:
            continue
        first, second = positions
        if second - first <= TEASER_COPY_DISTANCE:
            costs[first] = costs[second] = -SHORT_PENALTY
        else:
            costs[first] = -DUPLICATE_PENALTY
    return costs


class Splitter:
    """The splitter with its vocabulary and stop words loaded (build once per worker)."""

    def __init__(
        self, vocabulary: Vocabulary | None = None, stopwords: frozenset[str] | None = None
    ):
        self.vocabulary = vocabulary or Vocabulary.load()
        self.stopwords = stopwords if stopwords is not None else load_stopwords()

    # -- scoring --
    def is_prose(self, f: LineFeatures, use_stopwords: bool) -> bool:
        if f.n_words < PROSE_MIN_WORDS:
            return False
        if not f.ends_sentence and f.cap_ratio >= HEADLINE_CAP_RATIO:
            return False  # Title Case Without A Full Stop: a headline
        if not f.ends_sentence and f.n_words < UNFINISHED_MIN_WORDS:
            return False  # a short line without final punctuation: headline or teaser
        if use_stopwords:
            if f.ends_sentence:
                return f.stop_ratio >= SENTENCE_MIN_STOP_RATIO
            return f.stop_ratio >= PROSE_MIN_STOP_RATIO
        return f.n_chars >= NOSTOP_PROSE_MIN_CHARS and (f.ends_sentence or f.n_sentence_marks > 0)

    def score_lines(
        self, lines: Sequence[Line], repeated: Mapping[int, int] | None, n_docs: int
    ) -> list[_Scored]:
        feats = [line_features(line.text, self.stopwords) for line in lines]
        long_lines = [f for f in feats if f.n_words >= PROSE_MIN_WORDS]
        with_stop = sum(f.stop_ratio >= PROSE_MIN_STOP_RATIO for f in long_lines)
        use_stopwords = not long_lines or with_stop / len(long_lines) >= STOPWORD_LANGUAGE_MIN_SHARE
        dup_costs = duplicate_costs([normalise(line.text) for line in lines])
        out = []
        for line, f, dup_cost in zip(lines, feats, dup_costs, strict=True):
            vocab = self.vocabulary.match(line.text)
            prose = self.is_prose(f, use_stopwords)
            count = (repeated or {}).get(line_key(line.text) or 0, 0)
            share = count / max(n_docs, 1)
            template = count >= TEMPLATE_MIN_DOCS and (
                not prose or share >= TEMPLATE_PROSE_MIN_SHARE
            )
            score = line_score(f, vocab, template, prose)
            if dup_cost is not None:
                score = min(score, dup_cost)
            out.append(_Scored(line, f, vocab, template, prose, score))
        return self.position_discount(out)

    @staticmethod
    def position_discount(scored: list[_Scored]) -> list[_Scored]:
        """Discount positive scores by how much of the page's prose comes before the line."""
        total = sum(s.feats.n_chars for s in scored if s.score > 0)
        seen = 0
        out = []
        for s in scored:
            if s.score > 0:
                factor = 1.0 - POSITION_DECAY * seen / total
                seen += s.feats.n_chars
                s = dataclasses.replace(s, score=s.score * factor)
            out.append(s)
        return out

    # -- the split --
    def split(
        self,
        text: str,
        start: int = 0,
        repeated: Mapping[int, int] | None = None,
        n_docs: int = 1,
    ) -> Split:
        lines = split_lines(text, start)
        scored = self.score_lines(lines, repeated, n_docs)
        first, last, _ = max_subarray([s.score for s in scored])
        header = scored[:first] if last >= first else scored
        footer = scored[last + 1 :] if last >= first else []
        body = scored[first : last + 1] if last >= first else []

        reasons: dict[int, str] = {}
        title = None
        published = None
        published_span = None
        header_lines = [s.line for s in header]
        found = find_published(header_lines)
        if found is not None:
            published, published_span, line_index = found
            reasons[line_index] = "dateline"
        hints = [self._hint(s, reasons) for s in header]
        title_pos = find_title(header_lines, [s.feats for s in header], hints)
        if title_pos:
            title = header[title_pos[0]].line.text
            reasons[header[title_pos[0]].line.index] = "title"
            for pos in title_pos[1:]:
                reasons.setdefault(header[pos].line.index, "repeated_title")
            for s in footer:
                if s.feats.n_words <= 40 and normalise(s.line.text) == normalise(title):
                    reasons[s.line.index] = "repeated_title"

        kept: list[tuple[int, int]] = []
        removed: list[Removed] = []
        for s in header:
            removed.append(self._removed(s, "header", reasons.get(s.line.index)))
        inner = self.inner_reasons(body)
        for s in body:
            reason = inner.get(s.line.index)
            if reason is None:
                kept.append((s.line.start, s.line.end))
            else:
                removed.append(self._removed(s, "inner", reason))
        for s in footer:
            removed.append(self._removed(s, "footer", reasons.get(s.line.index)))
        removed.sort(key=lambda r: r.start)
        return Split(tuple(kept), tuple(removed), title, published, published_span)

    @staticmethod
    def _hint(s: _Scored, reasons: Mapping[int, str]) -> str | None:
        if s.line.index in reasons:
            return reasons[s.line.index]
        if s.vocab is not None:
            return s.vocab.reason
        return "template_repeat" if s.template else None

    def inner_reasons(self, body: Sequence[_Scored]) -> dict[int, str]:
        """Line index -> reason for the boilerplate lines inside the main region."""
        reasons: dict[int, str] = {}
        for pos, s in enumerate(body):
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
                and (prev.line.text.rstrip().endswith(":") and s.feats.n_chars <= CREDIT_MAX_CHARS)
            ):
                reasons[s.line.index] = "caption"  # "Photo:" then the credit on its own line
            norm = normalise(s.line.text)
            window = body[max(0, pos - TEASER_COPY_DISTANCE) : pos]
            copies = [w for w in window if normalise(w.line.text) == norm]
            if copies and not s.prose:
                # the same headline twice in a row (image link + text link): a teaser card
                for w in [*copies, s]:
                    reasons[w.line.index] = "teaser"
        return reasons

    def _removed(self, s: _Scored, region: str, reason: str | None) -> Removed:
        return Removed(
            s.line.start, s.line.end, s.line.text, reason or self.outer_reason(s, region), region
        )

    def outer_reason(self, s: _Scored, region: str) -> str:
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
