"""First-WORD dispatch for the date grammar: which rules can match at a position that starts
with a given lowercase word ("the", "last", "friday", ...).

At a candidate position the grammar is one alternation of the rules that can start with its
first character (grammar.Grammar.by_first): about 20-30 branches for "t" or "a", each
tried in turn by Python's re. Most rules can start with only a few words, so the words each
rule can start with are listed (read from its parse tree). A position whose first word no
rule can start with ("of", "to", "and": words that only continue a prefix chain) is not tried
at all, and the others are tried with only the rules that can start there. A rule is dropped for
a word only when its pattern cannot match text that begins with that word, so the results are
exactly those of the full grammar (tests/test_temporal_dispatch.py compares both).

The words a rule can start with are read from its parse tree by
transforms/textscan/firsts.py (`first_words`): when Python's internal parser is missing or its
shape changed, every rule is marked ANY and dispatch falls back to the first character only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from transforms.limits import WORD_MEMO_MAX
from transforms.text.memo import remember
from transforms.textscan.firsts import FirstWords

_MISSING = object()


class WordDispatch:
    """Compiled sub-grammars by first word. ``for_word(w)`` is the alternation of the rules
    (in grammar order) that can start with ``w``, or None when none can."""

    def __init__(
        self,
        branches: Sequence[str],
        firsts: Sequence[set[str] | None],
        words: Sequence[FirstWords | None],
        combine: Any,
    ) -> None:
        self._branches = list(branches)
        self._firsts = list(firsts)
        self._words = list(words)
        self._combine = combine
        self._compiled: dict[tuple[int, ...], re.Pattern[str]] = {}
        listed = {w for fw in words if fw is not None for w in fw.exact if w}
        self.by_word: dict[str, re.Pattern[str] | None] = {w: self._build(w) for w in listed}
        self._other: dict[str, re.Pattern[str] | None] = {}  # bounded: WORD_MEMO_MAX

    def for_word(self, word: str) -> re.Pattern[str] | None:
        """The compiled alternation of the rules that can start with the lowercase `word`, or None
        when no rule can (the position is not tried)."""
        found = self.by_word.get(word, _MISSING)
        if found is _MISSING:
            found = self._other.get(word, _MISSING)
            if found is _MISSING:
                found = remember(self._other, word, self._build(word), WORD_MEMO_MAX)
        return found  # type: ignore[return-value]

    def _build(self, word: str) -> re.Pattern[str] | None:
        key = tuple(i for i in range(len(self._branches)) if self._can_start(i, word))
        if not key:
            return None
        if key not in self._compiled:
            self._compiled[key] = self._combine([self._branches[i] for i in key])
        return self._compiled[key]

    def _can_start(self, i: int, word: str) -> bool:
        first = self._firsts[i]
        if first is not None and word[0] not in first:
            return False
        words = self._words[i]
        return words is None or words.allows(word)
