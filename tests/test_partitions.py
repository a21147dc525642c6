"""Partitions that answer date questions: a row lives in the smallest calendar unit that holds
its whole [date_start, date_end] range (transforms/output/partitions.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from transforms.output.partitions import DatedPartitioner, date_partition, dated_partition
from transforms.temporal.calendar import value_range

D = dt.date


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("2019-10-27", (2019, 10)),
        ("2017-12", (2017, 12)),
        ("2018-W02", (2018, 1)),  # Jan 8-14: within January
        ("2018-W05", (2018, 0)),  # Jan 29 - Feb 4: crosses a month boundary
        ("2020-W53", (2020, 0)),  # Dec 28 2020 - Jan 3 2021: crosses a year, filed by its start
        ("2017-Q4", (2017, 0)),
        ("2017-H1", (2017, 0)),
        ("2017-SU", (2017, 0)),
        ("2017-WI", (2017, 0)),  # Dec 2017 - Feb 2018
        ("2014", (2014, 0)),
        ("199", (1990, 0)),  # the 1990s
        ("19", (1900, 0)),  # the 20th century (TIMEX3 "19" = 1900-1999)
    ],
)
def test_values_from_the_date_stage(value, want):
    start, end, _ = value_range(value)
    assert date_partition(start, end, value) == want


def test_year_unknown():
    assert date_partition(None, None, "XXXX-07-07") == (0, 7)
    assert date_partition(None, None, "XXXX-12") == (0, 12)
    assert date_partition(None, None, "PRESENT_REF") == (0, 0)
    assert date_partition(None, None, None) == (0, 0)


def test_a_range_narrowed_by_a_mod_follows_the_range():
    # "the end of 2017" narrowed to its last quarter, "early March 2005" to March 1-10
    assert date_partition(D(2017, 10, 1), D(2017, 12, 31), "2017") == (2017, 0)
    assert date_partition(D(2005, 3, 1), D(2005, 3, 10), "2005-03") == (2005, 3)
    assert date_partition(D(2017, 12, 1), D(2017, 12, 31), "2017") == (2017, 12)


def test_month_partitions_hold_only_rows_within_their_month():
    """Every TIMEX3 value shape, every day of two years: a row filed under month M (1..12) of
    year Y lies within it; month=0 rows never lie within one month."""
    values = []
    day = D(2019, 12, 1)
    while day < D(2021, 3, 1):
        iso = day.isocalendar()
        values += [
            day.isoformat(),
            f"{day.year}-{day.month:02d}",
            f"{iso.year}-W{iso.week:02d}",
            f"{iso.year}-W{iso.week:02d}-WE",
        ]
        day += dt.timedelta(days=1)
    values += ["2020-Q1", "2020-H2", "2020-SP", "2020-WI", "2020", "202", "20"]
    for value in sorted(set(values)):
        start, end, _ = value_range(value)
        year, month = date_partition(start, end, value)
        assert year == start.year, value
        if month:
            assert (start.year, start.month) == (end.year, end.month) == (year, month), value
        else:
            assert (start.year, start.month) != (end.year, end.month), value


def test_partition_path_is_plain_integers():
    row = {"date_start": D(2019, 7, 7), "date_end": D(2019, 7, 7), "timex_value": "2019-07-07"}
    assert dated_partition(row) == "year=2019/month=7"
    assert dated_partition({"timex_value": "XXXX-07-07"}) == "year=0/month=7"
    assert json.dumps(dated_partition({})) == '"year=0/month=0"'


def test_the_layout_version_is_part_of_the_schema_version(monkeypatch):
    """A partition change changes no column, so the commit protocol's schema fingerprint (which
    --incremental compares with the output's) includes the layout version."""
    from transforms.output import commit
    from transforms.output.schemas import LAYOUT_VERSION

    assert LAYOUT_VERSION == 2
    now = commit.schema_version()
    monkeypatch.setattr(commit, "LAYOUT_VERSION", 1)
    assert commit.schema_version() != now


def test_dated_partition_is_date_partition_of_the_row():
    """The writer's inlined path against the rule, over ranges within, across and without
    months and years, one-day rows (no end) and year-less values."""
    days = [D(2019, 1, 1) + dt.timedelta(days=n) for n in range(0, 800, 13)]
    rows = [
        {"date_start": start, "date_end": start + dt.timedelta(days=span)}
        for start in days
        for span in (0, 1, 20, 40, 400)
    ]
    rows += [{"date_start": day, "date_end": None} for day in days]
    rows += [{"date_start": day} for day in days]
    rows += [{"timex_value": v} for v in ("XXXX-07-07", "XXXX-12", "PRESENT_REF", None, "XXXX-13")]
    rows += [{}]
    for row in rows:
        year, month = date_partition(
            row.get("date_start"), row.get("date_end"), row.get("timex_value")
        )
        assert dated_partition(row) == f"year={year}/month={month}", row


def test_the_writers_partitioner_files_every_row_as_dated_partition():
    """DatedPartitioner (paths made once per year and month) against dated_partition: ranges
    within and across months, the same date object as start and end, no end, datetimes (a
    date subclass), year-less values, and values the writer refuses (the same error)."""
    days = [D(2019, 1, 1) + dt.timedelta(days=n) for n in range(0, 800, 13)] + [D(1, 1, 1)]
    rows = [
        {"date_start": start, "date_end": start + dt.timedelta(days=span)}
        for start in days
        for span in (0, 1, 20, 40, 400)
        if start + dt.timedelta(days=span) <= D(9999, 12, 31)
    ]
    rows += [{"date_start": day, "date_end": day} for day in days]
    rows += [{"date_start": day, "date_end": None} for day in days]
    rows += [{"date_start": day} for day in days]
    rows += [{"date_start": dt.datetime(2019, 3, 31, 12), "date_end": D(2019, 4, 1)}]
    rows += [{"date_start": D(2019, 3, 31), "date_end": dt.datetime(2019, 3, 31, 1)}]
    rows += [{"date_start": D(2019, 3, 31), "date_end": ""}, {"date_end": D(2019, 3, 3)}]
    rows += [{"timex_value": v} for v in ("XXXX-07-07", "XXXX-12", "PRESENT_REF", None)]
    rows += [{}]
    partitioner = DatedPartitioner()
    for row in rows + rows:  # the second time from its paths
        assert partitioner(row) == dated_partition(row), row
    for bad in ({"date_start": "2019-03-31"}, {"date_start": D(2019, 3, 1), "date_end": 5}):
        with pytest.raises(AttributeError):
            dated_partition(bad)
        with pytest.raises(AttributeError):
            partitioner(bad)
