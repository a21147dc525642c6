"""Every example of every rule in transforms/temporal/rules/dates*.yaml, run through DateTagger."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.temporal.grammar import RULES_DIR, load_yaml
from transforms.temporal.tagger import DateTagger

TAGGER = DateTagger()
RULES = load_yaml(sorted(RULES_DIR.glob("dates*.yaml")))["rules"]
EXAMPLES = [
    pytest.param(rule["id"], ex, id=f"{rule['id']}:{ex['text']}")
    for rule in RULES
    for ex in rule.get("examples") or []
]


def _anchor(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def test_every_rule_has_examples() -> None:
    assert all(rule.get("examples") for rule in RULES)


@pytest.mark.parametrize(("rule_id", "example"), EXAMPLES)
def test_rule_example(rule_id: str, example: dict) -> None:
    mentions, rejected = TAGGER.tag(example["text"], _anchor(example["anchor"]))
    if "reject" in example:
        hits = [r for r in rejected if r.text == example["match"]]
        assert hits, (rejected, mentions)
        assert hits[0].reason == example["reject"]
        assert not [m for m in mentions if m.text == example["match"]]
        return
    hits = [m for m in mentions if m.text == example["match"]]
    assert hits, (mentions, rejected)
    assert hits[0].rule == rule_id
    assert hits[0].value == str(example["value"])


def test_first_char_dispatch_is_active() -> None:
    """The grammar is dispatched on a candidate's first character, computed with Python's
    internal regex parser (re._parser). If a Python upgrade changes that module, tagging stays
    correct but ~3x slower: this test fails so that transforms/textscan/firsts.py is updated."""
    from transforms.temporal.grammar import ANY, first_chars

    assert first_chars(r"(?:jan|Feb)\.? (?P<day>\d+)") == {"j", "f"}
    assert first_chars(r"(?:the )?(?P<y>19\d\d)") == {"t", "1"}
    assert first_chars(r"(?:early )?\s*x") is ANY
    assert first_chars(r"a?") is ANY  # may match the empty string
    grammar = TAGGER.grammar
    assert grammar.by_first, "first-character dispatch is off"
    assert len(grammar.by_first["j"].pattern) < len(grammar.pattern.pattern) / 2


def test_without_the_regex_parser_results_are_the_same(monkeypatch) -> None:
    import transforms.textscan.firsts as regex_firsts

    monkeypatch.setattr(regex_firsts, "regex_parser", lambda: None)
    slow = DateTagger()
    assert not slow.grammar.by_first
    text = "On Tuesday, Oct. 27, 2020 it rose 3% from 2019; last week it fell. Call 202-555-2014."
    anchor = dt.date(2020, 10, 28)
    assert slow.tag(text, anchor) == TAGGER.tag(text, anchor)
