"""The report's counts, over every row of the output (never sampled).

- events per month: event rows whose [date_start, date_end] lies within one calendar month, by
  that month; rows spanning more than a month (a year, a quarter, ...) and rows with no known
  year are counted apart, so that coarse dates never pile up in January;
- events per source (the input path): the TOP_SOURCES largest, the rest summed (counted by
  digest, transforms/output/report/sources.py: no Python object per source);
- documents per year of publication, errors by stage and reason, removed pieces by reason and
  region (`header`, `footer`, `inner`).

Counting is done with pyarrow compute, batch by batch over every table, so memory stays bounded
by one batch and the counts (per month, year, source, reason), whatever the number of rows.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from transforms.output.report import sample, sources
from transforms.output.report.tables import Output

TOP_SOURCES = 25


@dataclass
class Summary:
    """Counts for the report's charts and tables (plain dicts and lists, ready for templates)."""

    n_documents: int = 0
    n_events: int = 0
    n_errors: int = 0
    months: list[tuple[str, int]] = field(default_factory=list)  # ("2019-10", n), in order
    wider_than_month: int = 0
    no_year: int = 0
    sources: list[tuple[str, int]] = field(default_factory=list)  # largest first
    other_sources: tuple[int, int] = (0, 0)  # (number of sources, events) beyond TOP_SOURCES
    years: list[int] = field(default_factory=list)  # years with events, for the year filter
    errors: list[tuple[str, str, int]] = field(default_factory=list)  # (stage, reason, n)
    removed: list[tuple[str, dict[str, int], int]] = field(default_factory=list)  # reason
    removed_regions: list[str] = field(default_factory=list)
    published_years: list[tuple[str, int]] = field(default_factory=list)
    run: dict = field(default_factory=dict)


def summarise(output: Output) -> Summary:
    """Count everything the report shows about the output (see the module docstring)."""
    result = Summary(run=output.success())
    _event_counts(output, result)
    _document_counts(output, result)
    counts: Counter = Counter()
    for errors in output.batches("errors", ["stage", "reason"], sample.BATCH_ROWS):
        result.n_errors += errors.num_rows
        if {"stage", "reason"} <= set(errors.schema.names):
            counts.update(
                zip(errors["stage"].to_pylist(), errors["reason"].to_pylist(), strict=True)
            )
    result.errors = [(s, r, n) for (s, r), n in sorted(counts.items(), key=lambda x: -x[1])]
    return result


def _event_counts(output: Output, result: Summary) -> None:
    """The events' counts (n_events, months, wider_than_month, no_year, years, sources), batch
    by batch: what is held is a count per month, year and source, never the rows."""
    names = output.columns("events")
    if "date_start" not in names:
        result.n_events = sum(b.num_rows for b in output.batches("events", ["event_id"]))
        return
    wanted = ["date_start", "date_end", "source"]
    by_month: Counter = Counter()
    years: set[int] = set()
    per_source = sources.SourceCounts()  # ties: first seen first, as Counter.most_common
    for batch in output.batches("events", wanted, sample.BATCH_ROWS):
        result.n_events += batch.num_rows
        start = batch.column("date_start")
        end = batch.column("date_end") if "date_end" in batch.schema.names else start
        dated = pc.is_valid(start)
        result.no_year += batch.num_rows - (pc.sum(dated.cast(pa.int64())).as_py() or 0)
        end = pc.coalesce(end, start)
        month_key = pc.add(pc.multiply(pc.year(start), 100), pc.month(start))
        same_month = pc.and_(
            dated, pc.equal(month_key, pc.add(pc.multiply(pc.year(end), 100), pc.month(end)))
        )
        result.wider_than_month += (
            pc.sum(pc.and_not(dated, same_month).cast(pa.int64())).as_py() or 0
        )
        for v in pc.value_counts(pc.filter(month_key, same_month)).to_pylist():
            by_month[v["values"]] += v["counts"]
        years.update(pc.unique(pc.filter(pc.year(start), dated)).to_pylist())
        if "source" in batch.schema.names:
            per_source.add(*sources.batch_counts(batch.column("source")))
    result.months = _fill_months(dict(by_month))
    result.years = sorted(y for y in years if y is not None)
    if "source" in names:
        result.sources, result.other_sources = counted_top_sources(output, per_source)


