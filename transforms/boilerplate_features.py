"""Line features for the header/footer splitter: pure functions over one line of text.

A line is one "\\n"-separated piece of the page text. Features describe how much it looks like
running prose (length, words, stop-word density, sentence punctuation) or like page furniture
(list bullets, link separators, capitalised menu words, digits).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import transforms.boilerplate_thresholds as T

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_NON_KEY = re.compile(r"[^\w#]+", re.UNICODE)
_BULLET = re.compile(r"^\s*[•·▪►▶◦*]\s")
_SENT_END = re.compile(r"""[.!?。！？…]["'”’»)\]]*$""")
_SENT_INNER = re.compile(r"""[.!?。！？]["'”’)]?\s+["'“‘(]?[A-Z0-9\u0400-\u04ff]""")
_EMBED_SIGNATURE = re.compile(r"^[—–-]\s*.{1,80}\(@\w{1,30}\)\s+\w+\.? \d{1,2}, \d{4}$")
_LINK_SEP = re.compile(r"\s[|»›>/]\s|\s[|»›]$|^[|»›]\s")


def normalise(line: str) -> str:
    """Lower case, NFKC, digits collapsed to '#', punctuation and whitespace collapsed."""
    text = unicodedata.normalize("NFKC", line).lower()
    text = _DIGITS.sub("#", text)
    text = _NON_KEY.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def line_key(line: str) -> int | None:
    """A stable signed 64-bit hash of the normalised line (same on every worker), or None."""
    return key_of_normalised(normalise(line))


def key_of_normalised(norm: str) -> int | None:
    """line_key for a line already normalised."""
    if sum(map(str.isalpha, norm)) < T.MIN_KEY_LETTERS:
        return None
    digest = hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass(frozen=True)
class Line:
    """One non-empty line: its index among all lines and its stripped span in the text."""

    index: int
    start: int
    end: int
    text: str


def split_lines(text: str, start: int = 0) -> list[Line]:
    """Non-empty lines of text[start:], with spans (stripped of surrounding whitespace)."""
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


@dataclass(frozen=True)
class LineFeatures:
    n_chars: int
    n_words: float
    n_stop: int
    stop_ratio: float
    cap_ratio: float
    ends_sentence: bool
    n_sentence_marks: int
    bullet: bool
    link_seps: int
    digit_ratio: float
    alpha_ratio: float
    embed_signature: bool  # "— Name (@handle) November 4, 2019": the end of an embedded post


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def line_features(text: str, stopwords: frozenset[str]) -> LineFeatures:
    """Shape features of one (non-empty) line."""
    stripped = text.strip()
    words = words_of(stripped)
    n_cjk = len(_CJK.findall(stripped))
    latin_words = [w for w in words if not _CJK.search(w)]
    n_words = len(latin_words) + n_cjk / T.CJK_CHARS_PER_WORD
    lower = [w.lower() for w in latin_words]
    n_stop = sum(w in stopwords for w in lower)
    caps = sum(w[0].isupper() for w in latin_words if w.lower() not in stopwords)
    content = max(1, len(latin_words) - n_stop)
    n_chars = len(stripped)
    return LineFeatures(
        n_chars=n_chars,
        n_words=n_words,
        n_stop=n_stop,
        stop_ratio=n_stop / len(latin_words) if latin_words else 0.0,
        cap_ratio=caps / content,
        ends_sentence=bool(_SENT_END.search(stripped)),
        n_sentence_marks=len(_SENT_INNER.findall(stripped)),
        bullet=bool(_BULLET.match(text)),
        link_seps=len(_LINK_SEP.findall(stripped)),
        digit_ratio=sum(map(str.isdigit, stripped)) / n_chars,
        alpha_ratio=sum(map(str.isalpha, stripped)) / n_chars,
        embed_signature=bool(_EMBED_SIGNATURE.match(stripped)),
    )
