"""The report's events per source counted by digest (transforms/output/report/sources.py) give
what the Counter of every source name gave: the same shown sources in the same order (ties in
first-seen order), the same number of other sources and events."""

import random
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from transforms.output.report import sources, summary
from transforms.output.report.tables import Output


def random_batches(rng: random.Random, n_batches: int, names: int) -> list[tuple[list, list]]:
    """Batches of distinct names with counts (1-3, so that ties are common)."""
    batches = []
    for _ in range(n_batches):
        drawn = (f"/in/doc-{rng.randrange(names)}.txt" for _ in range(rng.randrange(60)))
        batch = list(dict.fromkeys(drawn))
        batches.append((batch, [rng.choice((1, 2, 2, 3)) for _ in batch]))
    return batches


@pytest.mark.parametrize("seed", range(12))
def test_source_counts_equal_the_counter(seed):
    rng = random.Random(seed)
    counter: Counter = Counter()
    counts = sources.SourceCounts(pending_max=rng.choice((1, 7, 64, 10**6)))
    for names, ns in random_batches(rng, rng.randrange(40), rng.choice((5, 300))):
        counter.update(dict(zip(names, ns, strict=True)))
        counts.add([name.encode() for name in names], ns)
    by_key = {sources.digest(name.encode()): name for name in counter}
    for n in (0, 1, 3, summary.TOP_SOURCES, 10**4):
        assert [(by_key[k], c) for k, c in counts.top(n)] == counter.most_common(n)
    assert len(counts) == len(counter)
    assert counts.total() == sum(counter.values())


def write_events(folder: Path, rng: random.Random, files: int = 3) -> Output:
    """A version folder whose events table holds random sources (some null) over `files`
    files, and an empty documents table."""
    (folder / "events").mkdir(parents=True)
    for f in range(files):
        rows = [
            None if rng.random() < 0.02 else f"/in/doc-{rng.randrange(400)}.txt"
            for _ in range(rng.randrange(2000, 5000))
        ]
        pq.write_table(
            pa.table({"source": pa.array(rows, pa.string())}), folder / "events" / f"p{f}.parquet"
        )
    (folder / "documents").mkdir()
    pq.write_table(
        pa.table({"doc_id": pa.array([], pa.string())}), folder / "documents" / "p.parquet"
    )
    return Output(str(folder))


@pytest.mark.parametrize("seed", range(3))
def test_counted_top_sources_equal_the_counter_on_an_output(tmp_path, seed):
    output = write_events(tmp_path, random.Random(seed))
    counts = sources.SourceCounts(pending_max=500)
    for batch in output.batches("events", ["source"], 1000):
        counts.add(*sources.batch_counts(batch.column("source")))
    for n in (3, summary.TOP_SOURCES):
        expected = summary.top_sources(summary.source_counter(output), n)
        assert summary.counted_top_sources(output, counts, n) == expected


def test_a_digest_collision_falls_back_to_the_counter(tmp_path, monkeypatch):
    output = write_events(tmp_path, random.Random(5))
    monkeypatch.setattr(sources, "digest", lambda name: name[:9].ljust(16, b"-"))  # all collide
    counts = sources.SourceCounts()
    for batch in output.batches("events", ["source"], 1000):
        counts.add(*sources.batch_counts(batch.column("source")))
    expected = summary.top_sources(summary.source_counter(output))
    with pytest.raises(sources.DigestCollision):
        sources.names_of({key for key, _ in counts.top(5)}, output.batches("events", ["source"]))
    assert summary.counted_top_sources(output, counts) == expected
