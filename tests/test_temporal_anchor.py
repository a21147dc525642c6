"""Anchor inference for pages without a publication date (transforms/temporal/anchor.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.temporal.anchor import infer_anchor, tag_document
from transforms.temporal.tagger import DateTagger

TAGGER = DateTagger()


def infer(text: str):
    spans = [(0, len(text))]
    mentions, _ = TAGGER.tag(text, None, spans)
    return infer_anchor(text, spans, mentions)


def test_dateline_is_the_anchor():
    text = "WASHINGTON, March 3, 2005 - The Senate voted on Tuesday to pass the bill."
    found = infer(text)
    assert (found.date, found.reason) == (dt.date(2005, 3, 3), "dateline")
    assert text[found.evidence[0] : found.evidence[1]] == "March 3, 2005"


def test_the_most_frequent_stamp_wins_over_later_comments():
    filler = "The council met again and the plan was discussed at length by everyone. " * 4
    text = (
        f"{filler}\nPublished November 18, 2019\n{filler}\nNovember 18, 2019 | reply\n"
        f"November 19, 2019 | reply\nNovember 18, 2019 | reply\n"
    )
    found = infer(text)
    assert (found.date, found.reason) == (dt.date(2019, 11, 18), "stamp")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The bombs went off on Aug. 7, 1998 at two embassies.", "only_sentence_dates"),
        ("He said the notes will be repaid on March 1, 2011.", "only_quoted_or_future"),
        ("The vote was on Tuesday and the count on Wednesday.", "no_full_date"),
        ('"On March 26, 1996, everything changed," she said.', "only_quoted_or_future"),
    ],
)
def test_weak_evidence_leaves_the_anchor_null(text, reason):
    found = infer(text)
    assert found.date is None and found.evidence is None and found.reason == reason


def test_relative_dates_resolve_against_the_inferred_anchor():
    text = "LONDON, 7 June 2015 - Police said on Friday the fire began in May."
    mentions, _, inferred = tag_document(TAGGER, text, [(0, len(text))], None)
    assert inferred.date == dt.date(2015, 6, 7)
    assert {m.text: m.value for m in mentions}["Friday"] == "2015-06-05"
    # with an anchor given, no inference
    assert tag_document(TAGGER, text, [(0, len(text))], dt.date(2016, 1, 1))[2] is None


@pytest.mark.slow
def test_the_job_writes_an_inferred_anchor_with_its_evidence(tmp_path):
    import pyarrow.parquet as pq

    from pipeline.run import run

    text = (
        "Harbour fire destroys warehouse\n\n"
        "FAIRPORT, 7 June 2015 - Fire crews fought the blaze at the harbour warehouse until "
        "Saturday morning, officials said. The building had stood empty since March and was "
        "due to be demolished in the autumn.\n"
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(text, encoding="utf-8")
    summary = run(["--input", str(tmp_path / "in" / "*.txt"), "--output", str(tmp_path / "out")])
    assert summary["documents"] == 1
    doc = pq.read_table(tmp_path / "out" / "documents", partitioning=None).to_pylist()[0]
    assert doc["published"] is None and doc["anchor_source"] == "inferred"
    assert doc["anchor_date"] == dt.date(2015, 6, 7)
    assert text[doc["anchor_evidence_start"] : doc["anchor_evidence_end"]] == "7 June 2015"
    events = pq.read_table(tmp_path / "out" / "events", partitioning=None).to_pylist()
    values = {e["date_text"]: e["timex_value"] for e in events}
    assert values["March"] == "2015-03" and all(e["anchor_source"] == "inferred" for e in events)


@pytest.mark.parametrize(
    ("text", "expected", "reason"),
    [
        # Oct. 26 is a Monday in 1998 only, within 9 years after 1994
        (
            "The bill passed in 1994. The vote is set for Monday, Oct. 26, officials said.",
            dt.date(1998, 10, 26),
            "weekday_date",
        ),
        # Friday 13 October: 1989 and 1995, both within 1988..1997: no anchor
        (
            "Sales fell in 1988. Stocks plunged on Friday Oct. 13, traders said.",
            None,
            "weekday_ambiguous",
        ),
        # no year written anywhere: no window, no anchor
        ("The vote is set for Monday, Oct. 26, officials said.", None, "weekday_no_year_bound"),
        # a quoted year bounds nothing
        (
            '"We won in 1994," he said. The vote is set for Monday, Oct. 26.',
            None,
            "weekday_no_year_bound",
        ),
    ],
)
def test_a_weekday_dated_day_fixes_the_year_within_the_window(text, expected, reason):
    found = infer(text)
    assert (found.date, found.reason) == (expected, reason)
    if expected is not None:
        assert text[found.evidence[0] : found.evidence[1]].startswith("Monday")


def test_weekday_years_lists_every_matching_year_in_the_window():
    from transforms.temporal.anchor import weekday_years

    assert weekday_years(10, 26, 0, 1980, 20) == [1981, 1987, 1992, 1998]
    assert weekday_years(2, 29, 4, 2000, 10) == [2008]  # a Friday 29 Feb: leap years only


def _is_stamp_by_regex(text: str, start: int) -> bool:
    """The stamp test as first written: a search over the line (the reference)."""
    import re

    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip(" \t")
    if not before or not before[-1].isalnum():
        return True
    m = re.search(r"([A-Za-z]+)[ \t]*:?[ \t]*$", before)
    labels = ("published", "posted", "updated", "dated", "modified", "created")
    return m is not None and m.group(1).lower() in labels


def test_the_stamp_test_reads_the_label_as_the_line_search_did():
    import random

    from transforms.temporal.anchor import STAMP_WORDS, _is_stamp

    assert STAMP_WORDS == {"published", "posted", "updated", "dated", "modified", "created"}
    pieces = ["Published", "posted", "UPDATED", "dated:", "Modified ", "by", "x", "é", "ſ"]
    pieces += ["2019", "K", "\u212a", ":", " ", "\t", "\n", "|", ",", "-", "\u00a0", "Posted\t"]
    pieces += ["created1"]
    rng = random.Random(14)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 9))) for _ in range(3000)]
    texts += ["Published Nov. 18, 2019", "WASHINGTON, March 3, 2005 -", "Updated: 2019-01-02"]
    for text in texts:
        text = text + " Oct. 3, 2001"
        for start in range(len(text) + 1):
            assert _is_stamp(text, start) == _is_stamp_by_regex(text, start), (text, start)
