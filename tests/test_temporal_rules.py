"""Every example of every rule in transforms/rules/dates*.yaml, run through DateTagger."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.temporal import DateTagger
from transforms.temporal_grammar import RULES_DIR, load_yaml

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
