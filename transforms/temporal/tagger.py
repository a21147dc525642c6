"""Date tagger: find temporal expressions in text and normalize them to TIMEX3 values.

``DateTagger().tag(text, anchor, spans)`` scans each span with ONE compiled regex (the
grammar of transforms/temporal/rules/dates*.yaml), normalizes every candidate against the anchor
date (the publication date) and returns ``(mentions, rejected)``:

* :class:`DateMention` - a DATE/TIME/DURATION/SET expression with its TIMEX3 value and, for
  calendar positions, an inclusive ``date_start``/``date_end`` and a granularity;
* :class:`Rejected` - a candidate that looked like a date but is not (phone number, money,
  modal "may", a count such as "2014 people", ...), with a reason code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transforms.limits import MAX_DATES_PER_DOC, RANGE_MEMO_MAX
from transforms.native import load
from transforms.temporal.calendar import value_range
from transforms.temporal.context import CASE_FOLD_EXTRAS, Context
from transforms.temporal.grammar import RULES_DIR, Grammar, load_grammar
from transforms.temporal.mod import ModFinder, narrow
from transforms.temporal.normalize.absolute import NORMALIZERS, Ctx, Reject
from transforms.temporal.normalize.days import DAY_NORMALIZERS
from transforms.temporal.normalize.durations import DUR_NORMALIZERS
from transforms.temporal.normalize.relative import REL_NORMALIZERS
from transforms.temporal.scan import DispatchScan, GrammarScan, Hit, same_length_lower
from transforms.text.memo import remember
from transforms.text.sentences import read_breaks_as_spaces

# The reason of the candidates past MAX_DATES_PER_DOC (the document gets the note too:
# temporal/beam.py).
TOO_MANY_DATES = "too_many_dates"
ALL_NORMALIZERS = {**NORMALIZERS, **REL_NORMALIZERS, **DUR_NORMALIZERS, **DAY_NORMALIZERS}
_CALENDAR_TYPES = ("DATE", "TIME")
# TimeML extents leave out a possessive "'s" ("Friday's meeting" -> "Friday") and the
# determiner of a hyphenated adjective ("a third-quarter loss" -> "third-quarter").
_POSSESSIVE = ("'s", "\u2019s")
_ADJ_DETERMINER = re.compile(
    r"(?:a|an|the|its|their|his|her|our)\s+(?=\S*-(?:quarter|year|month|week|day|hour|minute|"
    r"decade|century)s?$)",
    re.IGNORECASE,
)


def timeml_extent(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` trimmed to TimeML's conventions (see _POSSESSIVE, _ADJ_DETERMINER)."""
    if text[end - 2 : end] in _POSSESSIVE and text[end - 3 : end - 2].isalpha():
        end -= 2
    if "-" in text[start:end]:
        m = _ADJ_DETERMINER.match(text[start:end])
        if m is not None:
            start += m.end()
    return start, end


# The reference lowercasing (scan.py), under the name the tests import.
_same_length_lower = same_length_lower


@dataclass(frozen=True)
class DateMention:
    """One date expression found: [start, end) offsets into the whole text, the quoted text, its
    TIMEX3 type and value, the inclusive calendar range it covers (None when it is not on the
    calendar), the granularity (day, month, year, ...) and the id of the rule that matched."""

    start: int
    end: int
    text: str
    timex_type: str  # DATE | TIME | DURATION | SET
    value: str  # TIMEX3 value
    date_start: dt.date | None  # inclusive; None when not placeable on the calendar
    date_end: dt.date | None
    granularity: str | None
    rule: str
    # TimeML mod (START, MID, END, APPROX, ...; temporal_mod); START/MID/END narrow the range.
    mod: str | None = None
    # Tense of the clause around the expression: past | present | future, None when the
    # clause shows none (temporal_context.Context.tense). The event stage reads it.
    tense: str | None = None


@dataclass(frozen=True)
class Rejected:
    """A candidate the grammar matched but a normalizer rejected: its offsets, text and the reason
    code (counted as ``dates_rejected_<reason>``)."""

    start: int
    end: int
    text: str
    reason: str


# The fields of a mention and of a rejected candidate, in the dataclasses' order.
MENTION_FIELDS = tuple(f.name for f in dataclasses.fields(DateMention))
REJECTED_FIELDS = tuple(f.name for f in dataclasses.fields(Rejected))


