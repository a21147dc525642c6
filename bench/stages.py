"""Time per stage: the job's pure stage functions run in-process over a sample of the archive.

Stages run one after the other over the whole sample (read all, then count lines, then split
all, ...), the way the DoFns in transforms/<stage>/beam.py call them, so each stage's time is
its own. Each stage is timed PASSES times without a profiler (median wall and median CPU
time), then run again under cProfile for its top functions by own time. The write and
timeline stages run the job's own DoFns (the writers, one bundle; the cross-document
clustering, one call per partition), so they do the job's output work: events rows -> scratch
files -> clustered -> events and timeline Parquet.
What the full job spends beyond the sum of these is the publish step (counts, the report),
progress, and Beam's own work (bundles, the few elements encoded across its fusion breaks).

Garbage collection: the profile holds every stage's output for all sample documents (the job
streams bundles and holds none of it), so without care each collection during a stage would
walk the earlier stages' outputs too, a cost the job does not have. Measured on 2,000 pages
(make bench on 2026-12-01, gc callbacks): collections took 20% of the events stage's CPU in
the profile against 5.6% of the whole job's CPU on 10,000 pages (3.5 of 61.8 s). So each stage
runs with what existed before it frozen (``gc.freeze``: the held inputs and the built tagger and
extractor, which the job's gen-2 collections walk 21 times in 10,000 pages); the collections
the stage's own allocations cause are still timed, and reported as ``gc_ms_per_doc``.
"""

from __future__ import annotations

import cProfile
import gc
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# Functions listed per stage in the profile.
TOP_FUNCTIONS = 8
# Timed runs per stage (median): one run's time moved by up to 1.5x between runs on this shared
# machine (make bench at 22:19 and 22:50 on 2026-11-30, same code); three cost ~30 s more.
PASSES = 3
# The job's stages with its default options (corpus line counts are opt-in, so not profiled).
STAGES = ("read", "split", "dates", "events", "write", "timeline")


def read_file(path: str) -> Iterator:
    """RawDocs and ErrorRows of one file, through the job's reader (whichever API it has)."""
    from transforms.ingest import readers
    from transforms.records import ErrorRow

    if not hasattr(readers, "read_unit"):  # the first reader: one file, one document
        yield from readers.read_path(path)
        return
    stat = os.stat(path)
    for unit in readers.plan_file(readers.FileRef(path, stat.st_size, stat.st_mtime)):
        if isinstance(unit, ErrorRow):
            yield unit
        else:
            yield from readers.read_unit(unit)


def _read(paths: list[str]) -> list:
    from transforms.ingest import readers
    from transforms.records import ErrorRow

    docs = []
    for path in paths:
        for raw in read_file(path):
            if not isinstance(raw, ErrorRow):
                doc = readers.decode(raw)
                if not isinstance(doc, ErrorRow):
                    docs.append(doc)
    return docs


def _split(docs: list, corpus: dict) -> list:
    from transforms.boilerplate import splitter as boilerplate
    from transforms.limits import MEMO_MAX_LINES

    # A splitter of its own, with its line memo, as the job's SplitFn builds in setup().
    splitter = boilerplate.Splitter(memo_lines=MEMO_MAX_LINES)
    splits = []
    for doc in docs:
        try:
            split = splitter.split(doc.text, doc.prefix_len, corpus["repeated"], corpus["n_docs"])
        except Exception:  # noqa: BLE001 - the job sends these to errors/; so does the profile
            continue
        splits.append((doc, split))
    return splits


def _dates(tagger, splits: list) -> list:
    from transforms.temporal.anchor import tag_document
    from transforms.text.pubdate import choose_anchor, inferred_anchor

    tagged = []
    for doc, split in splits:
        try:
            anchor, published, published_source = choose_anchor(doc, split.published)
            mentions, rejected, inferred = tag_document(
                tagger, doc.text, split.body_spans, anchor.date
            )
            if inferred is not None:  # as the job's TagDatesFn: an undated page's anchor
                anchor = inferred_anchor(anchor, inferred)
        except Exception:  # noqa: BLE001 - as in the job: an error row, not a crash
            continue
        counted = ([item.reason for item in rejected], None)  # what TagDatesFn counts
        if inferred is not None:
            outcome = "anchor_inferred_" if inferred.date else "anchor_not_inferred_"
            counted = (counted[0], outcome + inferred.reason)
        tagged.append((doc, split, anchor, published, published_source, mentions, counted))
    return tagged


