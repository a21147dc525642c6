"""The event stage's compiled accelerator (transforms/native/_events.pyx) against its Python
reference, on the same inputs: the tokeniser (``tokens.analyse``) on every sentence of TimeBank
+ AQUAINT, the seeds, the shared boilerplate pages, the benchmark pages (each also hard-wrapped)
and hypothesis' odd unicode; the trigger picker (``trigger.choose(trigger.features(...))``) on
every date-token span of one to three tokens (and the empty span) of those sentences; and the
whole stage (``rows.event_rows``) on benchmark pages tagged by the job's own date tagger.

Both paths share the lexicon's chunk memo, so each comparison also runs with a fresh lexicon
(the native path reading chunks the Python path has not seen, and the other way round)."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import realtexts
from transforms import native
from transforms.events import role, tokens
from transforms.events import trigger as et
from transforms.events.actors import native_actors, sentence_bounds, trigger_actors
from transforms.events.extract import EventExtractor
from transforms.events.lexicon import EventLexicon
from transforms.text.sentences import sentence_spans

REPO = Path(__file__).resolve().parent.parent
MODULE = native.load("events")
pytestmark = pytest.mark.skipif(
    MODULE is None and not native.enabled(), reason="NEWSLINE_NATIVE=0: nothing to compare"
)
# Date-token spans tried per sentence start token: [i, i + w) for these widths.
WIDTHS = (0, 1, 2, 3)
# Sentences whose every start token is tried (the others: a seeded sample of starts).
FULL_SENTENCES = 300
FULL_EVERY = 25
SAMPLED_STARTS = 3
# The other sentences: the tokens of each, the trigger of sampled starts of every PICK_EVERY-th.
PICK_EVERY = 3


def _module():
    if MODULE is None:  # a compiler here must have built it (tests/test_native.py says why)
        pytest.fail("transforms.native._events not built: make .venv/.installed")
    return MODULE


@functools.cache
def _lex() -> EventLexicon:
    return EventLexicon()


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _timebank_texts() -> list[str]:
    from bench.material import shared_dir
    from eval.timeml import load_corpus

    root = shared_dir() / "data" / "timebank"
    docs = load_corpus(root)
    assert len(docs) >= 250, "TimeBank + AQUAINT are missing from the shared data"
    return [doc.text for doc in docs]


@functools.cache
def _sentences() -> tuple[tuple[str, int, int], ...]:
    """(text, start, end) of every sentence of the real texts, plus every whole line."""
    texts = _timebank_texts() + list(realtexts.pages())
    out, seen = [], set()
    for text in texts:
        lines = _line_spans(text)
        for s, e in sentence_spans(text, lines) + [(s, e) for s, e in lines if e - s < 400]:
            if text[s:e] not in seen:  # each distinct sentence once
                seen.add(text[s:e])
                out.append((text, s, e))
    return tuple(out)


def _pairs(n: int, rng: random.Random, full: bool):
    starts = range(n + 1) if full else rng.sample(range(n + 1), min(n + 1, SAMPLED_STARTS))
    for i in starts:
        for width in WIDTHS:
            if i + width <= n:
                yield i, i + width


def _reference_pick(lex, p, i, j, args):
    try:
        return et.choose(et.features(p, i, j, lex), *args)
    except IndexError:
        return IndexError


def _native_pick(pick, p, i, j):
    try:
        return pick(p, i, j)
    except IndexError:
        return IndexError


def _check(lex_python, lex_native, paths, text, start, end, rng, full):
    analyse, pick, args, actors, mentions = paths
    expected = tokens.analyse(lex_python, text, start, end)
    got = analyse(text, start, end)
    assert got == expected, (text[start:end], got, expected)
    if full is None:
        return
    n = len(expected.words)
    bounds = sentence_bounds(expected)
    memo_python: dict = {}
    memo_native: dict = {}
    for i, j in _pairs(n, rng, full):
        ref = _reference_pick(lex_python, expected, i, j, args)
        assert _native_pick(pick, expected, i, j) == ref, (text[start:end], i, j)
        if i < n or i == 0:  # a date's comparison cue (date_role)
            assert mentions.comparison(expected, i, j) == bool(
                role._comparison(lex_python, expected, i, j)
            ), (text[start:end], i, j)
        if isinstance(ref, int):  # the trigger's phrase, class and its clause's actors
            trigger = et.to_trigger(text, expected, ref, lex_python)
            assert mentions.trigger(text, expected, ref) == trigger, (text[start:end], ref)
            want = trigger_actors(lex_python, text, expected, bounds, memo_python, ref, (i, j))
            have = actors(text, expected, bounds, memo_native, ref, i, j)
            assert have == want, (text[start:end], i, j, ref)
    assert memo_native.keys() == memo_python.keys()


def _paths(lex_native: EventLexicon):
    module = _module()
    weights = et.load_weights()
    analyse = tokens.native_analyser(lex_native, module)
    pick = et.native_picker(lex_native, weights, module)
    return (
        analyse,
        pick,
        et.picker(weights),
        native_actors(lex_native, module),
        role.native_mentions(lex_native, module),
    )


def test_tokens_and_trigger_of_every_real_sentence():
    lex = _lex()
    paths = _paths(lex)
    rng = random.Random(17)
    sentences = _sentences()
    assert len(sentences) > 10_000
    for n, (text, start, end) in enumerate(sentences):
        full = None  # the tokens only
        if n < FULL_SENTENCES or n % FULL_EVERY == 0:
            full = True  # every start token
        elif n % PICK_EVERY == 0:
            full = False  # sampled start tokens
        _check(lex, lex, paths, text, start, end, rng, full)


def test_tokens_with_a_memo_of_its_own():
    """Each path with a fresh lexicon: the native one reads (and remembers) chunks the Python
    one has not seen, and both still give the same tokens."""
    lex_python, lex_native = EventLexicon(), EventLexicon()
    analyse = _paths(lex_native)[0]
    for text, start, end in _sentences():
        assert analyse(text, start, end) == tokens.analyse(lex_python, text, start, end)
    assert lex_native.kind_memo_size == lex_python.kind_memo_size


def test_a_memo_that_starts_afresh_gives_the_same_tokens(monkeypatch):
    """A small chunk memo, emptied again and again while both paths read: the compiled
    analyser keeps its first state's table (emptied in place) and gives the same tokens."""
    monkeypatch.setattr(tokens, "EVENT_CHUNK_MEMO_MAX", 64)
    lex_python, lex_native = EventLexicon(), EventLexicon()
    analyse = _paths(lex_native)[0]
    for text, start, end in _sentences():
        assert analyse(text, start, end) == tokens.analyse(lex_python, text, start, end)
        assert lex_native.kind_memo_size <= 64


