"""The required-literal pre-check (transforms/textscan/required.py) is sound: a pattern never
matches an ASCII text in which none of its required literals occurs. Checked on every pattern of
the boilerplate vocabulary over every ASCII line of the real texts (tests/realtexts.py: shared
pages, cases, seeds, bench pages, each also hard-wrapped) and on generated text built from the
patterns' own words; `AnyOf.search_lower` answers as `AnyOf.search` on the same lines. The
same for the word-start pre-check of the patterns that begin with \\b (`word_starts`).
"""

from __future__ import annotations

import functools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests import realtexts
from transforms.boilerplate.header import _NOT_A_HEADLINE
from transforms.boilerplate.lineview import LineView
from transforms.boilerplate.vocab import Vocabulary
from transforms.textscan.literals import AnyOf
from transforms.textscan.required import (
    Prechecked,
    _char,
    could_match,
    could_start_word,
    matches_at_word_start,
    required,
    word_starts,
)

VOCAB = Vocabulary.load(backend="python")
PATTERNS = tuple(dict.fromkeys(p for rule in VOCAB.rules for p in rule.patterns))


@functools.cache
def _ascii_lines() -> tuple[str, ...]:
    return tuple(line.strip() for line in realtexts.lines() if line.isascii() and line.strip())


def test_required_literals_of_small_patterns():
    assert required(r"\bfollow us\b") == {"follow us"}
    assert required(r"(?:Photo|image) by") == {"photo", "image"}  # the longer of the two items
    assert required(r"^\d+\s*/\s*\d+$") == {"/"}
    assert required(r"\bsubscribe (to )?(our|my)\b") == {"subscribe "}
    assert required(r"[>»›]") == {">", "»", "›"}
    assert required(r"a|.") is None  # a branch that reads any character requires nothing
    assert required(r"(ab)?") is None  # an optional item requires nothing
    assert required(r"x{2,}yz") == {"yz"}  # "x" twice is required too, but shorter
    assert required(r"://|:\d") == {":"}  # "://" holds ":": one check is enough
    assert required(r"[A-Z]+") is None  # a wide class gives no useful pre-check
    assert required(r"(") is None  # not a pattern: no pre-check, no error


def test_a_character_with_an_ascii_case_form_is_no_requirement():
    # Kelvin sign, long s, dotted capital I, dotless i: re.IGNORECASE matches them to ASCII
    for ch in "\u212aſİı":
        assert _char(ord(ch)) is None
        assert required(ch + "ab") == {"ab"}
    assert required("фото") == {"фото"}  # never in ASCII text, as it never matches there


def test_characters_kept_as_literals_never_match_ascii_text_case_insensitively():
    every_ascii = "".join(map(chr, range(128)))
    kept = [c for c in range(128, 0x30000) if not 0xD800 <= c < 0xE000 and _char(c) is not None]
    for start in range(0, len(kept), 2048):
        chunk = "".join(re.escape(chr(c)) for c in kept[start : start + 2048])
        assert re.search(f"[{chunk}]", every_ascii, re.IGNORECASE) is None


def _matches_pass_the_pre_check(analyse, passes) -> int:
    """Assert that every real ASCII line that a vocabulary pattern matches passes the pattern's
    pre-check (`analyse(pattern)`: its facts, None: no pre-check; `passes(facts, lower)`); the
    number of (pattern, line) matches checked."""
    lines = _ascii_lines()
    checked = 0
    for pattern in PATTERNS:
        facts = analyse(pattern)
        if facts is None:
            continue
        regex = re.compile(pattern, re.IGNORECASE)
        for line in lines:
            if regex.search(line) is not None:
                checked += 1
                assert passes(facts, line.lower()), (pattern, line)
    return checked


def test_every_vocabulary_pattern_matches_only_lines_with_its_required_literals():
    assert len(_ascii_lines()) > 10000
    checked = _matches_pass_the_pre_check(required, could_match)
    assert checked > 1000  # the lines reach the patterns


def test_word_starts_of_small_patterns():
    assert word_starts(r"\b(AP|AFP|Reuters)( Photo)?$") == {"ap", "afp", "reuters"}
    assert word_starts(r"\bfollow us\b") == {"follow us"}
    assert word_starts(r"\b(photo(graph)?|image)s? by") == {"photo", "image"}
    assert word_starts(r"\b[ab]x") == {"a", "b"}  # a class: its first characters
    assert word_starts(r"follow\b") is None  # no \\b at the start
    assert word_starts(r"\bfoo|bar") is None  # the \\b belongs to one branch only
    assert word_starts(r"\b(ab)?c") is None  # an optional first item: no known start
    assert word_starts(r"\b(a|.)") is None
    assert word_starts(r"\b\(x") is None  # a start that is not a word character
    assert word_starts(r"\bфото") is None
    assert word_starts(r"(") is None  # not a pattern: no pre-check, no error


