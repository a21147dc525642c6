"""The timeline end to end: seed 000 and a copy of it with one extra header line share the
event_id of the 2019-10-27 operation, and its timeline row counts two documents and two texts;
incremental runs that add the copies later equal one full run (ids and timeline included)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.run import run
from tests.conftest import SEEDS
from tests.test_incremental import table_rows

pytestmark = pytest.mark.slow

SEED = SEEDS / "000_ec7d9c84d5a6a506.txt"
PREFIX = " date 2020-10-27 "
OPERATION = "launched an operation which took out"


def with_header_line(text: str) -> str:
    assert text.startswith(PREFIX)
    return PREFIX + "Home | World News | United States\n" + text[len(PREFIX) :]


def query(sql: str) -> list[dict]:
    rel = duckdb.sql(sql)
    return [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("timeline")
    inbox = tmp / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / SEED.name)
    (inbox / "copy_with_header.txt").write_text(with_header_line(SEED.read_text()))
    out = tmp / "out"
    run(["--input", str(inbox), "--output", str(out)])
    return tmp, out


def test_the_operation_has_one_event_id_across_the_two_documents(copies):
    _, out = copies
    rows = query(
        "select event_id, doc_id, source, date_start "
        f"from read_parquet('{out}/events/**/*.parquet', hive_partitioning=true) "
        f"where sentence like '%{OPERATION}%' "
        "and date_start = DATE '2019-10-27'"
    )
    assert len({r["doc_id"] for r in rows}) == 2, rows
    assert len({r["event_id"] for r in rows}) == 1, rows
    [event_id] = {r["event_id"] for r in rows}
    [line] = query(
        f"select * from read_parquet('{out}/timeline/**/*.parquet', hive_partitioning=true) "
        f"where event_id = '{event_id}'"
    )
    assert (line["n_documents"], line["n_texts"]) == (2, 2)
    assert sorted(line["doc_ids"]) == sorted({r["doc_id"] for r in rows})
    assert (line["year"], line["month"]) == (2019, 10)
    assert line["first_published"].isoformat() == "2020-10-27"
    assert OPERATION in line["sentence"]
    text = Path(line["source"]).read_text()
    assert text[line["sentence_start"] : line["sentence_end"]] == line["sentence"]


def test_every_event_row_has_one_timeline_row(copies):
    _, out = copies
    [check] = query(
        f"""with e as (select distinct event_id from
              read_parquet('{out}/events/**/*.parquet', hive_partitioning=true)
              where date_role is null or date_role = 'event'),
           t as (select event_id, n_mentions from
              read_parquet('{out}/timeline/**/*.parquet', hive_partitioning=true))
           select (select count(*) from e) as events, (select count(*) from t) as timeline,
                  (select count(*) from e anti join t using (event_id)) as missing"""
    )
    assert check["events"] == check["timeline"] and check["missing"] == 0, check


def test_incremental_runs_that_add_the_copies_equal_a_full_run(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / "b_original.txt")
    run(["--input", str(inbox), "--output", str(tmp_path / "inc"), "--incremental"])
    # a copy whose mentions sort before or after the original's, and an identical copy
    (inbox / "a_header.txt").write_text(with_header_line(SEED.read_text()))
    shutil.copy(SEED, inbox / "c_identical.txt")
    second = run(["--input", str(inbox), "--output", str(tmp_path / "inc"), "--incremental"])
    assert second["mode"] == "incremental"
    run(["--input", str(inbox), "--output", str(tmp_path / "full")])
    assert table_rows(tmp_path / "inc") == table_rows(tmp_path / "full")
