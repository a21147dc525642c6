# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Compiled accelerators of the event stage (transforms/events/), behind their Python references.

* :class:`Analyser`: ``transforms.events.tokens.analyse`` (a sentence -> its tokens with kind,
  lemma and offsets), reading the same chunk memo (``lex.kind_memo``) and calling the Python
  ``_learn`` for an unknown chunk, so both paths share one memo and give the same tokens;
* :class:`Picker`: ``trigger.choose(trigger.features(...))`` fused: the token index of a dated
  mention's trigger, the candidates' features and costs in C arrays instead of tuples.

Each is built once (transforms/events/tokens.py ``native_analyser``, trigger.py
``native_picker``) and checked against the Python path by tests/test_native_events.py.
"""

from cpython.ref cimport PyObject, Py_DECREF, Py_INCREF, Py_REFCNT, Py_XDECREF
from cpython.dict cimport PyDict_GetItem
from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.set cimport PySet_Contains
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_New, PyTuple_SET_ITEM
from libc.string cimport memcmp, memset

from transforms.native.dictslots cimport DictEntry, dict_entries, put, slots_work
from transforms.native.parsed cimport (
    P_ENDS, P_KINDS, P_LEMMAS, P_LOWERS, P_NAME_STARTS, P_PREDICATES, P_STARTS, P_WORDS,
    parsed_field as _pf, parsed_fields, parsed_type as _parsed_type,
)

cdef extern from *:
    const char* NEWSLINE_SOURCE_DIGEST

SOURCE_DIGEST = NEWSLINE_SOURCE_DIGEST.decode()

cdef extern from *:
    ctypedef unsigned char Py_UCS1

cdef extern from *:
    """
    /* weight * feature rounded to a double before it is added (no fused multiply-add), as
       Python's float multiplication and sum() do */
    static double newsline_mul(double a, double b) { volatile double p = a * b; return p; }
    /* a new instance of a tuple subclass with n (unset) items, as tuple.__new__ makes one */
    static PyObject* newsline_tuple_of_type(PyTypeObject* type, Py_ssize_t n) {
        return type->tp_alloc(type, n);
    }
    """
    double newsline_mul(double a, double b)
    tuple newsline_tuple_of_type(type t, Py_ssize_t n)
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)
    bint Py_UNICODE_ISLOWER(Py_UCS4 ch)
    int PyUnicode_KIND(object s)
    void* PyUnicode_DATA(object s)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index)
    Py_UCS4 PyUnicode_READ_CHAR(object s, Py_ssize_t index)
    bint PyUnicode_IS_ASCII(object s)
    int PyUnicode_1BYTE_KIND
    str PyUnicode_DecodeASCII(const char* s, Py_ssize_t size, const char* errors)

cdef extern from *:
    """
    /* a new str of n ASCII characters, left to be filled in place (PyUnicode_New; its bytes
       are written before the str is seen by anyone: no hash is cached yet) */
    static PyObject* newsline_ascii_str(Py_ssize_t n) { return PyUnicode_New(n, 127); }
    """
    str _ascii_str "newsline_ascii_str"(Py_ssize_t n)
    # borrowed-pointer forms of the tuple, list and str macros (no reference taken)
    PyObject* _tuple_item "PyTuple_GET_ITEM"(PyObject* t, Py_ssize_t i)
    Py_ssize_t _tuple_size "PyTuple_GET_SIZE"(PyObject* t)
    void _tuple_set "PyTuple_SET_ITEM"(PyObject* t, Py_ssize_t i, PyObject* v)
    PyObject* _list_item "PyList_GET_ITEM"(PyObject* l, Py_ssize_t i)
    Py_ssize_t _str_length "PyUnicode_GET_LENGTH"(PyObject* s)
    Py_UCS4 _str_char "PyUnicode_READ_CHAR"(PyObject* s, Py_ssize_t i)
    int _is_true "PyObject_IsTrue"(PyObject* o) except -1
    PyObject* _true "Py_True"
    PyObject* _false "Py_False"


cdef inline void _put(tuple t, Py_ssize_t x, object value) noexcept:
    """t[x] = value in a new tuple (a new reference is taken: SET_ITEM steals one)."""
    Py_INCREF(value)
    PyTuple_SET_ITEM(t, x, value)


# Token offsets below this are shared int objects (Analyser.ints) rather than a new int per
# token start and end: 32,768 covers the whole of most pages (the bench pages are ~4.3 KB) for
# ~1 MiB per worker; a larger offset is made as before. Ints are immutable: the tuples hold equal
# values either way.
cdef Py_ssize_t SHARED_INTS = 32768


# Slots of the analyser's chunk cache (a power of two): a direct-mapped mirror of the chunk memo
# (lex.kind_memo) keyed by (state table, chunk) that a chunk finds by a hash of its characters,
# made while the chunk is scanned, with no str made and no dict probed (the memo's lookups,
# a str and its hash per chunk, were ~10% of the stage). 32,768 slots of 40 bytes: 1.25 MiB per
# worker, plus the entries they hold (at most one per slot).
cdef enum:
    CHUNK_CACHE = 32768


cdef struct _Slot:
    PyObject* chunk  # the chunk's str (a reference held)
    PyObject* table  # the state's chunk table (a reference held)
    PyObject* entry  # the memo's entry for (table, chunk) (a reference held)
    size_t hash
    Py_ssize_t epoch  # lex.kind_memo_resets when it was stored


cdef inline bint _same_chunk(str chunk, int kind, void* data, Py_ssize_t a, Py_ssize_t b):
    """chunk == text[a:b], text given by its kind and data."""
    cdef Py_ssize_t n = b - a, q
    if len(chunk) != n:
        return False
    cdef int ck = PyUnicode_KIND(chunk)
    cdef void* cd = PyUnicode_DATA(chunk)
    if ck == kind:  # same width: equal code points are equal bytes
        return memcmp(cd, <char*>data + a * kind, n * kind) == 0
    for q in range(n):
        if PyUnicode_READ(ck, cd, q) != PyUnicode_READ(kind, data, a + q):
            return False
    return True


cdef inline Py_ssize_t _chunk1(const Py_UCS1* data, Py_ssize_t pos, Py_ssize_t end,
                               Py_ssize_t* first, size_t* h) noexcept:
    """The next chunk of a one-byte-per-character text from ``pos``: its first index to
    ``first`` (``end`` when only white space is left), its FNV-1a hash folded into ``h`` (the
    same values as Analyser.analyse's general loop); returns the index after it."""
    cdef Py_UCS1 ch
    cdef size_t x = h[0]
    while pos < end and Py_UNICODE_ISSPACE(data[pos]):
        pos += 1
    first[0] = pos
    while pos < end:
        ch = data[pos]
        if Py_UNICODE_ISSPACE(ch):
            break
        x = (x ^ <size_t>ch) * <size_t>0x100000001B3ULL
        pos += 1
    h[0] = x
    return pos


# tuple.__new__: a named tuple (Parsed, Trigger) made in C, not through its Python __new__
cdef object _tuple_new = tuple.__new__

# Parsed's fields by position (transforms/native/parsed.pxd, their one declaration)
PARSED_FIELDS = parsed_fields()


def parsed_type():
    """transforms.events.tokens.Parsed, checked to have PARSED_FIELDS in that order."""
    return _parsed_type()


# feature slots (transforms/events/trigger.py FEATURES order)
cdef enum:
    N_FEATURES = 28
    MAX_CANDS = 256
    DIST = 0
    BOUND = 1
    CONJ = 2
    VBETWEEN = 3
    RIGHT = 4
    NOUN = 5
    WEAK = 6
    REPORT = 7
    LIGHT = 8
    POSS = 9
    NPDET = 10
    PREMOD = 11
    NPREP = 12
    NBARE = 13
    ADJ = 14
    FRONT = 15
    LEAD = 16
    WHEN = 17
    INF = 18
    ING = 19
    SUBJECT = 20
    MARGINAL = 21
    COPULA = 22
    RCONJ = 23
    RBOUND = 24
    LOPENER = 25
    COMP = 26
    ROPENER = 27
# (MAX_CANDS: at most 2 * WINDOW candidates, WINDOW on each side of the date)


cdef int _subject_nouns(char* kinds, Py_ssize_t n, tuple words, tuple lemmas) except -1:
    """transforms/events/tokens.py ``_subject_nouns`` in place, on a Parsed being made (its
    kinds as bytes, its new lemmas tuple, held by nobody else yet): an -s form right before a
    past verb (ending in "ed", or of another lemma) is a noun, kind ``o`` and no lemma, left to
    right as the reference's search for "vv" goes (a pair's first token is changed only when
    its own pair is read)."""
    cdef Py_ssize_t k, size
    cdef str word
    cdef object old
    for k in range(n - 1):
        if kinds[k] != b"v" or kinds[k + 1] != b"v":
            continue
        word = <str>words[k]
        size = len(word)
        if size == 0 or PyUnicode_READ_CHAR(word, size - 1) != u"s":
            continue
        if (<str>words[k + 1]).endswith(u"ed") or lemmas[k + 1] != lemmas[k]:
            kinds[k] = b"o"
            old = <object>PyTuple_GET_ITEM(lemmas, k)
            _put(lemmas, k, None)
            Py_DECREF(old)
    return 0


cdef class Analyser:
    """``analyse(text, start, end)`` -> ``Parsed``, as transforms/events/tokens.py ``analyse``.

    Built with the lexicon, its first state's chunk table, and the Python function for the
    rare path: ``learn(lex, table, chunk, state)`` reads an unknown chunk (and remembers it).
    "-s form + past verb" pairs are re-read here (:func:`_subject_nouns`)."""

    cdef object lex, learn, empty, first_state
    cdef type parsed
    cdef dict first_table
    cdef tuple ints
    cdef _Slot* cache

    def __cinit__(self):
        self.cache = <_Slot*>PyMem_Malloc(CHUNK_CACHE * sizeof(_Slot))
        if self.cache == NULL:
            raise MemoryError()
        memset(self.cache, 0, CHUNK_CACHE * sizeof(_Slot))

    def __dealloc__(self):
        cdef Py_ssize_t x
        if self.cache != NULL:
            for x in range(CHUNK_CACHE):
                Py_XDECREF(self.cache[x].chunk)
                Py_XDECREF(self.cache[x].table)
                Py_XDECREF(self.cache[x].entry)
            PyMem_Free(self.cache)

    def __init__(self, lex, dict first_table, str first_state, learn, parsed):
        self.lex = lex
        self.first_table = first_table
        self.first_state = first_state
        self.learn = learn
        if parsed is not parsed_type():
            raise ValueError("Analyser makes transforms.events.tokens.Parsed")
        self.parsed = parsed
        self.empty = parsed((), (), (), "", (), (), (), ())
        self.ints = tuple(range(SHARED_INTS))

    def analyse(self, str text, Py_ssize_t start, Py_ssize_t end):
        """Tokens of ``text[start:end]`` (see tokens.analyse): a ``Parsed``.

        Two passes: the chunks' memo entries are looked up first (their token tuples kept in
        a list, their offsets in a C array), then each of the Parsed's tuples is made at its
        final size and filled, with no list per column. A chunk is looked up in the chunk cache
        (CHUNK_CACHE) first: a slot stored since the memo last started afresh
        (``lex.kind_memo_resets``) holds the memo's own entry, so the memo is read, and
        ``learn`` called, exactly as without the cache."""
        cdef Py_ssize_t length = len(text)
        if end > length:
            end = length
        if start < 0 or end < 0:  # negative offsets: the Python slice semantics
            return self.python_analyse(text, start, end)
        cdef Py_ssize_t pos = start, a, n = 0, n_chunks = 0, cap = 64
        cdef dict table = self.first_table
        cdef PyObject* found
        cdef object entry, state = self.first_state
        cdef tuple toks
        cdef object parsed
        cdef list chunks = []
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        cdef Py_ssize_t* offsets = <Py_ssize_t*>PyMem_Malloc(cap * sizeof(Py_ssize_t))
        cdef Py_ssize_t* grown
        cdef Py_ssize_t epoch = self.lex.kind_memo_resets
        cdef size_t h
        cdef Py_UCS4 ch
        cdef _Slot* slot
        if offsets == NULL:
            raise MemoryError()
        try:
            while True:
                h = (<size_t><void*>table) * 0x9E3779B97F4A7C15ULL  # FNV-1a from the table
                if kind == PyUnicode_1BYTE_KIND:  # one byte per character: read in place
                    pos = _chunk1(<const Py_UCS1*>data, pos, end, &a, &h)
                else:
                    while pos < end and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, pos)):
                        pos += 1
                    a = pos
                    while pos < end:
                        ch = PyUnicode_READ(kind, data, pos)
                        if Py_UNICODE_ISSPACE(ch):
                            break
                        h = (h ^ <size_t>ch) * <size_t>0x100000001B3ULL
                        pos += 1
                if a >= end:
                    break
                h ^= h >> 32
                slot = &self.cache[h & (CHUNK_CACHE - 1)]
                if slot.entry != NULL and slot.hash == h and slot.epoch == epoch and \
                        slot.table == <PyObject*>table and \
                        _same_chunk(<str>slot.chunk, kind, data, a, pos):
                    entry = <object>slot.entry
                else:
                    chunk = text[a:pos]
                    found = PyDict_GetItem(table, chunk)
                    if found is NULL:
                        entry = self.learn(self.lex, table, chunk, state)
                        epoch = self.lex.kind_memo_resets  # learn may have started afresh
                    else:
                        entry = <object>found
                    Py_XDECREF(slot.chunk)
                    Py_XDECREF(slot.table)
                    Py_XDECREF(slot.entry)
                    Py_INCREF(chunk)
                    Py_INCREF(table)
                    Py_INCREF(entry)
                    slot.chunk = <PyObject*>chunk
                    slot.table = <PyObject*>table
                    slot.entry = <PyObject*>entry
                    slot.hash = h
                    slot.epoch = epoch
                toks = <tuple>entry[0]
                if n_chunks == cap:
                    cap *= 2
                    grown = <Py_ssize_t*>PyMem_Realloc(offsets, cap * sizeof(Py_ssize_t))
                    if grown == NULL:
                        raise MemoryError()
                    offsets = grown
                offsets[n_chunks] = a
                n_chunks += 1
                chunks.append(toks)  # holds the tokens: the memo may start afresh meanwhile
                n += len(toks)
                state = (<tuple>toks[len(toks) - 1])[4]
                table = <dict>entry[1]
            if n == 0:
                return self.empty
            parsed = self._parsed(chunks, offsets, n)
        finally:
            PyMem_Free(offsets)
        # None: a kind of more than one ASCII character, which only the Python path reads
        return self.python_analyse(text, start, end) if parsed is None else parsed

    cdef inline void _put_int(self, tuple t, Py_ssize_t x, Py_ssize_t value) except *:
        """t[x] = the int ``value`` in a new tuple: a shared one below SHARED_INTS."""
        cdef PyObject* shared
        if 0 <= value < SHARED_INTS:
            shared = _tuple_item(<PyObject*>self.ints, value)
            Py_INCREF(<object>shared)
            _tuple_set(<PyObject*>t, x, shared)
        else:
            _put(t, x, value)

    cdef object _parsed(self, list chunks, Py_ssize_t* offsets, Py_ssize_t n):
        """The Parsed of ``n`` tokens held by the chunks' token tuples at ``offsets``; None
        when a token's kind is not one ASCII character.

        One pass over the tokens, read as borrowed pointers (the chunks' tuples hold them; no
        reference taken and dropped per field): each token's fields go to the new tuples, its
        kind straight into the new kinds str (made at its size, ASCII, filled before anyone
        sees it), the indices of the tokens that can start an actor to a C array; then the
        predicate and name index tuples."""
        cdef tuple starts_t = PyTuple_New(n), ends_t = PyTuple_New(n), words_t = PyTuple_New(n)
        cdef tuple lemmas_t = PyTuple_New(n), lowers_t = PyTuple_New(n)
        cdef str kind_str = _ascii_str(n)
        cdef char* kinds = <char*>PyUnicode_DATA(kind_str)
        cdef Py_ssize_t t = 0, c, q, m, off, n_preds = 0, n_names = 0, x
        cdef PyObject* toks
        cdef PyObject* tk
        cdef PyObject* word
        cdef PyObject* kind
        cdef PyObject* flag
        cdef Py_UCS4 ch
        cdef bint pair = False
        cdef tuple preds_t, names_t, parsed
        cdef Py_ssize_t* names = <Py_ssize_t*>PyMem_Malloc((n + 1) * sizeof(Py_ssize_t))
        if names == NULL:
            raise MemoryError()
        try:
            for c in range(len(chunks)):
                off = offsets[c]
                toks = _list_item(<PyObject*>chunks, c)
                m = _tuple_size(toks)
                for q in range(m):
                    tk = _tuple_item(toks, q)
                    word = _tuple_item(tk, 0)
                    kind = _tuple_item(tk, 1)
                    if _str_length(kind) != 1:
                        return None
                    ch = _str_char(kind, 0)
                    if ch > 127:
                        return None
                    kinds[t] = <char>ch
                    if ch == u"n" or ch == u"v" or ch == u"x":
                        n_preds += 1
                        if ch == u"v" and t > 0 and kinds[t - 1] == b"v":
                            pair = True
                    flag = _tuple_item(tk, 5)
                    if flag == _true or (flag != _false and _is_true(flag)):
                        names[n_names] = t
                        n_names += 1
                    Py_INCREF(<object>word)
                    _tuple_set(<PyObject*>words_t, t, word)
                    Py_INCREF(<object>_tuple_item(tk, 2))
                    _tuple_set(<PyObject*>lemmas_t, t, _tuple_item(tk, 2))
                    Py_INCREF(<object>_tuple_item(tk, 6))
                    _tuple_set(<PyObject*>lowers_t, t, _tuple_item(tk, 6))
                    self._put_int(starts_t, t, off)
                    off += _str_length(word)
                    self._put_int(ends_t, t, off)
                    t += 1
            if pair:  # "vv": subject nouns re-read (tokens._subject_nouns)
                _subject_nouns(kinds, n, words_t, lemmas_t)
                n_preds = 0
                for t in range(n):
                    if kinds[t] == b"n" or kinds[t] == b"v" or kinds[t] == b"x":
                        n_preds += 1
            preds_t = PyTuple_New(n_preds)
            names_t = PyTuple_New(n_names)
            for x in range(n_names):
                self._put_int(names_t, x, names[x])
            x = 0
            for t in range(n):
                if kinds[t] == b"n" or kinds[t] == b"v" or kinds[t] == b"x":
                    self._put_int(preds_t, x, t)
                    x += 1
        finally:
            PyMem_Free(names)
        # the Parsed as tuple.__new__(Parsed, fields) makes it (its type's tp_alloc, the
        # fields set in order), without the call and its argument tuple
        parsed = newsline_tuple_of_type(self.parsed, 8)
        _put(parsed, 0, starts_t)
        _put(parsed, 1, ends_t)
        _put(parsed, 2, words_t)
        _put(parsed, 3, kind_str)
        _put(parsed, 4, lemmas_t)
        _put(parsed, 5, lowers_t)
        _put(parsed, 6, preds_t)
        _put(parsed, 7, names_t)
        return parsed

    cdef python_analyse(self, str text, Py_ssize_t start, Py_ssize_t end):
        from transforms.events.tokens import analyse
        return analyse(self.lex, text, start, end)


