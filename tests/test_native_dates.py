"""The date stage's compiled scans (transforms/native/_dates.pyx) against their pure-Python
references, which stay the fallback:

* ``Dispatch.triggers`` / ``Dispatch.positions`` vs scan.DispatchScan (where a date can start);
* ``Tense.cues`` / ``Tense.tense`` vs tense.TenseCues.cues_in / .tense on the lowercased text
  (the clause-tense cue scan), and ``last_clause_end`` vs tense.last_clause_end;
* ``same_length_lower`` vs scan.same_length_lower (the document lowercased with the same
  offsets), on every code point and on the texts below;
* the whole tagger with the compiled scans (its candidate loop making the Hit tuples in C) vs
  the tagger with none.

Inputs: every TimeBank/AQUAINT document's text (the shared corpus), the seeds, the rule
examples, BENCH_PAGES pages of the benchmark archive, and hypothesis text mixing cue and
trigger words with odd unicode (other decimal digits, superscripts, letters that lowercase to
two characters, title-case letters, the Kelvin sign, odd spaces, quotes and apostrophes).
Where a C compiler exists the compiled module must be built (else these tests would compare
Python with itself).
"""

from __future__ import annotations

import re
import shutil
import sysconfig
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.native import load
from transforms.temporal.context import CASE_FOLD_EXTRAS
from transforms.temporal.grammar import RULES_DIR, load_yaml
from transforms.temporal.scan import DispatchScan
from transforms.temporal.tagger import DateTagger, _same_length_lower
from transforms.temporal.tense import TenseCues, last_clause_end

ROOT = Path(__file__).resolve().parents[1]
NATIVE = load("dates")
BENCH_PAGES = 120
VOCAB = DateTagger().grammar.vocab
TRIGGERS = frozenset(str(w).lower() for w in VOCAB["triggers"])
PREFIXES = frozenset(str(w).lower() for w in VOCAB["prefixes"])
PY_DISPATCH = DispatchScan(TRIGGERS, PREFIXES, native=False)
PY_TENSE = TenseCues(VOCAB, native=False)
# The compiled scans as the tagger builds them (None without a build).
FAST_DISPATCH_SCAN = DispatchScan(TRIGGERS, PREFIXES)
FAST_DISPATCH = FAST_DISPATCH_SCAN.native
FAST_TENSE = TenseCues(VOCAB).native
_TAG = re.compile(r"<[^>]+>")
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)


def _can_compile() -> bool:
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return shutil.which("cc") is not None and include.exists()


def _native_or_none():
    if NATIVE is None:
        assert not _can_compile(), "_dates.pyx not built or stale: make .venv/.installed"
    return NATIVE


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


def _texts() -> list[str]:
    from bench.generate import page
    from bench.material import load_material

    rules = load_yaml(sorted(RULES_DIR.glob("dates*.yaml")))["rules"]
    texts = [ex["text"] for rule in rules for ex in rule.get("examples") or ()]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    timebank = _timebank()
    texts += timebank
    if timebank:  # the bench pages are made of the shared corpus's sentences
        material = load_material()
        texts += [page(i, 7, material)[0] for i in range(BENCH_PAGES)]
    return texts


TEXTS = _texts()


