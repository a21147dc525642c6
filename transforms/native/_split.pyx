# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The splitter's per-line scan, compiled: `LineScanner.scan_line` and `normalise` give exactly
what transforms/boilerplate/features.py gives (`line_features`, `normalise`: the reference, and
the fallback of a worker without this module; tests/test_native_split.py compares the two).

One pass over the code points of the line (PEP 393 reads, no Python objects per character)
replaces the regular expressions of the reference. Each character class is the one Python's
`re` uses for str patterns, so the answers agree on every code point:
- a word letter (``[^\\W\\d_]``): Py_UNICODE_ISALNUM and not Py_UNICODE_ISDECIMAL (not "_");
- a digit (``\\d``): Py_UNICODE_ISDECIMAL; white space (``\\s``, str.strip): Py_UNICODE_ISSPACE;
- a key character (``[\\w#]``): Py_UNICODE_ISALNUM, "_" or "#".
Python objects are made only per word that may be a stop word (its lower-case form, looked up in
the stop-word set) and for the results. Lines that are not ASCII are NFKC-normalised and lower-
cased by CPython's own functions before the scan of `normalise`, as the reference does.
"""

cdef extern from *:
    const char* NEWSLINE_SOURCE_DIGEST
SOURCE_DIGEST = NEWSLINE_SOURCE_DIGEST.decode()

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.object cimport PyObject_GenericSetAttr
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_SET_ITEM

cdef extern from *:
    """
    /* An empty instance of tuple subclass `cls` with room for n items, allocated as
       tuple.__new__(cls, items) allocates it (tuple_subtype_new: the type's tp_alloc, which
       tracks it for the cycle collector), without the temporary plain tuple that
       tuple.__new__ copies its items from, nor the look-up and argument checks of the call. */
    static PyObject* newsline_alloc_tuple(PyObject* cls, Py_ssize_t n) {
        PyTypeObject* type = (PyTypeObject*)cls;
        return type->tp_alloc(type, n);
    }
    """
    object newsline_alloc_tuple(object cls, Py_ssize_t n)

cdef extern from *:
    """
    /* object.__new__(cls) for a class whose instances object.__new__ makes (it defines no
       __new__ and has no built-in base other than object: its tp_new is object's), as the
       wrapper of object.__new__ would call it: object's tp_new with no arguments. NULL with
       TypeError for any other class (the wrapper's own checks would refuse or differ). */
    static PyObject* newsline_object_new(PyObject* cls) {
        PyObject* args;
        PyObject* obj;
        if (!PyType_Check(cls) || ((PyTypeObject*)cls)->tp_new != PyBaseObject_Type.tp_new) {
            PyErr_SetString(PyExc_TypeError, "not a class of plain instances");
            return NULL;
        }
        args = PyTuple_New(0);
        if (args == NULL)
            return NULL;
        obj = PyBaseObject_Type.tp_new((PyTypeObject*)cls, args, NULL);
        Py_DECREF(args);
        return obj;
    }
    """
    object newsline_object_new(object cls)
from unicodedata import normalize as _unicode_normalize

cdef extern from "Python.h":
    enum:
        PyUnicode_1BYTE_KIND
        PyUnicode_2BYTE_KIND
        PyUnicode_4BYTE_KIND
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    bint PyUnicode_IS_ASCII(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    unsigned char* PyUnicode_1BYTE_DATA(object o)
    object PyUnicode_Substring(object s, Py_ssize_t start, Py_ssize_t end)
    int PySet_Contains(object anyset, object key) except -1
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch) nogil
    bint Py_UNICODE_ISDECIMAL(Py_UCS4 ch) nogil
    bint Py_UNICODE_ISUPPER(Py_UCS4 ch) nogil
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch) nogil


cdef inline bint _is_letter(Py_UCS4 c) noexcept nogil:
    """A code point of ``[^\\W\\d_]`` (a word letter of features._WORD)."""
    if c < 128:
        return ((<unsigned int>c | 32u) - 97u) < 26u
    return Py_UNICODE_ISALNUM(c) and not Py_UNICODE_ISDECIMAL(c)


cdef inline bint _is_cjk(Py_UCS4 c) noexcept nogil:
    """A code point of features._CJK (kana, CJK ideographs and compatibility ideographs)."""
    return (
        0x3040 <= c <= 0x30FF or 0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF
        or 0xF900 <= c <= 0xFAFF
    )


cdef inline bint _is_space(Py_UCS4 c) noexcept nogil:
    if c < 128:
        return c == 32 or 9 <= c <= 13 or 28 <= c <= 31
    return Py_UNICODE_ISSPACE(c)


cdef inline bint _is_final_mark(Py_UCS4 c) noexcept nogil:
    """features._FINAL_MARKS: . ! ? and the ideographic full stop, fullwidth ! ?, ellipsis."""
    return c == 46 or c == 33 or c == 63 or c == 0x3002 or c == 0xFF01 or c == 0xFF1F or c == 0x2026


cdef inline bint _is_closer(Py_UCS4 c) noexcept nogil:
    """features._CLOSERS: " ' ” ’ » ) ]"""
    return c == 34 or c == 39 or c == 0x201D or c == 0x2019 or c == 0xBB or c == 41 or c == 93


cdef inline bint _is_bullet(Py_UCS4 c) noexcept nogil:
    """The list bullets of features._BULLET: • · ▪ ► ▶ ◦ *"""
    return (
        c == 0x2022 or c == 0xB7 or c == 0x25AA or c == 0x25BA or c == 0x25B6 or c == 0x25E6
        or c == 42
    )


cdef inline bint _is_link_char(Py_UCS4 c) noexcept nogil:
    """features._LINK_CHAR: | » › > /"""
    return c == 124 or c == 0xBB or c == 0x203A or c == 62 or c == 47


cdef inline bint _is_link_edge(Py_UCS4 c) noexcept nogil:
    """The separators that may end or start a line in features._LINK_SEP: | » ›"""
    return c == 124 or c == 0xBB or c == 0x203A


cdef inline bint _is_dash(Py_UCS4 c) noexcept nogil:
    """features._DASHES: — – -"""
    return c == 0x2014 or c == 0x2013 or c == 45


cdef inline void _put(object tup, Py_ssize_t i, object value):
    """Set item i of a tuple just allocated (its slot empty): the tuple keeps a reference."""
    Py_INCREF(value)
    PyTuple_SET_ITEM(tup, i, value)


cdef object _check_tuple_class(object cls):
    """cls, when it is a subclass of tuple (a named tuple: Line, LineFeatures), the only
    classes `newsline_alloc_tuple` may build; else TypeError."""
    if not (isinstance(cls, type) and issubclass(cls, tuple)):
        raise TypeError(f"{cls!r} is not a subclass of tuple")
    return cls


ctypedef fused uchar_t:  # the code units of PEP 393's three string kinds
    unsigned char
    unsigned short
    unsigned int


cdef enum:
    _NON_ASCII = 1
    _HAS_CJK = 2
    _PACKED_MAX = 8  # ASCII stop words of up to 8 letters are packed into one 64-bit key


cdef struct WordCounts:
    Py_ssize_t n_latin  # words without a CJK character
    Py_ssize_t n_stop  # of which stop words
    Py_ssize_t caps  # of which capitalised content words
    Py_ssize_t n_cjk  # CJK characters anywhere in the line
    bint link_char  # a character of features._LINK_CHAR (| » › > /) anywhere in the line


cdef inline Py_ssize_t _letters(const uchar_t* data, Py_ssize_t i, Py_ssize_t n, int* flags,
                                Py_ssize_t* n_cjk) noexcept nogil:
    """The end of the run of word letters from i; flags and the CJK count updated."""
    cdef Py_UCS4 c
    while i < n:
        c = data[i]
        if c < 128:
            if ((<unsigned int>c | 32u) - 97u) >= 26u:
                break
        else:
            if not _is_letter(c):
                break
            flags[0] |= _NON_ASCII
            if _is_cjk(c):
                flags[0] |= _HAS_CJK
                n_cjk[0] += 1
        i += 1
    return i


cdef inline bint _ends_sentence(const uchar_t* data, Py_ssize_t n) noexcept nogil:
    """features.ends_like_sentence: final punctuation, maybe then closing quotes/brackets."""
    cdef Py_ssize_t i = n
    while i > 0 and _is_closer(data[i - 1]):
        i -= 1
    return i > 0 and _is_final_mark(data[i - 1])


cdef Py_ssize_t _link_seps(const uchar_t* data, Py_ssize_t n) noexcept nogil:
    """len(features._LINK_SEP.findall(text)) for a stripped text: the leftmost, non-overlapping
    matches of ``\\s[|»›>/]\\s``, ``\\s[|»›]$`` and ``^[|»›]\\s``, tried in that order.
    Asked only of a text with a link character in it (WordCounts.link_char: every match holds
    one; the word count's pass over the line finds them, so no pass of its own looks)."""
    cdef Py_ssize_t i = 0, count = 0
    cdef Py_UCS4 c, d
    while i < n:
        c = data[i]
        if i + 1 < n and _is_space(c):
            d = data[i + 1]
            if i + 2 < n and _is_link_char(d) and _is_space(data[i + 2]):
                count += 1
                i += 3
                continue
            if i + 2 == n and _is_link_edge(d):
                count += 1
                i += 2
                continue
        if i == 0 and n > 1 and _is_link_edge(c) and _is_space(data[1]):
            count += 1
            i += 2
            continue
        i += 1
    return count


cdef bint _bullet(const uchar_t* data, Py_ssize_t n) noexcept nogil:
    """features._BULLET.match(text): white space, a bullet, white space."""
    cdef Py_ssize_t i = 0
    while i < n and _is_space(data[i]):
        i += 1
    return i + 1 < n and _is_bullet(data[i]) and _is_space(data[i + 1])


cdef inline unsigned long long _pack_lower(const uchar_t* data, Py_ssize_t start,
                                           Py_ssize_t end) noexcept nogil:
    """The ASCII word text[start:end] (at most 8 letters) lower-cased, one byte per letter."""
    cdef unsigned long long key = 0
    cdef unsigned int c
    cdef Py_ssize_t i
    for i in range(start, end):
        c = <unsigned int>data[i]
        if 65 <= c <= 90:
            c += 32
        key = (key << 8) | c
    return key


cdef inline Py_ssize_t _slot(unsigned long long key, int bits) noexcept nogil:
    return <Py_ssize_t>((key * 0x9E3779B97F4A7C15ULL) >> (64 - bits))


cdef Py_ssize_t _normalise_into(const uchar_t* data, Py_ssize_t n, Py_UCS4* buf,
                                bint ascii) noexcept nogil:
    """The key tokens of features.normalise written to buf (at most n code points): digit runs
    to '#', tokens of ``[\\w#]`` joined by one space; `ascii`: the text is ASCII (lower-cased
    here, as str.lower() does), else it was NFKC-normalised and lower-cased already."""
    cdef Py_ssize_t i, size = 0
    cdef Py_UCS4 c
    cdef bint in_digits = False, gap = False
    for i in range(n):
        c = data[i]
        if c < 128:
            if 48 <= c <= 57:
                if in_digits:
                    continue
                c = 35  # '#'
                in_digits = True
            elif 97 <= c <= 122 or c == 95 or c == 35:
                in_digits = False
            elif 65 <= c <= 90 and ascii:
                c = <Py_UCS4>(<unsigned int>c + 32u)
                in_digits = False
            else:
                in_digits = False
                gap = size > 0
                continue
        elif Py_UNICODE_ISDECIMAL(c):
            if in_digits:
                continue
            c = 35
            in_digits = True
        elif Py_UNICODE_ISALNUM(c):
            in_digits = False
        else:
            in_digits = False
            gap = size > 0
            continue
        if gap:
            buf[size] = 32
            size += 1
            gap = False
        buf[size] = c
        size += 1
    return size


cdef unsigned char _KEY_BYTE[256]  # what _normalise_ascii keeps of each byte (a constant)


cdef void _fill_key_bytes() noexcept nogil:
    """_KEY_BYTE[c]: the byte a key token holds for ASCII character c (a lower-case letter for
    a letter, "_" and "#" as they are), 1 for a digit (a run of them becomes one "#"), 0 for
    any other character (a separator); 0 for the bytes above 127, which an ASCII text has not."""
    cdef int c
    for c in range(256):
        if 48 <= c <= 57:
            _KEY_BYTE[c] = 1
        elif 97 <= c <= 122 or c == 95 or c == 35:
            _KEY_BYTE[c] = <unsigned char>c
        elif 65 <= c <= 90:
            _KEY_BYTE[c] = <unsigned char>(c + 32)
        else:
            _KEY_BYTE[c] = 0


_fill_key_bytes()


cdef Py_ssize_t _normalise_ascii(const unsigned char* data, Py_ssize_t n,
                                 unsigned char* buf) noexcept nogil:
    """`_normalise_into` of an ASCII text (`ascii` true), written as bytes: the key tokens are
    ASCII too, so the result is made from one byte per character, without the UCS4 buffer
    and the narrowing that PyUnicode_FromKindAndData does of it. Each character's class and
    lower-case form come from one look-up (_KEY_BYTE) instead of three range tests."""
    cdef Py_ssize_t i, size = 0
    cdef unsigned char c
    cdef bint in_digits = False, gap = False
    for i in range(n):
        c = _KEY_BYTE[data[i]]
        if c > 1:  # a letter (lower-cased), "_" or "#"
            in_digits = False
        elif c == 1:  # a digit
            if in_digits:
                continue
            c = 35  # '#'
            in_digits = True
        else:
            in_digits = False
            gap = size > 0
            continue
        if gap:
            buf[size] = 32
            size += 1
            gap = False
        buf[size] = c
        size += 1
    return size


cdef str _key_tokens_ascii(str text):
    """`_key_tokens(text, True)` of an ASCII text (one byte per code point)."""
    cdef const unsigned char* data = <const unsigned char*>PyUnicode_DATA(text)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), size
    cdef unsigned char small[1024]
    cdef unsigned char* buf = small
    if n > 1024:  # the key is never longer than the text
        buf = <unsigned char*>PyMem_Malloc(n)
        if buf == NULL:
            raise MemoryError()
    try:
        size = _normalise_ascii(data, n, buf)
        return PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, buf, size)
    finally:
        if buf != small:
            PyMem_Free(buf)


