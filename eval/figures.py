"""Every measured figure of the docs, written from its one source: ``python -m eval.figures``.

Sources: ``bench/results.json`` (written by ``make bench`` / ``make bench-scale``) and
``eval/results.json`` (written by ``make eval-dates`` / ``make eval-body`` / ``make eval-events``
through eval/record.py, plus a few measurements made once by hand under ``"hand"``, each with
the command that printed it and its date). Each figure section of a doc lies between
``<!-- figures:NAME -->`` and ``<!-- /figures:NAME -->`` and is replaced whole; the text
outside the markers is the doc's own. ``--check`` rewrites nothing and exits 1 when a section
differs from what the sources give (``tests/test_figures.py`` runs it), so a figure in the docs
never drifts from its source and no figure has a second, hand-kept copy.

Shapes: ``sections(bench, evals) -> {NAME: markdown}``; ``apply(text, sections) -> text``
(ValueError on a marker without its end).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from eval.figures_text import accuracy, cost, hand, speed

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench" / "results.json"
EVALS = REPO / "eval" / "results.json"
DOCS = REPO / "docs"
MARKER = re.compile(
    r"<!-- figures:(?P<name>[a-z_]+) -->\n(?P<body>.*?)<!-- /figures:(?P=name) -->", re.S
)


def load(path: Path) -> dict:
    """A results file as a dict; FileNotFoundError names it."""
    return json.loads(path.read_text(encoding="utf-8"))


def sections(bench: dict, evals: dict) -> dict[str, str]:
    """Markdown of every figure section, by name."""
    out = {
        "accuracy": accuracy(evals),
        "speed": speed(bench),
        "cost": cost(bench, evals["hand"]),
    }
    out |= {f"hand_{name}": hand(name, entry) for name, entry in evals["hand"].items()}
    return out


def apply(text: str, given: dict[str, str]) -> tuple[str, list[str]]:
    """text with each known section replaced; (new text, names of the sections in it)."""
    opened = re.findall(r"<!-- figures:([a-z_]+) -->", text)
    closed = re.findall(r"<!-- /figures:([a-z_]+) -->", text)
    if opened != closed:
        raise ValueError(f"figure markers do not pair up: {opened} vs {closed}")
    unknown = [name for name in opened if name not in given]
    if unknown:
        raise ValueError(f"no source for figure sections {unknown}")

    def body(m: re.Match) -> str:
        name = m["name"]
        return f"<!-- figures:{name} -->\n{given[name].rstrip()}\n<!-- /figures:{name} -->"

    return MARKER.sub(body, text), opened


def docs_with_figures(root: Path = DOCS) -> list[Path]:
    """The docs (docs/*.md and README.md) that hold at least one figure section."""
    paths = [*sorted(root.glob("*.md")), root.parent / "README.md"]
    return [p for p in paths if "<!-- figures:" in p.read_text(encoding="utf-8")]


def run(check: bool, bench_path: Path = BENCH, evals_path: Path = EVALS, root: Path = DOCS) -> int:
    """Rewrite (or, with check, compare) every figure section; 0 when the docs are up to date
    (or were rewritten), 1 when check finds a difference (named on stderr)."""
    given = sections(load(bench_path), load(evals_path))
    stale, used = [], set()
    for path in docs_with_figures(root):
        text = path.read_text(encoding="utf-8")
        new, names = apply(text, given)
        used.update(names)
        if new != text:
            stale.append(path.name)
            if not check:
                path.write_text(new, encoding="utf-8")
    missing = sorted(set(given) - used)
    if missing:
        print(f"figure sections in no doc: {missing}", file=sys.stderr)
        return 1
    if stale and check:
        print(f"figures differ from their sources in {stale}: run `make figures`", file=sys.stderr)
        return 1
    print(("rewrote " + ", ".join(stale)) if stale else "figures are up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.figures", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a change")
    args = parser.parse_args(argv)
    return run(args.check)


if __name__ == "__main__":
    sys.exit(main())
