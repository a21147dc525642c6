"""The event stage's per-document accelerator (transforms/native/_eventrows.pyx: skip reasons,
sentence index, date_role, row dicts) against the pure-Python reference (``rows.event_rows``
with NEWSLINE_NATIVE=0), on the same inputs, row for row and column order included:

- the job's own mentions (date tagger) on TimeBank + AQUAINT, the shared boilerplate pages,
  the repository's pages and seeds, the benchmark pages (each also hard-wrapped), split by the
  job's splitter;
- synthetic mentions at random offsets of those texts (token-aligned or not, any TIMEX3 type,
  granularity and tense, over line breaks, outside the body), so that every date_role check
  and skip reason is reached far more often than real dates reach it;
- handmade lines for each role reason, random texts and hypothesis' odd unicode, with body
  spans as lines, overlapping or unsorted (the reference's own sentence index then).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import realtexts
from transforms import native
from transforms.boilerplate.splitter import Removed
from transforms.events import rows as events
from transforms.events.extract import EventExtractor
from transforms.events.tokens import TOKEN_RE
from transforms.records import Doc
from transforms.temporal.tagger import DateMention
from transforms.text.pubdate import Anchor

# the types whose fields the compiled document row reads from the instance dict
_FIELD_TYPES = (DateMention, Removed)

pytestmark = pytest.mark.skipif(
    not native.enabled(), reason="NEWSLINE_NATIVE=0: nothing to compare"
)
# Synthetic mentions per text (in addition to the tagger's).
SYNTHETIC = 25
# Handmade lines reaching each role reason (and the checks between them).
LINES = (
    "Published October 27, 2020",
    "- Secretary Pompeo (@SecPompeo) October 27, 2020",
    "Posted by Ann -- October 27, 2020",
    "WASHINGTON, March 3 - The Senate voted on Tuesday to end the strike.",
    "LONDON, March 3 (Reuters) - Shares fell on Monday.",
    "Olivia on October 4, 2018 at 10:58 am said:",
    "READ | Trump signs order on Monday",
    "\u2022 Election results, November 2019",
    "See https://example.com/2019/10/27/story-of-the-day for the story.",
    "Sales rose 5% from 2003 and were higher than in 2002, compared with 2001 levels.",
    "It was the first win since 2008, up 3 points over 2015.",
    "In today's world, prices rise every day.",
    "Today marks one year since the attack.",
    "Today is a good day; now the market is open.",
    "In November, the air gets cool and farmers usually harvest.",
    "Every year in March the town holds a fair.",
    "She sent an electronic Christmas card and our May 2018 blog post.",
    "The 2004 budget passed; the 1998 embassy bombings killed 224 people.",
    "Tuesday's vote came after the Oct. 23 shooting, officials said on Monday.",
    "The U.S. military said on Sunday it had carried out a drone strike on July 7.",
    "Mr. Smith arrived on Jan. 5. He left Feb. 6! Did he return on March 7? Yes.",
    'He said "It ended in May." Then (in June) it began again.',
    # the reported clause, verb-group tense, habitual scope and actor rules (both paths)
    "The agency reported that two weeks ago, on March 3, it had recalled 4,000 cars.",
    "Officials said the bridge could open in 2024 and would be able to carry trucks by May.",
    "A levy imposed in April would remain, and the board is likely to meet on Friday.",
    "The fair, which usually lasts a week, opened on June 2 this year; it has closed since.",
    "Another storm hit Cuba on Friday, and Cuba asked Dr. Okafor for help in July.",
    "With a late June wheat harvest, the council in 2015 approved the May 5 shooting case.",
)


@functools.cache
def _extractors() -> tuple[EventExtractor, EventExtractor]:
    """(native, pure Python): the second built with NEWSLINE_NATIVE=0."""
    fast = EventExtractor()
    if fast.native_rows is None:  # a compiler here must have built it (tests/test_native.py)
        pytest.fail("transforms.native._eventrows not built: make .venv/.installed")
    saved = os.environ.get(native.ENV_SWITCH)
    os.environ[native.ENV_SWITCH] = "0"
    try:
        slow = EventExtractor()
    finally:
        if saved is None:
            del os.environ[native.ENV_SWITCH]
        else:
            os.environ[native.ENV_SWITCH] = saved
    assert slow.native_rows is None and slow.native_analyse is None
    return fast, slow


def _outcome(extractor, doc, anchor, published, spans, mentions):
    try:
        return events.event_rows(doc, anchor, published, spans, mentions, extractor)
    except Exception as exc:  # noqa: BLE001 - both paths must fail alike
        return type(exc).__name__


def _same(doc, spans, mentions, anchor=None, published=None) -> int:
    """Both paths on one document; equal rows (columns in the same order) and skip counts.
    Returns the number of rows."""
    anchor = anchor or Anchor(dt.date(2019, 10, 27), "prefix")
    fast, slow = _extractors()
    got = _outcome(fast, doc, anchor, published, spans, list(mentions))
    want = _outcome(slow, doc, anchor, published, spans, list(mentions))
    assert got == want, doc.source
    if isinstance(want, str):
        return 0
    for have, expected in zip(got[0], want[0], strict=True):
        assert list(have) == list(expected)
    return len(want[0])


def _doc(text: str, name: str) -> Doc:
    return Doc(name, f"/data/{name}.txt", text, None, "none", 0, "utf-8")


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _synthetic(text: str, rng: random.Random, n: int = SYNTHETIC) -> list[DateMention]:
    """n mentions at random places of ``text``: mostly one to four whole tokens, else any
    span; each with a random type, value, range, granularity and tense."""
    toks = [(m.start(), m.end()) for m in TOKEN_RE.finditer(text)]
    out = []
    for _ in range(n):
        if toks and rng.random() < 0.8:
            a = rng.randrange(len(toks))
            b = min(len(toks) - 1, a + rng.randrange(4))
            start, end = toks[a][0], toks[b][1]
        else:
            start = rng.randint(0, len(text))
            end = min(len(text), start + rng.randint(0, 30))
        day = dt.date(2000 + rng.randrange(25), 1 + rng.randrange(12), 1 + rng.randrange(28))
        placed = rng.random() < 0.7
        out.append(
            DateMention(
                start,
                end,
                text[start:end],
                rng.choice(("DATE", "DATE", "DATE", "TIME", "DURATION", "SET")),
                rng.choice(("2019-10-27", "XXXX-07-07", "XXXX-07", "PRESENT_REF", "P3D", "2019")),
                day if placed else None,
                day if placed else None,
                rng.choice(("day", "month", "season", "year", None)),
                "synthetic",
                rng.choice((None, "START", "APPROX")),
                rng.choice(("past", "present", "future", "none", None)),
            )  # fmt: skip
        )
    out.sort(key=lambda m: (m.start, m.end))
    return out


@functools.cache
def _tagged() -> tuple:
    """The job's stages up to dates on every real text: [(doc, split, anchor, published,
    mentions)]."""
    from bench import stages as S
    from tests.test_native_events import _timebank_texts

    texts = list(realtexts.pages()) + _timebank_texts()
    docs = [_doc(text, f"real-{n}") for n, text in enumerate(texts)]
    splits = S._split(docs, {"repeated": None, "n_docs": 1})
    from transforms.temporal.tagger import DateTagger

    tagged = S._dates(DateTagger(), splits)
    assert len(tagged) > 700
    return tuple((t[0], t[1], t[2], t[3], t[5]) for t in tagged)


def test_the_jobs_mentions_on_real_pages():
    n_rows = 0
    for doc, split, anchor, published, mentions in _tagged():
        n_rows += _same(doc, split.body_spans, mentions, anchor, published)
    assert n_rows > 5000


def test_document_rows_on_real_pages():
    """The compiled documents-table row against rows.document_row_reference."""
    module = native.load("eventrows")
    assert module is not None, "transforms.native._eventrows not built: make .venv/.installed"
    for doc, split, anchor, published, mentions in _tagged():
        args = (doc, split, anchor, published, "prefix", mentions, len(mentions))
        want = events.document_row_reference(*args)
        # by getattr, and with the fields of DateMention and Removed read from their dicts
        for got in (module.document_row(*args), module.document_row(*args, *_FIELD_TYPES)):
            assert got == want, doc.source
            assert list(got) == list(want)


def test_synthetic_mentions_on_real_pages():
    rng = random.Random(41)
    n_rows = 0
    for doc, split, anchor, published, mentions in _tagged():
        spans = split.body_spans if rng.random() < 0.7 else _line_spans(doc.text)
        mixed = sorted([*mentions, *_synthetic(doc.text, rng)], key=lambda m: m.start)
        n_rows += _same(doc, spans, mixed, anchor, published)
    assert n_rows > 5000


def test_each_role_reason_and_sentence_end():
    rng = random.Random(42)
    fast, _ = _extractors()
    reasons = set()
    for joiner in ("\n", " ", "\n\n"):
        text = joiner.join(LINES)
        doc = _doc(text, "handmade")
        mentions = _synthetic(text, rng, 400)
        _same(doc, _line_spans(text), mentions)
        found, _ = events.event_rows(
            doc, Anchor(None, "none"), None, _line_spans(text), mentions, fast
        )
        reasons |= {row["role_reason"] for row in found}
    assert reasons == {None, *events.role.ROLE_REASONS}


def test_comment_header_lines():
    """Short lines that end (or nearly end) in a comment header's ":": the compiled path skips
    the search of a line whose last non-space character is not ":", for role.py's pattern."""
    assert native.load("eventrows").COMMENT_HEADER_PATTERN == events.role._COMMENT_HEADER_RE.pattern
    heads = (
        "Olivia on October 4, 2018 at 10:58 am said",
        "Ann wrote on May 3, 2019",
        "On May 3, 2019, Bo replied",
        "Bo commented on March 2, 2020 saying",
    )
    tails = (":", ": ", " :\u00a0", ":\u3000\t", ":.", ": ok", ":\u2028", "\u2009:\r", "", ";")
    text = "\n".join(head + tail for head in heads for tail in tails)
    rng = random.Random(47)
    assert _same(_doc(text, "comments"), _line_spans(text), _synthetic(text, rng, 200)) > 0


