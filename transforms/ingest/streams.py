"""Byte streams for reading archives safely: decompression by magic bytes, a guard against
decompression bombs, capped reads, and keeping the bytes read before a stream broke off.
Pure helpers over file-like objects; no Beam, no disk.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import struct
import tarfile
import zipfile
import zlib

import zstandard

from transforms.ingest.magic import TAR_BLOCK
from transforms.limits import (
    MAX_COMPRESSION_RATIO,
    MAX_DOC_BYTES,
    MAX_STREAM_RATIO,
    RATIO_CHECK_AFTER_BYTES,
    READ_CHUNK_BYTES,
)

ZSTD_FEED_BYTES = 1024


class DecompressionBomb(Exception):
    """A stream inflated past MAX_COMPRESSION_RATIO."""


class CountingReader:
    """A read-only stream that counts the bytes read through it (compressed bytes consumed)."""

    def __init__(self, inner, head: bytes = b""):
        self.inner = inner
        self.head = head
        self.count = 0

    def read(self, n: int = -1) -> bytes:
        """Up to n bytes (all with n < 0), the held-back head first."""
        if self.head:
            if n is None or n < 0:
                data, self.head = self.head + self.inner.read(), b""
            else:
                data, self.head = self.head[:n], self.head[n:]
                if len(data) < n:
                    data += self.inner.read(n - len(data))
        else:
            data = self.inner.read(n)
        self.count += len(data)
        return data

    def readable(self) -> bool:
        """Always True (a file-like object for the decompressors)."""
        return True


class GuardedReader(CountingReader):
    """Decompressed bytes; raises DecompressionBomb when the output/input ratio gets absurd."""

    def __init__(self, inner, compressed: CountingReader, head: bytes = b""):
        super().__init__(_PartialReader(inner), head)
        self.compressed = compressed

    def read(self, n: int = -1) -> bytes:
        """Up to n decompressed bytes; raises DecompressionBomb past MAX_STREAM_RATIO."""
        data = super().read(n)
        if self.count > RATIO_CHECK_AFTER_BYTES and self.ratio() > MAX_STREAM_RATIO:
            raise DecompressionBomb(
                f"{self.count} bytes inflated from {self.compressed.count}: ratio over "
                f"{MAX_STREAM_RATIO}"
            )
        return data

    def ratio(self) -> float:
        """Decompressed bytes per compressed byte so far."""
        return self.count / max(1, self.compressed.count)


class _PartialReader:
    """Hands over the bytes decompressed before a stream broke off, then raises its error.

    A buffered `read(n)` of a truncated gzip/bz2/xz stream raises and drops the bytes it had
    already decompressed; reading with `read1` keeps them, so every complete member before the
    break is still read (and the member that was cut gets the `truncated` error row).
    """

    def __init__(self, inner):
        self.inner = inner
        self.read1 = getattr(inner, "read1", inner.read)
        self.failure: BaseException | None = None

    def read(self, n: int = -1) -> bytes:
        if self.failure is not None:
            raise self.failure
        chunks: list[bytes] = []
        size = 0
        while n is None or n < 0 or size < n:
            want = READ_CHUNK_BYTES if n is None or n < 0 else n - size
            try:
                # read1 may return b"" before the end (zstd, between frames); read() never does
                chunk = self.read1(want) or self.inner.read(want)
            except (EOFError, OSError, ValueError, zlib.error, lzma.LZMAError) as exc:
                if not chunks:
                    raise
                self.failure = exc
                break
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)


class ZstdReader:
    """A zstandard stream that, unlike `stream_reader`, says when it was cut short.

    Input is fed ZSTD_FEED_BYTES at a time: zstd run-length blocks can inflate ~40,000x, so a
    small feed bounds what one call can produce (about 40 MiB) before the bomb guard looks.
    """

    def __init__(self, raw):
        self.raw = raw
        self.engine = zstandard.ZstdDecompressor().decompressobj()
        self.fed = False  # has the current frame received any input?
        self.buf = bytearray()
        self.done = False

    def read(self, n: int = -1) -> bytes:
        """Up to n decompressed bytes (all with n < 0)."""
        while not self.done and (n is None or n < 0 or len(self.buf) < n):
            self._step()
        if n is None or n < 0:
            n = len(self.buf)
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    read1 = read

    def _step(self) -> None:
        if self.engine.eof:  # a frame ended: the next one (if any) starts with its unused data
            rest = self.engine.unused_data
            self.engine = zstandard.ZstdDecompressor().decompressobj()
            self.fed = bool(rest)
            if rest:
                self.buf += self.engine.decompress(rest)
            return
        chunk = self.raw.read(ZSTD_FEED_BYTES)
        if not chunk:
            if self.fed:
                raise EOFError("zstd stream ended before the end of its frame")
            self.done = True
            return
        self.fed = True
        self.buf += self.engine.decompress(chunk)


def decompressor(name: str, raw: CountingReader):
    """A file-like decompressor of `name` (gzip, bzip2, xz, zstd) reading from raw."""
    if name == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if name == "bzip2":
        return bz2.BZ2File(raw)
    if name == "xz":
        return lzma.LZMAFile(raw)
    return ZstdReader(raw)


def read_head(stream, n: int = TAR_BLOCK) -> bytes:
    """Up to n bytes (fewer only at the end of the stream)."""
    chunks, size = [], 0
    while size < n:
        chunk = stream.read(n - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_capped(stream, cap: int = MAX_DOC_BYTES) -> bytes:
    """At most cap + 1 bytes, so the caller can tell 'exactly cap' from 'more than cap'."""
    return read_head(stream, cap + 1) if cap < READ_CHUNK_BYTES else _read_chunked(stream, cap)


def _read_chunked(stream, cap: int) -> bytes:
    chunks, size = [], 0
    while size <= cap:
        chunk = stream.read(min(READ_CHUNK_BYTES, cap + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def strip_compression_suffix(name: str) -> str:
    """The name without its compression suffix (.gz, .bz2, .xz, .zst), if any."""
    lower = name.lower()
    for suffix in (".gz", ".bz2", ".xz", ".zst"):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def error_reason(exc: BaseException) -> str:
    """The error code of an exception raised while reading a compressed or bundled stream."""
    if isinstance(exc, DecompressionBomb):
        return "decompression_bomb"
    if isinstance(exc, EOFError) or "unexpected end" in str(exc):
        return "truncated"
    corrupt = (zlib.error, gzip.BadGzipFile, lzma.LZMAError, zstandard.ZstdError)
    if isinstance(exc, corrupt + (tarfile.TarError, zipfile.BadZipFile, struct.error)):
        return "corrupt"
    if isinstance(exc, OSError) and "Invalid data stream" in str(exc):  # bz2
        return "corrupt"
    return "io_error"


def oversize_reason(inflated: int, consumed: int) -> str:
    """`decompression_bomb` when the bytes inflated absurdly, else plain `too_large`."""
    return (
        "decompression_bomb"
        if inflated > MAX_COMPRESSION_RATIO * max(1, consumed)
        else ("too_large")
    )
