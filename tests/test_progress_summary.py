"""Progress on stderr and the end-of-run summary (issue 20): the reporter's pace and format,
the figures counted from document rows, the printed table, and whole runs of the command line
on the seeds, with a pattern that names nothing and a binary file, as a user runs them."""

from __future__ import annotations

import io
import json
import re
import shlex
import shutil
import subprocess
import sys

import duckdb
import pytest

from pipeline.summary import errors_hint, format_summary
from tests.conftest import REPO, SEEDS
from transforms.output import figures, progress
from transforms.output.beam import check_counts, run_counts


class FakeTty(io.StringIO):
    def isatty(self):
        return True


def test_the_reporter_prints_plain_lines_at_its_pace_when_stderr_is_not_a_terminal():
    stream = io.StringIO()
    reporter = progress.Reporter(stream, bar=False, interval=3600)
    for _ in range(5):
        reporter.add(progress.DOCUMENTS)
    reporter.add(progress.ERRORS)
    assert stream.getvalue() == ""  # rate-limited: nothing before the interval has passed
    reporter.shown -= 3600  # the interval has passed
    reporter.add(progress.DOCUMENTS)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert re.match(r"newsline: 6 documents in \d\d:\d\d \(.*/s\), 1 errors", lines[0])
    reporter.close()  # the last line, once
    reporter.close()
    reporter.add(progress.DOCUMENTS)
    assert len(stream.getvalue().splitlines()) == 2
    assert "\r" not in stream.getvalue()


def test_several_worker_processes_print_lines_that_name_the_worker_and_no_bar():
    stream = FakeTty()
    reporter = progress.Reporter(stream, bar=False, interval=0, worker=4242)
    reporter.add(progress.DOCUMENTS)
    assert stream.getvalue().startswith("newsline worker 4242: 1 documents")
    assert "\r" not in stream.getvalue()


def test_on_a_terminal_the_bar_is_tqdms_and_redrawn_in_place():
    stream = FakeTty()
    reporter = progress.Reporter(stream, bar=True, interval=0)
    for _ in range(3):
        reporter.add(progress.DOCUMENTS)
    reporter.add(progress.ERRORS)
    text = stream.getvalue()
    assert "\r" in text and "3 docs" in text and "1 errors" in text
    reporter.close()


