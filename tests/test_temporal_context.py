"""Context checks (transforms/temporal/context.py): ``is_bound_or_comparison`` decides most
positions with the string pre-check ``may_be_bound`` and gives exactly what the reference, the
``_NOT_REFERENCE`` search over the 24 characters before the position, gives: at every position
of real pages, of rule examples and of word salad made of the pattern's words, odd white space
and letters that IGNORECASE folds to ASCII ones ("ſ", "ı", the Kelvin sign)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests import realtexts
from transforms.temporal.context import _NOT_REFERENCE, Context
from transforms.temporal.grammar import RULES_DIR, load_grammar, load_yaml

CHECKS = Context(load_grammar(RULES_DIR).vocab)
# The pattern's words, near misses, and characters that fold or space differently.
_WORDS = (
    "since", "Since", "SINCE", "ever", "as", "in", "In", "than", "unlike", "like", "compared",
    "with", "to", "versus", "vs", "vs.", "VS.", "the", "The", "thee", "sin", "ſince", "ſınce",
    "tın", "aſ", "\u212aince", "x", "2003", "March", "(since", "-in", "_in", "théâtre", "in\u0130",
)  # fmt: skip
_SEPARATORS = (" ", " ", "  ", "\n", "\t", "\u00a0", "\u2009", "\u3000", "", ",", ".")


def _reference(text: str, start: int) -> bool:
    return _NOT_REFERENCE.search(text, max(0, start - 24), start) is not None


def _salad(n: int, seed: int = 23) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(_WORDS) + rng.choice(_SEPARATORS) for _ in range(rng.randint(1, 12)))
        for _ in range(n)
    ]


def _texts() -> list[str]:
    rules = load_yaml(sorted(RULES_DIR.glob("dates*.yaml")))["rules"]
    examples = [ex["text"] for rule in rules for ex in rule.get("examples") or ()]
    return examples + list(realtexts.pages()) + realtexts.random_texts() + _salad(3000)


def test_bound_or_comparison_is_the_reference_search_at_every_position() -> None:
    checked = found = 0
    for text in _texts():
        for start in range(len(text) + 1):
            if start % 5 and not text[start - 1].isspace():
                continue  # the pattern ends in white space: every such position, a fifth of others
            want = _reference(text, start)
            assert CHECKS.is_bound_or_comparison(text, start) == want, (text, start)
            checked += 1
            found += want
    assert found > 1000 and checked > found  # both answers were tried


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS + _SEPARATORS), max_size=16), st.integers(0, 80))
def test_bound_or_comparison_on_salad(parts: list[str], cut: int) -> None:
    text = "".join(parts)
    start = min(cut, len(text))
    assert CHECKS.is_bound_or_comparison(text, start) == _reference(text, start)
