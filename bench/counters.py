"""The counters' cost: the Beam counter increments the job's DoFns make for a sample of
documents, replayed in-process under a Beam metrics container (as a runner's worker sets one up
around a DoFn), once per increment (`deadletter.count`, as the DoFns did before issue 14) and
once summed per bundle (`deadletter.BundleCounts`, as they do now). Both give the same counter
totals (checked here); the difference is what counting per bundle saves.
"""

from __future__ import annotations

import time

# Times each replay runs; the median is reported.
REPEATS = 3


def increments(tagged: list, counted: list) -> list[tuple]:
    """Per document, what its DoFns count: (removed reasons, kept spans, body flag or None,
    rejected reasons, anchor outcome or None, {skipped reason: n}, events written, event role
    reasons), from the stage profile's intermediate results: `tagged` of the dates stage (its
    last item: rejected reasons and anchor outcome), `counted` = (doc_id, skipped, events,
    roles) of the events stage."""
    by_id = {doc.doc_id: (split, dates) for doc, split, *_, dates in tagged}
    out = []
    for doc_id, skips, n_events, roles in counted:
        split, (rejected, anchor) = by_id[doc_id]
        removed = [piece.reason for piece in split.removed]
        flag = getattr(split, "body_flag", None)
        out.append((removed, len(split.body_spans), flag, rejected, anchor, skips, n_events, roles))
    return out


def _per_increment(docs: list[tuple]) -> None:
    """As the DoFns counted before issue 14: one Beam counter update per name and document."""
    from collections import Counter

    from transforms import deadletter

    count, count_reasons = deadletter.count, deadletter.count_reasons
    for removed, kept, flag, rejected, anchor, skips, n_events, roles in docs:
        count("inputs_read")
        count_reasons("lines_removed_", removed)
        count("lines_kept", kept)
        if flag is not None:
            count(f"body_flag_{flag}")
        if anchor is not None:
            count(anchor)
        count_reasons("dates_rejected_", rejected)
        for reason, n in skips.items():
            count(f"events_skipped_{reason}", n)
        count("documents_written")
        count("events_written", n_events)
        for reason, n in Counter(roles).items():
            count(f"events_role_{reason}", n)


def _per_bundle(docs: list[tuple]) -> None:
    """As the DoFns count now: summed in a BundleCounts, flushed once."""
    from transforms.deadletter import BundleCounts

    counts = BundleCounts()
    for removed, kept, flag, rejected, anchor, skips, n_events, roles in docs:
        counts.add("inputs_read")
        counts.add_reasons("lines_removed_", removed)
        counts.add("lines_kept", kept)
        if flag is not None:
            counts.add(f"body_flag_{flag}")
        if anchor is not None:
            counts.add(anchor)
        counts.add_reasons("dates_rejected_", rejected)
        for reason, n in skips.items():
            counts.add(f"events_skipped_{reason}", n)
        counts.add("documents_written")
        counts.add("events_written", n_events)
        counts.add_reasons("events_role_", roles)
    counts.flush()


def _replay(fn, docs: list[tuple]) -> tuple[float, dict]:
    """Seconds of fn(docs) under a fresh metrics container, and its counter totals."""
    from apache_beam.metrics.execution import MetricsContainer
    from apache_beam.runners.worker import statesampler
    from apache_beam.utils.counters import CounterFactory

    sampler = statesampler.StateSampler("bench", CounterFactory())
    statesampler.set_current_tracker(sampler)
    container = MetricsContainer("bench")
    try:
        with sampler.scoped_state("bench", "process", metrics_container=container):
            start = time.perf_counter()
            fn(docs)
            seconds = time.perf_counter() - start
    finally:
        statesampler.set_current_tracker(None)
    totals = {k.metric.name: v for k, v in container.get_cumulative().counters.items()}
    return seconds, totals


def _updates(fn, docs: list[tuple]) -> int:
    """Beam counter updates fn(docs) makes (a dry run with `deadletter.count` replaced)."""
    from transforms import deadletter

    calls = []
    real = deadletter.count
    deadletter.count = lambda name, n=1: calls.append(name)
    try:
        fn(docs)
    finally:
        deadletter.count = real
    return len(calls)


def measure(docs: list[tuple]) -> dict:
    """Median seconds and ms/doc of both ways of counting, counter updates per document."""
    n = len(docs)
    result = {"documents": n}
    totals = {}
    for name, fn in (("per_increment", _per_increment), ("per_bundle", _per_bundle)):
        runs = sorted((_replay(fn, docs) for _ in range(REPEATS)), key=lambda r: r[0])
        seconds, totals[name] = runs[len(runs) // 2]
        updates = _updates(fn, docs)
        result[name] = {
            "seconds": round(seconds, 4),
            "ms_per_doc": round(1000 * seconds / n, 4) if n else None,
            "updates_per_doc": round(updates / n, 2) if n else None,
        }
    result["same_totals"] = totals["per_increment"] == totals["per_bundle"]
    return result
