import datetime as dt
from dataclasses import dataclass

from transforms.boilerplate.splitter import Removed
from transforms.events.rows import document_row, event_rows, skip_reason
from transforms.records import Doc
from transforms.text.pubdate import Anchor, choose_anchor


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    timex_type: str
    value: str
    date_start: dt.date | None
    date_end: dt.date | None
    granularity: str | None
    rule: str = "test"
    mod: str | None = None
    tense: str | None = None


@dataclass(frozen=True)
class Split:
    body_spans: tuple
    removed: tuple
    title: str | None = None
    published: dt.date | None = None
    body_flag: str | None = None


TEXT = " date 2020-10-27 Home > News\nPompeo spoke on Tuesday. It was one year ago.\nREAD | Other"


def doc() -> Doc:
    return Doc("d1", "mem://a.txt", TEXT, dt.date(2020, 10, 27), "prefix", 17, "utf-8")


def mention(text, timex_type="DATE", value="2020-10-27", day=dt.date(2020, 10, 27), gran="day"):
    start = TEXT.index(text)
    return Mention(start, start + len(text), text, timex_type, value, day, day, gran)


def body():
    start = TEXT.index("Pompeo")
    return ((start, TEXT.index("\nREAD")),)


def test_only_calendar_positions_become_events():
    assert skip_reason(mention("Tuesday")) is None
    assert skip_reason(mention("Tuesday", value="XXXX-07-07", day=None)) is None
    assert skip_reason(mention("Tuesday", value="PAST_REF", day=None)) == "not_on_calendar"
    assert skip_reason(mention("one year", timex_type="DURATION", value="P1Y")) == "duration"
    assert skip_reason(mention("Tuesday", timex_type="SET", value="XXXX-WXX-2")) == "set"


def test_event_rows_carry_offsets_into_the_whole_text_and_their_sentence():
    d = doc()
    anchor, published, _ = choose_anchor(d, None)
    mentions = [mention("Tuesday"), mention("one year", "DURATION", "P1Y", None, None)]
    rows, skipped = event_rows(d, anchor, published, body(), mentions)
    assert skipped == {"duration": 1}
    [row] = rows
    assert TEXT[row["char_start"] : row["char_end"]] == row["date_text"] == "Tuesday"
    assert row["sentence"] == "Pompeo spoke on Tuesday."
    assert TEXT[row["sentence_start"] : row["sentence_end"]] == row["sentence"]
    assert row["anchor_source"] == "prefix" and row["published"] == dt.date(2020, 10, 27)


def test_a_date_outside_the_body_has_no_sentence_and_no_event():
    d = doc()
    rows, skipped = event_rows(d, Anchor(None, "none"), None, body(), [mention("Home")])
    assert rows == [] and skipped == {"no_sentence": 1}


def test_anchor_prefers_the_prefix_then_the_page_then_none():
    d = doc()
    assert choose_anchor(d, dt.date(2001, 1, 1))[0] == Anchor(dt.date(2020, 10, 27), "prefix")
    bare = Doc("d2", "s", "text", None, "none", 0, "utf-8")
    assert choose_anchor(bare, dt.date(2001, 1, 1))[0] == Anchor(dt.date(2001, 1, 1), "text")
    assert choose_anchor(bare, None) == (Anchor(None, "none"), None, "none")


def test_document_row_keeps_body_spans_and_every_removed_piece():
    d = doc()
    start = TEXT.index("READ")
    split = Split(body(), (Removed(start, len(TEXT), "READ | Other", "teaser", "inner"),), "T")
    anchor, published, source = choose_anchor(d, None)
    row = document_row(d, split, anchor, published, source, [mention("Tuesday")], 1)
    assert row["body"] == "Pompeo spoke on Tuesday. It was one year ago."
    assert row["removed"][0]["reason"] == "teaser"
    assert row["timexes"][0]["text"] == "Tuesday"
    assert row["n_events"] == 1 and row["prefix_len"] == 17
    assert row["body_flag"] is None


def test_a_sentence_of_a_hard_wrapped_paragraph_crosses_its_line_break():
    text = " date 2019-11-01   The plant closed on\nOctober 27, 2019 after\na fire. All safe."
    d = Doc("d2", "mem://b.txt", text, dt.date(2019, 11, 1), "prefix", 17, "utf-8")
    start = text.index("October")
    end = start + len("October 27, 2019")
    day = dt.date(2019, 10, 27)
    m = Mention(start, end, "October 27, 2019", "DATE", "2019-10-27", day, day, "day")
    anchor, published, _ = choose_anchor(d, None)
    rows, _ = event_rows(d, anchor, published, ((19, len(text)),), [m])
    [row] = rows
    assert row["sentence"] == "The plant closed on October 27, 2019 after a fire."  # not 2 lines
    assert row["sentence_end"] - row["sentence_start"] == len(row["sentence"])


def test_eval_events_role_rows_come_from_the_jobs_current_stage_records(tmp_path, monkeypatch):
    """eval.events_role runs bench.stages' read/split/dates in-process: its unpacking must
    follow the date stage's record (it broke once when that record grew a field)."""
    import shutil
    from pathlib import Path

    import eval.events_role
    from eval.events_role import _key, job_rows, load_labels, sample

    monkeypatch.setattr(eval.events_role, "SAMPLE_SIZE", 3)

    (tmp_path / "texts").mkdir()
    for seed in sorted(Path("seeds").glob("*.txt")):
        shutil.copy(seed, tmp_path / "texts" / seed.name)
    rows = job_rows(tmp_path)
    pages = {r["page"] for r in rows}
    assert pages == {p.name for p in Path("seeds").glob("*.txt")}
    assert all(r["date_role"] in ("event", "other") for r in rows)
    first = sample(rows, seed=1)
    second = sample(rows, seed=2, leave_out=frozenset(_key(r) for r in first))
    assert len(first) == len(second) == 3
    assert not {_key(r) for r in first} & {_key(r) for r in second}
    assert load_labels(tmp_path / "missing.jsonl") == []
