"""File formats by their first bytes ("magic numbers"): the one table the readers ask.

`read_unit` asks it whether a file is a zip (read in place), compressed (decompressed as a
stream) or a tar (read member by member); `decode` asks it whether bytes that should be text
are a binary format (an error row with the format's name as its reason). Signatures from each
format's specification (zip: PKWARE APPNOTE 4.3.7 and 4.3.16; gzip: RFC 1952; bzip2: the
"BZh" stream header and the "1AY&SY" (pi) block magic; xz: the xz file format 2.2; zstd: RFC
8878; tar: POSIX ustar, "ustar" at offset 257).
"""

from __future__ import annotations

from types import MappingProxyType

ZIP_LOCAL_HEADER = b"PK\x03\x04"  # starts every member of a zip (and the file)

# (signature at offset 0, format). No signature is a prefix of another, so order is free.
MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),  # also needs BZIP2_BLOCK at offset 4 to be sure (see binary_format)
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (ZIP_LOCAL_HEADER, "zip"),  # a zip with members
    (b"PK\x05\x06", "zip"),  # the end record alone: an empty zip
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"\x7fELF", "elf"),
    (b"RIFF", "riff"),
    (b"OggS", "ogg"),
    (b"SQLite format 3", "sqlite"),
)
COMPRESSIONS = frozenset({"gzip", "bzip2", "xz", "zstd"})
BZIP2_BLOCK = b"1AY&SY"
EMPTY_ZIP = b"PK\x05\x06"
TAR_BLOCK = 512  # bytes of a tar header block
TAR_SUFFIXES = (".tar", ".tgz", ".tbz2", ".txz", ".tzst")


Signatures = tuple[tuple[bytes, str], ...]


def _by_first_byte(table: Signatures) -> MappingProxyType[int, Signatures]:
    """The signatures of `table` grouped by their first byte, in table order (read-only)."""
    grouped: dict[int, list[tuple[bytes, str]]] = {}
    for magic, name in table:
        grouped.setdefault(magic[0], []).append((magic, name))
    return MappingProxyType({first: tuple(entries) for first, entries in grouped.items()})


# MAGIC by first byte: `format_of` tries only the one or two signatures that can match (it is
# asked once or twice per document read; looping over all of MAGIC was 14 startswith calls).
MAGIC_BY_FIRST_BYTE = _by_first_byte(MAGIC)


def format_of(head: bytes) -> str | None:
    """The format whose signature `head` (a file's first bytes) starts with, or None."""
    if not head:
        return None
    for magic, name in MAGIC_BY_FIRST_BYTE.get(head[0], ()):
        if head.startswith(magic):
            return name
    return None


def format_of_reference(head: bytes) -> str | None:
    """`format_of` by trying every signature of MAGIC in turn: the reference it is tested
    against (tests/test_ingest_scans.py)."""
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    return None


def compression_of(head: bytes) -> str | None:
    """gzip | bzip2 | xz | zstd when `head` starts a compressed stream, else None."""
    return compression_named(format_of(head))


def compression_named(name: str | None) -> str | None:
    """`name` (a `format_of` result) when it is a compression format, else None: for a
    caller that asked `format_of` already."""
    return name if name in COMPRESSIONS else None


def is_zip(head: bytes) -> bool:
    """Does `head` start a zip file (with members, or an empty one)?"""
    return format_of(head) == "zip"


def is_tar(head: bytes, name: str = "") -> bool:
    """A ustar/pax/GNU tar header; or, for a tar by name, the zero blocks of an empty tar.
    `head`: the first TAR_BLOCK bytes (after decompression)."""
    if len(head) >= 262 and head[257:262] == b"ustar":
        return True
    empty = len(head) == TAR_BLOCK and not any(head)
    return empty and name.lower().endswith(TAR_SUFFIXES)


def binary_format(data: bytes) -> str | None:
    """The binary format text bytes turn out to be (a file of a text archive that is a PDF, an
    image, a nested archive, ...), or None. A bzip2 header counts only with its block magic
    (plain text may start with "BZh"); an empty zip's end record alone is left to the NUL-byte
    check (its reason stays ``nul_bytes``)."""
    name = format_of(data)
    if name == "bzip2" and data[4:10] != BZIP2_BLOCK:
        return None
    if name == "zip" and data.startswith(EMPTY_ZIP):
        return None
    return name
