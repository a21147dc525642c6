"""The splitter's narrow seams (issue 14): the per-line features (features.scan_line) and the
vocabulary match (Vocabulary.first_rule, with its LiteralSet pre-check) give identical plain
values to their reference on real and random text (tests/realtexts.py): the 93 shared pages,
the cases and seeds, bench pages, each also hard-wrapped, and seeded random strings."""

from __future__ import annotations

import pickle
import sys
import unicodedata

import pytest

import transforms.boilerplate.thresholds as T
from tests import realtexts
from transforms.boilerplate import features as F
from transforms.boilerplate.features import LineFeatures, scan_line
from transforms.boilerplate.vocab import Vocabulary, load_stopwords
from transforms.textscan.literals import BACKENDS, LiteralSet

STOPWORDS = load_stopwords()
VOCAB = Vocabulary.load(backend="python")


def plain_features(text: str, stopwords: frozenset[str]) -> tuple[LineFeatures, str]:
    """Every feature by its definition, without the fast paths of features.py (ASCII regexes,
    skipped searches, counts by subtraction): the reference the seam must agree with."""
    stripped = text.strip()
    words = F._WORD.findall(stripped)
    n_cjk = len(F._CJK.findall(stripped))
    latin = [w for w in words if not F._CJK.search(w)]
    stop = [w.lower() in stopwords for w in latin]
    n_stop = sum(stop)
    caps = sum(1 for w, s in zip(latin, stop, strict=True) if w[0].isupper() and not s)
    feats = LineFeatures(
        text=stripped,
        n_chars=len(stripped),
        n_words=len(latin) + n_cjk / T.CJK_CHARS_PER_WORD,
        n_stop=n_stop,
        stop_ratio=n_stop / len(latin) if latin else 0.0,
        cap_ratio=caps / max(1, len(latin) - n_stop),
        ends_sentence=F.ends_like_sentence(stripped),
        bullet=F._BULLET.match(text) is not None,
        link_seps=len(F._LINK_SEP.findall(stripped)),
        embed_signature=F._EMBED_SIGNATURE.match(stripped) is not None,
    )
    lowered = unicodedata.normalize("NFKC", text).lower()
    norm = " ".join(F._KEY_TOKEN.findall(F._DIGITS.sub("#", lowered)))
    return feats, norm


def test_line_features_seam_gives_the_plain_definition_on_real_and_random_text():
    lines = realtexts.lines()
    assert len(lines) > 20000
    differ = [t for t in lines if scan_line(t, STOPWORDS) != plain_features(t, STOPWORDS)]
    assert differ == []
    # the texts reach the paths the fast code takes apart
    assert any(not t.isascii() for t in lines) and any(F._CJK.search(t) for t in lines)
    assert any(F._EMBED_SIGNATURE.match(t) for t in lines)


def test_vocabulary_seam_gives_the_rules_one_by_one_on_real_and_random_text():
    lines = realtexts.lines()
    found = [VOCAB.first_rule(t) for t in lines]
    assert found == [VOCAB.first_rule_plain(t) for t in lines]
    assert len({i for i in found if i >= 0}) >= 20  # many rules fire, not only a few
    hits = [VOCAB.hits[i] if i >= 0 else None for i in found]
    assert [VOCAB.match(t) for t in lines] == hits


def _installed(backend: str) -> bool:
    try:
        LiteralSet(["x"], backend)
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("backend", BACKENDS[1:])
def test_literal_set_backends_agree_with_the_trie(backend):
    """Every other backend of the trigger pre-check answers as the reference trie ("python")
    on the splitter's own trigger bands, over every text of the seam tests (lower-cased, as
    the vocabulary asks) and over words cut out of the triggers themselves. (A backend is a
    pinned dependency: not installed is a failure, not a skip.)"""
    assert _installed(backend), f"backend {backend} is in BACKENDS but its wheel is missing"
    texts = [t.lower() for t in realtexts.lines()]
    for _, band in VOCAB.trigger_bands:
        reference = LiteralSet(band.words, "python")
        other = LiteralSet(band.words, backend)
        texts_here = texts + [w[1:] for w in band.words] + [f"a {w} b" for w in band.words]
        assert [other.any_in(t) for t in texts_here] == [reference.any_in(t) for t in texts_here]
    assert LiteralSet([], backend).any_in("anything") is False
    assert LiteralSet(["", "x"], backend).any_in("") is True
    again = pickle.loads(pickle.dumps(LiteralSet(["share", "subscri"], backend)))
    assert again.any_in("please subscribe") and not again.any_in("nothing here")


@pytest.mark.parametrize("backend", BACKENDS[1:])
def test_vocabulary_answers_the_same_with_every_backend(backend):
    lines = [t for t in realtexts.lines() if len(t) <= VOCAB.max_chars]
    vocab = Vocabulary.load(backend=backend)
    assert [vocab.first_rule(t) for t in lines] == [VOCAB.first_rule(t) for t in lines]


def test_the_job_uses_the_fastest_backend_and_a_worker_without_it_falls_back(monkeypatch):
    from transforms.boilerplate.splitter import Splitter
    from transforms.textscan.literals import fast_backend

    assert fast_backend() == BACKENDS[1]  # the pinned wheel is installed
    splitter = Splitter()
    assert splitter.vocabulary.trigger_bands[0][1].backend == fast_backend()
    shipped = pickle.dumps(splitter)
    monkeypatch.setitem(sys.modules, "ahocorasick", None)  # a worker without the wheel
    assert fast_backend() == "python"
    there = pickle.loads(shipped)
    assert {band.backend for _, band in there.vocabulary.trigger_bands} == {"python"}
    page = "\n".join(realtexts.pages()[0].split("\n")[:80])
    assert there.split(page) == splitter.split(page)
