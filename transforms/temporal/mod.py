"""TIMEX3 ``mod`` (TimeML 1.2.1) of an expression, and the range it narrows to.

The grammar already reads the words that qualify a date ("early 2005", "the end of 2017",
"the mid-1990s", "about two years ago", "year-end"); :class:`ModFinder` maps the phrase that
opens or closes the matched text to a TimeML mod with the vocab lists ``mods_start`` and
``mods_end`` of transforms/rules/dates.yaml (data, with the counts that chose each mod).

One convention narrows ``date_start``/``date_end`` (see :func:`narrow`): START is the first
third of the period, MID the middle third, END the last third, in whole days (a month of 31 days:
1-10, 11-21, 22-31; a year: Jan 1 - May 1, May 2 - Sep 1, Sep 2 - Dec 31). Other mods
(APPROX, BEFORE, ...) leave the range as the value gives it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from transforms.limits import MOD_MEMO_MAX
from transforms.text.memo import remember

NARROWED = frozenset({"START", "MID", "END"})
_MISSING = object()


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class ModFinder:
    """Compiled mod phrases (built once per DateTagger)."""

    def __init__(self, vocab: Mapping[str, Any]) -> None:
        self.start_mods = {str(k).lower(): str(v) for k, v in vocab["mods_start"].items()}
        self.end_mods = {str(k).lower(): str(v) for k, v in vocab["mods_end"].items()}
        self._start = re.compile(r"(" + _alternation(self.start_mods) + r")(?=[\s-])", re.I)
        words = [w for w in self.end_mods if w[0].isalpha()]
        clitics = [w for w in self.end_mods if not w[0].isalpha()]  # "'s end"
        self._end = re.compile(
            r"(?:(?<=[\s-])(" + _alternation(words) + r")|(" + _alternation(clitics) + r"))$",
            re.I,
        )
        self._found: dict[str, str | None] = {}

    def find(self, matched: str) -> str | None:
        """The TimeML mod of a matched expression, or None ('Oct. 27' has none). Remembered
        per expression text (news repeats "2014", "Monday", "last year"), at most
        MOD_MEMO_MAX texts (transforms/text/memo.py)."""
        found = self._found.get(matched, _MISSING)
        if found is _MISSING:
            found = remember(self._found, matched, self._find(matched), MOD_MEMO_MAX)
        return found  # type: ignore[return-value]

    def _find(self, matched: str) -> str | None:
        m = self._start.match(matched)
        if m is not None:
            return self.start_mods[" ".join(m.group(1).lower().split())]
        m = self._end.search(matched)
        if m is not None:
            return self.end_mods[" ".join((m.group(1) or m.group(2)).lower().split())]
        return None


def narrow(
    start: dt.date | None, end: dt.date | None, mod: str | None
) -> tuple[dt.date | None, dt.date | None]:
    """``(date_start, date_end)`` narrowed to the first/middle/last third for START/MID/END;
    unchanged for other mods, for single days and for unplaced values."""
    if mod not in NARROWED or start is None or end is None:
        return start, end
    days = (end - start).days + 1
    third = days // 3
    if third < 1:
        return start, end
    if mod == "START":
        return start, start + dt.timedelta(days=third - 1)
    if mod == "END":
        return end - dt.timedelta(days=third - 1), end
    return start + dt.timedelta(days=third), end - dt.timedelta(days=third)
