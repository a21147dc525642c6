"""Date values that depend on the surrounding discourse (the mention before, the day under
discussion) and expressions that look temporal but are not (TimeML conventions)."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.temporal.tagger import DateTagger

TAGGER = DateTagger()


def values(text: str, anchor: dt.date | None) -> dict[str, str]:
    mentions, _ = TAGGER.tag(text, anchor)
    return {m.text: m.value for m in mentions}


def test_year_earlier_after_a_duration_is_a_year() -> None:
    text = (
        "Net fell in the third quarter to $5 million from $8 million a year earlier. "
        "For the nine months, net rose to $20 million from $15 million a year earlier."
    )
    mentions, _ = TAGGER.tag(text, dt.date(1989, 10, 26))
    earlier = [m.value for m in mentions if m.text == "a year earlier"]
    # the first compares the third quarter, the second the nine months (no calendar quarter)
    assert earlier == ["1988-Q3", "1988"]


def test_bare_clock_time_takes_the_day_under_discussion() -> None:
    text = "Slepian was killed on Oct. 23, 1998. He was shot at 10 p.m. in his kitchen."
    assert values(text, dt.date(1999, 4, 19))["10 p.m."] == "1998-10-23T22:00"
    # with no day named before, the publication date
    assert values("He was shot at 10 p.m. in his kitchen.", dt.date(1999, 4, 19)) == {
        "10 p.m.": "1999-04-19T22:00"
    }


@pytest.mark.parametrize(
    "text",
    [
        "That is very important to the future of our peoples.",
        "They argued about the future of the company.",
    ],
)
def test_the_future_of_something_is_no_date(text: str) -> None:
    assert values(text, dt.date(2020, 10, 27)) == {}


def test_the_future_alone_is_future_ref() -> None:
    assert values("Prices may rise in the future.", dt.date(2020, 10, 27)) == {
        "the future": "FUTURE_REF"
    }


def test_participle_after_a_determiner_is_no_past_cue() -> None:
    anchor = dt.date(1989, 10, 26)
    future = "The split would be paid on a still unspecified date in January to holders."
    assert values(future, anchor)["January"] == "1990-01"
    # a real past-tense verb next to the month still makes it the past one
    past = "The split would be paid; the board approved it in January."
    assert values(past, anchor)["January"] == "1989-01"