cdef str _key_tokens(str text, bint ascii):
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), size
    cdef Py_UCS4 small[512]
    cdef Py_UCS4* buf = small
    if n > 512:
        buf = <Py_UCS4*>PyMem_Malloc(n * sizeof(Py_UCS4))
        if buf == NULL:
            raise MemoryError()
    try:
        if kind == PyUnicode_1BYTE_KIND:
            size = _normalise_into(<const unsigned char*>data, n, buf, ascii)
        elif kind == PyUnicode_2BYTE_KIND:
            size = _normalise_into(<const unsigned short*>data, n, buf, ascii)
        else:
            size = _normalise_into(<const unsigned int*>data, n, buf, ascii)
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, size)
    finally:
        if buf != small:
            PyMem_Free(buf)


cpdef str normalise(str line):
    """features.normalise: lower case, NFKC, digits collapsed to '#', punctuation and white
    space collapsed (tokens of ``[\\w#]`` joined by one space)."""
    if PyUnicode_IS_ASCII(line):
        return _key_tokens_ascii(line)
    return _key_tokens(_unicode_normalize("NFKC", line).lower(), False)


cdef class LineScanner:
    """`scan_line(text)` = (features.line_features(text, stopwords), features.normalise(text)),
    for one stop-word set (build one per set: it holds the set's ASCII words in a C table).

    `features_cls`: the LineFeatures named tuple to build; `cjk_chars_per_word`:
    T.CJK_CHARS_PER_WORD; `embed_match`: features._EMBED_SIGNATURE.match (asked only of lines
    that start with a dash, as the reference does)."""

    cdef frozenset stopwords
    cdef Py_ssize_t max_stop
    cdef unsigned long long* table  # open addressing, 0 = empty slot
    cdef int bits
    cdef object features_cls
    cdef double cjk_chars_per_word
    cdef object embed_match

    def __cinit__(self, frozenset stopwords, features_cls, cjk_chars_per_word, embed_match):
        cdef list packed = [w for w in stopwords if w.isascii() and 0 < len(w) <= _PACKED_MAX]
        cdef Py_ssize_t size, slot
        cdef unsigned long long key
        self.stopwords = stopwords
        # str.lower() never shortens a word (only U+0130 changes length, to two code points),
        # so a word longer than the longest stop word is not one
        self.max_stop = max([len(w) for w in stopwords], default=0)
        self.features_cls = _check_tuple_class(features_cls)
        self.cjk_chars_per_word = cjk_chars_per_word
        self.embed_match = embed_match
        self.bits = 4
        while (1 << self.bits) < 4 * len(packed):
            self.bits += 1
        size = 1 << self.bits
        self.table = <unsigned long long*>PyMem_Malloc(size * sizeof(unsigned long long))
        if self.table == NULL:
            raise MemoryError()
        for slot in range(size):
            self.table[slot] = 0
        for word in packed:
            key = 0
            for ch in word:
                key = (key << 8) | <unsigned int>ord(ch)
            slot = _slot(key, self.bits)
            while self.table[slot] != 0:
                slot = (slot + 1) & (size - 1)
            self.table[slot] = key

    def __dealloc__(self):
        PyMem_Free(self.table)

    cdef inline bint _packed_stop(self, unsigned long long key) noexcept nogil:
        cdef Py_ssize_t mask = (1 << self.bits) - 1
        cdef Py_ssize_t slot = _slot(key, self.bits)
        while self.table[slot] != 0:
            if self.table[slot] == key:
                return True
            slot = (slot + 1) & mask
        return False

    cdef int _count_words(self, str text, const uchar_t* data, Py_ssize_t n,
                          WordCounts* out) except -1:
        """The word counts of features.line_features over a stripped text (features._WORD:
        letters, then maybe one apostrophe and more letters), and whether a link character
        occurs (every character that is not part of a word is looked at here: a link
        character is neither a letter nor an apostrophe)."""
        cdef Py_ssize_t i = 0, start
        cdef Py_UCS4 c, first
        cdef int flags
        cdef bint stop
        while i < n:
            c = data[i]
            if not _is_letter(c):
                if c >= 0x3040 and _is_cjk(c):
                    out.n_cjk += 1
                elif _is_link_char(c):
                    out.link_char = True
                i += 1
                continue
            start = i
            first = c
            flags = 0
            i = _letters(data, i, n, &flags, &out.n_cjk)
            if i + 1 < n:
                c = data[i]
                if (c == 39 or c == 0x2019) and _is_letter(data[i + 1]):
                    if c != 39:
                        flags |= _NON_ASCII
                    i = _letters(data, i + 1, n, &flags, &out.n_cjk)
            if flags & _HAS_CJK:
                continue
            out.n_latin += 1
            if i - start > self.max_stop:
                stop = False
            elif not (flags & _NON_ASCII) and i - start <= _PACKED_MAX:
                stop = self._packed_stop(_pack_lower(data, start, i))
            else:
                stop = PySet_Contains(
                    self.stopwords, PyUnicode_Substring(text, start, i).lower()
                ) == 1
            if stop:
                out.n_stop += 1
            elif (65 <= first <= 90) if first < 128 else Py_UNICODE_ISUPPER(first):
                out.caps += 1  # (an ASCII capital without the call: this runs per word)
        return 0

    cpdef object features(self, str text):
        """features.line_features(text, stopwords): a LineFeatures of the stripped line."""
        cdef str stripped = text.strip()
        cdef int kind = PyUnicode_KIND(stripped)
        cdef void* data = PyUnicode_DATA(stripped)
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(stripped), content, link_seps
        cdef WordCounts wc
        cdef bint ends, bullet
        wc.n_latin = wc.n_stop = wc.caps = wc.n_cjk = 0
        wc.link_char = False
        link_seps = 0
        if kind == PyUnicode_1BYTE_KIND:
            self._count_words(stripped, <const unsigned char*>data, n, &wc)
            ends = _ends_sentence(<const unsigned char*>data, n)
            if wc.link_char:
                link_seps = _link_seps(<const unsigned char*>data, n)
        elif kind == PyUnicode_2BYTE_KIND:
            self._count_words(stripped, <const unsigned short*>data, n, &wc)
            ends = _ends_sentence(<const unsigned short*>data, n)
            if wc.link_char:
                link_seps = _link_seps(<const unsigned short*>data, n)
        else:
            self._count_words(stripped, <const unsigned int*>data, n, &wc)
            ends = _ends_sentence(<const unsigned int*>data, n)
            if wc.link_char:
                link_seps = _link_seps(<const unsigned int*>data, n)
        kind = PyUnicode_KIND(text)
        data = PyUnicode_DATA(text)
        if kind == PyUnicode_1BYTE_KIND:
            bullet = _bullet(<const unsigned char*>data, PyUnicode_GET_LENGTH(text))
        elif kind == PyUnicode_2BYTE_KIND:
            bullet = _bullet(<const unsigned short*>data, PyUnicode_GET_LENGTH(text))
        else:
            bullet = _bullet(<const unsigned int*>data, PyUnicode_GET_LENGTH(text))
        content = wc.n_latin - wc.n_stop
        if content < 1:
            content = 1
        embed = False
        if n and _is_dash(stripped[0]):
            embed = self.embed_match(stripped) is not None
        # tuple.__new__(self.features_cls, (stripped, n, ...)), built in place
        feats = newsline_alloc_tuple(self.features_cls, 10)
        _put(feats, 0, stripped)
        _put(feats, 1, n)
        _put(feats, 2, <double>wc.n_latin + <double>wc.n_cjk / self.cjk_chars_per_word)
        _put(feats, 3, wc.n_stop)
        _put(feats, 4, <double>wc.n_stop / <double>wc.n_latin if wc.n_latin else 0.0)
        _put(feats, 5, <double>wc.caps / <double>content)
        _put(feats, 6, ends)
        _put(feats, 7, bullet)
        _put(feats, 8, link_seps)
        _put(feats, 9, embed)
        return feats

    def scan_line(self, str text):
        """(features(text), normalise(text)): the seam features.scan_line, compiled."""
        return self.features(text), normalise(text)