def test_random_texts_odd_offsets_and_white_space():
    lex = _lex()
    paths = _paths(lex)
    rng = random.Random(18)
    for text in realtexts.random_texts(600, seed=19):
        for start, end in [(0, len(text)), *_line_spans(text)]:
            _check(lex, lex, paths, text, start, end, rng, True)
        a = rng.randint(0, len(text))
        b = rng.randint(a, len(text) + 5)  # an end past the text: the slice stops at its end
        _check(lex, lex, paths, text, a, b, rng, True)


_ODD_PIECES = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=6),
    st.sampled_from(list(" \t\n\u00a0\u2009\u3000\u2028'\u2019-.,;:()\"\u201c\u201d\u2014")),
    st.sampled_from(["s", "S", "the", "said", "on", "Monday", "strike", "'s", "\u0130", "U.S."]),
)
_ODD = st.lists(_ODD_PIECES, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_ODD, cut=st.integers(0, 90))
def test_odd_unicode(text, cut):
    lex = _lex()
    paths = _paths(lex)
    rng = random.Random(cut)
    _check(lex, lex, paths, text, 0, len(text), rng, True)
    _check(lex, lex, paths, text, min(cut, len(text)), len(text), rng, True)


def test_the_whole_stage_on_bench_pages(monkeypatch):
    """rows.event_rows with the native path and with NEWSLINE_NATIVE=0 give equal rows."""
    from bench import stages as S
    from bench.ab_stages import bench_files
    from transforms.temporal.tagger import DateTagger

    _module()
    docs = S._read(bench_files(120))
    splits = S._split(docs, {"repeated": None, "n_docs": 1})
    tagged = S._dates(DateTagger(), splits)
    with_native = EventExtractor()
    assert with_native.native_pick is not None and with_native.native_analyse is not None
    monkeypatch.setenv(native.ENV_SWITCH, "0")
    python = EventExtractor()
    assert python.native_pick is None and python.native_analyse is None
    got, expected = S._events(tagged, with_native), S._events(tagged, python)
    assert len(expected[0]) > 1000
    assert got == expected


