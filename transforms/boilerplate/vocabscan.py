"""The compiled scans of the boilerplate vocabulary's "contains" rules, built from its rules
(transforms/native/_vocab.pyx's TriggerScan: one pass over a lower-cased line gives a 64-bit
mask). vocab.Vocabulary builds them once and asks them per line; without the compiled module
every builder answers "none" and the vocabulary's Python path (the reference) answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from transforms import native

if TYPE_CHECKING:
    from transforms.boilerplate.vocab import VocabRule

# The compiled pre-checks (transforms/native/_vocab.pyx), or None: the Python of vocab.py is
# the reference and the fallback (no compiler, a stale build, NEWSLINE_NATIVE=0).
NATIVE = native.load("vocab")


def native_bands(rules: tuple[VocabRule, ...], contains: list[int], module=NATIVE) -> tuple:
    """((max_chars, compiled trigger scan), ...) in ascending max_chars, like `trigger_bands`:
    each scan holds the triggers of the "contains" rules whose max_chars is at least that value
    (a long prose line is scanned only for the few rules that take long lines); () without the
    compiled module or with more rules than its mask holds (the Python path then answers).
    The first band holds every "contains" rule: it is the scan of a line of any length."""
    if module is None or len(rules) > 64:
        return ()
    limits = sorted({rules[i].max_chars for i in contains})
    return tuple(
        (
            limit,
            module.TriggerScan(
                [(i, rules[i].triggers) for i in contains if rules[i].max_chars >= limit]
            ),
        )
        for limit in limits
    )


def pattern_scans(rules: tuple[VocabRule, ...], contains: list[int], module=NATIVE):
    """The compiled scan of the required literals of every pattern of the "contains" rules
    (textscan/required.py; a pattern without any gets the empty literal, which occurs
    everywhere), one bit per pattern, the patterns of one rule consecutive; or None without
    the compiled `module`, or when they are more than the 64 bits of its mask (the Python
    check answers). `pattern_bits` tells where a rule's bits are."""
    bits = pattern_bits(rules, contains)
    if module is None or len(bits) < len(contains):
        return None
    return module.TriggerScan(
        [
            (shift + j, ("",) if req is None else tuple(req))
            for i, (shift, _) in bits.items()
            for j, req in enumerate(rules[i].any_of.requirements)
        ]
    )


def pattern_bits(rules: tuple[VocabRule, ...], contains: list[int]) -> dict[int, tuple[int, int]]:
    """{rule index: (first bit, mask of as many ones as it has patterns)}: where the patterns
    of each "contains" rule sit in the mask of `pattern_scans`; {} when a rule has no AnyOf
    or the patterns are more than 64."""
    bits, shift = {}, 0
    for i in contains:
        any_of = rules[i].any_of
        if any_of is None:
            return {}
        bits[i] = (shift, (1 << len(any_of.patterns)) - 1)
        shift += len(any_of.patterns)
    return bits if shift <= 64 else {}