def test_random_texts_and_odd_body_spans():
    rng = random.Random(43)
    for n, text in enumerate(realtexts.random_texts(400, seed=44)):
        doc = _doc(text, f"random-{n}")
        mentions = _synthetic(text, rng, 10)
        spans = _line_spans(text)
        _same(doc, spans, mentions)
        # overlapping, unsorted and out-of-range spans: the reference's own sentence index
        odd = [(a, min(len(text) + 3, b + rng.randint(0, 9))) for a, b in spans]
        _same(doc, odd[::-1], mentions)
        _same(doc, [(0, len(text)), *spans], mentions)


_ODD_PIECES = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=6),
    st.sampled_from(list(" \t\n\u00a0\u2009\u3000\u2028'\u2019-.,;:()\"\u201c\u201d\u2014/|")),
    st.sampled_from(["today", "said", "on", "Monday", "strike", "'s", "\u0130", "U.S.", "Mr.",
                     "http://", "www.", "than", "from", "5%", "\u00b2", "WASHINGTON,"]),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_ODD_PIECES, max_size=40), seed=st.integers(0, 2**16))
def test_odd_unicode(pieces, seed):
    text = "".join(pieces)
    rng = random.Random(seed)
    _same(_doc(text, "odd"), _line_spans(text), _synthetic(text, rng, 12))


