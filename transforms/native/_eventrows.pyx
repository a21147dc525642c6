# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Compiled event rows of one document: ``transforms.events.rows.event_rows`` in one call.

:class:`Rows` does, per document, what the Python reference does per mention: the mention's
skip reason (rows.skip_reason), its sentence (transforms/text/sentences.py
``LazySentenceIndex``: the line's sentences split here, once per line), the sentence's tokens
(the compiled ``Analyser`` of transforms/native/_events.pyx, once per sentence) with what the
role checks read per sentence (its line, the line's publication and link cues, the clause
punctuation of its actors), the trigger (``Picker`` and ``Triggers``), the actors (``Actors``),
``date_role`` (transforms/events/role.py, every check ported, same order) and the row dict
(copied from a per-document template that holds the document's own columns, so each row is
one dict copy plus the mention's columns, in the reference's column order).

The Python functions stay the reference; tests/test_native_events.py compares the rows of both
paths on TimeBank + AQUAINT, the boilerplate pages, the seeds, the benchmark pages, synthetic
mentions at random offsets and hypothesis' odd unicode.
"""

import re

from cpython.dict cimport PyDict_Copy, PyDict_GetItem, PyDict_Next, PyDict_SetItem
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.ref cimport PyObject
from cpython.set cimport PySet_Contains
from cpython.tuple cimport PyTuple_GET_ITEM
from libc.stdint cimport uint64_t
from libc.string cimport memcpy

from transforms.native.dictslots cimport DictEntry, dict_entries, dict_read, put, slots_work
from transforms.native.parsed cimport (
    P_ENDS, P_KINDS, P_LEMMAS, P_LOWERS, P_STARTS, P_WORDS, parsed_field as _pf, parsed_type,
)

cdef extern from *:
    const char* NEWSLINE_SOURCE_DIGEST

SOURCE_DIGEST = NEWSLINE_SOURCE_DIGEST.decode()

cdef extern from *:
    """
    /* BLAKE2b (RFC 7693), unkeyed, 8-byte digest: transforms.records.event_id's
       hashlib.blake2b(data, digest_size=8).hexdigest() without a hash object per mention */
    #include <stdint.h>
    #include <string.h>
    static const uint64_t newsline_b2b_iv[8] = {
        0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
        0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
        0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
    static const uint8_t newsline_b2b_sigma[12][16] = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
        {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
        {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
        {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
        {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
        {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
        {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
        {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
        {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
        {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
        {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3}};
    #define NEWSLINE_ROTR64(x, n) (((x) >> (n)) | ((x) << (64 - (n))))
    #define NEWSLINE_B2B_G(a, b, c, d, x, y) do { \
        v[a] = v[a] + v[b] + (x); v[d] = NEWSLINE_ROTR64(v[d] ^ v[a], 32); \
        v[c] = v[c] + v[d]; v[b] = NEWSLINE_ROTR64(v[b] ^ v[c], 24); \
        v[a] = v[a] + v[b] + (y); v[d] = NEWSLINE_ROTR64(v[d] ^ v[a], 16); \
        v[c] = v[c] + v[d]; v[b] = NEWSLINE_ROTR64(v[b] ^ v[c], 63); } while (0)
    #define NEWSLINE_B2B_ROUND(r) do { \
        NEWSLINE_B2B_G(0, 4, 8, 12, m[newsline_b2b_sigma[r][0]], m[newsline_b2b_sigma[r][1]]); \
        NEWSLINE_B2B_G(1, 5, 9, 13, m[newsline_b2b_sigma[r][2]], m[newsline_b2b_sigma[r][3]]); \
        NEWSLINE_B2B_G(2, 6, 10, 14, m[newsline_b2b_sigma[r][4]], m[newsline_b2b_sigma[r][5]]); \
        NEWSLINE_B2B_G(3, 7, 11, 15, m[newsline_b2b_sigma[r][6]], m[newsline_b2b_sigma[r][7]]); \
        NEWSLINE_B2B_G(0, 5, 10, 15, m[newsline_b2b_sigma[r][8]], m[newsline_b2b_sigma[r][9]]); \
        NEWSLINE_B2B_G(1, 6, 11, 12, m[newsline_b2b_sigma[r][10]], m[newsline_b2b_sigma[r][11]]); \
        NEWSLINE_B2B_G(2, 7, 8, 13, m[newsline_b2b_sigma[r][12]], m[newsline_b2b_sigma[r][13]]); \
        NEWSLINE_B2B_G(3, 4, 9, 14, m[newsline_b2b_sigma[r][14]], m[newsline_b2b_sigma[r][15]]); \
        } while (0)
    static void newsline_b2b_compress(uint64_t h[8], const uint8_t *block, uint64_t t, int last) {
        uint64_t v[16], m[16];
        int i;
    #if !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
        int b;
    #endif
    #if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        memcpy(m, block, 128);  /* the message's little-endian words as they lie */
    #else
        for (i = 0; i < 16; i++) {  /* little-endian words on a big-endian machine */
            uint64_t w = 0;
            for (b = 7; b >= 0; b--) w = (w << 8) | block[8 * i + b];
            m[i] = w;
        }
    #endif
        for (i = 0; i < 8; i++) { v[i] = h[i]; v[i + 8] = newsline_b2b_iv[i]; }
        v[12] ^= t;  /* the counter's high word stays 0: messages are short */
        if (last) v[14] = ~v[14];
        NEWSLINE_B2B_ROUND(0); NEWSLINE_B2B_ROUND(1); NEWSLINE_B2B_ROUND(2);
        NEWSLINE_B2B_ROUND(3); NEWSLINE_B2B_ROUND(4); NEWSLINE_B2B_ROUND(5);
        NEWSLINE_B2B_ROUND(6); NEWSLINE_B2B_ROUND(7); NEWSLINE_B2B_ROUND(8);
        NEWSLINE_B2B_ROUND(9); NEWSLINE_B2B_ROUND(10); NEWSLINE_B2B_ROUND(11);
        for (i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
    }
    /* the decimal form of v (as Python's str of an int) at out; its length */
    static size_t newsline_put_decimal(char *out, Py_ssize_t v) {
        char digits[24];
        size_t n = 0, k = 0;
        size_t u = v < 0 ? (size_t)0 - (size_t)v : (size_t)v;
        do { digits[n++] = (char)('0' + u % 10); u /= 10; } while (u);
        if (v < 0) out[k++] = '-';
        while (n) out[k++] = digits[--n];
        return k;
    }
    /* the 16 lowercase hex digits of blake2b(data[0:n], digest_size=8) to out */
    static void newsline_blake2b8_hex(const unsigned char *data, size_t n, char *out) {
        static const char digits[] = "0123456789abcdef";
        uint64_t h[8];
        uint8_t block[128];
        uint64_t t = 0;
        int i;
        for (i = 0; i < 8; i++) h[i] = newsline_b2b_iv[i];
        h[0] ^= 0x01010000ULL ^ 8ULL;  /* depth 1, fanout 1, no key, 8-byte digest */
        while (n > 128) {
            t += 128;
            newsline_b2b_compress(h, data, t, 0);
            data += 128;
            n -= 128;
        }
        memset(block, 0, 128);
        memcpy(block, data, n);
        t += n;
        newsline_b2b_compress(h, block, t, 1);
        for (i = 0; i < 8; i++) {
            uint8_t byte = (uint8_t)(h[0] >> (8 * i));
            out[2 * i] = digits[byte >> 4];
            out[2 * i + 1] = digits[byte & 15];
        }
    }
    """
    void newsline_blake2b8_hex(const unsigned char* data, size_t n, char* out)
    size_t newsline_put_decimal(char* out, Py_ssize_t v)

# the message of an event id hashed in a buffer on the stack when it fits ("doc_id:" and the
# two offsets); a longer document id goes through hashlib
cdef enum:
    ID_BUFFER = 256


def blake2b8_hex(bytes data):
    """hashlib.blake2b(data, digest_size=8).hexdigest() by the C function event ids use
    (checked against hashlib by tests/test_native_eventrows.py)."""
    cdef char out[16]
    newsline_blake2b8_hex(<const unsigned char*><char*>data, len(data), out)
    return out[:16].decode("ascii")

cdef extern from *:
    void PyObject_GC_UnTrack(void* op)
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)
    bint Py_UNICODE_ISALPHA(Py_UCS4 ch)
    bint Py_UNICODE_ISUPPER(Py_UCS4 ch)
    bint Py_UNICODE_ISLOWER(Py_UCS4 ch)
    bint Py_UNICODE_ISDECIMAL(Py_UCS4 ch)
    int PyUnicode_KIND(object s)
    void* PyUnicode_DATA(object s)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index)
    int PyUnicode_1BYTE_KIND
    int PyUnicode_Contains(object container, object element) except -1
    ctypedef unsigned char Py_UCS1

# transforms/events/role.py MAX_SHORT_LINE, DATE_SHARE_OF_LINE (checked against it in __init__)
cdef Py_ssize_t MAX_SHORT_LINE = 160
cdef double DATE_SHARE_OF_LINE = 0.5
# abbreviations are at most this long (checked in __init__): a longer word before a period is
# none, whatever its lowercase form
cdef Py_ssize_t MAX_ABBREVIATION = 8
# transforms/events/role.py _COMMENT_HEADER_RE's pattern, for which Rows._comment_header skips
# the search of a line that cannot match (any other pattern is searched on every short line)
COMMENT_HEADER_PATTERN = r"\b(?:said|says|wrote|writes|commented|replied)\s*:\s*$"
# the columns of an events row, in the reference's order (rows.event_rows + annotate)
COLUMNS = (
    "event_id", "doc_id", "source", "published", "anchor_date", "anchor_source", "date_text",
    "char_start", "char_end", "timex_type", "timex_value", "date_start", "date_end",
    "granularity", "sentence", "sentence_start", "sentence_end", "rule", "mention_id",
    "trigger", "trigger_start", "trigger_end", "trigger_pos", "event_class", "actors", "tense",
    "date_role", "role_reason", "timex_mod",
)
# the positions in COLUMNS of the columns Rows stores by position (transforms/native/
# dictslots.pxd; checked against COLUMNS when Rows is built)
cdef enum:
    C_EVENT_ID = 0
    C_DATE_TEXT = 6
    C_CHAR_START = 7
    C_CHAR_END = 8
    C_TIMEX_TYPE = 9
    C_TIMEX_VALUE = 10
    C_DATE_START = 11
    C_DATE_END = 12
    C_GRANULARITY = 13
    C_SENTENCE = 14
    C_SENTENCE_START = 15
    C_SENTENCE_END = 16
    C_RULE = 17
    C_MENTION_ID = 18
    C_TRIGGER = 19
    C_TRIGGER_START = 20
    C_TRIGGER_END = 21
    C_TRIGGER_POS = 22
    C_EVENT_CLASS = 23
    C_ACTORS = 24
    C_TENSE = 25
    C_DATE_ROLE = 26
    C_ROLE_REASON = 27
    C_TIMEX_MOD = 28
    N_COLUMNS = 29


# the dicts' values stored and read by position (transforms/native/dictslots.pxd), when its
# check on live dicts passes
cdef bint SLOTS = slots_work()
# whether the in-place stores are on (tests/test_native_eventrows.py expects them on CPython 3.11)
IN_PLACE = SLOTS


cdef inline object _field(dict fields, object mention, str name):
    """``mention.name``, read from the instance dict of a DateMention (``fields``; None for
    any other type, which is read with getattr)."""
    cdef PyObject* got
    if fields is not None:
        got = PyDict_GetItem(fields, name)
        if got is not NULL:
            return <object>got
    return getattr(mention, name)


# The fields of transforms.temporal.tagger.DateMention that the rows read, in its declaration
# order, which is the order its __init__ sets them in its instance dict: one walk of the dict
# (_mention_fields) finds them all, instead of a lookup (a hash probe, ~110 instructions) per
# field, 19 per mention in rows and document_row.
cdef tuple MENTION_FIELDS = ("start", "end", "text", "timex_type", "value", "date_start",
                             "date_end", "granularity", "rule", "mod", "tense")
cdef enum:
    F_START = 0
    F_END = 1
    F_TEXT = 2
    F_TIMEX_TYPE = 3
    F_VALUE = 4
    F_DATE_START = 5
    F_DATE_END = 6
    F_GRANULARITY = 7
    F_RULE = 8
    F_MOD = 9
    F_TENSE = 10
    N_FIELDS = 11


cdef void _mention_fields(dict fields, PyObject** got) noexcept:
    """got[x] = fields[MENTION_FIELDS[x]] as a borrowed reference, NULL when it is missing or
    ``fields`` is None (the mention is then read with getattr, :func:`_got`). The dict's values
    are read by position when its first entries are MENTION_FIELDS in order (a DateMention's
    instance dict: transforms/native/dictslots.pxd ``dict_read``); else it is walked
    (PyDict_Next) while its keys are MENTION_FIELDS in order (the same interned strings), and
    the fields from the first other key on are looked up by name (PyDict_GetItem, as _field)."""
    cdef Py_ssize_t pos = 0, x = 0
    cdef PyObject* key
    cdef PyObject* value
    if fields is not None and dict_read(fields, MENTION_FIELDS, SLOTS, got):
        return
    if fields is not None:
        while x < N_FIELDS and PyDict_Next(fields, &pos, &key, &value):
            if key != PyTuple_GET_ITEM(MENTION_FIELDS, x):
                break
            got[x] = value
            x += 1
    while x < N_FIELDS:
        got[x] = PyDict_GetItem(fields, <object>PyTuple_GET_ITEM(MENTION_FIELDS, x)) \
            if fields is not None else NULL
        x += 1


cdef inline object _got(PyObject** got, Py_ssize_t x, object mention):
    """Field x of MENTION_FIELDS of ``mention``: from ``got`` (:func:`_mention_fields`), else
    with getattr."""
    if got[x] is not NULL:
        return <object>got[x]
    return getattr(mention, <str>PyTuple_GET_ITEM(MENTION_FIELDS, x))


ctypedef fused _Sorted:
    Py_ssize_t
    uint64_t


cdef inline Py_ssize_t _bisect_left(const _Sorted* a, Py_ssize_t lo, Py_ssize_t hi,
                                    _Sorted x) noexcept:
    """bisect.bisect_left(a, x, lo, hi) on a sorted C array: the first index in [lo, hi)
    whose value is not below ``x`` (``hi`` when none)."""
    cdef Py_ssize_t mid
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


cdef inline Py_ssize_t _bisect_right(const Py_ssize_t* a, Py_ssize_t lo, Py_ssize_t hi,
                                     Py_ssize_t x) noexcept:
    """bisect.bisect_right(a, x, lo, hi) on a sorted C array: the first index in [lo, hi)
    whose value is above ``x`` (``hi`` when none)."""
    cdef Py_ssize_t mid
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


cdef enum:
    MAX_PACKED = 256  # ASCII abbreviations held packed (sentences.ABBREVIATIONS has 51)


cdef uint64_t _pack_str(str word) except? 0:
    """An ASCII ``word`` of 1 to 8 characters, none NUL, as a uint64: its bytes from the high
    end, zero after (no two such words share a value)."""
    cdef uint64_t value = 0
    cdef Py_ssize_t q
    for q in range(8):
        value = (value << 8) | (<uint64_t>ord(word[q]) if q < len(word) else 0)
    return value


cdef inline bint _pack_ascii_lower(str text, Py_ssize_t start, Py_ssize_t end,
                                   uint64_t* key) noexcept:
    """text[start:end].lower() packed as :func:`_pack_str` packs it (1 to 8 characters) when
    every character is ASCII (its lowercase is then its ASCII letters lowered); False else."""
    cdef uint64_t value = 0, c
    cdef Py_ssize_t q
    for q in range(8):
        if start + q < end:
            c = <uint64_t>_at(text, start + q)  # a code point as a number (no str arithmetic)
            if c > 127 or c == 0:
                return False
            if 65 <= c <= 90:  # "A" to "Z"
                c += 32
        else:
            c = 0
        value = (value << 8) | c
    key[0] = value
    return True


cdef inline Py_UCS4 _at(str text, Py_ssize_t q):
    """text[q] for 0 <= q < len(text) (not checked)."""
    return PyUnicode_READ(PyUnicode_KIND(text), PyUnicode_DATA(text), q)


cdef inline bint _closer(Py_UCS4 c):
    """BOUNDARY_RE's closing quotes and brackets after a sentence's end mark."""
    return c == u'"' or c == u"'" or c == u"\u201d" or c == u"\u2019" or c == u")" or c == u"]"


cdef inline bint _opener(Py_UCS4 c):
    """BOUNDARY_RE's opening quotes and brackets before a sentence's first character."""
    return c == u'"' or c == u"'" or c == u"\u201c" or c == u"\u2018" or c == u"(" or c == u"["


cdef inline bint _upper_or_digit(Py_UCS4 c):
    return (u"A" <= c <= u"Z") or (u"0" <= c <= u"9")


cdef inline bint _alnum(Py_UCS4 c):
    """role._ALNUM: an ASCII letter or digit."""
    return (u"A" <= c <= u"Z") or (u"a" <= c <= u"z") or (u"0" <= c <= u"9")


cdef inline Py_ssize_t _next_mark1(const Py_UCS1* data, Py_ssize_t p, Py_ssize_t end) noexcept:
    """The index of the first ".", "!" or "?" of data[p:end] (one byte a character), else end."""
    cdef Py_UCS1 c
    while p < end:
        c = data[p]
        if c == b"." or c == b"!" or c == b"?":
            return p
        p += 1
    return end


cdef Py_ssize_t _count_alnum(str text, Py_ssize_t a, Py_ssize_t b):
    cdef Py_ssize_t n = 0, q
    for q in range(a, b):
        if _alnum(_at(text, q)):
            n += 1
    return n


cdef struct _WordFilter:
    # what a str must have to be in a small set of words: bit L of ``lengths`` for a word of
    # L characters (L >= 63: bit 63), bit c of ``heads`` for a first character c < 128;
    # ``wide``: a word of the set starts with a character >= 128; ``empty``: "" is in the set
    unsigned long long lengths
    unsigned long long heads[2]
    bint wide, empty


cdef _WordFilter _filter_of(frozenset words):
    """The filter of ``words`` (its strs; any other member makes every word pass)."""
    cdef _WordFilter f
    cdef Py_ssize_t n
    cdef unsigned int c
    f.lengths = 0
    f.heads[0] = f.heads[1] = 0
    f.wide = f.empty = False
    for word in words:
        if type(word) is not str:
            f.lengths = ~0ULL
            f.heads[0] = f.heads[1] = ~0ULL
            f.wide = f.empty = True
            continue
        n = len(<str>word)
        if n == 0:
            f.empty = True
            continue
        f.lengths |= 1ULL << (n if n < 63 else 63)
        c = <unsigned int>_at(<str>word, 0)
        if c < 128:
            f.heads[c >> 6] |= 1ULL << (c & 63)
        else:
            f.wide = True
    return f


cdef inline bint _may_hold(_WordFilter* f, object word):
    """False when the str ``word`` cannot be a member of the filter's set (its length or first
    character is no member's); True otherwise, and for any object that is not a str."""
    cdef Py_ssize_t n
    cdef unsigned int c
    if type(word) is not str:
        return True
    n = len(<str>word)
    if n == 0:
        return f.empty
    if not (f.lengths >> (n if n < 63 else 63)) & 1:
        return False
    c = <unsigned int>_at(<str>word, 0)
    if c >= 128:
        return f.wide
    return (f.heads[c >> 6] >> (c & 63)) & 1


cdef bint _any_in(frozenset words, _WordFilter* f, tuple items) except -1:
    """``not words.isdisjoint(items)``, the members looked up only for the items that pass
    ``f`` (:func:`_filter_of` of ``words``)."""
    cdef object item
    for item in items:
        if _may_hold(f, item) and PySet_Contains(words, item):
            return True
    return False


def any_in(frozenset words, tuple items):
    """``not words.isdisjoint(items)`` through the filtered lookup the rows use (checked
    against isdisjoint by tests/test_native_eventrows.py)."""
    cdef _WordFilter f = _filter_of(words)
    return _any_in(words, &f, items)


cdef bint _contains_any(str line, tuple cues) except -1:
    """any(cue in line for cue in cues), without the generator: ``cues``, strs."""
    cdef object cue
    for cue in cues:
        if PyUnicode_Contains(line, cue):
            return True
    return False


cdef class _Sentence:
    """One sentence of a document with what every date in it shares: tokens (a Parsed), their
    kinds as bytes and offsets in C arrays, clause punctuation and actor memo, the paragraph
    text, its line and the line's cues (role.py's per-line and per-sentence checks)."""

    cdef object parsed, span
    cdef bytes kind_bytes
    cdef const char* kinds
    cdef Py_ssize_t n, ls, le, n_line
    cdef Py_ssize_t* starts
    cdef Py_ssize_t* ends
    cdef tuple words, lowers, lemmas
    cdef list bounds
    cdef dict clauses
    cdef str text
    cdef bint short, line_cue, link_static, generic_static, habitual

    def __dealloc__(self):
        PyMem_Free(self.starts)
        PyMem_Free(self.ends)


cdef class Rows:
    """``rows(doc, anchor, published, body_spans, mentions)`` -> ``(rows, skipped)``, as
    ``transforms.events.rows.event_rows`` with the Python path.

    Built by transforms/events/extract.py (``EventExtractor``) from the lexicon, the compiled
    objects of transforms/native/_events.pyx (analyser, picker, triggers, actors) and the
    reference's constants, word lists and regular expressions, passed as ``parts`` (a dict), so
    that each stays defined once, in Python."""

    cdef object analyse, pick, trigger_parts, comparison, actors, yearless, lazy_index, event_hash
    cdef type mention_type, parsed
    cdef object dateline, after_dateline, comment_header
    cdef bint colon_end  # comment_header can match only a line whose last non-space is ":"
    cdef dict empty_row  # dict.fromkeys(COLUMNS), copied per document
    cdef bint slots  # a row's values are stored in place (transforms/native/dictslots.pxd)
    cdef frozenset abbreviations, actor_boundary, publication_cues, link_prefixes
    cdef tuple line_cues  # publication_cues less the ones that hold another
    # the ASCII abbreviations, each packed in a uint64 (_pack_str), sorted: an ASCII word before a
    # period is looked up here without making its lowercase str (:meth:`_abbreviation`)
    cdef uint64_t packed[MAX_PACKED]
    cdef Py_ssize_t n_packed
    cdef frozenset habitual, generic_dates, generic_after, light_verbs
    cdef _WordFilter habitual_filter  # of ``habitual``: most words are no cue
    cdef dict class_of, event_nouns, aux_tense
    cdef tuple tenses
    cdef object reading
    cdef Py_ssize_t max_group

    def __init__(self, dict parts):
        self.analyse = parts["analyse"]
        self.parsed = parsed_type()  # its field order checked (transforms/native/parsed.pxd)
        self.pick = parts["pick"]
        # Triggers.parts_of: the trigger's (start, end, text, lemma, pos, class)
        self.trigger_parts = parts["trigger_parts"]
        self.comparison = parts["comparison"]
        self.actors = parts["actors"]
        self.yearless = parts["yearless_re"].match
        self.lazy_index = parts["lazy_index"]
        # transforms.records.event_id's hash, its empty state copied per mention
        self.event_hash = parts["blake2b"](digest_size=8)
        # transforms.temporal.tagger.DateMention: a plain (frozen) dataclass, whose fields are
        # read from its instance dict; any other mention type through getattr
        self.mention_type = parts["mention_type"]
        self.dateline = parts["dateline_re"].match
        self.after_dateline = parts["after_dateline_re"].match
        self.comment_header = parts["comment_header_re"].search
        # role._COMMENT_HEADER_RE ends in r"\s*:\s*$" (no other top-level alternative, no
        # MULTILINE): a match is a ":" followed by white space (re's \s, str.isspace) only, so
        # a line whose last non-space character is not ":" has none and is not searched
        # (:meth:`_comment_header`). Any other pattern is always searched.
        self.colon_end = parts["comment_header_re"].pattern == COMMENT_HEADER_PATTERN and \
            parts["comment_header_re"].flags == re.UNICODE
        # the events row's columns, all None, in order: a copy per document (as
        # dict.fromkeys(COLUMNS) makes it, ~12,000 instructions, ~1,000 for the copy)
        self.empty_row = dict.fromkeys(COLUMNS)
        if len(COLUMNS) != N_COLUMNS or COLUMNS.index("event_id") != C_EVENT_ID or \
                COLUMNS.index("date_text") != C_DATE_TEXT or \
                COLUMNS[C_CHAR_START:C_MENTION_ID + 1] != (
                    "char_start", "char_end", "timex_type", "timex_value", "date_start",
                    "date_end", "granularity", "sentence", "sentence_start", "sentence_end",
                    "rule", "mention_id") or \
                COLUMNS[C_TRIGGER:] != (
                    "trigger", "trigger_start", "trigger_end", "trigger_pos", "event_class",
                    "actors", "tense", "date_role", "role_reason", "timex_mod"):
            raise ValueError("_eventrows' column positions are out of step with COLUMNS")
        self.slots = SLOTS
        self.abbreviations = frozenset(parts["abbreviations"])
        self.n_packed = 0
        packed = sorted(_pack_str(word) for word in self.abbreviations
                        if word.isascii() and 0 < len(word) <= 8
                        and "\0" not in word)
        if len(packed) > MAX_PACKED:
            packed = []  # every word through the frozenset, as before
        for value in packed:
            self.packed[self.n_packed] = value
            self.n_packed += 1
        self.actor_boundary = frozenset(parts["actor_boundary"])
        lex = parts["lex"]
        self.publication_cues = lex.words("publication_cues")
        # the cues that hold no other cue ("last updated" holds "updated": a line with it has
        # "updated" too), sorted: a line holds a publication cue exactly when it holds one of
        # these
        cues = sorted(self.publication_cues)
        self.line_cues = tuple(
            cue for cue in cues if not any(other != cue and other in cue for other in cues))
        self.link_prefixes = lex.words("link_prefixes")
        self.habitual = lex.words("habitual_cues")
        self.habitual_filter = _filter_of(self.habitual)
        self.generic_dates = lex.words("generic_dates")
        self.generic_after = lex.words("generic_after")
        self.light_verbs = lex.words("light_verbs")
        self.class_of = lex.class_of
        self.event_nouns = lex.event_nouns
        self.tenses = tuple(parts["tenses"])
        self.aux_tense = dict(parts["aux_tense"])
        self.max_group = parts["max_group"]
        self.reading = lex.reading
        if parts["max_short_line"] != MAX_SHORT_LINE or \
                parts["date_share_of_line"] != DATE_SHARE_OF_LINE or \
                max(map(len, self.abbreviations)) > MAX_ABBREVIATION:
            raise ValueError("transforms/native/_eventrows.pyx is out of step with role.py, "
                             "sentences.py or rows.py")

    # -- sentences (transforms/text/sentences.py) ------------------------------------------

    cdef bint _abbreviation(self, str text, Py_ssize_t dot):
        """sentences._ends_with_abbreviation."""
        cdef Py_ssize_t start = dot
        cdef Py_UCS4 c
        while start > 0:
            c = _at(text, start - 1)
            if Py_UNICODE_ISALPHA(c) or c == u".":
                start -= 1
            else:
                break
        if start == dot or dot - start > MAX_ABBREVIATION:
            return False
        cdef uint64_t key = 0
        cdef Py_ssize_t lo
        if self.n_packed > 0 and dot - start <= 8 and _pack_ascii_lower(text, start, dot, &key):
            # an ASCII word: its lowercase (ASCII letters lowered, the same length) is an
            # abbreviation exactly when its packed form is one of the ASCII ones
            lo = _bisect_left(self.packed, 0, self.n_packed, key)
            if lo < self.n_packed and self.packed[lo] == key:
                return True
            return dot - start == 1 and Py_UNICODE_ISUPPER(_at(text, dot - 1))
        word = text[start:dot].lower()
        return word in self.abbreviations or (
            len(word) == 1 and Py_UNICODE_ISUPPER(_at(text, dot - 1)))

    cdef list _split_line(self, str text, Py_ssize_t start, Py_ssize_t end):
        """sentences.split_line(text, start, end): BOUNDARY_RE's matches read by hand (an end
        mark, closers, white space, then an opener or not and a capital or digit), each
        match the search resumes after, periods of abbreviations skipped."""
        cdef list out = []
        cdef Py_ssize_t cursor = start, p = start, q, r, a, b
        cdef Py_UCS4 ch, c
        cdef bint ok
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        while p < end:
            if kind == PyUnicode_1BYTE_KIND:  # to the next end mark, one byte a character
                p = _next_mark1(<const Py_UCS1*>data, p, end)
                if p >= end:
                    break
            ch = PyUnicode_READ(kind, data, p)
            if ch == u"." or ch == u"!" or ch == u"?":
                q = p + 1
                while q < end and _closer(PyUnicode_READ(kind, data, q)):
                    q += 1
                r = q
                while r < end and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, r)):
                    r += 1
                if r > q and r < end:
                    c = PyUnicode_READ(kind, data, r)
                    ok = _upper_or_digit(c) or (
                        _opener(c) and r + 1 < end and _upper_or_digit(PyUnicode_READ(kind, data, r + 1)))
                    if ok:
                        if not (ch == u"." and self._abbreviation(text, p)):
                            a, b = cursor, r
                            while a < b and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a)):
                                a += 1
                            while b > a and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b - 1)):
                                b -= 1
                            cursor = r
                            if a < b:
                                out.append((a, b))
                        p = r
                        continue
            p += 1
        a, b = cursor, end
        while a < b and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a)):
            a += 1
        while b > a and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b - 1)):
            b -= 1
        if a < b:
            out.append((a, b))
        return out

    # -- a sentence's shared state -----------------------------------------------------------

    cdef _Sentence _sentence(self, str text, tuple span):
        cdef _Sentence s = _Sentence()
        cdef Py_ssize_t start = span[0], end = span[1], t, stop
        cdef tuple starts, ends
        cdef str lower_line, kind_str, head
        s.span = span
        s.parsed = p = self.analyse(text, start, end)
        kind_str = _pf(p, self.parsed, P_KINDS)
        s.kind_bytes = kind_str.encode("ascii")
        s.kinds = s.kind_bytes
        s.n = len(s.kind_bytes)
        s.words = _pf(p, self.parsed, P_WORDS)
        s.lowers = _pf(p, self.parsed, P_LOWERS)
        s.lemmas = _pf(p, self.parsed, P_LEMMAS)
        starts = _pf(p, self.parsed, P_STARTS)
        ends = _pf(p, self.parsed, P_ENDS)
        s.starts = <Py_ssize_t*>PyMem_Malloc((s.n + 1) * sizeof(Py_ssize_t))
        s.ends = <Py_ssize_t*>PyMem_Malloc((s.n + 1) * sizeof(Py_ssize_t))
        if s.starts == NULL or s.ends == NULL:
            raise MemoryError()
        for t in range(s.n):
            s.starts[t] = starts[t]
            s.ends[t] = ends[t]
        # actors.sentence_bounds: clause punctuation other than commas
        s.bounds = [t for t in range(s.n) if s.kinds[t] == b"p"
                    and PySet_Contains(self.actor_boundary, s.words[t])]
        s.clauses = {}
        s.text = text[start:end].replace("\n", " ")
        # role._line and what role.py reads of the line once per sentence
        s.ls = text.rfind("\n", 0, start) + 1
        stop = text.find("\n", end)
        s.le = len(text) if stop < 0 else stop
        s.short = s.le - s.ls <= MAX_SHORT_LINE
        s.line_cue = s.link_static = False
        s.n_line = 0
        if s.short:
            lower_line = text[s.ls:s.le].lower()
            s.line_cue = _contains_any(lower_line, self.line_cues) or \
                self._comment_header(lower_line)
            if b"v" not in s.kind_bytes:
                head = lower_line.lstrip()
                s.link_static = b"x" not in s.kind_bytes or any(
                    head.startswith(prefix) for prefix in self.link_prefixes)
            s.n_line = _count_alnum(text, s.ls, s.le)
        s.habitual = _any_in(self.habitual, &self.habitual_filter, s.lowers)
        s.generic_static = self._every_year(s.lowers)
        return s

    cdef bint _comment_header(self, str lower_line) except -1:
        """role._COMMENT_HEADER_RE.search(lower_line) is not None, the search skipped when the
        line's last non-space character is not ":" (``colon_end``: no match is possible)."""
        cdef Py_ssize_t q = len(lower_line)
        if self.colon_end:
            while q > 0 and Py_UNICODE_ISSPACE(lower_line[q - 1]):
                q -= 1
            if q == 0 or lower_line[q - 1] != u":":
                return False
        return self.comment_header(lower_line) is not None

    cdef bint _every_year(self, tuple lowers):
        """role._generic's "every year" / "each year" (the first "year" only)."""
        cdef Py_ssize_t k, n = len(lowers), year = -1
        cdef bint each = False
        cdef str word
        for k in range(n):
            word = <str>lowers[k]
            if len(word) == 4 and (word == "year" or word == "each"):
                if word == "each":
                    each = True
                elif year < 0:
                    year = k
            elif len(word) == 5 and word == "every":
                each = True
        if year < 0 or not each:
            return False
        word = <str>lowers[year - 1] if year > 0 else <str>lowers[n - 1]
        return word == "every" or word == "each"

    # -- date_role (transforms/events/role.py) -----------------------------------------------

    cdef bint _publication(self, str text, _Sentence s, Py_ssize_t ds, Py_ssize_t de):
        """role._publication."""
        cdef Py_ssize_t q, lo, r
        cdef bint tail_empty = True
        cdef Py_UCS4 c
        if s.le - de <= 3:
            for q in range(de, s.le):
                c = _at(text, q)
                if not (c == u" " or c == u"." or c == u","):
                    tail_empty = False
                    break
            if tail_empty:  # _SIGNATURE_RE.search(text, max(ls, ds - 12), ds)
                lo = ds - 12 if ds - 12 > s.ls else s.ls
                r = ds
                while r > lo and Py_UNICODE_ISSPACE(_at(text, r - 1)):
                    r -= 1
                if r - 1 >= lo:
                    c = _at(text, r - 1)
                    if c == u")" or c == u"\u2014" or c == u"|":
                        return True
                    if c == u"-" and r - 2 >= lo and _at(text, r - 2) == u"-":
                        return True
        if not s.short:
            return False
        if s.line_cue:
            return True
        if ds > s.ls and u"A" <= _at(text, s.ls) <= u"Z" and \
                self.dateline(text[s.ls:ds]) is not None and \
                self.after_dateline(text[de:s.le]) is not None:
            return True
        if de > len(text):
            de = len(text)
        return s.n_line > 0 and <double>_count_alnum(text, ds, de) / <double>s.n_line \
            >= DATE_SHARE_OF_LINE

    cdef bint _link_or_list(self, str text, _Sentence s, Py_ssize_t ds, Py_ssize_t de):
        """role._link_or_list: a date inside a URL, or (per sentence) a short line with a list
        or link prefix and no verb, or no predicate at all."""
        cdef Py_ssize_t cs = s.ls, ce = s.le, q, slashes = 0
        cdef bint web = False
        cdef Py_UCS4 c
        for q in range(ds - 1, s.ls - 1, -1):  # text.rfind(" ", ls, ds)
            if _at(text, q) == u" ":
                cs = q + 1
                break
        for q in range(de, s.le):  # text.find(" ", de, le)
            if _at(text, q) == u" ":
                ce = q
                break
        for q in range(cs, ce):
            c = _at(text, q)
            if c == u"/":
                slashes += 1
            elif q + 4 <= ce and (
                    (c == u"h" and _at(text, q + 1) == u"t" and _at(text, q + 2) == u"t"
                     and _at(text, q + 3) == u"p") or
                    (c == u"w" and _at(text, q + 1) == u"w" and _at(text, q + 2) == u"w"
                     and _at(text, q + 3) == u".")):
                web = True
        if slashes > 0 and (web or slashes >= 2):
            return True
        return s.link_static

    cdef bint _is_event(self, object lemma, bint verb):
        """role._is_event of a trigger (its lemma, verb or noun)."""
        if verb:
            return True
        return lemma in self.class_of or self.event_nouns.get(lemma, 0.0) >= 0.5

    cdef bint _generic(self, str text, _Sentence s, Py_ssize_t ds, Py_ssize_t de,
                       Py_ssize_t j, Py_ssize_t k, object lemma, bint verb, str tense,
                       object granularity):
        """role._generic (k: the trigger's token, which role._token_at finds)."""
        cdef str date_lower, nxt
        cdef Py_ssize_t q
        cdef str word
        if s.generic_static:
            return True
        if s.habitual and self._habitual_of(s, k):
            return True
        date_lower = text[ds:de].lower()
        if date_lower in self.generic_dates:
            if tense == "past" or tense == "future":
                return False
            nxt = <str>s.lowers[j] if j < s.n else ""
            if nxt == "'s" or nxt == "\u2019s":
                nxt = <str>s.lowers[j + 1] if j + 1 < s.n else ""
            if nxt in self.generic_after:
                return True
            return lemma in self.light_verbs or not self._is_event(lemma, verb)
        if not (granularity == "month" or granularity == "season"):
            return False
        for q in range(len(date_lower)):
            if Py_UNICODE_ISDECIMAL(date_lower[q]):
                return False
        word = <str>s.words[k]
        return tense == "none" and s.kinds[k] == b"v" and word.endswith("s")

    cdef bint _habitual_of(self, _Sentence s, Py_ssize_t k):
        """A habitual cue with no verb between it and the trigger token k (role._generic)."""
        cdef Py_ssize_t x, m, lo, hi
        cdef bint verb_between
        for x in range(s.n):
            if PySet_Contains(self.habitual, s.lowers[x]):
                lo, hi = (x, k) if x < k else (k, x)
                verb_between = False
                for m in range(lo + 1, hi):
                    if s.kinds[m] == b"v":
                        verb_between = True
                        break
                if not verb_between:
                    return True
        return False

    cdef bint _noun_modifier(self, _Sentence s, Py_ssize_t i, Py_ssize_t j, Py_ssize_t k,
                             object lemma, bint verb):
        """role._noun_modifier (k: the trigger's token)."""
        cdef const char* kinds = s.kinds
        cdef Py_ssize_t n = s.n, m
        cdef char before
        cdef str word
        if 0 < i and j < n and (kinds[i - 1] == b"t" or
                                Py_UNICODE_ISLOWER((<str>s.words[i - 1])[0])):
            before = kinds[i - 1]
            if not (before == b"r" or before == b"v" or before == b"x" or before == b"s"
                    or before == b"c") and (kinds[j] == b"o" or kinds[j] == b"n") \
                    and Py_UNICODE_ISLOWER((<str>s.words[j])[0]):
                m = j
                while m < n and m < j + 3 and (kinds[m] == b"o" or kinds[m] == b"n"):
                    word = <str>s.words[m]
                    if not word.isalpha():
                        break
                    if kinds[m] == b"n" and self._eventish(s.lemmas[m]):
                        return False  # "the 1998 embassy bombings"
                    m += 1
                return m == n or kinds[m] != b"v"
        if verb or self._is_event(lemma, verb):
            return False
        if not (0 <= k - j <= 3):
            return False
        for m in range(j, k):
            if not (kinds[m] == b"o" or kinds[m] == b"n" or kinds[m] == b"t" or kinds[m] == b"q"):
                return False
        return True

    cdef bint _eventish(self, object lemma):
        """role._eventish of a token of kind ``n``."""
        return lemma in self.class_of or self.event_nouns.get(lemma or "", 0.0) >= 0.5

    # -- the rows ------------------------------------------------------------------------------

    def rows(self, doc, anchor, published, body_spans, mentions):
        """(event rows, {skip reason: count}) of one document: see rows.event_rows."""
        cdef str text = doc.text, reason
        cdef object doc_id = doc.doc_id
        cdef list rows = [], lines = list(body_spans), line_starts, found
        cdef dict skipped = {}, split = {}, sentences = {}, template, row
        cdef Py_ssize_t n_lines = len(lines), n_text = len(text), x, ds
        cdef Py_ssize_t* starts = NULL
        cdef Py_ssize_t* ends = NULL
        cdef PyObject* got
        cdef _Sentence s
        cdef object lazy = None, sentence, trig, lemma, key, prefix = None, start, timex_type
        cdef PyObject* mf[N_FIELDS]
        cdef bint ordered = True, verb
        template = PyDict_Copy(self.empty_row)
        template["doc_id"] = doc_id
        template["source"] = doc.source
        template["published"] = published
        template["anchor_date"] = anchor.date
        template["anchor_source"] = anchor.source
        starts = <Py_ssize_t*>PyMem_Malloc((n_lines + 1) * sizeof(Py_ssize_t))
        ends = <Py_ssize_t*>PyMem_Malloc((n_lines + 1) * sizeof(Py_ssize_t))
        if starts == NULL or ends == NULL:
            PyMem_Free(starts)
            PyMem_Free(ends)
            raise MemoryError()
        try:
            for x in range(n_lines):
                starts[x], ends[x] = lines[x]
                if (x > 0 and ends[x - 1] > starts[x]) or starts[x] < 0 or ends[x] > n_text:
                    ordered = False
            # overlapping or unsorted lines, or lines out of the text (where the reference
            # reads past its end): the reference's own index
            if not ordered:
                lazy = self.lazy_index(text, lines)
            for mention in mentions:
                reason = None
                _mention_fields(
                    mention.__dict__ if type(mention) is self.mention_type else None, mf)
                timex_type = _got(mf, F_TIMEX_TYPE, mention)
                if timex_type == "DURATION":
                    reason = "duration"
                elif timex_type == "SET":
                    reason = "set"
                elif _got(mf, F_DATE_START, mention) is None and \
                        self.yearless(_got(mf, F_VALUE, mention)) is None:
                    reason = "not_on_calendar"
                if reason is None:
                    start = _got(mf, F_START, mention)
                    ds = start
                    if lazy is not None:
                        sentence = lazy.find(ds)
                    else:
                        sentence = None
                        x = _bisect_right(starts, 0, n_lines, ds) - 1
                        if x >= 0 and ds < ends[x]:
                            got = PyDict_GetItem(split, x)
                            if got is NULL:
                                found = self._split_line(text, starts[x], ends[x])
                                split[x] = found
                            else:
                                found = <list>got
                            sentence = self._find(found, ds)
                    if sentence is None:
                        reason = "no_sentence"
                if reason is not None:
                    skipped[reason] = skipped.get(reason, 0) + 1
                    continue
                got = PyDict_GetItem(sentences, sentence)
                if got is NULL:
                    s = self._sentence(text, sentence)
                    sentences[sentence] = s
                else:
                    s = <_Sentence>got
                if prefix is None:  # the event ids' message starts with "doc_id:"
                    prefix = f"{doc_id}:".encode()
                row = PyDict_Copy(template)
                rows.append(row)
                self._fill(row, dict_entries(row, COLUMNS, self.slots), text, prefix, s,
                           mention, mf, start, timex_type)
        finally:
            PyMem_Free(starts)
            PyMem_Free(ends)
        return rows, skipped

    cdef object _find(self, list spans, Py_ssize_t offset):
        """The sentence of ``spans`` (one line's, in order) holding ``offset``, or None."""
        cdef Py_ssize_t lo = 0, hi = len(spans), mid
        while lo < hi:
            mid = (lo + hi) // 2
            if offset < <Py_ssize_t>(<tuple>spans[mid])[0]:
                hi = mid
            else:
                lo = mid + 1
        if lo > 0 and offset < <Py_ssize_t>(<tuple>spans[lo - 1])[1]:
            return spans[lo - 1]
        return None

    cdef object _group_tense(self, _Sentence s, Py_ssize_t k):
        """transforms.events.tense.group_tense: 'past' | 'present' | 'future' | 'none' or None."""
        cdef const char* kinds = s.kinds
        cdef tuple lowers = s.lowers
        cdef Py_ssize_t x = k - 1
        cdef bint skipped = False, infinitive = False
        cdef char kind
        cdef object found = None, tense
        cdef str low
        if kinds[k] != b"v" and kinds[k] != b"x":
            return None
        while x >= 0 and x >= k - self.max_group:
            kind = kinds[x]
            if kind == b"x":
                tense = self.aux_tense.get(lowers[x])
                if tense is not None:
                    found = tense
                elif <str>lowers[x] == u"to":
                    infinitive = True
                x -= 1
            elif kind == b"o" and not skipped and x > 0 and kinds[x - 1] == b"x":
                low = <str>lowers[x]
                if (low.endswith(u"ly") or <str>lowers[x + 1] == u"to") and \
                        (<str>s.words[x]).islower():
                    skipped = True
                    x -= 1
                else:
                    break
            else:
                break
        if infinitive:
            return found if (found == u"none" or found == u"future") else None
        if found is not None:
            return found
        low = <str>lowers[k]
        found = self.aux_tense.get(low)
        if found is not None:
            return found
        form = self.reading(low).form
        if form == u"ed":
            return u"past"
        if form == u"s" and low.endswith(u"s"):
            return u"present"
        return None

    cdef str _event_id(self, bytes prefix, object start, object end, Py_ssize_t ds,
                       Py_ssize_t de):
        """transforms.records.event_id: blake2b (8 bytes) of "doc_id:start:end", hex;
        ``prefix``: "doc_id:" encoded. In C (``newsline_blake2b8_hex``) when both offsets are
        plain ints (whose decimal form is that of ``ds`` and ``de``) and the message fits
        ID_BUFFER, else through hashlib."""
        cdef char buf[ID_BUFFER]
        cdef char out[16]
        cdef Py_ssize_t n = len(prefix), m
        if type(start) is int and type(end) is int and n + 48 <= ID_BUFFER:
            memcpy(buf, <char*>prefix, n)
            m = n + newsline_put_decimal(buf + n, ds)
            buf[m] = b":"
            m += 1 + newsline_put_decimal(buf + m + 1, de)
            newsline_blake2b8_hex(<const unsigned char*>buf, m, out)
            return out[:16].decode("ascii")
        digest = self.event_hash.copy()
        digest.update(prefix + f"{start}:{end}".encode())
        return digest.hexdigest()

    cdef _fill(self, dict row, DictEntry* e, str text, object prefix, _Sentence s, mention,
               PyObject** mf, object start, object timex_type):
        """The mention's columns of ``row`` (the document's are in it already), stored in place
        through its entries ``e`` (NULL: by key; transforms/native/dictslots.pxd); ``prefix``:
        the event id's message up to its offsets ("doc_id:" encoded), ``mf`` the mention's
        fields found in its instance dict (:func:`_mention_fields`; the others are read with
        getattr); ``start`` and ``timex_type``: its fields, as :meth:`rows` read them (each
        field is read once)."""
        cdef object end = _got(mf, F_END, mention)
        cdef Py_ssize_t ds = start, de = end, i, j, k = -1
        cdef object picked, lemma = None, role_reason
        cdef object tense
        if mf[F_TENSE] is not NULL:
            tense = <object>mf[F_TENSE]
        else:
            tense = getattr(mention, "tense", "none")
        cdef str tense_role
        cdef bint verb = False
        cdef tuple parts
        mention_id = self._event_id(<bytes>prefix, start, end, ds, de)
        put(row, e, COLUMNS, C_EVENT_ID, mention_id)
        put(row, e, COLUMNS, C_DATE_TEXT, _got(mf, F_TEXT, mention))
        put(row, e, COLUMNS, C_CHAR_START, start)
        put(row, e, COLUMNS, C_CHAR_END, end)
        put(row, e, COLUMNS, C_TIMEX_TYPE, timex_type)
        put(row, e, COLUMNS, C_TIMEX_VALUE, _got(mf, F_VALUE, mention))
        put(row, e, COLUMNS, C_DATE_START, _got(mf, F_DATE_START, mention))
        put(row, e, COLUMNS, C_DATE_END, _got(mf, F_DATE_END, mention))
        granularity = _got(mf, F_GRANULARITY, mention)
        put(row, e, COLUMNS, C_GRANULARITY, granularity)
        put(row, e, COLUMNS, C_SENTENCE, s.text)
        sentence_start, sentence_end = s.span
        put(row, e, COLUMNS, C_SENTENCE_START, sentence_start)
        put(row, e, COLUMNS, C_SENTENCE_END, sentence_end)
        put(row, e, COLUMNS, C_RULE, _got(mf, F_RULE, mention))
        put(row, e, COLUMNS, C_MENTION_ID, mention_id)
        # tokens.date_tokens: bisect_right(ends, ds), bisect_left(starts, de, i)
        i = _bisect_right(s.ends, 0, s.n, ds)
        j = _bisect_left(s.starts, i, s.n, de)
        picked = self.pick(s.parsed, i, j)
        if tense not in self.tenses:
            tense = None
        tense_role = "none" if tense is None else <str>tense
        put(row, e, COLUMNS, C_TENSE, tense)
        if picked is not None:
            k = picked
            group = self._group_tense(s, k)  # transforms.events.tense.row_tense
            if group is not None:
                put(row, e, COLUMNS, C_TENSE, None if group == u"none" else group)
            # the trigger's columns: Triggers.parts_of's (start, end, text, lemma, pos, class)
            parts = self.trigger_parts(text, s.parsed, k)
            put(row, e, COLUMNS, C_TRIGGER, parts[2])
            put(row, e, COLUMNS, C_TRIGGER_START, parts[0])
            put(row, e, COLUMNS, C_TRIGGER_END, parts[1])
            put(row, e, COLUMNS, C_TRIGGER_POS, parts[4])
            put(row, e, COLUMNS, C_EVENT_CLASS, parts[5])
            lemma = parts[3]
            verb = s.kinds[k] != b"n"
            put(row, e, COLUMNS, C_ACTORS,
                self.actors(text, s.parsed, s.bounds, s.clauses, k, i, j))
        else:
            put(row, e, COLUMNS, C_ACTORS, [])
        if self._publication(text, s, ds, de):
            role_reason = "publication_line"
        elif self._link_or_list(text, s, ds, de):
            role_reason = "link_or_list"
        elif picked is None:
            role_reason = "no_predicate"
        elif self.comparison(s.parsed, i, j):
            role_reason = "comparison"
        elif self._generic(text, s, ds, de, j, k, lemma, verb, tense_role, granularity):
            role_reason = "generic"
        elif self._noun_modifier(s, i, j, k, lemma, verb):
            role_reason = "noun_modifier"
        else:
            role_reason = None
        put(row, e, COLUMNS, C_DATE_ROLE, "event" if role_reason is None else "other")
        put(row, e, COLUMNS, C_ROLE_REASON, role_reason)
        put(row, e, COLUMNS, C_TIMEX_MOD, _got(mf, F_MOD, mention))
        # The row is a tree (strings, numbers, dates, None and the actors list of flat dicts):
        # no reference cycle runs through it, so the cycle collector need not walk its 29
        # values at each collection the row survives until the writer takes it (CPython leaves
        # a dict of only such values untracked itself, but not one that holds a list). Storing
        # a container in it later tracks it again (dict's own rule); no value is changed.
        PyObject_GC_UnTrack(<void*>row)


