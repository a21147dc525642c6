"""Normalizers: turn the groups of one matched rule into a TIMEX3 value.

Each normalizer is ``fn(g, c) -> str | Reject`` where ``g`` holds the rule's named groups
(short names, see dates.yaml) and ``c`` is the :class:`Ctx` of the candidate.  Calendar
positions are computed with plain date arithmetic (temporal/calendar.py); relative expressions
use the anchor date (publication date) or, for anaphoric ones ("two days later", "that
year"), the last calendar date mentioned before (``c.ref``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from transforms.temporal.calendar import month_end, season_range, value_range
from transforms.temporal.context import Context

# Year-less dates ("Nov. 20", "in August") follow the clause tense (past: the latest one
# not after the anchor; future: the earliest not before it; else the nearest), except after
# these words, which point forward even in a past-tense report ("extended the offer to
# Nov. 20", "payable Jan. 2"): there the nearest one is taken.
FORWARD_WORDS = frozenset(
    {"to", "until", "till", "through", "by", "before", "payable", "due", "expires", "effective"}
)
# "the spring"/"the fall" is a season only after one of these ("in the fall", "by the summer").
SEASON_PREPOSITIONS = frozenset(
    {"in", "during", "by", "until", "till", "since", "through", "throughout", "over", "for",
     "before", "after", "into", "from", "to", "of", "this", "that", "early", "late"}
)
# A year-less "Nov. 16" in a past-tense clause is still the coming one when that is this
# close after the publication date: news names last year's date with its year, while record
# dates, deadlines and payment dates a few weeks ahead are reported in the past tense ("said
# it will redeem ... on Oct. 31", "extended the offer to Nov. 20"). TimeBank's year-less
# dates lie up to ~75 days ahead of the DCT; past ones up to ~300 days back.
PAST_SLACK_DAYS = 75
# The same for a year-less month name ("expected in December"): up to two months ahead.
PAST_SLACK_MONTH_DAYS = 62
# Two-digit years below this are 20xx, others 19xx ('89 -> 1989, '05 -> 2005).
TWO_DIGIT_PIVOT = 40


class Reject(NamedTuple):
    """A normalizer's answer that the candidate is not a date expression, with the reason code
    (counted as ``dates_rejected_<reason>``)."""

    reason: str


Result = str | Reject


class Ctx:
    """What a normalizer knows about one candidate: the text and the candidate's [start, end)
    offsets, the anchor (DCT, or None), the last calendar DATE before it (``ref``, and how far
    before, in characters), the grammar's vocabulary and the context checks; tense is worked out on
    first use.

    One is built per candidate (about 20 a page): a class with ``__slots__`` and its own
    ``__init__`` rather than a dataclass, whose generated ``__init__`` stays interpreted when
    this module is compiled (transforms/native/compiled_modules.txt)."""

    __slots__ = (
        "text",
        "start",
        "end",
        "anchor",
        "ref",
        "ref_distance",
        "vocab",
        "checks",
        "_tense",
        "after_duration",
        "lower",
        "compared",
        "range_of",
    )

    def __init__(
        self,
        text: str,
        start: int,
        end: int,
        anchor: dt.date | None,
        ref: str | None,
        ref_distance: int,
        vocab: Mapping[str, Any],
        checks: Context,
        _tense: str | None = None,
        after_duration: bool = False,
        lower: str | None = None,
        compared: bool = False,
        range_of: Callable[[str], tuple[dt.date | None, dt.date | None, str | None]] = value_range,
    ) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.anchor = anchor
        self.ref = ref  # value of the last calendar DATE mentioned before this one
        self.ref_distance = ref_distance  # characters between that mention and this one
        self.vocab = vocab
        self.checks = checks
        self._tense = _tense
        # True when the mention just before this one (after ``ref``) was a DURATION ("the
        # first nine months"): a following "a year earlier" compares that span, not ``ref``'s
        # period.
        self.after_duration = after_duration
        # The text lowercased with the same offsets (faster tense cues), None when not usable.
        self.lower = lower
        # Set by a normalizer whose value compares with the last date ("a year earlier",
        # "year-ago"): such a mention does not become the new reference for later anaphora.
        self.compared = compared
        # calendar.value_range, or a memo of it (the tagger's, per worker): ref_range reads
        # the same reference value for every candidate after it.
        self.range_of = range_of

    def tense(self) -> str:
        """past | present | future: the tense of the candidate's sentence (computed once)."""
        if self._tense is None:
            self._tense = self.checks.tenses.tense(self.text, self.start, self.end, self.lower)
        return self._tense

    def ref_range(self) -> tuple[dt.date | None, str | None]:
        """(first day, granularity) of the last calendar DATE before the candidate, or (None, None).
        """
        if self.ref is None:
            return None, None
        start, _, gran = self.range_of(self.ref)
        return start, gran