cdef Py_ssize_t _np_head(const char* kinds, Py_ssize_t n, Py_ssize_t j, tuple lemmas,
                         dict event_nouns):
    """trigger._np_head: the first event noun (of a run of them the most event-like, the last
    of equals) or verb within three tokens from j, else -1."""
    cdef Py_ssize_t k, m
    cdef char c
    cdef double best, share
    for k in range(j, min(j + 3, n)):
        c = kinds[k]
        if c == b"n":
            if k + 1 < n and kinds[k + 1] == b"n":
                best = event_nouns.get(lemmas[k], 0.0)
                m = k + 1
                while m < n and kinds[m] == b"n":
                    share = event_nouns.get(lemmas[m], 0.0)
                    if share >= best:
                        k = m
                        best = share
                    m += 1
            return k
        if c == b"v":
            return k
        if c == b"p" or c == b"r" or c == b"s" or c == b"x" or c == b"q":
            return -1
    return -1


cdef inline bint _is(tuple lowers, Py_ssize_t k, str word):
    return <str>lowers[k] == word


cdef inline bint _ends_ing(str low):
    """low.endswith("ing"), its last three characters read in place (no method call)."""
    cdef Py_ssize_t n = len(low)
    return n >= 3 and PyUnicode_READ_CHAR(low, n - 3) == u"i" and \
        PyUnicode_READ_CHAR(low, n - 2) == u"n" and PyUnicode_READ_CHAR(low, n - 1) == u"g"


