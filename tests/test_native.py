"""The compiled accelerators' loader (transforms/native): fallback, switch and staleness."""

import shutil
import sysconfig
import warnings
from pathlib import Path

import pytest

from transforms import native

SOURCES = sorted(Path(native.__file__).parent.glob("_*.pyx"))
NAMES = [p.stem[1:] for p in SOURCES]


def _can_compile() -> bool:
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return shutil.which("cc") is not None and include.exists()


def test_an_unknown_module_falls_back_to_python():
    assert native.load("no_such_accelerator") is None


@pytest.mark.parametrize("name", NAMES)
def test_every_accelerator_is_built_and_fresh_where_a_compiler_exists(name):
    # A machine with a C compiler must run the compiled path; a silent fallback there would
    # hide a broken build (the differential tests would then compare Python with itself).
    module = native.load(name)
    if _can_compile():
        assert module is not None, f"_{name}.pyx not built or stale: make .venv/.installed"
        assert module.SOURCE_DIGEST == native.source_digest(native._HERE / f"_{name}.pyx")


@pytest.mark.parametrize("name", NAMES)
def test_the_switch_forces_python(name, monkeypatch):
    monkeypatch.setenv(native.ENV_SWITCH, "0")
    assert native.load(name) is None


@pytest.mark.parametrize("name", NAMES)
def test_a_stale_build_is_refused_with_a_warning(name, monkeypatch):
    if native.load(name) is None:
        assert not _can_compile(), f"_{name}.pyx not built or stale: make .venv/.installed"
        return  # no compiler here: the Python path is the only one, nothing can be stale
    monkeypatch.setattr(native, "source_digest", lambda path: "0" * 16)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert native.load(name) is None
    assert any("stale" in str(w.message) for w in caught)


def test_setup_compiles_every_source_here():
    # setup.py discovers transforms/native/_*.pyx; a module named otherwise would never build.
    for path in Path(native.__file__).parent.iterdir():
        if path.suffix == ".pyx":
            assert path.name.startswith("_"), path


def test_a_shared_declaration_is_part_of_the_digest_of_the_modules_that_cimport_it(tmp_path):
    # transforms/native/parsed.pxd is cimported by _events.pyx and _eventrows.pyx: a changed
    # .pxd must make their builds stale, and leave the other modules' digests alone.
    user = tmp_path / "_user.pyx"
    user.write_text("from transforms.native.shared cimport X\n")
    other = tmp_path / "_other.pyx"
    other.write_text("X = 1\n")
    (tmp_path / "shared.pxd").write_text("cdef enum:\n    X = 0\n")
    before = native.source_digest(user), native.source_digest(other)
    (tmp_path / "shared.pxd").write_text("cdef enum:\n    X = 1\n")
    assert native.source_digest(user) != before[0]
    assert native.source_digest(other) == before[1]
