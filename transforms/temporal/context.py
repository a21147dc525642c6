"""Cheap context checks around a date candidate: clause tense, quantities vs years, month
names that are also ordinary words.  Word lists come from the rules' vocab (YAML)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from transforms.textscan.literals import literal_union

# How far (characters) to look left/right of a candidate for tense cues: about one clause.
TENSE_WINDOW = 90
# Characters that end a clause for the tense search.
# Words an auxiliary may take before its verb: "will be held" is one future cue, so the
# participle "held" is not read as a separate past-tense cue.
_AUX_TAIL = r"(?:\s+(?:not|be|have|been|also|soon|then|probably|likely|again))*(?:\s+[a-z]+)?"
# The word directly before a position, on the same line ("USA" in "USA Today").
_WORD_BEFORE = re.compile(r"(?<![\w.])([A-Za-z]+|\d+)[ \t]+$")
# Quotes end a clause too, including the news wires' ``...'' convention.
_CLAUSE_END = re.compile(r"[.!?;:\n]\s|\n|[\"“”]|''|``")
# The end of the LAST clause end in a window (one greedy match instead of all of them).
_LAST_CLAUSE_END = re.compile(r"(?s:.*)(?:" + _CLAUSE_END.pattern + ")")
# To the right, a subordinate clause also ends the search ("warnings on Thursday that strikes
# could harm ...": "could" is not the tense of "Thursday").
_RIGHT_CLAUSE_END = re.compile(
    r"[.!?;:\n]\s|\n|[\"“”]|''|``|,?\s(?:that|which|who|because|when|while|if|although|unless)\s",
    re.IGNORECASE,
)
# ... for the lowercased text (see Context.tense), without IGNORECASE: about twice as fast.
_RIGHT_CLAUSE_END_LOWER = re.compile(_RIGHT_CLAUSE_END.pattern)


# A lowercase word in -ed is read as a past-tense verb; "United", "Ahmed" (capitalized) and
# "hundred", "need", "indeed", "speed" are not.
_ED_VERB = r"(?-i:(?!(?:hundred|need|indeed|speed|seed|feed)(?!\w))[a-z]{2,}ed)"


# _ED_VERB for the lowercased text; a hit counts only where the text itself is lowercase.
_ED_VERB_LOWER = r"(?!(?:hundred|need|indeed|speed|seed|feed)(?!\w))[a-z]{2,}ed"
# Characters that IGNORECASE matches to an ASCII letter but that do not lowercase to it
# (dotless i, long s): a text with one of them takes the IGNORECASE path.
CASE_FOLD_EXTRAS = ("\u0131", "\u017f")


def _cue_regex(vocab: Mapping[str, Any], ed_verb: str, flags: int) -> re.Pattern[str]:
    """Future cues (with their auxiliary tail) as group `future`; past cues or an -ed verb as
    group `past`."""
    future = "(?:" + _trie_alternation(vocab["future_cues"]) + ")" + _AUX_TAIL
    past = _trie_alternation(vocab["past_cues"]) + "|" + ed_verb
    return re.compile(rf"(?<![\w'])(?:(?P<future>{future})|(?P<past>{past}))(?!\w)", flags)


# "is expected", "are scheduled": a participle after a present-tense auxiliary is no past cue.
_PRESENT_AUX = re.compile(r"(?:\b(?:is|are|am|be|being)|'s|'re)\s+$", re.IGNORECASE)
# "a still unspecified date", "the revised plan": a participle after a determiner (and at most
# one adverb) is an adjective, no past cue.
_DETERMINER = re.compile(
    r"\b(?:a|an|the|its|their|his|her|our)\s+(?:(?:still|newly|"
    r"recently|previously|already|once|long|much|widely|largely|partly|fully|well|less|more|"
    r"most|so)\s+)?$",
    re.IGNORECASE,
)


def _is_present_passive(text: str, m: re.Match[str]) -> bool:
    """Not a past cue: "is expected" (present passive), "a delayed shipment" (adjective)."""
    if m.lastgroup != "past" or not m.group().lower().endswith("ed"):
        return False
    return (
        _PRESENT_AUX.search(text, max(0, m.start() - 8), m.start()) is not None
        or _DETERMINER.search(text, max(0, m.start() - 24), m.start()) is not None
    )


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


def _is_month_may(text: str, m: re.Match[str]) -> bool:
    """The month "May" ("23 May", "in May") read as a cue: a capitalized "May" is the month
    unless it opens a sentence ("May I ...", rare in news)."""
    if m.lastgroup != "future" or text[m.start()] != "M" or m.group()[:3].lower() != "may":
        return False
    before = text[max(0, m.start() - 3) : m.start()].rstrip()
    return before[-1:] not in ("", ".", "!", "?", '"', "\u201c")


# A future cue right after a past-perfect auxiliary is a plan that was due in the past ("had
# been due to land on Thursday", "had been set to dock on Tuesday").
_PAST_PERFECT = re.compile(r"\bhad(?:\s+(?:been|already|originally|long))*\s+$", re.IGNORECASE)


def _cue_tense(text: str, m: re.Match[str]) -> str:
    tense = m.lastgroup or "none"
    if tense == "future" and _PAST_PERFECT.search(text, max(0, m.start() - 30), m.start()):
        return "past"
    return tense


def _trie_alternation(words: Sequence[str]) -> str:
    """The same alternation as :func:`_alternation`, factored as a trie (textscan.literals,
    longest word first): Python's re then rejects a word on its first letters instead of trying
    ~100 cue words in turn (the tense of every mention is computed: the date stage's hot path)."""
    return literal_union({w.lower() for w in words}, longest=True).replace("\\ ", r"\s+")


def _alternation(words: Sequence[str]) -> str:
    parts = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


class Context:
    """Compiled context checks (built once per DateTagger)."""

    def __init__(self, vocab: Mapping[str, Any]) -> None:
        self.count_nouns = frozenset(w.lower() for w in vocab["count_nouns"])
        self.number_cues = frozenset(w.lower() for w in vocab["number_cues"])
        self.rate_words = frozenset(w.lower() for w in vocab["rate_words"])
        self.not_rate_words = frozenset(w.lower() for w in vocab["not_rate_words"])
        self.model_year_makers = frozenset(w.lower() for w in vocab["model_year_makers"])
        self.identifier_words = frozenset(w.lower() for w in vocab["identifier_words"])
        self.month_context = frozenset(w.lower() for w in vocab["month_context"])
        self.ambiguous_months = frozenset(w.lower() for w in vocab["ambiguous_months"])
        self.cues = _cue_regex(vocab, _ED_VERB, re.IGNORECASE)
        # The same cues for the lowercased text (see tense): without IGNORECASE, Python's re
        # rejects most alternatives on their first letter, about 3x faster.
        self.cues_lower = _cue_regex(vocab, f"(?P<ed>{_ED_VERB_LOWER})", 0)
        self.present = re.compile(
            r"(?<![\w'])(?:" + _trie_alternation(vocab["present_cues"]) + r")(?!\w)",
            re.IGNORECASE,
        )
        # ... and for the lowercased text, without IGNORECASE (about 4x faster in Python's re)
        self.present_lower = re.compile(
            r"(?<![\w'])(?:" + _trie_alternation(vocab["present_cues"]) + r")(?!\w)"
        )
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

    def _cues(self, text: str, lower: str | None, start: int, end: int) -> Iterator[re.Match]:
        """Tense cues in text[start:end]; ``lower`` is the text lowercased (same offsets) or
        None (then the IGNORECASE regex runs on the text itself; both give the same cues)."""
        if lower is None:
            yield from self.cues.finditer(text, start, end)
            return
        for m in self.cues_lower.finditer(lower, start, end):
            if m.start("ed") < 0 or text[m.start() : m.end()].islower():
                yield m

    def _cue_list(self, text: str, lower: str | None, start: int, end: int) -> list[re.Match]:
        """The cues of :meth:`_cues` as a list (one scan, no generator)."""
        if lower is None:
            return list(self.cues.finditer(text, start, end))
        return [
            m
            for m in self.cues_lower.finditer(lower, start, end)
            if m.start("ed") < 0 or text[m.start() : m.end()].islower()
        ]

    def tense(self, text: str, start: int, end: int, lower: str | None = None) -> str:
        """'past', 'future', 'present' or 'none': the tense of the clause around text[start:end].

        The past or future cue nearest to the expression in its clause decides (a month name
        "May" is no modal; a planned future in the past perfect, "had been due to land", is
        past); with neither, a present-tense verb of the clause gives 'present'. The resolvers
        treat 'present' like 'none', so present cues never change a value."""
        left_from = max(0, start - TENSE_WINDOW)
        last_cut = _LAST_CLAUSE_END.match(text, left_from, start)
        if last_cut is not None:
            left_from = last_cut.end()
        right_to = min(len(text), end + TENSE_WINDOW)
        stop = (
            _RIGHT_CLAUSE_END.search(text, end, right_to)
            if lower is None
            else _RIGHT_CLAUSE_END_LOWER.search(lower, end, right_to)
        )
        if stop is not None:
            right_to = stop.start()
        best, best_distance = "none", TENSE_WINDOW + 1
        # Left of the expression the nearest cue is the last one that counts: the cues come
        # in order, so they are read from the right and the first that counts decides.
        for m in reversed(self._cue_list(text, lower, left_from, start)):
            if _is_present_passive(text, m) or _is_month_may(text, m):
                continue
            best, best_distance = _cue_tense(text, m), start - m.end()
            break
        for m in self._cues(text, lower, end, right_to):
            if m.group()[:3].lower() == "to " or _is_present_passive(text, m):
                continue  # "fell on Friday to close at $20": a purpose, not the clause's tense
            if _is_month_may(text, m):
                continue
            distance = m.start() - end
            if distance < best_distance:
                best, best_distance = _cue_tense(text, m), distance
            break
        if best == "none":
            present = (
                self.present.search(text, left_from, right_to)
                if lower is None
                else self.present_lower.search(lower, left_from, right_to)
            )
            if present is not None:
                return "present"
        return best

    def modal_future(self, text: str, start: int) -> bool:
        """A future auxiliary ("will", "'ll", "is to", "plans to", ...) earlier in the clause
        of text[start:]: a plain "to meet" is a purpose, not a future for a season."""
        left_from = max(0, start - TENSE_WINDOW)
        cuts = [m.end() for m in _CLAUSE_END.finditer(text, left_from, start)]
        return _MODAL_FUTURE.search(text, cuts[-1] if cuts else left_from, start) is not None

    def is_bound_or_comparison(self, text: str, start: int) -> bool:
        """True when a date is a "since X" bound or a year inside a comparison ("as in 2003",
        "than in 1998"): it is no reference time for a later "a year later"."""
        return _NOT_REFERENCE.search(text, max(0, start - 24), start) is not None

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
        """"today's world", "today's personal computers": the present age, not a day."""
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
