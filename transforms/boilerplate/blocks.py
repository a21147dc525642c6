"""Blocks before lines: rebuild the paragraphs of hard-wrapped text before the splitter scores it.

News-wire archives, e-mail and fixed-width dumps break every paragraph every 60-80 columns; a
line-level splitter then sees each paragraph as a pile of short, unfinished lines (menu items,
headlines) and drops the article. This module joins physical lines into blocks first; the
splitter scores blocks, not lines.

A page is **hard-wrapped** when its line breaks say so (`wrap_width`): no line with a space in
it is longer than W columns, W is at most T.WRAP_MAX_WIDTH, and some break falls in the middle
of a sentence where the next word would not have fit on the line (`forced_break`: the line
ends without sentence punctuation, the next line continues the sentence in lower case, and
the line plus the next line's first word pass W). One such break is enough (chosen by
cross-validation on windows of 3-30 lines, eval/wrap_cv.py), so a short wire brief of two
wrapped paragraphs is found too. Pages with one paragraph per line (web pages dumped to text)
are not hard-wrapped and keep one block per line, exactly as before.

On a hard-wrapped page two adjacent non-empty lines (no blank line between) are one block when
(`joins`):
- the second is not indented deeper than the page's usual indent (a paragraph indent starts a
  new paragraph) and does not start with a list bullet, and
- the first is **full** (its length plus the second line's first word exceed W - T.WRAP_SLACK:
  the break was forced by the width), or the first ends without sentence punctuation and the
  second starts in lower case (a sentence continues).

A block is a `Line` (transforms/boilerplate/features.py) whose span runs from the first
character of its first line to the last character of its last line, in code-point offsets into
the ORIGINAL text, and whose text is that same slice with each line break (and the white space
at the break) kept as spaces: the same length, so an offset into the block text is an offset
into the original. A single line break inside a block reads as a space everywhere downstream
(features, sentences, date candidates); body spans and removed pieces point at the original.
"""

from __future__ import annotations

from collections.abc import Sequence

import transforms.boilerplate.thresholds as T
from transforms.boilerplate.features import Line, ends_like_sentence, split_lines

_BULLETS = frozenset("•·▪►▶◦*-–—")


def wrap_width(raws: Sequence[str]) -> int | None:
    """The wrap width W of a page with these physical lines (right-stripped, indent included,
    blank lines kept as ""), or None when the page is not hard-wrapped (module docstring).

    W is the length of the longest line with a space in it (a single word longer than the
    width, a URL, stays whole on its own line) and a non-empty line above or below it (a
    headline between blank lines may be longer than the width the story is wrapped at).
    The page is hard-wrapped when W <= T.WRAP_MAX_WIDTH and at least T.WRAP_MIN_BREAKS of
    its line breaks are `forced_break`s (a sentence broken because its next word did not
    fit). Greedy wrapping makes one at nearly every break inside a paragraph; a page of one
    paragraph per line has few (its lines end at sentence ends, anywhere). On the 93
    labelled web pages (one paragraph per line) W is 117 columns or more; wrapped, 60-75.
    T.WRAP_MIN_BREAKS is chosen by cross-validation on short windows (eval/wrap_cv.py)."""
    width = 0
    for i, line in enumerate(raws):
        if len(line) > width and " " in line.strip():
            if len(line) > T.WRAP_MAX_WIDTH:
                return None  # the fast exit of every page with one paragraph per line
            if i and raws[i - 1] or i + 1 < len(raws) and raws[i + 1]:
                width = len(line)
    breaks = 0
    for prev, line in zip(raws, raws[1:], strict=False):
        if prev and line and forced_break(prev, line, width):
            breaks += 1
            if breaks >= T.WRAP_MIN_BREAKS:
                return width
    return None


def forced_break(prev: str, line: str, width: int) -> bool:
    """True when the break between physical lines `prev` and `line` (right-stripped, both
    non-empty) on a page wrapped at `width` columns is forced in the middle of a sentence:
    `prev` ends without sentence punctuation, `line` `continues` the sentence
    when T.WRAP_BREAK_NEEDS_LOWER (a sentence continues), and `prev` plus the first word of
    `line` would pass width - T.WRAP_SLACK (the word did not fit)."""
    stripped = line.lstrip()
    if ends_like_sentence(prev) or not stripped:
        return False
    if T.WRAP_BREAK_NEEDS_LOWER and not continues(stripped):
        return False
    return len(prev) + 1 + _first_word_len(stripped) > width - T.WRAP_SLACK


def continues(stripped: str) -> bool:
    """True when a line (stripped, non-empty) starts like the rest of a sentence: a lower-case
    letter, a digit, or a letter of a script without case (Korean, Chinese, Arabic ...)."""
    first = stripped[0]
    return first.islower() or first.isalnum() and not first.isupper()


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip())


def _first_word_len(stripped: str) -> int:
    cut = stripped.find(" ")
    return len(stripped) if cut < 0 else cut


def joins(prev_raw: str, raw: str, width: int, base_indent: int) -> bool:
    """True when physical line `raw` continues the paragraph of `prev_raw` on a page wrapped at
    `width` columns whose continuation lines are indented `base_indent` spaces."""
    stripped = raw.strip()
    if _indent(raw) > base_indent or stripped[0] in _BULLETS and stripped[1:2] == " ":
        return False  # a paragraph indent or a list item starts a new block
    prev = prev_raw.rstrip()
    if len(prev) + 1 + _first_word_len(stripped) > width - T.WRAP_SLACK:
        return True  # the next word did not fit: the break was forced by the width
    return stripped[0].islower() and not ends_like_sentence(prev)


def build_blocks(text: str, start: int = 0) -> list[Line]:
    """The blocks of text[start:]: one per line unless the page is hard-wrapped (see module
    docstring). Each block: Line(index of its first physical line, start, end, text) with
    text = text[start:end] and its line breaks read as spaces (same length)."""
    lines = split_lines(text, start)
    if len(lines) < 2:
        return lines
    for line in lines:  # the fast exit of pages with one paragraph per line, before any work
        if len(line.text) > T.WRAP_MAX_WIDTH and " " in line.text:
            return lines
    raws = text[start:].split("\n")
    width = wrap_width([raw.rstrip() for raw in raws])
    if width is None:
        return lines
    indents = [_indent(raws[ln.index]) for ln in lines]
    base_indent = min(indents)
    blocks: list[Line] = []
    first = lines[0]
    for prev, line in zip(lines, lines[1:], strict=False):
        adjacent = line.index == prev.index + 1
        if adjacent and joins(raws[prev.index], raws[line.index], width, base_indent):
            continue
        blocks.append(_block(text, first, prev))
        first = line
    blocks.append(_block(text, first, lines[-1]))
    return blocks


def _block(text: str, first: Line, last: Line) -> Line:
    if first is last:
        return first
    return Line(first.index, first.start, last.end, text[first.start : last.end].replace("\n", " "))
