"""DateTagger behaviour: pinned anchors, seeds' expected events, false dates, interface."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pickle
from pathlib import Path

import pytest
import yaml

from transforms.temporal.tagger import DateMention, DateTagger, Rejected

ROOT = Path(__file__).resolve().parents[1]
TAGGER = DateTagger()
PREFIX_LEN = len(" date 2020-10-27 ")


def values(text: str, anchor: dt.date | None) -> dict[str, str]:
    mentions, _ = TAGGER.tag(text, anchor)
    return {m.text: m.value for m in mentions}


@pytest.mark.parametrize(
    ("text", "anchor", "expr", "value"),
    [
        ("Pompeo on Tuesday highlighted the date.", "2020-10-27", "Tuesday", "2020-10-27"),
        ("It said that one year ago it struck.", "2020-10-27", "one year ago", "2019"),
        (
            "As we sit here today at the end of 2017, it runs.",
            "2017-12-30",
            "the end of 2017",
            "2017",
        ),
        ("It struck on July 7 that year.", None, "July 7", "XXXX-07-07"),
        ("The firm said Friday it had lost money.", "1989-10-30", "Friday", "1989-10-27"),
        ("The vote will be held Monday in Paris.", "1989-11-02", "Monday", "1989-11-06"),
        ("On Monday the council planned to vote on it.", "2020-10-28", "Monday", "2020-10-26"),
        ("He could not be reached Tuesday at home.", "2020-10-30", "Tuesday", "2020-10-27"),
        (
            "He will be traveling to the United States Thursday.",
            "2000-04-05",
            "Thursday",
            "2000-04-06",
        ),
        ("Sales rose last year.", "1998-02-19", "last year", "1997"),
        ("Prices fell last week.", "1998-01-14", "last week", "1998-W02"),
        ("It will open next month.", "2020-10-27", "next month", "2020-11"),
        ("Two days later it collapsed.", "2020-10-27", "Two days later", "2020-10-29"),
        (
            "It was founded on March 3, 1990. Two days later it collapsed.",
            "2020-10-27",
            "Two days later",
            "1990-03-05",
        ),
        (
            "In 1990 it opened; the following year it closed.",
            "2020-10-27",
            "the following year",
            "1991",
        ),
        ("Earlier this month, he resigned.", "1989-10-27", "Earlier this month", "1989-10"),
        (
            "Yesterday he resigned and today he left; tonight he sleeps.",
            "2020-10-27",
            "Yesterday",
            "2020-10-26",
        ),
        ("It is now clear.", "2020-10-27", "now", "PRESENT_REF"),
        ("It rose in the fourth quarter.", "2020-10-27", "the fourth quarter", "2020-Q4"),
        ("Profit rose in Q3 2017.", None, "Q3 2017", "2017-Q3"),
        ("They met last summer.", "1998-03-01", "last summer", "1997-SU"),
        ("Since the 1990s it grew.", "2020-10-27", "the 1990s", "199"),
        ("Shops close on Christmas.", "2020-10-27", "Christmas", "2020-12-25"),
        ("The meeting is at 3 p.m. Tuesday.", "2020-10-27", "3 p.m. Tuesday", "2020-10-27T15:00"),
        ("It lasted three years.", "2020-10-27", "three years", "P3Y"),
        ("She swims every Tuesday.", "2020-10-27", "every Tuesday", "XXXX-WXX-2"),
        ("Prices rose from 2014 to 2017.", "2020-10-27", "2017", "2017"),
        ("The 2009-2010 season ended.", "2020-10-27", "2010", "2010"),
    ],
)
def test_pinned_anchor(text: str, anchor: str | None, expr: str, value: str) -> None:
    day = dt.date.fromisoformat(anchor) if anchor else None
    assert values(text, day).get(expr) == value


def test_mention_fields_and_ranges() -> None:
    text = " date 2020-10-27 It rose in October 2019 and in the 1990s; last week too."
    mentions, _ = TAGGER.tag(text, dt.date(2020, 10, 27), [(PREFIX_LEN, len(text))])
    by_text = {m.text: m for m in mentions}
    month = by_text["October 2019"]
    assert isinstance(month, DateMention)
    assert text[month.start : month.end] == "October 2019"
    assert (month.date_start, month.date_end, month.granularity) == (
        dt.date(2019, 10, 1),
        dt.date(2019, 10, 31),
        "month",
    )
    decade = by_text["the 1990s"]
    assert (decade.date_start, decade.date_end, decade.granularity) == (
        dt.date(1990, 1, 1),
        dt.date(1999, 12, 31),
        "decade",
    )
    week = by_text["last week"]
    assert (week.value, week.date_start, week.date_end) == (
        "2020-W43",
        dt.date(2020, 10, 19),
        dt.date(2020, 10, 25),
    )
    assert all(m.start >= PREFIX_LEN for m in mentions)  # the prefix is outside the spans


def test_spans_limit_the_search() -> None:
    text = "On Monday it fell. On Tuesday it rose."
    mentions, _ = TAGGER.tag(text, dt.date(2020, 10, 27), [(19, len(text))])
    assert [m.text for m in mentions] == ["Tuesday"]


def test_tagger_pickles() -> None:
    clone = pickle.loads(pickle.dumps(TAGGER))
    assert clone.tag("in 2014", None)[0][0].value == "2014"


def test_mentions_are_the_dataclass_built_by_its_constructor() -> None:
    # The tagger builds its mentions without the frozen dataclass's __init__ (_new_mention):
    # each must be what DateMention(...) gives, field for field, in the fields' order.
    text = "It rose on Friday, in October 2019 and over the past two years; shares fell."
    mentions, _ = TAGGER.tag(text, dt.date(2020, 10, 27))
    assert len(mentions) == 3
    for mention in mentions:
        values = [getattr(mention, f.name) for f in dataclasses.fields(DateMention)]
        built = DateMention(*values)
        assert mention == built and hash(mention) == hash(built)
        assert repr(mention) == repr(built)
        assert list(vars(mention)) == list(vars(built))
        assert pickle.dumps(mention) == pickle.dumps(built)
        with pytest.raises(dataclasses.FrozenInstanceError):
            mention.value = "2014"  # type: ignore[misc]


def test_rejected_are_the_dataclass_built_by_its_constructor() -> None:
    # ... and its rejected candidates the same way (_new_rejected): as Rejected(...) builds them.
    from transforms.limits import MAX_DATES_PER_DOC

    text = "Call 555-2014 in May, sold 2014 cars.\n" + "May 2, 2014. " * (MAX_DATES_PER_DOC + 1)
    _, rejected = TAGGER.tag(text, dt.date(2020, 10, 27))
    assert {r.reason for r in rejected} >= {"too_many_dates"} and len(rejected) > 2
    for item in rejected:
        built = Rejected(*[getattr(item, f.name) for f in dataclasses.fields(Rejected)])
        assert item == built and hash(item) == hash(built) and repr(item) == repr(built)
        assert list(vars(item)) == list(vars(built))
        assert pickle.dumps(item) == pickle.dumps(built)
        with pytest.raises(dataclasses.FrozenInstanceError):
            item.reason = "x"  # type: ignore[misc]


FALSE_DATES = yaml.safe_load((ROOT / "tests/data/false_dates.yaml").read_text())


@pytest.mark.parametrize("case", FALSE_DATES, ids=[c["text"][:40] for c in FALSE_DATES])
def test_false_dates(case: dict) -> None:
    mentions, rejected = TAGGER.tag(case["text"], dt.date(2020, 10, 27))
    calendar = [[m.text, m.value] for m in mentions if m.timex_type in ("DATE", "TIME")]
    assert calendar == case["dates"]
    reasons = {r.reason for r in rejected}
    assert all(isinstance(r, Rejected) for r in rejected)
    assert set(case.get("rejected", [])) <= reasons


EXPECTED = json.loads((ROOT / "seeds/expected.json").read_text())["documents"]
SEED_EVENTS = [
    pytest.param(name, event, id=f"{name}:{event['date_text_contains']}")
    for name, doc in EXPECTED.items()
    for event in doc["events_required"]
]


@pytest.mark.parametrize(("name", "event"), SEED_EVENTS)
def test_seed_events_found(name: str, event: dict) -> None:
    text = (ROOT / "seeds" / name).read_text(encoding="utf-8")
    published = EXPECTED[name]["published"]
    anchor = dt.date.fromisoformat(published) if published else None
    mentions, _ = TAGGER.tag(text, anchor)
    found = [
        m
        for m in mentions
        if event["date_text_contains"] in m.text
        and event["sentence_contains"] in text[max(0, m.start - 300) : m.end + 300]
    ]
    assert found, event
    m = found[0]
    assert m.value in event["value_any_of"]
    assert m.granularity in event.get("granularity_any_of", [event.get("granularity")])


def test_anaphora_to_a_season_does_not_fail() -> None:
    text = "She left in summer 2010. Almost a decade later she came back."
    mentions, _ = TAGGER.tag(text, dt.date(2020, 10, 27))
    assert [m.text for m in mentions][0] == "summer 2010"
    later = [m for m in mentions if m.text == "Almost a decade later"]
    assert later and later[0].value == "2020-SU"


def test_season_value_of_winter_months() -> None:
    from transforms.temporal.calendar import value_of

    assert value_of(dt.date(2020, 1, 15), "season") == "2019-WI"
    assert value_of(dt.date(2020, 12, 1), "season") == "2020-WI"
    assert value_of(dt.date(2020, 7, 4), "season") == "2020-SU"


def test_normalizer_error_rejects_one_candidate(monkeypatch: pytest.MonkeyPatch) -> None:
    import transforms.temporal.tagger as temporal

    def boom(groups: dict, ctx: object) -> str:
        raise ZeroDivisionError("bad rule")

    monkeypatch.setitem(temporal.ALL_NORMALIZERS, "year", boom)
    mentions, rejected = TAGGER.tag("It opened in 2014 and closed on March 3, 2015.", None)
    assert [m.value for m in mentions] == ["2015-03-03"]
    assert [(r.text, r.reason) for r in rejected] == [("2014", "normalize_error")]


def test_too_many_dates_is_bounded() -> None:
    from transforms.limits import MAX_DATES_PER_DOC

    n = 20_000
    text = " ".join(f"On March {1 + i % 28}, {1990 + i % 30} it rose." for i in range(n))
    mentions, rejected = TAGGER.tag(text, dt.date(2020, 10, 27))
    too_many = [r for r in rejected if r.reason == "too_many_dates"]
    assert len(mentions) <= MAX_DATES_PER_DOC
    assert len(mentions) + len(rejected) == n
    assert len(too_many) == n - MAX_DATES_PER_DOC
    # the document says so: documents.notes gets too_many_dates (and keeps the reader's notes)
    from transforms.records import Doc
    from transforms.temporal.beam import capped

    doc = Doc("d", "s", text, None, "none", 0, "utf-8", notes=("replaced_bytes",))
    assert capped(doc, rejected).notes == ("replaced_bytes", "too_many_dates")
    assert capped(doc, rejected[: -len(too_many)]).notes == ("replaced_bytes",)


def test_offsets_survive_characters_that_lower_to_two() -> None:
    text = "İstanbul, İzmir: the vote was held on March 3, 2015 in İzmir."
    mentions, _ = TAGGER.tag(text, None)
    assert [(m.text, text[m.start : m.end]) for m in mentions] == [
        ("March 3, 2015", "March 3, 2015")
    ]


def test_body_spans_one_line_each() -> None:
    lines = ["Sales rose in 2014.", "Prices fell last year.", "On May 5, 2015 it closed."]
    text = "\n".join(lines)
    spans, pos = [], 0
    for line in lines:
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    mentions, _ = TAGGER.tag(text, dt.date(2020, 10, 27), spans)
    assert [m.value for m in mentions] == ["2014", "2019", "2015-05-05"]


@pytest.mark.parametrize(
    ("text", "expr"),
    [
        ("Friday's meeting was short.", "Friday"),
        ("It reported a third-quarter loss.", "third-quarter"),
        ("It signed a two-year contract.", "two-year"),
        ("Prices in the 1980's rose.", "the 1980's"),
        ("It rose in the third quarter.", "the third quarter"),
    ],
)
def test_timeml_extent_conventions(text: str, expr: str) -> None:
    """No possessive 's after a word, no determiner before a hyphenated adjective."""
    mentions, _ = TAGGER.tag(text, dt.date(1989, 10, 30))
    assert expr in [m.text for m in mentions]
