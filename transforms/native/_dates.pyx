# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The date stage's hot scans, typed (issue 14 seams; issue 16 "within its speed").

Pure-Python references: transforms/temporal/scan.py (``DispatchScan.triggers`` and
``DispatchScan.positions``: where a date expression can start) and transforms/temporal/tense.py
(``TenseCues.cues_in`` and ``TenseCues.tense`` on the lowercased text: the clause-tense cue
scan). Each function here gives exactly what its reference gives (tests/test_native_dates.py
compares both on TimeBank/AQUAINT, the seeds, the benchmark pages and odd unicode).

How the regular expressions of the references are read here (Python ``re`` on ``str``):
``\\w`` is ``Py_UNICODE_ISALNUM`` or ``_``, ``\\s`` ``Py_UNICODE_ISSPACE``, ``\\d``
``Py_UNICODE_ISDECIMAL``; a search bounded by ``endpos`` sees the text as ending there (a
look-ahead at the bound succeeds), while a look-behind sees the characters before ``pos``.
A trie of literal words (textscan.literals.literal_union with ``longest``; a space stands for
``\\s+``) tries the words that match at a position longest first. Texts are read in place
(PEP 393 kind and data), no Python object is made in the inner loops.
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memcpy
from cpython.unicode cimport (
    Py_UNICODE_ISALNUM,
    Py_UNICODE_ISALPHA,
    Py_UNICODE_ISDECIMAL,
    Py_UNICODE_ISDIGIT,
    Py_UNICODE_ISLOWER,
    Py_UNICODE_ISSPACE,
    Py_UNICODE_ISTITLE,
    Py_UNICODE_ISUPPER,
)

cdef extern from *:
    const char* NEWSLINE_SOURCE_DIGEST

cdef extern from "Python.h":
    int PyUnicode_KIND(object u)
    void* PyUnicode_DATA(object u)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    bint PyUnicode_IS_ASCII(object u)
    int PyUnicode_4BYTE_KIND
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    Py_UCS4 Py_UNICODE_TOLOWER(Py_UCS4 ch)

SOURCE_DIGEST = NEWSLINE_SOURCE_DIGEST.decode()

# scan.py: MAX_PREFIX_WORDS, PREFIX_WINDOW, MAX_CHUNK_BACK; tense.py: TENSE_WINDOW,
# _BEFORE_WINDOW (the caller passes its own values to the constructors, checked there).
DEF MAX_ENDS = 64
DEF MAX_CUES = 256
# More than scan.MAX_PREFIX_WORDS + 1 (the constructor checks).
DEF MAX_POSITIONS = 16
# textscan.firsts.MAX_SHAPE_DIGITS (the constructor checks).
DEF MAX_SHAPE_DIGITS = 5

cdef object _MISSING = object()


cdef struct Text:
    int kind
    void* data
    Py_ssize_t n


cdef inline Text _text(str s):
    cdef Text t
    t.kind = PyUnicode_KIND(s)
    t.data = PyUnicode_DATA(s)
    t.n = len(s)
    return t


cdef inline Py_UCS4 at(Text t, Py_ssize_t i) nogil:
    return PyUnicode_READ(t.kind, t.data, i)


cdef inline bint is_az(Py_UCS4 c) nogil:
    return 97 <= c <= 122


cdef inline bint is_word(Py_UCS4 c):
    # ASCII inline: Py_UNICODE_ISALNUM is up to four calls into the character database
    if c < 128:
        return c == 95 or 48 <= c <= 57 or 97 <= c <= 122 or 65 <= c <= 90
    return Py_UNICODE_ISALNUM(c)


cdef inline bint is_decimal(Py_UCS4 c):
    """\\d (Py_UNICODE_ISDECIMAL), ASCII inline."""
    if c < 128:
        return 48 <= c <= 57
    return Py_UNICODE_ISDECIMAL(c)


cdef inline bint not_word_at(Text t, Py_ssize_t i, Py_ssize_t z):
    """(?!\\w) at i, the text ending at z."""
    return i >= z or not is_word(at(t, i))


