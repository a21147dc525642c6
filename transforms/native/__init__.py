"""Compiled accelerators for the hot scans, each behind its pure-Python reference (issue 14).

Layout: every ``_<name>.pyx`` in this folder is a Cython module that ``setup.py`` compiles into
``transforms.native._<name>`` when the package is installed (``make .venv/.installed``,
``pip install .``, the Docker image). Compilation is optional: without a C compiler, or if a
module fails to build, the install still succeeds and :func:`load` returns ``None``, and the
caller keeps its pure-Python implementation, which is the reference. Every accelerated seam has
a differential test that runs both paths on the same inputs (``tests/test_native_*.py``) and
``make diffcheck`` gates the whole job.

Staleness: ``setup.py`` compiles the SHA-256 (first 16 hex digits) of each ``.pyx``, with the
shared declarations it cimports (``*.pxd``) after it, into its module as ``SOURCE_DIGEST`` (the
C macro ``NEWSLINE_SOURCE_DIGEST``; :func:`source_digest`). When the source sits next to the
module (an editable install) and its digest differs, the build is stale: :func:`load` warns and
returns ``None`` rather than run code that no longer matches its source. ``make`` rebuilds when
a ``.pyx`` or ``.pxd`` changes.

Switch: ``NEWSLINE_NATIVE=0`` in the environment makes :func:`load` return ``None`` (pure
Python everywhere); the differential tests and ``make diffcheck-pure`` use it.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import warnings
from pathlib import Path
from types import ModuleType

ENV_SWITCH = "NEWSLINE_NATIVE"
_HERE = Path(__file__).resolve().parent


def source_digest(path: Path) -> str:
    """Return the first 16 hex digits of the SHA-256 of a source file's bytes; for a ``.pyx``,
    its bytes followed by those of the shared declarations beside it that it cimports
    (``transforms/native/<name>.pxd``, named ``transforms.native.<name>`` in its text; by file
    name), so that a changed ``.pxd`` makes the modules built with it stale. setup.py computes
    the same digest (tests/test_native.py checks they agree)."""
    data = path.read_bytes()
    if path.suffix == ".pyx":
        data += b"".join(
            pxd.read_bytes()
            for pxd in sorted(path.parent.glob("*.pxd"))
            if f"transforms.native.{pxd.stem}".encode() in data
        )
    return hashlib.sha256(data).hexdigest()[:16]


def enabled() -> bool:
    """Return False when ``NEWSLINE_NATIVE=0`` asks for pure Python everywhere."""
    return os.environ.get(ENV_SWITCH, "1").strip() != "0"


def load(name: str) -> ModuleType | None:
    """Return the compiled module ``transforms.native._<name>``, or ``None`` to use Python.

    ``None`` when the switch is off, when the module was not built (no compiler), or when its
    build is stale against the ``.pyx`` beside it (a warning says so). Call it once, at import
    or in a DoFn's ``setup()``, not per element: the staleness check reads the source file.
    """
    if not enabled():
        return None
    try:
        module = importlib.import_module(f"transforms.native._{name}")
    except ImportError:
        return None
    source = _HERE / f"_{name}.pyx"
    if source.exists() and getattr(module, "SOURCE_DIGEST", None) != source_digest(source):
        warnings.warn(
            f"transforms.native._{name} is stale against {source.name}; using pure Python "
            "(rebuild: make .venv/.installed)",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    return module
