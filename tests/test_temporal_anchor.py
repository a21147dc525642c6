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
