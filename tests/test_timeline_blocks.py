"""The cross-document composite on Beam's TestPipeline: files grouped by partition, a partition
clustered in blocks of keys (the same ids and timeline rows however many blocks), event_ids
rewritten in the staged files; and the stable block hash."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.test_coref import row
from transforms.output import scratch
from transforms.output.schemas import TABLES
from transforms.output.timeline import CrossDocumentEvents, WriteEventsFn
from transforms.output.timeline_blocks import block_of, n_blocks

DAY = dt.date(1998, 8, 7)


def documents() -> list[list[dict]]:
    """Events rows of six documents over two days of one month and one coarse date: the
    attacks of Aug 7 link through Nairobi, the Aug 8 ones through Kenya; d6 is alone."""
    rows = [
        row("b1", "d1", "attack", [("Nairobi", "place", 0)]),
        row("a2", "d2", "death", [("Nairobi", "place", 0)]),
        row("c3", "d3", "attack", [("Nairobi", "place", 0)]),
        row("e4", "d4", "attack", [("Kenya", "place", 0)], day=DAY + dt.timedelta(1)),
        row("d5", "d5", "attack", [("Kenya", "place", 0)], day=DAY + dt.timedelta(1)),
        row("f6", "d6", "attack", [("Tanzania", "place", 0)], day=DAY + dt.timedelta(2)),
        row("g7", "d6", "report", [], day=dt.date(1998, 1, 1), gran="year", value="1998"),
    ]
    for r in rows:
        r.update(date_role="event", date_text="Friday", trigger_end=55, sentence_start=0)
        if r["granularity"] == "year":
            r["date_end"] = dt.date(1998, 12, 31)
    return [[r] for r in rows]


def run_composite(staging: Path, block_mentions: int) -> tuple[dict, list]:
    """{mention_id: event_id} of the published files, and the partitions of the events files;
    checks the timeline files (one per partition, rows counted on `timeline`)."""
    with TestPipeline() as p:
        out = (
            p
            | beam.Create(documents())
            | CrossDocumentEvents(str(staging), block_mentions=block_mentions)
        )
        assert_that(
            out["timeline"] | beam.CombineGlobally(sum), equal_to([4]), label="timeline rows"
        )
        for name, pcoll in (("published", out["events"]), ("timeline", out["files"][0])):
            target = staging / f"{name}.txt"
            _ = (
                pcoll
                | f"List {name}" >> beam.combiners.ToList()
                | f"Save {name}" >> beam.Map(lambda ps, t=target: t.write_text("\n".join(ps)))
            )
    published = (staging / "published.txt").read_text().split("\n")
    # one Parquet file per partition, written from the scratch files (never published)
    assert all(path.endswith(".parquet") for path in published)
    assert len({Path(path).parent for path in published}) == len(published)
    ids = {}
    for path in published:
        for r in pq.read_table(path, schema=TABLES["events"]).to_pylist():
            ids[r["mention_id"]] = r["event_id"]
    # the timeline: one file per partition, in the partition of its events (the same rows
    # whatever the blocks)
    timeline = (staging / "timeline.txt").read_text().split("\n")
    assert sorted(Path(p).parent.parts[-2:] for p in timeline) == sorted(
        Path(p).parent.parts[-2:] for p in published
    )
    assert all("/timeline/" in path for path in timeline)
    rows = [r for path in timeline for r in pq.read_table(path).to_pylist()]
    assert sorted((t["event_id"], t["n_mentions"], t["n_texts"]) for t in rows) == [
        ("a2", 3, 3),
        ("d5", 2, 2),
        ("f6", 1, 1),
        ("g7", 1, 1),
    ]
    return ids, sorted(Path(p).parent.name for p in published)


def test_the_events_writer_emits_references_without_its_staging_folder(tmp_path):
    """What crosses the shuffle is `scratch.relative` (run_composite shows the clustering
    resolves it): each reference names the rows of its partition in a scratch file of the
    events folder."""
    fn = WriteEventsFn(str(tmp_path))
    fn.start_bundle()
    emitted = [out for document in documents() for out in fn.process(document)]
    emitted += [value.value for value in fn.finish_bundle()]
    folder = str(tmp_path / "events")
    partitions = sorted(partition for partition, _ in emitted)
    assert partitions == ["year=1998/month=0", "year=1998/month=8"]
    for _, ref in emitted:
        assert ref.startswith("part-") and "/" not in ref
        full = scratch.resolve(folder, ref)
        assert scratch.relative(full, folder) == ref
        assert scratch.read_table(full, TABLES["events"]).num_rows == scratch.n_rows(full) > 0


def test_blocks_give_the_same_ids_as_one_block(tmp_path):
    want = {"b1": "a2", "a2": "a2", "c3": "a2", "e4": "d5", "d5": "d5", "f6": "f6", "g7": "g7"}
    one, partitions = run_composite(tmp_path / "one", block_mentions=1_000)
    assert one == want
    assert "month=8" in partitions and "month=0" in partitions
    many, _ = run_composite(tmp_path / "many", block_mentions=1)  # a block per key at most
    assert many == want


def test_block_hash_is_stable_and_spreads_keys():
    key = ("day", "1998-08-07", "incident")
    assert block_of(key, 1) == 0
    # blake2b of the key's parts, not Python's per-process salted hash(): pinned across runs
    assert block_of(key, 1000) == 12
    keys = [("day", (DAY + dt.timedelta(i)).isoformat(), "incident") for i in range(200)]
    assert len({block_of(k, 4) for k in keys}) == 4
    assert (n_blocks(0, 100), n_blocks(100, 100), n_blocks(101, 100)) == (1, 1, 2)
