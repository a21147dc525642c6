"""Calendar arithmetic for TIMEX3 values: build values from dates, and read a value back
into an inclusive date range with a granularity.

Values follow TimeML TIMEX3: ``2019-10-27``, ``2019-10``, ``2019``, ``199`` (the 1990s),
``19`` (the 20th century), ``2018-W02``, ``2018-W02-WE`` (a weekend), ``2017-Q4``,
``2018-H1``, ``1997-SU``, ``2019-10-27T15:00`` / ``2019-10-27TMO`` (times of day).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

Range = tuple[dt.date | None, dt.date | None, str | None]

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
_DAY_RE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:T.*)?$")
_XDAY_RE = re.compile(r"^XXXX-(\d\d)-(\d\d)(?:T.*)?$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d\d)$")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d\d)(-WE)?$")
_QUARTER_RE = re.compile(r"^(\d{4})-([QH])([1-4])$")
_SEASON_RE = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_YEAR_RE = re.compile(r"^(\d{2,4})$")
# A year value's digits -> (years it spans, granularity): "2019", "201" (the 2010s), "20".
# A table, not 10 ** (4 - digits): compiled (transforms/native/pure.py), a power of a C integer
# whose exponent could be negative is a float.
_YEAR_DIGITS = {4: (1, "year"), 3: (10, "decade"), 2: (100, "century")}


# Days per month of a common year; February of a leap year has one more (month_days).
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_days(year: int, month: int) -> int:
    """The number of days of ``month`` in ``year``: ``calendar.monthrange(year, month)[1]``
    without its weekday computation (interpreted Python, called for every month value); a
    month outside 1-12 raises what monthrange raises (calendar.IllegalMonthError, a
    ValueError)."""
    if not 1 <= month <= 12:
        return calendar.monthrange(year, month)[1]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def month_end(year: int, month: int) -> dt.date:
    """The last day of the month."""
    return dt.date(year, month, month_days(year, month))


def add_months(day: dt.date, months: int) -> dt.date:
    """Shift by whole months, clamping the day to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_days(year, month + 1)
    return dt.date(year, month + 1, min(day.day, last))


def shift(day: dt.date, unit: str, n: int) -> dt.date | None:
    """``day`` moved by ``n`` calendar units (None when it leaves the supported years)."""
    try:
        if unit in ("day", "weekend"):
            return day + dt.timedelta(days=n)
        if unit == "week":
            return day + dt.timedelta(weeks=n)
        if unit == "month":
            return add_months(day, n)
        if unit == "quarter":
            return add_months(day, 3 * n)
        if unit == "year":
            return add_months(day, 12 * n)
        if unit == "decade":
            return add_months(day, 120 * n)
        if unit == "century":
            return add_months(day, 1200 * n)
    except (ValueError, OverflowError):
        return None
    raise ValueError(f"unknown unit {unit!r}")


def value_of(day: dt.date, granularity: str) -> str:
    """The TIMEX3 value of the ``granularity``-sized period containing ``day``."""
    if granularity == "day":
        return day.isoformat()
    if granularity == "week":
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if granularity == "weekend":
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}-WE"
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if granularity == "season":
        code = next(c for c, (a, b) in SEASON_MONTHS.items() if _in_season(day.month, a, b))
        # Winter starts in December: January and February belong to the previous year's WI.
        year = day.year - 1 if code == "WI" and day.month < 12 else day.year
        return f"{year:04d}-{code}"
    if granularity == "year":
        return f"{day.year:04d}"
    if granularity == "decade":
        return f"{day.year // 10:03d}"
    if granularity == "century":
        return f"{day.year // 100:02d}"
    raise ValueError(f"unknown granularity {granularity!r}")


def _in_season(month: int, first: int, last: int) -> bool:
    return first <= month <= last if first <= last else month >= first or month <= last


def season_range(year: int, code: str) -> tuple[dt.date, dt.date]:
    """Inclusive first and last day of a season (SP, SU, FA, WI; winter ends in the next year)."""
    first, last = SEASON_MONTHS[code]
    end_year = year + 1 if code == "WI" else year
    return dt.date(year, first, 1), month_end(end_year, last)


def value_range(value: str) -> Range:
    """Inclusive (date_start, date_end, granularity) of a TIMEX3 value; None parts when the
    value is not on the calendar (PRESENT_REF, XXXX-07-07 keeps granularity 'day')."""
    try:
        return _value_range(value)
    except ValueError:
        return None, None, None


def _value_range(value: str) -> Range:
    if m := _DAY_RE.match(value):
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return day, day, "day"
    if _XDAY_RE.match(value):
        return None, None, "day"
    if m := _MONTH_RE.match(value):
        year, month = int(m[1]), int(m[2])
        return dt.date(year, month, 1), month_end(year, month), "month"
    if m := _WEEK_RE.match(value):
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if m[3]:
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "week"
        return monday, monday + dt.timedelta(days=6), "week"
    if m := _QUARTER_RE.match(value):
        year, size, n = int(m[1]), 3 if m[2] == "Q" else 6, int(m[3])
        if m[2] == "H" and n > 2:
            return None, None, None
        first = (n - 1) * size + 1
        # Halves are reported with quarter granularity: the contract has no 'half'.
        return dt.date(year, first, 1), month_end(year, first + size - 1), "quarter"
    if m := _SEASON_RE.match(value):
        start, end = season_range(int(m[1]), m[2])
        return start, end, "season"
    if m := _YEAR_RE.match(value):
        digits = m[1]
        scale, granularity = _YEAR_DIGITS[len(digits)]
        first = int(digits) * scale
        if first < 1:
            return None, None, None
        return dt.date(first, 1, 1), dt.date(first + scale - 1, 12, 31), granularity
    return None, None, None