def _events(tagged: list, extractor=None) -> tuple[list, list, list]:
    from transforms.events import rows as events

    event_rows, doc_rows, counted = [], [], []
    for doc, split, anchor, published, published_source, mentions, _ in tagged:
        try:
            rows, skipped = events.event_rows(
                doc, anchor, published, split.body_spans, mentions, extractor
            )
            doc_row = events.document_row(
                doc, split, anchor, published, published_source, mentions, len(rows)
            )
        except Exception:  # noqa: BLE001 - as in the job: an error row, not a crash
            continue
        event_rows += rows
        doc_rows.append(doc_row)
        roles = [row["role_reason"] or "event" for row in rows]
        counted.append((doc.doc_id, skipped, len(rows), roles))  # what ExtractEventsFn counts
    return event_rows, doc_rows, counted


def _bundle(fn, elements) -> list:
    """Run a DoFn over `elements` as ONE bundle (start, process each, finish): its outputs."""
    fn.start_bundle()
    out = []
    for element in elements:
        out += list(fn.process(element) or ())
    out += [w.value for w in fn.finish_bundle() or ()]
    return out


def _write(tables: dict[str, list], folder: str) -> dict:
    """The job's writers, one bundle each, as WriteTables and CrossDocumentEvents run them:
    the events rows (one list per document, as ExtractEvents emits them) into scratch files
    (`WriteEventsFn`), the other tables into Parquet (`WriteTableFn`). Returns {"files":
    {table: files written}, "scratch": what WriteEventsFn emitted (the paths of its scratch
    files, or (partition, reference into a scratch file) pairs)} (the timeline stage reads
    them)."""
    from itertools import groupby
    from operator import itemgetter

    from transforms.output.beam import WriteTableFn
    from transforms.output.timeline import WriteEventsFn

    files, scratch = {}, []
    for table, rows in tables.items():
        if table == "events":
            per_doc = (list(doc) for _, doc in groupby(rows, key=itemgetter("doc_id")))
            scratch = _bundle(WriteEventsFn(folder), per_doc)
            files["events scratch"] = len({_scratch_file(out) for out in scratch})
        else:
            files[table] = len(_bundle(WriteTableFn(table, folder), rows))
    return {"files": files, "scratch": scratch}


def _scratch_file(out) -> str:
    """The scratch file of what WriteEventsFn emitted: a path, or (partition, reference)."""
    return out[1].rpartition("#")[0] if isinstance(out, tuple) else out


def _timeline(written: dict, folder: str) -> dict[str, int]:
    """The job's cross-document step after the writers (CrossDocumentEvents): the scratch files
    grouped by partition, each partition clustered (`ClusterPartitionFn`: event_ids, the
    partition's timeline and events Parquet files; a tree from before that DoFn wrote the
    timeline file yields timeline rows, written here by `WriteTableFn`, one bundle). Files
    written per table."""
    from apache_beam import pvalue

    from transforms.output import timeline as tl
    from transforms.output.beam import WriteTableFn

    by_partition: dict[str, list[str]] = {}
    for out in written["scratch"]:  # a path (a file per partition) or (partition, reference)
        partition, path = out if isinstance(out, tuple) else (tl.partition_of(out), out)
        by_partition.setdefault(partition, []).append(path)
    cluster = tl.ClusterPartitionFn(folder)
    cluster.setup()
    timeline_rows, files = [], {"events": 0, "timeline": 0}
    for element in by_partition.items():
        for out in cluster.process(element):
            if not isinstance(out, pvalue.TaggedOutput):
                files["events"] += 1
            elif out.tag == getattr(tl, "TIMELINE_FILES", None):
                files["timeline"] += 1
            elif out.tag == tl.TIMELINE and isinstance(out.value, dict):  # an older tree: rows
                timeline_rows.append(out.value)
    if timeline_rows:
        files["timeline"] = len(_bundle(WriteTableFn("timeline", folder), timeline_rows))
    return files


def _top(profile: cProfile.Profile, total: float, by: str = "own") -> list[dict]:
    """Top functions by own time, or (by="cum") the project's own functions by cumulative time:
    the first says what burns the time, the second which of our functions calls it."""
    stats = pstats.Stats(profile)
    entries = stats.stats.items()
    if by == "cum":
        entries = [e for e in entries if f"{os.sep}transforms{os.sep}" in e[0][0]]
    key = 3 if by == "cum" else 2
    entries = sorted(entries, key=lambda item: item[1][key], reverse=True)
    top = []
    for (filename, line, name), (_, ncalls, tottime, cumtime, _) in entries[:TOP_FUNCTIONS]:
        where = filename if filename.startswith("<") else "/".join(Path(filename).parts[-2:])
        top.append(
            {
                "function": f"{where}:{line}({name})",
                "calls": ncalls,
                "own_s": round(tottime, 4),
                "cum_s": round(cumtime, 4),
                "own_share": round(tottime / total, 3) if total else 0.0,
            }
        )
    return top