def test_could_start_word():
    starts = frozenset({"ap", "afp"})
    assert could_start_word(starts, "ap")
    assert could_start_word(starts, "photo: ap")
    assert could_start_word(starts, "happy/ap")
    assert could_start_word(starts, "happy (afp)")
    assert not could_start_word(starts, "happy paper happen")
    assert not could_start_word(starts, "_ap 1ap xafp")  # "_" and digits are word characters
    assert could_start_word(None, "")


def test_a_match_tried_at_word_starts_answers_as_search():
    pattern = r"\b(AP|AFP)( Photo)?\s*\)?\s*$"
    match = re.compile(pattern, re.IGNORECASE).match
    starts = word_starts(pattern)
    for text in ["(AP)", "Photo: AP Photo", "happy AP", "AP said", "xAP", "_AP", "a/afp)", ""]:
        expected = re.search(pattern, text, re.IGNORECASE) is not None
        assert matches_at_word_start(starts, text.lower(), match, text) == expected, text


def test_every_vocabulary_pattern_tried_at_word_starts_answers_as_search():
    """`matches_at_word_start` (AnyOf's way with a pattern that begins with \\b) gives
    ``re.search``'s answer for every such vocabulary pattern on every real ASCII line."""
    tried = 0
    for pattern in PATTERNS:
        starts = word_starts(pattern)
        if starts is None:
            continue
        regex = re.compile(pattern, re.IGNORECASE)
        for text in _ascii_lines():
            lower = text.lower()
            expected = regex.search(text) is not None
            assert matches_at_word_start(starts, lower, regex.match, text) == expected, (
                pattern,
                text,
            )
            tried += expected
    assert tried > 100  # the lines reach the patterns


def test_every_vocabulary_pattern_matches_only_lines_with_its_word_at_a_word_start():
    checked = _matches_pass_the_pre_check(word_starts, could_start_word)
    assert checked > 100  # the lines reach the patterns


def test_most_vocabulary_patterns_have_a_pre_check():
    with_requirement = [p for p in PATTERNS if required(p) is not None]
    assert len(with_requirement) >= 0.9 * len(PATTERNS)


def test_search_lower_answers_as_search_on_every_real_line():
    any_ofs = [rule.any_of for rule in VOCAB.rules if rule.any_of is not None]
    for line in realtexts.lines():
        view = LineView.of(line)
        for any_of in any_ofs:
            assert any_of.search_lower(view.text, view.lower) == any_of.search(view.text), line


_WORDS = sorted({w for p in PATTERNS for w in re.findall(r"[a-z]{2,}", p.lower())})


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(_WORDS) | st.sampled_from(["(", ")", "/", ":", "|", "©", "1", "AP", " "]),
        max_size=12,
    ),
    st.sampled_from([" ", "", ": ", " / "]),
)
def test_search_lower_answers_as_search_on_text_made_of_the_patterns_words(words, sep):
    text = sep.join(words)
    for rule in VOCAB.rules:
        if rule.any_of is not None:
            assert rule.any_of.search_lower(text, text.lower()) == rule.any_of.search(text)
        for pattern in rule.patterns:
            if text.isascii() and re.search(pattern, text, re.IGNORECASE):
                assert could_match(required(pattern), text.lower()), (pattern, text)
                assert could_start_word(word_starts(pattern), text.lower()), (pattern, text)


def test_any_of_keeps_the_order_and_anchors_of_its_patterns():
    any_of = AnyOf([r"^photo:", r"\bvia (ap|afp)\b", r"\bfoo|bar"])
    assert any_of.requirements == ({"photo:"}, {"via "}, {"bar", "foo"})
    assert any_of.search_lower("Photo: AP", "photo: ap")
    assert not any_of.search_lower("A photo: AP", "a photo: ap")  # ^: at the start only
    assert any_of.search_lower("crowbar", "crowbar")
    assert not any_of.search_lower("seafood", "seafood")
    assert any_of.search_lower("x via AFP", "x via afp", mask=0b010)
    assert not any_of.search_lower("x via AFP", "x via afp", mask=0b101)  # as the mask says
    assert any_of.word_starts == (None, {"via "}, None)
    assert not any_of.search_lower("xvia AFP", "xvia afp")  # "via" not at a word start
    assert any_of.search_masked("x via AFP", 0b010)
    assert any_of.search_masked("x via AFP", 0b010, "x via afp")
    assert not any_of.search_masked("xvia AFP", 0b010, "xvia afp")


def test_a_prechecked_pattern_finds_what_the_pattern_finds_on_every_real_line():
    assert _NOT_A_HEADLINE.requirement == {"/", ":", "@", "www.", "click"}
    pattern = Prechecked(re.compile(r"\bclick\b|\d+:\d\d", re.I))
    for line in (*realtexts.lines(), "CLICK here", "Cli\u212ak here", "at 10:30"):
        for prechecked in (_NOT_A_HEADLINE, pattern):
            found, plain = prechecked.search(line), prechecked.regex.search(line)
            assert (found and found.span()) == (plain and plain.span()), line
