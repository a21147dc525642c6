"""The vocabulary's compiled pre-checks (transforms/native/_vocab.pyx) against the Python
reference (transforms/boilerplate/vocab.py), and the whole splitter with every compiled seam
against the splitter in pure Python.

Inputs: every line of the shared boilerplate pages, the body cases, the seeds and bench pages,
each also hard-wrapped (tests/realtexts.py), the TimeBank texts, more bench pages, and generated
odd Unicode (tests/test_native_split.py's strategies: combining marks, right-to-left scripts,
astral characters, controls, case oddities, very long lines). Identical means: the same rule
index from `first_rule`, the same trigger mask as asking every trigger with ``in``, the same
line forms as `LineView`, and the same `Split` for whole pages.
"""

from __future__ import annotations

import functools
import importlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import realtexts
from tests.test_native_split import _can_compile, odd_line
from transforms.boilerplate import features as F
from transforms.boilerplate import vocab as V
from transforms.boilerplate import vocabscan
from transforms.boilerplate.blocks import build_blocks
from transforms.boilerplate.lineview import LEAD_CHARS, TRAIL_CHARS, LineView
from transforms.boilerplate.splitter import Splitter
from transforms.text.stated import owned_counts_reference
from transforms.textscan.literals import required_scans

_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _compiled():
    """The compiled module whatever NEWSLINE_NATIVE says (this test compares both paths)."""
    try:
        return importlib.import_module("transforms.native._vocab")
    except ImportError:
        assert not _can_compile(), "_vocab.pyx not built: make .venv/.installed"
        return None


VOCAB = _compiled()
needs_compiled = pytest.mark.skipif(VOCAB is None, reason="no C compiler here: Python only")


@functools.cache
def _vocabularies() -> tuple[V.Vocabulary, V.Vocabulary]:
    """(compiled, pure): the same rules, one with the compiled trigger scan, one without."""
    native = V.Vocabulary.load()
    native._native = VOCAB.TriggerScan(
        [(i, native.rules[i].triggers) for i in native.contains_rules]
    )
    native._native_bands = vocabscan.native_bands(native.rules, native.contains_rules, VOCAB)
    native._pattern_scans = vocabscan.pattern_scans(native.rules, native.contains_rules, VOCAB)
    for dispatch in (native.line_any, native.prefix_any):
        dispatch._scans = required_scans(dispatch.requirements, VOCAB)
    native._combined = _combined_bands(native)
    pure = V.Vocabulary.load()
    pure._native = None
    pure._native_bands = ()
    pure._pattern_scans = {}
    pure._combined = ()
    for dispatch in (pure.line_any, pure.prefix_any):
        dispatch._scans = ()
    return native, pure


def _combined_bands(vocabulary: V.Vocabulary) -> tuple:
    return vocabscan.combined_bands(
        vocabulary.rules,
        vocabulary.contains_rules,
        (vocabulary.line_max_chars, vocabulary.prefix_max_chars),
        (vocabulary.line_any.requirements, vocabulary.prefix_any.requirements),
        VOCAB,
    )


def _timebank() -> list[str]:
    from bench.material import shared_dir

    try:
        shared = shared_dir()
    except FileNotFoundError:  # a clone without the shared corpus
        return []
    docs = []
    for path in sorted((shared / "data" / "timebank").glob("*/*.tml")):
        found = _TEXT.search(path.read_text(encoding="utf-8"))
        if found:
            docs.append(_TAG.sub("", found.group(1)))
    return docs


@functools.cache
def _lines() -> tuple[str, ...]:
    """Distinct lines (unstripped) and blocks of every real text."""
    seen: dict[str, None] = dict.fromkeys(realtexts.lines())
    for text in _timebank():
        seen.update(dict.fromkeys(text.split("\n")))
        seen.update(dict.fromkeys(line.text for line in build_blocks(text)))
    return tuple(seen)


def _mask_reference(vocabulary: V.Vocabulary, lower: str) -> int:
    return sum(
        1 << i
        for i in vocabulary.contains_rules
        if any(t in lower for t in vocabulary.rules[i].triggers)
    )


def _view(line: str) -> tuple:
    view = LineView.of(line)
    return (view.text, view.n_chars, view.lower, view.unbulleted, view.cleaned)


def _differences(lines) -> list[str]:
    native, pure = _vocabularies()
    bad = []
    for line in lines:
        compiled_view = VOCAB.line_view(line, LEAD_CHARS, TRAIL_CHARS)
        if (
            native.first_rule(line) != pure.first_rule(line)
            or pure.first_rule(line) != pure.first_rule_plain(line)
            or compiled_view != _view(line)
            or native._native.mask(compiled_view[2]) != _mask_reference(pure, compiled_view[2])
        ):
            bad.append(line)
    return bad


