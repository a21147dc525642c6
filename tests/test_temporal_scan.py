"""Differential tests of the tagger's two seams (transforms/temporal/scan.py, issue 14): each
seam's implementation must give exactly the tuples of an independent reading of its spec, on
random text and real text (the rule examples, seeds/, generated bench pages and, where the
shared corpus is present, TimeBank/AQUAINT paragraphs). A faster backend for either seam is
checked by the same functions (`dispatch_differences`, `grammar_differences`)."""

from __future__ import annotations

import random
import re
from pathlib import Path

from transforms.temporal.context import CASE_FOLD_EXTRAS
from transforms.temporal.grammar import RULES_DIR, load_yaml
from transforms.temporal.scan import (
    MAX_CHUNK_BACK,
    MAX_PREFIX_WORDS,
    PREFIX_WINDOW,
    DispatchScan,
    GrammarScan,
)
from transforms.temporal.tagger import DateTagger, _same_length_lower

ROOT = Path(__file__).resolve().parents[1]
TAGGER = DateTagger()
# TimeBank/AQUAINT paragraphs and bench pages used (the plain grammar at every position costs
# about 13 us, so the real text is capped to keep the test near ten seconds).
TIMEBANK_PARAGRAPHS = 100
BENCH_PAGES = 15
RANDOM_TEXTS = 200


def _random_texts(n: int, seed: int = 16) -> list[str]:
    """Date-like word salad: trigger and prefix words, numbers in many shapes, punctuation,
    case changes and a few non-ASCII letters (some lowercase to two characters)."""
    vocab = TAGGER.grammar.vocab
    words = sorted({str(w) for w in vocab["triggers"]} | {str(w) for w in vocab["prefixes"]})
    shapes = ["1,384,119", "10:30", "2.5", "$2014", "US$66", "(202)", "'80s", "mid-1990s",
              "Q3", "FY89", "1650", "0930", "21st", "1/2", "2014-05-06", "5/6/2019", "İ",
              "Frıday", "ſoon", "é", "--", "\u201c", "''", "``", "'s", "\u2019s"]  # fmt: skip
    seps = [" ", " ", " ", ", ", ". ", "-", "\n", "  ", ": ", "; ", "/"]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(5, 40)):
            token = rng.choice(words) if rng.random() < 0.7 else rng.choice(shapes)
            if rng.random() < 0.3:
                token = token.capitalize() if rng.random() < 0.7 else token.upper()
            parts.append(token + rng.choice(seps))
        out.append("".join(parts))
    return out


def _real_texts() -> list[str]:
    rules = load_yaml(sorted(RULES_DIR.glob("dates*.yaml")))["rules"]
    texts = [ex["text"] for rule in rules for ex in rule.get("examples") or ()]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    from bench.generate import page
    from bench.material import Material, load_material, shared_dir, timebank_paragraphs

    try:
        shared = shared_dir()
    except FileNotFoundError:  # a clone without the shared corpus: seeds and rules only
        shared = None
    if shared is not None:
        texts += timebank_paragraphs(shared)[:TIMEBANK_PARAGRAPHS]
        material = load_material()
    else:
        material = Material(tuple(texts), tuple(t[:60] for t in texts))
    texts += [page(i, 7, material)[0] for i in range(BENCH_PAGES)]
    return texts


TEXTS = _real_texts() + _random_texts(RANDOM_TEXTS)


def _triggers_spec(scan: DispatchScan, triggers: frozenset[str], lower: str, a: int, b: int):
    """Trigger starts read position by position: a digit run, or the longest trigger word not
    followed by a letter, neither directly after a letter; no digit run inside a number."""
    out, p = [], a
    by_length = sorted(triggers, key=len, reverse=True)
    while p < b:
        if p > 0 and "a" <= lower[p - 1] <= "z":
            p += 1
            continue
        if lower[p].isascii() and lower[p].isdigit():
            q = p
            while q < b and lower[q].isascii() and lower[q].isdigit():
                q += 1
            if not (lower[p - 1 : p] in (",", ".", ":") and lower[p - 2 : p - 1].isdigit()):
                out.append(p)
            p = q
            continue
        for word in by_length:
            q = p + len(word)
            if q <= b and lower.startswith(word, p) and not (q < b and "a" <= lower[q] <= "z"):
                out.append(p)
                p = q
                break
        else:
            p += 1
    return tuple(out)


