"""Normalizers for a day or a week picked out of a larger period (issue 16, kinds 1, 4, 6, 7, 8):
"the 1st of next month", "the last day of July", "the fourteenth of March 2016", "June
twentieth", "the second Monday in January", two-digit decades ("the 80s"), 24-hour clock times
("1650 GMT"), "the past decade" as a span, and well-known named dates ("the September 11
attacks"). Same contract as normalize.absolute: ``fn(g, c) -> str | Reject``.

A year-less month is placed like a year-less day (normalize.absolute.month_day): the candidate DAY
in the years around the anchor is chosen by the clause tense, so "the last day of July" on
2023-07-20 is 2023-07-31 and "the second Monday in January" on 2013-01-02 is 2013-01-14.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

from transforms.temporal.calendar import month_end, value_range
from transforms.temporal.normalize.absolute import (
    PAST_SLACK_DAYS,
    Ctx,
    Reject,
    Result,
    decade,
    group_year,
    month_day,
    month_number,
    nth_weekday_date,
    pick_date,
    yearless_tense,
)
from transforms.temporal.normalize.relative import relative_unit

# Words near a two-digit decade that make it a temperature ("highs in the 80s"), not a decade.
_TEMPERATURE = re.compile(
    r"temperature|degrees|°|fahrenheit|celsius|\btemps?\b|\bhighs?\b|\blows?\b|\bheat\b|"
    r"\bthermometer|\bforecast|\bweather",
    re.IGNORECASE,
)
# How far (characters) around a two-digit decade temperature words are looked for.
TEMPERATURE_WINDOW = 80
_ORDINAL_SUFFIX = re.compile(r"(?<=\d)(?:st|nd|rd|th)$", re.IGNORECASE)
# Position words of "the first/last day of ...".
_POSITIONS = {"first": 1, "last": -1, "final": -1}


def _day_number(vocab: Mapping, word: str) -> int | None:
    """'14th' -> 14, 'fourteenth' -> 14, 'first' -> 1, 'last' -> -1; None when unknown."""
    w = word.lower()
    if w in _POSITIONS:
        return _POSITIONS[w]
    digits = _ORDINAL_SUFFIX.sub("", w)
    if digits.isdigit():
        return int(digits)
    found = vocab["day_ordinals"].get(w)
    return int(found) if found is not None else None


def _in_month(year: int, month: int, n: int) -> dt.date | None:
    """Day ``n`` of the month (``-1``: its last day); None when the month is shorter."""
    last = month_end(year, month)
    if n == -1:
        return last
    return dt.date(year, month, n) if 1 <= n <= last.day else None


def _nth_in_month(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    day = nth_weekday_date(year, month, weekday, nth)
    return day if day.month == month else None  # "the fifth Monday" may not exist


def _place(pick: Callable[[int], dt.date | None], g: Mapping[str, str], c: Ctx) -> Result:
    """The day ``pick(year)`` in the year given, else in the year the clause tense chooses."""
    year = group_year(g)
    if year is not None:
        day = pick(year)
        return day.isoformat() if day else Reject("invalid_date")
    if c.anchor is None:
        day = pick(2001) if g.get("month", "").lower()[:3] != "feb" else None
        if day is None:
            return Reject("no_anchor")
        return f"XXXX-{day.month:02d}-{day.day:02d}"
    options = [d for y in (-1, 0, 1) if (d := pick(c.anchor.year + y)) is not None]
    if not options:
        return Reject("invalid_date")
    return pick_date(options, c.anchor, yearless_tense(c), PAST_SLACK_DAYS).isoformat()


def _relative_period(g: Mapping[str, str], c: Ctx) -> tuple[dt.date, dt.date] | Reject:
    """The period of "next month", "this year", "the month" (the anchor's): its first and
    last day."""
    rel = (g.get("rel") or "the").lower()
    if rel == "the" and (g.get("unit") or "").lower() in ("month", "year", "week", "quarter"):
        rel = "this"  # "the last day of the month": the current one
    value = relative_unit({"rel": rel, "unit": g.get("unit") or "month"}, c)
    if isinstance(value, Reject):
        return value
    start, end, _ = value_range(value)
    if start is None or end is None:
        return Reject("no_anchor")
    return start, end


def day_in_period(g: Mapping[str, str], c: Ctx) -> Result:
    """'the 28th of this month', 'the last day of July', 'the first day of 2019'."""
    n = _day_number(c.vocab, g.get("oday") or g.get("pos") or "")
    if n is None or n == 0:
        return Reject("no_day")
    if g.get("month"):
        if g["month"][0].islower():
            return Reject("lowercase_month")
        month = month_number(c.vocab, g["month"])
        return _place(lambda y: _in_month(y, month, n), g, c)
    if g.get("year") and not g.get("unit"):
        year = int(g["year"])
        period: tuple[dt.date, dt.date] | Reject = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    else:
        period = _relative_period(g, c)
    if isinstance(period, Reject):
        return period
    start, end = period
    day = end if n == -1 else start + dt.timedelta(days=n - 1)
    return day.isoformat() if day <= end else Reject("invalid_date")


def nth_weekday(g: Mapping[str, str], c: Ctx) -> Result:
    """'the second Monday in January', 'the last Monday in May 2019', 'the first Friday of
    next month'."""
    nth = _day_number(c.vocab, g["nth"])
    weekday = int(c.vocab["weekdays"][g["weekday"].lower()])
    if nth is None or g["weekday"][0].islower():
        return Reject("lowercase_weekday")
    if g.get("month"):
        month = month_number(c.vocab, g["month"])
        return _place(lambda y: _nth_in_month(y, month, weekday, nth), g, c)
    period = _relative_period({"rel": g.get("rel"), "unit": "month"}, c)
    if isinstance(period, Reject):
        return period
    start, _ = period
    day = _nth_in_month(start.year, start.month, weekday, nth)
    return day.isoformat() if day else Reject("invalid_date")


def nth_weekday_every(g: Mapping[str, str], c: Ctx) -> Result:
    """'the first Sunday of every month': a SET recurring monthly (TimeML SET value P1M)."""
    return "P1M"


def spelled_day(g: Mapping[str, str], c: Ctx) -> Result:
    """'the fourteenth of March 2016', 'June twentieth, 2011', 'the second of August'."""
    n = _day_number(c.vocab, g["oday"])
    if n is None or n < 1:
        return Reject("no_day")
    return month_day({**g, "day": str(n)}, c)


def named_date(g: Mapping[str, str], c: Ctx) -> Result:
    """'the September 11 attacks' -> 2001-09-11 (vocab named_dates); otherwise the plain
    year-less day."""
    key = " ".join(c.text[c.start : c.end].lower().removeprefix("the ").split())
    key = key.removesuffix("th")
    spec = c.vocab["named_dates"].get(key)
    after = c.checks.word_after(c.text, c.end)
    if spec is not None and after in spec["words"]:
        return str(spec["value"])
    return month_day(g, c)


def decade_two_digit(g: Mapping[str, str], c: Ctx) -> Result:
    """'the 80s', "the 60's": a decade (the century by normalize.absolute.decade), except next
    to temperature words ("highs in the 80s")."""
    window = c.text[max(0, c.start - TEMPERATURE_WINDOW) : c.end + TEMPERATURE_WINDOW]
    if _TEMPERATURE.search(window):
        return Reject("temperature")
    return decade(g, c)


def span_unit(g: Mapping[str, str], c: Ctx) -> Result:
    """'over the last decade' -> P10Y: TimeBank annotates it as a DURATION, not the decade."""
    code = c.vocab["units"][g["unit"].lower()]["dur"]
    return f"P{code}"


DAY_NORMALIZERS: dict[str, Callable[[Mapping[str, str], Ctx], Result]] = {
    "day_in_period": day_in_period,
    "nth_weekday": nth_weekday,
    "nth_weekday_every": nth_weekday_every,
    "spelled_day": spelled_day,
    "named_date": named_date,
    "decade_two_digit": decade_two_digit,
    "span_unit": span_unit,
}
