"""Page shapes that other extractors are known to get wrong (tests/data/cases/body/, rebuilt as
plain text from public bug reports): the article lines are kept, the furniture is not, and the
title is this article's headline. Every page is also checked hard-wrapped (eval/wrap.py)."""

import json
import re
from pathlib import Path

import pytest

from eval.wrap import wrap_document
from transforms.boilerplate.splitter import split_document

CASES = Path(__file__).parent / "data" / "cases" / "body"
EXPECTED = json.loads((CASES / "expected.json").read_text(encoding="utf-8"))
NAMES = sorted(name for name in EXPECTED if name != "about")
PREFIX = re.compile(r" date \d{4}-\d{2}-\d{2} ")


def kept_line_numbers(text: str, spans) -> set[int]:
    """1-based numbers of the physical lines that a body span overlaps."""
    kept, pos = set(), 0
    for number, line in enumerate(text.split("\n"), start=1):
        if any(s < pos + len(line) and e > pos for s, e in spans):
            kept.add(number)
        pos += len(line) + 1
    return kept


def check(text: str, source_of, expected: dict) -> None:
    """source_of(physical line number) -> the case's line number it comes from."""
    start = m.end() if (m := PREFIX.match(text)) else 0
    split = split_document(text, start)
    kept = {source_of(n) for n in kept_line_numbers(text, split.body_spans)}
    body, optional = set(expected["body"]), set(expected["optional"])
    original = (CASES / expected["_name"]).read_text(encoding="utf-8").split("\n")
    furniture = {n for n, line in enumerate(original, 1) if line.strip()} - body - optional
    assert sorted(body - kept) == [], "article lines dropped"
    assert sorted(kept & furniture) == [], "furniture kept"
    headline = PREFIX.sub("", original[expected["title_line"] - 1]).strip()
    assert split.title == headline
    assert split.body_flag is None


@pytest.mark.parametrize("name", NAMES)
def test_case_page(name):
    text = (CASES / name).read_text(encoding="utf-8")
    check(text, lambda n: n, {**EXPECTED[name], "_name": name})


@pytest.mark.parametrize("name", NAMES)
def test_case_page_hard_wrapped(name):
    wrapped = wrap_document(name, (CASES / name).read_text(encoding="utf-8"))
    assert wrapped.text.count("\n") > (CASES / name).read_text().count("\n")  # it did wrap
    check(wrapped.text, lambda n: wrapped.line_source[n - 1] + 1, {**EXPECTED[name], "_name": name})