def number_value(vocab: Mapping[str, Any], word: str | None) -> float | None:
    """The number a word or numeral stands for ("3", "2 1/2", "twenty-one", from the grammar's
    `numbers` vocabulary), or None."""
    if not word:
        return None
    w = " ".join(word.lower().replace("-", " ").split())
    if w.replace(".", "", 1).isdigit():
        return float(w)
    if w.endswith(("1/2", "½")) and w.split()[0].rstrip("½").isdigit():  # "2 1/2", "2½"
        return float(w.split()[0].rstrip("½")) + 0.5
    numbers = vocab["numbers"]
    if w in numbers:
        return float(numbers[w])
    parts = w.split()
    if len(parts) == 2 and parts[0] in numbers and parts[1] in numbers:
        return float(numbers[parts[0]] + numbers[parts[1]])
    return None


def month_number(vocab: Mapping[str, Any], word: str) -> int:
    """1-12 for a month name or abbreviation of vocab ``months`` ("Sept." -> 9); KeyError if
    unknown."""
    return int(vocab["months"][word.lower().rstrip(".")])


def group_year(g: Mapping[str, str]) -> int | None:
    """The year of a rule's groups: ``year`` (four digits) or ``yy`` ('89 -> 1989, '05 -> 2005
    by TWO_DIGIT_PIVOT); None when the rule matched no year."""
    if g.get("year"):
        return int(g["year"])
    if g.get("yy"):
        yy = int(g["yy"])
        return 2000 + yy if yy < TWO_DIGIT_PIVOT else 1900 + yy
    return None


def pick_date(candidates: list[dt.date], anchor: dt.date, tense: str, slack: int = 0) -> dt.date:
    """Choose among candidate dates: the latest not after the anchor in the past tense, the
    earliest not before it in the future tense, else the nearest.  With ``slack``, a candidate
    at most that many days after the anchor wins even in the past tense (see PAST_SLACK_DAYS)."""
    if tense == "past":
        # the bound built once, and only when a candidate lies after the anchor (as the
        # chained comparison built it: a bound past date.max raises only then)
        later = [d for d in candidates if anchor < d]
        bound = anchor + dt.timedelta(days=slack) if later else anchor
        soon = [d for d in later if d <= bound]
        if soon:
            return min(soon)
        before = [d for d in candidates if d <= anchor]
        if before:
            return max(before)
    elif tense == "future":
        after = [d for d in candidates if d >= anchor]
        # ... and symmetrically, a "future" date almost a year ahead is a recent past one.
        if after and not (slack and (min(after) - anchor).days > 365 - slack):
            return min(after)
    return min(candidates, key=lambda d: (abs((d - anchor).days), d < anchor))


def yearless_tense(c: Ctx) -> str:
    """The clause tense for placing a year-less date: a past clause counts as 'none' right
    after a FORWARD_WORDS word ("extended the offer to Nov. 20")."""
    tense = c.tense()
    if tense == "past" and c.checks.word_before(c.text, c.start) in FORWARD_WORDS:
        return "none"
    return tense


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# ------------------------------------------------------------------ absolute dates
def numeric_date(g: Mapping[str, str], c: Ctx) -> Result:
    """A numeric date (``10/27/2020``, ``2020-10-27``, two-digit years pivoted), optionally with a
    24-hour time.

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    year = int(g["year"])
    if year < 100:
        year += 2000 if year < TWO_DIGIT_PIVOT else 1900
    day = _safe_date(year, int(g["mm"]), int(g["dd"]))
    if day is None:
        return Reject("invalid_date")
    if g.get("hour24"):
        return f"{day.isoformat()}T{int(g['hour24']):02d}:{g['minute24']}"
    return day.isoformat()


def _month_day(g: Mapping[str, str], c: Ctx) -> Result:
    """Month + day with an optional year: a date, or XXXX-MM-DD with no year nor anchor."""
    month, day = month_number(c.vocab, g["month"]), int(g["day"])
    if g["month"][0].islower():
        return Reject("lowercase_month")
    year = group_year(g)
    if year is not None:
        found = _safe_date(year, month, day)
        return found.isoformat() if found else Reject("invalid_date")
    if _safe_date(2000, month, day) is None:  # 2000 is a leap year: Feb 29 is valid
        return Reject("invalid_date")
    if c.anchor is None:
        return f"XXXX-{month:02d}-{day:02d}"
    options = [d for y in (-1, 0, 1) if (d := _safe_date(c.anchor.year + y, month, day))]
    return pick_date(options, c.anchor, yearless_tense(c), PAST_SLACK_DAYS).isoformat()


def month_day(g: Mapping[str, str], c: Ctx) -> Result:
    """A month and day, with or without year (``October 27``, ``27 Oct 2019``); year-less days are
    resolved against the anchor by tense.

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    return _month_day(g, c)