cdef class Trie:
    """Literal lowercase words as a flat trie; with ``spaces``, a space in a word matches
    \\s+ (tense.trie_alternation), else only itself (scan.DispatchScan)."""

    cdef bint spaces
    cdef int n_nodes
    cdef int* edge_start
    cdef int* edge_count
    cdef char* terminal
    cdef Py_UCS4* edge_char
    cdef int* edge_target
    # az[node * 26 + c - 97]: the node's child for the letter c of a-z (-1: none). Every
    # step of a walk past the root read the node's edges one at a time (on average half of
    # them); words are mostly letters, so a letter's step is one table read.
    cdef int* az
    # The root's child for each ASCII character (-1: none): every position the scans try
    # starts at the root, and most fail on their first character, which a linear pass over
    # the root's edges (one per distinct first character) read one edge at a time.
    cdef int root[128]
    # pair[a][b]: some word can match text that starts with the ASCII characters a, b (a
    # one-letter word a: every b; with ``spaces``, a space of the word stands for each ASCII
    # white-space character). ``may_start`` reads it before a walk: most word starts of the
    # tense scan fail it (Dispatch keeps its own table for the same reason).
    cdef unsigned char pair[128][128]

    def __cinit__(self, words, bint spaces):
        self.spaces = spaces
        self._pairs(words, spaces)
        nodes = [{}]
        ends = [False]
        for word in words:
            node = 0
            for ch in word:
                nxt = nodes[node].get(ch)
                if nxt is None:
                    nxt = len(nodes)
                    nodes[node][ch] = nxt
                    nodes.append({})
                    ends.append(False)
                node = nxt
            ends[node] = True
        self.n_nodes = len(nodes)
        n_edges = sum(len(n) for n in nodes)
        self.edge_start = <int*>PyMem_Malloc(self.n_nodes * sizeof(int))
        self.edge_count = <int*>PyMem_Malloc(self.n_nodes * sizeof(int))
        self.terminal = <char*>PyMem_Malloc(self.n_nodes * sizeof(char))
        self.edge_char = <Py_UCS4*>PyMem_Malloc((n_edges + 1) * sizeof(Py_UCS4))
        self.edge_target = <int*>PyMem_Malloc((n_edges + 1) * sizeof(int))
        self.az = <int*>PyMem_Malloc(self.n_nodes * 26 * sizeof(int))
        if not (self.edge_start and self.edge_count and self.terminal and self.edge_char
                and self.edge_target and self.az):
            raise MemoryError()
        cdef int k = 0
        cdef int i, a
        for i in range(128):
            self.root[i] = -1
        for ch, child in nodes[0].items():
            if ord(ch) < 128:
                self.root[ord(ch)] = child
        for i in range(self.n_nodes):
            self.edge_start[i] = k
            self.edge_count[i] = len(nodes[i])
            self.terminal[i] = 1 if ends[i] else 0
            for a in range(26):
                self.az[i * 26 + a] = -1
            for ch, child in nodes[i].items():
                self.edge_char[k] = ord(ch)
                self.edge_target[k] = child
                k += 1
                if "a" <= ch <= "z":
                    self.az[i * 26 + ord(ch) - 97] = child

    cdef int _pairs(self, words, bint spaces) except -1:
        """Fill ``pair`` for ``words`` (see its comment)."""
        cdef int a, b
        cdef list blank = [c for c in range(128) if spaces and Py_UNICODE_ISSPACE(c)]
        for a in range(128):
            for b in range(128):
                self.pair[a][b] = 0
        for word in words:
            if not word or ord(word[0]) >= 128:
                continue  # no ASCII first character: no text the table rules out matches it
            if spaces and word[0] == " ":  # \\s+ first: any white space, then anything
                for a in blank:
                    for b in range(128):
                        self.pair[a][b] = 1
                continue
            a = ord(word[0])
            if len(word) == 1:
                for b in range(128):
                    self.pair[a][b] = 1
            elif spaces and word[1] == " ":
                for b in blank:
                    self.pair[a][b] = 1
            elif ord(word[1]) < 128:
                self.pair[a][ord(word[1])] = 1
        return 0

    cdef inline bint may_start(self, Text t, Py_ssize_t p, Py_ssize_t z):
        """False only when no word can match at p: its first two characters are ASCII and no
        word starts with them (``pair``); else True (``ends`` decides)."""
        cdef Py_UCS4 c, c2
        if p + 1 >= z:
            return True
        c = at(t, p)
        c2 = at(t, p + 1)
        return c >= 128 or c2 >= 128 or self.pair[c][c2]

    def __dealloc__(self):
        PyMem_Free(self.edge_start)
        PyMem_Free(self.edge_count)
        PyMem_Free(self.terminal)
        PyMem_Free(self.edge_char)
        PyMem_Free(self.edge_target)
        PyMem_Free(self.az)

    cdef int ends(self, Text t, Py_ssize_t p, Py_ssize_t z, Py_ssize_t* out) noexcept:
        """The ends of the words that match at p (text ending at z), shortest first; their
        count (at most MAX_ENDS)."""
        cdef int node = 0
        cdef int n = 0
        cdef int e, e_end, target
        cdef Py_UCS4 c
        cdef Py_ssize_t q = p
        while True:
            if self.terminal[node] and q > p:
                if n < MAX_ENDS:
                    out[n] = q
                    n += 1
            if q >= z:
                break
            c = at(t, q)
            target = -1
            if node == 0 and c < 128 and not (self.spaces and Py_UNICODE_ISSPACE(c)):
                target = self.root[c]
                if target < 0:
                    break
                q += 1
                node = target
                continue
            if 97 <= c <= 122:  # a letter a-z: never white space, one table read
                target = self.az[node * 26 + <int>c - 97]
                if target < 0:
                    break
                q += 1
                node = target
                continue
            e_end = self.edge_start[node] + self.edge_count[node]
            if self.spaces and Py_UNICODE_ISSPACE(c):
                for e in range(self.edge_start[node], e_end):
                    if self.edge_char[e] == 32:
                        target = self.edge_target[e]
                        break
                if target < 0:
                    break
                q += 1
                while q < z and Py_UNICODE_ISSPACE(at(t, q)):
                    q += 1
            else:
                for e in range(self.edge_start[node], e_end):
                    if self.edge_char[e] == c:
                        target = self.edge_target[e]
                        break
                if target < 0:
                    break
                q += 1
            node = target
        return n


# ------------------------------------------------------------------ lowercase (tagger.py)

# SWAR lowering (eight Latin-1 or four UCS-2 characters per 64-bit word): a word whose
# characters are all ASCII (no bit of HIGH_* set) has A-Z raised by 0x20 in one pass. Each
# character's lane is read with bit 7 as its flag: for a character v < 0x80, v + 0x3F sets
# bit 7 iff v >= 0x41 ("A") and v + 0x25 iff v >= 0x5B (after "Z"), neither carries out of
# the lane (at most 0xBE), and bit 7 shifted right by 2 is 0x20, the case bit.
cdef extern from *:
    """
    #define NEWSLINE_HIGH_1 0x8080808080808080ULL
    #define NEWSLINE_HIGH_2 0xFF80FF80FF80FF80ULL
    #define NEWSLINE_FLAG_1 0x8080808080808080ULL
    #define NEWSLINE_FLAG_2 0x0080008000800080ULL
    #define NEWSLINE_ADD_A_1 0x3F3F3F3F3F3F3F3FULL
    #define NEWSLINE_ADD_Z_1 0x2525252525252525ULL
    #define NEWSLINE_ADD_A_2 0x003F003F003F003FULL
    #define NEWSLINE_ADD_Z_2 0x0025002500250025ULL
    """
    const uint64_t HIGH_1 "NEWSLINE_HIGH_1"
    const uint64_t HIGH_2 "NEWSLINE_HIGH_2"
    const uint64_t FLAG_1 "NEWSLINE_FLAG_1"
    const uint64_t FLAG_2 "NEWSLINE_FLAG_2"
    const uint64_t ADD_A_1 "NEWSLINE_ADD_A_1"
    const uint64_t ADD_Z_1 "NEWSLINE_ADD_Z_1"
    const uint64_t ADD_A_2 "NEWSLINE_ADD_A_2"
    const uint64_t ADD_Z_2 "NEWSLINE_ADD_Z_2"


cdef inline uint64_t _lower_ascii_word(uint64_t w, uint64_t add_a, uint64_t add_z,
                                       uint64_t flag) nogil:
    """``w`` (all its characters ASCII: see HIGH_1/HIGH_2) with A-Z lowered (see above)."""
    return w | ((((w + add_a) & ~(w + add_z)) & flag) >> 2)



ctypedef fused unit_t:  # the code units of PEP 393's 1- and 2-byte kinds
    uint8_t
    uint16_t


