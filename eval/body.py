"""Score the header/footer split against the labelled boilerplate pages: ``python -m eval.body``.

By default it RUNS THE REAL PIPELINE (pipeline.run.run) on ``DATA/texts/*.txt`` and on
``seeds/*.txt`` and scores the ``documents`` table it writes (body_spans, removed, title).
``--direct`` calls transforms.boilerplate.split_document in-process instead (with the corpus
line counts computed the same way the pipeline does) for fast iteration. ``--speed`` only
measures split_document (documents/s, CPU time, median of SPEED_RUNS runs) and line_key
(lines/s) on the seeds repeated, the labelled web pages and the converted news wire.

It also scores the hard-wrapped variant of the pages (eval/wrap.py; written to
``<out>/wrapped``) the same way, as a second table, and, unless ``--no-cv``, cross-validates the
splitter's thresholds with folds grouped by site (eval/body_cv.py): the held-out-fold figure
is printed beside the in-sample one; and the hard-wrap detector on short windows (3-30 lines)
of the pages and the news wire, plain and wrapped (eval/wrap_cv.py).

How lines count (labels.jsonl has one label per line of the text split on "\\n"):
- ``B`` lines are the gold body; ``H``, ``F`` and ``I`` lines are not body (``I`` = boilerplate
  inside the body: keeping it is a false positive).
- ``X`` lines (no words) and empty lines are ignored: neither kept nor dropped counts.
- A line is kept when a body span overlaps it. Line P/R/F1 pool all counted lines of all pages
  (micro average); character P/R/F1 weigh each line by its stripped length (the date prefix of
  line 0 excluded). A page is exact when its kept counted lines are exactly its ``B`` lines.
  "page F1" is the mean of the per-page line F1 (macro average: every page weighs the same).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eval.wrap import wrap_pages

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "boilerplate"
FALLBACK_DATA = Path("/work/shared/data/boilerplate")
DEFAULT_OUT = REPO / "eval" / "out" / "body"
DEFAULT_WIRE = REPO.parent / "shared" / "data" / "timebank"
FALLBACK_WIRE = Path("/work/shared/data/timebank")
SEEDS = REPO / "seeds"
PREFIX = re.compile(r" date (\d{4}-\d{2}-\d{2}) ")
COUNTED = ("B", "H", "F", "I")
# Targets of issue 4.
TARGETS = {"line_f1": 0.85, "char_f1": 0.93, "exact": 0.30}


@dataclass
class DocResult:
    """What the splitter (pipeline or direct) produced for one file."""

    body_spans: list[tuple[int, int]]
    removed: list[dict] = field(default_factory=list)
    title: str | None = None


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tp_c: int = 0
    fp_c: int = 0
    fn_c: int = 0
    pages: int = 0
    exact: int = 0
    f1_sum: float = 0.0  # sum of per-page line F1 (macro average = f1_sum / pages)

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each labelled line: text split on "\\n", a final empty piece dropped."""
    spans, pos = [], 0
    pieces = text.split("\n")
    if text.endswith("\n"):
        pieces = pieces[:-1]
    for piece in pieces:
        spans.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return spans


def kept_lines(spans: Sequence[tuple[int, int]], body: Iterable[tuple[int, int]]) -> set[int]:
    """Indices of the lines that some body span overlaps."""
    kept = set()
    body = sorted(body)
    j = 0
    for i, (s, e) in enumerate(spans):
        while j < len(body) and body[j][1] <= s:
            j += 1
        k = j
        while k < len(body) and body[k][0] < max(e, s + 1):
            if body[k][1] > s:
                kept.add(i)
                break
            k += 1
    return kept


def line_chars(text: str, span: tuple[int, int], index: int) -> int:
    piece = text[span[0] : span[1]]
    if index == 0:
        piece = PREFIX.sub("", piece, count=1) if PREFIX.match(piece) else piece
    return len(piece.strip())