def test_event_id_hash_against_hashlib():
    """The C BLAKE2b of the event ids (one block, several blocks, empty, block boundaries)."""
    import hashlib

    module = native.load("eventrows")
    rng = random.Random(45)
    sizes = [*range(0, 300), 383, 384, 385, 1000, *(rng.randrange(2000) for _ in range(200))]
    for size in sizes:
        data = bytes(rng.randrange(256) for _ in range(size))
        assert module.blake2b8_hex(data) == hashlib.blake2b(data, digest_size=8).hexdigest()


def test_event_ids_of_odd_document_ids_and_offsets():
    """Ids whose message does not fit the C buffer (a long document id: hashlib), non-ASCII
    ids, and offsets that are not plain ints (hashlib, with their own str)."""

    class Offset(int):
        def __str__(self):
            return f"offset {int(self)}"

    rng = random.Random(46)
    text = "\n".join(LINES)
    for name in ("x" * 300, "d\u00e9j\u00e0-\u4e2d", "", "a" * 200):
        doc = _doc(text, name)
        _same(doc, _line_spans(text), _synthetic(text, rng, 40))
    mentions = [
        dataclasses.replace(m, start=Offset(m.start), end=Offset(m.end))
        for m in _synthetic(text, rng, 40)
    ]
    _same(_doc(text, "offsets"), _line_spans(text), mentions)


