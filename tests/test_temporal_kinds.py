"""The kinds of issue 16, each with pinned publication dates and sentences of our own (not the
shared cases): value, extent, mod and the clause tense exposed on each mention."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.temporal.mod import narrow
from transforms.temporal.tagger import DateTagger

TAGGER = DateTagger()


def values(text: str, anchor: dt.date | None) -> dict[str, str]:
    mentions, _ = TAGGER.tag(text, anchor)
    return {m.text: m.value for m in mentions}


def one(text: str, anchor: dt.date | None, expr: str):
    mentions, _ = TAGGER.tag(text, anchor)
    found = [m for m in mentions if m.text == expr]
    assert found, [(m.text, m.value) for m in mentions]
    return found[0]


# ---------------------------------------------------------------- kind 1: days out of periods
@pytest.mark.parametrize(
    ("text", "anchor", "expr", "value"),
    [
        (
            "Fees rise on the 1st of next month.",
            "2019-12-10",
            "the 1st of next month",
            "2020-01-01",
        ),
        (
            "The vote is on the 15th of this month.",
            "2019-02-03",
            "the 15th of this month",
            "2019-02-15",
        ),
        (
            "It was signed on the 3rd of last month.",
            "2019-01-20",
            "the 3rd of last month",
            "2018-12-03",
        ),
        ("Bids close on the 31st of next month.", "2019-01-20", "the 31st of next month", None),
        (
            "It ends on the last day of February.",
            "2024-01-05",
            "the last day of February",
            "2024-02-29",
        ),
        ("on the first day of the year", "2019-06-01", "the first day of the year", "2019-01-01"),
        ("by the last day of 2019", "2020-06-01", "the last day of 2019", "2019-12-31"),
        (
            "He was born on the twenty-third of May 1990.",
            None,
            "the twenty-third of May 1990",
            "1990-05-23",
        ),
        (
            "The show opened October thirty-first, 2008.",
            None,
            "October thirty-first, 2008",
            "2008-10-31",
        ),
        (
            "Polls open on the fourth Thursday of November.",
            "2022-10-01",
            "the fourth Thursday of November",
            "2022-11-24",
        ),
        (
            "The talks resumed on the first Monday in March 2021.",
            None,
            "the first Monday in March 2021",
            "2021-03-01",
        ),
        (
            "Markets close on the last Friday of next month.",
            "2021-01-10",
            "the last Friday of next month",
            "2021-02-26",
        ),
    ],
)
def test_day_picked_out_of_a_period(text, anchor, expr, value):
    mentions, rejected = TAGGER.tag(text, anchor and dt.date.fromisoformat(anchor))
    found = {m.text: m.value for m in mentions}
    if value is None:  # February has no 31st: no wrong calendar date
        assert all(not v.startswith("2019-02-3") for v in found.values()), found
        return
    assert found.get(expr) == value, found


def test_a_recurring_nth_weekday_is_a_set():
    m = one(
        "The club meets on the first Sunday of every month.",
        dt.date(2020, 1, 1),
        "the first Sunday of every month",
    )
    assert m.timex_type == "SET"


def test_no_stray_weekday_from_an_nth_weekday():
    found = values("Parliament returns on the second Monday in January.", dt.date(2013, 1, 2))
    assert "Monday" not in found and found == {"the second Monday in January": "2013-01-14"}


def test_ordinal_words_that_are_not_days():
    found = values("In April first-quarter sales rose.", dt.date(2017, 11, 8))
    assert found == {"April": "2017-04", "first-quarter": "2017-Q1"}


# ---------------------------------------------------------------- kind 2: tense from the clause
@pytest.mark.parametrize(
    ("text", "anchor", "expr", "value", "tense"),
    [
        # the month May is no modal verb
        (
            "The show ran from 3 May to 10 June in Leeds.",
            "2018-11-20",
            "10 June",
            "2018-06-10",
            None,
        ),
        # "until" inside a past clause
        (
            "The exhibition stayed open until 9 September.",
            "2017-11-08",
            "9 September",
            "2017-09-09",
            "past",
        ),
        # past-perfect plans
        (
            "The probe had been due to land on Thursday.",
            "2019-03-04",
            "Thursday",
            "2019-02-28",
            "past",
        ),
        (
            "The ferry had been set to dock on Tuesday.",
            "2019-03-04",
            "Tuesday",
            "2019-02-26",
            "past",
        ),
        # a season with a future verb
        ("The museum will reopen in the autumn.", "2019-12-01", "the autumn", "2020-FA", "future"),
        ("The museum reopened in the autumn.", "2019-12-01", "the autumn", "2019-FA", "past"),
        ("The committee is in session on Monday.", "2019-03-04", "Monday", "2019-03-04", "present"),
    ],
)
def test_clause_tense(text, anchor, expr, value, tense):
    m = one(text, dt.date.fromisoformat(anchor), expr)
    assert m.value == value
    if tense is not None:
        assert m.tense == tense


def test_deadline_weekday_stays_ahead_in_a_past_clause():
    m = one("Officials postponed the hearing until Tuesday.", dt.date(2000, 3, 30), "Tuesday")
    assert m.value == "2000-04-04" and m.tense == "past"


# ---------------------------------------------------------------- kind 3: relative quarters
@pytest.mark.parametrize(
    ("text", "anchor", "value"),
    [
        ("Profit fell last quarter.", "2019-05-30", "2019-Q1"),
        ("Profit fell last quarter.", "2019-01-15", "2018-Q4"),
    ],
)
def test_last_quarter_is_the_previous_one(text, anchor, value):
    assert values(text, dt.date.fromisoformat(anchor))["last quarter"] == value


def test_the_last_quarter_of_a_year_is_q4():
    found = values("in the last quarter of 2018", dt.date(2019, 5, 30))
    assert found["the last quarter of 2018"] == "2018-Q4"


# ---------------------------------------------------------------- kind 4: two-digit decades
def test_two_digit_decades_and_what_stays_out():
    anchor = dt.date(2019, 5, 1)
    assert values("hits of the 70s and the 90's", anchor) == {"the 70s": "197", "the 90's": "199"}
    assert values("a woman in her 80s", anchor) == {}
    assert "the 90s" not in values("temperatures in the 90s all week", anchor)


# ---------------------------------------------------------------- kind 5: weekday+part+date
def test_weekday_part_and_full_date_is_one_expression():
    found = values("The fire broke out on Friday evening, 12 March 2010.", dt.date(2011, 1, 1))
    assert found == {"Friday evening, 12 March 2010": "2010-03-12"}


# ---------------------------------------------------------------- kind 6: numbers, holidays
def test_numbers_that_are_not_years():
    anchor = dt.date(2016, 5, 15)
    assert values("Polls close at 2100 GMT.", anchor) == {}
    assert values("a panel of 1080 x 1920 pixels", anchor) == {}


def test_generic_holiday_nouns():
    anchor = dt.date(2019, 11, 1)
    assert values("She sent a Christmas card.", anchor) == {}
    assert values("the Christmas shopping season began", anchor) == {}
    assert values("Shops open on Christmas Eve.", anchor) == {"Christmas Eve": "2019-12-24"}


# ---------------------------------------------------------------- kind 7: reference time
def test_later_counts_from_the_narrative_not_a_since_bound():
    text = (
        "Voters went to the polls in the general election on 5 May. Since 1997 the party has "
        "held the seat. The local elections a year later went badly."
    )
    assert values(text, dt.date(2005, 5, 20))["a year later"] == "2006"


def test_later_ignores_a_year_in_a_comparison():
    text = "The dam broke on 3 June 2010, as in 2003. Two years later it was rebuilt."
    assert values(text, dt.date(2015, 1, 1))["Two years later"] == "2012"


def test_over_the_last_decade_is_a_duration():
    m = one("Over the last decade, prices doubled.", dt.date(2018, 4, 1), "the last decade")
    assert (m.timex_type, m.value) == ("DURATION", "P10Y")


# ---------------------------------------------------------------- kind 8: named dates
def test_named_dates():
    anchor = dt.date(2011, 6, 1)
    assert values("since the September 11 attacks", anchor) == {"the September 11": "2001-09-11"}
    assert values("the 11 September attacks", anchor) == {"the 11 September": "2001-09-11"}
    assert values("The deadline is September 11.", anchor) == {"September 11": "2011-09-11"}


# ---------------------------------------------------------------- TIMEX3 mod
@pytest.mark.parametrize(
    ("text", "expr", "mod", "start", "end"),
    [
        ("in early 2005 the", "early 2005", "START", "2005-01-01", "2005-05-01"),
        ("by the end of 2017 the", "the end of 2017", "END", "2017-09-02", "2017-12-31"),
        ("in the mid-1990s the", "the mid-1990s", "MID", "1993-05-02", "1996-08-31"),
        ("in late November the", "late November", "END", "2004-11-21", "2004-11-30"),
        ("about two years ago", "about two years ago", "APPROX", "2003-01-01", "2003-12-31"),
        ("on October 27, 2004", "October 27, 2004", None, "2004-10-27", "2004-10-27"),
        # a half is its own value (H2), not an END mod narrowing it again
        ("in the last half of 1989 the", "the last half of 1989", None, "1989-07-01", "1989-12-31"),
        # "the end of June" with a publication date: the year from the anchor, mod END
        ("will close at the end of June", "the end of June", "END", "2005-06-21", "2005-06-30"),
    ],
)
def test_mod_and_narrowed_range(text, expr, mod, start, end):
    m = one(text, dt.date(2005, 1, 10), expr)
    assert m.mod == mod
    assert (m.date_start.isoformat(), m.date_end.isoformat()) == (start, end)


def test_narrow_convention():
    s, e = dt.date(2019, 1, 1), dt.date(2019, 1, 31)
    assert narrow(s, e, "START") == (s, dt.date(2019, 1, 10))
    assert narrow(s, e, "MID") == (dt.date(2019, 1, 11), dt.date(2019, 1, 21))
    assert narrow(s, e, "END") == (dt.date(2019, 1, 22), e)
    assert narrow(s, s, "END") == (s, s)
    assert narrow(s, e, "APPROX") == (s, e)