def test_a_sentence_with_every_kind_of_candidate():
    """Hand-made sentences that reach each trigger feature (possessive date, date inside a
    noun phrase, when-clause, fronted phrase, reporting verb beside another verb)."""
    lex = _lex()
    paths = _paths(lex)
    rng = random.Random(3)
    for text in (
        "Tuesday's vote came after the Oct. 23 shooting, officials said on Monday.",
        "In composite trading Friday, Aetna closed at $60, up 2%.",
        "It began in 1979 when the Soviet Union invaded Afghanistan.",
        "The U.S. military said on Sunday it had carried out a drone strike on July 7.",
        "The company, which was founded in 1998 and moved to Paris, is to report results.",
        "Sales, compared with 2003 levels, were including it's been going to rise.",
    ):
        _check(lex, lex, paths, text, 0, len(text), rng, True)


# Verb pairs ("vv") whose first verb the tokeniser may read as a noun (tokens._subject_nouns,
# compiled in Analyser): an -s form before a past form or another lemma, or not.
_PAIRS = (
    "Upjohn shares rose 5% on Monday.",
    "The company says talks collapsed and costs rose, prices fell, sales rise.",
    "Sales rose, stocks fell, bonds rallied and the talks continued on Tuesday.",
    "He wants goes; she needs helps; it seems seems; the plans failed failed.",
    "Investors sells sold sells sold buys bought on March 3.",
    "s rose S fell rises rose rises rises raised raises raise rose",
)


def test_verb_pairs_read_as_subject_nouns():
    lex = _lex()
    paths = _paths(lex)
    rng = random.Random(20)
    for text in (*_PAIRS, " ".join(_PAIRS), "\n".join(_PAIRS)):
        _check(lex, lex, paths, text, 0, len(text), rng, True)
        fresh = EventLexicon()
        assert paths[0](text, 0, len(text)) == tokens.analyse(fresh, text, 0, len(text))


# Words the actor-type rules read (names of the name table, org and place words, titles, name
# joiners, acronyms), cased every way, and odd unicode: the pool of the type tests below.
_TYPE_WORDS = (
    "Syria", "NATO", "Bush", "Ministry", "Command", "Inc", "Inc.", "Street", "Province",
    "President", "Mr.", "Dr", "DR.", "dr.", "Gen.", "leader", "Secretary", "of", "State", "Mike",
    "Pompeo", "al-Baghdadi", "bin", "U.S.", "U.N.", "UN", "A.", "X", "x", "Abu", "Bakr", "de",
    "van", "Van", "Bank", "England", "BANK", "bank.", "\u0130stanbul", "\u00c4rzte", "Stra\u00dfe",
    "STRASSE", "\u212a.", "\u01c5ur", "\u00e9lys\u00e9e", "\u00c9LYS\u00c9E", "\u03a3\u039f\u03a3",
    "\u041c\u043e\u0441\u043a\u0432\u0430", "\u6771\u4eac", "", ".", "..", "-", "&", "O'Neil",
)  # fmt: skip


def _native_actor_parts(lex):
    from transforms.events.actors import native_actor_parts

    return native_actor_parts(lex, _module())


