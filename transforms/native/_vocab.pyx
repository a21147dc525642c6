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
from libc.string cimport memset

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
    _MAX_RULES = 64  # one bit per rule in an unsigned 64-bit mask (per word of `words`)
    _MAX_WORDS = 8  # the words of a wider scan (`words`)
    _MAX_SPECIAL = 64  # first characters outside ASCII that a trigger starts with


cdef class TriggerScan:
    """`mask(lower)`: the rules (bit i = rule i, i < 64) one of whose triggers occurs in the
    lower-cased line. Built from [(rule index, (trigger, ...)), ...]; an empty trigger occurs
    in every line. Raises ValueError for a rule index outside 0..63.

    `n_words` > 1: a scan of several sets of literals in one pass over the line (rule index i
    in 0..64 * n_words - 1: bit i % 64 of word i // 64); `words(lower)` gives every word,
    `mask(lower)` the first. Each word is what a scan of only its own literals would give."""

    cdef Py_UCS4* chars  # the triggers' code points, one after the other, sorted by first
    cdef Py_ssize_t* starts  # trigger j is chars[starts[j]:starts[j] + lens[j]]
    cdef Py_ssize_t* lens
    cdef unsigned long long* bits  # the rule bit of trigger j, in word word_of[j]
    cdef Py_ssize_t* word_of
    cdef Py_ssize_t n_words
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
    cdef unsigned long long always[_MAX_WORDS]  # rules with an empty trigger
    # the gate of a one-byte (Latin-1) line, one test per position: gate16[256*c + d] is 1
    # when a trigger may start at a position holding c followed by d (d = 0 at the line's
    # end): every d for a c that opens its whole list (gate_all, or a non-ASCII first
    # character), the pairs above otherwise; else 0. It only rules positions out; the
    # triggers it lets through are compared in full, as before. One byte per pair: one load
    # per position instead of a load, a shift and a mask (the test runs at every position of
    # every one-byte line); set directly (memset), not through a bit table copied bit by bit
    # (65,536 steps per scan built, most of building one)
    cdef unsigned char* gate16

    def __cinit__(self, rules, Py_ssize_t n_words=1):
        cdef list words = []
        cdef Py_ssize_t total = 0, j, k, pos
        self.chars = NULL
        self.starts = self.lens = NULL
        self.bits = NULL
        self.word_of = NULL
        self.pair_lo = self.pair_hi = NULL
        self.gate16 = NULL
        if not 1 <= n_words <= _MAX_WORDS:
            raise ValueError(f"n_words {n_words} outside 1..{_MAX_WORDS}")
        self.n_words = n_words
        memset(self.always, 0, sizeof(self.always))
        self.n_special = 0
        for index, triggers in rules:
            if not 0 <= index < _MAX_RULES * n_words:
                raise ValueError(f"rule index {index} outside 0..{_MAX_RULES * n_words - 1}")
            for trigger in triggers:
                if trigger:
                    words.append((ord(trigger[0]), trigger, index))
                    total += len(trigger)
                else:
                    self.always[index // _MAX_RULES] |= 1ULL << (index % _MAX_RULES)
        words.sort()
        self.n = len(words)
        self.chars = <Py_UCS4*>PyMem_Malloc((total + 1) * sizeof(Py_UCS4))
        self.starts = <Py_ssize_t*>PyMem_Malloc((self.n + 1) * sizeof(Py_ssize_t))
        self.lens = <Py_ssize_t*>PyMem_Malloc((self.n + 1) * sizeof(Py_ssize_t))
        self.bits = <unsigned long long*>PyMem_Malloc((self.n + 1) * sizeof(unsigned long long))
        self.word_of = <Py_ssize_t*>PyMem_Malloc((self.n + 1) * sizeof(Py_ssize_t))
        self.pair_lo = <Py_ssize_t*>PyMem_Malloc(16384 * sizeof(Py_ssize_t))
        self.pair_hi = <Py_ssize_t*>PyMem_Malloc(16384 * sizeof(Py_ssize_t))
        self.gate16 = <unsigned char*>PyMem_Malloc(65536)
        if not (self.chars and self.starts and self.lens and self.bits and self.word_of
                and self.pair_lo
                and self.pair_hi and self.gate16):
            raise MemoryError()
        # (pair_lo and pair_hi are read only where the bit of pairs is set: not zeroed)
        memset(self.lo, 0, sizeof(self.lo))
        memset(self.hi, 0, sizeof(self.hi))
        memset(self.gate_all, 0, sizeof(self.gate_all))
        memset(self.pairs, 0, sizeof(self.pairs))
        memset(self.gate16, 0, 65536)
        pos = 0
        for j, (first, trigger, index) in enumerate(words):
            self.starts[j] = pos
            self.lens[j] = len(trigger)
            self.bits[j] = 1ULL << (index % _MAX_RULES)
            self.word_of[j] = index // _MAX_RULES
            for ch in trigger:
                self.chars[pos] = ord(ch)
                pos += 1
            if first < 128:
                if len(trigger) == 1 or ord(trigger[1]) >= 128:
                    self.gate_all[first] = True
                else:
                    k = 128 * first + ord(trigger[1])
                    if not (self.pairs[k >> 3] >> (k & 7)) & 1:
                        self.pairs[k >> 3] |= 1 << (k & 7)
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
                memset(self.gate16 + 256 * <Py_ssize_t>first, 1, 256)
            else:  # an ASCII trigger of two or more characters, the second ASCII
                self.gate16[256 * <Py_ssize_t>first + <Py_ssize_t>ord(trigger[1])] = 1

    def __dealloc__(self):
        PyMem_Free(self.chars)
        PyMem_Free(self.starts)
        PyMem_Free(self.lens)
        PyMem_Free(self.bits)
        PyMem_Free(self.word_of)
        PyMem_Free(self.pair_lo)
        PyMem_Free(self.pair_hi)
        PyMem_Free(self.gate16)

    cdef void _scan(self, const uchar_t* data, Py_ssize_t n,
                    unsigned long long* found) noexcept nogil:
        """found[w] (w < n_words): the bits of word w whose literals occur in data[:n]."""
        cdef Py_ssize_t i, j, k, lo, hi, size
        for k in range(self.n_words):
            found[k] = self.always[k]
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
                if found[self.word_of[j]] & self.bits[j]:
                    continue
                size = self.lens[j]
                if i + size > n:
                    continue
                k = 1
                while k < size and data[i + k] == self.chars[self.starts[j] + k]:
                    k += 1
                if k == size:
                    found[self.word_of[j]] |= self.bits[j]

    cdef void _scan_str(self, str lower, unsigned long long* found):
        cdef int kind = PyUnicode_KIND(lower)
        cdef void* data = PyUnicode_DATA(lower)
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(lower)
        if kind == PyUnicode_1BYTE_KIND:
            self._scan(<const unsigned char*>data, n, found)
        elif kind == PyUnicode_2BYTE_KIND:
            self._scan(<const unsigned short*>data, n, found)
        else:
            self._scan(<const unsigned int*>data, n, found)

    cpdef unsigned long long mask(self, str lower):
        """The rules (bit i = rule i, i < 64: the first word) one of whose triggers occurs in
        `lower` (the line already lower-cased, as the triggers are)."""
        cdef unsigned long long found[_MAX_WORDS]
        self._scan_str(lower, found)
        return found[0]

    def words(self, str lower):
        """`mask(lower)` of every word: a tuple of n_words ints (word w: the rules 64 * w to
        64 * w + 63, bit i - 64 * w for rule i)."""
        cdef unsigned long long found[_MAX_WORDS]
        self._scan_str(lower, found)
        return tuple([found[k] for k in range(self.n_words)])


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