def test_one_reporter_per_process_and_run(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    a = progress.shared_reporter("run-a", 1, 1.0)
    assert progress.shared_reporter("run-a", 1, 1.0) is a
    assert progress.shared_reporter("run-b", 1, 1.0) is not a
    assert a.bar is None  # stderr is not a terminal: plain lines


def test_figures_of_documents_are_counted_by_kind():
    row = {
        "removed": [{"reason": "caption"}, {"reason": "caption"}, {"reason": "nav_menu"}],
        "timexes": [{"value": "2019-10-27"}, {"value": "XXXX-07-07"}, {"value": "P1Y"}],
        "body_flag": "empty_body",
    }
    flat = figures.document_figures(row)
    summed = figures.SumFigures().extract_output(
        figures.SumFigures().add_input(figures.document_figures(row), flat)
    )
    nested = figures.nest(summed)
    assert nested["lines_removed"] == {"caption": 4, "nav_menu": 2}
    assert nested["dates"] == {"found": 6, "resolved": 2, "without_year": 2, "other": 2}
    assert nested["documents_flagged"] == {"empty_body": 2}
    assert figures.nest({})["dates"]["found"] == 0


def test_patterns_that_name_nothing_are_errors_but_not_inputs():
    counts = run_counts(None, 3, 2, 3, 2, 7, {"match:not_found": 1, "read:binary": 1})
    assert (counts["inputs"], counts["input_errors"], counts["pattern_errors"]) == (4, 1, 1)
    check_counts(counts)  # 4 inputs = 3 documents + 1 error of an input
    with pytest.raises(RuntimeError, match="reconciliation failed"):
        check_counts({**counts, "documents": 2})


def test_the_summary_table_names_patterns_and_gives_a_duckdb_command_per_reason(tmp_path):
    summary = {
        **run_counts(None, 2, 2, 2, 2, 5, {"match:not_found": 1, "read:binary": 1}),
        "patterns": ["in/*.txt", "gone/*.txt"],
        "patterns_unmatched": ["gone/*.txt"],
        "stage_seconds": {"ReadDocuments": 1.5, "TagDates": 2.0},
        "seconds": 4.2,
    }
    text = format_summary(summary, "out")
    assert "matched nothing:    1   'gone/*.txt'" in text
    assert "inputs read:        3" in text
    assert "read:binary: 1" in text and errors_hint("out", "read:binary") in text
    assert "ReadDocuments 1.5" in text and "4.2 s" in text
    assert text.splitlines()[-1] == "check: read 3 = documents 2 + errors 1 -> OK"
    assert "-> FAILED" in format_summary({**summary, "documents": 1}, "out")


# --- whole runs of the command line ------------------------------------------------------------


def newsline(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_a_run_on_the_seeds_shows_progress_and_an_honest_summary(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, inbox / seed.name)
    (inbox / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))  # binary
    missing = str(tmp_path / "nowhere" / "*.txt")
    out = tmp_path / "out"
    done = newsline("--input", str(inbox / "*.txt"), "--input", missing, "--output", str(out))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert f"matched nothing:    1   {missing!r}" in text
    assert "inputs read:        4" in text  # 3 seeds + the binary file; not the pattern
    assert "documents written:  3" in text
    assert "check: read 4 = documents 3 + errors 1 -> OK" in text
    # each error reason has a command that lists exactly its rows (no DuckDB CLI needed)
    hints = re.findall(r"see: newsline (errors .*)", text)
    assert len(hints) == 2
    listed = [newsline(*shlex.split(h)) for h in hints]
    assert all(done.returncode == 0 for done in listed), [d.stderr for d in listed]
    rows = [line.split("\t") for done in listed for line in done.stdout.splitlines()]
    assert sorted((r[0], r[1]) for r in rows) == sorted(
        [(str(inbox / "scan.txt"), "decode:binary"), (missing, "match:no_match")]
    )
    every = newsline("errors", str(out)).stdout.splitlines()
    assert len(every) == 2 and all(line.count("\t") == 2 for line in every)
    # progress: plain lines on stderr (not a terminal), no carriage return, no apitools warning
    lines = [line for line in done.stderr.splitlines() if line.startswith("newsline: ")]
    assert any(re.match(r"newsline: 3 documents in .*, 2 errors$", line) for line in lines)
    assert "\r" not in done.stderr and "apitools" not in done.stderr
    # the same figures in the version's _SUCCESS
    success = json.loads((out / "_SUCCESS").read_text())
    assert success["patterns_unmatched"] == [missing]
    assert (success["inputs"], success["input_errors"], success["pattern_errors"]) == (4, 1, 1)
    removed = sum(success["lines_removed"].values())
    assert f"lines removed:      {removed}   " in text
    dates = success["dates"]
    assert f"date expressions:   {dates['found']}   found; {dates['resolved']} resolved" in text
    assert dates["found"] == dates["resolved"] + dates["without_year"] + dates["other"] > 0
    docs = f"read_parquet('{out}/documents/**/*.parquet')"
    timexes = duckdb.sql(f"SELECT count(*) FROM (SELECT unnest(timexes) FROM {docs})").fetchall()
    assert timexes[0][0] == dates["found"]
    assert "documents_flagged" in success and "time:" in text and "report: " in text

    quiet = newsline("--input", str(inbox / "*.txt"), "--output", str(out), "--quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert "documents in" not in quiet.stderr and "apitools" not in quiet.stderr
    assert "check: read 4 = documents 3 + errors 1 -> OK" in quiet.stdout