cdef Py_ssize_t _fronted_phrase_verb(const char* kinds, tuple lowers, Py_ssize_t n,
                                     Py_ssize_t i, Py_ssize_t j) except -2:
    """trigger._fronted_phrase_verb (-1 = none); IndexError where the Python one raises it."""
    cdef Py_ssize_t c = i - 1, comma, k
    cdef char ch
    while c >= 0:
        ch = kinds[c]
        if ch == b"p" or ch == b"s" or ch == b"v" or (ch == b"x" and not _is(lowers, c, u"to")):
            break
        c -= 1
    if c >= 0 and kinds[c] != b"p" and kinds[c] != b"s":
        return -1
    if c + 1 >= n:
        raise IndexError("string index out of range")
    if kinds[c + 1] != b"r" and c + 1 != i:
        return -1
    comma = -1
    for k in range(j, n):
        if kinds[k] == b"p":
            comma = k
            break
    if comma < 0:
        return -1
    for k in range(j, comma):
        if kinds[k] == b"v" or (kinds[k] == b"x" and not _is(lowers, k, u"to")):
            return -1
    for k in range(comma + 1, n):
        ch = kinds[k]
        if ch == b"v":
            return k
        if ch == b"s" or (ch == b"p" and not _is(lowers, k, u",")):
            return -1
    return -1


