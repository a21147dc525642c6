"""The tagger's shortcuts (first-word dispatch, tense cues on the lowercased text) must give
exactly the results of the plain grammar and the IGNORECASE cue regex."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from transforms.temporal.context import CASE_FOLD_EXTRAS
from transforms.temporal.grammar import RULES_DIR, load_yaml
from transforms.temporal.tagger import DateTagger
from transforms.textscan import firsts as regex_firsts
from transforms.textscan.firsts import FirstWords, first_words

ROOT = Path(__file__).resolve().parents[1]
TAGGER = DateTagger()


def words(pattern: str) -> FirstWords | None:
    return first_words(pattern)


def test_first_words_of_simple_patterns() -> None:
    found = words(r"(?:(?P<mod>early|late) )?(?P<w>monday|friday)(?!\w)")
    assert found is not None
    assert found.exact == {"early", "late", "monday", "friday"}
    assert not found.prefixes
    # "fiscal" may be followed directly by "year" ([- ]? is optional)
    assert words(r"fiscal[- ]?(?:year )?\d+").exact == {"fiscal", "fiscalyear"}
    # a digit or sign first: no letter word at all
    assert words(r"\$\d+").exact == {""}


def test_first_words_gives_up_on_open_letter_runs(monkeypatch) -> None:
    assert words(r"[a-z]{2,}ed") is None  # any word
    assert words(r"\w+ 2019") is None
    assert words(r"x?") is None  # may match the empty string
    monkeypatch.setattr(regex_firsts, "regex_parser", lambda: None)
    assert first_words("monday") is None  # no parser: ANY


def test_a_word_may_continue_after_a_rule_that_can_end() -> None:
    found = words(r"now")  # no (?!\w): "nowhere" starts with it
    assert found is not None and found.allows("nowhere") and found.allows("now")
    assert not found.allows("know")


def test_words_that_start_no_rule_are_skipped() -> None:
    dispatch = TAGGER.grammar.words
    assert dispatch is not None
    for word in ("of", "to", "and", "than"):
        assert dispatch.for_word(word) is None
    assert dispatch.for_word("friday") is not None
    # a word seen in text but listed by no rule is remembered (bounded), not rebuilt
    assert dispatch.for_word("zebra") is None


def _texts() -> list[str]:
    rules = load_yaml(sorted(RULES_DIR.glob("dates*.yaml")))["rules"]
    examples = " ".join(ex["text"] + "." for rule in rules for ex in rule.get("examples") or ())
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    tricky = (
        "Of the two, and then some. The nowhere man said Monday's talks, which were held "
        "Tuesday, would resume next week; UNITED said it NEEDED more. Frequently Asked "
        "questions about the 1990s, the fiscalyear 1989 and Q3 2017. Long s: ſoon, dotless "
        "ı: Frıday; Kelvin \u212aelvin. 'Til Friday, \u201cThis Week\u201d was aired."
    )
    return [examples, tricky, *seeds]


@pytest.mark.parametrize("anchor", [dt.date(2020, 10, 27), None])
def test_dispatch_gives_the_results_of_the_full_grammar(anchor, monkeypatch) -> None:
    texts = _texts()
    fast = [TAGGER.tag(t, anchor) for t in texts]
    monkeypatch.setattr(regex_firsts, "regex_parser", lambda: None)
    plain = DateTagger()
    assert plain.grammar.words is not None and not plain.grammar.by_first
    assert [plain.tag(t, anchor) for t in texts] == fast


def test_lowercase_cues_find_the_tense_of_the_ignorecase_cues() -> None:
    checks = TAGGER.checks
    for text in _texts():
        lower = text.lower()
        if len(lower) != len(text) or any(ch in text for ch in CASE_FOLD_EXTRAS):
            continue  # the tagger does not use the lowercase cues for these
        for m in re.finditer(r"\b(?:monday|friday|tuesday|today|may|june)\b", lower):
            start, end = m.span()
            assert checks.tense(text, start, end, lower) == checks.tense(text, start, end)