cdef int _lower_units(unit_t* src, unit_t* dst, Py_ssize_t n, unsigned int most):
    """same_length_lower's loop for a Latin-1 or UCS-2 text of ``n`` code units: ``dst`` gets
    each unit of ``src`` lowered (eight Latin-1 or four UCS-2 ASCII characters at a time);
    -1 where the reference must decide (U+0130 or U+03A3, or a lowercase past ``most``), else
    0. One loop for both kinds (the review's near-twin loops); Cython compiles one copy per
    kind, the masks and the step resolved at compile time."""
    cdef Py_ssize_t i = 0
    cdef Py_ssize_t step = 8 // sizeof(unit_t)
    cdef unsigned int c
    cdef uint64_t w
    cdef uint64_t high, add_a, add_z, flag
    if unit_t is uint8_t:
        high, add_a, add_z, flag = HIGH_1, ADD_A_1, ADD_Z_1, FLAG_1
    else:
        high, add_a, add_z, flag = HIGH_2, ADD_A_2, ADD_Z_2, FLAG_2
    while i < n:
        if i + step <= n:  # a word at a time while its characters are ASCII
            memcpy(&w, src + i, 8)
            if not (w & high):
                w = _lower_ascii_word(w, add_a, add_z, flag)
                memcpy(dst + i, &w, 8)
                i += step
                continue
        c = src[i]
        if c < 128:
            dst[i] = <unit_t>(c + 32 if 65 <= c <= 90 else c)
        elif unit_t is uint16_t and (c == 0x130 or c == 0x3A3):
            return -1
        else:
            c = Py_UNICODE_TOLOWER(c)
            if c > most:
                return -1
            dst[i] = <unit_t>c
        i += 1
    return 0


def same_length_lower(str text, object reference):
    """tagger._same_length_lower(text): ``text.lower()`` with the same offsets.

    ``str.lower`` reads every character of a non-ASCII text through the full case mapping
    (``_PyUnicode_ToLowerFull``); here an ASCII letter is lowered in place and any other
    character through the simple mapping (``Py_UNICODE_TOLOWER``), whose value is the first
    character of the full one. The two differ only where the full mapping is longer than one
    character (U+0130 alone in Unicode 14, checked by tests/test_native_dates.py) or depends on
    the context (U+03A3, the final sigma): a text with either is handed to ``reference``.
    ASCII texts go to ``reference`` too (``str.lower`` has its own fast path for them)."""
    cdef Text t = _text(text)
    cdef Py_ssize_t i
    cdef unsigned int c
    cdef unsigned int most = 0xFF if t.kind == 1 else (0xFFFF if t.kind == 2 else 0x10FFFF)
    cdef void* buf
    if PyUnicode_IS_ASCII(text):
        return reference(text)
    # The lowercase is written in the text's own kind: no lowercase of a Latin-1 character
    # leaves Latin-1, nor one of the BMP the BMP (checked below all the same), and
    # PyUnicode_FromKindAndData then copies a buffer of that kind (a UCS4 buffer was
    # converted character by character).
    buf = PyMem_Malloc((t.n + 1) * t.kind)
    if buf == NULL:
        raise MemoryError()
    try:
        if t.kind == 1:  # Latin-1: neither U+0130 nor U+03A3 can occur
            if _lower_units(<uint8_t*>t.data, <uint8_t*>buf, t.n, most) < 0:
                return reference(text)
        elif t.kind == 2:  # the BMP, read and written as such (most characters are ASCII)
            if _lower_units(<uint16_t*>t.data, <uint16_t*>buf, t.n, most) < 0:
                return reference(text)
        else:
            for i in range(t.n):
                c = at(t, i)
                if c < 128:
                    if 65 <= c <= 90:
                        c += 32
                elif c == 0x130 or c == 0x3A3:
                    return reference(text)
                else:
                    c = Py_UNICODE_TOLOWER(c)
                (<uint32_t*>buf)[i] = <uint32_t>c
        return PyUnicode_FromKindAndData(t.kind, buf, t.n)
    finally:
        PyMem_Free(buf)


# ------------------------------------------------------------------ dispatch scan (scan.py)

# Dispatch.third: bit 26 stands for every character but a-z, ALL_THIRD for any character.
DEF OTHER_THIRD = 1 << 26
DEF ALL_THIRD = (1 << 27) - 1


cdef inline int _third_bit(Py_UCS4 c) nogil:
    """The bit of Dispatch.third for the character c: c - 97 for a-z, else 26."""
    cdef unsigned int v = c
    return <int>(v - 97) if 97 <= v <= 122 else 26



cdef inline Py_ssize_t _past_az(unit_t* d, Py_ssize_t x, Py_ssize_t end) noexcept:
    """The first x' >= x with d[x'] not a-z, or end - 1 (Dispatch.triggers' letter run, read in
    the text's own kind: PyUnicode_READ tests the kind at each character)."""
    while x + 1 < end and 97 <= d[x] <= 122:
        x += 1
    return x