cdef class Picker:
    """``pick(parsed, i, j)`` -> the trigger's token index or None, as
    ``trigger.choose(trigger.features(parsed, i, j, lex), *picker)``.

    Built from the lexicon's word lists and the weights split as trigger.weight_orders does
    (head: feature slots and weights summed first, as products; tail: bool slots whose
    weights are added when true), the report rule and its exemption distance, and WINDOW."""

    cdef frozenset report, light, marginal, comps
    cdef dict event_nouns
    cdef type parsed
    cdef int n_head, n_tail
    cdef int head_idx[N_FEATURES]
    cdef double head_w[N_FEATURES]
    cdef int tail_idx[N_FEATURES]
    cdef double tail_w[N_FEATURES]
    cdef bint report_rule
    cdef double report_adjacent
    cdef Py_ssize_t window

    def __init__(self, frozenset report, frozenset light, frozenset marginal, dict event_nouns,
                 frozenset comps, head, tail, bint report_rule, double report_adjacent,
                 Py_ssize_t window):
        self.report, self.light, self.marginal = report, light, marginal
        self.parsed = parsed_type()
        self.comps = comps
        self.event_nouns = event_nouns
        if len(head) > N_FEATURES or len(tail) > N_FEATURES or 2 * window + 2 > MAX_CANDS:
            raise ValueError("too many weights or too wide a window")
        self.n_head = len(head)
        self.n_tail = len(tail)
        for x, (index, weight) in enumerate(head):
            self.head_idx[x] = index
            self.head_w[x] = weight
        for x, (index, weight) in enumerate(tail):
            self.tail_idx[x] = index
            self.tail_w[x] = weight
        self.report_rule = report_rule
        self.report_adjacent = report_adjacent
        self.window = window

    def pick(self, p, Py_ssize_t i, Py_ssize_t j):
        """Token index of the trigger of the date tokens [i, j) of ``p`` (a Parsed), or None."""
        cdef str kind_str = _pf(p, self.parsed, P_KINDS)
        cdef bytes kind_bytes = None
        cdef const char* kinds
        cdef Py_ssize_t n = len(kind_str)
        if PyUnicode_IS_ASCII(kind_str):  # one byte per kind, read in place
            kinds = <const char*>PyUnicode_DATA(kind_str)
        else:  # raises UnicodeEncodeError, as before
            kind_bytes = kind_str.encode("ascii")
            kinds = kind_bytes
        cdef tuple lowers = _pf(p, self.parsed, P_LOWERS)
        cdef tuple lemmas = _pf(p, self.parsed, P_LEMMAS)
        cdef tuple words = _pf(p, self.parsed, P_WORDS)
        cdef tuple preds = _pf(p, self.parsed, P_PREDICATES)
        cdef Py_ssize_t poss = -1, npdet = -1, premod = -1, nprep = -1, nbare = -1
        cdef Py_ssize_t c, lead, when, w, k, x, m, lo, hi, n_preds = len(preds), comp_at = -1
        cdef bint fronted, right, noun, is_x, has_other
        cdef char kind, ch
        cdef str low, word
        cdef object lemma, share
        cdef int n_punct, n_opener, n_q, n_conj, n_v, n_i, n_other
        cdef double f[N_FEATURES]
        cdef double cost, best_cost = 0.0
        cdef Py_ssize_t best = -1, best_dist = 0, best_bound = 0, n_cands = 0
        cdef bint best_report = False, best_comp = False
        # for the report rule: each candidate's token, distance and whether it is a plain
        # verb of the date's clause
        cdef Py_ssize_t cand_k[MAX_CANDS]
        cdef double cand_dist[MAX_CANDS]
        cdef bint cand_plain[MAX_CANDS]
        cdef bint cand_reported[MAX_CANDS]

        if j < n:
            low = <str>lowers[j]
            if low == u"'s" or low == u"\u2019s":
                poss = _np_head(kinds, n, j + 1, lemmas, self.event_nouns)
                if poss == 0:
                    poss = -1
            word = <str>words[j]
            if (kinds[j] == b"n" or kinds[j] == b"o" or kinds[j] == b"v") and len(word) > 0 \
                    and Py_UNICODE_ISLOWER(word[0]):
                if i > 0 and kinds[i - 1] == b"t":
                    npdet = _np_head(kinds, n, j, lemmas, self.event_nouns)
                    if npdet == 0:
                        npdet = -1
                elif i == 0 or not (kinds[i - 1] == b"r" or kinds[i - 1] == b"v"):
                    premod = _np_head(kinds, n, j, lemmas, self.event_nouns)
                    if premod == 0:
                        premod = -1
        if i > 1 and kinds[i - 1] == b"r" and kinds[i - 2] == b"n":
            nprep = i - 2
        if i > 0 and kinds[i - 1] == b"n":
            nbare = i - 1
        c = i - 1
        while c >= 0 and (kinds[c] == b"r" or kinds[c] == b"t"):
            c -= 1
        fronted = c < 0 or kinds[c] == b"p" or kinds[c] == b"s"
        lead = _fronted_phrase_verb(kinds, lowers, n, i, j)
        when = -1
        w = j + (1 if (j < n and kinds[j] == b"p") else 0)
        if w < n and <str>lowers[w] == u"when":
            for k in range(w + 1, n):
                if kinds[k] == b"v":
                    when = k
                    break

        c = i - 1
        while c > i - self.window - 1 and c >= 0:
            if kinds[c] == b"s" and PySet_Contains(self.comps, lowers[c]):
                comp_at = c
                break
            c -= 1

        # predicates in [i - window, j + window): bisect as the Python path does
        lo = 0
        hi = n_preds
        while lo < hi:
            m = (lo + hi) // 2
            if <Py_ssize_t>preds[m] < i - self.window:
                lo = m + 1
            else:
                hi = m
        for x in range(lo, n_preds):
            k = <Py_ssize_t>preds[x]
            if k >= j + self.window:
                break
            if i <= k < j:
                continue
            kind = kinds[k]
            lemma = lemmas[k]
            is_x = kind == b"x"
            if is_x:
                if lemma is None or not PySet_Contains(self.light, lemma):
                    continue
                if (k + 1 < n and (kinds[k + 1] == b"v" or kinds[k + 1] == b"x")) or \
                        (k + 2 < n and (kinds[k + 2] == b"v" or kinds[k + 2] == b"x")):
                    continue
            right = k >= j
            n_punct = n_opener = n_q = n_conj = n_v = n_i = n_other = 0
            if right:
                lo = j
                hi = k
            else:
                lo = k + 1
                hi = i
            for m in range(lo, hi):
                ch = kinds[m]
                if ch == b"p":
                    n_punct += 1
                elif ch == b"s":
                    n_opener += 1
                elif ch == b"q":
                    n_q += 1
                elif ch == b"c":
                    n_conj += 1
                elif ch == b"v":
                    n_v += 1
                elif ch == b"i":
                    n_i += 1
                if ch != b"r" and ch != b"t":
                    n_other += 1
            noun = kind == b"n"
            low = <str>lowers[k]
            f[DIST] = (hi - lo if hi > lo else 0) - n_punct - n_q
            f[BOUND] = n_punct + n_opener
            f[CONJ] = n_conj
            f[VBETWEEN] = n_v
            f[RIGHT] = right
            f[NOUN] = noun
            if noun:
                share = self.event_nouns.get(lemma, 0.0)
                f[WEAK] = 1.0 - <double>share
            else:
                f[WEAK] = 0.0
            f[REPORT] = lemma is not None and PySet_Contains(self.report, lemma)
            f[LIGHT] = is_x or (lemma is not None and PySet_Contains(self.light, lemma))
            f[POSS] = k == poss
            f[NPDET] = k == npdet
            f[PREMOD] = k == premod
            f[NPREP] = k == nprep
            f[NBARE] = k == nbare
            f[ADJ] = n_other == 0
            f[FRONT] = fronted and right
            f[LEAD] = k == lead
            f[WHEN] = k == when
            f[INF] = k > 0 and <str>lowers[k - 1] == u"to"
            f[ING] = kind == b"v" and _ends_ing(low)
            f[SUBJECT] = n_i > 0
            f[MARGINAL] = PySet_Contains(self.marginal, low) and not (k > 0 and kinds[k - 1] == b"x")
            f[COPULA] = lemma is not None and isinstance(lemma, str) and <str>lemma == u"be"
            f[RCONJ] = right and n_conj > 0
            f[RBOUND] = right and f[BOUND] > 0
            f[LOPENER] = (not right) and n_opener > 0
            f[COMP] = k < comp_at
            f[ROPENER] = right and n_opener > 0
            cost = 0.0
            for m in range(self.n_head):
                cost += newsline_mul(f[self.head_idx[m]], self.head_w[m])
            for m in range(self.n_tail):
                if f[self.tail_idx[m]] != 0.0:
                    cost += self.tail_w[m]
            if best < 0 or cost < best_cost:
                best, best_cost = k, cost
                best_report, best_dist, best_bound = f[REPORT] != 0.0, <Py_ssize_t>f[DIST], <Py_ssize_t>f[BOUND]
                best_comp = f[COMP] != 0.0
            cand_k[n_cands] = k
            cand_dist[n_cands] = f[DIST]
            cand_plain[n_cands] = not (f[REPORT] != 0.0 or f[BOUND] != 0.0 or f[LIGHT] != 0.0
                                       or f[SUBJECT] != 0.0 or noun)
            cand_reported[n_cands] = right and not (f[REPORT] != 0.0 or f[LIGHT] != 0.0 or noun
                                                    or f[ROPENER] != 0.0)
            n_cands += 1
        if best < 0:
            return None
        if self.report_rule and best_report and not (
            best_dist <= self.report_adjacent and best_bound == 0
        ):
            has_other = False
            for m in range(n_cands):
                if cand_plain[m] and (not has_other or cand_dist[m] < best_cost):
                    has_other = True
                    best_cost = cand_dist[m]
                    best = cand_k[m]
            if not has_other and best_comp:
                for m in range(n_cands):
                    if cand_reported[m] and (not has_other or cand_dist[m] < best_cost):
                        has_other = True
                        best_cost = cand_dist[m]
                        best = cand_k[m]
        return best


