"""The read stage's compiled count of control bytes (transforms/native/_ingest.pyx
`count_controls`) against its Python reference (transforms/ingest/encodings.py
`control_count_utf8_reference`), on every real page, on every byte value at every position of
an 8-byte word, and on random bytes."""

from __future__ import annotations

import importlib
import shutil
import sysconfig
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import realtexts
from transforms import native


def _can_compile() -> bool:
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return shutil.which("cc") is not None and include.exists()


def _compiled():
    """The compiled module whatever NEWSLINE_NATIVE says (this test compares both paths)."""
    try:
        return importlib.import_module("transforms.native._ingest")
    except ImportError:
        assert not _can_compile(), "_ingest.pyx not built: make .venv/.installed"
        return None


INGEST = _compiled()
needs_compiled = pytest.mark.skipif(INGEST is None, reason="no C compiler here: Python only")


def _controls_differ(data: bytes) -> bool:
    from transforms.ingest.encodings import control_count_utf8_reference

    return INGEST.count_controls(data) != control_count_utf8_reference(data)


@needs_compiled
def test_compiled_control_count_uses_the_readers_set_of_control_bytes():
    from transforms.ingest import encodings

    assert INGEST.C0_CONTROLS == encodings.CONTROL_BYTES
    if native.load("ingest") is not None:  # the compiled module enabled: the reader uses it
        assert encodings._COUNT_CONTROLS is not None


@needs_compiled
def test_compiled_control_count_equals_the_reference_on_every_real_page():
    pages = [page.encode("utf-8", "surrogatepass") for page in realtexts.pages()]
    assert [data for data in pages if _controls_differ(data)] == []
    # every byte value at every position of an 8-byte word, alone and among others
    for value in range(256):
        for offset in range(17):
            assert not _controls_differ(b"a" * offset + bytes([value]) + b"b" * (16 - offset))
            assert not _controls_differ(bytes([value]) * offset)
    assert not _controls_differ(b"") and not _controls_differ(bytes(range(256)) * 3)


@needs_compiled
@settings(max_examples=1500, deadline=None)
@given(
    st.binary(max_size=80)
    | st.lists(st.sampled_from(b"\x00\x08\t\n\r\x0e\x1f \x7f\x80\xff"), max_size=80).map(bytes)
)
def test_compiled_control_count_equals_the_reference_on_any_bytes(data):
    assert not _controls_differ(data)
