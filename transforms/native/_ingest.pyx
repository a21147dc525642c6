# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The read stage's count of control bytes, compiled: `count_controls` gives exactly what
transforms/ingest/encodings.py `control_count_utf8_reference` gives (the reference, and the
fallback of a worker without this module; tests/test_native_ingest.py compares the two)."""

cdef extern from *:
    const char* NEWSLINE_SOURCE_DIGEST
SOURCE_DIGEST = NEWSLINE_SOURCE_DIGEST.decode()

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from libc.stdint cimport uint64_t
from libc.string cimport memcpy

# The C0 control bytes other than tab, newline, vertical tab, form feed and carriage return,
# and DEL: transforms/ingest/encodings.CONTROL_BYTES, which uses `count_controls` only when
# the two are equal (so the set is defined there, and checked here).
C0_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])


cdef inline Py_ssize_t _is_control_byte(unsigned char c) noexcept nogil:
    return c < 9 or (14 <= c and c < 32) or c == 127


def count_controls(bytes data not None):
    """``len(data) - len(data.translate(None, C0_CONTROLS))``: the C0_CONTROLS bytes in `data`
    (encodings.control_count_utf8, the reference; tests/test_native_ingest.py compares the two).

    Eight bytes at a time: a word with no byte below 0x20 and none equal to 0x7F holds none
    of them (``(x - 0x20..) & ~x & 0x80..`` is non-zero exactly when some byte of x is below
    0x20; the same test of ``x ^ 0x7F..`` against 0x01 finds a 0x7F byte); the bytes of a
    word that may hold one (a line break, a tab) are counted one by one."""
    cdef const unsigned char* p = <const unsigned char*>PyBytes_AS_STRING(data)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data), i = 0, k, count = 0
    cdef uint64_t x, y
    cdef uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL
    with nogil:
        while i + 8 <= n:
            memcpy(&x, p + i, 8)
            y = x ^ 0x7F7F7F7F7F7F7F7FULL
            if ((x - 0x2020202020202020ULL) & ~x & high) | ((y - ones) & ~y & high):
                for k in range(i, i + 8):
                    count += _is_control_byte(p[k])
            i += 8
        while i < n:
            count += _is_control_byte(p[i])
            i += 1
    return count
