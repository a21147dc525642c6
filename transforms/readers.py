"""Reading and decoding: bytes of one input -> a `Doc`, or an `ErrorRow` that says why not.

Pure functions; the Beam wrappers are in transforms/ptransforms.py. File IO goes through
`apache_beam.io.filesystems.FileSystems` so that gs://, s3:// and hdfs:// paths work too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from transforms.limits import MAX_DOC_BYTES, READ_CHUNK_BYTES
from transforms.model import Doc, ErrorRow, RawDoc, content_id

# ` date YYYY-MM-DD ` at the very start of the file, directly followed by the page text.
PREFIX_RE = re.compile(r"^ date (\S{1,20}) ")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

# Magic numbers of common binary formats that end up in text archives by mistake.
BINARY_MAGIC = (
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"\x7fELF", "elf"),
    (b"RIFF", "riff"),
)


def read_path(path: str) -> Iterator[RawDoc | ErrorRow]:
    """Read one matched file; never more than MAX_DOC_BYTES + 1 bytes of it."""
    try:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as handle:
            data = read_capped(handle, MAX_DOC_BYTES)
    except Exception as exc:  # noqa: BLE001 - any IO failure is an error row, not a crash
        yield ErrorRow(path, "read", "io_error", f"{type(exc).__name__}: {exc}")
        return
    if len(data) > MAX_DOC_BYTES:
        yield ErrorRow(
            path, "read", "too_large", f"file is larger than the cap of {MAX_DOC_BYTES} bytes"
        )
        return
    yield RawDoc(path, data)


def read_capped(handle, cap: int) -> bytes:
    """Read at most cap + 1 bytes, so the caller can tell 'exactly cap' from 'more than cap'."""
    chunks: list[bytes] = []
    size = 0
    while size <= cap:
        chunk = handle.read(min(READ_CHUNK_BYTES, cap + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def sniff_binary(data: bytes) -> str | None:
    """The name of a binary format, or None when the bytes may be text."""
    for magic, name in BINARY_MAGIC:
        if data.startswith(magic):
            return name
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "nul_bytes"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode with the encoding the bytes show; raise UnicodeDecodeError when none fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Windows-1252 is what most non-UTF-8 Western news pages are; it leaves five bytes undefined,
    # so random binary still fails here and becomes an error row.
    return data.decode("cp1252"), "cp1252"


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_prefix(text: str) -> tuple[int, dt.date | None, str | None]:
    """(prefix length, publication date, problem) of a ` date YYYY-MM-DD ` prefix."""
    match = PREFIX_RE.match(text)
    if not match:
        return 0, None, None
    iso = ISO_DATE_RE.match(match.group(1))
    if not iso:
        return match.end(), None, "bad_prefix"
    try:
        return match.end(), dt.date(*map(int, iso.groups())), None
    except ValueError:
        return match.end(), None, "bad_prefix"


def decode(raw: RawDoc) -> Doc | ErrorRow:
    """Bytes -> Doc: detect binary, decode, normalise newlines, parse the date prefix."""
    if raw.text_hint is not None:
        text, encoding = raw.text_hint, "utf-8"
    else:
        binary = sniff_binary(raw.data)
        if binary:
            return ErrorRow(raw.source, "decode", "binary", f"looks like binary data ({binary})")
        try:
            text, encoding = decode_bytes(raw.data)
        except UnicodeDecodeError as exc:
            return ErrorRow(raw.source, "decode", "undecodable", str(exc))
    text = normalise_newlines(text)
    if "\x00" in text:
        return ErrorRow(raw.source, "decode", "nul_bytes", "decoded text contains NUL characters")
    prefix_len, published, problem = parse_prefix(text)
    notes: tuple[str, ...] = (problem,) if problem else ()
    if published is None and raw.published_hint:
        published = _iso_date(raw.published_hint)
    if not text[prefix_len:].strip():
        return ErrorRow(raw.source, "decode", "empty", "no text after decoding")
    return Doc(
        doc_id=content_id(text),
        source=raw.source,
        text=text,
        published=published,
        published_source="prefix" if published else "none",
        prefix_len=prefix_len,
        encoding=encoding,
        notes=notes,
    )


def _iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
