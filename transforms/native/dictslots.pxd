# cython: language_level=3
"""A dict's values written in place, by position, for the compiled rows (transforms/native/
_events.pyx, _eventrows.pyx cimport this file).

The rows the compiled event stage makes are dicts of fixed keys in a fixed order (an events
row's 29 columns, an actor's four, a removed piece's five...). Each is made as a copy of a
template dict holding those keys (``PyDict_Copy``: the template's table copied whole), and its
values are then stored by position into the copy's entries, instead of one ``PyDict_SetItem``
per value (a hash-table probe and an insert, ~200 instructions each: ~14% of the stage). The
dict is the same: same keys, order, values and table; ``d[key]`` finds the stored value.

The entries are reached through CPython 3.11's dict layout (``PyDictKeysObject`` of
Include/internal/pycore_dict.h, copied below: that header is internal). Elsewhere (another
version, or a dict that is not a combined table of str keys holding exactly the template's
entries) :func:`dict_entries` returns NULL and :func:`put` stores through ``PyDict_SetItem``
by the key's name, as before. :func:`slots_work` checks the layout on live dicts when a
module builds its row makers; a failure turns the in-place path off for that module.

Switch: ``NEWSLINE_DICT_SLOTS=0`` in the environment when a module is imported turns its
in-place paths off too (:func:`slots_work` returns False), so that the fallback by key, which
CPython 3.11 never takes by itself, is run and compared with them
(tests/test_native_dictslots.py).
"""

from cpython.dict cimport PyDict_GetItem, PyDict_SetItem
from cpython.ref cimport PyObject
from cpython.tuple cimport PyTuple_GET_ITEM

cdef extern from *:
    """
    /* CPython 3.11's dict keys object and str-keyed entry (Include/internal/pycore_dict.h) */
    typedef struct { PyObject *me_key; PyObject *me_value; } newsline_dict_entry;
    /* and an entry of a table of any keys (DICT_KEYS_GENERAL) */
    typedef struct { Py_hash_t me_hash; PyObject *me_key; PyObject *me_value; }
        newsline_dict_general_entry;
    #if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000 && !defined(Py_LIMITED_API)
    typedef struct {
        Py_ssize_t dk_refcnt;
        uint8_t dk_log2_size;
        uint8_t dk_log2_index_bytes;
        uint8_t dk_kind;
        uint32_t dk_version;
        Py_ssize_t dk_usable;
        Py_ssize_t dk_nentries;
        char dk_indices[];
    } newsline_dict_keys;
    /* the entries of d when it is a combined table of str keys (DICT_KEYS_UNICODE) holding
       exactly n entries, none deleted; else NULL */
    static newsline_dict_entry* newsline_dict_entries(PyObject* d, Py_ssize_t n) {
        PyDictObject* mp = (PyDictObject*)d;
        newsline_dict_keys* keys = (newsline_dict_keys*)mp->ma_keys;
        if (mp->ma_values != NULL || keys->dk_kind != 1 || keys->dk_nentries != n ||
                mp->ma_used != n)
            return NULL;
        return (newsline_dict_entry*)(keys->dk_indices + ((size_t)1 << keys->dk_log2_index_bytes));
    }
    /* out[x] = d[keys[x]] for x < n (borrowed; NULL when missing), read by position when
       d's entries 0 to n - 1 hold keys' strs (the same objects) in order: the instance dict of
       a class whose attributes were first set in that order (a split table: the values in
       ma_values, by the shared keys' positions), or a combined table (str-keyed or general)
       made in that order; 0 for any other layout (the caller then looks the keys up) */
    static int newsline_dict_read(PyObject* d, PyObject* keys, Py_ssize_t n, PyObject** out) {
        PyDictObject* mp = (PyDictObject*)d;
        newsline_dict_keys* dk = (newsline_dict_keys*)mp->ma_keys;
        newsline_dict_entry* e;
        newsline_dict_general_entry* g;
        PyObject** values;
        Py_ssize_t x;
        if (dk->dk_nentries < n)
            return 0;
        if (dk->dk_kind == 0) {
            /* a combined table of any keys (DICT_KEYS_GENERAL: each entry with its hash), as
               _PyDict_NewPresized makes for more than five keys and dict.update copies */
            if (mp->ma_values != NULL)
                return 0;
            g = (newsline_dict_general_entry*)(
                dk->dk_indices + ((size_t)1 << dk->dk_log2_index_bytes));
            for (x = 0; x < n; x++)
                if (g[x].me_key != PyTuple_GET_ITEM(keys, x))
                    return 0;
            for (x = 0; x < n; x++)
                out[x] = g[x].me_value;
            return 1;
        }
        e = (newsline_dict_entry*)(dk->dk_indices + ((size_t)1 << dk->dk_log2_index_bytes));
        for (x = 0; x < n; x++)
            if (e[x].me_key != PyTuple_GET_ITEM(keys, x))
                return 0;
        if (mp->ma_values != NULL) {
            values = (PyObject**)mp->ma_values;
            for (x = 0; x < n; x++)
                out[x] = values[x];
        } else {
            for (x = 0; x < n; x++)
                out[x] = e[x].me_value;
        }
        return 1;
    }
    #else
    static newsline_dict_entry* newsline_dict_entries(PyObject* d, Py_ssize_t n) {
        (void)d; (void)n;
        return NULL;
    }
    static int newsline_dict_read(PyObject* d, PyObject* keys, Py_ssize_t n, PyObject** out) {
        (void)d; (void)keys; (void)n; (void)out;
        return 0;
    }
    #endif
    """
    ctypedef struct DictEntry "newsline_dict_entry":
        PyObject* me_key
        PyObject* me_value
    DictEntry* _entries "newsline_dict_entries"(PyObject* d, Py_ssize_t n)
    int _read "newsline_dict_read"(PyObject* d, PyObject* keys, Py_ssize_t n, PyObject** out)
    dict _presized "_PyDict_NewPresized"(Py_ssize_t minused)
    bint _is_gc "PyObject_IS_GC"(PyObject* o)
    int _gc_is_tracked "PyObject_GC_IsTracked"(PyObject* o)
    void _gc_track "PyObject_GC_Track"(void* o)
    bint _tuple_exact "PyTuple_CheckExact"(PyObject* o)
    void _incref "Py_INCREF"(PyObject* o)
    void _xdecref "Py_XDECREF"(PyObject* o)


