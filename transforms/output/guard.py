"""Refuse, don't destroy: the checks a run makes before it writes anything, and its exit codes.

Every refusal is a `Refused` (a SystemExit): one line on stderr, starting with `newsline:`,
and an exit code from `EXIT_CODES` (docs/runs.md, "Exit codes"). A refused run has changed nothing.
"""

from __future__ import annotations

import fnmatch
import os

from apache_beam.io.filesystems import FileSystems

from transforms.ingest.listing import GLOB_CHARS, pattern_root

OK = 0
FAILED = 1
USAGE = 2
NO_INPUT = 3
OUTPUT_REFUSED = 4
INCREMENTAL_REFUSED = 5
BUSY = 75  # EX_TEMPFAIL (sysexits.h): try again later
INTERRUPTED = 130  # 128 + SIGINT, what shells report for a job stopped with Ctrl-C

EXIT_CODES = {
    OK: "published; or --incremental found nothing new (output untouched)",
    FAILED: "the run failed (a stage, the disk, the reconciliation); the output is unchanged",
    USAGE: "bad command line: unknown option, --input missing or empty",
    NO_INPUT: "no --input pattern matched a file, or no input became a document, and the "
    "output holds tables (--allow_empty)",
    OUTPUT_REFUSED: "--output is not empty and not newsline's, or overlaps an --input",
    INCREMENTAL_REFUSED: "--incremental over an incomplete output or another table schema",
    BUSY: "another run holds the output's lock, or committed while this one ran",
    INTERRUPTED: "interrupted (Ctrl-C, SIGINT) before it published; the output is unchanged",
}


class Refused(SystemExit):
    """A run that stops before changing anything (or, BUSY at commit, without publishing)."""

    def __init__(self, code: int, message: str):
        super().__init__(code)
        self.message = "newsline: " + " ".join(message.split())  # exactly one line

    def __str__(self) -> str:
        return self.message


def interrupted(exc: BaseException) -> bool:
    """Is `exc` a KeyboardInterrupt (SIGINT), raised as it is or wrapped by the runner (Beam's
    local runner re-raises it from the step it hit as ``RuntimeError: KeyboardInterrupt ...``)?"""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, KeyboardInterrupt) or str(exc).startswith("KeyboardInterrupt"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


# --- inputs ---


def check_inputs(inputs: list[str] | None) -> list[str]:
    """The --input values, or Refused(USAGE): --input is required and never empty (an empty
    pattern would name the current folder, .git and .venv included)."""
    if not inputs:
        raise Refused(USAGE, "--input is required (a file, folder or glob; repeat for several)")
    for pattern in inputs:
        if not pattern.strip():
            raise Refused(USAGE, f"--input {pattern!r} is empty: give a file, folder or glob")
    return list(inputs)


def matches_a_file(pattern: str) -> bool:
    """Does the pattern name at least one file? An existing local path is taken literally
    (glob characters and all), as transforms/readers.py reads it."""
    if "://" not in pattern and os.path.exists(pattern):
        if not os.path.isdir(pattern):
            return True
        return any(files for _, _, files in os.walk(pattern))
    try:
        found = FileSystems.match([pattern], limits=[1])[0].metadata_list
        if not found and "://" in pattern and not any(c in pattern for c in GLOB_CHARS):
            found = FileSystems.match([pattern.rstrip("/") + "/**"], limits=[1])[0].metadata_list
    except Exception:  # noqa: BLE001 - an unreadable pattern matches nothing
        return False
    if found and "://" not in pattern and os.path.isdir(found[0].path):
        return any(matches_a_file(m.path) for m in FileSystems.match([pattern])[0].metadata_list)
    return bool(found)


def _real(path: str) -> str:
    return os.path.realpath(path) if "://" not in path else path.rstrip("/")


def _inside(child: str, parent: str) -> bool:
    return child == parent or child.startswith(parent.rstrip("/") + "/")


def reads_under(pattern: str, folder: str) -> bool:
    """Could the pattern read files under `folder` (a folder under or at the pattern's root)?
    A folder is read whole; a glob reads a folder it matches whole (readers.match_input)."""
    root, glob = pattern_root(pattern)
    root = _real(root)
    if not _inside(folder, root):
        return False
    if not glob or "**" in glob or folder == root:
        return True
    first = os.path.relpath(folder, root).split("/")[0]
    return fnmatch.fnmatchcase(first, glob.split("/")[0])


def check_overlap(inputs: list[str], output: str) -> None:
    """Refused(OUTPUT_REFUSED) when an input can read the output folder (the run would read its
    own Parquet files back) or an input is inside the output (a rerun would replace the
    articles it reads)."""
    out = _real(output)
    for pattern in inputs:
        root = _real(pattern_root(pattern)[0])
        if reads_under(pattern, out) or _inside(root, out):
            raise Refused(
                OUTPUT_REFUSED,
                f"--output {output!r} and --input {pattern!r} overlap: the run would read its "
                "own output or replace its input; use folders that do not contain each other",
            )