cdef extern from *:
    bint Py_UNICODE_ISUPPER(Py_UCS4 ch)
    dict PyDict_Copy(object d)


# an actor's keys, in actors.py's order: each actor dict is a copy of the template (read only)
# with its values stored by position when SLOTS (transforms/native/dictslots.pxd)
cdef tuple ACTOR_KEYS = ("text", "type", "start", "end")
cdef dict ACTOR_TEMPLATE = dict.fromkeys(ACTOR_KEYS)
cdef bint SLOTS = slots_work()
# whether the in-place stores are on (tests/test_native_eventrows.py expects them on CPython 3.11)
IN_PLACE = SLOTS


cdef dict _actor(object name, object kind, object start, object end):
    """{"text": name, "type": kind, "start": start, "end": end}."""
    cdef dict d = PyDict_Copy(ACTOR_TEMPLATE)
    cdef DictEntry* e = dict_entries(d, ACTOR_KEYS, SLOTS)
    put(d, e, ACTOR_KEYS, 0, name)
    put(d, e, ACTOR_KEYS, 1, kind)
    put(d, e, ACTOR_KEYS, 2, start)
    put(d, e, ACTOR_KEYS, 3, end)
    return d


cdef inline str _rstrip_dots(str word):
    """word.rstrip("."): the word itself when it does not end in "." (as str.rstrip returns
    it), without the method call."""
    cdef Py_ssize_t n = len(word)
    if n == 0 or PyUnicode_READ_CHAR(word, n - 1) != u".":
        return word
    return word.rstrip(u".")