def _positions_spec(prefixes, text: str, lower: str, tstart: int, covered: int):
    """Positions for one trigger from a token list: the prefix words just before it (letter
    runs in `prefixes`; a number stops), then, unless it is one word after a space, the start
    of each one's whitespace-delimited chunk."""
    floor = max(covered, tstart - PREFIX_WINDOW)
    tokens = [m for m in re.finditer(r"[a-z]+|[0-9]+", lower[:tstart]) if m.end() > floor]
    starts = [tstart]
    for m in reversed(tokens):
        if len(starts) > MAX_PREFIX_WORDS or m.group()[0].isdigit():
            break
        word_start = max(m.start(), floor)
        if lower[word_start : m.end()] not in prefixes:
            break
        starts.append(word_start)
    if len(starts) == 1 and (tstart <= covered or text[tstart - 1].isspace()):
        return (tstart,)
    out = set()
    for pos in starts:
        limit = max(covered, pos - MAX_CHUNK_BACK)
        space = max((i for i in range(limit, pos) if text[i].isspace()), default=None)
        out |= {pos, limit if space is None else space + 1}
    return tuple(sorted(out))


def dispatch_differences(scan, texts: list[str]) -> list[tuple]:
    """(text index, what, got, expected) wherever ``scan`` (a DispatchScan or a backend with
    its interface) differs from the spec readings above."""
    triggers = frozenset(str(w).lower() for w in TAGGER.grammar.vocab["triggers"])
    prefixes = TAGGER.dispatch.prefixes
    bad = []
    for i, text in enumerate(texts):
        lower = _same_length_lower(text)
        got = scan.triggers(lower, 0, len(text))
        want = _triggers_spec(scan, triggers, lower, 0, len(text))
        if got != want:
            bad.append((i, "triggers", got, want))
        for tstart in got:
            for covered in {0, max(0, tstart - 30), max(0, tstart - 5), max(0, tstart - 1), tstart}:
                got_pos = scan.positions(text, lower, tstart, covered)
                want_pos = _positions_spec(prefixes, text, lower, tstart, covered)
                if got_pos != want_pos:
                    bad.append((i, ("positions", tstart, covered), got_pos, want_pos))
    return bad


def grammar_differences(scan, texts: list[str]) -> list[tuple]:
    """(text index, position, got, expected) wherever ``scan.match`` differs from the plain
    grammar (every rule, in order) tried at the same position, over every position; at a
    character that only IGNORECASE folds to an ASCII letter ("ſ", "ı") the spec is the rules
    that can start with any character (GrammarScan's docstring)."""
    plain, hit = TAGGER.grammar.pattern, TAGGER.scan.hit
    fallback = TAGGER.grammar.fallback or plain
    bad = []
    for i, text in enumerate(texts):
        lower = _same_length_lower(text)
        for pos in range(len(text)):
            grammar = fallback if text[pos] in CASE_FOLD_EXTRAS else plain
            m = grammar.match(text, pos, len(text))
            want = None if m is None else hit(m)
            got = scan.match(text, lower, pos, len(text))
            if got != want:
                bad.append((i, pos, got, want))
    return bad


def test_dispatch_seam_gives_the_positions_of_its_spec() -> None:
    assert dispatch_differences(TAGGER.dispatch, TEXTS) == []


