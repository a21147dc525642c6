"""The HTML report opened in a real browser (headless Debian chromium through playwright).

What is checked, on a real run of the job over the seeds plus one hostile page:
- the timeline holds one mark per timeline entry (every dated distinct event_id, counted here
  independently with DuckDB), and the year, decade and source filters show exactly the entries
  that overlap the year / decade or come from the source;
- the 2019-10-27 event of seed 000 is there: hovering shows its sentence, clicking pins its
  sentence and source in the detail panel;
- the console has no errors (uncaught exceptions included), and the page made no request other
  than loading its own file;
- a document whose text holds `<script>` and `onerror=` is shown as text: the characters are in
  the page's text, no element was made from them, and the script never ran;
- past --max-marks, the page draws exactly the sample it says it draws ("N of M").

With CI=true a missing browser fails these tests; elsewhere they skip with a message saying how
to install it (tests/browser.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from tests import browser
from tests.test_report import count_entries

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SENTENCE_2019 = "it had launched an operation which took out ISIS founder"
HOSTILE = (
    " date 2021-03-04 \n"
    "Council hears about a <script>window.__pwned = 1</script> tag\n\n"
    "The city council met on March 3, 2021 to discuss a web page that carried a "
    '<script>window.__pwned = 2</script> element and an <img src=x onerror="window.__pwned = 3"> '
    "image, and the clerk said onerror= handlers had been stripped from the archive since then.\n"
    "On 12 February 2021 the council had asked the archive team to review every page that "
    "contained such markup before it was published again.\n"
)

OVERLAPS = "date_start <= DATE '{1}' AND date_end >= DATE '{0}'"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chromium():
    problem = browser.missing()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    """Run the job on the seeds and the hostile page, then `newsline report --doc HOSTILE`."""
    from pipeline import commands
    from pipeline.run import run

    inputs = tmp_path_factory.mktemp("report_in")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, inputs / seed.name)
    (inputs / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path_factory.mktemp("report_out")
    run(["--input", str(inputs / "*.txt"), "--output", str(out)])
    docs = f"read_parquet('{out}/documents/**/*.parquet', hive_partitioning = true)"
    hostile = duckdb.sql(f"SELECT doc_id FROM {docs} WHERE source LIKE '%hostile.txt'").fetchall()[
        0
    ]
    assert commands.main(["report", str(out), "--doc", hostile[0]]) == 0
    return {"out": out, "path": out / "report.html", "hostile": hostile[0]}


@pytest.fixture(scope="module")
def context(chromium):
    """One Chromium (fresh profile) for the module: playwright's sync API runs one at a time."""
    with browser.browser_context() as context:
        yield context


@pytest.fixture(scope="module")
def page(context, report):
    """The report open in Chromium, with every console error and request recorded."""
    page = context.new_page()
    seen = {"errors": [], "requests": []}
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    url = report["path"].resolve().as_uri()
    page.goto(url)
    page.wait_for_selector("svg#timeline rect.mark")
    yield page, seen, url


def test_one_mark_per_timeline_entry(page, report):
    page, _, _ = page
    n = count_entries(report["out"])
    assert n >= 8  # the seeds alone give 11
    assert page.locator("svg#timeline rect.mark").count() == n
    assert page.get_attribute("svg#timeline", "data-marks") == str(n)
    assert page.get_attribute("svg#timeline", "data-sampled") == "false"
    assert page.inner_text("#n-entries") == str(n)


def test_the_2019_10_27_event_shows_its_sentence(page):
    page, _, _ = page
    mark = page.locator('svg#timeline rect.mark[data-start="2019-10-27"]')
    assert mark.count() == 1
    mark.hover()
    assert page.is_visible("#tip")
    assert SENTENCE_2019 in page.inner_text("#tip")
    mark.click()
    detail = page.inner_text("#detail")
    assert SENTENCE_2019 in detail
    assert "000_ec7d9c84d5a6a506.txt" in detail
    assert page.inner_text("#detail mark") == "October 27, 2019"  # the date, highlighted


def test_year_and_source_filters(page, report):
    page, _, _ = page
    out = report["out"]
    page.select_option("#year-filter", "2019")
    in_2019 = count_entries(
        out, "date_start <= DATE '2019-12-31' AND date_end >= DATE '2019-01-01'"
    )
    assert 0 < in_2019 < count_entries(out)
    assert page.locator("svg#timeline rect.mark").count() == in_2019
    page.select_option("#year-filter", "d2010")
    in_2010s = count_entries(
        out, "date_start <= DATE '2019-12-31' AND date_end >= DATE '2010-01-01'"
    )
    assert in_2019 < in_2010s < count_entries(out)
    assert page.locator("svg#timeline rect.mark").count() == in_2010s
    page.select_option("#year-filter", "")
    page.fill("#source-filter", "000_ec7d")
    from_000 = count_entries(out, "source LIKE '%000_ec7d%'")
    assert 0 < from_000 < count_entries(out)
    assert page.locator("svg#timeline rect.mark").count() == from_000
    page.fill("#source-filter", "")
    assert page.locator("svg#timeline rect.mark").count() == count_entries(out)


def test_markup_in_a_document_is_shown_as_text(page, report):
    page, _, _ = page
    section = page.locator(f'section.doc[data-doc="{report["hostile"]}"]')
    page.select_option("#doc-select", report["hostile"])
    assert section.is_visible()
    text = section.inner_text()
    assert "<script>window.__pwned = 2</script>" in text
    assert "onerror=" in text and "<img src=x" in text
    assert section.locator("script, img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    # the date expressions are highlighted with their values
    values = section.locator(".doctext span.val").all_inner_texts()
    assert "2021-03-03" in values and "2021-02-12" in values


def test_no_console_errors_and_no_requests(page):
    page, seen, url = page
    page.reload()
    page.wait_for_selector("svg#timeline rect.mark")
    page.locator("svg#timeline rect.mark").first.click()
    assert seen["errors"] == []
    assert set(seen["requests"]) == {url}


def test_a_sampled_timeline_draws_what_it_says(context, tmp_path):
    from tests.test_report import synthetic_output
    from transforms.output.report import write_report

    path = write_report(str(synthetic_output(tmp_path / "out", 400)), max_marks=60)
    page = context.new_page()
    page.goto("file://" + path)
    page.wait_for_selector("svg#timeline rect.mark")
    drawn = page.evaluate(
        "JSON.parse(document.getElementById('report-data').textContent).entries.id.length"
    )
    assert 60 <= drawn < 400
    assert page.locator("svg#timeline rect.mark").count() == drawn
    assert page.get_attribute("svg#timeline", "data-sampled") == "true"
    assert f"{drawn:,} of 400 dated entries are drawn" in page.inner_text("#timeline-note")
