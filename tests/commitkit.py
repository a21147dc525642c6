"""Helpers for the tests of the commit protocol: run the job (in-process or as a process),
snapshot a folder to prove it intact, build a layout-1 (pre-protocol) output."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO, SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def message(self) -> str:
        """The last line on stderr: the one-line verdict of a refused or failed run."""
        lines = [line for line in self.err.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def cli(*args: str, capsys, monkeypatch) -> Result:
    """`newsline ARGS` in this process (fast: refusals happen before any pipeline starts)."""
    from pipeline.run import main

    monkeypatch.setattr(sys, "argv", ["newsline", *args])
    capsys.readouterr()
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def newsline(*args: str, env: dict | None = None, cwd: Path = REPO) -> Result:
    """`python -m pipeline ARGS` as a separate process (for kills, locks and barriers)."""
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def start(*args: str, env: dict | None = None) -> subprocess.Popen:
    """The job as a background process (a concurrent run)."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen) -> Result:
    out, err = proc.communicate(timeout=600)
    return Result(proc.returncode, out, err)


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under folder (links not followed): file -> content hash, link -> target.
    Two equal snapshots mean nothing was changed, moved or deleted."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def without_locks(snap: dict[str, str]) -> dict[str, str]:
    """A snapshot less the lock files (a run that only took the lock leaves its empty file)."""
    return {k: v for k, v in snap.items() if not k.endswith(".lock")}


def copy_seeds(folder: Path, n: int | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in SEED_FILES[:n]:
        shutil.copy(path, folder / path.name)
    return folder


def make_legacy(version: Path, target: Path, success: bool = True) -> Path:
    """A layout-1 output (tables as plain folders, _SUCCESS file) made from a version folder,
    as newsline wrote it before the commit protocol."""
    target.mkdir(parents=True)
    for entry in version.iterdir():
        if entry.name == "_SUCCESS":
            if success:  # layout 1 wrote no schema_version, previous or committed_at
                summary = json.loads(entry.read_text())
                for key in ("schema_version", "previous", "committed_at"):
                    summary.pop(key, None)
                (target / "_SUCCESS").write_text(json.dumps(summary))
        elif entry.is_dir():
            shutil.copytree(entry, target / entry.name)
    return target
