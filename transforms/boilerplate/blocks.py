"""Blocks before lines: rebuild the paragraphs of hard-wrapped text before the splitter scores it.

News-wire archives, e-mail and fixed-width dumps break every paragraph every 60-80 columns; a
line-level splitter then sees each paragraph as a pile of short, unfinished lines (menu items,
headlines) and drops the article. This module joins physical lines into blocks first; the
splitter scores blocks, not lines.

A page is **hard-wrapped** when its line-length profile says so (`wrap_width`): no line with a
space in it is longer than W columns, W is at most T.WRAP_MAX_WIDTH, and several lines end close
to W in the middle of a sentence (broken because the next word did not fit). Pages with one
paragraph per line (web pages dumped to text) are not hard-wrapped and keep one block per line,
exactly as before.

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


def wrap_width(lines: Sequence[str]) -> int | None:
    """The wrap width W of a page with these non-empty physical lines (right-stripped, indent
    included), or None when the page is not hard-wrapped (see the module docstring).

    W is the length of the longest line with a space in it (a single word longer than the
    width, a URL, stays whole on its own line); the page is hard-wrapped when W <=
    T.WRAP_MAX_WIDTH and at least T.WRAP_MIN_FULL_LINES lines end within T.WRAP_FULL_BAND
    columns of W in the middle of a sentence (broken because the next word did not fit; a page
    of short one-line paragraphs has long lines too, but they end with a full stop). On the 93
    labelled web pages (one paragraph per line) W is 117 columns or more; wrapped, 60-75."""
    width = 0
    for line in lines:
        if len(line) > width and " " in line.strip():
            if len(line) > T.WRAP_MAX_WIDTH:
                return None  # the fast exit of every page with one paragraph per line
            width = len(line)
    band = width - T.WRAP_FULL_BAND
    full = sum(1 for line in lines if len(line) >= band and not ends_like_sentence(line))
    return width if full >= T.WRAP_MIN_FULL_LINES else None


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
    if len(lines) < T.WRAP_MIN_FULL_LINES:
        return lines
    for line in lines:  # the fast exit of pages with one paragraph per line, before any work
        if len(line.text) > T.WRAP_MAX_WIDTH and " " in line.text:
            return lines
    raws = text[start:].split("\n")
    width = wrap_width([raws[ln.index].rstrip() for ln in lines])
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
