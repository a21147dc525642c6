"""Compressed files and bundles, read as streams, one member at a time. Pure functions over
file-like objects (the caller opens them through Beam's FileSystems); nothing is ever extracted
to disk and no archive is ever loaded whole.

- Compression is detected by magic bytes: gzip, bzip2, xz, zstandard.
- A tar member is streamed (`.tar.gz`, `.tgz`, `.tar.zst`, ...) or, for a plain `.tar`, read at
  its data offset; a zip member is read at its local-header offset (see `list_zip`).
- Every member is checked before it is read: links, absolute or `../` names, devices and
  encrypted members are refused with an error row; its size is capped (MAX_DOC_BYTES) and the
  compression ratio is watched (MAX_COMPRESSION_RATIO) so a decompression bomb stops early.
"""

from __future__ import annotations

import bz2
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from transforms.ingest.magic import ZIP_LOCAL_HEADER
from transforms.ingest.streams import error_reason, oversize_reason, read_capped, read_head
from transforms.limits import (
    ARCHIVE_INFLATE_FLOOR_BYTES,
    MAX_COMPRESSION_RATIO,
    MAX_DOC_BYTES,
    MAX_MEMBERS_PER_ARCHIVE,
    READ_CHUNK_BYTES,
)
from transforms.records import ErrorRow, RawDoc

LOCAL_HEADER_BYTES = 30  # fixed part of a zip local file header, before its name and extra


@dataclass(frozen=True)
class MemberRef:
    """Where one archive member's bytes are: enough to read it without listing the archive."""

    archive: str
    name: str
    kind: str  # tar | zip
    offset: int  # tar: offset of the data; zip: offset of the local file header
    length: int  # bytes stored in the archive
    size: int  # bytes once decompressed (as declared by the archive)
    method: int = 0  # zip compression method (0 stored, 8 deflate, 12 bzip2)
    crc: int = 0  # zip CRC-32 of the decompressed bytes
    limit: int = 0  # zip: where the next member (or the central directory) starts; 0 unknown

    @property
    def source(self) -> str:
        """The member's source: ``archive!member``."""
        return member_source(self.archive, self.name)


def member_source(archive: str, name: str) -> str:
    """The source of an archive member or JSON Lines record: ``archive!name``."""
    return f"{archive}!{name}"


# --- member checks --------------------------------------------------------------------------------


def unsafe_name(name: str) -> str | None:
    """Why a member name could escape an extraction folder (we never extract; we refuse it)."""
    if not name or "\x00" in name:
        return "empty or NUL in name"
    normal = name.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        return "absolute path"
    if ".." in normal.split("/"):
        return "`..` in path"
    return None


def tar_member_problem(info: tarfile.TarInfo) -> tuple[str, str] | None:
    """(reason, message) for a tar member that must not be read, or None."""
    if info.issym() or info.islnk():
        return "link_member", f"link to {info.linkname!r}: links are never followed"
    why = unsafe_name(info.name)
    if why:
        return "unsafe_path", why
    if not info.isreg():
        return "not_a_file", f"tar member type {info.type!r} is not a regular file"
    return None


def zip_member_problem(info: zipfile.ZipInfo) -> tuple[str, str] | None:
    """(reason, message) when a zip member must not be read (link_member, unsafe_path, encrypted,
    unsupported compression method), else None."""
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "link_member", "symbolic link: links are never followed"
    why = unsafe_name(info.filename)
    if why:
        return "unsafe_path", why
    if info.flag_bits & 0x1:
        return "encrypted", "encrypted zip member"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2):
        return "unsupported", f"zip compression method {info.compress_type}"
    return None


def _skip(name: str) -> bool:
    """Folders are not inputs (a member named `dir/` or a tar directory entry)."""
    return name.endswith("/")


# --- tar -----------------------------------------------------------------------------------------


def _tar_walk(fileobj, mode: str, archive: str, size: int | None = None) -> Iterator:
    """(tar, info) for every member of a tar that is not a folder, in order, or an ErrorRow: an
    unreadable archive (an empty one is no error: the caller says empty_bundle), a broken header
    (not when `size` shows the last member itself was cut short: that member gets its own
    `truncated` row), too many members. Headers are forgotten as soon as they are read."""
    try:
        tar = tarfile.open(fileobj=fileobj, mode=mode)
    except Exception as exc:  # noqa: BLE001 - an unreadable archive is one error row
        if str(exc) != "empty file":  # only end-of-archive blocks
            yield ErrorRow(archive, "read", error_reason(exc), f"tar: {exc}")
        return
    seen = 0
    last_end = 0
    while True:
        try:
            info = tar.next()
        except Exception as exc:  # noqa: BLE001 - a broken tar header ends the listing: an error row
            if size is None or last_end <= size:
                yield ErrorRow(
                    archive, "read", error_reason(exc), f"tar after {seen} members: {exc}"
                )
            return
        if info is None:
            return
        tar.members.clear()  # tarfile keeps every header it has seen; we need none of them
        last_end = info.offset_data + info.size
        if info.isdir():
            continue
        seen += 1
        yield tar, info
        if seen >= MAX_MEMBERS_PER_ARCHIVE:
            yield ErrorRow(archive, "read", "too_many_members", f"stopped after {seen} members")
            return