cdef class Dispatch:
    """DispatchScan's two scans: ``triggers`` and ``positions`` (same arguments, same
    tuples as transforms/temporal/scan.py)."""

    cdef Trie words
    # pair[a][b]: some trigger word starts with the ASCII characters a, b (a one-letter word
    # a: every b). Most word starts fail it, and body then returns without the trie walk
    # (about 60 instructions a word start).
    cdef unsigned char pair[128][128]
    # third[a][b]: the third characters of the trigger words that start with the ASCII
    # characters a, b, one bit each (bit c - 97 for a letter a-z, bit 26 for any other
    # character; every bit for a word shorter than three letters: "q", and after a two-letter
    # word only a non-letter may follow, bit 26). Most word starts that pass ``pair`` ("th"
    # of "the", "to" of "to", "mo" of "most") fail it, and body returns before the trie walk.
    cdef uint32_t third[128][128]
    cdef frozenset prefixes
    cdef int max_prefix_words
    cdef Py_ssize_t prefix_window
    cdef Py_ssize_t max_chunk_back

    def __init__(self, triggers, prefixes, int max_prefix_words, Py_ssize_t prefix_window,
                 Py_ssize_t max_chunk_back, int max_shape_digits=MAX_SHAPE_DIGITS):
        if max_prefix_words + 1 >= MAX_POSITIONS:
            raise ValueError(f"at most {MAX_POSITIONS - 2} prefix words")
        if max_shape_digits != MAX_SHAPE_DIGITS:
            raise ValueError(f"shapes of {MAX_SHAPE_DIGITS} digits here")
        self.words = Trie(sorted(triggers), False)
        cdef int a, b
        for a in range(128):
            for b in range(128):
                self.pair[a][b] = 0
                self.third[a][b] = 0
        for word in triggers:
            if not word or ord(word[0]) >= 128:
                continue  # the trie alone decides (no table entry for a non-ASCII start)
            a = ord(word[0])
            if len(word) == 1:
                for b in range(128):
                    self.pair[a][b] = 1
                    self.third[a][b] = ALL_THIRD
            elif ord(word[1]) < 128:
                b = ord(word[1])
                self.pair[a][b] = 1
                self.third[a][b] |= OTHER_THIRD if len(word) == 2 else (
                    <uint32_t>1 << _third_bit(ord(word[2]))
                )
        self.prefixes = frozenset(prefixes)
        self.max_prefix_words = max_prefix_words
        self.prefix_window = prefix_window
        self.max_chunk_back = max_chunk_back

    cdef Py_ssize_t body(self, Text t, Py_ssize_t p, Py_ssize_t z):
        """(?:\\d+|TRIGGERS(?![a-z])) at p: its end, or -1."""
        cdef Py_ssize_t out[MAX_ENDS]
        cdef int n, k
        cdef Py_ssize_t q, e
        cdef Py_UCS4 c, c2
        if p >= z:
            return -1
        if is_decimal(at(t, p)):
            q = p + 1
            while q < z and is_decimal(at(t, q)):
                q += 1
            return q
        c = at(t, p)
        if c < 128 and p + 1 < z:
            c2 = at(t, p + 1)
            if c2 < 128:
                if not self.pair[c][c2]:
                    return -1  # no trigger word starts with these two characters
                if p + 2 < z and not (self.third[c][c2] & (<uint32_t>1 << _third_bit(at(t, p + 2)))):
                    return -1  # ... nor with them and this third one
        n = self.words.ends(t, p, z, out)
        for k in range(n - 1, -1, -1):
            e = out[k]
            if e >= z or not is_az(at(t, e)):
                return e
        return -1

    def triggers(self, str lower, Py_ssize_t start, Py_ssize_t end):
        """scan.DispatchScan.triggers."""
        cdef Text t = _text(lower)
        cdef list found = []
        cdef Py_ssize_t s, e, x, tt
        cdef Py_UCS4 c, c2
        if end > t.n:
            end = t.n
        if start == 0:
            e = self.body(t, 0, end)
            if e >= 0:
                found.append(0)
                start = e
                if not is_az(at(t, start - 1)) and start < end and is_az(at(t, start)):
                    if self.body(t, start, end) >= 0:
                        found.append(start)
            s = start
        else:
            s = start - 1
        # finditer of [^a-z]BODY from s: the first separator x >= s whose body matches
        x = s
        while x + 1 < end:
            # the letters a-z before the next separator, read in the text's own kind (most
            # characters are letters: PyUnicode_READ tests the kind at each one)
            if t.kind == 1:
                x = _past_az(<uint8_t*>t.data, x, end)
            elif t.kind == 2:
                x = _past_az(<uint16_t*>t.data, x, end)
            else:
                while x + 1 < end and is_az(at(t, x)):
                    x += 1
            if x + 1 >= end:
                break
            tt = x + 1
            # body's first test, read here: an ASCII non-digit and an ASCII character after
            # it that no trigger word starts with (most separators: a space and a letter)
            c = at(t, tt)
            if c < 128 and not (48 <= c <= 57) and tt + 1 < end:
                c2 = at(t, tt + 1)
                if c2 < 128 and not self.pair[c][c2]:
                    x += 1
                    continue
            e = self.body(t, tt, end)
            if e < 0:
                x += 1
                continue
            if not (at(t, tt - 1) in u",.:" and tt >= 2 and Py_UNICODE_ISDIGIT(at(t, tt - 2))):
                found.append(tt)
            if not is_az(at(t, e - 1)) and e < end and is_az(at(t, e)):
                if self.body(t, e, end) >= 0:
                    found.append(e)
            x = e
        return tuple(found)

    cdef int _positions(self, Text tx, Text lw, str lower, Py_ssize_t tstart,
                        Py_ssize_t covered, Py_ssize_t* out):
        """positions() into ``out`` (leftmost first, at most 2 * MAX_POSITIONS); the count."""
        cdef Py_ssize_t starts[MAX_POSITIONS]
        cdef int n = 1
        cdef int m = 0
        cdef Py_ssize_t floor = tstart - self.prefix_window
        cdef Py_ssize_t i, j, pos, back, limit, tmp
        cdef Py_UCS4 c
        cdef int k, a, b
        cdef bint all_start
        if covered > floor:
            floor = covered
        starts[0] = tstart
        # prefix_starts: tokens read backwards from tstart, never at or below floor
        if tstart > floor:
            i = tstart
            while n <= self.max_prefix_words and n < MAX_POSITIONS:
                while i > floor:
                    c = at(lw, i - 1)
                    if is_az(c) or 48 <= c <= 57:
                        break
                    i -= 1
                if i <= floor:
                    break
                if 48 <= at(lw, i - 1) <= 57:
                    break
                j = i - 1
                while j > floor and is_az(at(lw, j - 1)):
                    j -= 1
                if lower[j:i] not in self.prefixes:
                    break
                starts[n] = j
                n += 1
                i = j
        if n == 1 and (tstart <= covered or Py_UNICODE_ISSPACE(at(tx, tstart - 1))):
            out[0] = tstart
            return 1
        # chunk_starts(text, starts, covered)
        all_start = True
        for k in range(n):
            pos = starts[k]
            if pos > covered and not Py_UNICODE_ISSPACE(at(tx, pos - 1)):
                all_start = False
                break
        if all_start:
            for k in range(n):
                out[k] = starts[n - 1 - k]
            return n
        for k in range(n):
            pos = starts[k]
            back = pos
            limit = pos - self.max_chunk_back
            if limit < covered:
                limit = covered
            while back > limit and not Py_UNICODE_ISSPACE(at(tx, back - 1)):
                back -= 1
            out[m] = pos
            out[m + 1] = back
            m += 2
        # sorted, without repeats (insertion sort: at most 2 * MAX_POSITIONS values)
        for a in range(1, m):
            tmp = out[a]
            b = a - 1
            while b >= 0 and out[b] > tmp:
                out[b + 1] = out[b]
                b -= 1
            out[b + 1] = tmp
        k = 0
        for a in range(m):
            if k == 0 or out[a] != out[k - 1]:
                out[k] = out[a]
                k += 1
        return k

    def positions(self, str text, str lower, Py_ssize_t tstart, Py_ssize_t covered):
        """scan.DispatchScan.positions."""
        cdef Py_ssize_t out[2 * MAX_POSITIONS]
        cdef int n = self._positions(_text(text), _text(lower), lower, tstart, covered, out)
        return tuple([out[k] for k in range(n)])

    def hits(self, str text, str lower, Py_ssize_t span_start, Py_ssize_t span_end,
             dict by_word, object for_word, dict by_phrase, object for_phrase, dict by_shape,
             object for_shape, dict by_number, object for_number, dict by_first,
             object fallback, object other_digit, dict rules):
        """tagger.DateTagger._candidates: the grammar's matches in
        ``text[span_start:span_end]`` as scan.Hit tuples (scan.GrammarScan.hit), each tried
        only at the positions of a trigger (triggers, positions) with the sub-grammar
        scan.GrammarScan.pattern_at picks: ``by_word``/``for_word``,
        ``by_phrase``/``for_phrase``, ``by_shape``/``for_shape`` and
        ``by_number``/``for_number`` (dispatch.WordDispatch; all None without it),
        ``by_first``/``fallback``/``other_digit`` (grammar.Grammar). ``rules`` maps a
        branch name to ``(reject, groups, extent_group, unique, names)`` of its grammar.Rule
        (``unique``: no short group name repeats; ``names``: the groups' full names)."""
        cdef Text tx = _text(text)
        cdef Text lw = _text(lower)
        cdef Py_ssize_t pos_buf[2 * MAX_POSITIONS]
        cdef Py_ssize_t covered = span_start
        cdef Py_ssize_t tstart, pos, wend, pend, mend
        cdef int n, k
        cdef Py_UCS4 first, after
        cdef list found = []
        cdef object grammar, m, shape
        for tstart in self.triggers(lower, span_start, span_end):
            if tstart < covered:
                continue
            n = self._positions(tx, lw, lower, tstart, covered, pos_buf)
            for k in range(n):
                pos = pos_buf[k]
                first = at(lw, pos)
                grammar = _MISSING
                if is_az(first) and for_word is not None:
                    wend = pos + 1
                    while wend < span_end and is_az(at(lw, wend)):
                        wend += 1
                    after = at(lw, wend) if wend < span_end else 0
                    if after < 128 or not Py_UNICODE_ISALPHA(after):
                        if after == 32:  # one space: the first two words pick
                            pend = wend + 1
                            while pend < span_end and is_az(at(lw, pend)):
                                pend += 1
                            after = at(lw, pend) if pend < span_end else 0
                            if after < 128 or not Py_UNICODE_ISALPHA(after):
                                word = lower[pos:pend]
                                if pend == wend + 1 and pend < span_end:  # no second word
                                    shape = _after_space_key(lw, pend, span_end)
                                    if shape is not None:
                                        word = word + shape
                                grammar = by_phrase.get(word, _MISSING)
                                if grammar is _MISSING:
                                    grammar = for_phrase(word)
                        if grammar is _MISSING:
                            word = lower[pos:wend]
                            grammar = by_word.get(word, _MISSING)
                            if grammar is _MISSING:
                                grammar = for_word(word)
                elif 48 <= first <= 57 and for_shape is not None:
                    wend = pos + 1
                    while wend < span_end and 48 <= at(lw, wend) <= 57:
                        wend += 1
                    after = at(lw, wend) if wend < span_end else 0
                    if after < 128 or not Py_UNICODE_ISALNUM(after):
                        word = _shape_key(first, wend - pos, after, wend < span_end)
                        if after == 32:  # one space: the run and the word after it pick
                            pend = wend + 1
                            while pend < span_end and is_az(at(lw, pend)):
                                pend += 1
                            after = at(lw, pend) if pend < span_end else 0
                            if after < 128 or not Py_UNICODE_ISALPHA(after):
                                word = word + lower[wend + 1:pend]
                                grammar = by_number.get(word, _MISSING)
                                if grammar is _MISSING:
                                    grammar = for_number(word)
                        if grammar is _MISSING:
                            grammar = by_shape.get(word, _MISSING)
                            if grammar is _MISSING:
                                grammar = for_shape(word)
                if grammar is _MISSING:
                    grammar = by_first.get(lower[pos], _MISSING)
                    if grammar is _MISSING:  # another script's decimal digit: the \d rules
                        grammar = other_digit if Py_UNICODE_ISDECIMAL(first) else fallback
                if grammar is None:
                    continue
                m = grammar.match(text, pos, span_end)
                if m is not None:
                    mend = m.end()
                    if mend > tstart:
                        covered = mend
                        found.append(_hit(m, rules))
                        break
        return found


