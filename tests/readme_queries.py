"""The DuckDB questions of README.md, run on the seeds' output: their printed results are real.

README's section between `<!-- queries:start -->` and `<!-- queries:end -->` holds pairs of
fenced blocks: a ```sql query on `output/` (what `make run` writes), then a ```text block with
its result on the seeds. `tests/test_readme.py` runs every query on a fresh run of the job on
seeds/ and fails when a printed result differs; after a deliberate change of the output,
rewrite the results with

    make run && .venv/bin/python -m tests.readme_queries output

Shapes: a result is printed as fixed-width text, one header line and one line per row, columns
separated by two spaces; NULL for a missing value, lists as `[a, b]`, strings longer than
`MAX_CELL` characters cut with `…`. Sources are printed by file name only (`parse_filename`),
so no local path appears in the README.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
START, END = "<!-- queries:start -->", "<!-- queries:end -->"
PAIR = re.compile(r"```sql\n(?P<sql>.*?)```\s*```text\n(?P<result>.*?)```", re.S)
MAX_CELL = 60


def section_bounds(text: str) -> tuple[int, int]:
    """(start, end) character offsets of the queries section of README text; ValueError when
    the markers are missing."""
    start = text.index(START) + len(START)
    return start, text.index(END, start)


def pairs(text: str) -> list[re.Match]:
    """The (sql, result) block pairs of the queries section, in order."""
    start, end = section_bounds(text)
    return list(PAIR.finditer(text, start, end))


def cell(value) -> str:
    """One printed value: NULL, a list as [a, b], a long string cut to MAX_CELL characters."""
    if value is None:
        text = "NULL"
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(cell(v) for v in value) + "]"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def render(columns: list[str], rows: list[tuple]) -> str:
    """Fixed-width text of a result: a header line, one line per row ("(no rows)" when empty)."""
    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    if not rows:
        lines.append("(no rows)")
    return "\n".join(lines) + "\n"


def run_query(sql: str, output: Path) -> str:
    """Run one README query with `output/` pointing at `output`; its printed result."""
    import duckdb

    relation = duckdb.connect().sql(sql.replace("'output/", f"'{output}/"))
    return render(list(relation.columns), relation.fetchall())


def results(text: str, output: Path) -> list[tuple[str, str, str]]:
    """(sql, printed result in the README, result of running it on `output`) per pair."""
    return [(m["sql"], m["result"], run_query(m["sql"], output)) for m in pairs(text)]


def rewrite(text: str, output: Path) -> str:
    """README text with every result block replaced by the query's result on `output`."""
    out, last = [], 0
    for m in pairs(text):
        out += [text[last : m.start("result")], run_query(m["sql"], output)]
        last = m.end("result")
    return "".join(out) + text[last:]


def main(argv: list[str]) -> int:
    """`python -m tests.readme_queries OUTPUT`: rewrite README's result blocks from OUTPUT (the
    folder `make run` wrote on the seeds)."""
    output = Path(argv[0] if argv else "output").resolve()
    text = README.read_text(encoding="utf-8")
    README.write_text(rewrite(text, output), encoding="utf-8")
    print(f"{len(pairs(text))} results rewritten from {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
