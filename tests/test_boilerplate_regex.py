"""The vocabulary's fast pre-checks (transforms/boilerplate_regex.py) never change a result:
first-character analysis, the trigger trie, and the dispatched vocabulary against a plain
rule-by-rule loop on real lines."""

import re
from pathlib import Path

import pytest

from transforms.boilerplate_regex import FirstCharDispatch, first_chars, literal_union
from transforms.boilerplate_vocab import LineView, Vocabulary

ROOT = Path(__file__).resolve().parent.parent
VOCAB = Vocabulary.load()


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(read|watch) next", "RWrw"),
        (r"\(?\d*\)? ?comments?", " ()0123456789Cc"),
        (r"^[A-C]x", "ABCabc"),
        (r"(?<!a)bc", "Bb"),
        ("\u212ax", "Kk"),  # the Kelvin sign matches "k" when case is ignored
    ],
)
def test_first_chars(pattern, expected):
    assert "".join(sorted(first_chars(pattern))) == expected


@pytest.mark.parametrize("pattern", [r".*x", r"x?", r"\s*foo", r"[^a]b", r"\w+ news", r"(a|.)b"])
def test_first_chars_gives_up_when_unsure(pattern):
    assert first_chars(pattern) is None


def test_literal_union_finds_every_word_and_nothing_else():
    words = ["sign up", "send", "subscri", "tip", "/", "(c)"]
    union = re.compile(literal_union(words))
    for word in words:
        assert union.search(f"xx {word} yy")
    assert union.search("nothing here") is None
    assert union.search("multiple") is not None  # a substring counts, like the triggers


def test_dispatch_returns_the_first_pattern_in_order():
    patterns = [r"related( articles)?", r"rel\w+", r"\d+ comments", r"comments"]
    dispatch = FirstCharDispatch(patterns)
    assert dispatch.first("Related articles", whole=True) == 0
    assert dispatch.first("Relevant", whole=True) == 1
    assert dispatch.first("12 Comments", whole=True) == 2
    assert dispatch.first("comments", whole=True) == 3
    assert dispatch.first("No match", whole=True) is None
    assert dispatch.first("related stuff", whole=False) == 0


def _lines() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/golden").glob("*.txt"))]
    examples = [ex for r in VOCAB.rules for ex in (*r.examples, *r.counter_examples)]
    return [ln.strip() for t in texts for ln in t.split("\n") if ln.strip()] + examples


def test_vocabulary_match_equals_the_plain_rule_loop():
    for line in _lines():
        view = LineView.of(line)
        plain = next((r.hit for r in VOCAB.rules if r.matches_view(view)), None)
        assert VOCAB.match(line) == plain, line


def test_contains_rules_need_triggers():
    with pytest.raises(ValueError, match="triggers"):
        rule = next(r for r in VOCAB.rules if r.match == "contains")
        Vocabulary((rule.__class__(**{**rule.__dict__, "triggers": ()}),))