def _reordered(mention: DateMention) -> DateMention:
    """The same DateMention with its instance dict in reverse field order (the compiled rows
    walk the dict in declaration order and look a field up by name from the first other key)."""
    names = [f.name for f in dataclasses.fields(DateMention)]
    out = DateMention.__new__(DateMention)
    for name in reversed(names):
        object.__setattr__(out, name, getattr(mention, name))
    assert list(vars(out)) == names[::-1]
    return out


class _Plain:
    """A mention of another type: its fields read with getattr, a missing tense as "none"."""

    def __init__(self, mention: DateMention) -> None:
        for f in dataclasses.fields(DateMention):
            if f.name != "tense":
                setattr(self, f.name, getattr(mention, f.name))


def test_mentions_read_from_a_reordered_dict_or_by_attribute():
    rng = random.Random(47)
    text = "\n".join(LINES)
    mentions = _synthetic(text, rng, 120)
    for made in (_reordered, _Plain):
        _same(_doc(text, "fields"), _line_spans(text), [made(m) for m in mentions])
    module = native.load("eventrows")
    doc, split, anchor, published, real = next(t for t in _tagged() if t[1].removed)
    want = events.document_row_reference(doc, split, anchor, published, "prefix", real, 1)
    got = module.document_row(
        doc, split, anchor, published, "prefix", [_reordered(m) for m in real], 1,
        *_FIELD_TYPES,
    )  # fmt: skip
    assert got == want and list(got) == list(want)
    # removed pieces whose instance dict is in another order (a dict assigned whole, as
    # splitter.removed_piece does, and attributes set one by one, reversed)
    names = [f.name for f in dataclasses.fields(Removed)]
    for order in (names[::-1], names[1:] + names[:1]):
        pieces = []
        for piece in split.removed:
            made = Removed.__new__(Removed)
            object.__setattr__(made, "__dict__", {name: getattr(piece, name) for name in order})
            pieces.append(made)
            made = Removed.__new__(Removed)
            for name in order:
                object.__setattr__(made, name, getattr(piece, name))
            pieces.append(made)
        odd = dataclasses.replace(split, removed=pieces)
        want = events.document_row_reference(doc, odd, anchor, published, "prefix", real, 1)
        got = module.document_row(doc, odd, anchor, published, "prefix", real, 1, *_FIELD_TYPES)
        assert got == want and list(got) == list(want)


def test_compiled_rows_are_left_to_reference_counting():
    """A compiled row is untracked by the cycle collector (a tree: no cycle runs through it);
    storing a container in it tracks it again, as a dict does by itself."""
    import gc

    fast, _ = _extractors()
    text = "\n".join(LINES)
    rows, _ = events.event_rows(
        _doc(text, "tracked"), Anchor(None, "none"), None, _line_spans(text),
        _synthetic(text, random.Random(48), 60), fast,
    )  # fmt: skip
    assert rows and not any(gc.is_tracked(row) for row in rows)
    rows[0]["extra"] = []
    assert gc.is_tracked(rows[0])


