"""Issue 13 through the whole job: for each hostile input (tests/hostile.py) beside a good
document, the command line exits 0, the good document is published, the hostile input ends as
the document or error row its case expects, and inputs = documents + errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests import hostile
from tests.badinputs import DOC, TEXT

REPO = Path(__file__).resolve().parent.parent
JOB_TIMEOUT = 300  # seconds: a FIFO that blocks the job fails the test instead of hanging it


def table(out: Path, name: str) -> list[dict]:
    rows = []
    for path in sorted((out / name).rglob("*.parquet")):
        rows += pq.read_table(path, partitioning=None).to_pylist()
    return rows


def run_case(tmp_path: Path, case: hostile.Case) -> dict:
    folder, _ = hostile.write_case(tmp_path, case)
    pattern = str(tmp_path / case.pattern) if case.pattern else str(folder)
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "pipeline", "--input", pattern, "--output", str(out)]
    proc = subprocess.run(
        [*argv, *case.flags],
        cwd=REPO,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=JOB_TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    prefix = str(folder) + "/"
    docs = {r["source"].removeprefix(prefix): r for r in table(out, "documents")}
    errors = {r["source"].removeprefix(prefix): r for r in table(out, "errors")}
    return {"stdout": proc.stdout, "docs": docs, "errors": errors}


def outcome(result: dict, source: str) -> str:
    if source in result["docs"]:
        return DOC
    row = result["errors"].get(source)
    return f"{row['stage']}:{row['reason']}" if row else "missing"


@pytest.mark.slow  # the whole job, once per case
@pytest.mark.parametrize("name", sorted(hostile.CASES))
def test_a_hostile_input_beside_a_good_document(tmp_path, name):
    case = hostile.CASES[name]
    result = run_case(tmp_path, case)
    assert result["docs"][hostile.GOOD]["published"] is not None  # the good one is published
    assert {s: outcome(result, s) for s in case.expect} == case.expect
    # nothing else came out: every input is one row, and the job's own check reconciles
    assert set(result["docs"]) | set(result["errors"]) == {hostile.GOOD, *case.expect}
    n_docs, n_errors = len(result["docs"]), len(result["errors"])
    check = f"check: read {n_docs + n_errors} = documents {n_docs} + errors {n_errors} -> OK"
    assert check in result["stdout"]
    for source in list(result["docs"]) + list(result["errors"]):
        source.encode("utf-8")  # valid UTF-8 (Parquet would not hold anything else)
    for note, value in case.notes.items():  # the summary's "documents read with a note" line
        assert f"{note}={value}" in result["stdout"], note


@pytest.mark.slow  # the whole job
def test_surrogates_become_one_replacement_character_each(tmp_path):
    from pipeline.run import run

    folder, _ = hostile.write_case(tmp_path, hostile.CASES["jsonl_lone_surrogates"])
    summary = run(["--input", str(folder), "--output", str(tmp_path / "out")])
    docs = {Path(r["source"]).name: r for r in table(tmp_path / "out", "documents")}
    first = docs["feed.jsonl!1"]
    assert first["body"].startswith("\ufffd ") and first["body"].endswith(" \ufffd.")
    assert "\U0001f600" in docs["feed.jsonl!4"]["body"]  # a valid pair stays one code point
    assert summary["metrics"]["decode_note_replaced_code_points"] == 1  # documents
    assert summary["metrics"]["code_points_replaced"] == 2
    # offsets are code-point offsets into the stored text: U+FFFD counts one, not 3 bytes
    text = "\ufffd " + TEXT.strip()
    (timex,) = [t for t in first["timexes"] if t["text"] == "March 3, 2019"]
    assert timex["char_start"] == text.index("March 3, 2019")
    assert docs["feed.jsonl!2"]["published_source"] != "field"  # the bad date field


@pytest.mark.slow  # the whole job, three times
def test_incremental_runs_find_a_non_utf8_name_again(tmp_path):
    """The manifest holds the escaped name; the file is opened by its bytes: an unchanged file
    is skipped, a changed one is read again and its old rows replaced, never doubled."""
    import os

    from pipeline.run import run

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / hostile.GOOD).write_bytes(hostile.PREFIXED)
    name = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(name, "wb") as handle:
        handle.write(hostile.PREFIXED)
    argv = ["--input", str(folder), "--output", str(tmp_path / "out"), "--incremental"]
    run(argv)
    second = run(argv)
    # nothing new: the run reads no file and leaves the output as it was (the commit protocol)
    assert second["unchanged"] is True and second["skipped_unchanged"] == 2
    with open(name, "ab") as handle:
        handle.write(b"The hall reopened on June 1, 2021.\n")
    os.utime(name, (1e9, 1e9))  # a different modification time, whatever the clock
    third = run(argv)
    assert third["inputs"] == 1 and third["replaced_inputs"] == 1
    sources = [r["source"] for r in table(tmp_path / "out", "documents")]
    assert sorted(Path(s).name for s in sources) == ["caf\\xe9.txt", hostile.GOOD]