def test_actor_types_against_the_reference():
    """Actors.rule_type (the compiled copy of actors._rule_type, which types each new name of
    the compiled path) against the reference, on names of one to five words of _TYPE_WORDS
    with a word before each (a title, a full stop's word, a lowercase word, none)."""
    from transforms.events.actors import _rule_type

    lex = _lex()
    parts = _native_actor_parts(lex)
    rng = random.Random(51)
    befores = ["", "president", "mr.", "dr", ".", "the", "\u0130", "secretary", "gen.."]
    cases = [((w,), b) for w in _TYPE_WORDS for b in befores[:3]]
    names = list(lex.names)
    for _ in range(6000):
        if rng.random() < 0.2:  # a name of the table, as the chunker would cut it
            words = tuple(rng.choice(names).split())
        else:
            words = tuple(rng.choice(_TYPE_WORDS) for _ in range(rng.randint(1, 5)))
        cases.append((words or ("",), rng.choice(befores)))
    for words, before in cases:
        for name in (" ".join(words), "".join(words)):
            want = _rule_type(lex, name, words, before)
            assert parts.rule_type(name, words, before) == want, (name, words, before)


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=5),
    before=st.text(max_size=5),
)
def test_actor_types_of_odd_unicode(words, before):
    from transforms.events.actors import _rule_type

    lex = _lex()
    name = " ".join(words)
    want = _rule_type(lex, name, tuple(words), before)
    assert _native_actor_parts(lex).rule_type(name, tuple(words), before) == want


def test_actor_type_memo_starts_afresh_as_the_reference(monkeypatch):
    """A type memo of at most two names (ACTOR_TYPE_MEMO_MAX, read by both paths): the compiled
    path clears it and stores as actors._type does (memo.remember), the same actors come out."""
    from transforms.events import actors as ea

    monkeypatch.setattr(ea, "ACTOR_TYPE_MEMO_MAX", 2)
    text = (
        "President Bush met NATO leaders, Syria, Mr. Smith, the Bank of England and "
        "\u00c4rzte ohne Grenzen in Berlin on Monday to discuss the strike."
    )
    lex_python, lex_native = EventLexicon(), EventLexicon()
    p = tokens.analyse(lex_python, text, 0, len(text))
    bounds = sentence_bounds(p)
    actors = ea.native_actor_parts(lex_native, _module()).actors
    k = p.words.index("met")
    want = trigger_actors(lex_python, text, p, bounds, {}, k, (0, 0))
    assert len(want) >= 4
    assert actors(text, p, bounds, {}, k, 0, 0) == want
    assert lex_native.actor_type_memo == lex_python.actor_type_memo
    assert len(lex_native.actor_type_memo) <= 2


def test_comparison_cues_of_one_to_three_words():
    """The compiled comparison check looks a two- or three-word cue up only when the word
    before the date follows a space of some cue (Triggers.cmp_tails): the lexicon's cues and
    added three-word ones, each before a date, each near miss (another first word, a cue's
    first words alone, a tail word alone), against role._comparison."""
    lex = EventLexicon()
    cues = set(lex.words("comparison_before")) | {"in line with", "up from last", "as of"}
    lex.lower_lists["comparison_before"] = frozenset(cues)
    mentions = role.native_mentions(lex, _module())
    phrases = set()
    for cue in cues:
        words = cue.split(" ")
        phrases |= {cue, f"sales {cue}", f"not {cue}", " ".join(words[:-1]), words[-1]}
        phrases |= {f"x {' '.join(words[1:])}", f"{words[0]} x {words[-1]}"}
    n_true = 0
    for phrase in sorted(phrases):
        text = f"Sales rose 5% {phrase} March 2003 levels."
        p = tokens.analyse(lex, text, 0, len(text))
        for i in range(len(p.words) + 1):
            for j in range(i, min(i + 3, len(p.words)) + 1):
                want = bool(role._comparison(lex, p, i, j))
                assert mentions.comparison(p, i, j) == want, (text, i, j)
                n_true += want
    assert n_true > 100
