"""Shared fixtures: paths, and one run of the whole job on seeds/ shared by the end-to-end tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((SEEDS / "expected.json").read_text())["documents"]


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory) -> tuple[Path, dict]:
    """Run the real job on seeds/*.txt once; return (output folder, summary)."""
    from pipeline.run import run

    out = tmp_path_factory.mktemp("seeds_out")
    summary = run(["--input", str(SEEDS / "*.txt"), "--output", str(out)])
    return out, summary