def _dispatch_differences(fast, text: str) -> list:
    lower = _same_length_lower(text)
    n = len(text)
    out = []
    for a, z in ((0, n), (1, n), (7, n), (0, n // 2), (n // 3, n - 1)):
        if 0 <= a <= z <= n and fast.triggers(lower, a, z) != PY_DISPATCH.triggers(lower, a, z):
            out.append(("triggers", a, z))
    for t in PY_DISPATCH.triggers(lower, 0, n):
        for covered in {0, max(0, t - 61), max(0, t - 25), max(0, t - 4), max(0, t - 1), t}:
            got = fast.positions(text, lower, t, covered)
            if got != PY_DISPATCH.positions(text, lower, t, covered):
                out.append(("positions", t, covered, got))
    return out


def _tense_differences(fast, text: str, step: int = 1) -> list:
    if any(ch in text for ch in CASE_FOLD_EXTRAS):  # the tagger passes no lower then
        return []
    lower = _same_length_lower(text)
    n = len(text)
    out = []
    starts = [m.start() for m in re.finditer(r"\S+", text)][::step]
    for i in starts:
        j = min(n, i + 1 + i % 11)
        if fast.tense(text, i, j, lower) != PY_TENSE.tense(text, i, j, lower):
            out.append(("tense", i, j, text[max(0, i - 90) : j + 90]))
        a = max(0, i - 90 - i % 13)
        if fast.cues(text, lower, a, i) != tuple(PY_TENSE.cues_in(text, lower, a, i)):
            out.append(("cues", a, i))
        if NATIVE.last_clause_end(text, a, i) != last_clause_end(text, a, i):
            out.append(("clause end", a, i))
    return out


def test_the_compiled_scans_are_used_where_built():
    fast = _native_or_none()
    tagger = DateTagger()
    if fast is not None:
        assert tagger.dispatch.native is not None
        assert tagger.checks.tenses.native is not None
    assert PY_DISPATCH.native is None and PY_TENSE.native is None


def test_the_corpus_is_here():
    from bench.material import shared_dir

    try:
        shared_dir()
    except FileNotFoundError:
        return  # a clone without the shared corpus: seeds and rule examples only
    assert len(_timebank()) == 256
    assert len(TEXTS) > 256 + BENCH_PAGES


def test_dispatch_scan_is_the_reference_on_real_text():
    fast = _native_or_none()
    if fast is None:
        return
    bad = [(i, d) for i, t in enumerate(TEXTS) for d in _dispatch_differences(FAST_DISPATCH, t)]
    assert bad == []


def test_tense_scan_is_the_reference_on_real_text():
    fast = _native_or_none()
    if fast is None:
        return
    calls = 0
    bad = []
    for i, text in enumerate(TEXTS):
        bad += [(i, d) for d in _tense_differences(FAST_TENSE, text)]
        calls += len(text.split())
    assert bad[:5] == []
    assert calls > 100_000  # every word of the corpus taken as a date


def test_lowercase_is_the_reference_on_every_code_point():
    fast = _native_or_none()
    if fast is None:
        return
    # The compiled lowercase hands these to the reference: the only character whose lowercase
    # is longer than one character, and the final sigma.
    assert [c for c in range(0x110000) if len(chr(c).lower()) != 1] == [0x130]
    points = [chr(c) for c in range(0x110000)]
    for i in range(0, len(points), 4096):
        chunk = "".join(points[i : i + 4096])
        for text in (chunk, "a" + chunk, chunk[::-1]):
            got = fast.same_length_lower(text, reference=_same_length_lower)
            assert got == _same_length_lower(text) and len(got) == len(text)
    for ch in points[128:0x3000] + ["ΣΑΣ ΣΣ", "aΣ", "Σ", "İstanbul", "ÀÉ"]:
        got = fast.same_length_lower("x" + ch, reference=_same_length_lower)
        assert got == _same_length_lower("x" + ch)


def test_lowercase_is_the_reference_on_real_text():
    fast = _native_or_none()
    if fast is None:
        return
    lower = FAST_DISPATCH_SCAN.lower
    assert lower is not PY_DISPATCH.lower
    bad = [i for i, text in enumerate(TEXTS) if lower(text) != _same_length_lower(text)]
    assert bad == []
    # a lowercase text equal to the reference is also the same string object kind (compact)
    assert {len(lower(t)) == len(t) for t in TEXTS} == {True}


def test_the_tagger_gives_the_same_mentions_with_and_without_the_compiled_scans():
    if _native_or_none() is None:
        return
    fast = DateTagger()
    slow = DateTagger()
    slow.dispatch = PY_DISPATCH
    slow.checks.tenses = PY_TENSE
    import datetime as dt

    anchor = dt.date(1998, 3, 4)
    differ = [i for i, text in enumerate(TEXTS) if fast.tag(text, anchor) != slow.tag(text, anchor)]
    assert differ == []
    for text in TEXTS[:400]:  # the candidate loop itself, on whole texts and on pieces
        lower = _same_length_lower(text)
        for a, z in ((0, len(text)), (len(text) // 4, len(text) // 2)):
            assert list(fast._candidates(text, lower, a, z)) == list(
                slow._candidates(text, lower, a, z)
            )
    tenses = {m.tense for text in TEXTS[:300] for m in fast.tag(text, anchor)[0]}
    assert tenses == {None, "past", "present", "future"}  # every answer is exercised


# Odd text: cue, trigger and prefix words, digits of other scripts, superscripts, letters that
# lowercase to two characters or fold case oddly, title case, odd spaces, quotes, apostrophes.
_WORDS = sorted(
    {str(w) for k in ("future_cues", "past_cues", "present_cues") for w in VOCAB[k]}
    | {str(w) for w in VOCAB["triggers"]}
    | {str(w) for w in list(VOCAB["prefixes"])[:40]}
    | {"is", "the", "a", "had", "been", "long", "it's", "expected", "hundred", "indeed", "May",
       "Monday", "that", "which", ", that", "1,384", "10:30", "10am", "2.5", "'80s", "mid-1990s",
       "walked", "WALKED", "Walked", "ǅed", "ǆed", "Kelvined", "İed", "x_ed", "_ed", "ed",
       "1ſt", "2014", "2,000", "15 percent", "12 Kelvin", "the first", "the ſecond", "about two"}
)  # fmt: skip
_ODD = "٣²①⁵é_'’`\"“”«»İǅǆKſıΣςŸ\u00a0\u2009\u3000\u2028\x1c\x85\t\n.!?;:,-/$€(" + "ÅßΩЖ中"
_PIECE = st.one_of(
    st.sampled_from(_WORDS),
    st.text(alphabet=_ODD, min_size=1, max_size=3),
    st.sampled_from([" ", " ", "  ", ", ", ". ", "\n", "'", "''", "``"]),
)


def _shout_some(parts: list[str]) -> str:
    """The pieces joined, about one word in five upper-cased."""
    return "".join(p.upper() if len(p) > 3 and sum(map(ord, p)) % 5 == 0 else p for p in parts)


_ODD_TEXT = st.lists(_PIECE, min_size=1, max_size=60).map(_shout_some)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ODD_TEXT)
def test_both_scans_are_the_reference_on_odd_unicode(text):
    fast = _native_or_none()
    if fast is None:
        return
    assert _dispatch_differences(FAST_DISPATCH, text) == []
    assert _tense_differences(FAST_TENSE, text) == []
    assert FAST_DISPATCH_SCAN.lower(text) == _same_length_lower(text)


def test_dispatch_two_character_table_is_the_reference_at_every_ascii_start():
    """Dispatch.body rules a word start out by its first two characters (a table of the trigger
    words' first two) before the trie: every ASCII pair, and every trigger word cut after one,
    two and three characters and followed by each of a few characters, scans as the reference."""
    fast = _native_or_none()
    if fast is None:
        return
    chars = [chr(c) for c in range(33, 127)] + ["é", "ſ", "İ", "K"]
    pairs = [a + b for a in chars for b in chars]
    cuts = {w[:k] + tail for w in TRIGGERS for k in (1, 2, 3) for tail in ("", "a", "1", " ", ".")}
    for words in (pairs, sorted(cuts), sorted(TRIGGERS)):
        for sep in (" ", "-", "1"):
            text = sep.join(words)
            assert _dispatch_differences(FAST_DISPATCH, text) == []
            assert _dispatch_differences(FAST_DISPATCH, text.upper()) == []


def test_dispatch_three_character_table_is_the_reference_at_every_third_character():
    """... then by its third character (a bitmask of the trigger words' third characters after
    each first two): every first two characters of a trigger word followed by every ASCII
    character and a few others, alone, as the start of the word's rest, and at the end of the
    text (no third character), scans as the reference."""
    fast = _native_or_none()
    if fast is None:
        return
    thirds = [chr(c) for c in range(33, 127)] + ["é", "ſ", "İ", "K", "\u00a0", "٣"]
    heads = {w[:2] for w in TRIGGERS if len(w) >= 2} | {w + "a" for w in TRIGGERS if len(w) == 1}
    words = sorted(
        {h + c for h in heads for c in thirds}
        | {w[:2] + c + w[3:] for w in TRIGGERS if len(w) >= 3 for c in thirds[:40]}
    )
    for sep in (" ", "-", "1"):
        text = sep.join(words)
        assert _dispatch_differences(FAST_DISPATCH, text) == []
        assert _dispatch_differences(FAST_DISPATCH, text.upper()) == []
    for head in sorted(heads):  # the text ends after the two characters
        for text in (head, "x " + head, "10" + head):
            assert _dispatch_differences(FAST_DISPATCH, text) == []


def test_tense_two_character_tables_are_the_reference_at_every_ascii_start():
    """Tense.cue_at rules a position out for the future and past cue tries by its first two
    characters (Trie.may_start: a table of the cue words' first two, a space of a cue standing
    for any white space) before each trie walk: every ASCII pair, and every cue word cut after
    one, two and three characters and followed by each of a few characters, scans as the
    reference."""
    fast = _native_or_none()
    if fast is None:
        return
    cues = sorted(str(w).lower() for w in (*VOCAB["future_cues"], *VOCAB["past_cues"]))
    chars = [chr(c) for c in range(33, 127)] + ["é", "ſ", "İ", "K", "\t", "\u00a0"]
    pairs = [a + b for a in chars for b in chars]
    tails = ("", "a", "1", " ", ".", "\t", "  ", "ed")
    cuts = {w[:k] + tail for w in cues for k in (1, 2, 3) for tail in tails}
    for words in (pairs, sorted(cuts), cues, [w.replace(" ", "\t ") for w in cues]):
        for sep in (" ", "-", "\n"):
            text = sep.join(words)
            assert _tense_differences(FAST_TENSE, text) == []
            assert _tense_differences(FAST_TENSE, text.upper()) == []


# Characters at the edges of the word-at-a-time lowercase's lanes ("@" before "A", "[" after
# "Z", "`" and "{" around a-z, DEL) and ASCII text with trigger words in it.
_LANE_EDGES = "@AZ[`az{\x7f 09.,:-'\t\n"
_ASCII_RUN = "In May 1998 the Board MET on Friday; last WEEK, 10am @Z[`{ 2,384 FY89 Q3 the end of"
# Non-ASCII characters that fix a text's kind or that the scans read apart: Latin-1 letters and
# signs, a no-break space, letters that IGNORECASE folds to ASCII (long s, dotless i, Kelvin),
# other white space, another script's digit, the two characters the lowercase hands to the
# reference (U+0130, U+03A3) and an astral digit.
_WIDE = [
    "\u00e9", "\u00c0", "\u00d7", "\u00de", "\u00df", "\u00ff", "\u00a0", "\u017f", "\u0131",
    "\u212a", "\u2003", "\u3000", "\u0663", "\u0130", "\u03a3", "\U0001d7d8",
]


def test_word_at_a_time_paths_are_the_reference():
    """same_length_lower lowers eight Latin-1 or four UCS-2 characters at a time while they are
    ASCII, and Dispatch.triggers skips a-z in the text's own kind and rules a separator out by
    body's two-character table before calling it: each non-ASCII character at every offset of
    an ASCII run (so at every lane of a word, and in the tail), next to every lane-edge
    character, lowercases and scans as the reference."""
    fast = _native_or_none()
    if fast is None:
        return
    lower = FAST_DISPATCH_SCAN.lower
    for wide in _WIDE:
        for run in (_ASCII_RUN, _ASCII_RUN.upper(), _LANE_EDGES * 3):
            for i in range(0, 24):
                for text in (run[:i] + wide + run[i:], wide + run[:i], run[:i] + wide):
                    assert lower(text) == _same_length_lower(text), (wide, i)
                    assert _dispatch_differences(FAST_DISPATCH, text) == [], (wide, i)
                    # two wide characters: Latin-1 with UCS-2, or both in one word
                    text = "\u00e9" + text + wide + run[: i % 9]
                    assert lower(text) == _same_length_lower(text), (wide, i)
                    assert _dispatch_differences(FAST_DISPATCH, text) == [], (wide, i)


def test_tense_scan_skips_a_word_as_the_reference_does():
    """Tense.scan, after no cue at a word start, resumes past the word's run of a-z (no cue
    starts after a letter): words that go on after that run with a digit, an apostrophe, an
    underscore, a non-ASCII letter or sign, or a letter IGNORECASE folds ("ſ", "K"), and cue
    and -ed words glued to them, scan as the reference."""
    fast = _native_or_none()
    if fast is None:
        return
    cues = sorted(str(w).lower() for w in (*VOCAB["future_cues"], *VOCAB["past_cues"]))[:40]
    words = ["walked", "hundred", "indeed", "said", "will", "plans", "talks", "x", "ed"] + cues
    glue = list(_LANE_EDGES) + ["_", "5"] + _WIDE
    pieces = [w + g + v for w in words for g in glue for v in ("", "ed", "will", "said")]
    for sep in (" ", "\u00a0", "-", "'"):
        for i in range(0, len(pieces), 60):
            text = "On Friday " + sep.join(pieces[i : i + 60]) + " in May 1998."
            assert _tense_differences(FAST_TENSE, text) == []
            assert _tense_differences(FAST_TENSE, text.upper()) == []


def test_records_are_the_reference_and_the_constructor():
    # tagger._new_record (the reference) and _dates.new_record (compiled): what the frozen
    # dataclass's constructor gives, field for field, in the fields' order.
    import dataclasses
    import datetime as dt
    import pickle

    import pytest

    from transforms.temporal import tagger

    fast = _native_or_none()
    day = dt.date(2020, 10, 27)
    cases = [
        (tagger.DateMention, (3, 6, "Fri", "DATE", "2020-10-23", day, day, "day", "r", None, "")),
        (tagger.DateMention, (0, 4, "2014", "DATE", "2014", None, None, None, "y", "START", None)),
        (tagger.Rejected, (5, 9, "2014", "count")),
    ]
    makers = [tagger._new_record] + ([] if fast is None else [fast.new_record])
    assert fast is None or tagger._RECORDS is fast.new_record
    for cls, values in cases:
        names = tuple(f.name for f in dataclasses.fields(cls))
        built = cls(*values)
        for make in makers:
            made = make(cls, names, values)
            assert type(made) is cls and made == built and hash(made) == hash(built)
            assert repr(made) == repr(built) and list(vars(made)) == list(vars(built))
            assert pickle.dumps(made) == pickle.dumps(built)
            with pytest.raises(dataclasses.FrozenInstanceError):
                made.start = 1  # type: ignore[misc]
    if fast is not None:
        with pytest.raises(ValueError):
            fast.new_record(tagger.Rejected, ("start",), (1, 2))
