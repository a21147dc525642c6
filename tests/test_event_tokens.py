"""The event stage's fast paths give the answers of their plain definitions: the chunk memo of
the tokenizer against token-by-token classification over TOKEN_RE, the lazy sentence index
against the full one, clause punctuation and actor-start marks against their word lists."""

import random
from itertools import accumulate

import pytest

from transforms.events import tokens
from transforms.events.actors import ACTOR_BOUNDARY, sentence_bounds
from transforms.events.lexicon import EventLexicon
from transforms.text.sentences import LazySentenceIndex, SentenceIndex, sentence_spans

SENTENCES = [
    "The U.S. military said on Sunday it had carried out a drone strike in Syria on July 7.",
    "Upjohn shares rose 50 cents to $60.25 in composite trading Friday, officials told Reuters.",
    "ISIS leader Abu Bakr al-Baghdadi's death was announced (on Oct. 27) by the White House.",
    "It's the '90s again: police said 3rd-quarter profits fell 5% at 10:30 p.m. on 10/27/2019.",
    "Caf\u00e9 owners \u2014 \u201cwe\u2019re open\u201d \u2014 met Bush\u2019s aides in "
    "S\u00e3o Paulo on \u0663 May.",
    "In composite trading Friday, Aetna closed at $60, up 2%; rebels, troops and gunmen fled.",
    "Tuesday's vote and the Oct. 23 shooting   came after\ta news conference\nFriday.",
    "  leading and trailing white space, double  spaces and a tab\there ",
    "x",
    "",
]


def _reference(lex: EventLexicon, text: str, start: int, end: int) -> tuple:
    """Token-by-token: TOKEN_RE over the whole sentence, each token classified in turn."""
    parts = tokens.SPLIT_RE.split(text[start:end])
    words = parts[1::2]
    offsets = list(accumulate(map(len, parts), initial=start))
    state, kinds, lemmas = tokens.FIRST_STATE, [], []
    for word in words:
        kind, lemma, state = tokens._classify(lex, word, state)
        kinds.append(kind)
        lemmas.append(lemma)
    kind_str, lemma_t = "".join(kinds), tuple(lemmas)
    if "vv" in kind_str:
        kind_str, lemma_t = tokens._subject_nouns(tuple(words), kind_str, lemma_t)
    n = len(words)
    return (
        tuple(offsets[1::2][:n]), tuple(offsets[2::2][:n]), tuple(words), kind_str, lemma_t,
        tuple(w.lower() for w in words), tuple(k for k, c in enumerate(kind_str) if c in "nvx"),
    )  # fmt: skip


@pytest.fixture(scope="module")
def lex():
    return EventLexicon()


@pytest.mark.parametrize("sentence", SENTENCES)
def test_chunk_memo_gives_the_tokens_kinds_and_offsets_of_token_by_token(lex, sentence):
    text = "prefix text. " + sentence + " suffix."
    start, end = 13, 13 + len(sentence)
    expected = _reference(lex, text, start, end)
    for _ in range(2):  # the first call fills the memo, the second reads it
        parsed = tokens.analyse(lex, text, start, end)
        assert tuple(parsed[:7]) == expected
        spans = zip(parsed.starts, parsed.ends, parsed.words, strict=True)
        assert all(text[s:e] == w for s, e, w in spans)


def test_a_full_memo_starts_afresh_and_reads_chunks_the_same_way(monkeypatch):
    lex = EventLexicon()
    monkeypatch.setattr(tokens, "EVENT_CHUNK_MEMO_MAX", 8)
    first = tokens._table(lex, tokens.FIRST_STATE)
    for _ in range(2):
        for sentence in SENTENCES:
            parsed = tokens.analyse(lex, sentence, 0, len(sentence))
            assert tuple(parsed[:7]) == _reference(lex, sentence, 0, len(sentence))
            held = sum(len(table) for table in lex.kind_memo.values())
            assert held == lex.kind_memo_size <= 8
    assert lex.kind_memo_size > 0  # it keeps remembering after starting afresh
    assert tokens._table(lex, tokens.FIRST_STATE) is first  # emptied in place, not replaced


def test_the_reading_memo_stays_bounded_and_reads_forgotten_forms_the_same(monkeypatch):
    from transforms.events import lexicon

    fresh = EventLexicon()
    forms = [w.lower() for s in SENTENCES for w in tokens.tokens(s)] + [
        f"word{i}" for i in range(40)
    ]
    expected = {form: fresh._read(form) for form in forms}
    monkeypatch.setattr(lexicon, "READING_MEMO_MAX", 16)
    small = EventLexicon()
    for _ in range(2):
        for form in forms:
            assert small.reading(form) == expected[form]
            assert len(small._memo) <= 16


def test_actor_starts_are_capitalised_hyphenated_or_actor_nouns(lex):
    text = SENTENCES[2] + " Police and rebels met the al-Qaeda envoy; officials left."
    parsed = tokens.analyse(lex, text, 0, len(text))
    nouns = lex.words("actor_nouns")
    expected = tuple(
        t
        for t, w in enumerate(parsed.words)
        if w[0].isupper() or "-" in w or w in nouns
    )
    assert parsed.name_starts == expected
    assert "police" not in expected and parsed.words[expected[0]] == "ISIS"


def test_clause_punctuation_is_the_actor_boundary_tokens(lex):
    for sentence in SENTENCES:
        parsed = tokens.analyse(lex, sentence, 0, len(sentence))
        expected = [t for t, w in enumerate(parsed.words) if w in ACTOR_BOUNDARY]
        assert sentence_bounds(parsed) == expected


def test_lazy_sentence_index_finds_what_the_full_index_finds():
    text = (
        "First line. It has two sentences.\n\nMr. Smith went to Washington. He left!\n"
        "   Indented line? Yes.  \nlast"
    )
    lines = [(0, 33), (35, 73), (74, 101), (102, len(text))]
    full = SentenceIndex(sentence_spans(text, lines))
    for spans in (lines, [lines[2], lines[0], lines[3]], [(0, 50), (30, 80)]):  # ordered or not
        full = SentenceIndex(sentence_spans(text, spans))
        lazy = LazySentenceIndex(text, spans)
        assert [lazy.find(k) for k in range(len(text) + 2)] == [
            full.find(k) for k in range(len(text) + 2)
        ]
        # a line is read only as far as asked so far: any order of questions, same answers
        offsets = list(range(len(text) + 2))
        for order in (offsets[::-1], random.Random(3).sample(offsets, len(offsets))):
            lazy = LazySentenceIndex(text, spans)
            assert [lazy.find(k) for k in order] == [full.find(k) for k in order]
