"""`newsline report` without a browser: what the page holds, counted independently with DuckDB.

The browser test (test_report_browser.py) checks what a reader sees; these check the data and
the HTML the page is made from, and run wherever the job runs.
"""

from __future__ import annotations

import html
import json
import os
import re

import duckdb
import pytest

from pipeline import commands
from transforms.output.report import docview, entries
from transforms.output.report.entries import choose, sentence_and_highlight
from transforms.output.report.render import month_chart, write_report


def scalar(sql: str):
    return duckdb.sql(sql).fetchall()[0][0]


def count_entries(out, where: str = "true") -> int:
    """Dated timeline entries, counted with DuckDB: rows of `timeline` when the output has it,
    else distinct event_ids of `events` (only date_role = 'event' when that column exists)."""
    if (out / "timeline").is_dir():
        rows = f"read_parquet('{out}/timeline/**/*.parquet', hive_partitioning = true)"
        return scalar(f"SELECT count(*) FROM {rows} WHERE date_start IS NOT NULL AND {where}")
    rows = f"read_parquet('{out}/events/**/*.parquet', hive_partitioning = true)"
    columns = {r[0] for r in duckdb.sql(f"DESCRIBE SELECT * FROM {rows}").fetchall()}
    role = "date_role = 'event'" if "date_role" in columns else "true"
    return scalar(
        f"SELECT count(DISTINCT event_id) FROM {rows} "
        f"WHERE date_start IS NOT NULL AND {role} AND {where}"
    )


@pytest.fixture(scope="module")
def page(seeds_run) -> tuple[str, dict]:
    out, _ = seeds_run
    path = write_report(str(out))
    text = open(path, encoding="utf-8").read()
    block = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', text, re.S
    )
    return text, json.loads(block.group(1))


