"""The whole job on seeds/, read back with DuckDB, against every check of seeds/expected.json."""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.slow  # runs the whole job

NAMES = sorted(json.loads((SEEDS / "expected.json").read_text())["documents"])


def query(sql: str) -> list[dict]:
    rel = duckdb.sql(sql)
    return [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]


def documents(out) -> dict[str, dict]:
    rows = query(
        f"select * from read_parquet('{out}/documents/**/*.parquet', hive_partitioning=true)"
    )
    return {row["source"].rsplit("/", 1)[-1]: row for row in rows}


def events(out, name: str) -> list[dict]:
    return query(
        f"select * from read_parquet('{out}/events/**/*.parquet', hive_partitioning=true) "
        f"where source like '%{name}'"
    )


def test_summary_reconciles(seeds_run):
    out, summary = seeds_run
    assert summary["inputs"] == 3 == summary["documents"]
    assert summary["errors"] == 0
    assert summary["events"] == sum(d["n_events"] for d in documents(out).values())
    assert json.loads((out / "_SUCCESS").read_text())["run_id"] == summary["run_id"]


@pytest.mark.parametrize("name", NAMES)
def test_body_title_and_publication_date(seeds_run, expected, name):
    out, _ = seeds_run
    want = expected[name]
    doc = documents(out)[name]
    published = doc["published"].isoformat() if doc["published"] else None
    assert published == want["published"]
    for text in want["body_must_contain"]:
        assert text in doc["body"], text
    for text in want["body_must_not_contain"]:
        assert text not in doc["body"], text
    if "title_any_of" in want:
        assert doc["title"] in want["title_any_of"]
    # Nothing is thrown away: what left the body is in `removed` (white space folded, since
    # pages use no-break spaces where expected.json has plain ones).
    removed = " ".join(" ".join(r["text"].split()) for r in doc["removed"])
    for text in want["body_must_not_contain"]:
        assert " ".join(text.split()) in removed, f"removed text must be kept: {text}"


@pytest.mark.parametrize("name", NAMES)
def test_required_and_forbidden_events(seeds_run, expected, name):
    out, _ = seeds_run
    want = expected[name]
    rows = events(out, name)
    for req in want["events_required"]:
        hits = [
            r
            for r in rows
            if req["sentence_contains"] in r["sentence"]
            and req["date_text_contains"] in r["date_text"]
        ]
        assert hits, f"missing event {req}"
        grans = req.get("granularity_any_of", [req.get("granularity")])
        assert any(
            r["timex_value"] in req["value_any_of"] and r["granularity"] in grans for r in hits
        ), (req, [(r["timex_value"], r["granularity"]) for r in hits])
    for bad in want["events_forbidden"]:
        assert not [r for r in rows if bad["sentence_contains"] in r["sentence"]], bad


def test_offsets_point_into_the_decoded_file(seeds_run):
    out, _ = seeds_run
    for name in NAMES:
        text = (SEEDS / name).read_text(encoding="utf-8")
        for row in events(out, name):
            assert text[row["char_start"] : row["char_end"]] == row["date_text"]
            assert text[row["sentence_start"] : row["sentence_end"]] == row["sentence"]
            assert row["sentence_start"] <= row["char_start"] < row["char_end"]
            assert row["char_end"] <= row["sentence_end"]


def test_events_are_partitioned_by_their_whole_range(seeds_run):
    """year/month 1..12: the range lies within that month; month=0: it does not; year=0: no
    year known. Read back with DuckDB's hive partitioning (integers, not text)."""
    out, _ = seeds_run
    rows = query(
        f"select year, month, date_start, date_end, granularity "
        f"from read_parquet('{out}/events/**/*.parquet', hive_partitioning=true)"
    )
    assert rows and {type(r["year"]) for r in rows} == {int}
    assert {r["granularity"] for r in rows if r["month"] == 0 and r["year"]} - {"day"}
    for row in rows:
        start, end = row["date_start"], row["date_end"]
        if start is None:
            assert row["year"] == 0
        elif row["month"]:
            assert (start.year, start.month) == (end.year, end.month) == (row["year"], row["month"])
        else:
            assert row["year"] == start.year and (start.year, start.month) != (end.year, end.month)


def _event(out, name: str, value: str) -> dict:
    rows = [r for r in events(out, name) if r["timex_value"] == value]
    assert len(rows) == 1, rows
    return rows[0]


def test_seed_events_say_what_happened_and_who(seeds_run):
    """Issue 17's seeds: the 2019-10-27 operation and the July 7 drone strike."""
    out, _ = seeds_run
    operation = _event(out, "000_ec7d9c84d5a6a506.txt", "2019-10-27")
    assert operation["trigger"] in ("took out", "launched", "operation")
    assert operation["date_role"] == "event"
    assert any("Baghdadi" in a["text"] for a in operation["actors"])
    strike = next(r for r in events(out, "001_efd19878b02be60d.txt") if r["date_text"] == "July 7")
    assert strike["trigger"] in ("strike", "carried out")
    assert strike["event_class"] == "attack"


def test_trigger_and_actor_offsets_point_into_the_file(seeds_run):
    out, _ = seeds_run
    for name in NAMES:
        text = (SEEDS / name).read_text(encoding="utf-8")
        for row in events(out, name):
            # an event's id is the smallest mention_id of its mentions (cross-document)
            assert row["event_id"] <= row["mention_id"]
            assert row["date_role"] in ("event", "other")
            assert (row["role_reason"] is None) == (row["date_role"] == "event")
            assert row["tense"] in (None, "past", "present", "future")
            if row["trigger"] is not None:
                assert text[row["trigger_start"] : row["trigger_end"]] == row["trigger"]
                assert row["sentence_start"] <= row["trigger_start"] < row["sentence_end"]
            for actor in row["actors"]:
                assert text[actor["start"] : actor["end"]] == actor["text"]
                assert actor["type"] in ("person", "org", "place", "other")

