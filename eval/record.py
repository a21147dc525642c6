"""Run one evaluation command and record its headline figures in eval/results.json.

``python -m eval.record dates|body|events`` (what ``make eval-dates``, ``make eval-body`` and
``make eval-events`` run) runs ``python -m eval.<name>`` unchanged: its report is printed as
before. It then reads the headline figures from that printed report and writes them, with the
command and the UTC time, into ``eval/results.json`` (one entry per evaluation, replaced by the
next run of that command). ``python -m eval.figures`` renders the docs' figure sections from
that file and ``bench/results.json``; ``tests/test_figures.py`` fails when the docs differ.

The figures are taken from the report text by ``PATTERNS`` (one regular expression per figure,
on the line the report prints it): a report that no longer prints a figure fails the recording
with its name, so a changed report cannot silently leave an old figure in the docs. Nothing is
recorded when the evaluation fails (non-zero exit) or runs in a mode the docs do not quote.

Shapes: eval/results.json is ``{name: {"command": str, "measured_at": "YYYY-MM-DDTHH:MM:SSZ",
"figures": {figure: float | int}}}``; F1, precision, recall and accuracies are fractions as
printed (three decimals), shares of characters and dates are percentages as printed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "eval" / "results.json"
NUM = r"([0-9][0-9,]*(?:\.[0-9]+)?)"


class MissingFigure(Exception):
    """A figure the docs quote was not found in the evaluation's printed report."""


def table_row(text: str, name: str) -> list[str]:
    """The cells after the first of the Markdown table row `| name | ... |` (first match)."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == name:
            return cells[1:]
    raise MissingFigure(f"table row {name!r}")


def number(cell: str) -> float | int:
    """'0.822' -> 0.822, '1,505' -> 1505, '39.8%' -> 39.8."""
    cell = cell.strip().rstrip("%").replace(",", "")
    return int(cell) if re.fullmatch(r"-?\d+", cell) else float(cell)


def search(text: str, pattern: str, name: str) -> tuple[float | int, ...]:
    """The numbers captured by pattern (first match) in text; MissingFigure names the figure."""
    m = re.search(pattern, text)
    if m is None:
        raise MissingFigure(name)
    return tuple(number(g) for g in m.groups())


# The dates report's TempEval-3 table: gold, system, strict P R F1, relaxed P R F1, value P R F1.
_TEMPEVAL = {"gold": 0, "strict_f1": 4, "relaxed_f1": 7, "value_f1": 10}


def dates_figures(text: str) -> dict:
    """Headline figures of `python -m eval.dates` (pipeline mode) from its printed report."""
    if "Mode: pipeline output" not in text:
        raise MissingFigure("pipeline mode (a --direct run is not recorded)")
    (n_docs,) = search(text, r"; (\d+) documents\.", "documents")
    figures: dict = {"documents": n_docs}
    for label, row in (("all", "total all"), ("date", "total DATE")):
        cells = table_row(text, row)
        for key, i in _TEMPEVAL.items():
            figures[f"{key}_{label}"] = number(cells[i])
        wrapped = table_row(text, f"wrapped {row.split()[1]}")
        figures[f"wrapped_value_f1_{label}"] = number(wrapped[_TEMPEVAL["value_f1"]])
    return figures


def body_figures(text: str) -> dict:
    """Headline figures of `python -m eval.body` (pipeline mode) from its printed report."""
    if "pipeline (documents table), corpus line counts false" not in text:
        raise MissingFigure("pipeline mode without corpus line counts")
    figures: dict = {}
    # | pages | line P | line R | line F1 | char P | char R | char F1 | exact | page F1 |
    for label, row in (("all", "all"), ("news", "news"), ("wrapped", "wrapped all")):
        cells = _row_starting(text, f"{row} (")
        figures[f"pages_{label}"] = number(cells[0].split("(")[1].rstrip(")"))
        figures[f"line_f1_{label}"] = number(cells[3])
        figures[f"char_recall_{label}"] = number(cells[5])
        figures[f"char_f1_{label}"] = number(cells[6])
        figures[f"exact_{label}"] = number(cells[7])
    held_out = _row_starting(text, "held-out folds (")
    figures["cv_line_f1"], figures["cv_char_f1"] = number(held_out[3]), number(held_out[6])
    (figures["cv_sites"],) = search(text, r"folds grouped by site: (\d+) sites", "cv sites")
    figures["titles_agree"], figures["titles_with_slug"] = search(
        text, r"URL slug \(half of its words\): (\d+)/(\d+)", "title agreement"
    )
    figures["seed_checks_pass"], figures["seed_checks"] = search(
        text, r"seed body checks: (\d+)/(\d+) pass", "seed checks"
    )
    wire = r"news wire \(TimeBank \+ AQUAINT, \d+ docs\): kept {n}% of the characters, {n}%"
    wire = wire.format(n=NUM)
    figures["wire_chars_kept"], figures["wire_dates_kept"] = search(text, "(?m)^" + wire, "wire")
    figures["wrapped_wire_chars_kept"], figures["wrapped_wire_dates_kept"] = search(
        text, "hard-wrapped " + wire, "wrapped wire"
    )
    return figures


def _row_starting(text: str, prefix: str) -> list[str]:
    """Cells of the first Markdown table row whose first cell starts with prefix."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith(prefix):
            return cells
    raise MissingFigure(f"table row {prefix!r}")