def iter_tar_stream(stream, archive: str) -> Iterator[RawDoc | ErrorRow]:
    """Every member of a tar stream (possibly decompressed on the fly), in order."""
    for entry in _tar_walk(stream, "r|", archive):
        if isinstance(entry, ErrorRow):
            yield entry
            continue
        item = _tar_member(*entry, archive)
        yield item
        if isinstance(item, ErrorRow) and item.reason in ("truncated", "corrupt"):
            return  # the stream broke inside this member: nothing after it can be read


def _tar_member(tar: tarfile.TarFile, info: tarfile.TarInfo, archive: str) -> RawDoc | ErrorRow:
    source = member_source(archive, info.name)
    problem = tar_member_problem(info)
    if problem:
        return ErrorRow(source, "read", *problem)
    if info.size > MAX_DOC_BYTES:
        return ErrorRow(source, "read", "too_large", f"member of {info.size} bytes")
    try:
        data = read_capped(tar.extractfile(info))
    except Exception as exc:  # noqa: BLE001 - a broken member: one error row
        return ErrorRow(source, "read", error_reason(exc), f"{type(exc).__name__}: {exc}")
    if len(data) < info.size:
        return ErrorRow(source, "read", "truncated", f"{len(data)} of {info.size} bytes")
    return RawDoc(source, data)


def list_tar(handle, archive: str) -> Iterator[MemberRef | ErrorRow]:
    """References to the members of an uncompressed, seekable tar (headers only are read)."""
    size = handle.seek(0, 2)
    handle.seek(0)
    for entry in _tar_walk(handle, "r:", archive, size):
        if isinstance(entry, ErrorRow):
            yield entry
            continue
        info = entry[1]
        problem = tar_member_problem(info)
        if problem:
            yield ErrorRow(member_source(archive, info.name), "read", *problem)
        else:
            yield MemberRef(archive, info.name, "tar", info.offset_data, info.size, info.size)


def read_tar_member(handle, ref: MemberRef) -> RawDoc | ErrorRow:
    """Read one tar member at its offset: a RawDoc, or an ErrorRow (too_large, truncated)."""
    if ref.size > MAX_DOC_BYTES:
        return ErrorRow(ref.source, "read", "too_large", f"member of {ref.size} bytes")
    handle.seek(ref.offset)
    data = read_head(handle, ref.size)
    if len(data) < ref.size:
        return ErrorRow(ref.source, "read", "truncated", f"{len(data)} of {ref.size} bytes")
    return RawDoc(ref.source, data)


# --- zip -----------------------------------------------------------------------------------------


def list_zip(handle, archive: str) -> Iterator[MemberRef | ErrorRow]:
    """References to the members of a zip, from its central directory (read once). Entries
    whose data overlap are refused, and the sizes members declare are held to the archive's
    inflation budget (`data_ranges`, `inflate_budget` below)."""
    try:
        with zipfile.ZipFile(handle) as zf:
            infos = zf.infolist()
            directory_start = zf.start_dir
        archive_bytes = handle.seek(0, 2)
    except Exception as exc:  # noqa: BLE001 - an unreadable zip: one error row
        yield ErrorRow(archive, "read", error_reason(exc), f"zip: {exc}")
        return
    if len(infos) > MAX_MEMBERS_PER_ARCHIVE:
        yield ErrorRow(archive, "read", "too_many_members", f"{len(infos)} members")
        return
    overlapping, limits = data_ranges(infos, directory_start)
    budget, declared = inflate_budget(archive_bytes), 0
    for index, info in enumerate(infos):
        if _skip(info.filename):
            continue
        source = member_source(archive, info.filename)
        problem = zip_member_problem(info)
        if problem:
            yield ErrorRow(source, "read", *problem)
            continue
        if index in overlapping:
            yield ErrorRow(source, "read", "overlapping_members", "its data overlaps another's")
            continue
        declared += member_cost(info)
        if declared > budget:
            message = f"the archive's members declare more than {budget} bytes in all"
            yield ErrorRow(source, "read", "decompression_bomb", message)
            continue
        yield MemberRef(
            archive,
            info.filename,
            "zip",
            info.header_offset,
            info.compress_size,
            info.file_size,
            info.compress_type,
            info.CRC,
            limits[index],
        )


# Where a zip's members lie, checked before any is read. The job reads members at their offsets
# itself (so that they spread across workers), which skips zipfile's own consistency checks: a
# crafted central directory can make many entries point at the same compressed data (a 17 KB
# zip of 40 entries over one 5 MB member inflated 40 times). Entries whose data ranges overlap
# are refused (`overlapping_members`), and the sizes members declare are held to a budget per
# archive (`decompression_bomb`); the reader inflates a member to at most its declared size.


