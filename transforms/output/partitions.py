"""Where a dated row lives in the Hive-partitioned tables (`events/`, `timeline/`).

One rule, from the row's inclusive range [date_start, date_end] alone: a row is filed under the
smallest calendar unit that holds its whole range.

- ``year=Y/month=M`` (M = 1..12): the range lies within month M of year Y (a day, a month, a
  week or weekend that does not cross a month boundary, a range narrowed to a part of a month).
- ``year=Y/month=0``: the range starts in year Y and does not lie within one month: a year,
  half, quarter, season, a week crossing a month boundary, and ranges longer than a year
  (decade, century, a winter from December to February): those start in Y.
- ``year=0/month=M``: the year is unknown but the month is named (``XXXX-07-07``,
  ``XXXX-07``); ``year=0/month=0``: nothing on the calendar is known.

Weeks and seasons that cross a month or year boundary, and ranges narrowed by a TIMEX3 `mod`
(``START``/``MID``/``END`` of a period: the date stage stores the narrowed range), follow the
same rule: only the stored range counts, never the granularity or the first day alone. So a
query on `year` and `month` 1..12 returns only rows that lie within that month, and a row that
merely *touches* a month is found with the overlap query on `date_start`/`date_end`
(docs/output-contract.md).

Values are plain integers (`month=7`, not `month=07`): DuckDB and BigQuery infer a zero-padded
value as text.
"""

from __future__ import annotations

import datetime as dt
import re

UNKNOWN_YEAR = 0
# Partition paths a `DatedPartitioner` holds before it starts over (an entry is about 150
# bytes; 2,000 bench pages' events name 565): years 1..9999 would be 130,000 of them.
MEMO_MAX_PATHS = 4096
# month=0: not within one month (the whole year, a part of it wider than a month, or coarser).
NOT_WITHIN_A_MONTH = 0

_DATE = dt.date  # DatedPartitioner's fast way: exact dates only (not a subclass)
_YEARLESS_MONTH_RE = re.compile(r"^XXXX-(\d{2})(?:-\d{2})?$")


def date_partition(
    date_start: dt.date | None, date_end: dt.date | None, timex_value: str | None = None
) -> tuple[int, int]:
    """(year, month) partition values of an inclusive date range (see the module docstring).

    `date_end` None is read as `date_start` (a single day). With no `date_start`, a year-less
    TIMEX3 value that names a month (`XXXX-07-07`) gives (0, 7); anything else (0, 0)."""
    if date_start is None:
        match = _YEARLESS_MONTH_RE.match(timex_value or "")
        month = int(match[1]) if match else NOT_WITHIN_A_MONTH
        return UNKNOWN_YEAR, month if 1 <= month <= 12 else NOT_WITHIN_A_MONTH
    end = date_end or date_start
    if (end.year, end.month) == (date_start.year, date_start.month):
        return date_start.year, date_start.month
    return date_start.year, NOT_WITHIN_A_MONTH


def dated_partition(row: dict) -> str:
    """Hive partition path (`year=2019/month=10`) of an events or timeline row: its
    `date_partition`. A row with a `date_start` (nearly every row) is filed here without the
    call, the tuples and the `timex_value` look-up (the writer asks once per row:
    tests/test_partitions.py compares the two on every kind of range)."""
    start = row.get("date_start")
    if start is None:
        year, month = date_partition(None, None, row.get("timex_value"))
        return f"year={year}/month={month}"
    end = row.get("date_end") or start
    year = start.year
    month = start.month
    if end.month != month or end.year != year:
        month = NOT_WITHIN_A_MONTH
    return f"year={year}/month={month}"


class DatedPartitioner:
    """`dated_partition` with the path strings made once per (year, month): the writer asks
    once per row, and formatting the path (two ints to text and a join) was most of the cost.
    Measured (callgrind, the write stage on the 2,000 bench pages' rows, 29,397 events rows in
    565 partitions): about 3,400 instructions a row by `dated_partition`. (A memo by date
    range would hit less: those rows name 9,012 distinct ranges.) Rows whose dates are not
    exactly `datetime.date` objects (no `date_start`, or a value the writer refuses) are filed
    by `dated_partition` itself, errors and all; tests/test_partitions.py compares the two.
    The paths belong to the instance (one per writer) and start over past MEMO_MAX_PATHS."""

    __slots__ = ("paths",)

    def __init__(self) -> None:
        self.paths: dict[int, str] = {}  # year * 13 + month -> "year=Y/month=M"

    def __call__(self, row: dict) -> str:
        """The row's `dated_partition`."""
        # `in` and [] rather than .get: compiled, a method call costs about 400 instructions
        start = row["date_start"] if "date_start" in row else None
        if type(start) is not _DATE:  # None (year-less), or a value the writer will refuse
            return dated_partition(row)
        end = row["date_end"] if "date_end" in row else None
        if end is not None and type(end) is not _DATE:
            return dated_partition(row)
        year = start.year
        month = start.month
        if end is not None and end is not start and (end.month != month or end.year != year):
            month = NOT_WITHIN_A_MONTH
        paths = self.paths
        key = year * 13 + month
        if key in paths:
            return paths[key]
        if len(paths) >= MEMO_MAX_PATHS:
            paths.clear()
        path = paths[key] = f"year={year}/month={month}"
        return path
