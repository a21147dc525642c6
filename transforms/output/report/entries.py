"""The marks of the report's timeline: one per timeline entry, or a sample of them at scale.

A timeline entry is one row of the `timeline` table when the output has one (one row per
cross-document event), otherwise one distinct `event_id` of the `events` table (the same page
read from several sources gives one entry; rows whose `date_role` is not `event` are left out
when that column exists). An entry is drawn when its date range is known (`date_start` not
null); entries with no known year are counted and a few are listed.

Scale: every entry is drawn up to MAX_MARKS. Beyond that the report draws a *sample*: the
entries with the smallest event_id (ids are hashes, so this is a uniform and reproducible
sample that keeps an entry in as the archive grows), topped up so that every year keeps at least
MIN_PER_YEAR entries; the report says "N of M entries (sample)". The per-month and per-source
charts always count every row (transforms/output/report/summary.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from transforms.output.report import sample
from transforms.output.report.tables import KEY_COLUMNS, Output

# 4,000 marks keep the page under 2 MB (about 350 bytes per entry with its sentence) and its
# SVG responsive (make bench-report: 4,757 marks, 1.74 MB; Chromium opened and drew it in under
# 3 s and redrew a filtered view in 0.35 s, on a shared 2-core machine at load average 8+).
MAX_MARKS = 4000
MIN_PER_YEAR = 25
# A sentence longer than this is cut (with an ellipsis) in the page; the document view has it all.
MAX_SENTENCE = 320
UNDATED_LISTED = 20
# What the page shows of an entry, read only for the entries shown.
DETAIL_COLUMNS = [
    "event_id",
    "doc_id",
    "char_start",
    "char_end",
    "granularity",
    "timex_value",
    "mod",
    "timex_mod",
    "date_text",
    "trigger",
    "event_class",
    "actors",
    "sentence",
    "sentence_start",
    "n_mentions",
    "n_documents",
]


@dataclass
class Entries:
    """The entries drawn in the page (columnar, ready for JSON) and what they stand for."""

    columns: dict[str, list] = field(default_factory=dict)  # name -> one value per drawn entry
    sources: list[str] = field(default_factory=list)  # `src` column values index into this
    total: int = 0  # entries with a known date range
    undated: int = 0  # entries whose range is unknown (no year)
    undated_examples: list[dict] = field(default_factory=list)
    sampled: bool = False
    table: str = "events"  # where the entries come from: "timeline" or "events"

    @property
    def drawn(self) -> int:
        """Number of marks in the page."""
        return len(self.columns.get("id", []))


def collect(output: Output, max_marks: int = MAX_MARKS) -> Entries:
    """Read the entries of an output and choose the ones to draw (see the module docstring).
    A `timeline` table is read batch by batch (`collect_timeline`: memory bounded by the
    sample, not by the table); an output without one (written before the timeline) is read
    whole from its `events` table."""
    if output.dataset("timeline") is not None:
        return collect_timeline(output, max_marks)
    table = "events"
    data = output.cached(table)
    if "date_role" in data.column_names and table == "events":
        data = data.filter(pc.field("date_role") == "event")
    if data.num_rows == 0 or "event_id" not in data.column_names:
        return Entries(table=table)
    # Deterministic representatives: rows in (event_id, source, doc_id, offset) order, and the
    # first row of each event_id stands for it (all rows of an event share its date range).
    order = [(c, "ascending") for c in ("event_id", "source", "doc_id", "char_start")]
    data = data.sort_by([o for o in order if o[0] in data.column_names])
    data = data.append_column("_row", pa.array(range(data.num_rows), pa.int64()))
    aggregates = [("_row", "min"), ("_row", "count")]
    if "doc_id" in data.column_names:
        aggregates.append(("doc_id", "count_distinct"))
    groups = data.group_by("event_id", use_threads=False).aggregate(aggregates)
    first = groups["_row_min"]
    starts = data["date_start"].take(first)
    is_dated = pc.is_valid(starts)
    dated = groups.filter(is_dated).sort_by("event_id")
    undated = groups.filter(pc.invert(is_dated)).sort_by("event_id")
    years = pc.year(data["date_start"].take(dated["_row_min"])).to_pylist()
    chosen = choose(dated["event_id"].to_pylist(), years, max_marks)
    listed = undated["_row_min"].to_pylist()[:UNDATED_LISTED]
    picked = [dated["_row_min"][i].as_py() for i in chosen]
    counts = {"n_mentions": "_row_count", "n_documents": "doc_id_count_distinct"}
    rows = _with_details(output, table, data.take(picked + listed).to_pylist())
    if table == "timeline":
        _add_mention_dates(output, rows)
    for name, column in counts.items():
        if column in groups.column_names:
            values = dated[column].to_pylist()
            for row, i in zip(rows, chosen, strict=False):
                if row.get(name) is None:
                    row[name] = values[i]
    result = Entries(
        total=dated.num_rows,
        undated=undated.num_rows,
        sampled=len(chosen) < dated.num_rows,
        table=table,
        undated_examples=[_undated(r) for r in rows[len(chosen) :]],
    )
    result.columns, result.sources = _columnar(rows[: len(chosen)])
    return result


def collect_timeline(output: Output, max_marks: int = MAX_MARKS) -> Entries:
    """`collect` for an output with a `timeline` table (one row per event_id, the table's
    contract), in one pass over its KEY_COLUMNS batch by batch. Holds only the candidates: the
    `max_marks` smallest dated event_ids, the MIN_PER_YEAR smallest of each year and the
    UNDATED_LISTED smallest undated ones, so its memory does not grow with the table. Chooses
    the same entries as `choose` on the whole sorted table (the smallest ids, topped up per
    year: a year's entries are its smallest max(k, MIN_PER_YEAR) ids, k of them among the
    overall smallest)."""
    table = "timeline"
    present = [c for c in KEY_COLUMNS if c in output.columns(table)]
    if "event_id" not in present or "date_start" not in present:
        return Entries(table=table)
    smallest = sample.Smallest(max_marks)
    per_year = sample.SmallestPerGroup(MIN_PER_YEAR)
    undated_ids = sample.Smallest(UNDATED_LISTED)
    n_dated = n_undated = 0
    for batch in output.batches(table, present, sample.BATCH_ROWS):
        batch = batch.filter(pc.is_valid(batch.column("event_id")))
        is_dated = pc.is_valid(batch.column("date_start"))
        dated, undated = batch.filter(is_dated), batch.filter(pc.invert(is_dated))
        n_dated += dated.num_rows
        n_undated += undated.num_rows
        ids = undated.column("event_id")
        below = sample.below(ids, undated_ids.cutoff())
        for row in undated.filter(sample.smallest_in_batch(ids, below, UNDATED_LISTED)).to_pylist():
            undated_ids.offer(row["event_id"], row)
        ids, years = dated.column("event_id"), pc.year(dated.column("date_start"))
        below, below_year = (
            sample.below(ids, smallest.cutoff()),
            sample.below_group_cutoff(ids, years, per_year),
        )
        keep = pc.or_(
            sample.smallest_in_batch(ids, below, max_marks),
            sample.smallest_per_group_in_batch(ids, years, below_year, MIN_PER_YEAR),
        )
        for row in dated.filter(keep).to_pylist():
            smallest.offer(row["event_id"], row)
            per_year.offer(row["date_start"].year, row["event_id"], row)
    if n_dated + n_undated == 0:
        return Entries(table=table)
    chosen = dict(smallest.payloads)
    for held in per_year.groups.values():
        chosen.update(held.payloads)
    picked = sorted(chosen.values(), key=lambda r: (r["date_start"].year, r["event_id"]))
    listed = [undated_ids.payloads[k] for k in undated_ids.keys]
    rows = _with_details(output, table, picked + listed)
    _add_mention_dates(output, rows)
    for row in rows[: len(picked)]:  # one row per entry: it is its only mention and document
        if row.get("n_mentions") is None:
            row["n_mentions"] = 1
        if row.get("n_documents") is None:
            row["n_documents"] = 1 if row.get("doc_id") is not None else 0
    result = Entries(
        total=n_dated,
        undated=n_undated,
        sampled=len(picked) < n_dated,
        table=table,
        undated_examples=[_undated(r) for r in rows[len(picked) :]],
    )
    result.columns, result.sources = _columnar(rows[: len(picked)])
    return result


def _with_details(output: Output, table: str, rows: list[dict]) -> list[dict]:
    """The rows (key columns) with their DETAIL_COLUMNS, read with a filter on their ids."""
    if not rows:
        return rows
    wanted = sorted({r["event_id"] for r in rows})
    found: dict[tuple, dict] = {}
    for detail in output.read_in(table, DETAIL_COLUMNS, "event_id", wanted).to_pylist():
        found.setdefault(_row_key(table, detail), detail)
    return [{**found.get(_row_key(table, row), {}), **row} for row in rows]


def _row_key(table: str, row: dict) -> tuple:
    # A timeline row is its event_id; an events row is (event_id, doc_id, date offset).
    if table == "timeline":
        return (row["event_id"],)
    return (row["event_id"], row.get("doc_id"), row.get("char_start"))


def _add_mention_dates(output: Output, rows: list[dict]) -> None:
    """Timeline rows name their representative sentence, not its date expression: take
    char_start, char_end, date_text and the mod from that sentence's row in `events`."""
    need = ["event_id", "doc_id", "sentence_start", "char_start", "char_end"]
    if not rows or not set(need) <= output.columns("events"):
        return
    wanted = [r["event_id"] for r in rows]
    mentions: dict[tuple, dict] = {}
    columns = [*need, "date_text", "timex_mod", "mod"]
    for m in output.read_in("events", columns, "event_id", wanted).to_pylist():
        key = (m["event_id"], m["doc_id"], m["sentence_start"])
        if key not in mentions or m["char_start"] < mentions[key]["char_start"]:
            mentions[key] = m
    for row in rows:
        m = mentions.get((row["event_id"], row.get("doc_id"), row.get("sentence_start")))
        for name in ("char_start", "char_end", "date_text", "timex_mod", "mod"):
            if m is not None and row.get(name) is None and m.get(name) is not None:
                row[name] = m[name]