cdef list _lines_of(str text, const uchar_t* data, Py_ssize_t start, Py_ssize_t n, line_cls):
    cdef list lines = []
    cdef Py_ssize_t index = 0, a = start, b, s, e
    while a <= n:
        b = a
        while b < n and data[b] != 10:
            b += 1
        s = a
        e = b
        while s < e and _is_space(data[s]):
            s += 1
        while e > s and _is_space(data[e - 1]):
            e -= 1
        if s < e:  # tuple.__new__(line_cls, (index, s, e, text[s:e])), built in place
            line = newsline_alloc_tuple(line_cls, 4)
            _put(line, 0, index)
            _put(line, 1, s)
            _put(line, 2, e)
            _put(line, 3, PyUnicode_Substring(text, s, e))
            lines.append(line)
        index += 1
        a = b + 1
    return lines


def split_lines(str text, Py_ssize_t start, line_cls):
    """features.split_lines(text, start): the non-empty lines of text[start:] ("\\n"-separated)
    as `line_cls` (features.Line) tuples (index, start, end, stripped text), the spans of the
    stripped text (white space as str.strip: Py_UNICODE_ISSPACE) in offsets into text."""
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    if start < 0 or start > n:
        raise ValueError("start outside the text")
    _check_tuple_class(line_cls)
    if kind == PyUnicode_1BYTE_KIND:
        return _lines_of(text, <const unsigned char*>data, start, n, line_cls)
    if kind == PyUnicode_2BYTE_KIND:
        return _lines_of(text, <const unsigned short*>data, start, n, line_cls)
    return _lines_of(text, <const unsigned int*>data, start, n, line_cls)


