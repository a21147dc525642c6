"""transforms/textscan/ignorecase.py: a case-insensitive regex compiled with its alternatives'
first letters as case-sensitive classes matches exactly what re.compile(..., re.IGNORECASE)
matches (the date grammar compiles every form of itself with it)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.realtexts import pages, random_texts
from transforms.temporal import grammar as grammar_module
from transforms.temporal.grammar import load_grammar
from transforms.temporal.tagger import DateTagger
from transforms.textscan import ignorecase
from transforms.textscan.ignorecase import IGNORECASE_CLASSES, compile_ignorecase


def _every_code_point() -> str:
    return "".join(map(chr, range(0x110000)))


def test_each_class_holds_exactly_what_the_ignorecase_letter_matches() -> None:
    everything = _every_code_point()
    for letter, chars in IGNORECASE_CLASSES.items():
        matched = set(re.findall("(?i)" + letter, everything))
        assert matched == set(chars), letter
        assert set(re.findall("(?i)" + letter.upper(), everything)) == set(chars), letter


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.regs == b.regs and a.lastgroup == b.lastgroup and a.lastindex == b.lastindex


def _both(pattern: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    fast, plain = compile_ignorecase(pattern), re.compile(pattern, re.IGNORECASE)
    assert (fast.pattern, fast.flags, fast.groups, fast.groupindex) == (
        plain.pattern,
        plain.flags,
        plain.groups,
        plain.groupindex,
    )
    return fast, plain


def test_a_case_sensitive_group_stays_case_sensitive() -> None:
    fast, plain = _both(r"(?:about|(?-i:Q)|k|(?P<m>sept|mar)|(?-i:x(?i:y|z)))!")
    for text in ("ABOUT!", "q!", "Q!", "\u212a!", "\u017fept!", "MAR!", "xY!", "XY!", "xz!"):
        assert _same(fast.match(text), plain.match(text)), text
    assert fast.match("q!") is None and fast.match("XY!") is None


def test_each_rewritten_class_matches_exactly_its_characters() -> None:
    everything = _every_code_point()
    for letter, chars in IGNORECASE_CLASSES.items():
        # four alternatives: the rewrite applies (MIN_ALTERNATIVES); the other three never
        # occur in the code points in increasing order
        fast, plain = _both(f"(?:{letter}|\x02\x01|\x03\x02|\x04\x03)")
        assert fast != plain, "the rewrite did not apply"
        assert set(fast.findall(everything)) == set(chars), letter


def test_without_the_internals_it_is_re_compile(monkeypatch) -> None:
    monkeypatch.setattr(ignorecase, "_internals", lambda: None)
    compile_ignorecase.cache_clear()
    try:
        fast, plain = _both("about|around|nearly|almost")
        assert fast == plain
    finally:
        compile_ignorecase.cache_clear()


_WORDS = (
    "about", "around", "the", "The", "first", "Sept", "SEPT", "\u017fept", "March", "may",
    "May", "K", "\u212a", "\u0130", "\u0131", "ı", "i", "year", "years", "ago", "days", "later",
    "last", "next", "this", "week", "Monday", "1990", "15", "3.5", "'80s", "mid", "early", "of",
    "in", "more", "than", "$", "%", "a", "an", "one", "two", "half", "Q3", "fiscal", "quarter",
    "noon", "p.m.", "am", "-", ",", ".", " ", "  ", "\n", "\u00a0",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12))
def test_the_whole_grammar_matches_the_same_at_every_position(words: list[str]) -> None:
    fast, plain = _full_grammar()
    text = " ".join(words)
    for pos in range(len(text)):
        assert _same(fast.match(text, pos), plain.match(text, pos)), (text, pos)


_CACHE: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _full_grammar() -> tuple[re.Pattern[str], re.Pattern[str]]:
    if "full" not in _CACHE:
        _CACHE["full"] = _both(load_grammar().pattern.pattern)
    return _CACHE["full"]


def test_the_whole_grammar_matches_the_same_on_real_and_random_text() -> None:
    fast, plain = _full_grammar()
    texts = list(pages()[:40]) + random_texts()
    for text in texts:
        for pos in range(len(text)):
            if pos and text[pos - 1].isalnum():
                continue  # the grammar's left guard fails inside a word
            assert _same(fast.match(text, pos), plain.match(text, pos)), (text[pos : pos + 40],)


@pytest.fixture(scope="module")
def plain_tagger() -> DateTagger:
    """A tagger whose grammar (combined and every dispatched form) is re.compile's."""
    saved = grammar_module.compile_ignorecase
    grammar_module.compile_ignorecase = _plain
    try:
        tagger = DateTagger()
    finally:
        grammar_module.compile_ignorecase = saved
    words = tagger.grammar.words
    assert words is not None
    # the forms compiled later, on first use (dispatch.WordDispatch), too
    words._combine = lambda branches: _plain(
        grammar_module._LEFT_GUARD + "(?:" + "|".join(branches) + ")"
    )
    return tagger


def _plain(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def test_the_tagger_tags_the_same_with_either_compilation(plain_tagger: DateTagger) -> None:
    fast = DateTagger()
    for text in list(pages()) + random_texts():
        anchor = None
        assert fast.scan_document(text) == plain_tagger.scan_document(text)
        assert fast.tag(text, anchor) == plain_tagger.tag(text, anchor)