cdef object _after_space_key(Text t, Py_ssize_t start, Py_ssize_t end):
    """textscan.firsts.after_space_key(lower, start, end): the after-space shape of a phrase
    key ("DDDD " for "1998 ", "$"), None for a character it does not read (not ASCII)."""
    cdef Py_UCS4 buf[MAX_SHAPE_DIGITS + 1]
    cdef Py_ssize_t n = 0
    cdef Py_ssize_t stop = start
    cdef Py_UCS4 c = at(t, start)
    if 48 <= c <= 57:
        while stop < end and 48 <= at(t, stop) <= 57:
            if n < MAX_SHAPE_DIGITS:
                buf[n] = 68  # "D"
                n += 1
            stop += 1
        if stop < end:
            c = at(t, stop)
        else:
            return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n)
    if c >= 128:
        return None
    buf[n] = 9 if c != 32 and Py_UNICODE_ISSPACE(c) else c
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n + 1)


cdef str _shape_key(Py_UCS4 first, Py_ssize_t digits, Py_UCS4 after, bint has_after):
    """scan.shape_key(first, digits, after or "")."""
    cdef Py_UCS4 buf[MAX_SHAPE_DIGITS + 1]
    cdef Py_ssize_t n = 1
    buf[0] = first
    if digits > MAX_SHAPE_DIGITS:
        digits = MAX_SHAPE_DIGITS
    while n < digits:
        buf[n] = 68  # "D"
        n += 1
    if has_after:
        buf[n] = 9 if after != 32 and Py_UNICODE_ISSPACE(after) else after
        n += 1
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n)


cdef tuple _hit(object m, dict rules):
    """scan.GrammarScan.hit."""
    cdef str branch = m.lastgroup
    cdef tuple info = rules[branch]
    cdef tuple groups
    cdef list fields
    cdef list shorts
    cdef tuple pair
    cdef object value, extent
    cdef Py_ssize_t start = m.start()
    cdef Py_ssize_t end = m.end()
    cdef Py_ssize_t ext_start = start
    cdef Py_ssize_t ext_end = end
    cdef tuple names, values
    cdef Py_ssize_t k, n
    found = ()
    if not info[0]:
        groups = info[1]
        fields = []
        if info[3]:
            # every group's text in one call (match.group with several names gives a tuple)
            names = info[4]
            n = len(names)
            if n == 1:
                values = (m.group(names[0]),)
            elif n > 1:
                values = m.group(*names)
            else:
                values = ()
            for k in range(n):
                value = values[k]
                if value is not None:
                    fields.append(((<tuple>groups[k])[1], value))
        else:
            shorts = []
            for pair in groups:
                value = m.group(pair[0])
                if value is not None and pair[1] not in shorts:
                    shorts.append(pair[1])
                    fields.append((pair[1], value))
        found = tuple(fields)
    extent = info[2]
    if extent is not None:
        ext_start, ext_end = m.span(extent)
    return (start, end, branch, found, ext_start, ext_end)


