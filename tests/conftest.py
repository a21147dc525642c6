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


# Fixtures that run the whole job: a test that uses one must be marked slow (make test-fast
# leaves those out; make test and CI run everything).
WHOLE_JOB_FIXTURES = {"seeds_run", "bad_run", "grown"}


def pytest_collection_modifyitems(config, items):
    unmarked = [
        item.nodeid
        for item in items
        if WHOLE_JOB_FIXTURES & set(getattr(item, "fixturenames", ()))
        and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError("whole-job tests not marked slow: " + ", ".join(unmarked))
