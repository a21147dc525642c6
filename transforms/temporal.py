"""Date tagger: find temporal expressions in text and normalize them to TIMEX3 values.

``DateTagger().tag(text, anchor, spans)`` scans each span with ONE compiled regex (the
grammar of transforms/rules/dates*.yaml), normalizes every candidate against the anchor
date (the publication date) and returns ``(mentions, rejected)``:

* :class:`DateMention` - a DATE/TIME/DURATION/SET expression with its TIMEX3 value and, for
  calendar positions, an inclusive ``date_start``/``date_end`` and a granularity;
* :class:`Rejected` - a candidate that looked like a date but is not (phone number, money,
  modal "may", a count such as "2014 people", ...), with a reason code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from transforms.temporal_calendar import value_range
from transforms.temporal_context import Context
from transforms.temporal_grammar import RULES_DIR, Grammar, load_grammar
from transforms.temporal_norm import NORMALIZERS, Ctx, Reject
from transforms.temporal_norm_rel import REL_NORMALIZERS

ALL_NORMALIZERS = {**NORMALIZERS, **REL_NORMALIZERS}
# A cheap pre-filter: a span without a digit or one of these letter pairs cannot hold a
# date expression, so the full grammar is not run on it.
_CALENDAR_TYPES = ("DATE", "TIME")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    timex_type: str  # DATE | TIME | DURATION | SET
    value: str  # TIMEX3 value
    date_start: dt.date | None  # inclusive; None when not placeable on the calendar
    date_end: dt.date | None
    granularity: str | None
    rule: str


@dataclass(frozen=True)
class Rejected:
    start: int
    end: int
    text: str
    reason: str


class DateTagger:
    """Compiled date grammar; build once (e.g. in a DoFn's setup) and call :meth:`tag`."""

    def __init__(self, rules_dir: Path = RULES_DIR) -> None:
        self.rules_dir = rules_dir
        self._build()

    def _build(self) -> None:
        self.grammar: Grammar = load_grammar(self.rules_dir)
        self.checks = Context(self.grammar.vocab)
        self._ranges: dict[str, tuple] = {}

    def __getstate__(self) -> dict:
        return {"rules_dir": self.rules_dir}

    def __setstate__(self, state: dict) -> None:
        self.rules_dir = state["rules_dir"]
        self._build()

    def _range(self, value: str) -> tuple:
        found = self._ranges.get(value)
        if found is None:
            found = self._ranges[value] = value_range(value)
        return found

    def tag(
        self,
        text: str,
        anchor: dt.date | None,
        spans: Sequence[tuple[int, int]] | None = None,
    ) -> tuple[list[DateMention], list[Rejected]]:
        """Temporal expressions inside ``spans`` of ``text`` (offsets into ``text``)."""
        mentions: list[DateMention] = []
        rejected: list[Rejected] = []
        ref: str | None = None
        pattern = self.grammar.pattern
        by_branch = self.grammar.by_branch
        vocab = self.grammar.vocab
        for span_start, span_end in spans if spans is not None else ((0, len(text)),):
            for m in pattern.finditer(text, span_start, span_end):
                rule = by_branch[m.lastgroup or ""]
                start, end = m.span()
                if rule.reject:
                    rejected.append(Rejected(start, end, m.group(), rule.reject))
                    continue
                ctx = Ctx(text, start, end, anchor, ref, vocab, self.checks)
                result = ALL_NORMALIZERS[rule.norm or ""](rule.fields(m), ctx)
                if isinstance(result, Reject):
                    rejected.append(Rejected(start, end, m.group(), result.reason))
                    continue
                if rule.extent_group:
                    start, end = m.span(rule.extent_group)
                timex_type = rule.type or "DATE"
                if "T" in result[10:11] and timex_type == "DATE":
                    timex_type = "TIME"
                date_start, date_end, granularity = (
                    self._range(result) if timex_type in _CALENDAR_TYPES else (None, None, None)
                )
                mentions.append(
                    DateMention(
                        start,
                        end,
                        text[start:end],
                        timex_type,
                        result,
                        date_start,
                        date_end,
                        granularity,
                        rule.id,
                    )
                )
                if date_start is not None and rule.norm != "fuzzy":
                    ref = result
        return mentions, rejected