@needs_compiled
def test_compiled_vocabulary_equals_the_reference_on_every_real_line():
    lines = _lines()
    assert len(lines) > 25000
    assert _differences(lines) == []
    native, _ = _vocabularies()
    # the inputs reach every kind of rule, so the comparison covers each path
    hit = {native.rules[r].match for r in map(native.first_rule, lines) if r >= 0}
    assert hit == {"line", "prefix", "contains"}


@needs_compiled
def test_band_and_pattern_scans_answer_as_asking_each_literal_with_in():
    """Each length band's trigger scan finds the triggers of exactly the rules that take lines
    of that length; the scan of all "contains" patterns finds exactly the patterns one of whose
    required literals is in the line (textscan.required.could_match), at each rule's bits."""
    from transforms.textscan.required import could_match

    native, pure = _vocabularies()
    bits = vocabscan.pattern_bits(native.rules, native.contains_rules)
    assert native._native_bands and bits and native._pattern_scans
    lowers = {line.strip().lower() for line in _lines()}
    for lower in lowers:
        full = _mask_reference(pure, lower)
        for limit, scan in native._native_bands:
            admitted = sum(
                1 << i for i in native.contains_rules if native.rules[i].max_chars >= limit
            )
            assert scan.mask(lower) == full & admitted, (limit, lower)
        if not lower.isascii():
            continue
        patterns = native._pattern_scans.mask(lower)
        for i, (shift, width) in bits.items():
            expected = sum(
                1 << j
                for j, req in enumerate(native.rules[i].any_of.requirements)
                if could_match(req, lower)
            )
            assert patterns >> shift & width == expected, (i, lower)


@needs_compiled
def test_combined_scans_answer_as_the_separate_scans():
    """Each combined band's one scan gives, word for word, what the separate scans give on
    every real ASCII line: the band's "contains" triggers (rules that take a line of the
    band's length), and the whole-line and prefix dispatches' allowed patterns where the
    band's lines are short enough for them (`FirstCharDispatch.allowed`)."""
    native, pure = _vocabularies()
    assert native._combined
    caps = (native.line_max_chars, native.prefix_max_chars)
    dispatches = (native.line_any, native.prefix_any)
    lowers = {line.strip().lower() for line in _lines()}
    for limit, scan, *places in native._combined:
        admitted = sum(1 << i for i in native.contains_rules if native.rules[i].max_chars >= limit)
        assert [place is None for place in places] == [limit > cap for cap in caps]
        for lower in lowers:
            if not lower.isascii():
                continue
            words = scan.words(lower)
            assert words[0] == _mask_reference(pure, lower) & admitted == scan.mask(lower)
            for place, dispatch in zip(places, dispatches, strict=True):
                if place is not None:
                    assert vocabscan.joined(words, place) == dispatch.allowed(lower), lower


def _dispatch_differences(lines) -> list[str]:
    """Lines where a dispatcher answers otherwise with the required-literal pre-check and its
    patterns tried one by one (compiled scan) than the reference's union of the patterns of
    the text's first character (no scan), with or without the line's lower-cased form, or
    where its compiled mask differs from asking `could_match` of each pattern."""
    from transforms.textscan.required import could_match

    native, pure = _vocabularies()
    bad = []
    for line in lines:
        view = LineView.of(line)
        for dispatch, reference, text, whole in (
            (native.line_any, pure.line_any, view.cleaned, True),
            (native.prefix_any, pure.prefix_any, view.unbulleted, False),
        ):
            expected = sum(
                1 << i
                for i, req in enumerate(dispatch.requirements)
                if could_match(req, view.lower)
            )
            answer = reference.first(text, whole)
            if view.lower.isascii() and dispatch.allowed(view.lower) != expected:
                bad.append(line)
            elif dispatch.first(text, whole, view.lower) != answer:
                bad.append(line)
            elif dispatch.first(text, whole) != answer:
                bad.append(line)
    return bad


@needs_compiled
def test_dispatch_with_the_required_literal_scan_answers_as_without_it():
    native, _ = _vocabularies()
    assert len(native.line_any.patterns) > 64  # two scans: the bits past the first 64 too
    assert _dispatch_differences(_lines()) == []


def _odd_or(*texts: str) -> st.SearchStrategy[str]:
    """Generated odd lines (test_native_split.odd_line), or one of `texts` (real furniture)."""
    return odd_line | st.sampled_from(texts)


@needs_compiled
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_odd_or("Home", "John Smith is a staff writer", "By AP", "Tags: x"))
def test_dispatch_with_the_required_literal_scan_answers_as_without_it_on_odd_text(text):
    assert _dispatch_differences([text, text.upper(), text.lower(), f"• {text} »"]) == []


@needs_compiled
def test_compiled_vocabulary_agrees_with_each_rule_on_its_examples():
    native, pure = _vocabularies()
    for rule in pure.rules:
        for text in (*rule.examples, *rule.counter_examples):
            assert native.first_rule(text) == pure.first_rule(text) == pure.first_rule_plain(text)


