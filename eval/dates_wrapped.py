"""The hard-wrapped TimeBank variant for ``make eval-dates`` (issue 15).

Every TimeML document is wrapped the way eval/wrap.py wraps the labelled pages (width 60-75
and a 2-5 space paragraph indent drawn per document from the fixed seed; every line longer
than the width wrapped), its gold TIMEX3 offsets mapped through the rewrite, and the job (or,
with ``--direct``, the tagger alone) is scored on it exactly as on the original. A date split
by a line break ("October\\n27, 2019") must still be found: the value F1 of the wrapped
variant should stay within 0.02 of the original's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from eval.timeml import TABLE_HEADER, Counts, GoldTimex, TimeMLDoc, convert, row, score_document
from eval.timeml import total as total_counts
from eval.wrap import wrap_document


def wrap_timeml(doc: TimeMLDoc) -> TimeMLDoc:
    """The document with its text hard-wrapped and its gold offsets mapped to the new text."""
    wrapped = wrap_document(doc.doc_id, doc.text)
    timexes = []
    for t in doc.timexes:
        start, end = wrapped.map_offset(t.start), wrapped.map_offset(t.end)
        timexes.append(GoldTimex(start, end, wrapped.text[start:end], t.timex_type, t.value))
    return replace(doc, text=wrapped.text, timexes=tuple(timexes))


def wrapped_rows(docs: Sequence[TimeMLDoc], out: Path, direct: bool, tagger) -> dict[str, Counts]:
    """Totals ("total all", "total DATE") of the job (or the tagger) on the wrapped variant."""
    from eval.dates import direct_system, pipeline_system, run_pipeline

    wrapped = [wrap_timeml(doc) for doc in docs]
    paths = convert(wrapped, out / "input")
    job_rows = {} if direct else run_pipeline(paths, out)[0]
    per_set: dict[str, list[Counts]] = {"total all": [], "total DATE": []}
    for doc in wrapped:
        if direct:
            system, _ = direct_system(tagger, doc)
        else:
            system, _ = pipeline_system(doc, job_rows.get(doc.doc_id))
        for only, label in ((None, "all"), ("DATE", "DATE")):
            per_set[f"total {label}"].append(
                score_document(list(doc.shifted_timexes()), system, only)[0]
            )
    return {name: total_counts(counts) for name, counts in per_set.items()}


def wrapped_report(original: dict[str, Counts], wrapped: dict[str, Counts]) -> list[str]:
    """The second table of the report: original and wrapped totals side by side."""
    lines = ["", "## Hard-wrapped variant (eval/wrap.py: width 60-75, indent 2-5, fixed seed)", ""]
    lines.append(TABLE_HEADER)
    for label in ("all", "DATE"):
        lines.append(row(f"original {label}", original[f"total {label}"]))
        lines.append(row(f"wrapped {label}", wrapped[f"total {label}"]))
    f_orig = original["total all"].prf(original["total all"].value)[2]
    f_wrap = wrapped["total all"].prf(wrapped["total all"].value)[2]
    lines += ["", f"- value F1 wrapped - original: {f_wrap - f_orig:+.3f} (target: within 0.02)"]
    return lines