def _new_record(cls: type, names: tuple[str, ...], values: tuple) -> Any:
    """``cls(*values)`` for a frozen dataclass whose fields are ``names`` (DateMention,
    Rejected), built without its ``__init__``, which pays one ``object.__setattr__`` per field
    (eleven per mention): the instance's ``__dict__`` gets the same keys in the same order (the
    fields'), so it compares, hashes, pickles and prints the same (tests/test_temporal.py checks
    against the constructor). The reference of ``new_record`` in transforms/native/_dates.pyx,
    which sets the fields in C (tests/test_native_dates.py compares both)."""
    record = object.__new__(cls)
    record.__dict__.update(zip(names, values, strict=True))
    return record


# The record builder: compiled where built (and the classes keep object's __new__), else the
# reference above.
_NATIVE = load("dates")
_RECORDS = _NATIVE.new_record if _NATIVE is not None else _new_record
if DateMention.__new__ is not object.__new__ or Rejected.__new__ is not object.__new__:
    _RECORDS = _new_record


class DateTagger:
    """Compiled date grammar; build once (e.g. in a DoFn's setup) and call :meth:`tag`."""

    def __init__(self, rules_dir: Path = RULES_DIR) -> None:
        self.rules_dir = rules_dir
        self._build()

    def _build(self) -> None:
        self.grammar: Grammar = load_grammar(self.rules_dir)
        self.checks = Context(self.grammar.vocab)
        self.mods = ModFinder(self.grammar.vocab)
        # The two hot scans behind their seams (scan.py): where a date can start, and the
        # grammar at one position.
        self.dispatch = DispatchScan(
            frozenset(str(w).lower() for w in self.grammar.vocab["triggers"]),
            frozenset(str(w).lower() for w in self.grammar.vocab["prefixes"]),
        )
        self.scan = GrammarScan(self.grammar)
        # What the compiled candidate loop needs of each rule to make its Hit tuples
        # (scan.GrammarScan.hit): reject, groups, extent group, no short name repeated, the
        # groups' full names (read in one match.group call).
        self._hit_rules = {
            rule.branch: (
                bool(rule.reject),
                rule.groups,
                rule.extent_group or None,
                len({short for _, short in rule.groups}) == len(rule.groups),
                tuple(full for full, _ in rule.groups),
            )
            for rule in self.grammar.rules
        }
        self._ranges: dict[str, tuple] = {}
        # What tag reads of a candidate's rule, by branch, in one look-up: its rejection
        # reason, normalizer's name (looked up in ALL_NORMALIZERS per candidate), TIMEX3 type,
        # id and whether it is the fuzzy normalizer.
        self._norms = {
            rule.branch: (
                rule.reject,
                rule.norm or "",
                rule.type or "DATE",
                rule.id,
                rule.norm == "fuzzy",
            )
            for rule in self.grammar.rules
        }
        # The tables the compiled candidate loop reads (_candidates), in its argument order.
        words = self.grammar.words
        self._hits_tables = (
            None if words is None else words.by_word,
            None if words is None else words.for_word,
            None if words is None else words.by_phrase,
            None if words is None else words.for_phrase,
            None if words is None else words.by_shape,
            None if words is None else words.for_shape,
            None if words is None else words.by_number,
            None if words is None else words.for_number,
            self.grammar.by_first,
            self.grammar.fallback or self.grammar.pattern,
            self.grammar.other_digit or self.grammar.fallback or self.grammar.pattern,
            self._hit_rules,
        )

    def __getstate__(self) -> dict:
        return {"rules_dir": self.rules_dir}

    def __setstate__(self, state: dict) -> None:
        self.rules_dir = state["rules_dir"]
        self._build()

    def _range(self, value: str) -> tuple:
        found = self._ranges.get(value)
        if found is None:
            found = remember(self._ranges, value, value_range(value), RANGE_MEMO_MAX)
        return found

    def _candidates(self, text: str, lower: str, span_start: int, span_end: int) -> Iterable[Hit]:
        """Grammar matches in text[span_start:span_end], tried only around trigger words.

        Equivalent to scanning every position with the grammar (leftmost match first), but
        the grammar runs only at the few word starts before each trigger word or digit
        (scan.DispatchScan), with the rules that can start there (scan.GrammarScan).
        """
        native = self.dispatch.native
        if native is not None:  # the same loop, compiled (transforms/native/_dates.pyx)
            return native.hits(text, lower, span_start, span_end, *self._hits_tables)
        return self._scan_candidates(text, lower, span_start, span_end)

    def _scan_candidates(
        self, text: str, lower: str, span_start: int, span_end: int
    ) -> Iterator[Hit]:
        """_candidates in Python: the reference of the compiled loop."""
        hit = self.scan.hit
        positions = self.dispatch.positions
        pattern_at = self.scan.pattern_at
        covered = span_start  # end of the last accepted match
        for tstart in self.dispatch.triggers(lower, span_start, span_end):
            if tstart < covered:
                continue
            for pos in positions(text, lower, tstart, covered):
                grammar = pattern_at(text, lower, pos, span_end)
                if grammar is None:
                    continue  # no rule starts with this word ("of", "to", "and")
                m = grammar.match(text, pos, span_end)
                if m is not None and m.end() > tstart:
                    covered = m.end()
                    yield hit(m)
                    break

    def scan_document(
        self, text: str, spans: Sequence[tuple[int, int]] | None = None
    ) -> tuple[str, str, list[Hit]]:
        """What :meth:`tag` reads of a document whatever its anchor: the text with single line
        breaks read as spaces, that text lowercased with the same offsets, and the grammar's
        candidates in every span, in order (tag_document tags an undated page twice, the scan
        once)."""
        text = read_breaks_as_spaces(text, spans)
        lower = self.dispatch.lower(text)  # once per document, not per span
        hits: list[Hit] = []
        for span_start, span_end in spans if spans is not None else ((0, len(text)),):
            hits += self._candidates(text, lower, span_start, span_end)
        return text, lower, hits

    def tag(
        self,
        text: str,
        anchor: dt.date | None,
        spans: Sequence[tuple[int, int]] | None = None,
        scanned: tuple[str, str, list[Hit]] | None = None,
    ) -> tuple[list[DateMention], list[Rejected]]:
        """Temporal expressions inside ``spans`` of ``text`` (offsets into ``text``).

        A single line break inside a span reads as a space (transforms/text/sentences.py), so a
        date wrapped over two lines ("October\\n27, 2019") is found, with its text spaced.
        ``scanned``: what :meth:`scan_document` gave for this text and spans, when known."""
        text, lower, hits = self.scan_document(text, spans) if scanned is None else scanned
        mentions: list[DateMention] = []
        rejected: list[Rejected] = []
        ref: str | None = None
        ref_end = 0
        after_duration = False
        # Names bound once per call: the loop below runs once per candidate (about 20 a page).
        norms = self._norms
        vocab = self.grammar.vocab
        checks = self.checks
        bound_or_comparison = checks.bound_or_comparison
        find_mod = self.mods.find
        range_of = self._range
        ranges = self._ranges
        normalizers = ALL_NORMALIZERS
        new_record = _RECORDS
        seen = 0
        cue_lower = None if any(ch in text for ch in CASE_FOLD_EXTRAS) else lower
        for start, end, branch, fields, ext_start, ext_end in hits:
            seen += 1
            if seen > MAX_DATES_PER_DOC:
                # A table or a dump: the rest is only counted, never normalized.
                rejected.append(
                    new_record(
                        Rejected, REJECTED_FIELDS, (start, end, text[start:end], TOO_MANY_DATES)
                    )
                )
                continue
            reject, norm, timex_type, rule_id, fuzzy = norms[branch]
            if reject:
                rejected.append(
                    new_record(Rejected, REJECTED_FIELDS, (start, end, text[start:end], reject))
                )
                continue
            ctx = Ctx(
                text,
                start,
                end,
                anchor,
                ref,
                start - ref_end,
                vocab,
                checks,
                None,
                after_duration,
                cue_lower,
                False,
                range_of,
            )
            try:
                result = normalizers[norm](dict(fields), ctx)
                if not isinstance(result, Reject):
                    m_start, m_end = timeml_extent(text, ext_start, ext_end)
                    if timex_type == "DATE" and "T" in result[10:11]:
                        timex_type = "TIME"
                    if timex_type in _CALENDAR_TYPES:
                        found = ranges.get(result)
                        date_start, date_end, granularity = (
                            range_of(result) if found is None else found
                        )
                    else:
                        date_start = date_end = granularity = None
                    mod = find_mod(text[start:end])
                    if mod is not None:
                        date_start, date_end = narrow(date_start, date_end, mod)
                    tense = ctx.tense()
                    mention = new_record(
                        DateMention,
                        MENTION_FIELDS,
                        (
                            m_start,
                            m_end,
                            text[m_start:m_end],
                            timex_type,
                            result,
                            date_start,
                            date_end,
                            granularity,
                            rule_id,
                            mod,
                            None if tense == "none" else tense,
                        ),
                    )
            except Exception:  # noqa: BLE001 - one odd candidate must not fail the page
                result = Reject("normalize_error")
            if isinstance(result, Reject):
                rejected.append(
                    new_record(
                        Rejected, REJECTED_FIELDS, (start, end, text[start:end], result.reason)
                    )
                )
                continue
            mentions.append(mention)
            after_duration = timex_type == "DURATION"
            if (
                date_start is not None
                and not fuzzy
                and not ctx.compared
                and not bound_or_comparison(text, m_start)
            ):
                ref, ref_end = result, m_end
        return mentions, rejected
