"""Build the optional compiled accelerators in transforms/native/ (see its __init__ docstring).

Everything else about the package is in pyproject.toml. Each ``transforms/native/_<name>.pyx``
becomes the extension ``transforms.native._<name>``; a failed or impossible build (no C
compiler) leaves the install working on the pure-Python reference paths.
"""

import hashlib
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

    def build_extension(self, ext):
        """Build one extension; its failure is reported and the others still build."""
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001 - one module failing leaves the others
            print(f"newsline: {ext.name} not built ({exc}); using pure Python")


def _extensions():
    try:
        from Cython.Build import cythonize
    except ImportError:
        return []
    exts = []
    for pyx in sorted(NATIVE.glob("_*.pyx")):
        digest = hashlib.sha256(pyx.read_bytes()).hexdigest()[:16]
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
    return built


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
