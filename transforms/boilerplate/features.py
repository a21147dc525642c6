"""Line features for the header/footer splitter: pure functions over one line of text.

A line is one "\\n"-separated piece of the page text. Features describe how much it looks like
running prose (length, words, stop-word density, sentence punctuation) or like page furniture
(list bullets, link separators, capitalised menu words, digits).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import operator
import re
import string
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

import transforms.boilerplate.thresholds as T
from transforms import native

# The compiled scan (transforms/native/_split.pyx), or None: the Python below is the reference
# and the fallback (no compiler, a stale build, NEWSLINE_NATIVE=0).
_NATIVE = native.load("split")

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_ASCII_WORD = re.compile(r"[a-zA-Z]+(?:'[a-zA-Z]+)?", re.ASCII)  # _WORD on ASCII text, faster
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DIGITS = re.compile(r"\d+")
_KEY_TOKEN = re.compile(r"[\w#]+")  # what normalise keeps of a line
_ASCII_KEY_TOKEN = re.compile(r"[\w#]+", re.ASCII)  # the same on ASCII text, faster
_BULLET = re.compile(r"^\s*[•·▪►▶◦*]\s")
_FINAL_MARKS = frozenset(".!?。！？…")  # a sentence ends with one of these ...
_CLOSERS = "\"'”’»)]"  # ... maybe followed by closing quotes and brackets
_SENT_INNER = re.compile(r"""[.!?。！？]["'”’)]?\s+["'“‘(]?[A-Z0-9\u0400-\u04ff]""")
_EMBED_SIGNATURE = re.compile(r"^[—–-]\s*.{1,80}\(@\w{1,30}\)\s+\w+\.? \d{1,2}, \d{4}$")
_LINK_SEP = re.compile(r"\s[|»›>/]\s|\s[|»›]$|^[|»›]\s")
_LINK_CHAR = re.compile(r"[|»›>/]")  # a line without any of these has no link separator
_DASHES = frozenset("—–-")  # an embedded post's signature starts with one
_ASCII_LETTERS = string.ascii_letters.encode("ascii")  # str.isalpha's ASCII characters


def normalise(line: str) -> str:
    """Lower case, NFKC, digits collapsed to '#', punctuation and whitespace collapsed."""
    if line.isascii():
        return " ".join(_ASCII_KEY_TOKEN.findall(_DIGITS.sub("#", line.lower())))
    text = unicodedata.normalize("NFKC", line).lower()
    return " ".join(_KEY_TOKEN.findall(_DIGITS.sub("#", text)))


def line_key(line: str) -> int | None:
    """A stable signed 64-bit hash of the normalised line (same on every worker), or None."""
    return key_of_normalised(normalise(line))


def _n_letters(norm: str) -> int:
    """Letters in a normalised line (ASCII: everything but spaces, '#' and '_')."""
    if norm.isascii():
        return len(norm) - norm.count(" ") - norm.count("#") - norm.count("_")
    return sum(map(str.isalpha, norm))


def key_of_normalised(norm: str) -> int | None:
    """line_key for a line already normalised."""
    if len(norm) < T.MIN_KEY_LETTERS or _n_letters(norm) < T.MIN_KEY_LETTERS:
        return None
    digest = hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Line(NamedTuple):
    """One non-empty line: its index among all lines and its stripped span in the text.
    (Line, LineFeatures and Scored are named tuples: immutable and several times cheaper to
    build than frozen dataclasses, and the splitter builds them for every line.)"""

    index: int
    start: int
    end: int
    text: str


def split_lines(text: str, start: int = 0) -> list[Line]:
    """Non-empty lines of text[start:], with spans (stripped of surrounding whitespace): the
    compiled `split_lines` of transforms/native/_split when built (the same Lines:
    tests/test_native_split.py), else `split_lines_reference`."""
    if _NATIVE is not None and 0 <= start <= len(text):
        return _NATIVE.split_lines(text, start, Line)
    return split_lines_reference(text, start)


def split_lines_reference(text: str, start: int = 0) -> list[Line]:
    """`split_lines` in Python, the reference."""
    lines = []
    pos = start
    for index, raw in enumerate(text[start:].split("\n")):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            s = pos + lead
            lines.append(Line(index, s, s + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


class LineFeatures(NamedTuple):
    """The features of one line that the line scores read (computed once per distinct line and
    memoized): sizes in characters and words, ratios in [0, 1]."""

    text: str  # the stripped line
    n_chars: int
    n_words: float
    n_stop: int
    stop_ratio: float
    cap_ratio: float
    ends_sentence: bool
    bullet: bool
    link_seps: int
    embed_signature: bool  # "— Name (@handle) November 4, 2019": the end of an embedded post

    # Features only a few lines need (header lines, pages in unlisted languages): computed when
    # asked for.
    @property
    def n_sentence_marks(self) -> int:
        """Sentence ends inside the line (., !, ? or a CJK mark, then a space and a capital or
        digit)."""
        return len(_SENT_INNER.findall(self.text))

    @property
    def alpha_ratio(self) -> float:
        """Share of letters among the line's characters, in [0, 1]."""
        text = self.text
        if text.isascii():  # an ASCII character is alphabetic when it is an ASCII letter
            letters = len(text) - len(text.encode("ascii").translate(None, _ASCII_LETTERS))
        else:
            letters = sum(map(str.isalpha, text))
        return letters / self.n_chars


def words_of(text: str) -> list[str]:
    """The words of text: runs of letters, with one inner apostrophe (no digits)."""
    return (_ASCII_WORD if text.isascii() else _WORD).findall(text)


def ends_like_sentence(text: str) -> bool:
    """Final punctuation, maybe followed by closing quotes or brackets."""
    return text.rstrip(_CLOSERS)[-1:] in _FINAL_MARKS if text else False


_FIRST = operator.itemgetter(0)


def line_features(text: str, stopwords: frozenset[str]) -> LineFeatures:
    """Shape features of one (non-empty) line."""
    stripped = text.strip()
    ascii_only = stripped.isascii()
    words = (_ASCII_WORD if ascii_only else _WORD).findall(stripped)
    n_cjk = 0 if ascii_only or not _CJK.search(stripped) else len(_CJK.findall(stripped))
    latin_words = [w for w in words if not _CJK.search(w)] if n_cjk else words
    n_words = len(latin_words) + n_cjk / T.CJK_CHARS_PER_WORD
    # lower-case all words at once (" " never changes case, so the split gives them back)
    lower = " ".join(latin_words).lower().split(" ") if latin_words else []
    is_stop = list(map(stopwords.__contains__, lower))
    n_stop = sum(is_stop)
    # capitalised content words = capitalised words - capitalised function words
    caps = sum(map(str.isupper, map(_FIRST, latin_words))) - sum(
        map(str.isupper, map(_FIRST, itertools.compress(latin_words, is_stop)))
    )
    content = max(1, len(latin_words) - n_stop)
    has_sep = _LINK_CHAR.search(stripped) is not None
    return LineFeatures(
        text=stripped,
        n_chars=len(stripped),
        n_words=n_words,
        n_stop=n_stop,
        stop_ratio=n_stop / len(latin_words) if latin_words else 0.0,
        cap_ratio=caps / content,
        ends_sentence=ends_like_sentence(stripped),
        bullet=bool(_BULLET.match(text)),
        link_seps=len(_LINK_SEP.findall(stripped)) if has_sep else 0,
        embed_signature=stripped[:1] in _DASHES and bool(_EMBED_SIGNATURE.match(stripped)),
    )


def scan_line_reference(text: str, stopwords: frozenset[str]) -> tuple[LineFeatures, str]:
    """`scan_line` in Python: (line_features(text, stopwords), normalise(text))."""
    return line_features(text, stopwords), normalise(text)


def compiled_scanner(module, stopwords: frozenset[str]):
    """The compiled module's (transforms/native/_split) LineScanner for one stop-word set:
    `.scan_line(text)` answers as `scan_line_reference(text, stopwords)`."""
    return module.LineScanner(
        stopwords, LineFeatures, T.CJK_CHARS_PER_WORD, _EMBED_SIGNATURE.match
    )


@functools.lru_cache(maxsize=8)
def _native_scanner(stopwords: frozenset[str]):
    """The LineScanner of one stop-word set, built once (it packs the set's short ASCII words
    into a C table); the splitter asks with the same set for every line. A cache, not state."""
    return compiled_scanner(_NATIVE, stopwords)


def line_scanner(stopwords: frozenset[str]) -> Callable[[str], tuple[LineFeatures, str]]:
    """`scan_line` bound to one stop-word set: a function of the line alone, the compiled
    LineScanner's when it is built and enabled, else the reference. Build it once (a Splitter
    does, in its constructor): asking `scan_line` per line looks the scanner up by its
    stop-word set, and a set equal to but not the one cached is compared word by word."""
    if _NATIVE is None:
        return functools.partial(scan_line_reference, stopwords=stopwords)
    return compiled_scanner(_NATIVE, stopwords).scan_line


def scan_line(text: str, stopwords: frozenset[str]) -> tuple[LineFeatures, str]:
    """The seam of the splitter's per-line features (text in, plain tuples out): the shape
    features of one line (`line_features`, a NamedTuple of str, int, float and bool) and its
    normalised form (`normalise`).

    `scan_line_reference` (Python) is the reference. When the compiled module
    transforms/native/_split is built and enabled it answers instead, with identical tuples
    (tests/test_native_split.py runs both on every line of the shared pages, seeds, bench pages
    and generated odd Unicode; tests/test_split_seams.py compares the seam with the plain,
    shortcut-free definition of every feature); a worker without it runs the reference."""
    if _NATIVE is None:
        return scan_line_reference(text, stopwords)
    return _native_scanner(stopwords).scan_line(text)
