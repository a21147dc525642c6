"""The shared date cases (tests/data/cases/dates, issue 16) through the WHOLE job: each input is
read, split and tagged by pipeline.run, and the documents.timexes it writes must hold every
expected (expression, TIMEX3 value) and none of the forbidden values. Publication dates are
pinned by each file's ` date YYYY-MM-DD ` prefix."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

CASES = Path(__file__).parent / "data" / "cases" / "dates"
EXPECTED = json.loads((CASES / "expected.json").read_text(encoding="utf-8"))
NAMES = sorted(name for name in EXPECTED if name.endswith(".txt"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def timexes(tmp_path_factory) -> dict[str, list[dict]]:
    from pipeline.run import run

    out = tmp_path_factory.mktemp("date_cases")
    summary = run(["--input", str(CASES / "*.txt"), "--output", str(out)])
    assert summary["documents"] == len(NAMES) and summary["errors"] == 0
    rows = pq.read_table(out / "documents", partitioning=None).to_pylist()
    return {Path(r["source"]).name: r["timexes"] or [] for r in rows}


@pytest.mark.parametrize("name", NAMES)
def test_case_values(timexes, name):
    found = timexes[name]
    got = [(t["text"], t["value"]) for t in found]
    for text, value in EXPECTED[name]["expect"]:
        assert any(text in t and v == value for t, v in got), (text, value, got)
    for value in EXPECTED[name].get("forbid", []):
        assert all(v != value for _, v in got), (value, got)
