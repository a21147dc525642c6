"""Clause tense (transforms/temporal/tense.py): the fast path on the lowercased text (separator
instead of look-behind, pre-checks on the word before a cue, early exits) gives exactly what the
reference reading on the text itself gives, for every word of real and random text taken as a
date, and for every window of cues (the fast path gives each cue's text lowercased)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from transforms.temporal.context import CASE_FOLD_EXTRAS
from transforms.temporal.grammar import RULES_DIR, load_yaml
from transforms.temporal.tagger import DateTagger, _same_length_lower
from transforms.temporal.tense import _LAST_CLAUSE_END, last_clause_end

ROOT = Path(__file__).resolve().parents[1]
TAGGER = DateTagger()
CUES = TAGGER.checks.tenses


def _real_texts() -> list[str]:
    rules = load_yaml(sorted(RULES_DIR.glob("dates*.yaml")))["rules"]
    texts = [ex["text"] for rule in rules for ex in rule.get("examples") or ()]
    return texts + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def _random_texts(n: int, seed: int = 17) -> list[str]:
    """Word salad of tense cues, the words the pre-checks look at, -ed words, dates and the
    punctuation that ends clauses, in mixed case."""
    vocab = TAGGER.grammar.vocab
    words = sorted(
        {str(w) for key in ("future_cues", "past_cues", "present_cues") for w in vocab[key]}
        | {"is", "are", "being", "the", "a", "its", "still", "newly", "had", "been", "long",
           "already", "it's", "they're", "expected", "delayed", "hundred", "need", "United",
           "May", "may", "Monday", "June 3", "2019", "to", "that", "which", "(the", "x-had"}
    )  # fmt: skip
    seps = [" ", " ", "  ", ", ", ". ", ".\n", "\n", "; ", ": ", '"', "\u201c", "''", "``", "-"]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(5, 60)):
            word = rng.choice(words)
            if rng.random() < 0.2:
                word = word.capitalize() if rng.random() < 0.7 else word.upper()
            parts.append(word + rng.choice(seps))
        out.append("".join(parts))
    return out


TEXTS = [
    t
    for t in _real_texts() + _random_texts(300)
    if len(_same_length_lower(t)) == len(t) and not any(ch in t for ch in CASE_FOLD_EXTRAS)
]


def _words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+", text)]


@pytest.mark.parametrize("part", range(4))
def test_fast_tense_is_the_reference_tense_for_every_word(part: int) -> None:
    bad = []
    for text in TEXTS[part::4]:
        lower = _same_length_lower(text)
        for start, end in _words(text):
            fast = CUES.tense(text, start, end, lower)
            reference = CUES.tense(text, start, end)
            if fast != reference:
                bad.append((text[max(0, start - 40) : end + 40], text[start:end], fast, reference))
    assert not bad, bad[:5]


def test_cues_of_every_window_are_the_reference_cues() -> None:
    bad = []
    for text in TEXTS[::3]:
        lower = _same_length_lower(text)
        cuts = sorted({0, len(text), *(s for s, _ in _words(text)), *(e for _, e in _words(text))})
        for i, a in enumerate(cuts):
            for b in cuts[i + 1 : i + 6]:
                fast = list(CUES.cues_in(text, lower, a, b))
                reference = [(s, e, k, w.lower()) for s, e, k, w in CUES.cues_in(text, None, a, b)]
                if fast != reference:
                    bad.append((text[a:b], fast, reference))
    assert not bad, bad[:5]


def test_last_clause_end_is_the_greedy_regex_match() -> None:
    rng = random.Random(5)
    marks = [". ", ".", "!\n", "?", ";", ": ", "\n", "\n\n", '"', "\u201c", "\u201d", "'", "''",
             "'''", "`", "``", " ", "a", "3.5", "U.S. ", "\u00a0"]  # fmt: skip
    salad = ["".join(rng.choice(marks) for _ in range(rng.randint(1, 30))) for _ in range(400)]
    bad = []
    for text in TEXTS[::7] + salad:
        for b in range(len(text) + 1):
            for a in {0, max(0, b - 1), max(0, b - 5), max(0, b - 30), max(0, b - 90)}:
                m = _LAST_CLAUSE_END.match(text, a, b)
                want = None if m is None else m.end()
                if last_clause_end(text, a, b) != want:
                    bad.append((text[a:b], want))
    assert not bad, bad[:5]


@pytest.mark.parametrize(
    ("text", "expr", "tense"),
    [
        ("The shipment is expected on Monday.", "Monday", "present"),
        ("A delayed shipment arrives on Monday.", "Monday", "none"),
        ("The shipment was delayed until Monday.", "Monday", "past"),
        ("The probe had been due to land on Thursday.", "Thursday", "past"),
        ("The probe is due to land on Thursday.", "Thursday", "future"),
        ("On Monday, officials said the plan had failed.", "Monday", "past"),
        ("The vote will take place on 3 June.", "3 June", "future"),
    ],
)
def test_tense_of_a_clause(text: str, expr: str, tense: str) -> None:
    start = text.index(expr)
    end = start + len(expr)
    assert CUES.tense(text, start, end, _same_length_lower(text)) == tense
    assert CUES.tense(text, start, end) == tense
