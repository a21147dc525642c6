# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The boilerplate vocabulary's pre-checks, compiled (transforms/boilerplate/vocab.py is the
reference and the fallback of a worker without this module; tests/test_native_vocab.py compares
the two on every line of the shared pages, the bench pages, seeds, TimeBank and odd Unicode).

- `TriggerScan.mask(lower)`: one pass over the lower-cased line finds which "contains" rules
  have one of their trigger words in it (bit i of the answer: rule i), where the reference asks
  a combined expression whether any trigger occurs and then every "contains" rule in turn for
  its own (`any(t in lower for t in rule.triggers)`). A trigger "occurs" exactly as Python's
  ``t in lower`` says: the same code points at some position.
- `line_view(line)`: the forms of a line that vocab.LineView computes (stripped text, its
  length, its lower-case form, without leading list markers, without trailing punctuation),
  the strip runs in one pass each: str.strip / lstrip(chars).lstrip() repeated is the longest
  run of characters that are in `chars` or white space (Py_UNICODE_ISSPACE, as str.strip).
"""

cdef extern from *:
    const char* NEWSLINE_SOURCE_DIGEST
SOURCE_DIGEST = NEWSLINE_SOURCE_DIGEST.decode()

cimport cython
from cpython.mem cimport PyMem_Free, PyMem_Malloc

cdef extern from "Python.h":
    enum:
        PyUnicode_1BYTE_KIND
        PyUnicode_2BYTE_KIND
        PyUnicode_4BYTE_KIND
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    object PyUnicode_Substring(object s, Py_ssize_t start, Py_ssize_t end)
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch) nogil


ctypedef fused uchar_t:  # the code units of PEP 393's three string kinds
    unsigned char
    unsigned short
    unsigned int


cdef enum:
    _MAX_RULES = 64  # one bit per rule in an unsigned 64-bit mask
    _MAX_SPECIAL = 64  # first characters outside ASCII that a trigger starts with


cdef class TriggerScan:
    """`mask(lower)`: the rules (bit i = rule i, i < 64) one of whose triggers occurs in the
    lower-cased line. Built from [(rule index, (trigger, ...)), ...]; an empty trigger occurs
    in every line. Raises ValueError for a rule index outside 0..63."""

    cdef Py_UCS4* chars  # the triggers' code points, one after the other, sorted by first
    cdef Py_ssize_t* starts  # trigger j is chars[starts[j]:starts[j] + lens[j]]
    cdef Py_ssize_t* lens
    cdef unsigned long long* bits  # the rule bit of trigger j
    cdef Py_ssize_t n
    cdef Py_ssize_t lo[128]  # triggers starting with ASCII c: j in [lo[c], hi[c])
    cdef Py_ssize_t hi[128]
    # the gate of the ASCII lists: an ASCII trigger's first two characters (bit 128*c + d
    # of pairs); a one-character trigger, or one whose second character is not ASCII, opens
    # its first character's list at every position (gate_all)
    cdef unsigned char pairs[2048]
    cdef bint gate_all[128]
    # the triggers starting with the ASCII pair (c, d), for c without gate_all: j in
    # [pair_lo[128*c + d], pair_hi[128*c + d]) (sorted by trigger, so a pair's are adjacent)
    cdef Py_ssize_t* pair_lo
    cdef Py_ssize_t* pair_hi
    cdef Py_UCS4 special[_MAX_SPECIAL]  # and with another first character
    cdef Py_ssize_t special_lo[_MAX_SPECIAL]
    cdef Py_ssize_t special_hi[_MAX_SPECIAL]
    cdef Py_ssize_t n_special
    cdef unsigned long long always  # rules with an empty trigger
    # the gate of a one-byte (Latin-1) line, one test per position: bit 256*c + d is set when
    # a trigger may start at a position holding c followed by d (d = 0 at the line's end):
    # every d for a c that opens its whole list (gate_all, or a non-ASCII first character),
    # the pairs above otherwise. It only rules positions out; the triggers it lets through are
    # compared in full, as before
    cdef unsigned char gate8[8192]
    # the same gate one byte per pair (gate16[256*c + d]: 0 or 1), read with one load instead
    # of a load, a shift and a mask: the test runs at every position of every one-byte line
    cdef unsigned char* gate16

    def __cinit__(self, rules):
        cdef list words = []
        cdef Py_ssize_t total = 0, j, k, pos
        self.chars = NULL
        self.starts = self.lens = NULL
        self.bits = NULL
        self.pair_lo = self.pair_hi = NULL
        self.gate16 = NULL
        self.always = 0
        self.n_special = 0
        for index, triggers in rules:
            if not 0 <= index < _MAX_RULES:
                raise ValueError(f"rule index {index} outside 0..{_MAX_RULES - 1}")
            for trigger in triggers:
                if trigger:
                    words.append((ord(trigger[0]), trigger, index))
                    total += len(trigger)
                else:
                    self.always |= 1ULL << index
        words.sort()
        self.n = len(words)
        self.chars = <Py_UCS4*>PyMem_Malloc((total + 1) * sizeof(Py_UCS4))
        self.starts = <Py_ssize_t*>PyMem_Malloc((self.n + 1) * sizeof(Py_ssize_t))
        self.lens = <Py_ssize_t*>PyMem_Malloc((self.n + 1) * sizeof(Py_ssize_t))
        self.bits = <unsigned long long*>PyMem_Malloc((self.n + 1) * sizeof(unsigned long long))
        self.pair_lo = <Py_ssize_t*>PyMem_Malloc(16384 * sizeof(Py_ssize_t))
        self.pair_hi = <Py_ssize_t*>PyMem_Malloc(16384 * sizeof(Py_ssize_t))
        self.gate16 = <unsigned char*>PyMem_Malloc(65536)
        if not (self.chars and self.starts and self.lens and self.bits and self.pair_lo
                and self.pair_hi and self.gate16):
            raise MemoryError()
        for k in range(16384):
            self.pair_lo[k] = self.pair_hi[k] = 0
        for k in range(128):
            self.lo[k] = self.hi[k] = 0
            self.gate_all[k] = False
        for k in range(2048):
            self.pairs[k] = 0
        for k in range(8192):
            self.gate8[k] = 0
        pos = 0
        for j, (first, trigger, index) in enumerate(words):
            self.starts[j] = pos
            self.lens[j] = len(trigger)
            self.bits[j] = 1ULL << index
            for ch in trigger:
                self.chars[pos] = ord(ch)
                pos += 1
            if first < 128:
                if len(trigger) == 1 or ord(trigger[1]) >= 128:
                    self.gate_all[first] = True
                else:
                    k = 128 * first + ord(trigger[1])
                    self.pairs[k >> 3] |= 1 << (k & 7)
                    if self.pair_hi[k] == 0:
                        self.pair_lo[k] = j
                    self.pair_hi[k] = j + 1
                if self.hi[first] == 0:
                    self.lo[first] = j
                self.hi[first] = j + 1
            else:
                # (compared as C integers: a Py_UCS4 compared with a Python int is made a
                # one-character str first, never equal, so that every trigger of a first
                # character after its first made a group of its own, never scanned)
                if self.n_special and <long>self.special[self.n_special - 1] == <long>first:
                    self.special_hi[self.n_special - 1] = j + 1
                else:
                    if self.n_special == _MAX_SPECIAL:
                        raise ValueError("too many distinct non-ASCII first characters")
                    self.special[self.n_special] = first
                    self.special_lo[self.n_special] = j
                    self.special_hi[self.n_special] = j + 1
                    self.n_special += 1
        for j, (first, trigger, index) in enumerate(words):
            if first >= 256:
                continue
            if first >= 128 or self.gate_all[first]:
                for k in range(256 * first, 256 * first + 256):
                    self.gate8[k >> 3] |= 1 << (k & 7)
            else:  # an ASCII trigger of two or more characters, the second ASCII
                k = 256 * first + ord(trigger[1])
                self.gate8[k >> 3] |= 1 << (k & 7)
        for k in range(65536):
            self.gate16[k] = (self.gate8[k >> 3] >> (k & 7)) & 1

    def __dealloc__(self):
        PyMem_Free(self.chars)
        PyMem_Free(self.starts)
        PyMem_Free(self.lens)
        PyMem_Free(self.bits)
        PyMem_Free(self.pair_lo)
        PyMem_Free(self.pair_hi)
        PyMem_Free(self.gate16)

    cdef unsigned long long _scan(self, const uchar_t* data, Py_ssize_t n) noexcept nogil:
        cdef unsigned long long found = self.always
        cdef Py_ssize_t i, j, k, lo, hi, size
        cdef Py_UCS4 c, d
        for i in range(n):
            c = data[i]
            if uchar_t is cython.uchar:  # a one-byte line: one gate test rules most out
                d = data[i + 1] if i + 1 < n else 0
                if not self.gate16[256 * <Py_ssize_t>c + <Py_ssize_t>d]:
                    continue
            if c < 128:
                if self.lo[c] == self.hi[c]:
                    continue  # no trigger starts with c
                if self.gate_all[c]:
                    lo = self.lo[c]
                    hi = self.hi[c]
                else:
                    if i + 1 == n:
                        continue
                    d = data[i + 1]
                    if d >= 128:
                        continue
                    k = 128 * <Py_ssize_t>c + <Py_ssize_t>d
                    if not (self.pairs[k >> 3] >> (k & 7)) & 1:
                        continue
                    lo = self.pair_lo[k]  # only the triggers that start with c, d
                    hi = self.pair_hi[k]
            else:
                lo = hi = 0
                for k in range(self.n_special):
                    if self.special[k] == c:
                        lo = self.special_lo[k]
                        hi = self.special_hi[k]
                        break
            for j in range(lo, hi):
                if found & self.bits[j]:
                    continue
                size = self.lens[j]
                if i + size > n:
                    continue
                k = 1
                while k < size and data[i + k] == self.chars[self.starts[j] + k]:
                    k += 1
                if k == size:
                    found |= self.bits[j]
        return found

    cpdef unsigned long long mask(self, str lower):
        """The rules (bit i = rule i) one of whose triggers occurs in `lower` (the line already
        lower-cased, as the triggers are)."""
        cdef int kind = PyUnicode_KIND(lower)
        cdef void* data = PyUnicode_DATA(lower)
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(lower)
        if kind == PyUnicode_1BYTE_KIND:
            return self._scan(<const unsigned char*>data, n)
        if kind == PyUnicode_2BYTE_KIND:
            return self._scan(<const unsigned short*>data, n)
        return self._scan(<const unsigned int*>data, n)


cdef inline bint _in(Py_UCS4 c, str chars):
    """c is white space (str.strip's) or one of chars."""
    return Py_UNICODE_ISSPACE(c) or (c in chars)


cdef Py_ssize_t _lead(const uchar_t* data, Py_ssize_t start, Py_ssize_t end, str chars):
    while start < end and _in(data[start], chars):
        start += 1
    return start


cdef Py_ssize_t _trail(const uchar_t* data, Py_ssize_t start, Py_ssize_t end, str chars):
    while end > start and _in(data[end - 1], chars):
        end -= 1
    return end


def line_view(str line, str lead_chars, str trail_chars):
    """(stripped, len(stripped), stripped.lower(), unbulleted, cleaned) of a line, as
    vocab.LineView.of computes them: `unbulleted` is the stripped line without the run of
    `lead_chars` and white space at its start, `cleaned` that without the run of `trail_chars`
    and white space at its end."""
    cdef int kind = PyUnicode_KIND(line)
    cdef void* data = PyUnicode_DATA(line)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(line), s, e, u, c
    if kind == PyUnicode_1BYTE_KIND:
        s = _lead(<const unsigned char*>data, 0, n, "")
        e = _trail(<const unsigned char*>data, s, n, "")
        u = _lead(<const unsigned char*>data, s, e, lead_chars)
        c = _trail(<const unsigned char*>data, u, e, trail_chars)
    elif kind == PyUnicode_2BYTE_KIND:
        s = _lead(<const unsigned short*>data, 0, n, "")
        e = _trail(<const unsigned short*>data, s, n, "")
        u = _lead(<const unsigned short*>data, s, e, lead_chars)
        c = _trail(<const unsigned short*>data, u, e, trail_chars)
    else:
        s = _lead(<const unsigned int*>data, 0, n, "")
        e = _trail(<const unsigned int*>data, s, n, "")
        u = _lead(<const unsigned int*>data, s, e, lead_chars)
        c = _trail(<const unsigned int*>data, u, e, trail_chars)
    stripped = line if s == 0 and e == n else PyUnicode_Substring(line, s, e)
    return (
        stripped,
        e - s,
        stripped.lower(),
        stripped if u == s else PyUnicode_Substring(line, u, e),
        PyUnicode_Substring(line, u, c),
    )