# the keys of the documents row's removed pieces, body spans and timexes, in the reference's
# order (rows.document_row_reference); each such dict is a copy of its template (the keys,
# every value None; read only, never changed), its values stored by position when SLOTS,
# else by key
cdef tuple REMOVED_KEYS = ("start", "end", "text", "reason", "region")
cdef tuple SPAN_KEYS = ("start", "end")
cdef tuple TIMEX_KEYS = ("char_start", "char_end", "text", "timex_type", "value", "mod")
# the documents row's columns, in rows.document_row_reference's order
cdef tuple DOCUMENT_KEYS = (
    "doc_id", "source", "published", "published_source", "anchor_date", "anchor_source",
    "title", "body", "body_spans", "header", "footer", "removed", "timexes", "n_chars",
    "n_events", "encoding", "prefix_len", "body_flag", "anchor_evidence_start",
    "anchor_evidence_end", "notes",
)
cdef dict REMOVED_TEMPLATE = dict.fromkeys(REMOVED_KEYS)
cdef dict SPAN_TEMPLATE = dict.fromkeys(SPAN_KEYS)
cdef dict TIMEX_TEMPLATE = dict.fromkeys(TIMEX_KEYS)
cdef dict DOCUMENT_TEMPLATE = dict.fromkeys(DOCUMENT_KEYS)


