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


def combined_bands(
    rules: tuple[VocabRule, ...],
    contains: list[int],
    caps: tuple[int, int],
    dispatch_requirements: tuple[tuple, tuple],
    module=NATIVE,
) -> tuple:
    """((limit, scan, line words, prefix words), ...) in ascending limit: per band of line
    lengths, one compiled scan (TriggerScan with several words) that finds in one pass over an
    ASCII lower-cased line what `native_bands` and the whole-line and prefix dispatches'
    scans (textscan/literals.py `required_scans`) find in three to four: word 0 holds the
    triggers of the "contains" rules that take a line of length `limit` (bit i: rule i),
    then, when every line of the band is short enough for them (`caps`: the whole-line and
    prefix rules' max_chars), the required literals of the whole-line patterns, then of the
    prefix patterns (bit j of the group: pattern j; none: the empty literal, which occurs
    everywhere). "line words" / "prefix words": (first word, number of words), or None when
    the band's lines are too long for them. A band serves the lines longer than the limit
    before it and up to its own; the limits are the "contains" rules' max_chars and the two
    caps, so each scan holds only what its lines are asked. () without the compiled module,
    with more than 64 rules, or with more words than a scan holds (the separate scans answer).
    """
    if module is None or len(rules) > 64:
        return ()
    groups = [_words(reqs) for reqs in dispatch_requirements]
    n_words = 1 + sum(len(group) for group in groups)
    if n_words > 8:
        return ()
    limits = sorted({rules[i].max_chars for i in contains} | set(caps))
    bands = []
    for limit in limits:
        entries = [(i, rules[i].triggers) for i in contains if rules[i].max_chars >= limit]
        places, word = [], 1
        for cap, group in zip(caps, groups, strict=True):
            if limit <= cap and group:
                entries += [
                    (64 * (word + w) + j, lits) for w, ws in enumerate(group) for j, lits in ws
                ]
                places.append((word, len(group)))
                word += len(group)
            else:
                places.append(None)
        bands.append((limit, module.TriggerScan(entries, word), *places))
    return tuple(bands)


def _words(requirements: tuple) -> list[list[tuple[int, tuple[str, ...]]]]:
    """The required literals of patterns, 64 patterns a word: [[(bit, literals), ...], ...]
    (a pattern without a requirement: the empty literal)."""
    entries = [("",) if req is None else tuple(req) for req in requirements]
    return [
        list(enumerate(entries[start : start + 64])) for start in range(0, len(entries), 64)
    ]


def joined(words: tuple[int, ...], place: tuple[int, int]) -> int:
    """The mask of one group of a combined scan's words: word `first` + k shifted by 64 * k."""
    first, count = place
    mask = words[first]
    for k in range(1, count):
        mask |= words[first + k] << (64 * k)
    return mask
