"""`newsline report`: one self-contained HTML page per output version.

write_report(folder) reads the tables of one output version folder and writes
`folder/report.html` (through a temporary name and an atomic rename, so a reader never sees half
a page). The page holds everything it shows: CSS and JS inline (our own, under static/ here),
the data as one JSON block, charts as SVG. A Content-Security-Policy blocks every request the
page could make and lets only its own script run (by hash), so text from the archive can never
run as code even if escaping failed; Jinja2's autoescape escapes it.

What it shows at scale: see entries.py (timeline: every entry up to MAX_MARKS, then a sample)
and summary.py (counts over every row). Documents: those named with `doc_ids`, then a sample.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import tempfile
from importlib import resources

import jinja2
from markupsafe import Markup

from transforms.output.heap import HeapReleaser
from transforms.output.report import docview, entries, summary
from transforms.output.report.tables import (
    Output,
    OutputError,
    documents_by_id,
    smallest_doc_ids,
)

REPORT_NAME = "report.html"
# Documents shown in the document view besides those asked for: enough to judge the splitter
# and the tagger on a few pages, while the page stays well under a megabyte of text.
SAMPLE_DOCS = 12


def _asset(name: str) -> str:
    text = resources.files("transforms.output.report").joinpath("static", name).read_text("utf-8")
    closing = "</script" if name.endswith(".js") else "</style"
    if closing in text.lower():  # would end the inline element early
        raise ValueError(f"{name} contains {closing!r}")
    return text


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("transforms.output.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def month_chart(months: list[tuple[str, int]], width: int = 640, height: int = 150) -> dict:
    """Geometry of the per-month bar chart (SVG user units): bars, about 8 year/month labels,
    and the peak month. months: ("YYYY-MM", n) in calendar order, zero months included."""
    if not months:
        return {"bars": [], "labels": [], "width": width, "height": height}
    top = max(n for _, n in months) or 1
    plot_h = height - 16
    step = width / len(months)
    bars = [
        {
            "x": round(i * step, 2),
            "w": round(max(step * 0.85, 0.5), 2),
            "h": round(plot_h * n / top, 2),
            "y": round(plot_h - plot_h * n / top, 2),
            "n": n,
            "label": label,
        }
        for i, (label, n) in enumerate(months)
    ]
    if len(months) <= 24:
        every = max(1, len(months) // 8)
        marks = [(i, label) for i, (label, _) in enumerate(months) if i % every == 0]
    else:  # year labels at each January (or the first month), at most about 10 of them
        years = [(i, label[:4]) for i, (label, _) in enumerate(months) if label.endswith("-01")]
        years = years or [(0, months[0][0][:4])]
        marks = years[:: max(1, len(years) // 10)]
    labels = [{"x": round(i * step, 2), "text": text} for i, text in marks]
    peak_label, peak = max(months, key=lambda m: m[1])
    return {
        "bars": bars,
        "labels": labels,
        "width": width,
        "height": height,
        "peak": peak,
        "peak_label": peak_label,
    }


def choose_documents(output: Output, doc_ids: list[str], sample: int) -> tuple[list[str], list]:
    """The doc_ids of the document view: doc_ids (each must exist), then up to `sample` more.

    Raises OutputError naming any doc_id that is not in the output."""
    chosen = list(dict.fromkeys(doc_ids))
    # the sample: the smallest doc_ids that are not asked for (at most len(chosen) of the
    # len(chosen) + sample smallest are)
    smallest, present = smallest_doc_ids(output, len(chosen) + sample, chosen)
    missing = [d for d in doc_ids if d not in present]
    if missing:
        raise OutputError("no document with doc_id " + ", ".join(missing))
    extra = [d for d in smallest if d not in set(chosen)][:sample]
    return chosen, chosen + extra


def document_views(output: Output, ids: list[str]) -> list[docview.DocView]:
    """The document view of each doc_id, with its events (for triggers), in the order given."""
    if not ids:
        return []
    rows = documents_by_id(output, ids, docview.DOC_COLUMNS)
    columns = ["doc_id", "char_start", "char_end", "trigger_start", "trigger_end", "event_class"]
    events = output.read_in("events", columns, "doc_id", ids, probe=True)
    if "doc_id" not in events.column_names:
        return [docview.build(row) for row in rows]
    by_doc: dict[str, list[dict]] = {}
    for event in events.to_pylist():
        by_doc.setdefault(event["doc_id"], []).append(event)
    return [docview.build(row, by_doc.get(row["doc_id"], [])) for row in rows]


def render(
    output: Output,
    title: str,
    doc_ids: list[str] = (),
    sample_docs: int = SAMPLE_DOCS,
    max_marks: int = entries.MAX_MARKS,
    run: dict | None = None,
) -> str:
    """The report page for one output version, as a string (`run`: see write_report)."""
    heap = HeapReleaser()  # each pass's freed pages go back before the next pass reads
    counts = summary.summarise(output)
    heap.release()
    if run is not None:
        counts.run = run
    marks = entries.collect(output, max_marks)
    heap.release()
    chosen, shown = choose_documents(output, list(doc_ids), sample_docs)
    views = document_views(output, shown)
    js = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode()
    data = {
        "entries": marks.columns,
        "sources": marks.sources,
        "docs": [v.doc_id for v in views],
    }
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            made=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            run={"run_id": counts.run.get("run_id") or "", "inputs": counts.run.get("inputs")},
            summary=counts,
            entries=marks,
            min_per_year=entries.MIN_PER_YEAR,
            decades=sorted({y - y % 10 for y in counts.years}),
            month_chart=month_chart(counts.months),
            source_max=max([n for _, n in counts.sources] or [1]),
            docs=views,
            chosen=chosen,
            data=data,
            css=Markup(_asset("report.css")),
            js=Markup(js),
            script_hash=f"sha256-{digest}",
        )
    )


def write_report(
    folder: str,
    doc_ids: list[str] = (),
    sample_docs: int = SAMPLE_DOCS,
    title: str | None = None,
    max_marks: int = entries.MAX_MARKS,
    run: dict | None = None,
) -> str:
    """Write `folder/report.html` for the output version in `folder`; return its path.

    folder: a version folder holding events/, documents/, errors/ (and timeline/ when the
    output has it), e.g. the staging folder of a run just before its commit. The file is
    written under a temporary name in the same folder and renamed into place (atomic on local
    disk). `run`: the run's summary (run_id, inputs, ...) when the caller has it before
    `_SUCCESS` is written (a commit); by default `_SUCCESS` is read from the folder.
    Raises OutputError for an unknown doc_id or a folder without tables."""
    output = Output(folder)
    if output.dataset("documents") is None:
        raise OutputError(f"{folder!r} holds no documents/ table")
    page = render(output, title or folder, doc_ids, sample_docs, max_marks, run)
    target = os.path.join(folder, REPORT_NAME)
    handle, temp = tempfile.mkstemp(prefix=".report-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(page)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return target
