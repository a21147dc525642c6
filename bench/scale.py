"""`make bench-scale`: the floor and the full job at several sizes and worker counts.

Reports, per (job, size, workers): wall and CPU time, whole-run and marginal docs/s (the slope
from the previous size: start-up cancels out), peak RSS of the process tree and of the largest
single process. Results are saved after every run, so an interrupted 1M run keeps the rest.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from bench import report, runs

MIB = report.MIB


def scale(args, results: dict, save: Callable[[], object]) -> None:
    from bench.__main__ import gz_share, say

    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    workers = [int(w) for w in args.scale_workers.split(",") if w.strip()]
    repeats = args.repeats or 1
    share, note = gz_share(args)
    section = {
        "sizes": sizes,
        "workers": workers,
        "repeats": repeats,
        "gz_share": share,
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        "runs": [],
        "notes": [note] if note else [],
    }
    results["scale"] = section
    for size in sizes:
        start = time.perf_counter()
        say(f"generating {size:,} pages")
        folder, manifest = runs.archive(args.work, size, args.seed, share)
        say(f"generated in {time.perf_counter() - start:.0f} s")
        for n_workers in workers:
            if n_workers == 1 and len(workers) > 1 and size > (args.one_worker_up_to or size):
                say(f"{size:,} documents: skipping 1 worker (--one-worker-up-to)")
                continue
            for job in runs.JOBS:
                say(f"{job}: {size:,} documents, {n_workers} worker(s)")
                measured = [
                    runs.run_job(job, folder, args.work, n_workers, f"scale-{size}-{r}")
                    for r in range(repeats)
                ]
                section["runs"].append(row(job, size, n_workers, manifest.text_bytes, measured))
                add_marginals(section["runs"])
                section["targets"] = scale_targets(section, results.get("bench", {}))
                save()


def row(job: str, size: int, workers: int, text_bytes: int, measured: list[dict]) -> dict:
    failed = [m["error"] for m in measured if "error" in m]
    med = {
        f: statistics.median(m[f] for m in measured)
        for f in ("wall_s", "cpu_s", "other_cpu_s", "peak_rss_tree", "max_rss_process")
    }
    return {
        "job": job,
        "size": size,
        "workers": workers,
        "wall_s": round(med["wall_s"], 2),
        "cpu_s": round(med["cpu_s"], 2),
        "other_cpu_s": round(med["other_cpu_s"], 2),
        "docs_per_s": round(size / med["wall_s"], 1),
        "mb_per_s": round(text_bytes / med["wall_s"] / 1e6, 2),
        "peak_rss_tree": med["peak_rss_tree"],
        "max_rss_process": med["max_rss_process"],
        "outcome": failed[0][:300] if failed else measured[-1].get("outcome", ""),
        "ok": not failed,
        "repeats": len(measured),
    }


def add_marginals(rows: list[dict]) -> None:
    """docs/s between consecutive sizes of the same job and workers (start-up cancels out)."""
    last: dict[tuple, dict] = {}
    for r in sorted(rows, key=lambda r: r["size"]):
        key = (r["job"], r["workers"])
        prev = last.get(key)
        if prev and r["wall_s"] > prev["wall_s"]:
            r["marginal_docs_per_s"] = round(
                (r["size"] - prev["size"]) / (r["wall_s"] - prev["wall_s"]), 1
            )
        last[key] = r


def _full(section: dict, workers: int) -> list[dict]:
    return sorted(
        (r for r in section["runs"] if r["job"] == "full" and r["workers"] == workers and r["ok"]),
        key=lambda r: r["size"],
    )


def scale_targets(section: dict, bench: dict) -> list[dict]:
    t = report.target
    targets = []
    full_runs = [r for r in section["runs"] if r["job"] == "full" and r["ok"]]
    if full_runs:
        peak = max(r["peak_rss_tree"] for r in full_runs)
        biggest = max(full_runs, key=lambda r: r["peak_rss_tree"])
        targets.append(
            t(
                "peak RSS at every size (MiB)",
                "< 1,024",
                round(peak / MIB),
                peak < report.TARGET_RSS_BYTES,
                f"largest at {biggest['size']:,} docs, {biggest['workers']} worker(s)",
            )
        )
    for workers in sorted({r["workers"] for r in full_runs}):
        targets += _size_targets(_full(section, workers), workers, bench)
    one = _full(section, 1)
    two = {r["size"]: r for r in _full(section, 2)}
    both = [r for r in one if r["size"] in two]
    if both:
        r1 = both[-1]
        r2 = two[r1["size"]]
        if "marginal_docs_per_s" in r1 and "marginal_docs_per_s" in r2:
            speedup, how = r2["marginal_docs_per_s"] / r1["marginal_docs_per_s"], "marginal docs/s"
        else:
            speedup, how = r1["wall_s"] / r2["wall_s"], "wall time"
        targets.append(
            t(
                "2 workers / 1 worker",
                f">= {report.TARGET_SPEEDUP_2}x",
                round(speedup, 2),
                speedup >= report.TARGET_SPEEDUP_2,
                f"{r1['size']:,} docs, {how}",
            )
        )
    return targets


def _size_targets(runs_: list[dict], workers: int, bench: dict) -> list[dict]:
    """Memory drift and linearity from the smallest to the largest size of one worker count."""
    if len(runs_) < 2:
        return []
    t = report.target
    targets = []
    lo, hi = runs_[0], runs_[-1]
    def change(r: dict) -> float:
        return r["peak_rss_tree"] / lo["peak_rss_tree"] - 1

    in_span = [r for r in runs_[1:] if r["size"] <= report.TARGET_RSS_DRIFT_SPAN]
    top = in_span[-1] if in_span else hi
    drift = change(top)
    if not in_span:
        beyond = "; no larger size within the target's span, so measured to the largest"
    elif top is not hi:
        beyond = f"; {100 * change(hi):+.1f}% to {hi['size']:,} docs, beyond the target's span"
    else:
        beyond = ""
    targets.append(
        t(
            f"peak RSS drift, smallest size to {report.TARGET_RSS_DRIFT_SPAN:,} docs",
            "within +-20%",
            round(100 * drift, 1),
            abs(drift) <= report.TARGET_RSS_DRIFT,
            f"% change {lo['size']:,} -> {top['size']:,} docs, {workers} worker(s){beyond}",
        )
    )
    startup = (bench.get("full") or {}).get("startup_s") or 0.0
    rate_lo = lo["size"] / max(1e-9, lo["wall_s"] - startup)
    rate_hi = hi["size"] / max(1e-9, hi["wall_s"] - startup)
    change = rate_hi / rate_lo - 1
    cpu_change = (hi["cpu_s"] / hi["size"]) / (lo["cpu_s"] / lo["size"]) - 1
    targets.append(
        t(
            "time linear in size: docs/s change",
            "within +-20%",
            round(100 * change, 1),
            abs(change) <= report.TARGET_LINEARITY,
            f"% change of docs/s {lo['size']:,} -> {hi['size']:,} docs, {workers} worker(s), "
            f"start-up {startup} s excluded; CPU time per document changed by "
            f"{100 * cpu_change:+.0f}%",
        )
    )
    return targets


def merge(sections: list[dict], note: str) -> dict:
    """One scale section from several made by bench-scale runs of the same code on the same
    archives (e.g. the largest size started on its own, at the same time as the others, to
    finish sooner): their runs together, marginals and targets recomputed; `note` says how
    they were made. Raises ValueError if two sections measured the same (job, size, workers)."""
    runs_: list[dict] = []
    seen: set[tuple] = set()
    for section in sections:
        for r in section["runs"]:
            key = (r["job"], r["size"], r["workers"])
            if key in seen:
                raise ValueError(f"measured twice: {key}")
            seen.add(key)
            kept = {k: v for k, v in r.items() if k != "marginal_docs_per_s"}
            kept.setdefault("repeats", section.get("repeats", 1))  # rows written before 810abad
            runs_.append(kept)
    runs_.sort(key=lambda r: (r["size"], r["workers"], r["job"]))
    add_marginals(runs_)
    first = min(sections, key=lambda s: s["measured_at"])
    return {
        **first,
        "sizes": sorted({r["size"] for r in runs_}),
        "workers": sorted({r["workers"] for r in runs_}),
        "measured_at": first["measured_at"],
        "runs": runs_,
        "notes": sorted({n for s in sections for n in s.get("notes", [])}) + [note],
    }


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.scale --merge DIR ... --note TEXT``: the scale sections of the
    results.json in each DIR, merged into bench/results.json (whose other sections stay), and
    bench/results.md rewritten."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--merge", nargs="+", type=Path, required=True)
    parser.add_argument("--note", required=True)
    parser.add_argument("--results", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    results = report.load(args.results / "results.json")
    sections = [report.load(folder / "results.json")["scale"] for folder in args.merge]
    section = merge(sections, args.note)
    section["targets"] = scale_targets(section, results.get("bench", {}))
    results["scale"] = section
    print(report.save(results, args.results))


if __name__ == "__main__":
    main()
