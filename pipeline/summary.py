"""The end-of-run summary `newsline` prints on stdout: a short table of what the run read, wrote,
removed and rejected, a DuckDB command per error reason, the time per stage, and the check
inputs = documents + errors.

Its figures are the published summary (the version's `_SUCCESS`, transforms/output/beam.py
`run_counts` and transforms/output/figures.py), the Beam counters of the run (`metrics`: dates
rejected, expressions not made events, ...), and, measured by the driver after the run, the
time per stage (`stage_seconds`, from the runner's execution-time metrics) and the wall time.
"""

from __future__ import annotations

import shlex

# The composites of pipeline/build.py in their order; other transforms count as "other".
STAGES = (
    "ReadDocuments",
    "ReadForLineCounts",
    "LineCounts",
    "SplitBoilerplate",
    "TagDates",
    "ExtractEvents",
    "CrossDocumentEvents",
    "WriteTables",
    "Publish",
)
EXECUTION_TIME_URN = "beam:metric:ptransform_execution_time:total_msecs:v1"

REASON_GROUPS = (
    ("dates_rejected_", "date candidates rejected by reason: "),
    ("events_skipped_", "expressions not made events, by reason: "),
    ("decode_note_", "documents read with a note (kept), by reason: "),
)
WIDTH = 20  # the label column


def stage_seconds(result) -> dict[str, float]:
    """Seconds spent in each composite of the job (STAGES, then "other"), from the runner's
    execution-time metrics (sampled by Beam's state sampler, summed over workers; the local
    runner reports them); {} when the runner reports none."""
    from apache_beam.metrics import monitoring_infos

    try:
        infos = list(result.monitoring_infos())
    except Exception:  # noqa: BLE001 - runners without monitoring infos: no times
        return {}
    msecs: dict[str, int] = {}
    for info in infos:
        if info.urn != EXECUTION_TIME_URN:
            continue
        top = info.labels.get("PTRANSFORM", "").split("/")[0]
        name = top if top in STAGES else "other"
        msecs[name] = msecs.get(name, 0) + monitoring_infos.extract_counter_value(info)
    order = [*STAGES, "other"]
    return {n: round(msecs[n] / 1000, 1) for n in order if msecs.get(n)}


def errors_hint(output: str, key: str) -> str:
    """A ready command that lists the error rows of one `stage:reason` of an output
    (`newsline errors`, pipeline/commands.py: needs no DuckDB CLI)."""
    return f"newsline errors {shlex.quote(output)} {shlex.quote(key)}"


def row(label: str, value, note: str = "") -> str:
    """One line of the table: the label, the value, an optional note."""
    text = f"{label + ':':<{WIDTH}}{value}"
    return f"{text}   {note}" if note else text


def by_count(counts: dict[str, int]) -> str:
    """``a 3, b 1`` (largest first), or ``none``."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{k} {n}" for k, n in items) or "none"


def format_summary(summary: dict, output: str = "OUTPUT") -> str:
    """The printed summary of a run (see the module docstring) for the published `summary`
    (plus the driver's `metrics`, `stage_seconds`, `seconds`); `output`: the --output given,
    for the DuckDB commands."""
    errors = summary.get("input_errors", summary["errors"])
    ok = summary["inputs"] == summary["documents"] + errors
    patterns = summary.get("patterns") or []
    unmatched = summary.get("patterns_unmatched") or []
    lines = []
    if patterns:
        lines.append(row("patterns given", len(patterns), ", ".join(map(repr, patterns))))
        lines.append(row("matched nothing", len(unmatched), ", ".join(map(repr, unmatched)) or ""))
    lines += [
        row("inputs read", summary["inputs"], "files, archive members and JSON Lines records"),
        row("documents written", summary["documents"]),
        row("errors", summary["errors"], _error_note(summary)),
    ]
    for key, n in summary.get("errors_by_reason", {}).items():
        lines.append(f"  {key}: {n}")
        lines.append(f"    see: {errors_hint(output, key)}")
    removed = summary.get("lines_removed")
    if removed is not None:
        lines.append(row("lines removed", sum(removed.values()), by_count(removed)))
    dates = summary.get("dates")
    if dates is not None:
        lines.append(
            row(
                "date expressions",
                dates.get("found", 0),
                f"found; {dates.get('resolved', 0)} resolved, {dates.get('without_year', 0)} "
                f"without a year, {dates.get('other', 0)} durations/sets/other",
            )
        )
    lines += [
        row("events written", summary["events"]),
        row("timeline rows", summary.get("timeline", 0), "(events across documents)"),
    ]
    flagged = summary.get("documents_flagged")
    if flagged is not None:
        lines.append(row("documents flagged", sum(flagged.values()), by_count(flagged)))
    lines += _metric_groups(summary.get("metrics") or {})
    lines += _times(summary)
    if summary.get("mode") == "incremental":
        totals = summary.get("totals", {})
        lines.append(
            f"incremental: {summary.get('skipped_unchanged', 0)} unchanged files skipped, "
            f"{summary.get('replaced_inputs', 0)} changed files replaced; the tables now hold "
            + ", ".join(f"{n} {t}" for t, n in totals.items())
        )
    lines.append(
        f"check: read {summary['inputs']} = documents {summary['documents']} + errors "
        f"{errors} -> {'OK' if ok else 'FAILED'}"
    )
    if summary.get("report"):
        lines.append(f"report: {output.rstrip('/')}/{summary['report']}")
    return "\n".join(lines)


def _error_note(summary: dict) -> str:
    patterns = summary.get("pattern_errors", 0)
    if not patterns:
        return ""
    return f"{summary['errors'] - patterns} of inputs, {patterns} of patterns (not inputs)"


def _metric_groups(metrics: dict[str, int]) -> list[str]:
    lines = []
    for prefix, title in REASON_GROUPS:
        group = {k[len(prefix) :]: n for k, n in metrics.items() if k.startswith(prefix)}
        if group:
            lines.append(title + ", ".join(f"{k}={n}" for k, n in group.items()))
    return lines


def _times(summary: dict) -> list[str]:
    stages = summary.get("stage_seconds") or {}
    if not stages and summary.get("seconds") is None:
        return []
    note = ", ".join(f"{name} {s:.1f}" for name, s in stages.items())
    wall = summary.get("seconds")
    value = f"{wall:.1f} s" if wall is not None else "-"
    return [row("time", value, f"per stage (s): {note}" if note else "")]