def _timed(fn: Callable, *args):
    """Run fn PASSES times; return its result, the median wall, CPU and GC seconds and a profile.

    CPU seconds (``time.process_time``: this process, all threads) are what a shared machine
    does not inflate; wall seconds include waiting for a core. GC seconds are the CPU time spent
    in collections during a pass (gc callbacks), part of the CPU seconds. Objects alive before the
    stage are frozen for its duration (module docstring: the job never holds them).
    """
    walls, cpus, gcs = [], [], []
    gc.collect()
    gc.freeze()
    clock = _GcClock()
    gc.callbacks.append(clock)
    try:
        for _ in range(PASSES):
            start, start_cpu, start_gc = time.perf_counter(), time.process_time(), clock.seconds
            result = fn(*args)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - start_cpu)
            gcs.append(clock.seconds - start_gc)
            del result  # the next pass starts with the same heap as the first
        profile = cProfile.Profile()
        profile.enable()
        result = fn(*args)
        profile.disable()
    finally:
        gc.callbacks.remove(clock)
        gc.unfreeze()
    elapsed = (statistics.median(walls), statistics.median(cpus), statistics.median(gcs))
    profiled = sum(v[2] for v in pstats.Stats(profile).stats.values())
    return (
        result,
        elapsed,
        {"top": _top(profile, profiled), "top_cum": _top(profile, profiled, "cum")},
    )


class _GcClock:
    """A gc callback summing the CPU seconds (this process) spent in collections."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._began = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._began = time.process_time()
        else:
            self.seconds += time.process_time() - self._began


def profile_stages(paths: list[str]) -> dict:
    """Per-stage seconds, per-document milliseconds and top functions over the given files."""
    from transforms.events.extract import EventExtractor
    from transforms.temporal.tagger import DateTagger

    start = time.perf_counter()
    tagger = DateTagger()
    tagger_setup = time.perf_counter() - start
    extractor = EventExtractor()  # built once, as the job's DatesFn does in setup()
    stages: dict[str, dict] = {}

    def record(name: str, fn: Callable, *args):
        result, (seconds, cpu_seconds, gc_seconds), top = _timed(fn, *args)
        stages[name] = {
            "seconds": round(seconds, 4),
            "cpu_seconds": round(cpu_seconds, 4),
            "gc_seconds": round(gc_seconds, 4),
            **top,
        }
        return result

    docs = record("read", _read, paths)
    splits = record("split", _split, docs, {"repeated": None, "n_docs": 1})
    tagged = record("dates", _dates, tagger, splits)
    event_rows, doc_rows, counted = record("events", _events, tagged, extractor)
    with tempfile.TemporaryDirectory(prefix="newsline-bench-") as folder:
        written = record("write", _write, {"events": event_rows, "documents": doc_rows}, folder)
        stages["write"]["files"] = written["files"]
        stages["timeline"]["files"] = record("timeline", _timeline, written, folder)
    from bench.counters import increments, measure

    counters = measure(increments(tagged, counted))

    n = len(docs)
    # Documents a stage failed on (the job writes them to errors/); the profile skips them.
    failed = {
        "split": n - len(splits),
        "dates": len(splits) - len(tagged),
        "events": len(tagged) - len(doc_rows),
    }
    total = sum(s["seconds"] for s in stages.values())
    for stage in stages.values():
        stage["ms_per_doc"] = round(1000 * stage["seconds"] / n, 4) if n else None
        stage["cpu_ms_per_doc"] = round(1000 * stage["cpu_seconds"] / n, 4) if n else None
        stage["gc_ms_per_doc"] = round(1000 * stage["gc_seconds"] / n, 4) if n else None
        stage["share"] = round(stage["seconds"] / total, 3) if total else None
    return {
        "documents": n,
        "files": len(paths),
        "events": len(event_rows),
        "failed": failed,
        "tagger_setup_s": round(tagger_setup, 3),
        "total_s": round(total, 4),
        "docs_per_s": round(n / total, 1) if total else None,
        "passes": PASSES,
        "stages": stages,
        "slowest": max(stages, key=lambda s: stages[s]["seconds"]),
        "counters": counters,
    }
