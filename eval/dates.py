"""Score the date tagger on TimeBank + AQUAINT (TimeML): ``python -m eval.dates``.

1. Converts the 256 TimeML documents into the job's input format (`` date <DCT> `` + text).
2. By default RUNS THE REAL PIPELINE (pipeline.run.run) on them and scores what the job wrote:
   ``documents.timexes`` (every expression the tagger found in the kept body, all types; the
   ``events`` rows are a subset of it, checked).  ``--direct`` scores DateTagger.tag in
   isolation (fast iteration; body = whole text).
3. Scores TempEval-3 style (see eval.timeml): strict / relaxed span F1 and value F1, for all
   types and for DATE only, per corpus and in total.
4. Measures the date stage alone: documents/s of DateTagger.tag over all converted texts
   (in-process, start-up excluded, median of 3 runs), and on the seeds.
5. Scores the hard-wrapped variant the same way (eval/dates_wrapped.py), as a second table.
6. Writes ``<out>/report.md`` and ``<out>/errors.md`` (missed / spurious / wrong value, grouped
   by the shape of the expression so that the next rule to write is obvious).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from eval.dates_anchor import boilerplate_pages, timeml_no_dct, weekday_window_cv
from eval.dates_wrapped import wrapped_report, wrapped_rows
from eval.stated_dates import stated_dates_report
from eval.timeml import (
    TABLE_HEADER,
    Alignment,
    Counts,
    TimeMLDoc,
    Timex,
    convert,
    load_corpus,
    mod_line,
    row,
    score_document,
    total,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_TIMEBANK = REPO.parent / "shared/data/timebank"
FALLBACK_TIMEBANK = Path("/work/shared/data/timebank")
SPEED_RUNS = 3  # median of this many timed passes
SEED_REPEAT = 100  # the seeds are only 3 texts: time this many passes for a stable rate
EXAMPLES_PER_GROUP = 12  # examples listed under each error group in errors.md
_PREFIX_RE = re.compile(r"^ date (\d{4}-\d{2}-\d{2}) ")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval.dates", description=__doc__)
    parser.add_argument("--timebank", type=Path, default=None, help="TimeML corpus folder")
    parser.add_argument("--out", type=Path, default=REPO / "eval/out/dates", help="output folder")
    parser.add_argument(
        "--direct", action="store_true", help="score DateTagger.tag in-process, not the job"
    )
    return parser.parse_args(argv)


def find_timebank(given: Path | None) -> Path:
    for path in (given, DEFAULT_TIMEBANK, FALLBACK_TIMEBANK):
        if path is not None and (path / "TimeBank").is_dir():
            return path
    raise SystemExit(f"no TimeML corpus found (tried {given}, {DEFAULT_TIMEBANK})")


# ---------------------------------------------------------------- system output
def run_pipeline(paths: list[Path], out: Path) -> tuple[dict[str, dict], float, dict]:
    """Run the job on the converted files; documents rows keyed by source path, wall time."""
    from pipeline.run import run

    job_out = out / "job"
    started = time.perf_counter()
    summary = run(["--input", str(out / "input/*/*.txt"), "--output", str(job_out)])
    wall = time.perf_counter() - started
    return read_documents(job_out), wall, summary


def _read_table(folder: Path) -> list[dict]:
    import pyarrow.parquet as pq

    rows: list[dict] = []
    for path in sorted(folder.glob("**/*.parquet")):
        rows.extend(pq.read_table(path, partitioning=None).to_pylist())
    return rows


def read_documents(job_out: Path) -> dict[str, dict]:
    docs = {Path(r["source"]).stem: r for r in _read_table(job_out / "documents")}
    events = _read_table(job_out / "events")
    for doc in docs.values():
        doc["events"] = []
    for event in events:
        docs[Path(event["source"]).stem]["events"].append(event)
    return docs


def pipeline_system(doc: TimeMLDoc, row_: dict | None) -> tuple[list[Timex], list[tuple]]:
    if row_ is None:
        return [], []
    system = [
        Timex(
            t["char_start"],
            t["char_end"],
            t["text"],
            t["timex_type"],
            t["value"],
            t.get("mod") or "",
        )
        for t in row_["timexes"] or []
    ]
    spans = [(s["start"], s["end"]) for s in row_["body_spans"] or []]
    return system, spans


def direct_system(tagger, doc: TimeMLDoc) -> tuple[list[Timex], list[tuple]]:
    text = doc.job_input()
    spans = [(len(doc.prefix), len(text))]
    mentions, _ = tagger.tag(text, dt.date.fromisoformat(doc.dct), spans)
    system = [Timex(m.start, m.end, m.text, m.timex_type, m.value, m.mod or "") for m in mentions]
    return system, spans


# ---------------------------------------------------------------- speed
def docs_per_second(tagger, texts: list[tuple[str, dt.date | None, int]], repeat: int = 1) -> float:
    """Median over SPEED_RUNS of documents tagged per second (start-up excluded)."""
    rates = []
    for _ in range(SPEED_RUNS):
        started = time.perf_counter()
        for _ in range(repeat):
            for text, anchor, prefix_len in texts:
                tagger.tag(text, anchor, [(prefix_len, len(text))])
        rates.append(repeat * len(texts) / (time.perf_counter() - started))
    return statistics.median(rates)


def load_inputs(paths: list[Path]) -> list[tuple[str, dt.date | None, int]]:
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        m = _PREFIX_RE.match(text)
        anchor = dt.date.fromisoformat(m[1]) if m else None
        out.append((text, anchor, m.end() if m else 0))
    return out


# ---------------------------------------------------------------- error report
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_SHAPES = [
    (re.compile(rf"\b(?:{_MONTHS})\b\.?", re.I), "MONTH"),
    (re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I), "WEEKDAY"),
    (re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|a|an|several)\b"), "N"),
    (re.compile(r"\d+"), "9"),
]


def shape(text: str) -> str:
    """A coarse pattern of an expression: 'Oct. 27, 2019' -> 'MONTH 9, 9'."""
    out = text.lower() if not text[:1].isupper() else text[0].lower() + text[1:]
    for regex, label in _SHAPES:
        out = regex.sub(label, out)
    return " ".join(out.split())


def value_shape(value: str) -> str:
    return re.sub(r"\d", "9", value)


def sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return " ".join(text[left:right].split())[:240]


def errors_md(
    results: list[tuple[TimeMLDoc, Alignment, list[tuple]]],
) -> str:
    groups: dict[str, dict[str, list[str]]] = {
        "missed": defaultdict(list),
        "spurious": defaultdict(list),
        "wrong value": defaultdict(list),
        "extent only (strict miss, value right)": defaultdict(list),
    }
    for doc, alignment, spans in results:
        text, n = doc.job_input(), len(doc.prefix)
        for g in alignment.missed:
            in_body = any(s <= g.start and g.end <= e for s, e in spans)
            key = f"{g.timex_type} `{shape(g.text)}`" + ("" if in_body else " (outside body)")
            groups["missed"][key].append(_line(doc, text, g, None, n))
        for s in alignment.spurious:
            key = f"{s.timex_type} `{shape(s.text)}`"
            groups["spurious"][key].append(_line(doc, text, None, s, n))
        for g, s in alignment.pairs:
            if g.value != s.value:
                key = f"`{shape(s.text)}`: {value_shape(g.value)} -> {value_shape(s.value)}"
                groups["wrong value"][key].append(_line(doc, text, g, s, n))
            elif (g.start, g.end) != (s.start, s.end):
                key = f"`{shape(g.text)}` vs `{shape(s.text)}`"
                groups["extent only (strict miss, value right)"][key].append(
                    _line(doc, text, g, s, n)
                )
    out = ["# Date tagger errors on TimeBank + AQUAINT", ""]
    for kind, by_key in groups.items():
        n_total = sum(len(v) for v in by_key.values())
        out += [f"## {kind} ({n_total})", ""]
        for key, lines in sorted(by_key.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            out.append(f"### {key} ({len(lines)})")
            out += lines[:EXAMPLES_PER_GROUP]
            out.append("")
    return "\n".join(out) + "\n"


def _line(doc: TimeMLDoc, text: str, g: Timex | None, s: Timex | None, n: int) -> str:
    anchor = g or s
    assert anchor is not None
    gold = f"gold `{g.text}` {g.timex_type} {g.value}" if g else "gold -"
    pred = f"system `{s.text}` {s.timex_type} {s.value}" if s else "system -"
    return (
        f"- {doc.doc_id} (DCT {doc.dct}): {gold}; {pred} — "
        f"{sentence(text, anchor.start, anchor.end)}"
    )


# ---------------------------------------------------------------- main
def evaluate(argv: Sequence[str] | None = None) -> str:
    args = parse_args(argv)
    corpus_dir = find_timebank(args.timebank)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    docs = load_corpus(corpus_dir)
    paths = convert(docs, out / "input")

    from transforms.temporal.tagger import DateTagger

    tagger = DateTagger()
    wall, summary, job_rows = None, {}, {}
    if not args.direct:
        job_rows, wall, summary = run_pipeline(paths, out)

    per_set: dict[str, list[Counts]] = defaultdict(list)
    results = []
    outside_body = 0
    events_not_in_timexes = 0
    for doc in docs:
        gold = list(doc.shifted_timexes())
        if args.direct:
            system, spans = direct_system(tagger, doc)
        else:
            row_ = job_rows.get(doc.doc_id)
            system, spans = pipeline_system(doc, row_)
            timex_keys = {(t.start, t.end, t.value) for t in system}
            for event in (row_ or {}).get("events", []):
                key = (event["char_start"], event["char_end"], event["timex_value"])
                events_not_in_timexes += key not in timex_keys
        outside_body += sum(
            1 for g in gold if not any(s <= g.start and g.end <= e for s, e in spans)
        )
        for only, label in ((None, "all"), ("DATE", "DATE")):
            counts, alignment = score_document(gold, system, only)
            per_set[f"{doc.corpus} {label}"].append(counts)
            per_set[f"total {label}"].append(counts)
            if only is None:
                results.append((doc, alignment, spans))

    seed_paths = sorted((REPO / "seeds").glob("*.txt"))
    speed_tb = docs_per_second(tagger, load_inputs(paths))
    speed_seeds = docs_per_second(tagger, load_inputs(seed_paths), SEED_REPEAT)

    lines = [
        "# Date tagger on TimeBank + AQUAINT (TempEval-3 style)",
        "",
        f"Mode: {'direct (DateTagger.tag in-process)' if args.direct else 'pipeline output'}; "
        f"corpus {corpus_dir}; {len(docs)} documents.",
        "",
        TABLE_HEADER,
    ]
    for corpus in ("TimeBank", "AQUAINT", "total"):
        for label in ("all", "DATE"):
            lines.append(row(f"{corpus} {label}", total(per_set[f"{corpus} {label}"])))
    lines += [
        "",
        f"- date stage alone (DateTagger.tag, median of {SPEED_RUNS}): "
        f"{speed_tb:,.0f} documents/s on the {len(paths)} TimeML documents, "
        f"{speed_seeds:,.0f} documents/s on the {len(seed_paths)} seeds",
        f"- gold expressions outside the kept body spans: {outside_body}",
        mod_line(pair for _, alignment, _ in results for pair in alignment.pairs),
    ]
    if wall is not None:
        lines += [
            f"- pipeline wall time: {wall:.1f} s for {len(paths)} documents "
            f"(documents {summary.get('documents')}, events {summary.get('events')}, "
            f"errors {summary.get('errors')})",
            f"- event rows not found among documents.timexes: {events_not_in_timexes}",
        ]
    original = {name: total(per_set[name]) for name in ("total all", "total DATE")}
    lines += wrapped_report(original, wrapped_rows(docs, out / "wrapped", args.direct, tagger))
    cases: list = []
    lines += timeml_no_dct(tagger, docs, cases) + boilerplate_pages(tagger, cases=cases)
    lines += weekday_window_cv(cases)
    lines += stated_dates_report()
    report = "\n".join(lines) + "\n"
    (out / "report.md").write_text(report, encoding="utf-8")
    (out / "errors.md").write_text(errors_md(results), encoding="utf-8")
    return report


def main() -> None:
    print(evaluate(sys.argv[1:]))


if __name__ == "__main__":
    main()
