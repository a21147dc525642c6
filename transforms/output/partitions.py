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
# month=0: not within one month (the whole year, a part of it wider than a month, or coarser).
NOT_WITHIN_A_MONTH = 0

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
