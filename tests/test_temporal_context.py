"""Context checks (transforms/temporal/context.py): ``is_bound_or_comparison`` decides most
positions with the string pre-check ``may_be_bound`` and gives exactly what the reference, the
``_NOT_REFERENCE`` search over the 24 characters before the position, gives: at every position
of real pages, of rule examples and of word salad made of the pattern's words, odd white space
and letters that IGNORECASE folds to ASCII ones ("ſ", "ı", the Kelvin sign). The compiled form the
tagger asks (``Context.bound_or_comparison``: transforms/native/_dates.pyx ``Bound``) is checked
the same way, and its pre-check against ``may_be_bound`` itself."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests import realtexts
from transforms.native import load
from transforms.temporal.context import (
    _IN_BEFORE,
    _NOT_REFERENCE,
    _NOT_REFERENCE_ENDS,
    BOUND_WINDOW,
    Context,
    _is_bound_reference,
    may_be_bound,
)
from transforms.temporal.grammar import RULES_DIR, load_grammar, load_yaml

VOCAB = load_grammar(RULES_DIR).vocab
CHECKS = Context(VOCAB)
PY_CHECKS = Context(VOCAB, native=False)
NATIVE = load("dates")
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
            assert CHECKS.bound_or_comparison(text, start) == want, (text, start)
            assert PY_CHECKS.bound_or_comparison(text, start) == want, (text, start)
            checked += 1
            found += want
    assert found > 1000 and checked > found  # both answers were tried


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS + _SEPARATORS), max_size=16), st.integers(0, 80))
def test_bound_or_comparison_on_salad(parts: list[str], cut: int) -> None:
    text = "".join(parts)
    start = min(cut, len(text))
    assert CHECKS.is_bound_or_comparison(text, start) == _reference(text, start)
    assert CHECKS.bound_or_comparison(text, start) == _reference(text, start)


def test_compiled_pre_check_is_may_be_bound() -> None:
    """Bound's pre-check gives may_be_bound's answer at every position (not only where the
    search then decides), and a start past either end of the text reads as the reference."""
    if NATIVE is None:
        return  # no build: test_native.py fails on a machine that could have built it
    bound = NATIVE.Bound(
        BOUND_WINDOW, _NOT_REFERENCE.search, _is_bound_reference, _NOT_REFERENCE_ENDS, _IN_BEFORE
    )
    for text in _salad(2000, seed=5) + list(realtexts.pages())[:20]:
        for start in range(len(text) + 1):
            before = text[max(0, start - BOUND_WINDOW) : start]
            assert bound.may_be_bound(text, start) == may_be_bound(before), (text, start)
    for text, start in (("since 2003", 40), ("in 1998", -3), ("", 0), ("", 5)):
        assert bound.check(text, start) == _reference(text, start)
