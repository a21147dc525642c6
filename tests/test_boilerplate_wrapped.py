"""Whole-document goldens of short and medium hard-wrapped texts (issue 15): wire briefs
(Reuters style: a headline, a blank line, indented paragraphs wrapped at 60-70 columns), an
e-mail (blank lines between paragraphs, no indent) and a fixed-width dump (wrapped at ~90).

Each tests/golden/wrapped/NAME.txt has NAME.expected.json: the title, the stated publication
date, the body_flag, the body pieces (the original text, line breaks included) and every
removed piece with its region and reason. The expected files were written from the split
and checked by hand: the whole story is body, the headline is the title, sign-offs are footer.
"""

import json
from pathlib import Path

import pytest

from transforms.boilerplate.blocks import build_blocks, wrap_width
from transforms.boilerplate.splitter import split_document

WRAPPED = Path(__file__).resolve().parent / "golden" / "wrapped"
NAMES = sorted(p.stem for p in WRAPPED.glob("*.txt"))


def test_the_goldens_cover_wire_email_and_fixed_width():
    assert len(NAMES) >= 5
    assert {n.split("_")[0] for n in NAMES} >= {"reuters", "email", "fixed"}


@pytest.mark.parametrize("name", NAMES)
def test_wrapped_document_golden(name):
    text = (WRAPPED / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((WRAPPED / f"{name}.expected.json").read_text(encoding="utf-8"))
    split = split_document(text)
    assert split.title == expected["title"]
    assert (split.published.isoformat() if split.published else None) == expected["published"]
    assert split.body_flag == expected["body_flag"]
    assert [text[s:e] for s, e in split.body_spans] == expected["body"]
    assert [[r.region, r.reason, r.text] for r in split.removed] == expected["removed"]
    # every word of the story's paragraphs is body: nothing of a wrapped paragraph is lost
    body_words = " ".join(expected["body"]).split()
    assert len(body_words) >= 0.6 * len(text.split())


@pytest.mark.parametrize("name", NAMES)
def test_every_wrapped_paragraph_is_one_block(name):
    text = (WRAPPED / f"{name}.txt").read_text(encoding="utf-8")
    assert wrap_width([raw.rstrip() for raw in text.split("\n")]) is not None
    expected = json.loads((WRAPPED / f"{name}.expected.json").read_text(encoding="utf-8"))
    blocks = {b.text for b in build_blocks(text)}
    for piece in expected["body"]:
        assert piece.replace("\n", " ") in blocks


def test_short_lines_one_per_paragraph_are_not_wrapped():
    lines = [
        "Council approves harbour budget",
        "",
        "The council approved the budget for the harbour works on Tuesday.",
        "Photos from the council meeting",
        "the vote in pictures",  # continues in lower case, but "the" would have fit above
        "Opponents said the plan was far too expensive for a small town.",
        "Work starts in May.",
    ]
    assert wrap_width(lines) is None
    assert len(build_blocks("\n".join(lines))) == 6


PARAS = [
    "The harbour bridge will stay closed to traffic until Friday while engineers replace two "
    "expansion joints that failed during last week's storm, the department said on Monday.",
    "Buses on the number 4 and 12 routes will run through the tunnel instead, adding about "
    "fifteen minutes to the trip at peak hours, the operator said in a statement.",
    "Council approves harbour budget",
]


def test_wrap_cv_windows_carry_gold_joins_and_are_scored():
    from eval.wrap_cv import count, windows

    samples = windows("brief.txt", PARAS, "example.org")
    kinds = {s.kind for s in samples}
    assert kinds == {"plain", "wire", "email"}
    for s in samples:
        assert len(s.gold) == s.text.count("\n") + 1 and s.gold[0] is None
        if s.kind == "plain":
            assert not any(s.gold[1:])  # one paragraph per line: nothing to join
    wire = [s for s in samples if s.kind == "wire" and s.lines == 5]
    assert any(wire[0].gold)  # a wrapped paragraph: its lines join
    tp, fp, fn = count(samples)
    assert tp > 0 and fp == 0 and fn <= tp // 10
