"""transforms/native/dictslots.pxd's fallback: with ``NEWSLINE_DICT_SLOTS=0`` the compiled
event rows, their actors and the documents rows are made by key (``PyDict_SetItem``, lookups
by name), the path CPython 3.11 never takes by itself; the rows must be the ones the in-place
path makes (equal, same key order). The switch is read when the modules are imported, so the
fallback runs in a child interpreter, on the same inputs, pickled both ways.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_native_eventrows import _FIELD_TYPES, _extractors, _tagged
from transforms import native
from transforms.events import rows as events

pytestmark = pytest.mark.skipif(
    not native.enabled(), reason="NEWSLINE_NATIVE=0: nothing to compare"
)
# Documents of the real pages whose rows are compared (their events rows and documents row).
N_DOCS = 120
# The child: inputs [(doc, split, anchor, published, mentions)] on stdin; on stdout, pickled,
# whether each module stores in place, and per document (its events rows and skip counts,
# its documents row with the fields read by name and from the instance dicts).
_CHILD = """
import pickle, sys
from transforms import native
from transforms.events import rows as events
from transforms.events.extract import EventExtractor
from transforms.native import _eventrows, _events

inputs, field_types = pickle.load(sys.stdin.buffer)
extractor = EventExtractor()
assert extractor.native_rows is not None
module = native.load("eventrows")
out = []
for doc, split, anchor, published, mentions in inputs:
    made = events.event_rows(doc, anchor, published, split.body_spans, mentions, extractor)
    args = (doc, split, anchor, published, "prefix", mentions, len(mentions))
    out.append((made, module.document_row(*args), module.document_row(*args, *field_types)))
sys.stdout.buffer.write(pickle.dumps(((_eventrows.IN_PLACE, _events.IN_PLACE), out)))
"""


def _by_key(inputs: list) -> tuple:
    """The child's answer on ``inputs`` with the in-place paths switched off."""
    env = {**os.environ, "NEWSLINE_DICT_SLOTS": "0"}
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD], input=pickle.dumps((inputs, _FIELD_TYPES)),
        capture_output=True, env=env, cwd=root, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return pickle.loads(proc.stdout)


def _same_dicts(have, want) -> int:
    """``have`` == ``want`` with every dict in them (nested ones too) in the same key order;
    returns the number of dicts compared."""
    assert have == want
    if isinstance(want, dict):
        assert list(have) == list(want)
        return 1 + sum(_same_dicts(have[key], value) for key, value in want.items())
    if isinstance(want, list | tuple):
        return sum(_same_dicts(a, b) for a, b in zip(have, want, strict=True))
    return 0


def test_rows_made_by_key_are_the_rows_stored_in_place():
    from transforms.native import _eventrows, _events

    if sys.implementation.name == "cpython" and sys.version_info[:2] == (3, 11):
        assert _eventrows.IN_PLACE and _events.IN_PLACE
    inputs = list(_tagged()[:N_DOCS])
    in_place, by_key = _by_key(inputs)
    assert in_place == (False, False)  # the child took the fallback
    fast, slow = _extractors()
    module = native.load("eventrows")
    n_dicts = 0
    for (doc, split, anchor, published, mentions), got in zip(inputs, by_key, strict=True):
        args = (doc, split, anchor, published, "prefix", mentions, len(mentions))
        want = (
            events.event_rows(doc, anchor, published, split.body_spans, mentions, fast),
            module.document_row(*args),
            module.document_row(*args, *_FIELD_TYPES),
        )
        n_dicts += _same_dicts(got, want)
        reference = events.event_rows(doc, anchor, published, split.body_spans, mentions, slow)
        _same_dicts(got[0], reference)
    assert n_dicts > 5000
