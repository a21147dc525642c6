"""The splitter's compiled per-line scan (transforms/native/_split.pyx) against its Python
reference (features.scan_line_reference: line_features and normalise), on every line of the
shared boilerplate pages, the body cases, the seeds and bench pages (each also hard-wrapped,
tests/realtexts.py), on more bench pages, and on generated odd Unicode: combining marks,
right-to-left scripts, astral characters, NUL and other control characters, numerals that are
not decimal digits, case oddities (final sigma, dotted capital I, Kelvin sign, title case) and
very long lines. Identical means the same values of the same types, field by field."""

from __future__ import annotations

import importlib
import shutil
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import realtexts
from transforms import native
from transforms.boilerplate import features as F
from transforms.boilerplate.vocab import load_stopwords

STOPWORDS = load_stopwords()
# A stop-word set that reaches the scanner's slow path (non-ASCII words, words longer than
# the 8 letters packed into one key) and case oddities.
ODD_STOPWORDS = frozenset(
    {"the", "a", "über", "straße", "i̇stanbul", "σας", "ς", "extraordinarily", "k", "don't",
     "o’neil", "ǆ", "ﬁ", "새", "новости", "abcdefgh", "abcdefghi"}
)  # fmt: skip
MORE_BENCH_PAGES = 600


def _can_compile() -> bool:
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return shutil.which("cc") is not None and include.exists()


def _compiled():
    """The compiled module whatever NEWSLINE_NATIVE says (this test compares both paths)."""
    try:
        return importlib.import_module("transforms.native._split")
    except ImportError:
        assert not _can_compile(), "_split.pyx not built: make .venv/.installed"
        return None


SPLIT = _compiled()


def _scanner(stopwords: frozenset[str]):
    return F.compiled_scanner(SPLIT, stopwords)


def _exact(result) -> tuple:
    """(features, norm) as (type, repr) pairs: 1 and 1.0, True and 1 differ."""
    feats, norm = result
    return (type(feats), *((type(v), repr(v)) for v in feats), type(norm), norm)


def _differences(texts, stopwords) -> list[str]:
    scanner = _scanner(stopwords)
    return [
        t
        for t in texts
        if _exact(scanner.scan_line(t)) != _exact(F.scan_line_reference(t, stopwords))
        or SPLIT.normalise(t) != F.normalise(t)
    ]


def _bench_lines() -> list[str]:
    from bench.generate import page
    from bench.material import load_material

    material = load_material()
    seen: dict[str, None] = {}
    for i in range(realtexts.BENCH_PAGES, realtexts.BENCH_PAGES + MORE_BENCH_PAGES):
        for raw in page(i, 7, material)[0].split("\n"):
            seen.setdefault(raw)  # unstripped: the bullet reads the line as given
    return list(seen)


needs_compiled = pytest.mark.skipif(SPLIT is None, reason="no C compiler here: Python only")


@needs_compiled
def test_compiled_scan_equals_the_reference_on_every_real_line():
    lines = realtexts.lines()
    assert len(lines) > 20000
    assert _differences(lines, STOPWORDS) == []
    assert _differences(lines, ODD_STOPWORDS) == []


@needs_compiled
def test_compiled_scan_equals_the_reference_on_unstripped_lines_of_more_bench_pages():
    lines = _bench_lines()
    assert len(lines) > 2000
    assert _differences(lines, STOPWORDS) == []


@needs_compiled
def test_the_seam_uses_the_compiled_scan_unless_switched_off():
    text = "• Share | Tweet"
    expected = F.scan_line_reference(text, STOPWORDS)
    assert F.scan_line(text, STOPWORDS) == expected
    assert (F._NATIVE is not None) == native.enabled()