def counted_top_sources(
    output: Output, per_source: sources.SourceCounts, n: int = TOP_SOURCES
) -> tuple[list[tuple[str, int]], tuple[int, int]]:
    """`top_sources` of the events' sources counted by digest: the shown sources' names read
    back from the events table; on a digest collision, counted again with a Counter."""
    top = per_source.top(n)
    # The names are looked up in the documents table first (every event's source is its
    # document's: one row per document instead of one per event; on a 100,000-page output
    # 1.27 s instead of 1.68 s of CPU), then, for a name not found there, in the events.
    tables = [t for t in ("documents", "events") if "source" in output.columns(t)]
    batches = itertools.chain.from_iterable(
        output.batches(t, ["source"], sample.BATCH_ROWS) for t in tables
    )
    try:
        named = sources.names_of({key for key, _ in top}, batches)
    except sources.DigestCollision:
        return top_sources(source_counter(output), n)
    shown = sum(count for _, count in top)
    return [(named[key], count) for key, count in top], (
        len(per_source) - len(top),
        per_source.total() - shown,
    )


def source_counter(output: Output) -> Counter:
    """Events per source name in a Counter (first seen first): the reference count, and the
    fallback of `counted_top_sources`."""
    per_source: Counter = Counter()
    for batch in output.batches("events", ["source"], sample.BATCH_ROWS):
        for v in pc.value_counts(batch.column("source")).to_pylist():
            per_source[v["values"] or ""] += v["counts"]
    return per_source


def top_sources(
    per_source: Counter, n: int = TOP_SOURCES
) -> tuple[list[tuple[str, int]], tuple[int, int]]:
    """The `n` largest counts, largest first (ties in the Counter's order: first seen first),
    and (number of the other sources, their events). ``most_common(n)`` picks the same `n` as
    the whole sorted list would, without making that list. The report counts by digest
    (`counted_top_sources`); this is its reference and its fallback."""
    top = per_source.most_common(n)
    shown = sum(count for _, count in top)
    return top, (len(per_source) - len(top), sum(per_source.values()) - shown)


def _fill_months(by_month: dict[int, int]) -> list[tuple[str, int]]:
    """Every month from the first to the last with events (zero where none), as ("YYYY-MM", n)."""
    if not by_month:
        return []
    first, last = min(by_month), max(by_month)
    out = []
    year, month = divmod(first, 100)
    while year * 100 + month <= last:
        out.append((f"{year:04d}-{month:02d}", by_month.get(year * 100 + month, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _document_counts(output: Output, result: Summary) -> None:
    reasons: dict[str, Counter] = {}
    published: Counter = Counter()
    for batch in output.batches("documents", ["published", "removed"]):
        result.n_documents += batch.num_rows
        if "published" in batch.schema.names:
            for v in pc.value_counts(pc.year(batch.column("published"))).to_pylist():
                year = v["values"]
                published[str(year) if year is not None else "unknown"] += v["counts"]
        if "removed" not in batch.schema.names:
            continue
        pieces = pc.list_flatten(batch.column("removed"))
        if not len(pieces):
            continue
        pairs = pa.table(
            {
                "reason": pc.struct_field(pieces, "reason"),
                "region": pc.struct_field(pieces, "region"),
            }
        )
        grouped = pairs.group_by(["reason", "region"], use_threads=False).aggregate(
            [([], "count_all")]
        )
        for row in grouped.to_pylist():
            reasons.setdefault(row["reason"] or "", Counter())[row["region"] or ""] += row[
                "count_all"
            ]
    regions: Counter = Counter()
    for by_region in reasons.values():
        regions.update(by_region)
    result.removed_regions = [r for r, _ in regions.most_common()]
    result.removed = sorted(
        ((reason, dict(c), sum(c.values())) for reason, c in reasons.items()),
        key=lambda item: (-item[2], item[0]),
    )
    result.published_years = sorted(published.items())