cdef class Actors:
    """``actors(text, p, bounds, memo, k, i, j)`` -> the actor dicts of trigger token k, as
    transforms/events/actors.py ``trigger_actors(lex, text, p, bounds, memo, k, (i, j))``:
    the clause's spans (``clause_names``) chunked here and kept in ``memo`` by the clause's
    first token, the same memo the Python path keeps.

    Built with the lexicon's tables and the Python functions of the rare paths:
    ``common_word(lex, word)`` for a sentence-initial capital, ``type_of(lex, name, words,
    before)`` for a name whose type is not in ``lex.actor_type_memo`` yet. With
    ``type_memo_max`` (actors.py's ACTOR_TYPE_MEMO_MAX) such a name is typed here instead
    (:meth:`rule_type`, actors._rule_type's rules, and the memo's rule of
    transforms/text/memo.py ``remember``): no Python call per new name."""

    cdef object lex, common_word, type_of
    cdef type parsed
    cdef dict common_memo
    cdef Py_ssize_t common_max, type_memo_max
    cdef dict names, type_memo
    cdef frozenset not_names, lower_actors, org_words, joiners, place_words, person_titles
    cdef Py_ssize_t window

    def __init__(self, lex, frozenset joiners, Py_ssize_t window, common_word, type_of,
                 Py_ssize_t common_max=0, Py_ssize_t type_memo_max=-1):
        self.lex = lex
        self.parsed = parsed_type()
        self.names = lex.names
        self.type_memo = lex.actor_type_memo
        self.not_names = lex.lists["not_names"]
        self.lower_actors = lex.words("actor_nouns")
        self.org_words = lex.words("org_words")
        self.place_words = lex.words("place_words")
        self.person_titles = lex.words("person_titles")
        # -1: every new name typed by ``type_of`` (the Python function)
        self.type_memo_max = type_memo_max
        self.joiners = joiners
        self.window = window
        self.common_word = common_word
        # common_word's answers by word (it reads only the lexicon), at most common_max
        self.common_memo = {}
        self.common_max = common_max
        self.type_of = type_of

    cdef bint is_cap(self, str word):
        """actors._is_cap: a capitalised word, or a joined name part ("al-Baghdadi"); the
        characters read in place (kind and data), not as one-character strs."""
        cdef Py_ssize_t n = len(word), h
        cdef int kind = PyUnicode_KIND(word)
        cdef void* data = PyUnicode_DATA(word)
        if n == 0:
            return False
        if Py_UNICODE_ISUPPER(PyUnicode_READ(kind, data, 0)):
            return True
        for h in range(n):
            if PyUnicode_READ(kind, data, h) == u"-":
                return h + 1 < n and PySet_Contains(self.joiners, word[:h]) \
                    and Py_UNICODE_ISUPPER(PyUnicode_READ(kind, data, h + 1))
        return False

    cdef bint is_common(self, str word) except -1:
        """common_word(lex, word), remembered."""
        cdef PyObject* found = PyDict_GetItem(self.common_memo, word)
        if found is not NULL:
            return <object>found is True
        answer = bool(self.common_word(self.lex, word))
        if len(self.common_memo) < self.common_max:
            self.common_memo[word] = answer
        return answer

    def rule_type(self, str name, tuple words, str before):
        """actors._rule_type(lex, name, words, before): the actor type of a name by the rules
        of actors.py's docstring, the same answer (tests/test_native_events.py compares them)."""
        return self._rule_type(name, words, before)

    cdef object _rule_type(self, str name, tuple words, str before):
        """:meth:`rule_type` (``words``: at least one)."""
        cdef object kind = self.names.get(name)
        cdef str last, word
        cdef Py_ssize_t x, n = len(words), caps = 0
        if not kind:
            kind = self.names.get(name.replace(u".", u""))
        if kind:
            return kind
        last = (<str>words[n - 1]).lower().rstrip(u".")
        if last in self.org_words:
            return u"org"
        if last in self.place_words:
            return u"place"
        if before.rstrip(u".") in self.person_titles:
            return u"person"  # "President Bush"
        for x in range(n - 1):  # "US Secretary of State Mike Pompeo"
            if (<str>words[x]).lower().rstrip(u".") in self.person_titles:
                return u"person"
        if n == 1 and name.replace(u".", u"").isupper() and len(name) > 1:
            return u"org"
        for x in range(n):
            word = <str>words[x]
            if self.is_cap(word):
                caps += 1
        if 2 <= caps <= 4:
            return u"person"
        if n == 1:
            return self.names.get(words[0], u"other")
        return u"other"

    cdef object new_type(self, object key, str name, tuple words, object before):
        """The type of a name not in the type memo (``key``: its memo key), stored there as
        actors._type stores it (memo.remember: a full memo starts afresh)."""
        cdef object kind
        if self.type_memo_max < 0 or type(before) is not str or len(words) == 0:
            return self.type_of(self.lex, name, words, before)
        kind = self._rule_type(name, words, <str>before)
        if len(self.type_memo) >= self.type_memo_max:
            self.type_memo.clear()
        self.type_memo[key] = kind
        return kind

    cdef list clause_names(self, str text, p, Py_ssize_t lo, Py_ssize_t hi):
        """actors.clause_names(lex, text, p, lo, hi)."""
        cdef tuple words = _pf(p, self.parsed, P_WORDS)
        cdef tuple starts = _pf(p, self.parsed, P_NAME_STARTS)
        cdef tuple lowers = _pf(p, self.parsed, P_LOWERS)
        cdef tuple tok_starts = _pf(p, self.parsed, P_STARTS)
        cdef tuple tok_ends = _pf(p, self.parsed, P_ENDS)
        cdef list out = []
        cdef Py_ssize_t covered = lo, x, t, u, n_starts = len(starts), a, b
        cdef str word, w2
        cdef object start, end, name, before, kind, key
        cdef tuple span_words
        cdef PyObject* found
        x = 0
        a = n_starts
        while x < a:  # bisect_left(starts, lo)
            b = (x + a) // 2
            if <Py_ssize_t>starts[b] < lo:
                x = b + 1
            else:
                a = b
        while x < n_starts:
            t = <Py_ssize_t>starts[x]
            x += 1
            if t >= hi:
                break
            if t < covered:
                continue
            word = <str>words[t]
            if t == 0 and word not in self.names and self.is_common(word):
                continue
            if (Py_UNICODE_ISUPPER(word[0]) or u"-" in word) and self.is_cap(word) \
                    and not PySet_Contains(self.not_names, _rstrip_dots(word)):
                u = t + 1
                while u < hi:
                    w2 = <str>words[u]
                    if self.is_cap(w2):
                        u += 1
                    elif (PySet_Contains(self.joiners, w2) or w2 == u"-") and u + 1 < hi \
                            and self.is_cap(<str>words[u + 1]):
                        u += 1
                    else:
                        break
                if PySet_Contains(self.joiners, words[u - 1]):
                    u -= 1
                start, end = tok_starts[t], tok_ends[u - 1]
                name = text[<Py_ssize_t>start:<Py_ssize_t>end]
                before = lowers[t - 1] if t > 0 else u""
                if t > 1 and <str>before == u".":
                    before = lowers[t - 2]
                span_words = words[t:u]
                key = (name, span_words, before)
                found = PyDict_GetItem(self.type_memo, key)
                if found is NULL:
                    kind = self.new_type(key, name, span_words, before)
                else:
                    kind = <object>found
                out.append((t, u, _actor(name, kind, start, end)))
                covered = u
                continue
            if PySet_Contains(self.lower_actors, word):
                kind = u"org" if PySet_Contains(self.org_words, word) else u"other"
                out.append((t, t + 1, _actor(word, kind, tok_starts[t], tok_ends[t])))
        return out

    def actors(self, str text, p, list bounds, dict memo, Py_ssize_t k, Py_ssize_t i,
               Py_ssize_t j):
        """Actors of the clause of trigger token k, the date's tokens [i, j) left out."""
        cdef Py_ssize_t x = 0, a = len(bounds), b, c0, c1, lo, hi, t, u
        cdef list spans, out = []
        cdef set seen = None
        cdef tuple span
        cdef dict actor
        cdef PyObject* found
        while x < a:  # bisect_left(bounds, k)
            b = (x + a) // 2
            if <Py_ssize_t>bounds[b] < k:
                x = b + 1
            else:
                a = b
        c0 = <Py_ssize_t>bounds[x - 1] + 1 if x > 0 else 0
        c1 = <Py_ssize_t>bounds[x] if x < len(bounds) else \
            len(_pf(p, self.parsed, P_WORDS))
        found = PyDict_GetItem(memo, c0)
        if found is NULL:
            spans = self.clause_names(text, p, c0, c1)
            memo[c0] = spans
        else:
            spans = <list>found
        lo = max(c0, k - self.window)
        hi = min(c1, k + self.window + 1)
        for span in spans:
            t = <Py_ssize_t>span[0]
            u = <Py_ssize_t>span[1]
            if lo <= t and u <= hi and not (t <= k < u) and (u <= i or t >= j):
                actor = <dict>span[2]
                if out:  # a name already listed is left out (actors.trigger_actors)
                    if seen is None:
                        seen = {(<dict>out[0])["text"]}
                    name = actor["text"]
                    if name in seen:
                        continue
                    seen.add(name)
                # The span's own dict when only the span holds it (its first use: no row has
                # it yet; the memo lives for one document and is only read after this, by
                # this method, which copies a dict a row already holds), else a copy, equal
                # either way: one dict fewer made per actor of most rows.
                if Py_REFCNT(actor) == 2:  # the span's reference and this local's
                    out.append(actor)
                else:
                    out.append(dict(actor))
        return out


