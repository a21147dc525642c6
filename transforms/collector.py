"""The worker's garbage collector, set up once its heavy objects are built.

CPython frees almost every object of this job by reference counting; its cyclic collector
only finds garbage that refers to itself. By default it runs a young-generation collection
every 700 net allocations of container objects, and each collection walks every young
object; an older-generation collection also walks every object that has survived, the
compiled date grammar, the splitter's vocabulary and the event word tables included (hundreds
of thousands of objects, built once per worker and alive until it stops). The job allocates
some tens of thousands of containers per page (tuples, lists, dicts of candidates, mentions and
rows), so with the defaults it spends a few percent of its CPU time walking objects that are
not garbage (bench/stages.py reports the collections' own share per stage).

`tune_collector` does two things, after a DoFn's ``setup()`` has built its heavy objects:
- ``gc.freeze()``: everything alive then (the grammar, the vocabularies, Beam's own objects)
  moves to the permanent generation, which no collection walks. Frozen objects are still
  freed by reference counting; only a frozen object that later becomes part of a reference
  cycle stays until the process ends (the built tables never do).
- ``gc.set_threshold(limits.GC_YOUNG_THRESHOLD, ...)``: young collections run less often,
  so more short-lived objects have been freed by reference counting before a collection
  would walk them. The cyclic garbage waiting for a collection is bounded by the threshold
  (a few MiB at most).

Neither changes what the job computes: the collector decides only when unreachable cycles are
freed, never what is reachable (``make diffcheck``). Both calls are described on the gc
page of the Python documentation.
"""

from __future__ import annotations

import gc

from transforms.limits import GC_OLDER_THRESHOLD, GC_YOUNG_THRESHOLD


def tune_collector() -> None:
    """Freeze every object alive now and raise the young-generation threshold.

    Call at the end of a DoFn's ``setup()`` (after its heavy objects exist); calling it again
    (another DoFn's setup in the same worker) freezes what was built since. Returns nothing;
    raises nothing."""
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, GC_OLDER_THRESHOLD, GC_OLDER_THRESHOLD)
