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
from transforms.textscan.firsts import FirstWords, first_phrases, first_shapes, first_words
from transforms.textscan.numphrases import number_phrases

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


def test_first_phrases_read_two_words() -> None:
    found = first_phrases(r"(?:the )?(?P<ord>first|last) (?:day|week)(?!\w)")
    assert found is not None
    assert found.allows("the first", "the") and found.allows("first day", "first")
    assert found.allows("the last", "the") and not found.allows("the company", "the")
    assert not found.allows("the ", "the")  # a digit or a sign after "the "
    # a rule that ends after its first word allows any second word
    ends = first_phrases(r"now(?!\w)")
    assert ends is not None and ends.allows("now is", "now")
    # \s reads as the space; a first word ended by another sign starts no phrase
    spaced = first_phrases(r"late\s(?:may|june)|early-may")
    assert spaced is not None and spaced.allows("late may", "late")
    assert not spaced.allows("early may", "early")
    # a second word that may go on ("fiscal" then "year" with no sign between)
    open_end = first_phrases(r"the fiscal")
    assert open_end is not None and open_end.allows("the fiscalyear", "the")
    assert first_phrases(r"the \w+ day") is None  # any second word: ANY


def test_first_shapes_read_a_digit_run_and_the_character_after_it() -> None:
    year = first_shapes(r"(?:the year )?(?:1[5-9]\d\d|20\d\d)(?!\w)")
    assert year is not None
    assert year.allows("DDDD ") and year.allows("DDDD,") and year.allows("DDDD")
    assert not year.allows("DDD ") and not year.allows("D,") and not year.allows("DDDDD")
    percent = first_shapes(r"\d[\d,]*\s?(?:%|percent)")
    assert percent is not None
    assert percent.allows("D,") and percent.allows("DD%") and percent.allows("DDDDD ")
    assert percent.allows("DD\t")  # \s: any white space (shape_char)
    assert not percent.allows("DD-") and not percent.allows("DDa")
    assert first_shapes(r"\d+.") is None  # any character after the run: ANY
    assert first_shapes(r"(?:\d\d)+x").allows("DDDDDx")  # a repeat with a fixed point


def test_shapes_pick_fewer_rules_than_their_first_digit() -> None:
    dispatch = TAGGER.grammar.words
    assert dispatch is not None
    digit = TAGGER.grammar.by_first["2"]
    people = dispatch.for_shape("2,")  # "2,000 people"
    year = dispatch.for_shape("2DDD ")  # "2014 "
    assert people is not None and year is not None
    assert people.groups < digit.groups and year.groups < digit.groups
    assert dispatch.for_shape("2DDD ") is dispatch.by_shape["2DDD "]  # remembered


def test_number_phrases_read_a_digit_run_its_space_and_the_word_after() -> None:
    ago = number_phrases(r"(?P<num>\d+)\s(?P<unit>years?|months?)(?:\s+ago)?(?!\w)")
    assert ago is not None
    assert ago.allows("DD years") and ago.allows("D month") and ago.allows("DDDDD years")
    assert not ago.allows("DD cents") and not ago.allows("DD ") and not ago.allows("DD yearsx")
    # a run that a look-ahead ends (the analysis stops there): any word may follow
    assert number_phrases(r"\d+(?!\w)").allows("DD cents")
    # no space after the run: no number phrase starts with it, but "25 %" does
    percent = number_phrases(r"\d+\s?%")
    assert percent is not None and not percent.allows("DD cents") and percent.allows("DD ")
    assert number_phrases(r"\d+ \w+") is None  # any word: ANY


def test_numbers_pick_fewer_rules_than_their_shape() -> None:
    dispatch = TAGGER.grammar.words
    assert dispatch is not None
    two = dispatch.for_shape("2D ")  # "25 "
    assert two is not None
    years = dispatch.for_number("2D years")  # "25 years"
    assert years is not None and years.groups < two.groups
    cents = dispatch.for_number("2D cents")  # "25 cents": only the street-number rule, which
    assert cents is not None  # reads capitalized words (any word to the analysis), is left
    assert cents.pattern.count("(?P<R") == 1 < two.pattern.count("(?P<R")
    assert dispatch.for_number("2D cents") is dispatch.by_number["2D cents"]  # remembered


def test_phrases_pick_fewer_rules_than_their_first_word() -> None:
    dispatch = TAGGER.grammar.words
    assert dispatch is not None
    the = dispatch.for_word("the")
    assert the is not None
    assert dispatch.for_phrase("the company") is None  # no rule starts with it
    first = dispatch.for_phrase("the first")
    assert first is not None and first.groups < the.groups
    assert dispatch.for_phrase("of the") is None  # "of" starts no rule: none of its phrases
    assert dispatch.for_phrase("the company") is dispatch.by_phrase["the company"]  # remembered


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
        "ı: Frıday; Kelvin \u212aelvin. 'Til Friday, \u201cThis Week\u201d was aired. "
        "It cost 25 cents; 3 people, 400 million, 10 years ago, 5 p.m., 12 noon, 3  days, "
        "30 ſeconds, 4 \u212aELVIN, 7 YEARS later, 1,384 days, 2014 elections, 15 percent, "
        "3 weeks-long, 20 yearsſ, 6 \u0130nches, 2 ı days, 1990 s, 8 \u00e9t\u00e9, 9\tdays."
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
