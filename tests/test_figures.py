"""Every measured figure in the docs comes from bench/results.json or eval/results.json."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from eval import figures, record
from eval.timeml import TABLE_HEADER

REPO = Path(__file__).resolve().parent.parent


def copy_docs(tmp_path: Path) -> Path:
    """docs/ and README.md copied under tmp_path; the copied docs folder."""
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    shutil.copy(REPO / "README.md", tmp_path / "README.md")
    return tmp_path / "docs"


def test_docs_figures_equal_their_sources(capsys):
    code = figures.run(check=True)
    assert code == 0, capsys.readouterr().err


def test_a_figure_edited_in_a_doc_fails_the_check(tmp_path):
    root = copy_docs(tmp_path)
    doc = root / "figures.md"
    text = doc.read_text()
    pattern = r"(<!-- figures:accuracy -->.*?value F1 )0\.\d+"
    edited = re.sub(pattern, r"\g<1>0.999", text, count=1, flags=re.S)
    assert edited != text
    doc.write_text(edited)
    assert figures.run(check=True, root=root) == 1
    assert figures.run(check=False, root=root) == 0
    assert doc.read_text() == text


def test_a_new_bench_figure_reaches_the_speed_section_and_the_cost(tmp_path):
    root = copy_docs(tmp_path)
    bench = json.loads(figures.BENCH.read_text())
    bench["bench"]["full"]["docs_per_core"] = 1234.5
    bench["bench"]["full"]["docs_per_cpu_s"] = 1357.9
    changed = tmp_path / "bench.json"
    changed.write_text(json.dumps(bench))
    assert figures.run(check=True, bench_path=changed, root=root) == 1
    figures.run(check=False, bench_path=changed, root=root)
    assert "| documents/s per core | 1,234.5 |" in (root / "figures.md").read_text()
    assert "**1,357.9 documents per CPU-second**" in (root / "operations.md").read_text()


def _outside_markers(text: str) -> str:
    return re.sub(r"<!-- figures:([a-z_]+) -->.*?<!-- /figures:\1 -->", "", text, flags=re.S)


# versions (and lists of them, "Flink 1.19, 1.20") are not figures
VERSION = r"(Python|Beam|Flink) [\d.]+(?:,\s+[\d.]+)*"


def test_no_generated_figure_has_a_second_copy_outside_its_section():
    """A measured figure (a number with three or more significant digits and a decimal point,
    as the generator prints them) appears in the docs only inside a generated section."""
    given = figures.sections(figures.load(figures.BENCH), figures.load(figures.EVALS))
    measured = set()
    for body in given.values():
        body = re.sub(VERSION, "", body)
        measured |= {
            n
            for n in re.findall(r"\d[\d,]*\.\d+", body)
            if len(re.sub(r"\D", "", n).lstrip("0")) >= 3  # leading zeros are not significant
        }
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        outside = re.sub(VERSION, "", _outside_markers(path.read_text()))
        for n in measured:
            found = re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d])", outside)
            assert not found, f"{path.name} quotes {n} outside a figures section"


def test_markers_must_pair_and_have_a_source():
    with pytest.raises(ValueError, match="pair"):
        figures.apply("<!-- figures:speed -->\n", {"speed": "x"})
    with pytest.raises(ValueError, match="no source"):
        figures.apply("<!-- figures:nope -->\n<!-- /figures:nope -->", {})
    text, names = figures.apply(
        "a\n<!-- figures:speed -->\nold\n<!-- /figures:speed -->\nb", {"speed": "new"}
    )
    assert text == "a\n<!-- figures:speed -->\nnew\n<!-- /figures:speed -->\nb" and names == [
        "speed"
    ]


ROW = "| {} | {} | 1855 | 0.870 | 0.886 | {} | 0.936 | 0.953 | 0.944 | 0.815 | 0.829 | {} |"
DATES_REPORT = "\n".join(
    [
        "Mode: pipeline output; corpus /data/timebank; 256 documents.",
        "",
        TABLE_HEADER,
        ROW.format("total all", 1822, "0.878", "0.822"),
        ROW.format("total DATE", 1505, "0.890", "0.833"),
        "",
        TABLE_HEADER,
        ROW.format("wrapped all", 1822, "0.878", "0.820"),
        ROW.format("wrapped DATE", 1505, "0.890", "0.831"),
    ]
)


def test_record_reads_the_headline_figures_of_a_printed_report(tmp_path):
    got = record.dates_figures(DATES_REPORT)
    assert got["value_f1_all"] == 0.822 and got["value_f1_date"] == 0.833
    assert got["wrapped_value_f1_date"] == 0.831 and got["gold_date"] == 1505
    assert got["documents"] == 256 and got["strict_f1_date"] == 0.89
    with pytest.raises(record.MissingFigure, match="wrapped DATE"):
        record.dates_figures(DATES_REPORT.replace("| wrapped DATE", "| other"))
    with pytest.raises(record.MissingFigure, match="pipeline mode"):
        record.dates_figures(DATES_REPORT.replace("pipeline output", "direct"))
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"hand": {"x": 1}}))
    entry = record.record("dates", got, path=results)
    saved = json.loads(results.read_text())
    assert saved["hand"] == {"x": 1} and saved["dates"] == entry
    assert entry["command"] == "make eval-dates" and entry["measured_at"].endswith("Z")