def data_ranges(infos: Sequence[zipfile.ZipInfo], directory_start: int) -> tuple[set[int], dict]:
    """(indexes of entries whose data overlaps another's or the central directory,
    {index: offset the entry's data must end by}) for the entries of one zip."""
    order = sorted(range(len(infos)), key=lambda i: infos[i].header_offset)
    limits: dict[int, int] = {}
    next_start = directory_start  # the nearest header offset above, walking down
    for k in range(len(order) - 1, -1, -1):
        offset = infos[order[k]].header_offset
        limits[order[k]] = next_start
        if k and infos[order[k - 1]].header_offset < offset:
            next_start = offset
    overlapping: set[int] = set()
    group: list[int] = []
    group_end = -1
    for i in order:
        start = infos[i].header_offset
        if group and start < group_end:
            group.append(i)
        else:
            if len(group) > 1:
                overlapping.update(group)
            group = [i]
        group_end = max(group_end, start + LOCAL_HEADER_BYTES + infos[i].compress_size)
        if start + LOCAL_HEADER_BYTES + infos[i].compress_size > directory_start:
            overlapping.add(i)
    if len(group) > 1:
        overlapping.update(group)
    return overlapping, limits


def inflate_budget(archive_bytes: int) -> int:
    """The bytes all members of an archive of archive_bytes may declare together."""
    return max(ARCHIVE_INFLATE_FLOOR_BYTES, MAX_COMPRESSION_RATIO * archive_bytes)


def member_cost(info: zipfile.ZipInfo) -> int:
    """What reading a member may inflate: its declared size; nothing for a member declaring
    more than MAX_DOC_BYTES, which is refused unread (`too_large`)."""
    return info.file_size if info.file_size <= MAX_DOC_BYTES else 0


def read_zip_member(handle, ref: MemberRef) -> RawDoc | ErrorRow:
    """Read one member at its local header; sizes capped, CRC checked."""
    if ref.size > MAX_DOC_BYTES:
        reason = oversize_reason(ref.size, ref.length)
        return ErrorRow(ref.source, "read", reason, f"member declares {ref.size} bytes")
    try:
        handle.seek(ref.offset)
        header = read_head(handle, 30)
        if len(header) < 30 or header[:4] != ZIP_LOCAL_HEADER:
            return ErrorRow(ref.source, "read", "corrupt", "no local file header at its offset")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        start = ref.offset + 30 + name_len + extra_len
        if ref.limit and start + ref.length > ref.limit:
            message = "its data runs into the next member or the central directory"
            return ErrorRow(ref.source, "read", "overlapping_members", message)
        handle.seek(start)
        data, _ = _inflate(handle, ref.length, ref.method, ref.size)
    except Exception as exc:  # noqa: BLE001 - a broken member: one error row
        return ErrorRow(ref.source, "read", error_reason(exc), f"{type(exc).__name__}: {exc}")
    if len(data) > ref.size:  # inflated to ref.size + 1 at most: the trick of a lying bomb
        message = f"inflates past the {ref.size} bytes it declares"
        return ErrorRow(ref.source, "read", "decompression_bomb", message)
    if len(data) != ref.size or zlib.crc32(data) != ref.crc:
        return ErrorRow(ref.source, "read", "corrupt", "size or CRC-32 does not match")
    return RawDoc(ref.source, data)


def _inflate(handle, length: int, method: int, cap: int = MAX_DOC_BYTES) -> tuple[bytes, int]:
    """(at most cap + 1 decompressed bytes, compressed bytes consumed) of a zip member."""
    if method == zipfile.ZIP_STORED:
        data = read_head(handle, min(length, cap + 1))
        if len(data) < min(length, cap + 1):
            raise EOFError("unexpected end of data")
        return data, len(data)
    engine = zlib.decompressobj(-15) if method == zipfile.ZIP_DEFLATED else bz2.BZ2Decompressor()
    out, pending, left, consumed = bytearray(), b"", length, 0
    while len(out) <= cap and not engine.eof:
        if not pending and left and _wants_input(engine):
            pending = handle.read(min(READ_CHUNK_BYTES, left))
            if not pending:
                raise EOFError("unexpected end of data")
            left -= len(pending)
            consumed += len(pending)
        elif not pending and _wants_input(engine):
            raise EOFError("unexpected end of data")
        room = cap + 1 - len(out)
        if isinstance(engine, bz2.BZ2Decompressor):
            feed, pending = (pending, b"") if engine.needs_input else (b"", pending)
            out += engine.decompress(feed, max_length=room)
        else:
            out += engine.decompress(pending, room)
            pending = engine.unconsumed_tail
    return bytes(out), consumed


def _wants_input(engine) -> bool:
    return engine.needs_input if isinstance(engine, bz2.BZ2Decompressor) else True