def month_year(g: Mapping[str, str], c: Ctx) -> Result:
    """A month with a year, or ``last/next/this`` month name (``March 2019``, ``last March``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    month = month_number(c.vocab, g["month"])
    year = group_year(g)
    if year is None:
        if c.anchor is None:
            return f"XXXX-{month:02d}"
        year = c.anchor.year + {"last": -1, "next": 1}.get(g.get("rel", "").lower(), 0)
    return f"{year:04d}-{month:02d}"


def month_alone(g: Mapping[str, str], c: Ctx) -> Result:
    """A month name alone (``in March``), resolved against the anchor by tense; rejected when the
    word is a name (``May``, ``Jan Kavan``) or otherwise not a date.

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    word = g["month"]
    rel = (g.get("rel") or "").lower()
    reason = c.checks.month_alone_reason(c.text, c.start, word, bool(rel or g.get("mod")))
    if reason:
        return Reject(reason)
    abbreviation = len(word) <= 4 and word.lower() not in ("may", "june", "july")
    if abbreviation and word[-1] != "." and c.text[c.end + 1 : c.end + 2].isupper():
        return Reject("name")  # "Jan Kavan", "Dec Wilson": an abbreviation is no first name
    month = month_number(c.vocab, word)
    if c.anchor is None:
        return f"XXXX-{month:02d}"
    a = c.anchor
    this_month = dt.date(a.year, month, 1)
    if rel in ("that", "the same"):
        ref_start, _ = c.ref_range()
        return f"{(ref_start or a).year:04d}-{month:02d}"
    if rel == "this":
        return this_month.strftime("%Y-%m")
    if rel == "last":
        year = a.year if month < a.month else a.year - 1
        return f"{year:04d}-{month:02d}"
    if rel == "next":
        year = a.year if month > a.month else a.year + 1
        return f"{year:04d}-{month:02d}"
    options = [dt.date(a.year + y, month, 1) for y in (-1, 0, 1)]
    # A month named without a tense cue is a past one in news ("In January, ..."), unless it
    # is at most two months ahead.
    tense = yearless_tense(c)
    if tense == "none" and c.checks.word_before(c.text, c.start) not in FORWARD_WORDS:
        tense = "past"
    picked = pick_date(options, a.replace(day=1), tense, PAST_SLACK_MONTH_DAYS)
    return picked.strftime("%Y-%m")


def year(g: Mapping[str, str], c: Ctx) -> Result:
    """A year (``2019``, ``fiscal 1998``); rejected when the number is a count or an amount.

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    y = group_year(g)
    if y is None:
        return Reject("no_year")
    if not g.get("mod") and "fiscal" not in c.text[c.start : c.end].lower():
        reason = c.checks.year_is_count(c.text, c.start, c.end)
        if reason:
            return Reject(reason)
    return f"{y:04d}"


def year_range(g: Mapping[str, str], c: Ctx) -> Result:
    """The first year of a year range (``2019-20`` -> ``2019``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    return f"{int(g['year']):04d}"


DECADE_WORDS = ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties",
                "nineties")


