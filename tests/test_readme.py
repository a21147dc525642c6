"""README.md is a short user guide whose DuckDB results are real, and the docs it links exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import readme_queries

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", REPO / "ARCHITECTURE.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a markdown file (fenced code left out)."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    found = set()
    for line in text.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_and_anchor_exists(doc):
    text = re.sub(r"```.*?```", "", doc.read_text(encoding="utf-8"), flags=re.S)
    for target in LINK.findall(text):
        if re.match(r"[a-z]+://", target):
            continue
        name, _, anchor = target.partition("#")
        path = (doc.parent / name).resolve() if name else doc
        assert path.exists(), f"{doc.name}: {target}"
        if anchor:
            assert anchor in anchors(path), f"{doc.name}: {target}"


def test_readme_is_a_short_guide_with_the_report_picture():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 255  # about 200 lines of guide, plus real results
    assert "](docs/report.png)" in text and (REPO / "docs" / "report.png").stat().st_size > 0
    assert "make run" in text and "make test" in text
    assert len(readme_queries.pairs(text)) >= 5


def test_results_are_printed_as_plain_fixed_width_text():
    printed = readme_queries.render(["a", "bb"], [(1, None), ("x" * 80, ["p", "q"])])
    lines = printed.splitlines()
    assert lines[0] == "a" + " " * 59 + "  bb"
    assert lines[1].split() == ["1", "NULL"]
    assert lines[2].startswith("x" * 59 + "…") and lines[2].endswith("[p, q]")
    assert readme_queries.render(["a"], []) == "a\n(no rows)\n"


@pytest.mark.slow
def test_readme_query_results_are_those_of_the_seeds(seeds_run):
    """Every query of README's DuckDB section, run on the seeds' output, prints what the README
    shows (rewrite them with `python -m tests.readme_queries output` after `make run`)."""
    out, _ = seeds_run
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for sql, printed, actual in readme_queries.results(text, out):
        assert actual == printed, f"README result differs for:\n{sql}\nnow:\n{actual}"
