"""Inputs -> read units -> bytes of one document (`RawDoc`) -> `Doc`, or an `ErrorRow` that says
why not. Pure functions; the Beam wrappers are in transforms/ingest/beam.py.

1. `match_input`: a glob, a folder (everything under it) or a file -> `FileRef`s. Files are
   opened through `apache_beam.io.filesystems.FileSystems`, so gs://, s3://, hdfs:// work too;
   local paths are listed by transforms/ingest/listing.py, which classifies links, FIFOs and
   other entries that are not regular files before anything is opened.
2. `plan_file`: a `FileRef` -> read units. A `.zip` or plain `.tar` is listed (headers only) into
   one `MemberRef` per member, so that members spread across workers after a reshuffle; any other
   file is one unit, streamed by one worker (compressed files, `.tar.gz`, JSON Lines).
3. `read_unit`: a unit -> `RawDoc`s and error rows. Formats are recognised by magic bytes.
4. `decode`: `RawDoc` -> `Doc` (encoding ladder in transforms/ingest/encodings.py, ` date ` prefix).

Every input (file, archive member, JSON Lines record) ends as exactly one RawDoc or one
ErrorRow; folders inside archives and blank JSONL lines are not inputs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from transforms.ingest import archives as ar
from transforms.ingest import magic
from transforms.ingest import streams as st
from transforms.ingest.encodings import DecodeProblem, decode_bytes, normalise_newlines
from transforms.ingest.jsonl import JsonlFields, is_jsonl, iter_jsonl
from transforms.ingest.listing import (
    NO_MATCH,
    FileRef,
    check_regular,
    is_glob,
    list_local,
)
from transforms.limits import MAX_DOC_BYTES
from transforms.records import Doc, ErrorRow, RawDoc, content_id, content_id_of_utf8
from transforms.text.pubdate import field_date, parse_prefix
from transforms.text.utf8 import replace_unencodable

DEFAULT_FIELDS = JsonlFields()


# --- 1. match ------------------------------------------------------------------------------------


def match_input(pattern: str, follow_links: bool = False) -> Iterator[FileRef | ErrorRow]:
    """The files a glob, folder or file names. An existing local path is taken literally, glob
    characters and all (`inbox[2024]/`). A path that does not exist is a `not_found` error row;
    a glob or folder that names no file is a `no_match` row, so that it is reported by name.
    Local patterns are listed by transforms/ingest/listing.py (links, FIFOs and other non-files
    become error rows there); URIs through FileSystems."""
    if "://" not in pattern:
        yield from list_local(pattern, follow_links)
        return
    try:
        found = FileSystems.match([pattern])[0].metadata_list
        if not found and not is_glob(pattern):  # an object-store "folder"
            found = FileSystems.match([pattern.rstrip("/") + "/**"])[0].metadata_list
    except Exception as exc:  # noqa: BLE001 - the filesystem's own error, as a row
        yield ErrorRow(pattern, "match", "io_error", f"{type(exc).__name__}: {exc}")
        return
    if not found and not is_glob(pattern):
        yield ErrorRow(pattern, "match", "not_found", "no such file or folder")
    elif not found:
        yield ErrorRow(pattern, "match", "no_match", NO_MATCH)
    for meta in found:
        yield FileRef(meta.path, meta.size_in_bytes, meta.last_updated_in_seconds)


def match_all(
    patterns: Iterable[str], follow_links: bool = False
) -> tuple[list[FileRef], list[ErrorRow]]:
    """Every file of every pattern, each once (driver-side, for incremental runs)."""
    refs: dict[str, FileRef] = {}
    errors: list[ErrorRow] = []
    for pattern in patterns:
        for item in match_input(pattern, follow_links):
            if isinstance(item, ErrorRow):
                errors.append(item)
            else:
                refs.setdefault(item.path, item)
    return sorted(refs.values(), key=lambda r: r.path), errors


# --- 2. plan -------------------------------------------------------------------------------------


def plan_file(ref: FileRef) -> Iterator[FileRef | ar.MemberRef | ErrorRow]:
    """Read units of one file: its members when it is a listable archive, else the file itself."""
    lower = ref.path.lower()
    if not lower.endswith((".zip", ".tar")):
        yield ref
        return
    not_a_file = check_regular(ref.path)
    if not_a_file:
        yield not_a_file
        return
    try:
        with _open(ref.path) as handle:
            head = st.read_head(handle)
            if lower.endswith(".tar") and not magic.is_tar(head, lower):
                yield ref  # not a tar after all: read_unit will say what it is
                return
            handle.seek(0)
            lister = ar.list_zip if lower.endswith(".zip") else ar.list_tar
            yield from _nonempty(lister(handle, ref.path), ref.path)
    except Exception as exc:  # noqa: BLE001 - IO failure: one error row for the file
        yield ErrorRow(ref.path, "read", st.error_reason(exc), f"{type(exc).__name__}: {exc}")


def _open(path: str):
    """The file's bytes as a binary stream (no decompression: `read_unit` detects it). A local
    path is opened as Beam's LocalFileSystem opens it uncompressed (``io.open(path, "rb")``)
    without looking the file system up by scheme (a regular expression and a walk over
    every FileSystem subclass, per file read); any other path through FileSystems."""
    if "://" not in path:
        return open(path, "rb")  # the callers close it (with)
    return FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)


def _nonempty(items: Iterable, path: str) -> Iterator:
    """The items; or one `empty_bundle` error row, so that an empty archive is not lost."""
    seen = False
    for item in items:
        seen = True
        yield item
    if not seen:
        yield ErrorRow(path, "read", "empty_bundle", "archive or JSON Lines file with no documents")


# --- 3. read -------------------------------------------------------------------------------------


def read_unit(unit, fields: JsonlFields = DEFAULT_FIELDS) -> Iterator[RawDoc | ErrorRow]:
    """RawDocs and error rows of one read unit (a member, or a whole file)."""
    if isinstance(unit, ar.MemberRef):
        yield read_member(unit)
        return
    not_a_file = check_regular(unit.path)
    if not_a_file:  # checked again just before opening: a FIFO would block the worker
        yield not_a_file
        return
    try:
        with _open(unit.path) as handle:
            yield from _read_stream(handle, unit.path, fields)
    except Exception as exc:  # noqa: BLE001 - after the documents read so far, one error row
        yield ErrorRow(unit.path, "read", st.error_reason(exc), f"{type(exc).__name__}: {exc}")


def read_member(ref: ar.MemberRef) -> RawDoc | ErrorRow:
    """Read one archive member where it is: a RawDoc, or an ErrorRow (stage ``read``)."""
    try:
        with _open(ref.archive) as handle:
            if ref.kind == "zip":
                return ar.read_zip_member(handle, ref)
            return ar.read_tar_member(handle, ref)
    except Exception as exc:  # noqa: BLE001 - a broken member: one error row
        return ErrorRow(ref.source, "read", st.error_reason(exc), f"{type(exc).__name__}: {exc}")


def _read_stream(handle, path: str, fields: JsonlFields) -> Iterator[RawDoc | ErrorRow]:
    head = st.read_head(handle)
    kind = magic.format_of(head)  # asked once: zip, compressed, or neither
    if kind == "zip":  # a zip whatever its name: read it where it is (magic.is_zip)
        handle.seek(0)
        for item in _nonempty(ar.list_zip(handle, path), path):
            yield ar.read_zip_member(handle, item) if isinstance(item, ar.MemberRef) else item
        return
    raw = st.CountingReader(handle, head)
    codec = magic.compression_named(kind)
    stream = st.GuardedReader(st.decompressor(codec, raw), raw) if codec else raw
    name = st.strip_compression_suffix(path) if codec else path
    inner = st.read_head(stream)
    replay = st.CountingReader(stream, inner)
    if magic.is_tar(inner, name):
        yield from _nonempty(ar.iter_tar_stream(replay, path), path)
    elif is_jsonl(name):
        yield from _nonempty(iter_jsonl(replay, path, fields), path)
    else:
        data = st.read_capped(replay)
        if len(data) <= MAX_DOC_BYTES:
            yield RawDoc(path, data)
        elif codec:
            reason = st.oversize_reason(stream.count, raw.count)
            yield ErrorRow(path, "read", reason, f"{codec} inflates past {MAX_DOC_BYTES} bytes")
        else:
            yield ErrorRow(path, "read", "too_large", f"larger than the cap of {MAX_DOC_BYTES}")


# --- 4. decode -----------------------------------------------------------------------------------


def decode(raw: RawDoc) -> Doc | ErrorRow:
    """Bytes -> Doc: pick the encoding, normalise newlines, parse the date prefix."""
    notes: tuple[str, ...] = ()
    exact = False  # is `text` raw.data as it is, decoded as strict UTF-8?
    if raw.text_hint is not None:
        text, encoding = raw.text_hint, "utf-8"
    else:
        try:
            text, encoding, notes = decode_bytes(raw.data)
        except DecodeProblem as problem:
            return ErrorRow(raw.source, "decode", problem.reason, str(problem))
        # text is raw.data decoded as strict UTF-8 here, so a CR (or NUL) is in one exactly
        # when its byte is in the other: the bytes are searched (memchr), not the str
        exact = encoding == "utf-8" and not notes and b"\r" not in raw.data
    doc_id = None
    if exact:
        # Strict UTF-8 decoding yields no lone surrogate (nothing to replace) and, without a
        # CR, no newline to normalise: the text's UTF-8 bytes are raw.data, hashed as they are
        # (most pages: two encodes of the whole text saved).
        replaced = 0
        doc_id = content_id_of_utf8(raw.data)
    else:
        text, replaced = replace_unencodable(normalise_newlines(text))
    if replaced:
        notes += ("replaced_code_points",)
    # decode_bytes refused a NUL already (encodings._checked); an exact text is its bytes as
    # they are, so only a text given as str (JSON Lines) or rewritten above is searched
    if not exact and "\x00" in text:
        return ErrorRow(raw.source, "decode", "nul_bytes", "text contains NUL characters")
    prefix_len, published, problem = parse_prefix(text)
    if problem:
        notes += (problem,)
    source = "prefix" if published else "none"
    if published is None and raw.published_hint:
        published = field_date(raw.published_hint)
        source = "field" if published else "none"
        if published is None:
            notes += ("bad_date_field",)
    if is_blank(text, prefix_len):
        return ErrorRow(raw.source, "decode", "empty", "no text (empty or whitespace only)")
    return Doc(
        doc_id=doc_id or content_id(text),
        source=raw.source,
        text=text,
        published=published,
        published_source=source,
        prefix_len=prefix_len,
        encoding=encoding,
        notes=notes,
        replaced_code_points=replaced,
    )


# Characters `is_blank` looks at first: a page's text nearly always starts within them.
BLANK_PROBE_CHARS = 256


def is_blank(text: str, start: int = 0) -> bool:
    """``not text[start:].strip()``: nothing but whitespace (str.isspace) from `start` on. A
    short window is looked at first, so that a page is not copied to find its first letter."""
    if text[start : start + BLANK_PROBE_CHARS].strip():
        return False
    return not text[start:].strip()


def client_path(path: str) -> str:
    """A local path made absolute where the pipeline is built (URIs unchanged).

    Transforms are constructed in the launching process; their DoFns run in SDK workers whose
    working directory is not the user's (Flink, Spark, Dataflow, an external worker pool), where
    a relative `seeds/*.txt` would silently match nothing.
    """
    return path if "://" in path else os.path.abspath(path)