# ------------------------------------------------------------------ clause tense (tense.py)

cdef struct Cue:
    Py_ssize_t start
    Py_ssize_t end
    int future  # 1 future, 0 past


cdef class Tense:
    """TenseCues' fast path (the text lowercased with the same offsets): ``cues`` as
    TenseCues.cues_in gives them, ``tense`` as TenseCues.tense. The rare regex checks behind
    the word-before pre-checks (present passive, past perfect) are the reference's own
    functions, passed in."""

    cdef Trie future
    cdef Trie past
    cdef Trie present
    cdef list aux
    cdef list ed_not
    cdef frozenset before_participle
    cdef frozenset before_perfect
    cdef object passive_check
    cdef object perfect_check
    cdef Py_ssize_t window
    cdef Py_ssize_t before_window
    cdef tuple subordinate
    cdef Trie subordinate_words  # the same words, read in one pass (right_clause_end)

    def __init__(self, future, past, present, aux, ed_not, subordinate, before_participle,
                 before_perfect, passive_check, perfect_check, Py_ssize_t window,
                 Py_ssize_t before_window):
        self.future = Trie(sorted(future), True)
        self.past = Trie(sorted(past), True)
        self.present = Trie(sorted(present), True)
        self.aux = list(aux)
        self.ed_not = list(ed_not)
        self.subordinate = tuple(subordinate)
        if not all(word and "a" <= word[0] <= "z" for word in self.subordinate):
            raise ValueError("right_clause_end reads subordinate words that start with a-z")
        self.subordinate_words = Trie(sorted(self.subordinate), False)
        self.before_participle = frozenset(before_participle)
        self.before_perfect = frozenset(before_perfect)
        self.passive_check = passive_check
        self.perfect_check = perfect_check
        self.window = window
        self.before_window = before_window

    cdef bint lit(self, Text t, Py_ssize_t p, Py_ssize_t z, str word):
        """The literal lowercase word at p, within z."""
        cdef Py_ssize_t k, n = len(word)
        if p + n > z:
            return False
        for k in range(n):
            if at(t, p + k) != <Py_UCS4>word[k]:
                return False
        return True

    cdef Py_ssize_t tail(self, Text t, Py_ssize_t p, Py_ssize_t z) noexcept:
        """_AUX_TAIL then (?!\\w) at p: (?:\\s+(?:AUX))*(?:\\s+[a-z]+)? in backtracking
        order; the end, or -1."""
        cdef Py_ssize_t q = p
        cdef Py_ssize_t r
        cdef str word
        while q < z and Py_UNICODE_ISSPACE(at(t, q)):
            q += 1
        if q > p:
            for word in self.aux:
                if self.lit(t, q, z, word):
                    r = self.tail(t, q + len(word), z)
                    if r >= 0:
                        return r
            if q < z and is_az(at(t, q)):
                r = q
                while r < z and is_az(at(t, r)):
                    r += 1
                if not_word_at(t, r, z):
                    return r
        if not_word_at(t, p, z):
            return p
        return -1

    cdef Py_ssize_t ed_verb(self, Text t, Py_ssize_t p, Py_ssize_t z, Py_ssize_t* run) noexcept:
        """(?!(?:hundred|need|...)(?!\\w))[a-z]{2,}ed(?!\\w) at p: the end, or -1. The -ed
        shape is read first (most words fail it), the excluded words only for a word that has
        it: both must hold, so the order does not change the answer. ``run``: set to the end
        of the run of a-z at p (p when there is none)."""
        cdef str word
        cdef Py_ssize_t r = p
        while r < z and is_az(at(t, r)):
            r += 1
        run[0] = r
        if not (r - p >= 4 and at(t, r - 2) == 101 and at(t, r - 1) == 100
                and not_word_at(t, r, z)):
            return -1
        for word in self.ed_not:
            if self.lit(t, p, z, word) and not_word_at(t, p + len(word), z):
                return -1
        return r

    cdef int cue_at(self, Text t, Py_ssize_t p, Py_ssize_t z, Cue* cue, Py_ssize_t* run):
        """The cue body at p (future first, then past, then an -ed verb): 1 and the cue, or
        0. cue.future is 2 for an -ed verb (a past cue that the caller checks for case).
        With 0, ``run`` is the end of the run of a-z at p (ed_verb)."""
        cdef Py_ssize_t out[MAX_ENDS]
        cdef int n, k
        cdef Py_ssize_t r
        n = self.future.ends(t, p, z, out) if self.future.may_start(t, p, z) else 0
        for k in range(n - 1, -1, -1):
            r = self.tail(t, out[k], z)
            if r >= 0:
                cue.start, cue.end, cue.future = p, r, 1
                return 1
        n = self.past.ends(t, p, z, out) if self.past.may_start(t, p, z) else 0
        for k in range(n - 1, -1, -1):
            if not_word_at(t, out[k], z):
                cue.start, cue.end, cue.future = p, out[k], 0
                return 1
        r = self.ed_verb(t, p, z, run)
        if r >= 0:
            cue.start, cue.end, cue.future = p, r, 2
            return 1
        return 0

    cdef int scan(self, Text tx, Text lw, Py_ssize_t a, Py_ssize_t z, Cue* out, int most):
        """cues_in(text, lower, a, z): the non-overlapping cues, left to right (an -ed verb
        counts only where the text is lowercase); their count (at most ``most``)."""
        cdef int n = 0
        cdef Py_ssize_t p = a
        cdef Py_ssize_t run
        cdef Cue cue
        if z > lw.n:
            z = lw.n
        while p < z and n < most:
            if p > 0:
                c = at(lw, p - 1)
                if c == 39 or is_word(c):
                    p += 1
                    continue
            if not self.cue_at(lw, p, z, &cue, &run):
                # no cue at p; none starts after a letter either: past the run of a-z at p
                # (each position in it and its end follow a letter, which the test above
                # skips one at a time)
                p = run if run > p else p + 1
                continue
            if cue.future == 2:
                cue.future = 0
                if not _islower(tx, cue.start, cue.end):
                    p = cue.end
                    continue
            out[n] = cue
            n += 1
            p = cue.end
        return n

    def cues(self, str text, str lower, Py_ssize_t start, Py_ssize_t end):
        """tense.TenseCues.cues_in(text, lower, start, end) as a tuple of Cue tuples."""
        cdef Cue found[MAX_CUES]
        cdef Text tx = _text(text)
        cdef Text lw = _text(lower)
        cdef int n, k
        out = []
        while True:  # in pieces of MAX_CUES: a scan resumed at a cue's end reads the same
            n = self.scan(tx, lw, start, end, found, MAX_CUES)
            for k in range(n):
                out.append((found[k].start, found[k].end,
                            "future" if found[k].future else "past",
                            lower[found[k].start:found[k].end]))
            if n < MAX_CUES:
                return tuple(out)
            start = found[n - 1].end

    cdef object word_before(self, Text lw, str lower, Py_ssize_t s):
        """tense._word_before: the trailing ASCII letters of the word before s, "" or None."""
        cdef Py_ssize_t i, j, floor
        if s < 1 or not Py_UNICODE_ISSPACE(at(lw, s - 1)):
            return None
        floor = s - self.before_window
        if floor < 0:
            floor = 0
        i = s
        while i > floor and Py_UNICODE_ISSPACE(at(lw, i - 1)):
            i -= 1
        j = i
        while j > floor and is_az(at(lw, j - 1)):
            j -= 1
        return lower[j:i]

    cdef bint present_passive(self, str text, Text lw, str lower, Cue* cue):
        """tense._is_present_passive for a cue."""
        if cue.future or not (at(lw, cue.end - 2) == 101 and at(lw, cue.end - 1) == 100):
            return False
        if self.word_before(lw, lower, cue.start) not in self.before_participle:
            return False
        return bool(self.passive_check(text, cue.start))

    cdef bint month_may(self, Text tx, Text lw, Cue* cue):
        """tense._is_month_may for a cue."""
        cdef Py_ssize_t i, floor
        cdef Py_UCS4 c
        if not cue.future or at(tx, cue.start) != 77 or cue.end - cue.start < 3:
            return False
        if not (at(lw, cue.start + 1) == 97 and at(lw, cue.start + 2) == 121):
            return False
        floor = cue.start - 3
        if floor < 0:
            floor = 0
        i = cue.start
        while i > floor and Py_UNICODE_ISSPACE(at(tx, i - 1)):
            i -= 1
        if i == floor:
            return False
        c = at(tx, i - 1)
        return not (c == 46 or c == 33 or c == 63 or c == 34 or c == 0x201C)

    cdef int cue_tense(self, str text, Text lw, str lower, Cue* cue):
        """tense._cue_tense: 1 future, 0 past."""
        if not cue.future:
            return 0
        if self.word_before(lw, lower, cue.start) not in self.before_perfect:
            return 1
        return 0 if self.perfect_check(text, cue.start) else 1

    cdef Py_ssize_t right_clause_end(self, Text lw, Py_ssize_t a, Py_ssize_t z):
        """_RIGHT_CLAUSE_END_LOWER.search(lower, a, z).start(), or -1."""
        cdef Py_ssize_t p, q
        cdef Py_UCS4 c
        cdef Py_ssize_t ends[MAX_ENDS]
        cdef int n, k
        for p in range(a, z):
            c = at(lw, p)
            if c == 10 or c == 34 or c == 0x201C or c == 0x201D:
                return p
            if c == 46 or c == 33 or c == 63 or c == 59 or c == 58:
                if p + 1 < z and Py_UNICODE_ISSPACE(at(lw, p + 1)):
                    return p
            elif c == 39 or c == 96:
                if p + 1 < z and at(lw, p + 1) == c:
                    return p
            elif c == 44 or Py_UNICODE_ISSPACE(c):
                q = p + 1
                if c == 44:
                    if not (q < z and Py_UNICODE_ISSPACE(at(lw, q))):
                        continue
                    q += 1
                if q >= z or not is_az(at(lw, q)):
                    continue  # every subordinate word starts with a letter a-z
                # a subordinate word (any of them) and a space after it
                n = self.subordinate_words.ends(lw, q, z, ends)
                for k in range(n):
                    if ends[k] < z and Py_UNICODE_ISSPACE(at(lw, ends[k])):
                        return p
        return -1

    cdef bint has_present(self, Text lw, Py_ssize_t a, Py_ssize_t z):
        """_has_present: a present cue (look-behind [\\w'] free, (?!\\w) after) in [a, z)."""
        cdef Py_ssize_t out[MAX_ENDS]
        cdef Py_ssize_t p
        cdef Py_UCS4 c
        cdef int n, k
        if z > lw.n:
            z = lw.n
        for p in range(a, z):
            if p > 0:
                c = at(lw, p - 1)
                if c == 39 or is_word(c):
                    continue
            n = self.present.ends(lw, p, z, out)
            for k in range(n - 1, -1, -1):
                if not_word_at(lw, out[k], z):
                    return True
        return False

    def tense(self, str text, Py_ssize_t start, Py_ssize_t end, str lower):
        """tense.TenseCues.tense(text, start, end, lower) for a ``lower`` that is not None."""
        cdef Text tx = _text(text)
        cdef Text lw = _text(lower)
        cdef Cue found[MAX_CUES]
        cdef Py_ssize_t left_from, right_to, stop, best_distance, cut
        cdef int n, k, best
        left_from = start - self.window
        if left_from < 0:
            left_from = 0
        cut = _last_clause_end(tx, left_from, start)
        if cut > 0:
            left_from = cut
        right_to = end + self.window
        if right_to > tx.n:
            right_to = tx.n
        stop = self.right_clause_end(lw, end, right_to)
        if stop >= 0:
            right_to = stop
        best = -1  # -1 none, 0 past, 1 future
        best_distance = self.window + 1
        n = self.scan(tx, lw, left_from, start, found, MAX_CUES)
        for k in range(n - 1, -1, -1):
            if self.present_passive(text, lw, lower, &found[k]):
                continue
            if self.month_may(tx, lw, &found[k]):
                continue
            best = self.cue_tense(text, lw, lower, &found[k])
            best_distance = start - found[k].end
            break
        if best_distance > 0 and right_to > end:
            n = self.scan(tx, lw, end, right_to, found, MAX_CUES)
            for k in range(n):
                if found[k].start - end >= best_distance:
                    break
                if found[k].end - found[k].start >= 3 and at(lw, found[k].start) == 116 \
                        and at(lw, found[k].start + 1) == 111 and at(lw, found[k].start + 2) == 32:
                    continue
                if self.present_passive(text, lw, lower, &found[k]):
                    continue
                if self.month_may(tx, lw, &found[k]):
                    continue
                best = self.cue_tense(text, lw, lower, &found[k])
                break
        if best == 1:
            return "future"
        if best == 0:
            return "past"
        if self.has_present(lw, left_from, right_to):
            return "present"
        return "none"