cdef inline unsigned long long _pack_raw(const uchar_t* data, Py_ssize_t start,
                                         Py_ssize_t end) noexcept nogil:
    """The ASCII text[start:end] (at most 8 characters) as it is, one byte per character."""
    cdef unsigned long long key = 0
    cdef Py_ssize_t i
    for i in range(start, end):
        key = (key << 8) | <unsigned int>data[i]
    return key


cdef class OwnedWords:
    """`counts(lower)` = dict(Counter(filter(None, map(owners.get, tokens)))) where tokens are the
    maximal runs of word letters (``[^\\W\\d_]+``; ``[a-z]+`` in an ASCII text) of a
    lower-cased text: how many of the text's words each language owns (text/stated.py
    `owned_counts_reference`, the reference; tests/test_native_split.py compares the two).
    Languages in the order first seen.

    No Python object is made per word: a word longer than the longest owned word is skipped,
    and an ASCII word of up to 8 letters is looked up in a C table of the owned ASCII words
    (packed one byte per letter, as LineScanner packs stop words); only other words (not
    ASCII, or long) are cut out and looked up in `owners`."""

    cdef dict owners
    cdef list codes  # language codes; the table holds index + 1
    cdef dict code_index
    cdef Py_ssize_t max_len
    cdef unsigned long long* keys  # open addressing, 0 = empty slot
    cdef int* values  # code index of each slot
    cdef int bits

    def __cinit__(self, dict owners):
        cdef Py_ssize_t size, slot
        cdef unsigned long long key
        self.owners = owners
        self.codes = []
        self.code_index = {}
        self.max_len = 0
        self.keys = NULL
        self.values = NULL
        packed = []
        for word, code in owners.items():
            if not code:
                continue  # filter(None, ...) drops it
            if code not in self.code_index:
                self.code_index[code] = len(self.codes)
                self.codes.append(code)
            if len(word) > self.max_len:
                self.max_len = len(word)
            if word.isascii() and 0 < len(word) <= _PACKED_MAX:
                packed.append((word, self.code_index[code]))
        self.bits = 4
        while (1 << self.bits) < 4 * len(packed):
            self.bits += 1
        size = 1 << self.bits
        self.keys = <unsigned long long*>PyMem_Malloc(size * sizeof(unsigned long long))
        self.values = <int*>PyMem_Malloc(size * sizeof(int))
        if self.keys == NULL or self.values == NULL:
            raise MemoryError()
        for slot in range(size):
            self.keys[slot] = 0
            self.values[slot] = -1
        for word, index in packed:
            key = 0
            for ch in word:
                key = (key << 8) | <unsigned int>ord(ch)
            slot = _slot(key, self.bits)
            while self.keys[slot] != 0:
                slot = (slot + 1) & (size - 1)
            self.keys[slot] = key
            self.values[slot] = index

    def __dealloc__(self):
        PyMem_Free(self.keys)
        PyMem_Free(self.values)

    cdef inline int _packed(self, unsigned long long key) noexcept nogil:
        cdef Py_ssize_t mask = (1 << self.bits) - 1
        cdef Py_ssize_t slot = _slot(key, self.bits)
        while self.keys[slot] != 0:
            if self.keys[slot] == key:
                return self.values[slot]
            slot = (slot + 1) & mask
        return -1

    cdef int _count(self, str text, const uchar_t* data, Py_ssize_t n, bint lower_only,
                    list seen, Py_ssize_t* counts) except -1:
        """`lower_only`: an ASCII text, whose words are runs of ``[a-z]`` (the reference's
        ``[a-z]+`` on lower-cased ASCII text; upper case then separates words too)."""
        cdef Py_ssize_t i = 0, start, length
        cdef Py_UCS4 c
        cdef unsigned int cased = 0 if lower_only else 32
        cdef bint ascii
        cdef int index
        while i < n:
            c = data[i]
            if c < 128:
                if ((<unsigned int>c | cased) - 97u) >= 26u:
                    i += 1
                    continue
            elif not _is_letter(c):
                i += 1
                continue
            start = i
            ascii = True
            while i < n:
                c = data[i]
                if c < 128:
                    if ((<unsigned int>c | cased) - 97u) >= 26u:
                        break
                elif _is_letter(c):
                    ascii = False
                else:
                    break
                i += 1
            length = i - start
            if length > self.max_len:
                continue
            if ascii and length <= _PACKED_MAX:
                index = self._packed(_pack_raw(data, start, i))
            else:
                code = self.owners.get(PyUnicode_Substring(text, start, i))
                if not code:
                    continue
                index = self.code_index[code]
            if index < 0:
                continue
            if counts[index] == 0:
                seen.append(index)
            counts[index] += 1
        return 0

    def counts(self, str lower):
        """{language code: owned words of `lower`}, languages in the order first seen."""
        cdef int kind = PyUnicode_KIND(lower)
        cdef void* data = PyUnicode_DATA(lower)
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(lower)
        cdef Py_ssize_t n_codes = len(self.codes)
        cdef list seen = []
        cdef bint ascii
        cdef Py_ssize_t* counts = <Py_ssize_t*>PyMem_Malloc((n_codes + 1) * sizeof(Py_ssize_t))
        if counts == NULL:
            raise MemoryError()
        try:
            for i in range(n_codes):
                counts[i] = 0
            ascii = PyUnicode_IS_ASCII(lower)
            if kind == PyUnicode_1BYTE_KIND:
                self._count(lower, <const unsigned char*>data, n, ascii, seen, counts)
            elif kind == PyUnicode_2BYTE_KIND:
                self._count(lower, <const unsigned short*>data, n, ascii, seen, counts)
            else:
                self._count(lower, <const unsigned int*>data, n, ascii, seen, counts)
            return {self.codes[index]: counts[<Py_ssize_t>index] for index in seen}
        finally:
            PyMem_Free(counts)


def with_dict(cls, dict fields not None):
    """``object.__new__(cls)`` with `fields` as its instance dict (``object.__setattr__(obj,
    "__dict__", fields)``): the two calls of splitter.removed_piece (the reference) made
    without their Python-level dispatch (the method look-ups, the wrapper's argument tuple and
    checks), through the same C functions (object's tp_new, the generic setattr of
    ``__dict__``). TypeError for a class whose instances object.__new__ does not make."""
    obj = newsline_object_new(cls)
    PyObject_GenericSetAttr(obj, "__dict__", fields)
    return obj