def events_figures(text: str) -> dict:
    """Headline figures of `python -m eval.events` from its printed report."""
    figures: dict = {}
    (figures["anchoring_documents"],) = search(
        text, r"Anchoring \(TimeBank \+ AQUAINT, (\d+) doc", "n"
    )
    (figures["anchoring_items"],) = search(text, r"denominator: (\d+) DATE TIMEX3", "denominator")
    pairs = {
        "trigger_baseline": r"nearest-verb baseline:\s+" + NUM,
        "trigger_in_sample": r"shipped weights:\s+" + NUM,
        "trigger_cv": r"5-fold CV:\s+" + NUM,
        "trigger_ceiling": r"ceiling \(a right candidate exists\):\s+" + NUM,
    }
    for key, pattern in pairs.items():
        (figures[key],) = search(text, pattern, key)
    figures["tense_n"], figures["tense_accuracy"] = search(
        text, r"tense of the anchored EVENT: n=(\d+)\naccuracy: " + NUM, "tense"
    )
    figures["role_labels"], figures["role_accuracy"] = search(
        text, r"date_role vs (\d+) hand labels.*\n(?:.*\n)?accuracy: " + NUM, "date_role"
    )
    figures["role_other_precision"], figures["role_other_recall"] = search(
        text, r"`other` precision " + NUM + ", recall " + NUM, "date_role other"
    )
    (figures["role_baseline"],) = search(text, r"majority baseline \(all `event`\): " + NUM, "b")
    figures["role_heldout_labels"], figures["role_heldout_accuracy"] = search(
        text, r"date_role vs (\d+) held-out hand labels.*\n(?:.*\n)?accuracy: " + NUM, "held-out"
    )
    (figures["role_heldout_baseline"],) = search(
        text, r"held-out hand labels.*\n(?:.*\n)*?majority baseline \(all `event`\): " + NUM, "hb"
    )
    figures["xdoc_events"], figures["xdoc_mentions"] = search(
        text, r"event_ids that join >= 2 documents: \*\*(\d+)\*\* \(mentions in them: (\d+)", "xdoc"
    )
    sizes = re.search(r"join >= 2 documents: .*by number of documents: ([^)]*)\)", text)
    if sizes is None:
        raise MissingFigure("xdoc sizes")
    figures["xdoc_max_documents"] = max(int(n) for n in re.findall(r"(\d+) docs:", sizes[1]))
    return figures


EVALS: dict[str, tuple[str, str, Callable[[str], dict]]] = {
    "dates": ("make eval-dates", "eval.dates", dates_figures),
    "body": ("make eval-body", "eval.body", body_figures),
    "events": ("make eval-events", "eval.events", events_figures),
}


class _Tee(io.TextIOBase):
    """Writes to the real stdout and keeps a copy."""

    def __init__(self, out):
        self.out, self.copy = out, io.StringIO()

    def write(self, s: str) -> int:
        self.out.write(s)
        return self.copy.write(s)

    def flush(self) -> None:
        self.out.flush()


def run_eval(module: str, argv: list[str]) -> tuple[int, str]:
    """Run `python -m module argv` in this process; (exit code, everything it printed)."""
    import importlib

    main = importlib.import_module(module).main
    tee = _Tee(sys.stdout)
    saved = sys.argv
    sys.argv = [module, *argv]
    try:
        with contextlib.redirect_stdout(tee):
            code = main(argv) if module != "eval.dates" else main()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.argv = saved
    return int(code or 0), tee.copy.getvalue()


def record(name: str, figures: dict, path: Path = RESULTS, now: dt.datetime | None = None) -> dict:
    """Write figures under name into the results file (other entries kept); the new entry."""
    when = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    entry = {"command": EVALS[name][0], "measured_at": when, "figures": figures}
    results[name] = entry
    path.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return entry


def main(argv: list[str] | None = None) -> int:
    """`python -m eval.record NAME [ARGS...]`: run eval NAME with ARGS, record its figures
    (only for a run without ARGS: the docs quote the default run)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in EVALS:
        raise SystemExit(f"usage: python -m eval.record {{{'|'.join(EVALS)}}} [ARGS...]")
    name, rest = argv[0], argv[1:]
    _, module, parse = EVALS[name]
    code, printed = run_eval(module, rest)
    if code != 0 or rest:
        why = f"exit {code}" if code else "arguments given"
        print(f"\nnot recorded in {RESULTS.relative_to(REPO)} ({why})", file=sys.stderr)
        return code
    record(name, parse(printed))
    print(f"\nrecorded in {RESULTS.relative_to(REPO)}; `make figures` updates the docs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
