"""The differential gate (eval/diffcheck): digests see every value and nothing else."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eval.diffcheck.__main__ import run_job
from eval.diffcheck.compare import compare, format_report
from eval.diffcheck.digest import digest_output, read_digests, write_digests
from eval.diffcheck.inputs import Job, write_bad, write_seeds


def doc_row(root: Path, name: str, year: int) -> dict:
    return {
        "doc_id": name.upper(),
        "source": f"{root}/in/set/{name}",
        "published": dt.date(year, 5, 1),
        "title": "A title",
        "body": "On May 2 it rained.",
        "body_spans": [{"start": 0, "end": 19}],
        "removed": [{"start": 20, "end": 25, "reason": "share_prompt"}],
        "timexes": [{"char_start": 3, "char_end": 8, "value": f"{year}-05-02"}],
        "n_events": 2,
    }


def event_rows(root: Path, name: str, year: int) -> list[dict]:
    return [
        {"source": f"{root}/in/set/{name}", "char_start": i, "timex_value": f"{year}-05-0{i}"}
        for i in (1, 2)
    ]


def write_output(root: Path, *, reverse: bool = False, files: int = 1, edit=None) -> Path:
    """A small output folder in the job's layout: year partitions, `files` files per table,
    rows in the given order; edit(rows_by_table) may change values first."""
    docs = [doc_row(root, "a.txt", 2019), doc_row(root, "b.txt", 2019), doc_row(root, "c", 2020)]
    events = [e for d, y in (("a.txt", 2019), ("b.txt", 2019)) for e in event_rows(root, d, y)]
    errors = [
        {
            "source": f"{root}/in/set/bad.gz",
            "reason": "corrupt",
            "message": f"no {root}/in/set/bad.gz",
        }
    ]
    tables = {"documents": docs, "events": events, "errors": errors}
    if edit:
        edit(tables)
    out = root / "out"
    for table, rows in tables.items():
        schema = pa.Table.from_pylist(rows).schema
        rows = rows[::-1] if reverse else rows
        for k in range(files):  # the rows spread over `files` files per partition
            for partition in {partition_of(table, r) for r in rows}:
                part = [r for r in rows[k::files] if partition_of(table, r) == partition]
                folder = out / table / partition
                folder.mkdir(parents=True, exist_ok=True)
                table_ = pa.Table.from_pylist(part, schema=schema)
                pq.write_table(table_, folder / f"part-{k}-{len(part)}.parquet")
    (out / "_SUCCESS").write_text(json.dumps({"run_id": str(root), "documents": 3, "files": 9}))
    return out


def partition_of(table: str, row: dict) -> str:
    return f"year={row['published'].year}" if table == "documents" else ""


def digests(root: Path, **kwargs) -> dict[str, dict]:
    out = write_output(root, **kwargs)
    path = root / "digests.jsonl"
    write_digests(path, digest_output(out, root / "in", "job"))
    return read_digests(path)


def test_digests_ignore_row_order_file_layout_and_folders(tmp_path):
    first = digests(tmp_path / "one")
    second = digests(tmp_path / "two" / "deeper", reverse=True, files=2)
    assert first == second
    assert set(first) >= {"job:set/a.txt", "job:set/c", "job:set/bad.gz", "#summary job"}
    assert first["#summary job"]["counts"] == {"documents": 3}  # no run id, no file count
    assert set(first["job:set/a.txt"]["parts"]) == {"split", "timexes", "document", "events"}
    assert first["job:set/a.txt"]["parts"]["events"].startswith("2:")


def test_a_changed_value_is_reported_with_its_document_and_part(tmp_path):
    def edit(tables):
        tables["events"][3]["timex_value"] = "2019-05-03"  # b.txt's second event
        tables["documents"][2]["removed"][0]["reason"] = "footer"  # c's split

    before = digests(tmp_path / "before")
    after = digests(tmp_path / "after", edit=edit)
    assert after["job:set/b.txt"]["parts"]["events"] != before["job:set/b.txt"]["parts"]["events"]
    report = compare(before, after)
    assert [(d.key, d.kind, sorted(d.parts)) for d in report.differences] == [
        ("job:set/b.txt", "changed", ["events"]),
        ("job:set/c", "changed", ["split"]),
    ]
    text = format_report(report)
    assert "2 of" in text and "job:set/b.txt: events 2:" in text and "job:set/c: split" in text


def test_a_new_column_and_a_new_document_show(tmp_path):
    def edit(tables):
        for row in tables["documents"]:
            row["language"] = "en"
        tables["errors"].append({"source": "x", "reason": "r", "message": "m"})

    report = compare(digests(tmp_path / "before"), digests(tmp_path / "after", edit=edit))
    changed = {d.key: (d.kind, sorted(d.parts)) for d in report.differences}
    assert changed["#schema job documents"] == ("changed", ["language"])
    assert changed["job:set/a.txt"] == ("changed", ["document"])
    assert changed["job:x"] == ("new", ["error"])
    assert report.by_part[("document", "changed")] == 3


def test_identical_digests_compare_clean(tmp_path):
    same = digests(tmp_path)
    report = compare(same, same)
    assert report.same and "OK" in format_report(report)


@pytest.mark.slow
def test_two_runs_of_the_job_give_identical_digests(tmp_path):
    """Determinism of the job itself, through its command line, in two different folders."""
    results = []
    for name in ("one", "two"):
        inputs = tmp_path / name / "in"
        write_seeds(inputs / "seeds")
        write_bad(inputs / "bad")
        job = Job("t", (str(inputs / "seeds" / "*.txt"), str(inputs / "bad")))
        run_job(job, tmp_path / name / "out")
        results.append(digest_output(tmp_path / name / "out", inputs, "t"))
    assert results[0] == results[1]
    keys = {e["key"] for e in results[0]}
    assert "t:seeds/000_ec7d9c84d5a6a506.txt" in keys and "t:bad/zip/good.zip!a.txt" in keys