cdef inline DictEntry* dict_entries(dict d, tuple keys, bint enabled):
    """The entries of ``d`` (a copy of a template whose keys are ``keys``, in order) to store
    its values in place, or NULL: ``enabled`` false (:func:`slots_work` failed), or ``d`` not
    a combined str-keyed table of exactly those entries."""
    if not enabled:
        return NULL
    cdef DictEntry* e = _entries(<PyObject*>d, len(keys))
    if e != NULL and e[0].me_key != PyTuple_GET_ITEM(keys, 0):
        return NULL
    return e


cdef inline int put(dict d, DictEntry* e, tuple keys, Py_ssize_t x, object value) except -1:
    """``d[keys[x]] = value``: in place when ``e`` (its entries, :func:`dict_entries`) is not
    NULL, keeping dict's rule for the cycle collector (a dict is tracked once it holds a value
    that may be); else through PyDict_SetItem."""
    cdef PyObject* old
    cdef PyObject* v = <PyObject*>value
    if e == NULL:
        return PyDict_SetItem(d, <object>PyTuple_GET_ITEM(keys, x), value)
    old = e[x].me_value
    _incref(v)
    e[x].me_value = v
    _xdecref(old)
    if _is_gc(v) and not _gc_is_tracked(<PyObject*>d) and \
            (not _tuple_exact(v) or _gc_is_tracked(v)):
        _gc_track(<void*>d)
    return 0


cdef inline bint dict_read(dict d, tuple keys, bint enabled, PyObject** out) noexcept:
    """out[x] = ``d[keys[x]]`` (a borrowed reference, NULL when missing) for each x, read by
    position when ``d``'s first entries are ``keys`` in order (an instance dict whose
    attributes were first set in that order, split or combined); False, out untouched, for
    any other layout or when not ``enabled`` (:func:`slots_work` failed)."""
    if not enabled:
        return False
    return _read(<PyObject*>d, <PyObject*>keys, len(keys), out) != 0


cdef inline bint slots_work():
    """False when ``NEWSLINE_DICT_SLOTS=0`` (module docstring); else whether :func:`put` in
    place gives the dict PyDict_SetItem gives, and :func:`dict_read` the values lookups give,
    checked on live dicts: a template of str keys copied, each value stored by position, then
    read back by key and by iteration; the instance dicts of a class (split tables), dicts made
    in order (str-keyed and general tables) and an instance dict updated from a general table,
    with a value deleted or not, read by position (any difference: the in-place paths stay
    off)."""
    import os

    if os.environ.get("NEWSLINE_DICT_SLOTS", "1").strip() == "0":
        return False
    cdef tuple keys = ("first", "second", "third", "fourth", "fifth")
    cdef dict template = dict.fromkeys(keys)
    cdef dict d
    cdef DictEntry* e
    cdef list values
    cdef Py_ssize_t x
    cdef PyObject* got
    for size in (1, 2, 5):
        d = template.copy() if size == 5 else dict.fromkeys(keys[:size])
        e = dict_entries(d, keys[:size], True)
        if e == NULL:
            return False
        values = [object() for x in range(size)]
        for x in range(size):
            if e[x].me_key != PyTuple_GET_ITEM(keys, x):
                return False
            put(d, e, keys[:size], x, values[x])
        for x in range(size):
            got = PyDict_GetItem(d, <object>PyTuple_GET_ITEM(keys, x))
            if got == NULL or <object>got is not values[x]:
                return False
        if list(d.keys()) != list(keys[:size]) or list(d.values()) != values:
            return False
    cdef PyObject* out[5]
    cdef dict presized
    probe_type = type("Probe", (), {})
    for made in range(8):
        obj = probe_type()
        if made < 2:  # attributes set one by one: a split table
            for x in range(5):
                setattr(obj, keys[x], values[x])
            d = obj.__dict__
        elif made < 4:  # a str-keyed combined table
            d = dict(zip(keys, values))
        else:  # a table of any keys (a dict literal of eleven keys), as it is or copied
            presized = _presized(11)
            for x in range(5):
                presized[keys[x]] = values[x]
            for x in range(6):
                presized[f"more{x}"] = x
            if made < 6:
                d = presized
            else:  # as transforms/temporal/tagger.py _new_mention makes a DateMention
                obj.__dict__.update(presized)  # its keys cloned: a general table too
                d = obj.__dict__
        if made % 2:
            del d[keys[3]]
        for x in range(5):
            out[x] = <PyObject*>obj  # overwritten by a read
        if not dict_read(d, keys, True, out):
            if made % 2:  # a deleted key may leave a layout that is looked up instead
                continue
            return False
        for x in range(5):
            got = PyDict_GetItem(d, <object>PyTuple_GET_ITEM(keys, x))
            if out[x] != got:
                return False
    return True