cdef bint _islower(Text t, Py_ssize_t a, Py_ssize_t z):
    """str.islower of t[a:z]."""
    cdef bint cased = False
    cdef Py_UCS4 c
    cdef Py_ssize_t i
    for i in range(a, z):
        c = at(t, i)
        if Py_UNICODE_ISUPPER(c) or Py_UNICODE_ISTITLE(c):
            return False
        if not cased and Py_UNICODE_ISLOWER(c):
            cased = True
    return cased


cdef Py_ssize_t _last_clause_end(Text t, Py_ssize_t a, Py_ssize_t z):
    """tense.last_clause_end(text, a, z), 0 for None."""
    cdef Py_ssize_t p
    cdef Py_UCS4 c
    for p in range(z - 1, a - 1, -1):
        c = at(t, p)
        if c == 46 or c == 33 or c == 63 or c == 59 or c == 58 or c == 10:
            if p + 1 < z and Py_UNICODE_ISSPACE(at(t, p + 1)):
                return p + 2
            if c == 10:
                return p + 1
        elif c == 34 or c == 0x201C or c == 0x201D:
            return p + 1
        elif c == 39 or c == 96:
            if p + 1 < z and at(t, p + 1) == c:
                return p + 2
    return 0


def last_clause_end(str text, Py_ssize_t start, Py_ssize_t end):
    """tense.last_clause_end."""
    cdef Py_ssize_t found = _last_clause_end(_text(text), start, end)
    return found if found > 0 else None