def document_row(doc, split, anchor, published, published_source, mentions, n_events,
                 type mention_type=None, type removed_type=None):
    """transforms.events.rows.document_row_reference, compiled: the same code, kept in step
    with it by tests/test_native_eventrows.py (a column added there must be added here).
    ``mention_type`` and ``removed_type`` (DateMention, Removed: plain frozen dataclasses) have
    their fields read from the instance dict; other types (or None) through getattr."""
    cdef str text = doc.text
    cdef list removed = [], header = [], footer = [], timexes = [], body_spans = []
    cdef dict fields, d
    cdef DictEntry* e
    cdef object piece, region, m, start, reason
    cdef PyObject* rf[5]
    for r in split.removed:
        fields = r.__dict__ if type(r) is removed_type else None
        if fields is not None and dict_read(fields, REMOVED_KEYS, SLOTS, rf) and \
                rf[0] != NULL and rf[1] != NULL and rf[2] != NULL and rf[3] != NULL and \
                rf[4] != NULL:  # a Removed's fields, in its instance dict's order
            start, end, piece = <object>rf[0], <object>rf[1], <object>rf[2]
            reason, region = <object>rf[3], <object>rf[4]
        else:
            piece = _field(fields, r, "text")
            region = _field(fields, r, "region")
            start = _field(fields, r, "start")  # read in the reference's order
            end = _field(fields, r, "end")
            reason = _field(fields, r, "reason")
        d = PyDict_Copy(REMOVED_TEMPLATE)
        e = dict_entries(d, REMOVED_KEYS, SLOTS)
        put(d, e, REMOVED_KEYS, 0, start)
        put(d, e, REMOVED_KEYS, 1, end)
        put(d, e, REMOVED_KEYS, 2, piece)
        put(d, e, REMOVED_KEYS, 3, reason)
        put(d, e, REMOVED_KEYS, 4, region)
        removed.append(d)
        if region == "header":
            header.append(piece)
        elif region == "footer":
            footer.append(piece)
    cdef dict timex
    cdef PyObject* mf[N_FIELDS]
    for m in mentions:
        _mention_fields(m.__dict__ if type(m) is mention_type else None, mf)
        timex = PyDict_Copy(TIMEX_TEMPLATE)
        e = dict_entries(timex, TIMEX_KEYS, SLOTS)
        put(timex, e, TIMEX_KEYS, 0, _got(mf, F_START, m))
        put(timex, e, TIMEX_KEYS, 1, _got(mf, F_END, m))
        put(timex, e, TIMEX_KEYS, 2, _got(mf, F_TEXT, m))
        put(timex, e, TIMEX_KEYS, 3, _got(mf, F_TIMEX_TYPE, m))
        put(timex, e, TIMEX_KEYS, 4, _got(mf, F_VALUE, m))
        put(timex, e, TIMEX_KEYS, 5, _got(mf, F_MOD, m))
        timexes.append(timex)
    spans = split.body_spans
    for start, end in spans:
        d = PyDict_Copy(SPAN_TEMPLATE)
        e = dict_entries(d, SPAN_KEYS, SLOTS)
        put(d, e, SPAN_KEYS, 0, start)
        put(d, e, SPAN_KEYS, 1, end)
        body_spans.append(d)
    evidence = anchor.evidence
    # the values in the reference's order of evaluation (its dict literal's)
    cdef tuple values = (
        doc.doc_id, doc.source, published, published_source, anchor.date, anchor.source,
        split.title, "\n".join([text[a:b] for a, b in spans]), body_spans, "\n".join(header),
        "\n".join(footer), removed, timexes, len(text), n_events, doc.encoding,
        doc.prefix_len, split.body_flag, evidence[0] if evidence else None,
        evidence[1] if evidence else None, list(doc.notes),
    )
    cdef dict row = PyDict_Copy(DOCUMENT_TEMPLATE)
    e = dict_entries(row, DOCUMENT_KEYS, SLOTS)
    cdef Py_ssize_t x
    for x in range(len(DOCUMENT_KEYS)):
        put(row, e, DOCUMENT_KEYS, x, <object>PyTuple_GET_ITEM(values, x))
    return row