def choose(ids: list[str], years: list[int], limit: int) -> list[int]:
    """Positions of up to about `limit` entries: all when they fit, else the smallest ids plus,
    for each year with fewer than MIN_PER_YEAR of them, its next smallest ids.

    ids: sorted event_ids (hashes); years: the year of each one's date_start. Returns positions
    into ids, sorted by (year, id)."""
    if len(ids) <= limit:
        keep = list(range(len(ids)))
    else:
        keep = list(range(limit))
        per_year: dict[int, int] = defaultdict(int)
        for i in keep:
            per_year[years[i]] += 1
        for i in range(limit, len(ids)):
            if per_year[years[i]] < MIN_PER_YEAR:
                per_year[years[i]] += 1
                keep.append(i)
    return sorted(keep, key=lambda i: (years[i], ids[i]))


def _columnar(rows: list[dict]) -> tuple[dict[str, list], list[str]]:
    """Rows -> short-named columns for the page; sources are stored once, by index."""
    sources: dict[str, int] = {}
    cols: dict[str, list] = defaultdict(list)
    for row in rows:
        source = row.get("source") or ""
        cols["id"].append(row["event_id"])
        cols["s"].append(_iso(row.get("date_start")))
        cols["e"].append(_iso(row.get("date_end") or row.get("date_start")))
        cols["g"].append(row.get("granularity") or "")
        cols["v"].append(row.get("timex_value") or "")
        cols["mod"].append(row.get("timex_mod") or row.get("mod") or "")
        cols["src"].append(sources.setdefault(source, len(sources)))
        cols["doc"].append(row.get("doc_id") or "")
        cols["m"].append(row.get("n_mentions") or 1)
        cols["nd"].append(row.get("n_documents") or 1)
        cols["tr"].append(row.get("trigger") or "")
        cols["c"].append(row.get("event_class") or "")
        cols["a"].append(actor_labels(row.get("actors")))
        sentence, hl = sentence_and_highlight(row)
        cols["sn"].append(sentence)
        cols["hl"].append(hl)
    return dict(cols), list(sources)


