# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The writer's rows -> Arrow conversion, compiled: `columns` reads the rows (dicts) once, row by
row, and builds each column's Arrow buffers itself (validity bitmap, int32 offsets, values),
which transforms/output/columns.py `to_batch` wraps as arrays with ``pa.Array.from_buffers``.
The reference is `columns.to_batch_reference` (pyarrow's own conversion of the rows as one
array of structs), the fallback of a worker without this module; tests/test_native_arrowrows.py
checks that both give equal batches with buffers of the same sizes.

Why: pyarrow's converter costs about 70 ns a string and 100 ns an integer, with a virtual call
and a status per value, and its list-of-struct columns (actors, removed pieces, date mentions)
cost a sequence visit per list; on the 2,000 bench pages the conversion was about 40% of the
write stage's instructions (callgrind). The rows of a table are made by one piece of code, so
their keys are the same str objects in the same order: a row's entries are read in the dict's
order while they are (`_add_row`), and looked up by name only from the first that is not;
a hash look-up per value (about 90 instructions) was half of this module's instructions.

Only the value types the output schemas use are built here: str for string, int for int64,
datetime.date for date32 (exact types: a subclass such as datetime.datetime, bool, a numpy
value, bytes...), lists of those and lists of dicts for list<struct>. Any other value, a list
element that is not a dict, an offset past int32, a str that is not valid UTF-8 (a lone
surrogate): `columns` returns None and the caller
converts the rows with the reference (which gives pyarrow's own values or errors). The buffers
are the ones pyarrow's builders make: no validity bitmap when a column has no null, otherwise
ceil(n / 8) bytes (bit set = valid); offsets (n + 1) int32; values exactly as many bytes as
the values (null slots: no bytes for a string, zeros for an int64 or date32).
"""

cdef extern from *:
    const char* NEWSLINE_SOURCE_DIGEST
SOURCE_DIGEST = NEWSLINE_SOURCE_DIGEST.decode()

cimport cython
from cpython.buffer cimport PyBuffer_FillInfo
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.datetime cimport (
    PyDateTime_GET_DAY,
    PyDateTime_GET_MONTH,
    PyDateTime_GET_YEAR,
    import_datetime,
)
from cpython.mem cimport PyMem_Free, PyMem_Realloc
from cpython.ref cimport PyObject
from libc.stdint cimport int32_t, int64_t, uint8_t
from libc.string cimport memcpy, memset

import datetime as _dt

import_datetime()

cdef extern from "Python.h":
    PyObject* PyDict_GetItemWithError(object d, object key) except? NULL
    int PyDict_Next(object d, Py_ssize_t* pos, PyObject** key, PyObject** value)
    const char* PyUnicode_AsUTF8AndSize(object o, Py_ssize_t* size) except NULL
    long long PyLong_AsLongLongAndOverflow(object o, int* overflow) except? -1

# Column kinds (`columns`' spec): the codes columns.py builds its spec with.
STRING = 0
INT64 = 1
DATE32 = 2
LIST = 3  # a list of a leaf kind (list<string>)
LIST_STRUCT = 4  # a list of dicts (list<struct<leaf kinds>>)

cdef int K_STRING = 0, K_INT64 = 1, K_DATE32 = 2, K_LIST = 3, K_LIST_STRUCT = 4
cdef int64_t INT32_MAX = 2147483647

cdef object _DATE = _dt.date
cdef object _NONE = None


class NotFast(Exception):
    """A value the compiled conversion does not build (the caller uses the reference)."""


@cython.final
cdef class _Bytes:
    """A growable byte buffer (C heap), handed out as itself (`take`): a read-only buffer of
    its `size` bytes (the buffer protocol), which ``pa.py_buffer`` wraps without a copy."""
    cdef char* data
    cdef Py_ssize_t size
    cdef Py_ssize_t capacity
    cdef Py_ssize_t exports  # buffers handed out and not released: no growing meanwhile

    def __dealloc__(self):
        PyMem_Free(self.data)

    def __getbuffer__(self, Py_buffer* view, int flags):
        PyBuffer_FillInfo(view, self, self.data, self.size, 1, flags)
        self.exports += 1

    def __releasebuffer__(self, Py_buffer* view):
        self.exports -= 1

    def __len__(self):
        return self.size

    cdef int reserve(self, Py_ssize_t extra) except -1:
        cdef Py_ssize_t want = self.size + extra
        cdef Py_ssize_t cap
        cdef char* grown
        if want <= self.capacity:
            return 0
        if self.exports:
            raise BufferError("a _Bytes handed out cannot grow")
        cap = self.capacity * 2 if self.capacity else 256
        while cap < want:
            cap *= 2
        grown = <char*>PyMem_Realloc(self.data, cap)
        if grown == NULL:
            raise MemoryError()
        self.data = grown
        self.capacity = cap
        return 0

    cdef inline int append(self, const char* src, Py_ssize_t n) except -1:
        if self.size + n > self.capacity:
            self.reserve(n)
        memcpy(self.data + self.size, src, n)
        self.size += n
        return 0

    cdef inline int push(self, char byte) except -1:
        if self.size + 1 > self.capacity:
            self.reserve(1)
        self.data[self.size] = byte
        self.size += 1
        return 0

    cdef object take(self):
        """The bytes as they are: this object, its memory trimmed to its size (a shrink, in
        place), or b"" when empty. The copy into a bytes object it replaces took 28M of the
        conversion's 334M instructions on the 2,000 bench pages' rows (callgrind)."""
        cdef char* trimmed
        if not self.size:
            return b""
        if self.capacity > self.size:
            trimmed = <char*>PyMem_Realloc(self.data, self.size)
            if trimmed != NULL:
                self.data = trimmed
                self.capacity = self.size
        return self


cdef class _Column:
    """A column being built (`_Leaf` or `_List`): `add` one value, `take` the buffers."""
    cdef int kind
    cdef Py_ssize_t length
    cdef Py_ssize_t nulls

    cdef int add(self, object value) except -1:
        raise NotImplementedError

    cdef tuple take(self):
        raise NotImplementedError


@cython.final
cdef class _Leaf(_Column):
    """One column of a leaf kind being built: its values, offsets (strings) and nulls."""
    cdef _Bytes values
    cdef _Bytes offsets
    cdef _Bytes valid  # one byte per value (1 valid), packed into a bitmap at the end
    cdef int32_t at  # strings: the current end offset

    def __cinit__(self, int kind):
        self.kind = kind
        self.values = _Bytes()
        self.offsets = _Bytes()
        self.valid = _Bytes()
        self.at = 0
        if kind == K_STRING:
            self.offsets.append(<const char*>&self.at, 4)

    cdef int add(self, object value) except -1:
        cdef const char* text
        cdef Py_ssize_t n
        cdef int overflow = 0
        cdef int64_t number
        cdef int32_t days
        if value is _NONE:
            self.nulls += 1
            self.valid.push(0)
            if self.kind == K_STRING:
                self.offsets.append(<const char*>&self.at, 4)
            elif self.kind == K_INT64:
                number = 0
                self.values.append(<const char*>&number, 8)
            else:
                days = 0
                self.values.append(<const char*>&days, 4)
            self.length += 1
            return 0
        if self.kind == K_STRING:
            if type(value) is not str:
                raise NotFast()
            text = PyUnicode_AsUTF8AndSize(value, &n)
            if <int64_t>self.at + n > INT32_MAX:
                raise NotFast()
            self.values.append(text, n)
            self.at += <int32_t>n
            self.offsets.append(<const char*>&self.at, 4)
        elif self.kind == K_INT64:
            if type(value) is not int:
                raise NotFast()
            number = PyLong_AsLongLongAndOverflow(value, &overflow)
            if overflow:
                raise NotFast()
            self.values.append(<const char*>&number, 8)
        else:
            if type(value) is not _DATE:
                raise NotFast()
            days = _days_from_civil(
                PyDateTime_GET_YEAR(value), PyDateTime_GET_MONTH(value), PyDateTime_GET_DAY(value)
            )
            self.values.append(<const char*>&days, 4)
        self.valid.push(1)
        self.length += 1
        return 0

    cdef tuple take(self):
        """(length, null count, validity or None, offsets or None, values): bytes-like
        objects (`_Bytes.take`, `_bitmap`)."""
        return (
            self.length,
            self.nulls,
            _bitmap(self.valid, self.length) if self.nulls else None,
            self.offsets.take() if self.kind == K_STRING else None,
            self.values.take(),
        )


@cython.final
cdef class _List(_Column):
    """A list column being built: offsets, nulls, and its elements' leaf columns (one for a
    list of a leaf kind, one per field for a list of dicts)."""
    cdef _Bytes offsets
    cdef _Bytes valid
    cdef int32_t at
    cdef list children  # _Leaf per struct field (or the one leaf column)
    cdef tuple fields  # struct field names (LIST_STRUCT)
    cdef list keys  # the key objects of the fields, as the elements hold them (`_Keys`)

    def __cinit__(self, int kind, tuple child_kinds, tuple fields):
        self.kind = kind
        self.offsets = _Bytes()
        self.valid = _Bytes()
        self.at = 0
        self.offsets.append(<const char*>&self.at, 4)
        self.children = [_Leaf(k) for k in child_kinds]
        self.fields = fields
        self.keys = list(fields)

    cdef int add(self, object value) except -1:
        cdef Py_ssize_t i, j, n, nf
        cdef object element
        cdef PyObject* found
        cdef _Leaf leaf
        if value is _NONE:
            self.nulls += 1
            self.valid.push(0)
            self.offsets.append(<const char*>&self.at, 4)
            self.length += 1
            return 0
        if type(value) is not list:
            raise NotFast()
        n = len(<list>value)
        if <int64_t>self.at + n > INT32_MAX:
            raise NotFast()
        if self.kind == K_LIST:
            leaf = <_Leaf>self.children[0]
            for i in range(n):
                leaf.add((<list>value)[i])
        else:
            nf = len(self.fields)
            for i in range(n):
                element = (<list>value)[i]
                if type(element) is not dict:
                    raise NotFast()
                _add_row(<dict>element, self.fields, self.keys, self.children, nf)
        self.at += <int32_t>n
        self.offsets.append(<const char*>&self.at, 4)
        self.valid.push(1)
        self.length += 1
        return 0

    cdef tuple take(self):
        """(length, null count, validity or None, offsets, [children's `_Leaf.take`])."""
        return (
            self.length,
            self.nulls,
            _bitmap(self.valid, self.length) if self.nulls else None,
            self.offsets.take(),
            [(<_Leaf>leaf).take() for leaf in self.children],
        )


cdef int _add_row(dict row, tuple names, list keys, list builders, Py_ssize_t n) except -1:
    """Add row[names[c]] (None when missing) to builders[c] for every c < n.

    The row's entries are read in the dict's order while its keys are, one after the other,
    the objects in `keys` (the rows of one table are made by the same code, so their keys are
    the same str objects in the same order): no hashing or probing. At the first entry that is
    not, the rest of the row is looked up by name. `keys[c]` starts as names[c] and becomes the
    row's own key object the first time a row's c-th entry is a str equal to names[c], so the
    next rows take the first way. Either way the value is row[names[c]]: a dict holds one
    entry per key."""
    cdef Py_ssize_t pos = 0, c
    cdef PyObject* key
    cdef PyObject* value
    cdef PyObject* found
    cdef bint ordered = True
    for c in range(n):
        if ordered:
            if not PyDict_Next(row, &pos, &key, &value):
                ordered = False
            elif key != <PyObject*>keys[c]:
                if type(<object>key) is str and <object>key == names[c]:
                    keys[c] = <object>key
                else:
                    ordered = False
        if ordered:
            (<_Column>builders[c]).add(<object>value)
        else:
            found = PyDict_GetItemWithError(row, names[c])
            (<_Column>builders[c]).add(<object>found if found != NULL else None)
    return 0


cdef bytes _bitmap(_Bytes valid, Py_ssize_t n):
    """One byte per value (1 valid) -> an Arrow validity bitmap of ceil(n / 8) bytes."""
    cdef bytes out = PyBytes_FromStringAndSize(NULL, (n + 7) // 8)
    cdef uint8_t* bits = <uint8_t*>PyBytes_AS_STRING(out)
    cdef Py_ssize_t i
    memset(bits, 0, (n + 7) // 8)
    for i in range(n):
        if valid.data[i]:
            bits[i >> 3] |= <uint8_t>(1 << (i & 7))
    return out


cdef inline int32_t _days_from_civil(int y, int m, int d):
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil)."""
    cdef int era, yoe, doy, doe
    if m <= 2:
        y -= 1
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def columns(list rows, tuple spec):
    """Rows (dicts; a missing key is a null) -> per column of `spec`, its buffers, or None when
    a value is not one this module builds (the module docstring).

    `spec`: per column (name, kind, child kinds, field names): kind STRING, INT64 or DATE32
    with () and (); LIST with (its element kind,) and (); LIST_STRUCT with the fields' kinds
    and names. Returns per column: a leaf (length, null count, validity or None, offsets or
    None, values); a list (length, null count, validity or None, offsets, [its leaves])."""
    cdef Py_ssize_t ncols = len(spec)
    cdef Py_ssize_t r, nrows = len(rows)
    cdef list builders = []
    cdef tuple names
    cdef list keys
    cdef object row
    cdef tuple column
    for column in spec:
        if column[1] in (K_LIST, K_LIST_STRUCT):
            builders.append(_List(column[1], tuple(column[2]), tuple(column[3])))
        else:
            builders.append(_Leaf(column[1]))
    names = tuple([column[0] for column in spec])
    keys = list(names)
    try:
        for r in range(nrows):
            row = rows[r]
            if type(row) is not dict:
                return None
            _add_row(<dict>row, names, keys, builders, ncols)
    except (NotFast, UnicodeEncodeError):  # (a lone surrogate: pyarrow's error, by the reference)
        return None
    return [(<_Column>b).take() for b in builders]