def score_page(text: str, labels: Sequence[str], kept: set[int]) -> Counts:
    spans = line_spans(text)
    c = Counts(pages=1)
    exact = True
    for i, label in enumerate(labels):
        if label not in COUNTED:
            continue
        n = line_chars(text, spans[i], i)
        gold, pred = label == "B", i in kept
        if gold and pred:
            c.tp, c.tp_c = c.tp + 1, c.tp_c + n
        elif pred:
            c.fp, c.fp_c, exact = c.fp + 1, c.fp_c + n, False
        elif gold:
            c.fn, c.fn_c, exact = c.fn + 1, c.fn_c + n, False
    c.exact = int(exact)
    c.f1_sum = prf(c.tp, c.fp, c.fn)[2] if c.tp + c.fn else float(c.fp == 0)
    return c


def reason_at(removed: Sequence[dict], span: tuple[int, int]) -> str:
    for r in removed:
        if r["start"] < span[1] and r["end"] > span[0]:
            return f"{r['region']}/{r['reason']}"
    return "(no removed piece)"


def page_errors(text: str, labels: Sequence[str], kept: set[int], doc: DocResult) -> list[str]:
    spans = line_spans(text)
    out = []
    for i, label in enumerate(labels):
        if label not in COUNTED:
            continue
        line = text[spans[i][0] : spans[i][1]].strip()[:160]
        if label == "B" and i not in kept:
            out.append(f"- dropped L{i} [{reason_at(doc.removed, spans[i])}]: {line}")
        elif label != "B" and i in kept:
            out.append(f"- kept L{i} ({label}): {line}")
    return out


# --- producing the splits ---
def split_direct(paths: Sequence[Path], line_counts: bool) -> dict[str, DocResult]:
    """Split every file in-process, with corpus line counts (if on) computed like the pipeline's."""
    from transforms.boilerplate.splitter import line_key, split_document

    texts = {p.name: p.read_text(encoding="utf-8") for p in paths}
    starts = {n: (m.end() if (m := PREFIX.match(t)) else 0) for n, t in texts.items()}
    counts: Counter[int] = Counter()
    for name, text in texts.items():
        keys = {line_key(line) for line in text[starts[name] :].split("\n")}
        counts.update(k for k in keys if k is not None)
    repeated = {k: n for k, n in counts.items() if n >= 2} if line_counts else {}
    out = {}
    for name, text in texts.items():
        split = split_document(text, starts[name], repeated, len(texts))
        removed = [r.__dict__ for r in split.removed]
        out[name] = DocResult(list(split.body_spans), removed, split.title)
    return out