def decade(g: Mapping[str, str], c: Ctx) -> Result:
    """A decade (``the 1990s``, ``the nineties``, ``the '90s``) as three digits (``199``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    if g.get("decade"):
        return g["decade"][:3]
    if g.get("dword"):
        return f"19{DECADE_WORDS.index(g['dword'].lower()) + 2}"
    dd = int(g["dd2"])
    century = 19
    if c.anchor is not None and c.anchor.year >= 2000 and dd <= c.anchor.year % 100:
        century = 20
    return f"{century}{dd // 10}"


def century(g: Mapping[str, str], c: Ctx) -> Result:
    """A century (``the 20th century``) as two digits (``19``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    n = int(g["cnum"]) if g.get("cnum") else int(c.vocab["ordinals"][g["cword"].lower()])
    return f"{n - 1:02d}"


def holiday(g: Mapping[str, str], c: Ctx) -> Result:
    """A holiday (``Christmas``, ``Thanksgiving``) of the grammar's holiday list, on its date in the
    year given or the one the anchor and tense select.

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    spec = c.vocab["holidays"][" ".join(g["holiday"].lower().split())]
    year = group_year(g)
    if year is None and (
        c.checks.word_before(c.text, c.start) in ("a", "an")
        or c.checks.word_after(c.text, c.end) in c.vocab["generic_holiday_nouns"]
    ):
        return Reject("generic_holiday")  # "a Christmas card", "Christmas shopping season"
    if year is None and c.anchor is None:
        if "day" in spec and "month" in spec:
            return f"XXXX-{spec['month']:02d}-{spec['day']:02d}"
        return Reject("holiday_without_year")
    years = [year] if year is not None else [c.anchor.year + y for y in (-1, 0, 1)]
    options = [_holiday_date(spec, y) for y in years]
    if year is not None:
        return options[0].isoformat()
    return pick_date(options, c.anchor, c.tense(), PAST_SLACK_DAYS).isoformat()


def _holiday_date(spec: Mapping[str, Any], year: int) -> dt.date:
    if "easter" in spec:
        return _easter(year) + dt.timedelta(days=int(spec["easter"]))
    if spec.get("election"):  # the Tuesday after the first Monday of November
        first = dt.date(year, 11, 1)
        monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        return monday + dt.timedelta(days=1)
    if "day" in spec:
        return dt.date(year, spec["month"], spec["day"])
    nth = nth_weekday_date(year, spec["month"], spec["weekday"], spec["nth"])
    return nth + dt.timedelta(days=int(spec.get("offset", 0)))


def nth_weekday_date(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The ``nth`` ISO ``weekday`` (1 = Monday) of the month; ``nth`` -1 is the last one. A fifth
    one may fall in the next month: callers check the month."""
    if nth > 0:
        first = dt.date(year, month, 1)
        offset = (weekday - 1 - first.weekday()) % 7
        return first + dt.timedelta(days=offset + 7 * (nth - 1))
    last = month_end(year, month)
    return last - dt.timedelta(days=(last.weekday() - (weekday - 1)) % 7)


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month, day = divmod(h + ll - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def season(g: Mapping[str, str], c: Ctx) -> Result:
    """A season (``summer 2019``, ``last winter``) as ``YYYY-SU``; a bare season is rejected.

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    code = c.vocab["seasons"][g["season"].lower()]
    y = group_year(g)
    if y is not None:
        return f"{y:04d}-{code}"
    rel = (g.get("rel") or "").lower()
    if not rel:
        return Reject("bare_season")
    if rel == "the" and (
        c.checks.word_after(c.text, c.end) == "of"
        or c.checks.word_before(c.text, c.start) not in SEASON_PREPOSITIONS
    ):
        return Reject("season_noun")  # "the fall of the Berlin Wall", "the fall in prices"
    if c.anchor is None:
        return f"XXXX-{code}"
    a = c.anchor
    if rel == "last":
        for year in (a.year, a.year - 1, a.year - 2):
            start, end = season_range(year, code)
            if end < a:
                return f"{year:04d}-{code}"
    if rel == "next":
        for year in (a.year - 1, a.year, a.year + 1):
            start, _ = season_range(year, code)
            if start > a:
                return f"{year:04d}-{code}"
    if rel == "that":
        ref_start, _ = c.ref_range()
        return f"{(ref_start or a).year:04d}-{code}"
    if rel in ("the", "early", "late", "the early", "the late", "mid"):
        # "will reopen in the autumn": the clause tense picks the coming or the last one.
        tense = c.tense()
        if tense == "future" and c.checks.modal_future(c.text, c.start):
            for year in (a.year - 1, a.year, a.year + 1):
                if season_range(year, code)[1] >= a:
                    return f"{year:04d}-{code}"
        if tense == "past":
            for year in (a.year, a.year - 1):
                if season_range(year, code)[0] <= a:
                    return f"{year:04d}-{code}"
    return f"{a.year:04d}-{code}"


NORMALIZERS: dict[str, Callable[[Mapping[str, str], Ctx], Result]] = {
    "numeric_date": numeric_date,
    "month_day": month_day,
    "month_year": month_year,
    "month_alone": month_alone,
    "year": year,
    "year_range": year_range,
    "decade": decade,
    "century": century,
    "holiday": holiday,
    "season": season,
}
