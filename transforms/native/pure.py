"""Pure-Python modules that also run compiled, unchanged (Cython's pure-Python mode, issue 14).

The modules listed in ``compiled_modules.txt`` (this folder) are ordinary Python: the source is
the code and the reference. When the package is installed with a C compiler, ``setup.py`` also
translates each of them, unchanged, with Cython into an extension module of the same name
(``transforms/temporal/tagger.py`` -> ``transforms/temporal/tagger.cpython-311-*.so``), which
runs the same statements without the interpreter's per-bytecode dispatch. Python imports an
extension before a ``.py`` of the same name, so without a guard an edited ``.py`` would be
shadowed by a build of its old text. `SourceOrCompiled`, installed first on ``sys.meta_path``
when ``transforms`` is imported, decides per listed module:

- the compiled module when the switch is on (``NEWSLINE_NATIVE`` is not ``0``) and the
  SHA-256 of the ``.py`` (first 16 hex digits) equals the digest ``setup.py`` recorded for it in
  ``compiled_digests.json`` when it compiled it;
- otherwise the ``.py`` itself (a stale build also warns once: ``make .venv/.installed``
  rebuilds). No build at all (no compiler, a module that did not compile, a worker installed
  from an sdist) needs nothing: the ``.py`` is the only module there is.

Same names either way: pickles, class identity and tracebacks' module names do not change.
``make diffcheck`` passes compiled and with ``NEWSLINE_NATIVE=0``; ``tests/test_native_pure.py``
compares the stages' results both ways on real text.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import json
import sys
import warnings
from pathlib import Path

# One switch and one digest for both kinds of compiled code (transforms/native/__init__.py).
from transforms.native import enabled, source_digest

_HERE = Path(__file__).resolve().parent
LIST_FILE = _HERE / "compiled_modules.txt"
DIGESTS_FILE = _HERE / "compiled_digests.json"


def listed_modules(path: Path = LIST_FILE) -> list[str]:
    """The module files of ``compiled_modules.txt``, as written (``transforms/x/y.py``): one
    per line; ``#`` starts a comment; blank lines are skipped."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return names


def module_name(relative_path: str) -> str:
    """``transforms/x/y.py`` -> ``transforms.x.y``."""
    return relative_path.removesuffix(".py").replace("/", ".")


class SourceOrCompiled(importlib.abc.MetaPathFinder):
    """A meta-path finder for the listed modules: the ``.py`` unless its compiled build is
    enabled and fresh (module docstring). For any other module it returns None (not mine).

    ``digests``: {module name: digest of the ``.py`` the build was made from}; a listed module
    missing from it has no trusted build. ``enabled``: False runs every listed module as
    Python."""

    def __init__(self, modules: list[str], digests: dict[str, str], enabled: bool):
        self.modules = frozenset(modules)
        self.digests = digests
        self.enabled = enabled
        self.warned: set[str] = set()

    def find_spec(self, fullname, path, target=None):  # noqa: D102 - importlib's protocol
        if fullname not in self.modules:
            return None
        source = _source_file(fullname, path)
        if source is None:
            return None
        fresh = self.digests.get(fullname) == source_digest(source)
        if self.enabled and fresh:
            return None  # the normal finders: the extension first, else this .py
        if not fresh and _has_extension(source) and fullname not in self.warned:
            self.warned.add(fullname)
            warnings.warn(
                f"{fullname}: its compiled build is stale against {source.name}; running the "
                "Python source (rebuild: make .venv/.installed)",
                RuntimeWarning,
                stacklevel=2,
            )
        return importlib.util.spec_from_file_location(fullname, source)


def _source_file(fullname: str, path) -> Path | None:
    leaf = fullname.rpartition(".")[2] + ".py"
    for entry in path or ():
        candidate = Path(entry) / leaf
        if candidate.is_file():
            return candidate
    return None


def _has_extension(source: Path) -> bool:
    stem = source.with_suffix("")
    return any(
        Path(f"{stem}{suffix}").exists() for suffix in importlib.machinery.EXTENSION_SUFFIXES
    )


def read_digests(path: Path = DIGESTS_FILE) -> dict[str, str]:
    """``compiled_digests.json`` as {module name: digest}; {} when there is none (no build)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def install() -> SourceOrCompiled:
    """Put the finder first on ``sys.meta_path`` (once per process) and return it. Call before
    any listed module is imported (``transforms/__init__.py`` does)."""
    for finder in sys.meta_path:
        if isinstance(finder, SourceOrCompiled):
            return finder
    finder = SourceOrCompiled(
        [module_name(m) for m in listed_modules()], read_digests(), enabled()
    )
    sys.meta_path.insert(0, finder)
    return finder