def split_pipeline(pattern: str, workdir: Path, line_counts: bool) -> dict[str, DocResult]:
    """Run the real job on the files matching pattern and read back its documents table."""
    import pyarrow.parquet as pq

    from pipeline.run import run

    out_dir = workdir / "job"
    flag = "true" if line_counts else "false"
    run(["--input", pattern, "--output", str(out_dir), "--corpus_line_counts", flag])
    results = {}
    for path in sorted((out_dir / "documents").rglob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            spans = [(s["start"], s["end"]) for s in row["body_spans"] or []]
            results[Path(row["source"]).name] = DocResult(spans, row["removed"] or [], row["title"])
    return results


# --- news wire: the splitter must keep essentially all of plain article text ---
def wire_retention(docs: Sequence, results: dict[str, DocResult]) -> tuple[list[str], list[str]]:
    """Report lines and error lines for TimeML news wire: share of characters kept and share
    of gold TIMEX3 expressions inside the kept body (dates the tagger can still find)."""
    chars = kept = gold = inside = 0
    per_doc = []
    for doc in docs:
        text = doc.job_input()
        shift = len(text) - len(doc.text)
        res = results.get(f"{doc.doc_id}.txt", DocResult([]))
        # non-space characters: a hard-wrapped block's span holds its line breaks and indents
        n = len("".join(doc.text.split()))
        k = sum(len("".join(text[s:e].split())) for s, e in res.body_spans)
        hit = sum(
            any(s <= t.start + shift and t.end + shift <= e for s, e in res.body_spans)
            for t in doc.timexes
        )
        chars, kept, gold, inside = chars + n, kept + k, gold + len(doc.timexes), inside + hit
        per_doc.append((k / max(n, 1), doc.doc_id, res))
    report = [
        f"news wire (TimeBank + AQUAINT, {len(docs)} docs): kept {kept / max(chars, 1):.1%} of "
        f"the characters, {inside / max(gold, 1):.1%} of the gold TIMEX3 ({inside}/{gold})"
    ]
    errors = ["# News wire: the documents with the least text kept", ""]
    for share, doc_id, res in sorted(per_doc, key=lambda x: x[0])[:8]:
        errors.append(f"## {doc_id}: kept {share:.1%}")
        errors += [
            f"- dropped [{r['region']}/{r['reason']}]: {r['text'][:160]}" for r in res.removed
        ]
        errors.append("")
    return report, errors


def find_wire(arg: str | None) -> Path | None:
    path = Path(arg) if arg else (DEFAULT_WIRE if DEFAULT_WIRE.is_dir() else FALLBACK_WIRE)
    return path if path.is_dir() else None


# --- speed: documents per second of split_document (and line_key) ---
SPEED_RUNS = 5  # median of this many timed runs: robust to one slow run on a shared machine
SPEED_SEED_COPIES = 200  # the three seeds repeated: ~600 seed-like documents per run


def _docs_per_second(texts: Sequence[str], fn) -> float:
    """Median over SPEED_RUNS runs of len(texts) / CPU seconds spent calling fn on every text
    (CPU time of this process: other jobs on a shared machine do not count)."""
    rates = []
    for _ in range(SPEED_RUNS):
        t0 = time.process_time()
        for text in texts:
            fn(text)
        rates.append(len(texts) / (time.process_time() - t0))
    return statistics.median(rates)


def _prepared(texts: Sequence[str]) -> list[tuple[str, int, dict[int, int], int]]:
    """(text, start, repeated, n_docs) per text, with the line counts of the DISTINCT texts
    (copies of one text would make every line a template line)."""
    from transforms.boilerplate.splitter import line_key

    distinct = list(dict.fromkeys(texts))
    counts: Counter[int] = Counter()
    for text in distinct:
        start = m.end() if (m := PREFIX.match(text)) else 0
        counts.update({k for k in map(line_key, text[start:].split("\n")) if k is not None})
    repeated = {k: n for k, n in counts.items() if n >= 2}
    starts = [m.end() if (m := PREFIX.match(t)) else 0 for t in texts]
    return [(t, s, repeated, len(distinct)) for t, s in zip(texts, starts, strict=True)]


def speed_report(sets: dict[str, Sequence[str]]) -> list[str]:
    """split_document docs/s (and line_key lines/s) on each named set of texts."""
    from transforms.boilerplate.splitter import default_splitter, line_key, split_document

    default_splitter()  # build the vocabulary before timing (the job does it in setup())
    lines = [
        f"speed (median of {SPEED_RUNS} runs, CPU time of one core):",
        "| texts | docs | KB/doc | lines/doc | split docs/s | ms/doc | line_key lines/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, texts in sets.items():
        if not texts:
            continue
        prepared = _prepared(texts)
        rate = _docs_per_second(prepared, lambda args: split_document(*args))
        all_lines = [ln for t in texts for ln in t.split("\n")]
        key_rate = _docs_per_second([all_lines], lambda ls: [line_key(x) for x in ls])
        kb = sum(map(len, texts)) / len(texts) / 1000
        per_doc = len(all_lines) / len(texts)
        lines.append(
            f"| {name} | {len(texts)} | {kb:.1f} | {per_doc:.0f} | {rate:,.0f} "
            f"| {1000 / rate:.3f} | {key_rate * len(all_lines):,.0f} |"
        )
    return lines


# --- reports ---
def seed_checks(results: dict[str, DocResult]) -> list[tuple[str, str, bool]]:
    expected = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))["documents"]
    checks = []
    for name, exp in expected.items():
        text = (SEEDS / name).read_text(encoding="utf-8")
        doc = results.get(name)
        body = "\n".join(text[s:e] for s, e in doc.body_spans) if doc else ""
        for needle in exp.get("body_must_contain", []):
            checks.append((name, f"body contains {needle[:50]!r}", needle in body))
        for needle in exp.get("body_must_not_contain", []):
            checks.append(
                (name, f"body lacks {needle[:50]!r}", doc is not None and needle not in body)
            )
        if "title_any_of" in exp:
            ok = doc is not None and doc.title in exp["title_any_of"]
            checks.append((name, f"title {doc.title if doc else None!r}", ok))
    return checks