def actor_labels(actors) -> list[str]:
    """Actors as short labels: 'Abu Bakr al-Baghdadi (person)'. Accepts the events table's
    list<struct<text, type, ...>>, a list of strings, or None."""
    labels = []
    for actor in actors or []:
        if isinstance(actor, dict):
            text = actor.get("text") or ""
            kind = actor.get("type")
            labels.append(f"{text} ({kind})" if kind else text)
        elif actor:
            labels.append(str(actor))
    return labels


def sentence_and_highlight(row: dict) -> tuple[str, list[int]]:
    """The entry's sentence (cut to MAX_SENTENCE) and the [start, end) of its date expression
    inside it (code points), or [] when it cannot be placed."""
    sentence = row.get("sentence") or ""
    hl: list[int] = []
    s0, c0, c1 = row.get("sentence_start"), row.get("char_start"), row.get("char_end")
    if None not in (s0, c0, c1) and 0 <= c0 - s0 <= c1 - s0 <= len(sentence):
        hl = [c0 - s0, c1 - s0]
    if len(sentence) > MAX_SENTENCE:
        start = 0
        if hl and hl[1] > MAX_SENTENCE - 20:  # keep the date in view
            start = max(0, hl[0] - MAX_SENTENCE // 2)
        cut = sentence[start : start + MAX_SENTENCE]
        prefix = "… " if start else ""
        hl = [hl[0] - start + len(prefix), hl[1] - start + len(prefix)] if hl else []
        sentence = prefix + cut + " …"
        if hl and hl[1] > len(sentence):
            hl = []
    return sentence, hl


def _undated(row: dict) -> dict:
    sentence, _ = sentence_and_highlight(row)
    return {
        "value": row.get("timex_value") or "",
        "date_text": row.get("date_text") or "",
        "sentence": sentence,
        "source": row.get("source") or "",
        "doc_id": row.get("doc_id") or "",
    }


def _iso(day) -> str:
    return day.isoformat() if isinstance(day, dt.date) else ""
