"""The report reads its tables batch by batch and holds only what the page shows: it picks the
same entries as `choose` over the whole sorted table, and the memory it holds (Python objects
and Arrow buffers) does not grow with the number of timeline rows.

The report is made inside the job's commit; when it read whole columns, it was the job's
peak memory and grew with the corpus (docs/method.md, "Memory stays flat")."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from transforms.output.report import sample, summary, tables
from transforms.output.report.entries import MIN_PER_YEAR, choose, collect_timeline
from transforms.output.report.tables import Output, smallest_doc_ids


def event_id(i: int) -> str:
    return hashlib.blake2b(str(i).encode(), digest_size=8).hexdigest()


def timeline_rows(n: int, seed: int = 1) -> list[dict]:
    """n timeline rows: ids are hashes; one year in ten is rare (a few rows), a row in 50 is
    undated, so that the per-year top-up and the undated list both matter."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        year = rng.choice([1990, 2001, 2005, 2019, 2020]) if i % 10 else 1900 + rng.randrange(60)
        day = None if i % 50 == 7 else dt.date(year, rng.randrange(1, 13), rng.randrange(1, 28))
        rows.append(
            {
                "event_id": event_id(i),
                "doc_id": event_id(10**9 + i % 997),
                "source": f"/archive/shard-{i % 13}/doc-{i % 997}.txt",
                "date_start": day,
                "date_end": day,
                "sentence_start": 0,
                "sentence": f"Sentence {i}.",
                "n_mentions": 1 + i % 3,
                "n_documents": 1,
            }
        )
    return rows