# ------------------------------------------------------------------ bound or comparison (context.py)

cdef bint _ends_lower(Text t, Py_ssize_t a, Py_ssize_t k, str word):
    """text[a:k].lower().endswith(word) for an ASCII text[a:k] and a lowercase ASCII word."""
    cdef Py_ssize_t n = len(word)
    cdef Py_ssize_t i
    cdef unsigned int c
    if k - a < n:
        return False
    for i in range(n):
        c = at(t, k - n + i)
        if 65 <= c <= 90:
            c += 32  # an unsigned int: on a Py_UCS4, Cython's += is str concatenation
        if c != <unsigned int>(<Py_UCS4>word[i]):
            return False
    return True


cdef class Bound:
    """context.Context.is_bound_or_comparison: ``check(text, start)`` answers it for the
    ``window`` characters before ``start``, with context.may_be_bound's pre-check read in place
    (no slice, no str method call) and ``search`` (context._NOT_REFERENCE.search) only where
    the pre-check cannot rule the pattern out. ``ends`` and ``in_before``: the reference's
    _NOT_REFERENCE_ENDS and _IN_BEFORE, lowercase ASCII words."""

    cdef Py_ssize_t window
    cdef object search
    cdef object reference
    cdef tuple ends
    cdef tuple in_before

    def __init__(self, Py_ssize_t window, search, reference, ends, in_before):
        self.window = window
        self.search = search
        self.reference = reference  # the answer for a start outside [0, len(text)]
        self.ends = tuple(ends)
        self.in_before = tuple(in_before)
        if not all(w and w.isascii() and w == w.lower() for w in self.ends + self.in_before):
            raise ValueError("Bound reads lowercase ASCII words")

    cdef bint _may(self, Text t, Py_ssize_t a, Py_ssize_t z):
        """context.may_be_bound(text[a:z])."""
        cdef Py_ssize_t k = z
        cdef Py_ssize_t i, h
        cdef str word
        while k > a and Py_UNICODE_ISSPACE(at(t, k - 1)):  # before.rstrip()
            k -= 1
        if k == z:
            return False
        for i in range(a, k):  # stripped.isascii()
            if at(t, i) >= 128:
                return True
        if _ends_lower(t, a, k, "in"):
            h = k - 2
            i = h
            while i > a and Py_UNICODE_ISSPACE(at(t, i - 1)):  # head.rstrip()
                i -= 1
            if i == h:
                return False
            for word in self.in_before:
                if _ends_lower(t, a, i, word):
                    return True
            return False
        for word in self.ends:
            if _ends_lower(t, a, k, word):
                return True
        return False

    def may_be_bound(self, str text, Py_ssize_t start):
        """context.may_be_bound(text[max(0, start - window):start]) for 0 <= start <= len(text).
        """
        cdef Py_ssize_t a = start - self.window
        if start < 0 or start > len(text):
            raise ValueError("start outside the text")
        if a < 0:
            a = 0
        return self._may(_text(text), a, start)

    def check(self, str text, Py_ssize_t start):
        """context.Context.is_bound_or_comparison(text, start)."""
        cdef Py_ssize_t a = start - self.window
        if start < 0 or start > len(text):  # slices past the ends: as the reference reads them
            return self.reference(text, start)
        if a < 0:
            a = 0
        if not self._may(_text(text), a, start):
            return False
        return self.search(text, a, start) is not None


# ------------------------------------------------------------------ records (tagger.py)

cdef extern from *:
    """
    /* cls() without __init__: what object.__new__(cls) gives for a class that inherits
       object's __new__ (the caller checks that it does). */
    static PyObject* newsline_new_plain(PyObject* cls) {
        PyObject* args = PyTuple_New(0);
        PyObject* made;
        if (args == NULL) return NULL;
        made = ((PyTypeObject*)cls)->tp_new((PyTypeObject*)cls, args, NULL);
        Py_DECREF(args);
        return made;
    }
    """
    object newsline_new_plain(object cls)
    int PyObject_GenericSetAttr(object o, object name, object value) except -1


def new_record(type cls, tuple names, tuple values):
    """tagger._new_record(cls, names, values): an instance of ``cls`` (a frozen dataclass
    whose ``__new__`` is object's) made without its ``__init__``, each field of ``names`` set
    to its value of ``values`` in that order with ``object.__setattr__``, as the dataclass's
    own ``__init__`` sets them (so its ``__dict__`` has the same keys in the same order). In
    C: the frozen ``__init__`` pays one interpreted ``object.__setattr__`` call per field,
    the reference a dict built and merged (about 5,000 instructions for a mention's eleven)."""
    cdef Py_ssize_t k, n = len(names)
    if len(values) != n:
        raise ValueError("one value per field")
    made = newsline_new_plain(cls)
    for k in range(n):
        PyObject_GenericSetAttr(made, names[k], values[k])
    return made
