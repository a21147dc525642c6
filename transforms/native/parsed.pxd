# cython: language_level=3
"""The field positions of transforms/events/tokens.py ``Parsed``, declared once for the compiled
modules that read them (transforms/native/_events.pyx, _eventrows.pyx cimport this file).

A Parsed is a tuple, so a compiled reader takes a field by its position (PyTuple_GET_ITEM)
instead of through the named tuple's attribute (a type lookup and a descriptor call, ~130
instructions); any other object is read by attribute, as in Python. :func:`parsed_type` checks
the named tuple's field order against :func:`parsed_fields` when a reader is built. The
modules' build digests cover this file (transforms/native/__init__.py ``source_digest``).
"""

from cpython.tuple cimport PyTuple_GET_ITEM

cdef enum:
    P_STARTS = 0
    P_ENDS = 1
    P_WORDS = 2
    P_KINDS = 3
    P_LEMMAS = 4
    P_LOWERS = 5
    P_PREDICATES = 6
    P_NAME_STARTS = 7
    N_PARSED_FIELDS = 8


cdef inline tuple parsed_fields():
    """Parsed's field names, in the order of the P_* positions above."""
    return ("starts", "ends", "words", "kinds", "lemmas", "lowers", "predicates",
            "name_starts")


cdef inline type parsed_type():
    """transforms.events.tokens.Parsed, checked to have :func:`parsed_fields` in that order."""
    from transforms.events.tokens import Parsed

    if tuple(Parsed._fields) != parsed_fields():
        raise ValueError("transforms/native/parsed.pxd is out of step with tokens.Parsed")
    return Parsed


cdef inline object parsed_field(object p, type parsed, Py_ssize_t x):
    """Field ``x`` (a P_* position) of ``p``: read from the tuple when ``p`` is a ``parsed``,
    else ``getattr(p, parsed_fields()[x])``."""
    if type(p) is parsed:
        return <object>PyTuple_GET_ITEM(p, x)
    return getattr(p, parsed_fields()[x])