ODD = (
    "\u0301\u0308\u0323\u20dd"  # combining marks
    "\u05d0\u05e9\u05dc\u05d5\u05dd\u0627\u0644\u0633\u0644\u0627\u0645\u200f\u200e\u202e"  # RTL
    "\U0001f600\U0001d400\U0001d7d8\U00020000\U0002a6d6\U0001f1fa"  # emoji, math letters, CJK B
    "\x00\x01\x1c\x1d\x1e\x1f\x85\u2028\u2029\u3000\u00a0\u2009\ufeff\t\r\x0b\x0c"  # controls
    "\u00b2\u2167\u0663\u0966\uff11\u2460\u00bd"  # numerals: not all decimal digits
    "\u03a3\u03c3\u0130\u0131\u212a\u01c5\u00df\ufb01\u1e9e"  # case oddities
    "\u3041\u30fb\u30fc\u4e00\uf900\uac00\u0416"  # kana, CJK, Hangul, Cyrillic
    "'\u2019\"\u201d\u00bb)].!?\u3002\uff01\uff1f\u2026|\u203a>/-\u2013\u2014\u2022\u00b7*#_@ "
    "aZ09"
)
odd_text = st.text(alphabet=st.sampled_from(ODD), max_size=80) | st.text(max_size=80)
odd_line = st.lists(
    odd_text | st.sampled_from(["the", "The", "Über", "ΣΑΣ", "don't", "— Jane (@jd) Nov. 4, 2019"]),
    max_size=12,
).map(" ".join)


@needs_compiled
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_line)
def test_compiled_scan_equals_the_reference_on_odd_unicode(text):
    assert _differences([text], STOPWORDS) == []
    assert _differences([text], ODD_STOPWORDS) == []


@needs_compiled
@settings(max_examples=40, deadline=None)
@given(odd_line, st.integers(min_value=100, max_value=2000))
def test_compiled_scan_equals_the_reference_on_very_long_lines(text, times):
    long = " ".join([text] * times)  # 100 to 2,000 copies: lines of up to ~1.5 MB
    assert _differences([long], STOPWORDS) == []


def _line_differences(texts) -> list[str]:
    return [
        text
        for text in texts
        for start in sorted({0, 1, len(text) // 2, len(text)})
        if start <= len(text)
        and [(type(x), *x) for x in SPLIT.split_lines(text, start, F.Line)]
        != [(type(x), *x) for x in F.split_lines_reference(text, start)]
    ]


@needs_compiled
def test_compiled_split_lines_equals_the_reference_on_every_real_page():
    pages = realtexts.pages()
    assert len(pages) > 300
    assert _line_differences(pages) == []
    assert _line_differences(["", "\n", "\n\n", " a \n\n b\r\n", "x", "\u3000x\u2028y\n\x1c"]) == []


@needs_compiled
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(odd_line | st.sampled_from(["", " ", "\n", "\r\n", "\t \u3000"]), max_size=20))
def test_compiled_split_lines_equals_the_reference_on_odd_unicode(pieces):
    assert _line_differences(["\n".join(pieces), "\r\n".join(pieces)]) == []


# --- the page language's word counts (text/stated.py owned_counts_reference) ---

# An owners table that reaches the counter's slow paths: non-ASCII words, ASCII words longer
# than the 8 letters packed into one key, words that are not a run of letters (never counted),
# upper case (never counted in lower-cased text), and an empty code (dropped as filter(None)).
ODD_OWNERS = {
    "the": "en", "der": "de", "über": "de", "σας": "el", "новости": "ru", "abcdefgh": "xx",
    "abcdefghi": "xx", "extraordinarily": "en", "don't": "en", "k": "en", "The": "en",
    "i̇stanbul": "tr", "ﬁ": "en", "새": "ko", "zz": "",
}  # fmt: skip


def _owned_differences(texts, owners) -> list[str]:
    from transforms.text.stated import owned_counts_reference

    counts = SPLIT.OwnedWords(owners).counts
    out = []
    for text in texts:
        for lower in (text.lower(), text):  # lower-cased as page_language asks, and as given
            got, want = counts(lower), owned_counts_reference(lower, owners)
            if got != want or list(got) != list(want):
                out.append(lower)
    return out


@needs_compiled
def test_compiled_owned_counts_equal_the_reference_on_every_real_page():
    from transforms.text.stated import load_language_words, word_owners

    owners = word_owners(load_language_words())
    pages = realtexts.pages()
    assert _owned_differences(pages, owners) == []
    assert _owned_differences(pages, ODD_OWNERS) == []
    assert _owned_differences(["", " ", "the", "THE the", "a" * 40], owners) == []


@needs_compiled
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_line)
def test_compiled_owned_counts_equal_the_reference_on_odd_unicode(text):
    from transforms.text.stated import load_language_words, word_owners

    assert _owned_differences([text], word_owners(load_language_words())) == []
    assert _owned_differences([text], ODD_OWNERS) == []
