"""The boilerplate vocabulary's own examples: every rule matches its examples, and no rule of
the whole vocabulary matches a counter-example (article lines that look a bit like furniture)."""

import pytest

from transforms.boilerplate.lineview import clean_for_match
from transforms.boilerplate.splitter import REASONS
from transforms.boilerplate.vocab import Vocabulary, load_stopwords

VOCAB = Vocabulary.load()
EXAMPLES = [(r.name, ex) for r in VOCAB.rules for ex in r.examples]
COUNTER = [(r.name, ex) for r in VOCAB.rules for ex in r.counter_examples]


def test_every_rule_has_examples_and_a_known_reason():
    names = [r.name for r in VOCAB.rules]
    assert len(names) == len(set(names))
    for rule in VOCAB.rules:
        assert rule.examples, rule.name
        assert rule.reason in REASONS, rule.name


@pytest.mark.parametrize(("name", "line"), EXAMPLES)
def test_rule_matches_its_examples(name, line):
    rule = next(r for r in VOCAB.rules if r.name == name)
    assert rule.matches(line), f"{name} should match {line!r}"


@pytest.mark.parametrize(("name", "line"), COUNTER)
def test_no_rule_matches_counter_examples(name, line):
    assert VOCAB.match(line) is None, f"{VOCAB.match(line)} matched {line!r}"


def test_clean_for_match_strips_bullets_brackets_and_trailing_punctuation():
    assert clean_for_match("  • Related Articles:") == "Related Articles"
    assert clean_for_match("[ 167 comments ]") == "167 comments"


def test_long_lines_do_not_match_short_rules():
    line = "Share " + "the news with everyone you know, said the minister on Tuesday. " * 3
    assert VOCAB.match(line) is None


def test_stopwords_cover_several_languages():
    words = load_stopwords()
    for word in ("the", "der", "les", "los", "não", "yang", "который"):
        assert word in words


def test_combined_match_agrees_with_the_rules_one_by_one():
    """Vocabulary.match (combined first-character dispatch, trigger bands by line length) finds
    the same first rule as asking every rule in file order, for every example and
    counter-example, and for each padded to lengths around the rules' max_chars."""
    lines = [line for _, line in EXAMPLES + COUNTER]
    for rule in VOCAB.rules:
        for line in rule.examples:
            for length in (rule.max_chars - 1, rule.max_chars, rule.max_chars + 1):
                if length > len(line):
                    lines.append(line + " " + "x" * (length - len(line) - 1))
    for line in lines:
        slow = next((r.hit for r in VOCAB.rules if r.matches(line)), None)
        assert VOCAB.match(line) == slow, line


def test_the_c_yaml_loader_reads_the_vocabulary_as_the_python_one_does():
    import yaml

    from transforms.boilerplate.vocab import SAFE_LOADER, VOCAB_FILE

    text = VOCAB_FILE.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=SAFE_LOADER) == yaml.safe_load(text)
