"""Cheap context checks around a date candidate: clause tense, quantities vs years, month
names that are also ordinary words.  Word lists come from the rules' vocab (YAML)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from transforms.native import load
from transforms.temporal.tense import CLAUSE_END, TENSE_WINDOW, TenseCues

# The compiled scans (transforms/native/_dates.pyx), None without them (pure Python).
_NATIVE = load("dates")

# The word directly before a position, on the same line ("USA" in "USA Today").
_WORD_BEFORE = re.compile(r"(?<![\w.])([A-Za-z]+|\d+)[ \t]+$")
# Characters that IGNORECASE matches to an ASCII letter but that do not lowercase to it
# (dotless i, long s): a text with one of them takes the IGNORECASE path.
CASE_FOLD_EXTRAS = ("\u0131", "\u017f")

_MODAL_FUTURE = re.compile(
    r"\b(?:will|shall|is to|are to|plans? to|planning to|going to|set to|due to|expected to|"
    r"scheduled to)\b|'ll\b",
    re.IGNORECASE,
)
# Words before a date that make it a bound or a comparison, not the narrative's reference time.
_NOT_REFERENCE = re.compile(
    r"(?:\b(?:since|ever since|as in|than in|than|unlike in|like in|compared with|compared to|"
    r"versus|vs\.?)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
# The last word of each _NOT_REFERENCE alternative, and of its optional "the": what the text
# before a match ends with once its trailing white space is stripped. The alternatives that end
# in "in" ("as in", "than in", "like in", "unlike in") are the ones with _IN_BEFORE before it.
_NOT_REFERENCE_ENDS = ("since", "in", "than", "with", "to", "versus", "vs", "vs.", "the")
_IN_BEFORE = ("as", "than", "like")
# How far back (characters) _NOT_REFERENCE is searched: its longest text ("compared with the"
# and white space) fits.
BOUND_WINDOW = 24


def may_be_bound(before: str) -> bool:
    """False when ``_NOT_REFERENCE`` cannot match at the end of ``before`` (a necessary
    condition, read with two string calls instead of a regex search at each of its
    characters): the pattern ends in white space, after one of _NOT_REFERENCE_ENDS. A text
    with a non-ASCII character is left to the regex (IGNORECASE folds "ſ" to "s")."""
    stripped = before.rstrip()
    if len(stripped) == len(before):
        return False
    if not stripped.isascii():
        return True
    low = stripped.lower()
    if low.endswith("in"):
        head = low[:-2]
        word = head.rstrip()
        return len(word) < len(head) and word.endswith(_IN_BEFORE)
    return low.endswith(_NOT_REFERENCE_ENDS)


def _alternation(words: Sequence[str]) -> str:
    parts = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


def _is_bound_reference(text: str, start: int) -> bool:
    """Context.is_bound_or_comparison (the reference; it reads no vocabulary)."""
    left_from = max(0, start - BOUND_WINDOW)
    if not may_be_bound(text[left_from:start]):
        return False  # the usual case, decided without the search
    return _NOT_REFERENCE.search(text, left_from, start) is not None


class Context:
    """Compiled context checks (built once per DateTagger).

    ``bound_or_comparison(text, start)`` is :meth:`is_bound_or_comparison`, compiled when the
    accelerator is built and ``native`` (transforms/native/_dates.pyx ``Bound``: the
    pre-check read in place, tests/test_temporal_context.py compares both); the tagger asks it
    once per mention."""

    def __init__(self, vocab: Mapping[str, Any], native: bool = True) -> None:
        self.count_nouns = frozenset(w.lower() for w in vocab["count_nouns"])
        self.number_cues = frozenset(w.lower() for w in vocab["number_cues"])
        self.rate_words = frozenset(w.lower() for w in vocab["rate_words"])
        self.not_rate_words = frozenset(w.lower() for w in vocab["not_rate_words"])
        self.model_year_makers = frozenset(w.lower() for w in vocab["model_year_makers"])
        self.identifier_words = frozenset(w.lower() for w in vocab["identifier_words"])
        self.month_context = frozenset(w.lower() for w in vocab["month_context"])
        self.ambiguous_months = frozenset(w.lower() for w in vocab["ambiguous_months"])
        self.tenses = TenseCues(vocab)
        self._word = re.compile(r"[\w.#'-]+")
        self.now_call_before = re.compile(
            r"(?:^|\W)(?:" + _alternation(vocab["now_call_before"]) + r")\s+$", re.IGNORECASE
        )
        self.now_call_after = re.compile(
            r"\s*(?:\$|(?:" + _alternation(vocab["now_call_after"]) + r")(?!\w))", re.IGNORECASE
        )
        self.weekday_names_after = frozenset(w.lower() for w in vocab["weekday_names_after"])
        self.today_names_before = frozenset(w.lower() for w in vocab["today_names_before"])
        self.generic_today_nouns = frozenset(w.lower() for w in vocab["generic_today_nouns"])
        self.bound_or_comparison = (
            _NATIVE.Bound(
                BOUND_WINDOW,
                _NOT_REFERENCE.search,
                _is_bound_reference,
                _NOT_REFERENCE_ENDS,
                _IN_BEFORE,
            ).check
            if native and _NATIVE is not None
            else self.is_bound_or_comparison
        )

    def tense(self, text: str, start: int, end: int, lower: str | None = None) -> str:
        """'past', 'future', 'present' or 'none': the tense of the clause around text[start:end]
        (tense.TenseCues.tense; ``lower`` is the text lowercased with the same offsets, or
        None)."""
        return self.tenses.tense(text, start, end, lower)

    def modal_future(self, text: str, start: int) -> bool:
        """A future auxiliary ("will", "'ll", "is to", "plans to", ...) earlier in the clause
        of text[start:]: a plain "to meet" is a purpose, not a future for a season."""
        left_from = max(0, start - TENSE_WINDOW)
        cuts = [m.end() for m in CLAUSE_END.finditer(text, left_from, start)]
        return _MODAL_FUTURE.search(text, cuts[-1] if cuts else left_from, start) is not None

    def is_bound_or_comparison(self, text: str, start: int) -> bool:
        """True when a date is a "since X" bound or a year inside a comparison ("as in 2003",
        "than in 1998"): it is no reference time for a later "a year later"."""
        return _is_bound_reference(text, start)

    def word_before(self, text: str, start: int) -> str:
        """The lowercased word (letters, digits, . # ' -) right before offset `start`, or ""."""
        i = start
        while i > 0 and text[i - 1] == " ":
            i -= 1
        j = i
        while j > 0 and (text[j - 1].isalnum() or text[j - 1] in ".#'-"):
            j -= 1
        return text[j:i].lower()

    def word_after(self, text: str, end: int) -> str:
        """The lowercased word right after offset `end` (one space between), or ""."""
        m = self._word.match(text, end + 1) if end < len(text) and text[end] == " " else None
        return m.group().rstrip(".").lower() if m else ""

    def now_is_call(self, text: str, start: int, end: int) -> bool:
        """'Buy now', 'See it now:', 'Now available', 'Now $549': web calls to action."""
        if self.now_call_before.search(text[max(0, start - 16) : start]):
            return True
        return self.now_call_after.match(text, end) is not None

    def soon_is_future(self, text: str, start: int, end: int, tense: str) -> bool:
        """TimeML tags 'soon' (FUTURE_REF) in a future clause ('will soon begin'), not
        'soon after ...', 'as soon as', 'too soon' or a past 'was soon released'."""
        if tense != "future":
            return False
        return self.word_after(text, end) not in ("after", "as", "thereafter", "afterward") and (
            self.word_before(text, start) not in ("as", "too", "how", "so")
        )

    def weekday_is_name(self, text: str, end: int) -> bool:
        """'Sunday Herald', 'Monday Night Football': a capitalized name word follows."""
        after = self.word_after(text, end)
        return after in self.weekday_names_after and text[end + 1 : end + 2].isupper()

    def today_is_name(self, text: str, start: int) -> bool:
        """'USA Today', 'Fantasy Football Today', 'NBC 5 Today': part of a name."""
        m = _WORD_BEFORE.search(text, max(0, start - 30), start)
        if m is None:
            return False
        raw = m.group(1)
        if raw.lower() in self.today_names_before or raw.isdigit():
            return True
        return len(raw) > 1 and raw.isupper()

    def today_is_generic(self, text: str, end: int) -> bool:
        """ "today's world", "today's personal computers": the present age, not a day."""
        if text[end - 2 : end] not in ("'s", "\u2019s"):
            return False
        words = text[end : end + 40].split()[:2]
        return any(w.strip(".,;:").lower() in self.generic_today_nouns for w in words)

    def is_rate(self, text: str, start: int) -> bool:
        """'a year' after a quantity ('$1.76 a year', 'four flights a week', '24 hours a day')."""
        before = self.word_before(text, start).rstrip(".,")
        if not before:
            return False
        return (
            before[-1].isdigit()
            or before in self.rate_words
            or (before.endswith("s") and before not in self.not_rate_words)
        )

    def year_is_count(self, text: str, start: int, end: int) -> str | None:
        """Reason code when a bare 4-digit number is a quantity or an identifier."""
        after = self.word_after(text, end)
        if after in self.count_nouns:
            return "count"
        if after in self.model_year_makers:
            return "model_year"
        before = self.word_before(text, start)
        plural = after.endswith("s") and after not in self.not_rate_words  # not "is", "has"
        if before in self.number_cues and after.isalpha() and plural:
            return "count"
        if before in self.identifier_words:
            return "number_only"
        if text[end : end + 1] == ":" or text[end : end + 2] in (" -", "- "):
            return None
        return None

    def month_alone_reason(self, text: str, start: int, month: str, modified: bool) -> str | None:
        """Reason code when a bare month name is an ordinary word (the modal 'may', ...)."""
        if month[0].islower():
            return "lowercase_month"
        if modified:
            return None
        before = self.word_before(text, start)
        if before in self.month_context:
            return None
        if month.lower().rstrip(".") in self.ambiguous_months or month.isupper():
            return "modal_may" if month.lower() == "may" else "month_without_context"
        return None
