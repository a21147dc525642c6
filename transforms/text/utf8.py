"""Names and text that UTF-8 cannot carry: escaped names, U+FFFD for unencodable text.

Python hands the job strings that are not valid Unicode text in three places:

- file names on POSIX are bytes; a byte that is not UTF-8 arrives as a lone surrogate
  U+DC80-U+DCFF (PEP 383 "surrogateescape"), e.g. ``caf\\xe9.txt`` written by a Latin-1 system;
- tar member names are decoded the same way by `tarfile`;
- JSON strings may hold lone surrogates (``"\\ud800"``), which `json.loads` keeps.

Beam's coders and Parquet need UTF-8, so such a string must never leave a DoFn as it is.

- A **name** (`source` of a document or error row, a manifest path) is escaped by
  `escape_name`: names that are valid UTF-8 are never changed; in a name that is not, each
  byte that is not UTF-8 is written ``\\xHH`` (two lower-case hex digits, as Python's
  ``backslashreplace``) and any other lone surrogate ``\\uDXXX``. The original name (with its
  bytes) stays in the read unit (`FileRef.path`, `MemberRef.archive`), which is what the job
  opens, matches again and compares in incremental runs; only the escaped form is written.
- **Text** is repaired by `replace_unencodable`: every lone surrogate becomes one U+FFFD, so
  offsets stay code-point offsets into the stored text, and the document carries the decode
  note `replaced_code_points` (counted per document, and in code points by the counter
  `code_points_replaced`).
"""

from __future__ import annotations

import re

# Lone surrogates are the only code points a Python str can hold that UTF-8 cannot encode.
SURROGATE_RE = re.compile("[\ud800-\udfff]")
# The surrogates PEP 383 uses for undecodable bytes 0x80-0xFF.
ESCAPED_BYTES = range(0xDC80, 0xDD00)
REPLACEMENT = "\ufffd"


def is_utf8_safe(text: str) -> bool:
    """Can text be encoded as UTF-8 as it is (no lone surrogates)? The strict UTF-8 encoder
    refuses exactly the code points SURROGATE_RE matches, and encodes a page about 20x faster
    than the regular expression searches it."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def escape_name(name: str) -> str:
    """name as valid UTF-8: unchanged when it already is, else each undecodable byte as
    ``\\xHH`` and each other lone surrogate as ``\\uXXXX``. Example: the file name bytes
    ``b"caf\\xe9.txt"`` (seen by Python as ``"caf\\udce9.txt"``) -> ``"caf\\\\xe9.txt"``."""
    if is_utf8_safe(name):
        return name
    return SURROGATE_RE.sub(_escape_one, name)


def _escape_one(match: re.Match) -> str:
    point = ord(match.group())
    if point in ESCAPED_BYTES:
        return f"\\x{point - 0xDC00:02x}"
    return f"\\u{point:04x}"


def replace_unencodable(text: str) -> tuple[str, int]:
    """(text with every lone surrogate replaced by U+FFFD, number replaced). One code point for
    one code point: offsets into the result are offsets into the input."""
    if is_utf8_safe(text):
        return text, 0
    return SURROGATE_RE.subn(REPLACEMENT, text)
