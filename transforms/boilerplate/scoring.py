"""Line scores and the main-region search of the header/footer splitter (pure functions).

A line's score is > 0 for article prose and < 0 for page furniture; the body is the
contiguous run of lines with the highest total (maximum subarray). Thresholds: T.NAME in
transforms/boilerplate/thresholds.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import transforms.boilerplate.thresholds as T
from transforms.boilerplate.features import (
    Line,
    LineFeatures,
    key_of_normalised,
    line_scanner,
)
from transforms.boilerplate.vocab import VocabHit, Vocabulary
from transforms.text.memo import remember

# Furniture that publishers insert INSIDE the article text: it is removed, but it must not
# split the main region (it costs what a short line costs).
INNER_REASONS = frozenset({"teaser", "ad", "caption"})
# The vocabulary rule of news-wire datelines, which open the story they stand above.
WIRE_DATELINE_RULE = "wire_dateline"


class Scored(NamedTuple):
    """One line with everything its score came from: features, vocabulary hit, whether it is a
    template line (repeated across documents) or prose, and the score itself."""

    line: Line
    norm: str  # normalise(line.text), computed once
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
        return -T.SHORT_PENALTY  # sits inside articles: must not split the region
    if vocab is not None:
        return -(T.BARRIER_PENALTY if vocab.barrier else T.VOCAB_PENALTY)
    if template:
        return -T.TEMPLATE_PENALTY
    if prose:
        score = min(f.n_words / T.WORDS_PER_POINT, T.MAX_LINE_SCORE)
        if not f.ends_sentence:
            score *= T.UNFINISHED_FACTOR
        return score / 2 if f.bullet else score
    if f.embed_signature:
        return T.EMBED_SCORE
    if f.link_seps:
        return -T.LINK_PENALTY
    if f.bullet:
        return -T.BULLET_PENALTY
    return -T.SHORT_PENALTY


def duplicate_costs(norms: Sequence[str]) -> list[float | None]:
    """Score caps for lines printed exactly twice on the page (None: no cap).

    The first copy of a pair far apart is a headline, a lede shown as a summary or a caption:
    it costs T.DUPLICATE_PENALTY (the last copy may be body). A pair close together is a teaser
    card (removed as inner boilerplate), which costs only what a short line costs. Lines
    printed three times or more are structure (menus, recipe steps) and get no cap.
    """
    costs: list[float | None] = [None] * len(norms)
    pairs = {norm for norm, n in Counter(norms).items() if n == 2}  # counted in C
    if not pairs:
        return costs
    firsts: dict[str, int] = {}
    for i, norm in enumerate(norms):
        if norm not in pairs:
            continue
        if norm not in firsts:
            firsts[norm] = i
        elif i - firsts[norm] <= T.TEASER_COPY_DISTANCE:
            costs[firsts[norm]] = costs[i] = -T.SHORT_PENALTY
        else:
            costs[firsts[norm]] = -T.DUPLICATE_PENALTY
    return costs


def is_prose(f: LineFeatures, use_stopwords: bool) -> bool:
    """Running prose: enough words, function words, a sentence shape."""
    if f.n_words < T.PROSE_MIN_WORDS:
        return False
    if not f.ends_sentence and f.cap_ratio >= T.HEADLINE_CAP_RATIO:
        return False  # Title Case Without A Full Stop: a headline
    if not f.ends_sentence and f.n_words < T.UNFINISHED_MIN_WORDS:
        return False  # a short line without final punctuation: headline or teaser
    if f.ends_sentence and f.n_words >= T.SENTENCE_PROSE_MIN_WORDS:
        return True  # a long sentence, even one dense in names and numbers
    if use_stopwords:
        if f.ends_sentence:
            return f.stop_ratio >= T.SENTENCE_MIN_STOP_RATIO
        return f.stop_ratio >= T.PROSE_MIN_STOP_RATIO
    return f.n_chars >= T.NOSTOP_PROSE_MIN_CHARS and (f.ends_sentence or f.n_sentence_marks > 0)


class LineMemo:
    """What depends on a line's text alone (features, normalised form, vocabulary hit),
    remembered across the pages one worker splits: a site's menus, share prompts and footers
    come back on every page (in the bench archive half of the distinct lines of a page were
    already seen on an earlier page). Bounded: only lines of up to `max_chars` characters (long
    prose lines rarely repeat) and at most `max_lines` of them; when full it starts afresh.
    A cache, not state: the results are the same with or without it."""

    def __init__(self, max_lines: int, max_chars: int):
        self.max_lines = max_lines
        self.max_chars = max_chars
        self.entries: dict[str, tuple[LineFeatures, str, VocabHit | None]] = {}

    def get(self, text: str) -> tuple[LineFeatures, str, VocabHit | None] | None:
        """The memoized (features, normalised text, vocabulary hit) of a line, or None."""
        return self.entries.get(text)

    def put(self, text: str, value: tuple[LineFeatures, str, VocabHit | None]) -> None:
        """Remember a line's analysis (lines longer than max_chars are not kept; a full memo starts
        afresh)."""
        if len(text) <= self.max_chars:
            remember(self.entries, text, value, self.max_lines)


def line_facts(
    text: str,
    vocabulary: Vocabulary,
    stopwords: frozenset[str],
    memo: LineMemo | None,
    scan: Callable[[str], tuple[LineFeatures, str]] | None = None,
) -> tuple[LineFeatures, str, VocabHit | None]:
    """(features, normalised form, vocabulary hit) of one line's text, from the memo if there.
    `scan`: features.line_scanner(stopwords), when the caller has it already."""
    if memo is not None and (found := memo.get(text)) is not None:
        return found
    # the two seams (text in, plain values out)
    feats, norm = (scan or line_scanner(stopwords))(text)
    rule = vocabulary.first_rule(text)
    facts = (feats, norm, vocabulary.hits[rule] if rule >= 0 else None)
    if memo is not None:
        memo.put(text, facts)
    return facts


def score_lines(
    lines: Sequence[Line],
    vocabulary: Vocabulary,
    stopwords: frozenset[str],
    repeated: Mapping[int, int] | None,
    n_docs: int,
    memo: LineMemo | None = None,
    scan: Callable[[str], tuple[LineFeatures, str]] | None = None,
) -> list[Scored]:
    """Features, vocabulary hit, template flag and score of every (non-empty) line.
    `scan`: features.line_scanner(stopwords), when the caller has it already.

    The same values as scoring each line on its own (`line_facts`, `is_prose`, `line_score`,
    `duplicate_costs`, `position_discount`), in fewer passes: this runs for every line of
    every page."""
    scan = scan or line_scanner(stopwords)
    # What depends on the line's text alone is computed once per distinct text: menus, share
    # buttons and teaser headlines repeat within a page (a fifth of the lines of web pages), and
    # across the pages of a site (the memo). (`line_facts`, inline: this runs for every line.)
    per_text: dict[str, tuple[LineFeatures, str, VocabHit | None, int | None]] = {}
    remembered = memo.entries if memo is not None else {}
    first_rule, hits = vocabulary.first_rule, vocabulary.hits
    rows_of_text = []
    n_long = with_stop = 0
    for line in lines:
        text = line.text
        row = per_text.get(text)
        if row is None:
            facts = remembered.get(text)
            if facts is None:
                feats, norm = scan(text)
                rule = first_rule(text)
                facts = (feats, norm, hits[rule] if rule >= 0 else None)
                if memo is not None:
                    memo.put(text, facts)
            key = key_of_normalised(facts[1]) if repeated else None
            row = per_text[text] = (*facts, key)
        rows_of_text.append(row)
        f = row[0]
        if f.n_words >= T.PROSE_MIN_WORDS:
            n_long += 1
            with_stop += f.stop_ratio >= T.PROSE_MIN_STOP_RATIO
    use_stopwords = not n_long or with_stop / n_long >= T.STOPWORD_LANGUAGE_MIN_SHARE
    dup_costs = duplicate_costs([row[1] for row in rows_of_text])
    scores, templates, proses = [], [], []
    total = 0  # the characters of the lines with a positive score (position_discount's total)
    for (f, _, vocab, key), dup_cost in zip(rows_of_text, dup_costs, strict=True):
        prose = is_prose(f, use_stopwords)
        count = repeated.get(key or 0, 0) if repeated else 0
        template = count >= T.TEMPLATE_MIN_DOCS and (
            not prose or count / max(n_docs, 1) >= T.TEMPLATE_PROSE_MIN_SHARE
        )
        score = line_score(f, vocab, template, prose)
        if dup_cost is not None:
            score = min(score, dup_cost)
        if score > 0:
            total += f.n_chars
        scores.append(score)
        templates.append(template)
        proses.append(prose)
    # position_discount, inline: positive scores lose with the page's prose before them
    seen = 0
    out = []
    for line, (f, norm, vocab, _), template, prose, score in zip(
        lines, rows_of_text, templates, proses, scores, strict=True
    ):
        if score > 0:
            factor = 1.0 - T.POSITION_DECAY * seen / total
            seen += f.n_chars
            score = score * factor
        out.append(tuple.__new__(Scored, (line, norm, f, vocab, template, prose, score)))
    return out


def position_discount(scores: Sequence[float], n_chars: Sequence[int]) -> list[float]:
    """Discount positive scores by how much of the page's prose (in characters) comes before
    the line."""
    total = sum(n for s, n in zip(scores, n_chars, strict=True) if s > 0)
    seen = 0
    out = []
    for s, n in zip(scores, n_chars, strict=True):
        if s > 0:
            factor = 1.0 - T.POSITION_DECAY * seen / total
            seen += n
            s = s * factor
        out.append(s)
    return out


def is_furniture(s: Scored) -> bool:
    """Page furniture that never continues an article: a vocabulary hit that does not belong
    inside articles, a template line, a link-separated line."""
    if s.vocab is not None:
        return s.vocab.barrier or s.vocab.reason not in INNER_REASONS
    return s.template or s.feats.link_seps > 0


def extend_over_structure(scored: Sequence[Scored], last: int) -> int:
    """Extend the region's end over a long run of plain lines (a table, a recipe, a product
    list: short lines, so their scores are negative) when the run ends at a section barrier
    ("Related articles", "Tags:"), with no furniture in between. Returns the new last index."""
    end = last
    for i in range(last + 1, len(scored)):
        s = scored[i]
        if is_furniture(s):
            barrier = s.vocab is not None and s.vocab.barrier
            return end if barrier and end - last >= T.STRUCTURE_MIN_RUN else last
        if s.vocab is None:
            end = i
    return last


def extend_over_lead_in(scored: Sequence[Scored], first: int) -> int:
    """Move the region's start back over short sentences that lead into the article ("The
    New York Times said in an editorial on Monday:", "Now for today's quiz."): they end like
    a sentence or with a colon, have a few words and no furniture signal. Returns the new first
    index."""
    while first > 0:
        s = scored[first - 1]
        text = s.line.text.rstrip()
        lead_in = (s.feats.ends_sentence and not text.endswith("?")) or text.endswith(":")
        if not lead_in or s.feats.n_words < T.LEAD_IN_MIN_WORDS or s.feats.n_stop == 0:
            break
        if (
            is_furniture(s)
            or s.vocab is not None
            or s.feats.bullet
            or s.score <= -T.DUPLICATE_PENALTY
        ):
            break
        first -= 1
    return first


def extend_over_dateline(scored: Sequence[Scored], first: int) -> int:
    """Move the region's start back over a news-wire dateline right above it ("NAIROBI, Kenya
    (AP) _", "TEHRAN, August 8 (Xinhua) --"): the dateline opens the story (on web pages it
    shares the first paragraph's line and is body), and its date is the story's."""
    if first > 0:
        above = scored[first - 1].vocab
        if above is not None and above.rule == WIRE_DATELINE_RULE:
            return first - 1
    return first


# The values of documents.body_flag (None: a body of the expected size).
BODY_FLAGS = ("short_body", "empty_body")


def body_flag(scored: Sequence[Scored], kept: Sequence[tuple[int, int]]) -> str | None:
    """ "empty_body" when nothing was kept; "short_body" when the kept body is less than
    T.BODY_FLAG_MIN_SHARE of the characters of the page's prose blocks, on a page with at least
    T.BODY_FLAG_MIN_PROSE_CHARS of them (article-like prose that the split may have lost);
    else None."""
    if not kept:
        return "empty_body"
    prose = sum(s.feats.n_chars for s in scored if s.prose)
    if prose < T.BODY_FLAG_MIN_PROSE_CHARS:
        return None
    return "short_body" if sum(e - s for s, e in kept) < T.BODY_FLAG_MIN_SHARE * prose else None
