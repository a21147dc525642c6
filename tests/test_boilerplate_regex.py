"""The vocabulary's fast pre-checks (transforms/textscan/literals.py) never change a result:
first-character analysis, the trigger trie, and the dispatched vocabulary against a plain
rule-by-rule loop on real lines."""

import re
from pathlib import Path

import pytest

from transforms.boilerplate.lineview import LineView
from transforms.boilerplate.vocab import Vocabulary
from transforms.textscan.firsts import first_chars
from transforms.textscan.literals import AnyOf, FirstCharDispatch, literal_union

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


def test_last_chars_for_patterns_that_may_start_anywhere():
    assert first_chars(r".{0,40} in a new (window|tab)") is None
    assert "".join(sorted(first_chars(r".{0,40} in a new (window|tab)", last=True))) == "BWbw"
    assert first_chars(r"news(letters?)?\s*", last=True) is None  # may end with any space


def test_literal_union_finds_every_word_and_nothing_else():
    words = ["sign up", "send", "subscri", "tip", "/", "(c)"]
    union = re.compile(literal_union(words))
    for word in words:
        assert union.search(f"xx {word} yy")
    assert union.search("nothing here") is None
    assert union.search("multiple") is not None  # a substring counts, like the triggers


def test_literal_union_longest_matches_the_longest_word():
    words = frozenset({"sign", "sign up", "mon", "monday", "x"})
    shortest = re.compile(literal_union(words))
    longest = re.compile(literal_union(words, longest=True))
    cases = [
        ("sign up now", "sign up", "sign"),
        ("monday", "monday", "mon"),
        ("mon.", "mon", "mon"),
    ]
    for text, long_match, short_match in cases:
        assert longest.match(text).group() == long_match
        assert shortest.match(text).group() == short_match
    assert literal_union(words, longest=True) == r"(?:mon(?:day)?|sign(?:\ up)?|x)"


def test_dispatch_returns_the_first_pattern_in_order():
    patterns = [r"related( articles)?", r"rel\w+", r"\d+ comments", r"comments"]
    dispatch = FirstCharDispatch(patterns)
    assert dispatch.first("Related articles", whole=True) == 0
    assert dispatch.first("Relevant", whole=True) == 1
    assert dispatch.first("12 Comments", whole=True) == 2
    assert dispatch.first("comments", whole=True) == 3
    assert dispatch.first("No match", whole=True) is None
    assert dispatch.first("related stuff", whole=False) == 0
    floating = FirstCharDispatch([r"x+", r".{0,20} in a new window", r"\w+ news"])
    assert floating.first("Opens in a new window", whole=True) == 1
    assert floating.first("xx in a new window", whole=True) == 1
    assert floating.first("xxx", whole=True) == 0
    assert floating.first("World news", whole=True) == 2
    assert floating.first("World news today", whole=False) == 2
    assert floating.first("World views", whole=True) is None


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


def test_any_of_regroups_anchors_only_when_they_apply_to_the_whole_pattern():
    any_of = AnyOf([r"^photo:", r"\bvia (ap|afp)\b", r"\bfoo|bar", r"\(credit\)$"])
    assert any_of.at_start is not None and any_of.at_word is not None
    assert len(any_of.others) == 2  # "\bfoo|bar": the \b belongs to "foo" only
    assert any_of.search("Photo: Jane Doe")
    assert not any_of.search("A photo: Jane Doe")
    assert any_of.search("Soldiers on patrol, via AFP")
    assert any_of.search("crowbar")  # "bar" needs no word boundary
    assert not any_of.search("seafood")
    assert any_of.search("A street (Credit)")


def test_any_of_equals_searching_the_rule_expression():
    lines = _lines()
    for rule in VOCAB.rules:
        if rule.match == "contains":
            for line in lines:
                assert rule.any_of.search(line) == (rule.regex.search(line) is not None), line


def test_contains_rules_need_triggers():
    with pytest.raises(ValueError, match="triggers"):
        rule = next(r for r in VOCAB.rules if r.match == "contains")
        Vocabulary((rule.__class__(**{**rule.__dict__, "triggers": ()}),))


def test_without_the_regex_parser_the_vocabulary_matches_the_same(monkeypatch):
    """No re._parser (a future Python): no dispatch, no regrouping, the same hits."""
    from transforms.boilerplate.vocab import Vocabulary
    from transforms.textscan import firsts as regex_firsts

    fast = Vocabulary.load()
    monkeypatch.setattr(regex_firsts, "regex_parser", lambda: None)
    slow = Vocabulary.load()
    lines = [ex for r in fast.rules for ex in (*r.examples, *r.counter_examples)]
    assert [slow.match(line) for line in lines] == [fast.match(line) for line in lines]
