"""The worker's garbage collector settings (transforms/collector.py).

Raising the young-generation threshold is safe only while the job makes (almost) no cyclic
garbage: reference counting must free what a page leaves behind, or the collections made
rarer would let it pile up. These tests pin both the settings and that premise."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from bench import stages
from transforms.boilerplate.beam import SplitFn
from transforms.collector import tune_collector
from transforms.events.extract import EventExtractor
from transforms.limits import GC_OLDER_THRESHOLD, GC_YOUNG_THRESHOLD
from transforms.temporal.tagger import DateTagger

SEEDS = sorted(str(p) for p in (Path(__file__).parent.parent / "seeds").glob("*.txt"))


@pytest.fixture
def restored_collector():
    """Whatever a test does to the collector is undone after it."""
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    if enabled:
        gc.enable()


def test_tune_collector_freezes_what_is_alive_and_raises_the_threshold(restored_collector):
    gc.unfreeze()
    built = [{"rule": i} for i in range(1000)]  # a worker's tables, built in setup()
    tune_collector()
    assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, GC_OLDER_THRESHOLD, GC_OLDER_THRESHOLD)
    assert gc.get_freeze_count() >= len(built)
    walked = {id(o) for o in gc.get_objects()}  # every generation a collection walks
    assert id(built[0]) not in walked


def test_a_stage_setup_tunes_the_collector(restored_collector):
    gc.set_threshold(700, 10, 10)
    SplitFn().setup()
    assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD


def test_the_seed_pages_through_split_dates_and_events_leave_no_cyclic_garbage(
    restored_collector,
):
    tagger, extractor = DateTagger(), EventExtractor()
    docs = stages._read(SEEDS)

    def run():
        splits = stages._split(docs, {"repeated": None, "n_docs": 1})
        return stages._events(stages._dates(tagger, splits), extractor)

    run()  # first-use caches (memos, compiled sub-grammars) are kept on purpose
    gc.collect()
    gc.disable()
    event_rows, doc_rows, _ = run()
    assert len(doc_rows) == len(SEEDS) and event_rows
    del event_rows, doc_rows
    assert gc.collect() == 0
