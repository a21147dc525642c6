"""The trigger picker's cost: :func:`weight_vector` adds the weights of the True bool features
instead of multiplying every feature, and must choose exactly what the plain weighted sum
chooses, for the shipped weights and for any others (the eval re-tunes them)."""

from __future__ import annotations

import random
from operator import mul

import pytest

from transforms.events import trigger as et
from transforms.events.lexicon import EventLexicon
from transforms.events.tokens import analyse, date_tokens

SENTENCES = [
    ("Tuesday's vote was close, officials said on Wednesday.", "Tuesday"),
    ("Police reopened the Oct. 23 shooting case after a drone strike on July 7.", "Oct. 23"),
    ("The US said it carried out a drone strike on July 7 in Syria and left.", "July 7"),
    ("The city was quiet in 1979 when the Soviet Union invaded Afghanistan.", "1979"),
    ("Net income rose to $5 million compared with a loss in 1988, the company said.", "1988"),
    ("On Tuesday, rebels attacked the town of Kidal; the army was not there.", "Tuesday"),
    (
        "The council condemned the bombing on Thursday and called on all states to help.",
        "Thursday",
    ),  # fmt: skip
    ("Officials said the attack on Tuesday killed five people in a market explosion.", "Tuesday"),
]


@pytest.fixture(scope="module")
def candidates() -> list[list[tuple[int, tuple]]]:
    lex = EventLexicon()
    out = []
    for text, date in SENTENCES:
        start = text.index(date)
        p = analyse(lex, text, 0, len(text))
        out.append(et.features(p, *date_tokens(p, start, start + len(date)), lex))
    return out


def plain_choice(cands, weights: dict[str, float]) -> int | None:
    """The cheapest candidate by the plain weighted sum, in the order of ``weights``."""
    order = [(et.F[name], w) for name, w in weights.items() if name in et.F and w]
    best, best_cost = None, 0.0
    for k, f in cands:
        cost = sum(map(mul, [f[x] for x, _ in order], [w for _, w in order]))
        if best is None or cost < best_cost:
            best, best_cost = k, cost
    return best


def test_features_outside_not_bool_are_bools(candidates):
    for cands in candidates:
        for _, f in cands:
            for name, value in zip(et.FEATURES, f, strict=True):
                if name not in et.NOT_BOOL:
                    assert type(value) is bool, name


def test_choice_equals_plain_weighted_sum_for_any_weights(candidates):
    shipped = et.load_weights()
    rng = random.Random(17)
    trials = [shipped]
    for _ in range(200):  # random weights, in random order, some zero, not only halves
        names = list(et.FEATURES)
        rng.shuffle(names)
        trials.append({n: rng.choice([0.0, rng.uniform(-12, 12), rng.randint(-8, 8) / 2])
                       for n in names})  # fmt: skip
    for weights in trials:
        vector = et.weight_vector(weights)
        for cands in candidates:
            assert et.choose(cands, vector, False) == plain_choice(cands, weights)


def test_weight_vector_with_one_or_no_weight(candidates):
    cands = candidates[0]
    assert et.choose(cands, et.weight_vector({}), False) == cands[0][0]
    assert et.choose(cands, et.weight_vector({"dist": 1.0}), False) == plain_choice(
        cands, {"dist": 1.0}
    )
    assert et.choose(cands, et.weight_vector({"poss": -1.0}), False) == plain_choice(
        cands, {"poss": -1.0}
    )
