"""Bytes -> text: detect binary data, pick the encoding, normalise newlines. Pure functions.

The ladder, first match wins (the name recorded in `documents.encoding` in brackets):

1. a byte-order mark: UTF-8 [`utf-8-sig`], UTF-32 [`utf-32`], UTF-16 [`utf-16`];
2. BOM-less UTF-16, recognised by NUL bytes on every other position [`utf-16-le`/`utf-16-be`];
3. binary formats by their magic number (PDF, PNG, JPEG, ...) or NUL bytes -> `binary` /
   `nul_bytes` errors;
4. strict UTF-8 [`utf-8`];
5. UTF-8 with a few stray bytes (valid multi-byte sequences around a handful of invalid ones,
   e.g. one Windows-1252 quote pasted into a UTF-8 page): decoded as UTF-8 with U+FFFD in place
   of the bad bytes [`utf-8`, note `replaced_bytes`];
6. Windows-1252, which is also what ISO-8859-1 (Latin-1) text decodes to in practice: they agree
   on every printable character, and real Latin-1 text has no C1 control bytes [`cp1252`];
7. otherwise `undecodable`. Text full of control characters after decoding is `binary`.
"""

from __future__ import annotations

import codecs
import re

from transforms import native
from transforms.ingest.magic import binary_format
from transforms.limits import MAX_CONTROL_SHARE, MAX_REPLACED_SHARE

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 controls other than tab, newline, vertical tab, form feed, carriage return; and DEL.
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# The same characters as bytes (control_count).
CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
# A lead byte followed by the right number of continuation bytes: evidence the text is UTF-8.
UTF8_MULTIBYTE_RE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

SNIFF_BYTES = 4096

# The compiled count of CONTROL_BYTES (transforms/native/_ingest.pyx `count_controls`), or None:
# `control_count_utf8_reference` is the reference and the fallback (no compiler, a stale build,
# NEWSLINE_NATIVE=0, or a compiled set that is not CONTROL_BYTES).
_NATIVE = native.load("ingest")
_COUNT_CONTROLS = (
    _NATIVE.count_controls
    if _NATIVE is not None and getattr(_NATIVE, "C0_CONTROLS", None) == CONTROL_BYTES
    else None
)


class DecodeProblem(ValueError):
    """Why bytes are not text: `reason` is the error code, the message says more."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark names (utf-8-sig, utf-16, utf-32), or None."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    return None


def bomless_utf16(data: bytes) -> str | None:
    """`utf-16-le`/`utf-16-be` when NUL bytes sit on every other position (ASCII-range text)."""
    if data.find(b"\x00", 0, SNIFF_BYTES) == -1:
        return None  # no NUL at all: both shares below are 0 (most pages: no slices made)
    head = data[:SNIFF_BYTES]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    even_nul = even.count(0) / len(even)
    odd_nul = odd.count(0) / len(odd)
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def sniff_binary(data: bytes) -> str | None:
    """The name of a binary format, `nul_bytes`, or None when the bytes may be text."""
    name = binary_format(data)
    if name is not None:
        return name
    if data.find(b"\x00", 0, SNIFF_BYTES) != -1:  # in the first SNIFF_BYTES, without a copy
        return "nul_bytes"
    return None


def decode_bytes(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """(text, encoding, notes), or raise DecodeProblem with the error reason code."""
    encoding = bom_encoding(data) or bomless_utf16(data)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise DecodeProblem("undecodable", f"{encoding}: {exc}") from None
        return _checked(text, encoding), encoding, ()
    binary = sniff_binary(data)
    if binary == "nul_bytes":
        raise DecodeProblem("nul_bytes", "NUL bytes in the first 4 KiB: not a text file")
    if binary:
        raise DecodeProblem("binary", f"looks like binary data ({binary})")
    try:
        return _checked(data.decode("utf-8"), "utf-8", data), "utf-8", ()
    except UnicodeDecodeError:
        pass
    replaced = _mostly_utf8(data)
    if replaced is not None:
        return _checked(replaced, "utf-8"), "utf-8", ("replaced_bytes",)
    try:
        return _checked(data.decode("cp1252"), "cp1252"), "cp1252", ()
    except UnicodeDecodeError as exc:
        raise DecodeProblem(
            "undecodable", f"neither UTF-8 nor Windows-1252/Latin-1: {exc}"
        ) from None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with U+FFFD for a few bad bytes, when the rest is clearly UTF-8; else None."""
    if not UTF8_MULTIBYTE_RE.search(data):
        return None
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(1, MAX_REPLACED_SHARE * len(data)):
        return None
    return text


def _checked(text: str, encoding: str, utf8: bytes | None = None) -> str:
    """The text, unless it has NUL characters or too many control characters to be prose.
    `utf8`: the text's UTF-8 bytes when the caller has them (the bytes it decoded as strict
    UTF-8): then both checks read those bytes instead of the str (NUL found by memchr, and
    the control characters of a text of up to SNIFF_BYTES * 4 characters, or of an ASCII one,
    counted without encoding the text again); the same answers (`control_count`)."""
    if (b"\x00" in utf8) if utf8 is not None else ("\x00" in text):
        raise DecodeProblem("nul_bytes", f"decoded ({encoding}) text contains NUL characters")
    sample = text[: SNIFF_BYTES * 4]
    if utf8 is not None and len(sample) == len(text):
        controls = control_count_utf8(utf8)  # the sample is the whole text
    elif utf8 is not None and utf8.isascii():
        controls = control_count_utf8(utf8[: len(sample)])  # one byte a character
    else:
        controls = control_count(sample) if sample else 0
    if sample and controls > MAX_CONTROL_SHARE * len(sample):
        raise DecodeProblem("binary", f"decoded ({encoding}) text is mostly control characters")
    return text


def control_count(text: str) -> int:
    """len(CONTROL_RE.findall(text)), counted in the text's UTF-8 bytes (surrogates passed
    through): every CONTROL_RE character is ASCII, one byte, and the bytes of any other code
    point are all >= 0x80, so the counts are equal; bytes.translate deletes them in one C
    loop, about 3x faster than the regular expression (tests/test_bad_input.py compares)."""
    return control_count_utf8(text.encode("utf-8", "surrogatepass"))


def control_count_utf8(data: bytes) -> int:
    """`control_count` of the text whose UTF-8 bytes are `data` (the CONTROL_BYTES in it): the
    compiled count when built (eight bytes at a time, about a quarter of the instructions of
    bytes.translate on the bench pages: a line break or tab sends only its own eight bytes to
    the byte-by-byte count; tests/test_native_ingest.py compares), else the reference."""
    if _COUNT_CONTROLS is not None and type(data) is bytes:
        return _COUNT_CONTROLS(data)
    return control_count_utf8_reference(data)


def control_count_utf8_reference(data: bytes) -> int:
    """`control_count_utf8` in Python, the reference: bytes.translate deletes the CONTROL_BYTES
    in one C loop, and the count is what it deleted."""
    return len(data) - len(data.translate(None, CONTROL_BYTES))


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so that offsets mean the same on every platform."""
    if "\r" not in text:  # most pages: one scan instead of two replace passes
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
