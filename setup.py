"""Build the optional compiled accelerators in transforms/native/ (see its __init__ docstring).

Everything else about the package is in pyproject.toml. Each ``transforms/native/_<name>.pyx``
becomes the extension ``transforms.native._<name>``, and each pure-Python module listed in
``transforms/native/compiled_modules.txt`` is also compiled, unchanged, into an extension of its
own name (transforms/native/pure.py), with the digests of the sources it was made from written
to ``transforms/native/compiled_digests.json``. A failed or impossible build (no C compiler)
leaves the install working on the pure-Python reference paths.
"""

import hashlib
import json
import os
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

NATIVE = Path("transforms") / "native"


class OptionalBuildExt(build_ext):
    """build_ext that reports a failed extension and carries on (the fallback is Python)."""

    def run(self):
        """Build every extension; a failure of the whole step is reported, not raised."""
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - no compiler: the pure-Python path is used
            print(f"newsline: compiled accelerators not built ({exc}); using pure Python")

    def finalize_options(self):
        """Compile in parallel, one job per core."""
        super().finalize_options()
        if not self.parallel:
            self.parallel = os.cpu_count() or 1

    def build_extension(self, ext):
        """Build one extension; its failure is reported and the others still build (a pure
        module that failed loses its digest, so that an older build of it is not trusted)."""
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001 - one module failing leaves the others
            print(f"newsline: {ext.name} not built ({exc}); using pure Python")
            _forget_digest(ext.name)


def _forget_digest(name):
    path = NATIVE / "compiled_digests.json"
    try:
        digests = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if digests.pop(name, None) is not None:
        path.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")


# Cython directives for the pure-Python modules: annotations are documentation, not C types
# (with annotation_typing an ``int`` annotation rejects an IntFlag such as re.IGNORECASE), and
# functions keep Python's introspection (binding: signatures, pickling by qualified name).
PURE_DIRECTIVES = {"annotation_typing": False, "binding": True}


def _pure_extensions(cythonize):
    """The listed pure-Python modules as extensions; their source digests go to
    compiled_digests.json (read at import by transforms/native/pure.py)."""
    listed = []
    for line in (NATIVE / "compiled_modules.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            listed.append(Path(line))
    exts = {
        ".".join(source.with_suffix("").parts): Extension(
            ".".join(source.with_suffix("").parts),
            [str(source)],
            extra_compile_args=["-O2"],
            optional=True,
        )
        for source in listed
    }
    # force: always translate anew. Cython skips a .py older than its .c (a file restored with
    # its old mtime), and the digest recorded below must be of the text the build was made from.
    options = dict(language_level=3, quiet=True, force=True, compiler_directives=PURE_DIRECTIVES)
    try:  # all at once, translated in parallel
        built = cythonize(list(exts.values()), nthreads=os.cpu_count() or 1, **options)
    except Exception:  # noqa: BLE001 - one module that does not translate: one by one below
        built = []
        for name, ext in exts.items():
            try:
                built += cythonize([ext], **options)
            except Exception as exc:  # noqa: BLE001 - that module stays Python
                print(f"newsline: {name} not translated ({exc}); it runs as Python")
    digests = {
        ext.name: hashlib.sha256(Path(*ext.name.split(".")).with_suffix(".py").read_bytes())
        .hexdigest()[:16]
        for ext in built
    }
    _remove_unlisted_builds(set(exts))
    (NATIVE / "compiled_digests.json").write_text(
        json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return built


def _remove_unlisted_builds(listed):
    """Delete the in-place builds (an editable install's ``.so`` beside its ``.py``) of modules
    no longer listed: Python would import such a build before its source, unchecked."""
    for built in Path("transforms").rglob("*.so"):
        if built.parent == NATIVE:
            continue
        name = ".".join(built.parent.parts) + "." + built.name.split(".", 1)[0]
        if name not in listed and built.with_name(built.name.split(".", 1)[0] + ".py").exists():
            built.unlink()


def _extensions():
    try:
        from Cython.Build import cythonize
    except ImportError:
        return []
    exts = []
    for pyx in sorted(NATIVE.glob("_*.pyx")):
        # the shared declarations (*.pxd) a module cimports are part of its source digest, as
        # transforms/native/__init__.py source_digest computes it (its staleness check)
        source = pyx.read_bytes()
        shared = [
            pxd.read_bytes()
            for pxd in sorted(NATIVE.glob("*.pxd"))
            if f"transforms.native.{pxd.stem}".encode() in source
        ]
        digest = hashlib.sha256(source + b"".join(shared)).hexdigest()[:16]
        exts.append(
            Extension(
                f"transforms.native.{pyx.stem}",
                [str(pyx)],
                define_macros=[("NEWSLINE_SOURCE_DIGEST", f'"{digest}"')],
                extra_compile_args=["-O2"],
                optional=True,
            )
        )
    built = []
    for ext in exts:
        try:
            built += cythonize([ext], language_level=3, quiet=True)
        except Exception as exc:  # noqa: BLE001 - a module that does not translate is skipped
            print(f"newsline: {ext.name} not translated ({exc}); using pure Python")
    return built + _pure_extensions(cythonize)


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