@pytest.mark.slow
def test_command_prints_the_path_and_refuses_a_foreign_folder(seeds_run, tmp_path, capsys):
    out, _ = seeds_run
    assert commands.main(["report", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out / "report.html")
    # reachable like the tables: OUTPUT/report.html -> _current/report.html, in the version
    assert os.readlink(out / "report.html") == "_current/report.html"
    assert os.path.realpath(out / "report.html") == os.path.realpath(
        out / "_current" / "report.html"
    )
    (tmp_path / "mine.txt").write_text("not an output")
    assert commands.main(["report", str(tmp_path)]) == 2
    assert "holds no newsline output" in capsys.readouterr().err
    assert not (tmp_path / "report.html").exists()
    assert commands.main(["report", str(out), "--doc", "ffff"]) == 2


@pytest.mark.slow
def test_every_dated_entry_is_in_the_data(seeds_run, page):
    out, _ = seeds_run
    _, data = page
    assert len(data["entries"]["id"]) == count_entries(out)
    i = data["entries"]["s"].index("2019-10-27")
    sentence, (a, b) = data["entries"]["sn"][i], data["entries"]["hl"][i]
    assert "took out ISIS founder" in sentence and sentence[a:b] == "October 27, 2019"
    assert data["sources"][data["entries"]["src"][i]].endswith("000_ec7d9c84d5a6a506.txt")


@pytest.mark.slow
def test_month_counts_add_up(seeds_run, page):
    out, _ = seeds_run
    text, _ = page
    events = f"read_parquet('{out}/events/**/*.parquet', hive_partitioning = true)"
    oct_2020 = scalar(
        f"SELECT count(*) FROM {events} WHERE date_start >= DATE '2020-10-01' "
        "AND date_end <= DATE '2020-10-31'"
    )
    assert f"<title>2020-10: {oct_2020}</title>" in text


@pytest.mark.slow
def test_page_is_self_contained_and_escaped(page):
    text, _ = page
    assert len(text) < 200_000
    # our two script elements only (the data block and the code), nothing loaded from outside
    assert len(re.findall(r"<script", text)) == 2
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    assert "default-src 'none'" in text
    # document text is escaped: the seeds' quotes and ampersands appear as entities or text
    assert "ISIS&#39;s lasting defeat" in text or "ISIS's lasting defeat" in html.unescape(text)


def test_sample_keeps_the_smallest_ids_and_every_year():
    ids = [f"{i:04x}" for i in range(1000)]
    years = [2000 + (i % 10) if i < 990 else 1990 for i in range(1000)]
    kept = choose(ids, years, 100)
    assert len(choose(ids, years, 2000)) == 1000
    assert set(range(100)) <= set(kept)
    assert sum(1 for i in kept if years[i] == 1990) == 10  # a rare year is topped up
    assert all(sum(1 for i in kept if years[i] == y) >= 10 for y in set(years))
    assert kept == choose(ids, years, 100)


def test_long_sentence_keeps_its_date_in_view():
    row = {
        "sentence": "x" * 500 + " on March 3, 2021 " + "y" * 100,
        "sentence_start": 10,
        "char_start": 514,
        "char_end": 527,
    }
    sentence, (a, b) = sentence_and_highlight(row)
    assert len(sentence) <= entries.MAX_SENTENCE + 4
    assert sentence[a:b] == "March 3, 2021"


def test_document_rebuilt_in_page_order():
    row = {
        "doc_id": "d",
        "published": None,
        "prefix_len": 0,
        "body": "On March 3, 2021 it rained.\nSecond <b> line.",
        "body_spans": [{"start": 10, "end": 37}, {"start": 40, "end": 56}],
        "removed": [
            {"start": 0, "end": 9, "text": "Home|News", "reason": "nav_menu", "region": "header"},
            {"start": 58, "end": 62, "text": "Ads!", "reason": "teaser", "region": "footer"},
        ],
        "timexes": [
            {"char_start": 13, "char_end": 26, "text": "March 3, 2021", "value": "2021-03-03"}
        ],
    }
    view = docview.build(row, [{"char_start": 13, "char_end": 26}])
    assert [s.region for s in view.segments] == ["header", "body", "body", "footer"]
    pieces = view.segments[1].pieces
    assert pieces[1][:2] == ("timex", "March 3, 2021")
    assert pieces[1][2]["value"] == "2021-03-03" and pieces[1][2]["event"]
    assert "".join(p[1] for p in pieces) == "On March 3, 2021 it rained."
    assert view.segments[2].pieces == [("text", "Second <b> line.", {})]  # escaped by Jinja2
    # body lines that do not match their offsets are shown as stored, with a note
    broken = docview.build({**row, "body_spans": [{"start": 10, "end": 30}]})
    assert broken.note and [s.region for s in broken.segments].count("body") == 1


def test_month_chart_geometry():
    chart = month_chart([("2019-11", 2), ("2019-12", 0), ("2020-01", 4)])
    assert [b["n"] for b in chart["bars"]] == [2, 0, 4]
    assert chart["peak_label"] == "2020-01"
    tallest = max(chart["bars"], key=lambda b: b["h"])
    assert tallest["y"] == 0 and tallest["label"] == "2020-01"


def synthetic_output(folder, n_events: int):
    """An output with n_events dated events over 2018-2019 and one document (pyarrow only)."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    from transforms.output.schemas import TABLES

    (folder / "events").mkdir(parents=True)
    (folder / "documents").mkdir()
    rows = []
    for i in range(n_events):
        day = dt.date(2018, 1, 1) + dt.timedelta(days=(i * 7) % 700)
        rows.append(
            {
                "event_id": f"{(i * 2654435761) % 2**32:08x}",
                "doc_id": "d0",
                "source": f"archive/site{i % 3}/page{i}.txt",
                "date_start": day,
                "date_end": day,
                "granularity": "day",
                "timex_value": day.isoformat(),
                "sentence": f"Event number {i} happened.",
                "date_role": "event",
            }
        )
    schema = TABLES["events"]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / "events" / "p.parquet")
    doc = {"doc_id": "d0", "source": "archive/doc.txt", "body": "", "body_spans": []}
    docs = pa.Table.from_pylist([doc], schema=TABLES["documents"])
    pq.write_table(docs, folder / "documents" / "p.parquet")
    return folder


def test_sampled_report_says_so(tmp_path):
    out = synthetic_output(tmp_path / "out", 400)
    text = open(write_report(str(out), max_marks=60), encoding="utf-8").read()
    block = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', text, re.S
    )
    drawn = len(json.loads(block.group(1))["entries"]["id"])
    assert 60 <= drawn < 400
    assert f"{drawn:,} of 400 dated entries are drawn" in text
    assert 'data-sampled="true"' in text


def test_templates_and_assets_are_package_data(repo_root):
    import fnmatch
    import tomllib

    pyproject = tomllib.loads((repo_root / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["transforms"]
    report = repo_root / "transforms" / "output" / "report"
    files = [p for d in ("templates", "static") for p in (report / d).iterdir()]
    assert len(files) >= 3
    for path in files:
        name = path.relative_to(repo_root / "transforms").as_posix()
        assert any(fnmatch.fnmatch(name, p) for p in patterns), name