cdef class Triggers:
    """``trigger(text, p, k)`` -> trigger.to_trigger(text, p, k, lex) (a ``Trigger``), and
    ``comparison(p, i, j)`` -> role._comparison(lex, p, i, j): whether the date tokens [i, j)
    are a comparison baseline."""

    cdef object make
    cdef type parsed
    cdef set verbs
    cdef frozenset particles, cmp_after, cmp_before, fillers, with_figure, records
    # what follows each space of each comparison_before cue: a cue of two or three words
    # ("compared with") can equal "<word> <last>" only when ``last`` is one of these
    cdef frozenset cmp_tails
    cdef frozenset figure_words
    cdef dict class_of, by_file, wordnet_file

    def __init__(self, lex, make, frozenset figure_words):
        self.make = make
        self.parsed = parsed_type()
        self.particles = lex.words("particles")
        self.verbs = lex.verbs
        self.class_of = lex.class_of
        self.by_file = lex.by_wordnet_file
        self.wordnet_file = lex.wordnet_file
        self.cmp_after = lex.words("comparison_after")
        self.cmp_before = lex.words("comparison_before")
        self.cmp_tails = frozenset(
            cue[q + 1:] for cue in self.cmp_before for q in range(len(cue)) if cue[q] == " ")
        self.fillers = lex.words("comparison_fillers")
        self.with_figure = lex.words("comparison_with_figure")
        self.records = lex.words("record_words")
        self.figure_words = figure_words

    def trigger(self, str text, p, Py_ssize_t k):
        """The trigger at token k, with its particle when WordNet lists the phrasal verb."""
        return _tuple_new(self.make, self.parts(text, p, k))

    def parts_of(self, str text, p, Py_ssize_t k):
        """The fields of :meth:`trigger` as a plain tuple (start, end, text, lemma, pos,
        event_class): what an events row takes of its trigger (transforms/native/
        _eventrows.pyx stores them in the row's entries)."""
        return self.parts(text, p, k)

    cdef tuple parts(self, str text, p, Py_ssize_t k):
        """The fields of :meth:`trigger` as a plain tuple."""
        cdef tuple words = _pf(p, self.parsed, P_WORDS)
        cdef tuple ends = _pf(p, self.parsed, P_ENDS)
        cdef str kinds = _pf(p, self.parsed, P_KINDS)
        cdef object lemma = _pf(p, self.parsed, P_LEMMAS)[k], end = ends[k], start, found
        cdef str particle, phrasal, head, listed
        cdef Py_UCS4 kind = kinds[k]
        cdef Py_ssize_t q
        if not lemma:
            lemma = (<str>words[k]).lower()
        if (kind == u"v" or kind == u"x") and k + 1 < len(words):
            particle = (<str>words[k + 1]).lower()
            if PySet_Contains(self.particles, particle):
                phrasal = f"{lemma} {particle}"
                if PySet_Contains(self.verbs, phrasal):
                    lemma, end = phrasal, ends[k + 1]
        q = (<str>lemma).find(u" ")  # lemma.split(" ")[0], without the list
        head = <str>lemma if q < 0 else (<str>lemma)[:q]
        if lemma in self.class_of:
            listed = lemma
        elif head in self.class_of:
            listed = head
        else:
            listed = lemma
        found = self.class_of.get(listed)
        if found is None:
            found = self.by_file.get(self.wordnet_file.get(listed, u""), u"other")
        start = _pf(p, self.parsed, P_STARTS)[k]
        return (start, end, text[<Py_ssize_t>start:<Py_ssize_t>end], lemma,
                u"noun" if kind == u"n" else u"verb", found)

    def comparison(self, p, Py_ssize_t i, Py_ssize_t j):
        """role._comparison: a comparison word or a figure before the date, a record's
        baseline ("first since 2008"), a standard of comparison after it ("2003 levels")."""
        cdef tuple words = _pf(p, self.parsed, P_LOWERS)
        cdef Py_ssize_t n = len(words), k, stop
        cdef str last, word
        cdef bint figure = False
        if i == 0:
            return j < n and PySet_Contains(self.cmp_after, words[j])
        last = <str>words[i - 1]
        if PySet_Contains(self.cmp_before, last):
            return True
        # "<words> <last>" is a cue only if ``last`` follows a space of a cue (cmp_tails):
        # else neither is made nor looked up
        if i >= 2 and PySet_Contains(self.cmp_tails, last):
            if PySet_Contains(self.cmp_before, f"{words[i - 2]} {last}"):
                return True
            if i >= 3 and PySet_Contains(
                    self.cmp_before, f"{words[i - 3]} {words[i - 2]} {last}"):
                return True
        stop = i - 8 if i - 8 > -1 else -1
        k = i - 1
        while k > stop:
            word = <str>words[k]
            if PySet_Contains(self.with_figure, word):
                if not (word == u"from" or word == u"over" or word == u"against"):
                    return True
                if figure:
                    return True
                for m in range(k - 5 if k - 5 > 0 else 0, k):
                    word = <str>words[m]
                    if word[0].isdigit() or PySet_Contains(self.figure_words, word):
                        return True
                return False
            if word[0].isdigit() or PySet_Contains(self.fillers, word):
                figure = figure or word[0].isdigit()
                k -= 1
                continue
            break
        if last == u"since":
            for m in range(i - 8 if i - 8 > 0 else 0, i - 1):
                if PySet_Contains(self.records, words[m]):
                    return True
            return False
        return j < n and PySet_Contains(self.cmp_after, words[j])