def _dicts(value):
    """Every dict in ``value`` (a row or a list of them), nested ones included."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _dicts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _dicts(item)


def test_values_stored_in_place_make_the_same_dicts():
    """transforms/native/dictslots.pxd: on CPython 3.11 the events rows, their actors and the
    documents row's removed pieces, body spans and timexes are copies of a template with their
    values stored by position. Each is the reference's dict: equal, same key order, each key
    found by lookup, tracked by the cycle collector alike, and a dict like any other after."""
    import gc
    import sys

    from transforms.native import _eventrows, _events

    if sys.implementation.name == "cpython" and sys.version_info[:2] == (3, 11):
        assert _eventrows.IN_PLACE and _events.IN_PLACE
    fast, slow = _extractors()
    module = native.load("eventrows")
    n_dicts = 0
    for doc, split, anchor, published, mentions in _tagged()[:150]:
        args = (doc, anchor, published, split.body_spans, mentions)
        got = events.event_rows(*args, fast)[0]
        want = events.event_rows(*args, slow)[0]
        doc_args = (doc, split, anchor, published, "prefix", mentions, len(mentions))
        got.append(module.document_row(*doc_args, *_FIELD_TYPES))
        want.append(events.document_row_reference(*doc_args))
        for have, expected in zip(_dicts(got), _dicts(want), strict=True):
            assert have == expected and list(have) == list(expected)
            assert all(have[key] is value for key, value in have.items())
            if have is not got[-1] and not any(isinstance(v, list) for v in have.values()):
                assert gc.is_tracked(have) == gc.is_tracked(expected)
            n_dicts += 1
    assert n_dicts > 10000
    row = got[0]
    row["added"] = 1
    del row["doc_id"]
    row["trigger"] = "changed"
    assert list(row)[-1] == "added" and "doc_id" not in row and row["trigger"] == "changed"


_WORDS = st.text(alphabet=st.sampled_from("aeiouyst\u00e9\u00fc\u4e2d-'. "), max_size=70)


@settings(max_examples=300, deadline=None)
@given(cues=st.frozensets(_WORDS, max_size=8), words=st.lists(_WORDS, max_size=30))
def test_filtered_word_lookup_against_isdisjoint(cues, words):
    """The rows' filtered lookup (a word's length and first character before the set, as for
    the habitual cues of each sentence) answers ``not cues.isdisjoint(words)``: empty and long
    words, wide first characters, words in and out of the set."""
    module = native.load("eventrows")
    mixed = [*words, *rng_sample(cues, words)]
    assert module.any_in(cues, tuple(mixed)) == (not cues.isdisjoint(mixed))
    assert module.any_in(cues, tuple(words)) == (not cues.isdisjoint(words))


def rng_sample(cues: frozenset, words: list) -> list:
    """Up to two of ``cues`` (sorted, so that the test is deterministic), as equal copies."""
    return ["".join(list(cue)) for cue in sorted(cues)[: len(words) % 3]]


def test_filtered_word_lookup_of_the_habitual_cues():
    lex = EventExtractor().lex
    cues = lex.words("habitual_cues")
    module = native.load("eventrows")
    for text in ("it usually rains", "Usually it rains", "", "annually", "annual", "often"):
        words = tuple(text.split())
        assert module.any_in(cues, words) == (not cues.isdisjoint(words))
    assert module.any_in(frozenset({1, "a"}), (1,)) and not module.any_in(frozenset({2}), (1,))


def test_abbreviations_before_a_full_stop_ascii_and_not():
    """The compiled sentence split's lookup of the word before a full stop (a packed ASCII
    table, the lowercase str only for other words) against sentences.py: every abbreviation
    cased three ways, non-abbreviations, single capitals and non-ASCII words whose lowercase is
    or is not ASCII (KELVIN SIGN lowers to "k", U+0130 to "i" + a combining dot)."""
    from transforms.text.sentences import ABBREVIATIONS

    words = sorted(ABBREVIATIONS) + [
        "X", "x", "Ab", "Mister", "jan", "JAN", "e.g", "E.G", "U.S", "\u212a", "\u212ag",
        "\u0130", "\u0130nc", "\u00c9", "\u00e9", "Stra\u00dfe", "\u00df", "\u01c5",
        "\u03a3", "\u03c3", "Dr\u00e9", "\u0414\u0440", "\u6771", "Abcdefgh", "Abcdefghi",
    ]  # fmt: skip
    lines = []
    for word in words:
        for cased in (word, word.upper(), word.title()):
            lines.append(f"On Monday {cased}. Smith said on June 3 it rose. (Ok) \u201cYes.\u201d")
            lines.append(f"{cased}. 5 people met on Friday")
    text = "\n".join(lines)
    rng = random.Random(53)
    assert _same(_doc(text, "abbreviations"), _line_spans(text), _synthetic(text, rng, 800)) > 0