def table(rows: dict[str, Counts]) -> list[str]:
    lines = [
        "| pages | line P | line R | line F1 | char P | char R | char F1 | exact | page F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, c in rows.items():
        lp, lr, lf = prf(c.tp, c.fp, c.fn)
        cp, cr, cf = prf(c.tp_c, c.fp_c, c.fn_c)
        ex = c.exact / c.pages if c.pages else 0.0
        lines.append(
            f"| {name} ({c.pages}) | {lp:.3f} | {lr:.3f} | {lf:.3f} | {cp:.3f} | {cr:.3f} "
            f"| {cf:.3f} | {ex:.1%} | {c.f1_sum / max(c.pages, 1):.3f} |"
        )
    return lines


def score_pages(
    data: Path, pages: Sequence[dict], results: dict[str, DocResult]
) -> tuple[dict[str, Counts], list[str]]:
    """Pooled counts ("all", "news") and the per-page error lines of one labelled set."""
    totals = {"all": Counts(), "news": Counts()}
    errors = [f"# Body split errors per page: {data}", ""]
    for page in pages:
        text = (data / "texts" / page["file"]).read_text(encoding="utf-8")
        doc = results.get(page["file"], DocResult([]))
        kept = kept_lines(line_spans(text), doc.body_spans)
        c = score_page(text, page["labels"], kept)
        totals["all"].add(c)
        if page["news"]:
            totals["news"].add(c)
        errs = page_errors(text, page["labels"], kept, doc)
        if errs or page["file"] not in results:
            f1 = prf(c.tp, c.fp, c.fn)[2]
            errors += [
                f"## {page['file']} (line F1 {f1:.3f}) {page['url']}",
                f"title: {doc.title!r}",
            ]
            errors += (errs or ["- no document in the output"]) + [""]
    return totals, errors


def find_data(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    return DEFAULT_DATA if DEFAULT_DATA.is_dir() else FALLBACK_DATA


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.body", description=__doc__.split("\n")[0])
    ap.add_argument("--data", help="labelled pages folder (texts/ + labels.jsonl)")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="report folder")
    ap.add_argument("--direct", action="store_true", help="call the splitter, not the pipeline")
    ap.add_argument("--wire", help="TimeML folder (TimeBank/, AQUAINT/) for the news-wire check")
    ap.add_argument("--speed", action="store_true", help="only measure split_document docs/s")
    ap.add_argument("--no-cv", action="store_true", help="skip the site-grouped cross-validation")
    ap.add_argument(
        "--corpus_line_counts",
        choices=["true", "false"],
        default="false",
        help="split with corpus line counts, as the job's option of that name (default: false)",
    )
    args = ap.parse_args(argv)
    data, out = find_data(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = [json.loads(x) for x in (data / "labels.jsonl").read_text().splitlines() if x.strip()]
    from eval.body_checks import title_agreement, wrapped_table
    from eval.dates_wrapped import wrap_timeml
    from eval.timeml import convert, load_corpus

    wire_root = find_wire(args.wire)
    wire_docs = load_corpus(wire_root) if wire_root else []
    if args.speed:
        seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
        speed = speed_report(
            {
                f"seeds x{SPEED_SEED_COPIES}": seeds * SPEED_SEED_COPIES,
                "web pages": [(data / "texts" / p["file"]).read_text() for p in pages],
                "news wire": [d.job_input() for d in wire_docs],
            }
        )
        (out / "speed.md").write_text("\n".join(speed) + "\n", encoding="utf-8")
        print("\n".join(speed))
        return 0
    with tempfile.TemporaryDirectory(prefix="eval-body-") as tmp:
        wire_paths = convert(wire_docs, Path(tmp) / "wire")
        wrapped_wire_docs = [wrap_timeml(doc) for doc in wire_docs]
        wrapped_wire_paths = convert(wrapped_wire_docs, Path(tmp) / "wire-wrapped")
        counts = args.corpus_line_counts == "true"
        wrapped_data = wrap_pages(data, out / "wrapped")
        wrapped_pages = [
            json.loads(x) for x in (wrapped_data / "labels.jsonl").read_text().splitlines()
        ]
        if args.direct:
            wrapped = split_direct([wrapped_data / "texts" / p["file"] for p in pages], counts)
            results = split_direct([data / "texts" / p["file"] for p in pages], counts)
            seeds = split_direct(sorted(SEEDS.glob("*.txt")), counts)
            wire = split_direct(wire_paths, counts) if wire_docs else {}
            wrapped_wire = split_direct(wrapped_wire_paths, counts) if wire_docs else {}
        else:
            tmp_dir = Path(tmp)
            results = split_pipeline(str(data / "texts" / "*.txt"), tmp_dir / "pages", counts)
            wrapped_glob = str(wrapped_data / "texts" / "*.txt")
            wrapped = split_pipeline(wrapped_glob, tmp_dir / "wrapped-job", counts)
            seeds = split_pipeline(str(SEEDS / "*.txt"), tmp_dir / "seeds", counts)
            wire_glob = str(tmp_dir / "wire" / "*" / "*.txt")
            wire = split_pipeline(wire_glob, tmp_dir / "wire-job", counts) if wire_docs else {}
            wrapped_wire_glob = str(tmp_dir / "wire-wrapped" / "*" / "*.txt")
            wrapped_wire = (
                split_pipeline(wrapped_wire_glob, tmp_dir / "wire-wrapped-job", counts)
                if wire_docs
                else {}
            )

    totals, errors = score_pages(data, pages, results)
    wrapped_totals, wrapped_errors = score_pages(wrapped_data, wrapped_pages, wrapped)

    mode = "direct (split_document)" if args.direct else "pipeline (documents table)"
    mode += f", corpus line counts {args.corpus_line_counts}"
    checks = seed_checks(seeds)
    n_ok = sum(ok for _, _, ok in checks)
    report = [f"# Body split evaluation: {mode}", "", f"data: {data}", ""] + table(totals)
    report += ["", "targets: " + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items()), ""]
    missing = [p["file"] for p in pages if p["file"] not in results]
    report += [f"pages without a document in the output (scored as empty body): {len(missing)}"]
    report += [f"- {name}" for name in missing]
    report += [f"seed body checks: {n_ok}/{len(checks)} pass"]
    agree, n_slug = title_agreement(pages, results)
    report += [
        f"titles that agree with the URL slug (half of its words): {agree}/{n_slug} "
        f"(wrapped pages: {title_agreement(wrapped_pages, wrapped)[0]}/{n_slug})"
    ]
    if wire_docs:
        wire_report, wire_errors = wire_retention(wire_docs, wire)
        report += ["", *wire_report]
        errors += ["", *wire_errors]
        wrapped_report, _ = wire_retention(wrapped_wire_docs, wrapped_wire)
        report += [f"hard-wrapped {line}" for line in wrapped_report]
    report += [f"- FAIL {name}: {what}" for name, what, ok in checks if not ok]
    report += wrapped_table(totals, wrapped_totals)
    errors += ["", *wrapped_errors]
    if not args.no_cv:
        from eval.body_cv import report as cv_report
        from eval.wrap_cv import report as wrap_cv_report

        report += cv_report(data, wrapped_data)
        report += ["", *wrap_cv_report(data, find_wire(args.wire))]
    (out / "report.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    (out / "errors.md").write_text("\n".join(errors) + "\n", encoding="utf-8")
    print("\n".join(report))
    print(f"\nper-page errors: {out / 'errors.md'}")
    return 0 if n_ok == len(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