def test_triggers_inside_a_span_are_those_of_the_spec() -> None:
    """Spans that start inside the text (the scan then starts one character early) and
    trigger words right after a digit run ("10am", "2019may"), which that scan must add."""
    triggers = frozenset(str(w).lower() for w in TAGGER.grammar.vocab["triggers"])
    words = sorted(triggers)
    rng = random.Random(14)
    glued = [
        "".join(f"{rng.randint(0, 3000)}{rng.choice(words)}{rng.choice(['', ' ', 'x', '5'])}"
                for _ in range(20))
        for _ in range(40)
    ]  # fmt: skip
    bad = []
    for text in TEXTS[::5] + glued:
        lower = _same_length_lower(text)
        for a in sorted({0, 1, 2, len(text) // 3, len(text) // 2, max(0, len(text) - 3)}):
            for b in {len(text), (a + len(text)) // 2}:
                got = TAGGER.dispatch.triggers(lower, a, b)
                want = _triggers_spec(TAGGER.dispatch, triggers, lower, a, b)
                if got != want:
                    bad.append((text[a:b][:80], a, b, got, want))
    assert bad == [], bad[:3]


def test_grammar_seam_gives_the_matches_of_the_plain_grammar() -> None:
    assert grammar_differences(TAGGER.scan, TEXTS) == []


def test_grammar_seam_is_the_plain_grammar_where_a_span_ends_in_a_phrase() -> None:
    """The span's end cuts a phrase: right after the first word, after its space, inside the
    second word, right after it (the phrase dispatch reads no further than the span)."""
    bad = []
    for text in TEXTS[::3]:
        lower = _same_length_lower(text)
        for m in re.finditer(r"(?<![a-z])[a-z]+ [a-z]*", lower):
            pos, stop = m.start(), m.end()
            if text[pos] in CASE_FOLD_EXTRAS:
                continue
            ends = range(lower.index(" ", pos), min(stop + 2, len(text)) + 1)
            bad += _seam_differences(text, lower, pos, ends)
    assert bad == [], bad[:3]


def test_grammar_seam_is_the_plain_grammar_where_a_span_ends_in_a_number() -> None:
    """The span's end cuts a digit run or falls right after it (the shape dispatch reads no
    further than the span), and odd characters follow digit runs."""
    odd = ["1ſt", "2014\u00a0people", "10\u2009am", "3\u212a", "12\u0130", "5٣", "7²",
           "1990–91", "4\x1cx", "20_14", "9×3", "2½ years", "1,384,119 in 2014.",
           "10:30 p.m. EDT"]  # fmt: skip
    bad = []
    for text in TEXTS[::3] + odd:
        lower = _same_length_lower(text)
        for m in re.finditer(r"(?<![0-9])[0-9]+", lower):
            pos, stop = m.span()
            bad += _seam_differences(text, lower, pos, range(pos + 1, min(stop + 2, len(text)) + 1))
    assert bad == [], bad[:3]


def _seam_differences(text: str, lower: str, pos: int, ends) -> list[tuple]:
    """(span text, seam's hit, plain grammar's hit) wherever the grammar seam, matching at
    `pos` up to each of `ends`, differs from the plain grammar."""
    bad = []
    for end in ends:
        found = TAGGER.grammar.pattern.match(text, pos, end)
        want = None if found is None else TAGGER.scan.hit(found)
        got = TAGGER.scan.match(text, lower, pos, end)
        if got != want:
            bad.append((text[pos:end], got, want))
    return bad


def test_seams_give_plain_tuples() -> None:
    text = "The talks ended on the first Monday of March 2019, at 10:30, $2014 aside."
    lower = text.lower()
    found = TAGGER.dispatch.triggers(lower, 0, len(text))
    assert all(type(t) is int for t in found)
    tstart = lower.index("monday")
    positions = TAGGER.dispatch.positions(text, lower, tstart, 0)
    assert positions[0] == lower.index("the first")  # prefix words "the first" tried first
    hit = TAGGER.scan.match(text, lower, positions[0], len(text))
    assert hit is not None and type(hit) is tuple
    start, end, branch, fields, ext_start, ext_end = hit
    assert text[start:end] == "the first Monday of March 2019"
    assert branch in TAGGER.grammar.by_branch and ext_start <= ext_end
    assert all(type(k) is str and type(v) is str for k, v in fields)


def test_a_scan_of_another_grammar_is_its_own() -> None:
    # A GrammarScan is built from the Grammar it is given (a backend gets the same input).
    assert GrammarScan(TAGGER.grammar).match("in 2019", "in 2019", 3, 7) is not None