@needs_compiled
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_odd_or("© 2019 AP", "Photo: AP", "• Subscribe »", "İ©|›", "ap"))
def test_compiled_vocabulary_equals_the_reference_on_odd_unicode(text):
    assert _differences([text, text.upper(), f"• {text} »"]) == []


@needs_compiled
def test_trigger_scan_edge_cases():
    scan = VOCAB.TriggerScan([(0, ("ab", "©")), (3, ("",)), (5, ("подпиш", "a\u00e9", "b"))])
    assert scan.mask("") == 1 << 3  # an empty trigger occurs in every line
    assert scan.mask("xab") == 1 | 1 << 3 | 1 << 5
    assert scan.mask("xa") == 1 << 3
    assert scan.mask("aé ©") == 1 | 1 << 3 | 1 << 5
    assert scan.mask("не подпишусь \U0001f600") == 1 << 3 | 1 << 5
    # triggers sharing a non-ASCII first character, of one rule or of several
    shared = VOCAB.TriggerScan([(0, ("©",)), (1, ("©", "подпиш")), (2, ("права",))])
    assert shared.mask("©") == 0b011
    assert shared.mask("все права") == 0b100
    with pytest.raises(ValueError):
        VOCAB.TriggerScan([(64, ("x",))])
    wide = VOCAB.TriggerScan([(0, ("ab",)), (64, ("",)), (130, ("b", "©"))], 3)
    assert wide.words("xab") == (1, 1, 1 << 2) and wide.mask("xab") == 1
    assert wide.words("") == (0, 1, 0)
    for bad in ((192, 3), (0, 0), (0, 9)):
        with pytest.raises(ValueError):
            VOCAB.TriggerScan([(bad[0], ("x",))], bad[1])


# Few characters, so that triggers and texts share pairs often: ASCII letters and marks, the
# Latin-1 letters and signs that a one-byte line holds (its own gate table), a two-byte and an
# astral character, and NUL (the gate's stand-in for "no next character").
_SCAN_CHARS = "abé©» |>/\u00ff\x00п\U0001f600"


@needs_compiled
@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 63), st.lists(st.text(_SCAN_CHARS, max_size=4), max_size=4)),
        max_size=6,
    ),
    st.lists(st.text(_SCAN_CHARS, max_size=12), min_size=1, max_size=6),
)
def test_trigger_scan_equals_asking_each_trigger_with_in(rules, texts):
    """TriggerScan.mask(text) sets bit i exactly when one of rule i's triggers is `in` text,
    for one-byte, two-byte and four-byte texts, at every position (the line's end too)."""
    scan = VOCAB.TriggerScan([(i, tuple(triggers)) for i, triggers in rules])
    for text in texts:
        expected = 0
        for i, triggers in rules:
            if any(t in text for t in triggers):
                expected |= 1 << i
        assert scan.mask(text) == expected, (rules, text)


def _pure_splitter() -> Splitter:
    splitter = Splitter()
    splitter.vocabulary._native = None
    splitter.vocabulary._pattern_scans = {}
    splitter.vocabulary.line_any._scans = splitter.vocabulary.prefix_any._scans = ()
    owners = splitter.stated.owners
    splitter.stated.count_owned = functools.partial(owned_counts_reference, owners=owners)
    splitter.scan = functools.partial(F.scan_line_reference, stopwords=splitter.stopwords)
    return splitter


@needs_compiled
def test_the_splitter_with_compiled_seams_splits_every_page_as_pure_python():
    if F._NATIVE is None or V.NATIVE is None:
        pytest.skip("NEWSLINE_NATIVE=0: both splitters would be pure Python")
    compiled, pure = Splitter(), _pure_splitter()
    assert compiled.vocabulary._native is not None and compiled.vocabulary._pattern_scans
    pages = [*realtexts.pages(), *_timebank()]
    assert len(pages) > 500
    assert [compiled.split(p) for p in pages] == [pure.split(p) for p in pages]


@needs_compiled
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 191), st.lists(st.text(_SCAN_CHARS, max_size=4), max_size=4)),
        max_size=9,
    ),
    st.lists(st.text(_SCAN_CHARS, max_size=12), min_size=1, max_size=6),
)
def test_a_scan_of_several_words_equals_one_scan_per_word(rules, texts):
    """TriggerScan(rules, 3).words(text)[w] is what a scan of only word w's triggers gives
    (rule i: bit i % 64 of word i // 64), for one-byte, two-byte and four-byte texts."""
    wide = VOCAB.TriggerScan([(i, tuple(triggers)) for i, triggers in rules], 3)
    apart = [
        VOCAB.TriggerScan([(i % 64, tuple(t)) for i, t in rules if i // 64 == w]) for w in range(3)
    ]
    for text in texts:
        assert wide.words(text) == tuple(scan.mask(text) for scan in apart), (rules, text)
