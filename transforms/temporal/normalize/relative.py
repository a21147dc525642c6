"""Normalizers for relative and deictic expressions, times, quarters, durations, sets and
fuzzy references (see normalize/absolute.py for the conventions)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

from transforms.temporal.calendar import add_months, shift, value_of
from transforms.temporal.normalize.absolute import (
    Ctx,
    Reject,
    Result,
    month_day,
    number_value,
    pick_date,
)

# Calendar granularities from coarse to fine: anaphoric shifts keep the finer one.
GRANULARITY_ORDER = ("century", "decade", "year", "season", "quarter", "month", "week", "day")
BACKWARD = {"ago", "earlier", "before"}
ANAPHORIC = {"earlier", "before", "later", "after", "afterward", "afterwards"}
FORWARD_ANAPHORA = {"later", "after", "afterward", "afterwards"}
NAMED_UNITS = {"year", "quarter", "month"}
# "until Tuesday" is a deadline, the coming weekday, even in a past-tense clause ("postponed
# until Tuesday"); "until" itself is no tense cue (the clause keeps its tense).
DEADLINE_WORDS = frozenset({"until", "till"})
_WEEK = dt.timedelta(days=7)
# A quarter mentioned this close before "a year ago" / "last year" sets their granularity.
QUARTER_CONTEXT = 400
# "that day" refers to a day named at most this far before (about two sentences).
DAY_CONTEXT = 400
# A capitalized "This Week" right after one of these is a title ("This Week", a programme).
_OPENING_QUOTES = frozenset({'"', "\u201c", "`", "'", "\u2018"})
PART_CODES = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}


def _unit(c: Ctx, word: str) -> Mapping[str, str]:
    return c.vocab["units"][word.lower()]


def _finer_or_equal(a: str, b: str) -> bool:
    order = {g: i for i, g in enumerate(GRANULARITY_ORDER)}
    return order.get(a, -1) >= order.get(b, 99)


def ago(g: Mapping[str, str], c: Ctx) -> Result:
    """``three days ago``, ``two weeks later``: the anchor shifted by the count in the unit (vague
    counts and clock units: ``PAST_REF`` / ``FUTURE_REF``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    direction = g["dir"].lower()
    backward = direction in BACKWARD
    unit = _unit(c, g["unit"])["cal"]
    n = number_value(c.vocab, g.get("num"))
    if n is None or n != int(n) or unit in ("hour", "minute", "second"):
        return "PAST_REF" if backward else "FUTURE_REF"
    n = -int(n) if backward else int(n)
    if unit == "weekend":
        unit = "week"
    ref_start, ref_gran = c.ref_range()
    c.compared = unit == "year" and n == -1
    if c.compared and c.after_duration and c.anchor is not None:
        # "for the nine months, ... compared with $1 million a year earlier": the span a year
        # before is no calendar quarter or day; TimeML gives the year.
        return value_of(shift(c.anchor, "year", -1) or c.anchor, "year")
    if (
        direction == "ago"
        and unit == "year"
        and n == -1
        and ref_gran == "quarter"
        and c.ref_distance < QUARTER_CONTEXT
    ):
        # "up from $10 million a year ago" next to "the third quarter": the same quarter
        # one year before (TimeML annotates the period being compared).
        return value_of(shift(ref_start, "year", -1) or ref_start, "quarter")
    if direction in ANAPHORIC and ref_start and ref_gran and _finer_or_equal(ref_gran, unit):
        moved = shift(ref_start, unit, n)
        # Narrative "two years later" after a day names a year (TimeML); a comparison "a year
        # earlier" keeps the period compared ("the third quarter ... a year earlier").
        # Days, weeks and decades keep the named period's size ("a decade later" after
        # "summer 2010" is 2020-SU, not the 2020s).
        gran = unit if direction in FORWARD_ANAPHORA and unit in NAMED_UNITS else ref_gran
        return value_of(moved, gran) if moved else Reject("out_of_range")
    if c.anchor is None:
        return "PAST_REF" if backward else "FUTURE_REF"
    moved = shift(c.anchor, unit, n)
    return value_of(moved, unit) if moved else Reject("out_of_range")


_ENDED_RE = re.compile(r"\s+end(?:ed|ing)\s+([A-Za-z]+)\.?")


def _quarter_ended(c: Ctx) -> str | None:
    """'the quarter ended July 31': the calendar quarter holding most of the three months up
    to July (May-July: Q2), in the latest year whose July is not after the anchor."""
    m = _ENDED_RE.match(c.text, c.end)
    month = c.vocab["months"].get(m[1].lower()) if m else None
    if month is None or c.anchor is None:
        return None
    year = c.anchor.year if int(month) <= c.anchor.month else c.anchor.year - 1
    middle = add_months(dt.date(year, int(month), 1), -1)
    return value_of(middle, "quarter")


def _last_completed_quarter(day: dt.date) -> str:
    return value_of(shift(day, "quarter", -1) or day, "quarter")


def relative_unit(g: Mapping[str, str], c: Ctx) -> Result:
    """``last week``, ``next month``, ``this year``, ``the past quarter``: the anchor's unit shifted
    (without an anchor: ``PAST_REF`` or ``XXXX``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    rel = " ".join(g["rel"].lower().replace("-", " ").split())
    unit = g["unit"].lower()
    if g["unit"][:1].isupper() and c.text[c.start - 1 : c.start] in _OPENING_QUOTES:
        return Reject("name")  # ABC News' "This Week": a programme or column title
    if unit == "period":  # "the latest period" of an earnings report: a quarter
        unit = "quarter"
    if c.anchor is None:
        return "PAST_REF" if rel in ("last", "the past", "previous") else "XXXX"
    a = c.anchor
    ref_start, ref_gran = c.ref_range()
    if "year earlier" in rel or "year ago" in rel or rel == "last year's":
        c.compared = True
        base = ref_start if ref_gran == unit and ref_start else None
        if base is None:
            base = shift(a, "quarter", -1) if unit == "quarter" else a
        return value_of(shift(base, "year", -1) or base, unit)
    if unit == "weekend":
        return _weekend(rel, c)
    offset = 0
    if rel in (
        "last",
        "the past",
        "the previous",
        "previous",
        "past",
        "the prior",
        "prior",
        "the last",
        "last fiscal",
        "the previous fiscal",
    ):
        offset = -1
    elif rel in ("next", "the next", "the coming", "coming", "next fiscal"):
        offset = 1
    elif rel in ("the following", "following"):
        base = ref_start if ref_start and _finer_or_equal(ref_gran or "", unit) else a
        moved = shift(base, unit, 1)
        return value_of(moved, unit) if moved else Reject("out_of_range")
    elif rel in ("that", "the same") and ref_start and _finer_or_equal(ref_gran or "", unit):
        return value_of(ref_start, unit)
    elif rel in ("the", "the latest", "the most recent", "the latest fiscal") and unit == "quarter":
        ended = _quarter_ended(c)
        if ended is not None:
            return ended
        if rel == "the" and ref_start and ref_gran == "quarter":
            return value_of(ref_start, "quarter")
        return _last_completed_quarter(a)
    elif rel == "the latest fiscal" and unit == "year":
        offset = -1
    moved = shift(a, unit, offset)
    return value_of(moved, unit) if moved else Reject("out_of_range")


def _weekend(rel: str, c: Ctx) -> Result:
    a = c.anchor
    assert a is not None
    saturday = a + dt.timedelta(days=5 - a.weekday())
    if rel in ("last", "the past", "past", "previous", "the previous", "the last"):
        saturday = saturday - dt.timedelta(days=7) if a.weekday() < 5 else saturday
        if a.weekday() >= 5:
            saturday -= dt.timedelta(days=7)
    elif rel in ("next", "the next", "the coming", "coming", "the following", "following"):
        saturday += dt.timedelta(days=7) if a.weekday() >= 5 else dt.timedelta(0)
    elif a.weekday() < 5 and c.tense() == "past":
        saturday -= dt.timedelta(days=7)
    return value_of(saturday, "weekend")


def year_earlier(g: Mapping[str, str], c: Ctx) -> Result:
    """``a year earlier``, ``the year-earlier quarter``: the period one year before the reference
    date (the last DATE mentioned, or the anchor).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    c.compared = True
    if g.get("ord") and c.anchor is not None:
        this_year = quarter({"ord": g["ord"], "qunit": "quarter"}, c)
        return f"{int(str(this_year)[:4]) - 1:04d}{str(this_year)[4:]}"
    ref_start, ref_gran = c.ref_range()
    if c.after_duration and c.anchor is not None:  # "the nine months ... year-earlier net"
        return value_of(shift(c.anchor, "year", -1) or c.anchor, "year")
    other_year = ref_start and c.anchor and ref_start.year != c.anchor.year
    if ref_gran == "year" and other_year:
        ref_start = None  # "the 1988 charge ... year-ago results": compared with this year
    if ref_start and c.anchor and ref_start > c.anchor:
        ref_start = None  # a forecast ("the third quarter of 1990") is not what is reported
    if ref_start and ref_gran in ("quarter", "month", "year"):
        return value_of(shift(ref_start, "year", -1) or ref_start, ref_gran)
    if c.anchor is None:
        return "PAST_REF"
    if c.checks.word_after(c.text, c.end) in ("period", "quarter"):
        reported = shift(c.anchor, "quarter", -1) or c.anchor  # "the year-ago period"
        return value_of(shift(reported, "year", -1) or reported, "quarter")
    return value_of(shift(c.anchor, "year", -1) or c.anchor, "year")


DEICTIC_DAYS = {
    "today": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
    "tonight": 0,
    "this": 0,
    "last": -1,
}


def deictic_day(g: Mapping[str, str], c: Ctx) -> Result:
    """``today``, ``yesterday``, ``the day after tomorrow``: the anchor shifted by days (without an
    anchor: ``PRESENT_REF`` / ``PAST_REF`` / ``FUTURE_REF``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    if g["deictic"] == "Today" and not g.get("mod") and c.checks.today_is_name(c.text, c.start):
        return Reject("name_today")
    if g["deictic"].lower() == "today" and c.checks.today_is_generic(c.text, c.end):
        return Reject("generic_today")
    offset = DEICTIC_DAYS[" ".join(g["deictic"].lower().split())]
    if c.anchor is None:
        return "PRESENT_REF" if offset == 0 else ("PAST_REF" if offset < 0 else "FUTURE_REF")
    return (c.anchor + dt.timedelta(days=offset)).isoformat()


def _weekday_date(weekday: int, mod: str, c: Ctx) -> dt.date | None:
    if c.anchor is None:
        return None
    a = c.anchor
    same = a + dt.timedelta(days=weekday - a.isoweekday())
    # the same weekday in the week before, this week and the week after (one timedelta built:
    # building one costs several times the addition)
    options = [same - _WEEK, same, same + _WEEK]
    if mod in ("last", "this past"):
        return max(d for d in options if d < a)
    if mod in ("next", "this coming"):
        return min(d for d in options if d > a)
    if mod in ("the previous", "the following", "the next"):
        # relative to the day named before ("... Friday ... the previous Friday"), else to
        # the same weekday nearest the anchor in the past
        ref_start, ref_gran = c.ref_range()
        base = ref_start if ref_start and ref_gran == "day" else max(d for d in options if d <= a)
        if mod == "the previous":
            return base - dt.timedelta(days=(base.isoweekday() - weekday) % 7 or 7)
        return base + dt.timedelta(days=(weekday - base.isoweekday()) % 7 or 7)
    tense = c.tense()
    if c.checks.word_before(c.text, c.start) in DEADLINE_WORDS:
        tense = "future"  # "extended its deadline until Tuesday": the coming one
    if tense != "future":
        tense = "past"
    return pick_date(options, a, tense)


def weekday(g: Mapping[str, str], c: Ctx) -> Result:
    """A weekday (``on Tuesday``, ``last Friday``): the day of that name nearest the anchor in the
    sentence's tense; lowercase and name uses are rejected.

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    if g["weekday"][0].islower():
        return Reject("lowercase_weekday")
    n = int(c.vocab["weekdays"][g["weekday"].lower()])
    if c.checks.weekday_is_name(c.text, c.end):
        return Reject("name_weekday")
    if c.text[c.end - 2 : c.end] == "'s":
        c._tense = "past"  # "Wednesday's ruling": an event already reported
    found = _weekday_date(n, (g.get("mod") or "").lower(), c)
    return found.isoformat() if found else f"XXXX-WXX-{n}"


def weekday_part(g: Mapping[str, str], c: Ctx) -> Result:
    """'Friday night': the day (TimeML corpora type these DATE with a day value)."""
    return weekday({"weekday": g["weekday"], "mod": g.get("mod", "")}, c)


def deictic_part(g: Mapping[str, str], c: Ctx) -> Result:
    """``this morning``, ``tonight``, ``yesterday afternoon``: a day and a part of day
    (``2020-10-27TMO``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    if g.get("tonight"):
        word, part = "today", "NI"
    else:
        word = (g.get("deictic") or g.get("deictic2") or "").lower().split()[-1]
        part = c.vocab["parts_of_day"][g["part"].lower()]
        word = {"this": "today", "last": "yesterday"}.get(word, word)
    if c.anchor is None:
        return f"XXXX-XX-XXT{part}"
    return f"{deictic_day({'deictic': word}, c)}T{part}"


def time_of_day(g: Mapping[str, str], c: Ctx) -> Result:
    """A clock time (``3 p.m.``, ``15:30``, ``noon``) on the day named with it, else the day named
    just before, else the anchor's day (``2020-10-27T15:00``).

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    if g.get("noon"):
        if c.checks.word_before(c.text, c.start) == "high":
            return Reject("idiom")  # "high noon", the film "High Noon"
        clock = "24:00" if g["noon"].lower() == "midnight" else "12:00"
    else:
        hour = int(g.get("hour") or g.get("hour24") or 0)
        minute = g.get("minute") or g.get("minute24") or "00"
        marker = (g.get("ampm") or g.get("inthe") or "").lower().replace(".", "")
        if marker.startswith("p") or "afternoon" in marker or "evening" in marker:
            hour = hour % 12 + 12
        elif marker.startswith("a") or "morning" in marker:
            hour = hour % 12
        clock = f"{hour:02d}:{minute}"
    if g.get("month"):
        day = month_day(g, c)
    elif g.get("weekday"):
        day = weekday(g, c)
    elif g.get("deictic"):
        day = deictic_day(g, c)
    else:
        # a bare clock time is on the day under discussion: the day named just before ("on
        # Oct. 23 ... at 10 p.m."), else the publication date
        ref_start, ref_gran = c.ref_range()
        if ref_start and ref_gran == "day" and c.ref_distance < DAY_CONTEXT:
            day = ref_start.isoformat()
        else:
            day = c.anchor.isoformat() if c.anchor else "XXXX-XX-XX"
    if isinstance(day, Reject):
        return day
    if not day[:1].isdigit() and not day.startswith("XXXX"):
        day = "XXXX-XX-XX"
    return f"{day}T{clock}"


def quarter(g: Mapping[str, str], c: Ctx) -> Result:
    """A quarter or half (``the third quarter``, ``Q3 2017``, ``the first half``) as ``YYYY-Q3`` /
    ``YYYY-H1``, its year from the text or the anchor.

    `g`: the rule's named groups (short names); `c`: the mention's context. Returns a TIMEX3 value
    or a Reject with its reason code."""
    n = g.get("qn") or g.get("qn2")
    kind = (g.get("qunit") or "quarter").lower()
    letter = "H" if kind == "half" else "Q"
    if n is None:
        ordinal = int(c.vocab["ordinals"][g["ord"].lower()])
        bare = not (g.get("det") or g.get("year") or g.get("yy") or g.get("fiscal"))
        if ordinal == -1 and letter == "Q" and bare and c.anchor is not None:
            return _last_completed_quarter(c.anchor)  # "last quarter": the previous one (TimeML)
        n = str(4 if ordinal == -1 and letter == "Q" else 2 if ordinal == -1 else ordinal)
    if letter == "H" and int(n) > 2:
        return Reject("invalid_half")
    y = g.get("year") and int(g["year"])
    if not y and g.get("yy"):
        yy = int(g["yy"])
        y = 2000 + yy if yy < 40 else 1900 + yy
    if not y:
        if c.anchor is None:
            return f"XXXX-{letter}{n}"
        y = c.anchor.year
        det = (g.get("det") or "").lower()
        current = (c.anchor.month - 1) // (3 if letter == "Q" else 6) + 1
        if det == "last year's":
            y -= 1
        elif det == "next year's":
            y += 1
        elif int(n) > current and c.tense() != "future":
            y -= 1
    return f"{y:04d}-{letter}{n}"


def year_quarter(g: Mapping[str, str], c: Ctx) -> Result:
    """'the 1988 quarter': the reported quarter (see the rule) in the year given."""
    if (g.get("unit") or "").lower() == "period" and c.after_duration:
        return g["year"]  # "the first nine months ... the 1988 period"
    ref_start, ref_gran = c.ref_range()
    if ref_gran == "quarter" and ref_start is not None:
        reported: dt.date | None = ref_start
    elif c.anchor is not None:
        reported = shift(c.anchor, "quarter", -1) or c.anchor
    else:
        return f"{g['year']}-QX"
    return f"{g['year']}-Q{(reported.month - 1) // 3 + 1}"


def whole_unit(g: Mapping[str, str], c: Ctx) -> Result:
    """'the full year': the unit containing the last named date, else the anchor's."""
    unit = _unit(c, g["unit"])["cal"]
    ref_start, ref_gran = c.ref_range()
    finer = ref_gran and ref_gran != unit and _finer_or_equal(ref_gran, unit)
    if ref_start and finer and c.ref_distance < 300:
        return value_of(ref_start, unit)
    if c.anchor is None:
        return "XXXX"
    return value_of(c.anchor, unit)


DAY_SHIFT = {"the next": 1, "the following": 1, "the previous": -1, "the prior": -1}


def day_anaphora(g: Mapping[str, str], c: Ctx) -> Result:
    """'that day', 'the next day': the day named before (a sentence or two back), else the
    publication date."""
    ref_start, ref_gran = c.ref_range()
    shift_days = DAY_SHIFT.get(g["rel"].lower(), 0)
    if ref_start and ref_gran == "day" and c.ref_distance < DAY_CONTEXT:
        base = ref_start
    elif c.anchor is not None and shift_days:
        base = c.anchor  # "the next day" in a report: the day after publication
    else:
        return Reject("no_antecedent")  # "since that day": the day was named earlier, not found
    return (base + dt.timedelta(days=shift_days)).isoformat()


def spelled_year(g: Mapping[str, str], c: Ctx) -> Result:
    """'nineteen ninety-seven' -> 1997, 'two thousand and one' -> 2001 (+ month or season)."""
    numbers = c.vocab["numbers"]
    if g.get("sythousand"):
        year = 2000 + int(numbers.get((g.get("syunits") or "").lower(), 0))
    else:
        century = int(numbers[g["sycent"].lower()])
        tens = sum(int(numbers[w]) for w in g["sytens"].lower().replace("-", " ").split())
        year = century * 100 + tens
    if g.get("month"):
        return f"{year:04d}-{int(c.vocab['months'][g['month'].lower().rstrip('.')]):02d}"
    if g.get("season"):
        return f"{year:04d}-{c.vocab['seasons'][g['season'].lower()]}"
    return f"{year:04d}"


REL_NORMALIZERS: dict[str, Callable[[Mapping[str, str], Ctx], Result]] = {
    "ago": ago,
    "relative_unit": relative_unit,
    "year_earlier": year_earlier,
    "deictic_day": deictic_day,
    "weekday": weekday,
    "weekday_part": weekday_part,
    "year_quarter": year_quarter,
    "deictic_part": deictic_part,
    "time_of_day": time_of_day,
    "quarter": quarter,
    "whole_unit": whole_unit,
    "spelled_year": spelled_year,
    "day_anaphora": day_anaphora,
}