def write_output(folder: Path, rows: list[dict], files: int = 8) -> Output:
    """A version folder with a timeline (rows split over `files` files), documents and events."""
    for name in ("timeline", "events"):
        (folder / name).mkdir(parents=True)
        step = -(-len(rows) // files)
        for f in range(files):
            part = rows[f * step : (f + 1) * step]
            if part:
                pq.write_table(pa.Table.from_pylist(part), folder / name / f"part-{f}.parquet")
    (folder / "documents").mkdir()
    docs = sorted({r["doc_id"] for r in rows})
    pq.write_table(pa.table({"doc_id": docs}), folder / "documents" / "part-0.parquet")
    return Output(str(folder))


def expected_ids(rows: list[dict], limit: int) -> list[str]:
    """The entries the whole-table code chose: `choose` over every dated id, sorted."""
    dated = sorted((r["event_id"], r["date_start"].year) for r in rows if r["date_start"])
    ids = [i for i, _ in dated]
    return [ids[k] for k in choose(ids, [y for _, y in dated], limit)]


@pytest.mark.parametrize("limit", [10, 300, 100_000])
def test_collect_timeline_chooses_what_choose_chooses_on_the_whole_table(tmp_path, limit):
    rows = timeline_rows(3000)
    output = write_output(tmp_path, rows)
    entries = collect_timeline(output, limit)
    assert entries.columns["id"] == expected_ids(rows, limit)
    assert entries.total == sum(1 for r in rows if r["date_start"])
    assert entries.undated == sum(1 for r in rows if r["date_start"] is None)
    assert entries.sampled == (limit < entries.total)
    undated = sorted((r["event_id"], r["source"]) for r in rows if r["date_start"] is None)
    assert [u["source"] for u in entries.undated_examples] == [s for _, s in undated[:20]]
    by_id = {r["event_id"]: r for r in rows}
    assert entries.columns["m"] == [by_id[i]["n_mentions"] for i in entries.columns["id"]]
    # every year keeps MIN_PER_YEAR entries (or all it has)
    years = [by_id[i]["date_start"].year for i in entries.columns["id"]]
    for year in {r["date_start"].year for r in rows if r["date_start"]}:
        have = sum(1 for r in rows if r["date_start"] and r["date_start"].year == year)
        assert years.count(year) >= min(have, MIN_PER_YEAR)


def test_smallest_holds_at_most_its_limit_and_keeps_the_smallest():
    held = sample.Smallest(5)
    keys = [event_id(i) for i in range(1000)]
    for key in keys:
        held.offer(key, key.upper())
        assert len(held) <= 5
    assert held.keys == sorted(keys)[:5]
    assert held.payloads == {k: k.upper() for k in sorted(keys)[:5]}


@pytest.mark.parametrize("limit", [1, 7, 40])
def test_narrowing_a_batch_leaves_the_smallest_as_offering_every_row(limit):
    """Keys with duplicates (payload: the first row offered), groups of very different sizes,
    batches of random sizes: offering only the rows `smallest_in_batch` and
    `smallest_per_group_in_batch` keep gives the same keys and payloads as offering all."""
    rng = random.Random(limit)
    every, narrow = sample.Smallest(limit), sample.Smallest(limit)
    every_g, narrow_g = sample.SmallestPerGroup(limit), sample.SmallestPerGroup(limit)
    offered = total = 0
    for _ in range(30):
        n = rng.randrange(0, 400)
        keys = [event_id(rng.randrange(3000)) if rng.random() > 0.02 else None for _ in range(n)]
        groups = [rng.choice([1, 1, 1, 2, 3, None]) for _ in range(n)]
        ids, years = pa.array(keys, pa.string()), pa.array(groups, pa.int64())
        below = sample.below(ids, every.cutoff())
        below_g = sample.below_group_cutoff(ids, years, every_g)
        kept = sample.smallest_in_batch(ids, below, limit).to_pylist()
        kept_g = sample.smallest_per_group_in_batch(ids, years, below_g, limit).to_pylist()
        for i, (key, group) in enumerate(zip(keys, groups, strict=True)):
            if key is None:
                continue
            total += 1
            if below[i].as_py():
                every.offer(key, (key, i))
            if kept[i]:
                offered += 1
                narrow.offer(key, (key, i))
            if below_g[i].as_py() is not False:
                every_g.offer(group, key, (key, i))
            if kept_g[i]:
                narrow_g.offer(group, key, (key, i))
    assert narrow.keys == every.keys and narrow.payloads == every.payloads
    assert set(narrow_g.groups) == set(every_g.groups)
    for group, held in every_g.groups.items():
        assert narrow_g.groups[group].payloads == held.payloads
    assert offered < total / 2  # the narrowing does narrow


def test_read_in_is_read_with_an_isin_filter(tmp_path):
    rows = timeline_rows(900)
    output = write_output(tmp_path, rows, files=3)
    nulls = [{**rows[3], "doc_id": None}, {**rows[4], "event_id": None}]
    pq.write_table(pa.Table.from_pylist(nulls), tmp_path / "timeline" / "part-nulls.parquet")
    wanted = ["event_id", "doc_id", "sentence"]
    for key, values in [
        ("event_id", [rows[i]["event_id"] for i in (5, 0, 899, 400)] + ["absent"]),
        ("doc_id", [rows[i]["doc_id"] for i in (1, 2, 3)]),
        ("event_id", [rows[i]["event_id"] for i in (3, 4)]),
    ]:
        expected = output.read("timeline", wanted, pa.compute.field(key).isin(values))
        assert output.read_in("timeline", wanted, key, values).equals(expected)
        assert output.read_in("timeline", wanted, key, values, probe=True).equals(expected)
    assert output.read_in("timeline", wanted, "event_id", [rows[7]["event_id"]]).num_rows == 1
    assert output.read_in("timeline", wanted, "doc_id", []).num_rows == 0


def test_batches_join_small_files_in_order_within_their_bounds(tmp_path, monkeypatch):
    """The rows of every file, in file and row order; small files' batches are joined up to
    batch_size rows and JOIN_BYTES, a wide batch is passed on alone."""
    rows = timeline_rows(1200)
    output = write_output(tmp_path, rows, files=40)  # 30 rows a file
    files = sorted(f.path for f in output.dataset("timeline").get_fragments())
    expected = pa.concat_tables(pq.read_table(f, columns=["event_id"]) for f in files)
    got = list(output.batches("timeline", ["event_id"], batch_size=100))
    assert pa.Table.from_batches(got).column("event_id").to_pylist() == (
        expected.column("event_id").to_pylist()
    )
    assert max(b.num_rows for b in got) == 90 and len(got) == 14  # 3 files a batch
    wide = list(output.batches("timeline", ["event_id", "sentence"], batch_size=100))
    monkeypatch.setattr(tables, "JOIN_BYTES", 1)
    alone = list(output.batches("timeline", ["event_id", "sentence"], batch_size=100))
    assert len(alone) == 40 > len(wide)
    assert pa.Table.from_batches(alone).equals(pa.Table.from_batches(wide))


def test_smallest_doc_ids_and_the_ids_asked_for(tmp_path):
    rows = timeline_rows(2000)
    output = write_output(tmp_path, rows)
    docs = sorted({r["doc_id"] for r in rows})
    smallest, found = smallest_doc_ids(output, 12, [docs[500], "not-a-doc"])
    assert smallest == docs[:12]
    assert found == {docs[500]}


# Proxy pools stay alive to the end of the session: a buffer allocated from one may be freed
# after the measurement (pyarrow does not keep the pool alive for it).
POOLS: list = []


def held_while(fn) -> tuple[int, int]:
    """(peak bytes of Python objects, peak bytes of Arrow buffers) allocated while fn runs."""
    pool = pa.proxy_memory_pool(pa.system_memory_pool())
    POOLS.append(pool)
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pool)
    tracemalloc.start()
    try:
        fn()
        python_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        pa.set_memory_pool(previous)
    return python_peak, pool.max_memory()


def test_the_report_passes_hold_the_same_memory_for_4x_the_rows(tmp_path):
    """40,000 and 160,000 timeline rows (files of 5,000 rows, as the job's writers bound
    theirs in bytes; 997 sources): the peaks of collect_timeline and summarise stay within
    1.5x (the whole-table code grew about 4x: every id a Python string, every key column in
    memory at once). What does grow is a count per source (one per input document)."""
    peaks = []
    for n in (40_000, 160_000):
        output = write_output(tmp_path / str(n), timeline_rows(n), files=n // 5000)

        def passes(output=output):
            collect_timeline(output, 500)
            summary.summarise(output)

        peaks.append(held_while(passes))
    (py_small, arrow_small), (py_large, arrow_large) = peaks
    assert py_large < 1.5 * py_small, peaks
    assert arrow_large < 1.5 * arrow_small, peaks
