"""Sentence spans inside body spans, and how a line break inside a paragraph reads.

A body span is one block of the splitter (transforms/boilerplate/blocks.py): one line of a page
dump, or the lines of one paragraph of hard-wrapped text. A sentence never crosses a body span,
but it does cross a single line break inside one: there a line break is a space
(`read_breaks_as_spaces`, used by the sentence splitter and the date tagger alike). A blank line
always ends a paragraph. Offsets are into the document text, like every span in newsline.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

# End of a sentence: . ! or ? (and closing quotes/brackets), white space, then something that can
# start a sentence (capital, digit, opening quote or bracket).
BOUNDARY_RE = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")

# Words that end in a period without ending the sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt st jr sr co corp inc ltd no vs etc
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m
    mt ft ave blvd rev hon pres dept univ""".split()
)


# A single line break: a "\n" between two non-blank characters with only spaces or tabs
# around it (a blank line is a paragraph break, not a space).
_SINGLE_BREAK = re.compile(r"(?<=\S)[ \t]*\n(?=[ \t]*\S)")


def read_breaks_as_spaces(text: str, spans: Sequence[tuple[int, int]] | None = None) -> str:
    """text with every single line break inside `spans` (default: the whole text) replaced by
    a space. Same length, so every offset into the result is an offset into text; the text of
    a span of the result is the original's with "October\\n27, 2019" read "October 27, 2019".
    Costs one substring search per span when there is no line break (pages dumped one
    paragraph per line)."""
    if "\n" not in text:
        return text
    breaks: list[int] = []
    for start, end in spans if spans is not None else ((0, len(text)),):
        if text.find("\n", start, end) < 0:
            continue
        breaks.extend(m.end() - 1 for m in _SINGLE_BREAK.finditer(text, start, end))
    if not breaks:
        return text
    chars = list(text)
    for pos in breaks:
        chars[pos] = " "
    return "".join(chars)


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower()
    if not word:
        return False
    # Single capital letters are initials ("George W. Bush"), not sentence ends.
    return word in ABBREVIATIONS or (len(word) == 1 and text[dot - 1].isupper())


def split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], trimmed of surrounding white space."""
    return [span for span, _ in line_sentences(text, start, end)]


def line_sentences(text: str, start: int, end: int) -> Iterator[tuple[tuple[int, int], int]]:
    """The spans of :func:`split_line` one at a time, each with the offset where its untrimmed
    piece stops (the next sentence starts at or after it): a caller can stop reading a long
    line once it is past the offset it looks for."""
    cursor = start
    for match in BOUNDARY_RE.finditer(text, start, end):
        if text[match.start()] == "." and _ends_with_abbreviation(text, match.start()):
            continue
        stop = match.end()
        span = _trim(text, cursor, stop)
        cursor = stop
        if span[0] < span[1]:
            yield span, stop
    span = _trim(text, cursor, end)
    if span[0] < span[1]:
        yield span, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str, lines: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """All sentence spans of the given line spans, in order."""
    out: list[tuple[int, int]] = []
    for start, end in lines:
        out.extend(split_line(text, start, end))
    return out


class SentenceIndex:
    """Find the sentence that holds a character offset (binary search over sentence starts)."""

    def __init__(self, spans: Sequence[tuple[int, int]]):
        self.spans = list(spans)
        self.starts = [start for start, _ in self.spans]

    def find(self, offset: int) -> tuple[int, int] | None:
        """The [start, end) span of the sentence holding offset, or None (outside every sentence).
        """
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.spans[i][0] <= offset < self.spans[i][1]:
            return self.spans[i]
        return None


class LazySentenceIndex:
    """``SentenceIndex(sentence_spans(text, lines)).find`` that splits only the lines it is asked
    about (a document's dates sit in a few of its lines), and a line only as far as the offsets
    asked about so far.  Same answers whenever ``lines`` are sorted and do not overlap (body
    spans always are); otherwise it splits every line up front.
    """

    def __init__(self, text: str, lines: Sequence[tuple[int, int]]):
        self.text = text
        self.lines = list(lines)
        self.starts = [start for start, _ in self.lines]
        ordered = all(a[1] <= b[0] for a, b in zip(self.lines, self.lines[1:], strict=False))
        self.full = None if ordered else SentenceIndex(sentence_spans(text, self.lines))
        # line index -> [its sentences read so far, their starts, where reading stopped, the
        # rest of the line's sentences (None once read to the end)]
        self.split: dict[int, list] = {}

    def find(self, offset: int) -> tuple[int, int] | None:
        """The [start, end) span of the sentence holding offset, or None (outside every sentence).
        """
        if self.full is not None:
            return self.full.find(offset)
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0 or offset >= self.lines[i][1]:
            return None
        line = self.split.get(i)
        if line is None:
            start, end = self.lines[i]
            line = self.split[i] = [[], [], start, line_sentences(self.text, start, end)]
        spans, starts, reached, rest = line
        while rest is not None and reached <= offset:  # later sentences start at >= reached
            found = next(rest, None)
            if found is None:
                rest = line[3] = None
            else:
                spans.append(found[0])
                starts.append(found[0][0])
                reached = line[2] = found[1]
        k = bisect.bisect_right(starts, offset) - 1
        if k >= 0 and offset < spans[k][1]:
            return spans[k]
        return None
