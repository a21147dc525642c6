"""Clause tense around a date candidate: the nearest past or future cue of its clause.

The cue words are data (``future_cues``, ``past_cues``, ``present_cues`` of
transforms/temporal/rules/dates.yaml); a lowercase word in -ed counts as a past cue too.
:class:`TenseCues` is built once per DateTagger; :meth:`TenseCues.tense` is asked for every
mention the tagger writes (the event stage reads it), so it is on the date stage's hot path.

Two equivalent ways to find the cues of a window ``text[a:z]``:

* the reference: ``(?<![\\w'])cue(?!\\w)`` with IGNORECASE on the text itself (any text);
* the fast path, on the text lowercased with the same offsets (``lower``; the tagger passes it
  when no character folds differently, context.CASE_FOLD_EXTRAS): the same cues without
  IGNORECASE, and the look-behind written as one consumed separator character
  (``[^\\w']cue(?!\\w)``, searched from ``a - 1``). A pattern that starts with a character
  class lets Python's re skip from separator to separator instead of trying the pattern at
  every position (about a third less time). Both give the same cues (offset of the cue, its
  text, past or future) for every window with ``a >= 1``; a window at the very start of the
  text takes the reference look-behind. tests/test_temporal_tense.py compares both on every
  word of the test texts.

Compiled: ``Tense`` of transforms/native/_dates.pyx answers :meth:`TenseCues.tense` for the
lowercased text (the cue scan, the clause ends and the word-before pre-checks in C; the two
rare regex steps, present passive and past perfect, call this module's functions); the fast
path above stays the reference and the fallback (tests/test_native_dates.py compares both).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from transforms.native import load
from transforms.textscan.literals import literal_union

# The compiled scans (transforms/native/_dates.pyx), None without them (pure Python).
_NATIVE = load("dates")

# How far (characters) to look left/right of a candidate for tense cues: about one clause.
TENSE_WINDOW = 90
# Words an auxiliary may take before its verb: "will be held" is one future cue, so the
# participle "held" is not read as a separate past-tense cue.
_AUX_WORDS = ("not", "be", "have", "been", "also", "soon", "then", "probably", "likely", "again")
_AUX_TAIL = r"(?:\s+(?:" + "|".join(_AUX_WORDS) + r"))*(?:\s+[a-z]+)?"
# Characters that end a clause for the tense search. Quotes end a clause too, including the
# news wires' ``...'' convention.
CLAUSE_END = re.compile(r"[.!?;:\n]\s|\n|[\"“”]|''|``")
# The end of the LAST clause end in a window (one greedy match instead of all of them).
_LAST_CLAUSE_END = re.compile(r"(?s:.*)(?:" + CLAUSE_END.pattern + ")")
# The characters a clause end starts with (for last_clause_end, searched on reversed text).
_CLAUSE_END_FIRST = re.compile(r"[.!?;:\n\"“”'`]")
# To the right, a subordinate clause also ends the search ("warnings on Thursday that strikes
# could harm ...": "could" is not the tense of "Thursday").
_SUBORDINATE_WORDS = tuple("that which who because when while if although unless".split())
_SUBORDINATE = r"(?:" + "|".join(_SUBORDINATE_WORDS) + r")\s"
_RIGHT_CLAUSE_END = re.compile(r"[.!?;:\n]\s|\n|[\"“”]|''|``|,?\s" + _SUBORDINATE, re.IGNORECASE)
# ... for the lowercased text, without IGNORECASE and with ",?\s" as two branches that start
# with a character each: re then skips the letters between the possible starts (same matches).
_RIGHT_CLAUSE_END_LOWER = re.compile(
    r"[.!?;:\n]\s|\n|[\"“”]|''|``|,\s" + _SUBORDINATE + r"|\s" + _SUBORDINATE
)
# A lowercase word in -ed is read as a past-tense verb; "United", "Ahmed" (capitalized) and
# "hundred", "need", "indeed", "speed" are not.
_NOT_ED_VERBS = ("hundred", "need", "indeed", "speed", "seed", "feed")
# _ED_VERB for the lowercased text; a hit counts only where the text itself is lowercase.
_ED_VERB_LOWER = r"(?!(?:" + "|".join(_NOT_ED_VERBS) + r")(?!\w))[a-z]{2,}ed"
_ED_VERB = r"(?-i:" + _ED_VERB_LOWER + ")"
# The look-behind of a cue, and the separator character that stands for it on the fast path.
_NOT_AFTER = r"(?<![\w'])"
_SEPARATOR = r"[^\w']"

# "is expected", "are scheduled": a participle after a present-tense auxiliary is no past cue.
_AUXILIARIES = ("is", "are", "am", "be", "being")
_PRESENT_AUX = re.compile(r"(?:\b(?:" + "|".join(_AUXILIARIES) + r")|'s|'re)\s+$", re.IGNORECASE)
# "a still unspecified date", "the revised plan": a participle after a determiner (and at most
# one adverb) is an adjective, no past cue.
_DETERMINERS = ("a", "an", "the", "its", "their", "his", "her", "our")
_ADVERBS = (
    "still newly recently previously already once long much widely largely partly fully well "
    "less more most so"
).split()
_DETERMINER = re.compile(
    r"\b(?:" + "|".join(_DETERMINERS) + r")\s+(?:(?:" + "|".join(_ADVERBS) + r")\s+)?$",
    re.IGNORECASE,
)
# A future cue right after a past-perfect auxiliary is a plan that was due in the past ("had
# been due to land on Thursday", "had been set to dock on Tuesday").
_PERFECT_WORDS = ("had", "been", "already", "originally", "long")
_PAST_PERFECT = re.compile(
    r"\bhad(?:\s+(?:" + "|".join(_PERFECT_WORDS[1:]) + r"))*\s+$", re.IGNORECASE
)
# The last word of the three patterns above ends every text they match (before its white
# space; "s" and "re" of "it's", "they're"): a cue after any other word skips them.
_BEFORE_PARTICIPLE = frozenset(_AUXILIARIES + _DETERMINERS + tuple(_ADVERBS) + ("s", "re"))
_BEFORE_PERFECT_CUE = frozenset(_PERFECT_WORDS)
_TRAILING_LETTERS = re.compile(r"[a-z]*$")
# The widest look-back of the three patterns (characters): _PAST_PERFECT's.
_BEFORE_WINDOW = 30

# One cue: (start, end, kind, word) with kind "past" or "future" and word the cue's text as
# searched (lowercase on the fast path).
Cue = tuple[int, int, str, str]


def trie_alternation(words: Sequence[str]) -> str:
    """The lowercased words as one alternation factored as a trie (textscan.literals, longest
    word first; a space matches any white space): Python's re then rejects a word on its
    first letters instead of trying ~100 cue words in turn."""
    return literal_union({w.lower() for w in words}, longest=True).replace("\\ ", r"\s+")


def _cue_body(vocab: Mapping[str, Any], ed_verb: str) -> str:
    """Future cues (with their auxiliary tail) as group `future`; past cues or an -ed verb as
    group `past`; the end of a word after them."""
    future = "(?:" + trie_alternation(vocab["future_cues"]) + ")" + _AUX_TAIL
    past = trie_alternation(vocab["past_cues"]) + "|" + ed_verb
    return rf"(?:(?P<future>{future})|(?P<past>{past}))(?!\w)"


def _word_before(lower: str, start: int) -> str | None:
    """The run of ASCII letters that ends the word before ``start`` when white space separates
    them ("the" for "(the  revised"), "" when that word ends otherwise, None when no white space
    precedes ``start``. ``lower``: the text lowercased with the same offsets."""
    if not lower[start - 1 : start].isspace():
        return None
    words = lower[max(0, start - _BEFORE_WINDOW) : start].split()
    if not words:
        return ""
    word = words[-1]
    if word.isascii() and word.isalpha():
        return word
    return _TRAILING_LETTERS.search(word).group()  # type: ignore[union-attr]


def _is_present_passive(text: str, lower: str | None, start: int, kind: str, word: str) -> bool:
    """Not a past cue: "is expected" (present passive), "a delayed shipment" (adjective).
    With ``lower`` (the text lowercased), a cue after a word that can end neither pattern is
    decided without them."""
    if kind != "past" or not word.lower().endswith("ed"):
        return False
    if lower is not None and _word_before(lower, start) not in _BEFORE_PARTICIPLE:
        return False
    return present_passive_before(text, start)


def present_passive_before(text: str, start: int) -> bool:
    """A present-tense auxiliary ("is", "'re") or a determiner (and at most one adverb) right
    before ``start``: the participle there is no past cue (the regex step of
    _is_present_passive, also called by the compiled scan)."""
    return (
        _PRESENT_AUX.search(text, max(0, start - 8), start) is not None
        or _DETERMINER.search(text, max(0, start - 24), start) is not None
    )


def _is_month_may(text: str, start: int, kind: str, word: str) -> bool:
    """The month "May" ("23 May", "in May") read as a cue: a capitalized "May" is the month
    unless it opens a sentence ("May I ...", rare in news)."""
    if kind != "future" or text[start] != "M" or word[:3].lower() != "may":
        return False
    before = text[max(0, start - 3) : start].rstrip()
    return before[-1:] not in ("", ".", "!", "?", '"', "\u201c")


def _cue_tense(text: str, lower: str | None, start: int, kind: str) -> str:
    """The tense a cue gives: its kind, but "past" for a future cue in the past perfect."""
    if kind != "future":
        return kind
    if lower is not None and _word_before(lower, start) not in _BEFORE_PERFECT_CUE:
        return kind
    return "past" if past_perfect_before(text, start) else kind


def past_perfect_before(text: str, start: int) -> bool:
    """A past-perfect auxiliary ("had", "had been", "had originally") right before ``start``:
    a future cue there is a plan in the past (the regex step of _cue_tense, also called by the
    compiled scan)."""
    return _PAST_PERFECT.search(text, max(0, start - _BEFORE_WINDOW), start) is not None


def last_clause_end(text: str, start: int, end: int) -> int | None:
    """The end of the last clause end (CLAUSE_END) that starts in ``text[start:end]`` and ends
    by ``end``, or None: what ``_LAST_CLAUSE_END.match(text, start, end).end()`` gives, read
    from the right (the window reversed, a search for the characters a clause end starts
    with) instead of by backtracking over the whole window."""
    back = text[start:end][::-1]
    i = 0
    while (m := _CLAUSE_END_FIRST.search(back, i)) is not None:
        p = end - 1 - m.start()
        c = text[p]
        if c in ".!?;:\n":
            if p + 1 < end and text[p + 1].isspace():
                return p + 2
            if c == "\n":
                return p + 1
        elif c in '"“”':
            return p + 1
        elif p + 1 < end and text[p + 1] == c:  # '' or ``
            return p + 2
        i = m.end()
    return None


def native_tense(vocab: Mapping[str, Any]) -> Any:
    """The compiled clause-tense scan (transforms/native/_dates.pyx ``Tense``) for these cues,
    or None when the accelerator is not built or switched off (NEWSLINE_NATIVE=0)."""
    if _NATIVE is None:
        return None
    return _NATIVE.Tense(
        [w.lower() for w in vocab["future_cues"]],
        [w.lower() for w in vocab["past_cues"]],
        [w.lower() for w in vocab["present_cues"]],
        _AUX_WORDS,
        _NOT_ED_VERBS,
        _SUBORDINATE_WORDS,
        _BEFORE_PARTICIPLE,
        _BEFORE_PERFECT_CUE,
        present_passive_before,
        past_perfect_before,
        TENSE_WINDOW,
        _BEFORE_WINDOW,
    )


class TenseCues:
    """Compiled tense cues (built once per DateTagger, from the grammar's vocab).

    ``native`` (default: when built) answers :meth:`tense` for a lowercased text with the
    compiled scan, which gives what the Python fast path gives (tests/test_native_dates.py);
    ``native=False`` keeps the Python paths, the reference."""

    def __init__(self, vocab: Mapping[str, Any], native: bool = True) -> None:
        self.native = native_tense(vocab) if native else None
        body = _cue_body(vocab, _ED_VERB)
        self.cues = re.compile(_NOT_AFTER + body, re.IGNORECASE)
        # The same cues for the lowercased text (see tense): without IGNORECASE, Python's re
        # rejects most alternatives on their first letter, about 3x faster ...
        lower_body = _cue_body(vocab, f"(?P<ed>{_ED_VERB_LOWER})")
        self.cues_lower = re.compile(_NOT_AFTER + lower_body)
        # ... and with a separator character instead of the look-behind (module docstring).
        self.cues_sep = re.compile(_SEPARATOR + lower_body)
        present = r"(?:" + trie_alternation(vocab["present_cues"]) + r")(?!\w)"
        self.present = re.compile(_NOT_AFTER + present, re.IGNORECASE)
        self.present_lower = re.compile(_NOT_AFTER + present)
        self.present_sep = re.compile(_SEPARATOR + present)

    def cues_in(self, text: str, lower: str | None, start: int, end: int) -> Iterator[Cue]:
        """The tense cues in ``text[start:end]``, in order, as :data:`Cue` tuples. ``lower`` is
        the text lowercased (same offsets) or None (the reference regex on the text itself;
        both give the same cues)."""
        if lower is None:
            for m in self.cues.finditer(text, start, end):
                yield m.start(), m.end(), m.lastgroup or "", m.group()
        elif start == 0:  # no separator before the window: the look-behind
            for m in self.cues_lower.finditer(lower, start, end):
                s, e = m.span()
                if m.start("ed") < 0 or text[s:e].islower():
                    yield s, e, m.lastgroup or "", lower[s:e]
        else:
            for m in self.cues_sep.finditer(lower, start - 1, end):
                s, e = m.span()
                s += 1  # the separator is not part of the cue
                if m.start("ed") < 0 or text[s:e].islower():
                    yield s, e, m.lastgroup or "", lower[s:e]

    def _last_left_cue(self, text: str, lower: str | None, start: int, end: int) -> Cue | None:
        """The last cue in ``text[start:end]`` that counts (not a present passive, not the
        month "May"), or None."""
        for cue in reversed(list(self.cues_in(text, lower, start, end))):
            s, _, kind, word = cue
            if not (
                _is_present_passive(text, lower, s, kind, word)
                or _is_month_may(text, s, kind, word)
            ):
                return cue
        return None

    def tense(self, text: str, start: int, end: int, lower: str | None = None) -> str:
        """'past', 'future', 'present' or 'none': the tense of the clause around text[start:end].

        The past or future cue nearest to the expression in its clause decides (a month name
        "May" is no modal; a planned future in the past perfect, "had been due to land", is
        past); with neither, a present-tense verb of the clause gives 'present'. The resolvers
        treat 'present' like 'none', so present cues never change a value. ``lower``: as in
        :meth:`cues_in`."""
        if lower is not None and self.native is not None:
            return self.native.tense(text, start, end, lower)
        left_from = max(0, start - TENSE_WINDOW)
        if lower is None:
            last_cut = _LAST_CLAUSE_END.match(text, left_from, start)
            if last_cut is not None:
                left_from = last_cut.end()
        else:
            left_from = last_clause_end(text, left_from, start) or left_from
        right_to = min(len(text), end + TENSE_WINDOW)
        stop = (
            _RIGHT_CLAUSE_END.search(text, end, right_to)
            if lower is None
            else _RIGHT_CLAUSE_END_LOWER.search(lower, end, right_to)
        )
        if stop is not None:
            right_to = stop.start()
        best, best_distance = "none", TENSE_WINDOW + 1
        # Left of the expression the nearest cue is the last one that counts.
        left = self._last_left_cue(text, lower, left_from, start)
        if left is not None:
            best, best_distance = _cue_tense(text, lower, left[0], left[2]), start - left[1]
        # Right of it the first cue that counts decides, when it is nearer. Cues come in order:
        # one at best_distance or further cannot win, nor can any after it.
        if best_distance > 0 and right_to > end:
            for s, _, kind, word in self.cues_in(text, lower, end, right_to):
                distance = s - end
                if distance >= best_distance:
                    break
                if word[:3].lower() == "to " or _is_present_passive(text, lower, s, kind, word):
                    continue  # "fell on Friday to close at $20": a purpose, not the tense
                if _is_month_may(text, s, kind, word):
                    continue
                best = _cue_tense(text, lower, s, kind)
                break
        if best == "none" and self._has_present(text, lower, left_from, right_to):
            return "present"
        return best

    def _has_present(self, text: str, lower: str | None, start: int, end: int) -> bool:
        """A present-tense cue in ``text[start:end]`` (``lower``: as in :meth:`cues_in`)."""
        if lower is None:
            return self.present.search(text, start, end) is not None
        if start == 0:
            return self.present_lower.search(lower, start, end) is not None
        return self.present_sep.search(lower, start - 1, end) is not None
