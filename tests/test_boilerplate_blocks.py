"""Blocks before lines: hard-wrapped paragraphs rebuilt, offsets into the original text."""

import random

from eval.wrap import wrap_document, wrap_labels, wrap_text
from transforms.boilerplate.blocks import build_blocks, wrap_width
from transforms.boilerplate.splitter import split_document

PARAS = [
    "The city council voted on Tuesday to extend the opening hours of the central library "
    "until nine in the evening, after a debate that lasted more than four hours.",
    "Supporters said working parents and students had asked for longer hours for years, "
    "while opponents questioned whether the budget could carry the extra staff costs.",
    "The new hours take effect in January, and the council will review them after six "
    "months, the mayor said in a statement released on Wednesday October 27, 2019.",
]


def test_web_pages_keep_one_block_per_line():
    text = "Home | News\n" + "\n".join(PARAS) + "\nRelated articles\n"
    assert wrap_width([line for line in text.split("\n") if line]) is None
    blocks = build_blocks(text)
    assert [b.text for b in blocks] == [line for line in text.split("\n") if line]


def test_short_one_line_paragraphs_are_not_taken_for_wrapped_text():
    lines = [
        "The mayor said on Monday that the new bridge would open in the spring of next year.",
        "Engineers have been working on the structure for three years, the city said.",
        "The project has cost more than the council expected when it approved the plan.",
        "Residents on both banks of the river welcomed the news at a meeting on Monday.",
        "Work on the approach roads starts next month, weather permitting, it said.",
    ]
    assert wrap_width(lines) is None  # long lines, but every one ends a sentence
    assert len(build_blocks("\n".join(lines))) == len(lines)


def test_hard_wrapped_paragraphs_are_rebuilt_with_original_offsets():
    text = "\n".join(PARAS)
    wrapped = wrap_text(text, 62, 3)
    assert wrapped.text.count("\n") > 6
    blocks = build_blocks(wrapped.text)
    assert len(blocks) == 3
    for block, para in zip(blocks, PARAS, strict=True):
        original = wrapped.text[block.start : block.end]
        assert len(block.text) == len(original)  # a line break reads as one space
        assert "\n" in original and "\n" not in block.text
        assert block.text.split() == para.split()


def test_indent_bullets_and_lower_case_continuations():
    width_lines = [
        "   Shares of the company fell sharply in early trading on Monday",
        "after it cut its forecast for the year, citing weaker demand and",
        "higher costs.",
        "   Analysts said the cut was larger than expected, and several of",
        "them lowered their price targets for the stock in notes to clients",
        "* the first of four bullet points that follow in the story text.",
        "   The company said it expected demand to recover next year, when",
        "new contracts start, and",
        "margins to improve as costs fall.",
    ]
    blocks = build_blocks("\n".join(width_lines))
    starts = [b.text.split()[0] for b in blocks]
    assert starts == ["Shares", "Analysts", "*", "The"]


def test_a_clean_wrapped_article_keeps_everything():
    more = [
        "Library staff will work in two shifts, and the union said it had agreed to the plan "
        "after the council promised that no one would be asked to work both of them.",
        "Visitor numbers fell by a fifth during the pandemic but have since recovered, with "
        "the evening reading room the busiest part of the building, officials said.",
    ]
    text = " date 2019-10-28 " + "\n".join(PARAS + more)
    wrapped = wrap_document("clean.txt", text)
    split = split_document(wrapped.text, len(" date 2019-10-28 "))
    kept = " ".join(wrapped.text[s:e] for s, e in split.body_spans)
    assert kept.split() == " ".join(PARAS + more).split()
    assert split.body_flag is None


def test_wrap_is_fair_deterministic_and_maps_offsets():
    text = " date 2019-10-28 Home | News | Sport | Business | Opinion | Culture | Weather\n\n" + (
        "\n".join(PARAS)
    )
    a, b = wrap_document("x.txt", text), wrap_document("x.txt", text)
    assert a == b and 60 <= a.width <= 75 and 2 <= a.indent <= 5
    assert a.text.startswith(" date 2019-10-28 " + " " * a.indent + "Home")
    for line in a.text.split("\n")[1:]:
        assert len(line) <= a.width or " " not in line.strip()
    assert a.text.split() == text.split()
    start = text.index("October 27, 2019")
    s, e = a.map_offset(start), a.map_offset(start + len("October 27, 2019"))
    assert a.text[s:e].split() == ["October", "27,", "2019"]
    labels = ["H", "", "B", "B", "B"]
    assert set(wrap_labels(labels, a)) == {"H", "", "B"}
    assert len(wrap_labels(labels, a)) == a.text.count("\n") + 1
    rng = random.Random(0)
    widths = {wrap_document(f"{rng.random()}", text).width for _ in range(50)}
    assert min(widths) >= 60 and max(widths) <= 75 and len(widths) > 5
