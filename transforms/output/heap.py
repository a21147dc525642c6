"""Giving a worker's freed memory back to the operating system once a batch of files is written.

Why: a writer converts thousands of rows (Python dicts and strings, mostly allocated by the C
library's malloc) into Arrow data (pyarrow's own pool, mimalloc) and drops them once the files
are written. Both allocators keep freed pages for reuse, and glibc's heap returns only the
free space at its top, so a long run's heap ends up holding free pages between live memos and
buffers. Measured on the bench pages (1 worker, glibc's mallinfo2 sampled every 30 s): 15-26 MiB
of the heap was free at any time, and the heap grew from 102 to 133 MiB between 10,000 and
53,000 pages while the rows held stayed within the writers' budget. ``malloc_trim(0)`` hands
every free page of every arena back (``madvise``), pyarrow's ``release_unused`` the pool's;
each costs a few milliseconds, once per batch of files (thousands of pages), not per row.

Nothing here changes what is computed; where the C library has no ``malloc_trim`` (macOS,
musl) only the Arrow pool is released.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable

import pyarrow as pa


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


class HeapReleaser:
    """``release()``: give the C heap's and pyarrow's free pages back to the OS. Pickles by
    looking ``malloc_trim`` up again where it is unpickled (a ctypes function does not
    pickle), so a DoFn can hold one from its constructor."""

    def __init__(self) -> None:
        self.trim = _malloc_trim()

    def __reduce__(self):
        return (HeapReleaser, ())

    def release(self) -> None:
        """Return freed memory to the operating system (see the module docstring)."""
        if self.trim is not None:
            self.trim(0)
        pa.default_memory_pool().release_unused()
