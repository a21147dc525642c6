"""The bad-input corpus (tests/badinputs.py) through the whole job: every input ends as exactly
the document or error row its case expects, the job goes on, and the reconciliation holds."""

from __future__ import annotations

import datetime as dt
import time

import duckdb
import pytest

from tests import badinputs
from transforms.temporal.tagger import DateTagger

CASES = badinputs.build_cases()


# Both ways of reading streamed bundles (.tar.gz, .jsonl): by the worker that read them, and
# reshuffled after reading (what distributed runners do, --spread_streams auto).
@pytest.fixture(scope="module", params=["false", "true"], ids=["local", "spread"])
def bad_run(tmp_path_factory, request):
    from pipeline.run import run

    root = tmp_path_factory.mktemp("bad")
    expected = badinputs.write_corpus(root / "in", CASES)
    out = root / "out"
    flags = ["--spread_streams", request.param]
    summary = run(["--input", str(root / "in"), "--output", str(out), *flags])
    docs = duckdb.sql(
        "SELECT source, encoding, published, published_source, prefix_len, "
        "concat_ws('\n', body, header, footer), notes "
        f"FROM read_parquet('{out}/documents/**/*.parquet', hive_partitioning = true)"
    ).fetchall()
    errors = duckdb.sql(
        f"SELECT source, stage, reason, message FROM read_parquet('{out}/errors/*.parquet')"
    ).fetchall()
    return {
        "root": root / "in",
        "summary": summary,
        "expected": expected,
        "docs": {row[0]: row for row in docs},
        "errors": {row[0]: row for row in errors},
        "n_docs": len(docs),
        "n_errors": len(errors),
    }


def outcome(run: dict, source: str) -> str:
    if source in run["docs"]:
        return badinputs.DOC
    if source in run["errors"]:
        _, stage, reason, _ = run["errors"][source]
        return f"{stage}:{reason}"
    return "missing"


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.slow  # the whole job on the corpus
def test_case_outcome(bad_run, case):
    prefix = str(bad_run["root"] / case) + "/"
    expect = {s: o for s, o in bad_run["expected"].items() if s.startswith(prefix)}
    got = {s: outcome(bad_run, s) for s in expect}
    assert got == expect
    # nothing else came out of this case's files (no doubled or phantom rows)
    produced = {s for s in list(bad_run["docs"]) + list(bad_run["errors"]) if s.startswith(prefix)}
    assert produced == set(expect)


@pytest.mark.slow  # the whole job on the corpus
def test_every_input_is_one_row_and_the_summary_reconciles(bad_run):
    summary = bad_run["summary"]
    assert summary["documents"] == bad_run["n_docs"] == len(bad_run["docs"])
    assert summary["errors"] == bad_run["n_errors"] == len(bad_run["errors"])
    assert summary["inputs"] == summary["documents"] + summary["errors"]
    assert summary["inputs"] == len(bad_run["expected"])


@pytest.mark.slow  # the whole job on the corpus
def test_error_rows_say_why(bad_run):
    for source, stage, reason, message in bad_run["errors"].values():
        assert source and stage in {"match", "read", "decode", "split", "dates"}
        assert reason and message


@pytest.mark.parametrize(
    ("case", "name", "encoding"),
    [
        ("utf8", "utf8.txt", "utf-8"),
        ("utf8_bom", "bom.txt", "utf-8-sig"),
        ("utf16_bom", "u16.txt", "utf-16"),
        ("utf16le_no_bom", "u16le.txt", "utf-16-le"),
        ("cp1252", "cp.txt", "cp1252"),
        ("latin1", "l1.txt", "cp1252"),
        ("stray_byte_in_utf8", "stray.txt", "utf-8"),
        ("gzip", "page.txt.gz", "utf-8"),
    ],
)
@pytest.mark.slow  # the whole job on the corpus
def test_encoding_is_recorded(bad_run, case, name, encoding):
    row = bad_run["docs"][str(bad_run["root"] / case / name)]
    assert row[1] == encoding


@pytest.mark.slow  # the whole job on the corpus
def test_cp1252_text_decodes_to_the_right_characters(bad_run):
    text = bad_run["docs"][str(bad_run["root"] / "cp1252" / "cp.txt")][5]
    assert "\u201cCaf\u00e9\u201d" in text and "\u2013" in text


@pytest.mark.slow  # the whole job on the corpus
def test_crlf_is_normalised(bad_run):
    row = bad_run["docs"][str(bad_run["root"] / "crlf" / "crlf.txt")]
    assert "\r" not in row[5] and row[2] == dt.date(2020, 10, 27)


@pytest.mark.slow  # the whole job on the corpus
def test_bad_prefix_is_a_document_without_prefix_date(bad_run):
    _, _, published, published_source, prefix_len, text = bad_run["docs"][
        str(bad_run["root"] / "bad_prefix" / "badprefix.txt")
    ]
    assert prefix_len == len(" date 2020-13-45 ")
    assert published_source != "prefix"
    assert "2020-13-45" not in text
    assert bad_run["summary"]["metrics"].get("decode_note_bad_prefix") == 1


@pytest.mark.slow  # the whole job on the corpus
def test_jsonl_date_field_is_the_publication_date(bad_run):
    row = bad_run["docs"][str(bad_run["root"] / "jsonl" / "feed.jsonl") + "!1"]
    assert row[2] == dt.date(2021, 3, 4) and row[3] == "field"
    undated = bad_run["docs"][str(bad_run["root"] / "jsonl" / "feed.jsonl") + "!7"]
    assert undated[2] is None or undated[3] == "text"


@pytest.mark.slow  # the whole job on the corpus
def test_documents_keep_the_notes_of_what_was_fixed(bad_run):
    """documents.notes names what the reader fixed (replaced bytes, a bad prefix, a bad JSONL
    date field), and _SUCCESS counts the documents per note."""
    expected = {
        str(bad_run["root"] / name / source): note
        for name, case in CASES.items()
        for source, note in case.notes.items()
    }
    assert expected  # the corpus has such cases
    for source, note in expected.items():
        assert note in bad_run["docs"][source][6], source
    counted: dict[str, int] = {}
    for row in bad_run["docs"].values():
        for note in row[6]:
            counted[note] = counted.get(note, 0) + 1
    assert bad_run["summary"]["notes"] == dict(sorted(counted.items()))


def test_many_dates_are_tagged_in_bounded_time():
    """A page with thousands of dates: the tagger's time stays linear in the text."""
    tagger = DateTagger()
    line = "On March {d}, {y} the council met.\n"
    small = "".join(line.format(d=i % 28 + 1, y=1990 + i % 30) for i in range(1000))
    large = small * 10
    started = time.perf_counter()
    tagger.tag(small, dt.date(2020, 1, 1))
    small_time = time.perf_counter() - started
    started = time.perf_counter()
    tagger.tag(large, dt.date(2020, 1, 1))
    large_time = time.perf_counter() - started
    assert large_time < 5.0
    assert large_time < 30 * max(small_time, 0.01)  # ~10x the text, not ~100x the time
