"""The tagger's shortcuts (first-word dispatch, tense cues on the lowercased text) must give
exactly the results of the plain grammar and the IGNORECASE cue regex."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from transforms.temporal.context import CASE_FOLD_EXTRAS
from transforms.temporal.grammar import RULES_DIR, load_yaml
from transforms.temporal.tagger import DateTagger
from transforms.textscan import firsts as regex_firsts
from transforms.textscan.firsts import (
    FirstWords,
    after_space_key,
    first_phrases,
    first_shapes,
    first_words,
)
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
    assert not found.allows("the ", "the")  # a digit, a sign or the end after "the "
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


def test_first_phrases_read_a_digit_run_or_a_sign_after_the_space() -> None:
    decade = first_phrases(r"(?:the )?(?:1[5-9]\d0|20\d0)'?s(?!\w)|the '\d0s")
    assert decade is not None
    assert decade.allows("the DDDDs", "the") and decade.allows("the DDDD'", "the")
    assert decade.allows("the '", "the")
    assert not decade.allows("the DDDD ", "the") and not decade.allows("the DDD,", "the")
    assert not decade.allows("the $", "the") and not decade.allows("the DDDDD", "the")
    # the key without a shape (the end of the span, a character not read) allows any shape
    assert decade.allows("the ", "the")
    # \s after the run: any white space; the run capped at MAX_SHAPE_DIGITS
    count = first_phrases(r"the \d{6}\s+days")
    assert count is not None and count.allows("the DDDDD ", "the")
    assert count.allows("the DDDDD\t", "the") and not count.allows("the DDDD ", "the")
    # a run or a space that a look-ahead ends, or the end of the pattern: any shape
    assert first_phrases(r"the \d+(?!\w)").allows("the DDs", "the")
    assert first_phrases(r"the (?!\w)").allows("the $", "the")
    assert first_phrases(r"the \d").allows("the DDDDD-", "the")
    assert first_phrases(r"the(?!\w)").allows("the $", "the")
    # a sign right after the space; other white space reads as one (shape_char)
    money = first_phrases(r"the [$\u20ac]\d+|the\s\s+\d")
    assert money is not None and money.allows("the $", "the")
    assert money.allows("the  ", "the") and money.allows("the \t", "the")
    assert not money.allows("the D ", "the") and not money.allows("the -", "the")


def test_after_space_key_reads_ascii_only() -> None:
    text = "the 1998 the 1990s the 1234567, the $2 the 25\u212a the 25\u017f the \u0663 the 19"
    lower = text.lower()  # the Kelvin sign lowercases to "k"
    keys = [after_space_key(lower, m.end(), len(text)) for m in re.finditer("the ", lower)]
    assert keys == ["DDDD ", "DDDDs", "DDDDD,", "$", "DDk", None, None, "DD"]
    assert after_space_key("the \n1", 4, 6) == "\t" and after_space_key("the 1\x1c", 4, 6) == "D\t"
    assert after_space_key("the 12", 4, 5) == "D"  # the span ends inside the run


def test_shapes_after_the_space_pick_fewer_rules_than_the_phrase() -> None:
    dispatch = TAGGER.grammar.words
    assert dispatch is not None
    the = dispatch.for_phrase("the ")
    year = dispatch.for_phrase("the DDDD ")  # "the 1998 elections"
    decade = dispatch.for_phrase("the DDDDs")  # "the 1990s"
    assert the is not None and year is not None and decade is not None
    assert year.groups < the.groups and decade.groups < the.groups
    assert dispatch.for_phrase("the $") is None  # "the $2 million": no rule
    assert dispatch.for_phrase("the DDDD,") is None  # "the 1998, ..."
    assert dispatch.for_phrase("the $") is dispatch.by_phrase["the $"]  # remembered


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
        "3 weeks-long, 20 yearsſ, 6 \u0130nches, 2 ı days, 1990 s, 8 \u00e9t\u00e9, 9\tdays. "
        "The 1998 elections, the $2 million, the 1990s and the '90s, the 2nd of May, the 15th "
        "century, the  1990s, THE 5 p.m. train, the 1990\u212a, the 199ſ, the \u0663\u0660s, "
        "the\t1990s, the 12\tdays, the 1234567 days, the 3rd quarter, the 2014-15 season, the "
        "4Q, the -5, the (1998) about 300, about $5, about 25 years ago, a 3 to the 10 the "
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


# Random text around the phrase dispatch's after-space shapes: units of a first word of a
# rule, white space, a number or sign, what may follow a number, and a word, in random order
# and case; letters that fold to ASCII ones and other scripts' digits among them.
_UNIT = st.tuples(
    st.sampled_from(["the", "The", "THE", "about", "a", "in", "the first", "", "x"]),
    st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0", "\n", ""]),
    st.sampled_from(["1998", "1990", "2", "25", "123456", "'90", "'", "$2", "\u20ac5", "\u0663",
                     "\u00b2", "15", "3", "(", "-5", "2014-15", "", "May"]),
    st.sampled_from(["", "s", "th", "nd", "'s", ",", ".", " ", "-", "\u212a", "\u017f", "\u0131",
                     "\t", ":30", "am"]),
    st.sampled_from(["", " elections", " century", " March", " years ago", " million",
                     " quarter", " p.m.", " days", " early", "\u212aelvin", " nineties"]),
    st.sampled_from([" ", ", ", ". ", "", "\n"]),
).map("".join)  # fmt: skip


@functools.cache
def _plain_tagger() -> DateTagger:
    """The tagger without any dispatch (every rule tried at every candidate position)."""
    with mock.patch.object(regex_firsts, "regex_parser", lambda: None):
        return DateTagger()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_UNIT, min_size=1, max_size=12).map("".join))
@example("the 1998 the  \u0663 century ")  # found by CI: another script's digit starts a rule
def test_phrase_shapes_give_the_results_of_the_full_grammar_on_random_text(text) -> None:
    anchor = dt.date(2020, 10, 27)
    assert TAGGER.tag(text, anchor) == _plain_tagger().tag(text, anchor)
    lower = TAGGER.dispatch.lower(text)
    # the compiled candidate loop (when built) reads the same keys as the Python one
    assert list(TAGGER._candidates(text, lower, 0, len(text))) == list(
        TAGGER._scan_candidates(text, lower, 0, len(text))
    )


def test_another_scripts_digits_start_the_digit_rules() -> None:
    # \d matches every Unicode decimal digit; the first-character table lists ASCII ones only
    anchor = dt.date(2020, 10, 27)
    for text in ["\u0663 century ago", "x \u0663 years ago", "\u0661\u0669\u0669\u0668 and 1998"]:
        got = TAGGER.tag(text, anchor)
        assert got == _plain_tagger().tag(text, anchor)
        assert got[0], text
    assert TAGGER.grammar.for_char("\u0663") is TAGGER.grammar.other_digit
    assert TAGGER.grammar.other_digit.groups > TAGGER.grammar.fallback.groups


def test_the_compiled_loop_asks_the_phrase_keys_of_the_python_loop() -> None:
    fast, slow = DateTagger(), DateTagger()
    if fast.dispatch.native is None:
        return  # no build: one loop
    for text in _texts():
        lower = fast.dispatch.lower(text)
        list(fast._candidates(text, lower, 0, len(text)))
        list(slow._scan_candidates(text, lower, 0, len(text)))
    assert set(fast.grammar.words.by_phrase) == set(slow.grammar.words.by_phrase)
    assert any(key.startswith("the D") for key in fast.grammar.words.by_phrase)
