"""`python -m bench.ab --base DIR`: this checkout's full job against another checkout's (the
base, e.g. main exported with `git archive main | tar -x -C DIR`), as A/B pairs in one window.

On a shared machine absolute figures move with the load by up to 2x within minutes, so a
before/after comparison is only fair between runs made side by side. Each pair runs the base
and this checkout on the same generated archive (a small and a large run each, so start-up is
excluded by the slope, as in `make bench`), in alternating order (ABBA...), and gives the
ratio of their docs per CPU-second; the result is the median of the pairs' ratios, with each
side's median figures, peak RSS and published file counts. Both sides run with this
checkout's virtual environment (the same dependencies), each from its own folder so that it
imports its own `pipeline` and `transforms`.

Written to results.json under the key "ab" (bench/report.py `ab_lines` for the markdown),
leaving the other keys as they are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

from bench import report, runs

BENCH_DIR = Path(__file__).resolve().parent
THIS = BENCH_DIR.parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__)
    parser.add_argument("--base", type=Path, required=True, help="the base checkout's folder")
    parser.add_argument("--base-name", default="main", help="what the base is, for the report")
    parser.add_argument("--docs", type=int, default=2000, help="pages in the large archive")
    parser.add_argument("--small", type=int, default=None, help="default docs/10")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--gz-share", type=float, default=runs.GZ_SHARE_WHEN_SUPPORTED)
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "work")
    parser.add_argument("--results", type=Path, default=BENCH_DIR)
    parser.add_argument("--no-save", action="store_true", help="print only")
    parser.add_argument(
        "--key", default="ab", help='results.json key: "ab", or "ab_<what>" for another run'
    )
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(f"[bench.ab {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def side(small: dict, large: dict, n_small: int, n_large: int) -> dict:
    """One side of one pair: the slope's docs per CPU-second and docs/s, the large run's
    peak RSS and files published per table."""
    dcpu = large["cpu_s"] - small["cpu_s"]
    dwall = large["wall_s"] - small["wall_s"]
    files = (large.get("summary") or {}).get("files") or {}
    return {
        "docs_per_cpu_s": round((n_large - n_small) / dcpu, 1) if dcpu > 0 else None,
        "docs_per_s": round((n_large - n_small) / dwall, 1) if dwall > 0 else None,
        "cpu_s_large": round(large["cpu_s"], 2),
        "peak_rss_mib": round(large["peak_rss_tree"] / report.MIB),
        "other_cpu_s": round(large.get("other_cpu_s", 0.0), 1),
        "files": files,
        "events": (large.get("summary") or {}).get("events"),
    }


def run_pairs(args: argparse.Namespace) -> dict:
    n_small = args.small or max(1, args.docs // 10)
    large_dir, _ = runs.archive(args.work, args.docs, args.seed, args.gz_share)
    small_dir, _ = runs.archive(args.work, n_small, args.seed, args.gz_share)
    trees = {"base": args.base.resolve(), "this": THIS}
    pairs = []
    for k in range(args.pairs):
        order = ("base", "this") if k % 2 == 0 else ("this", "base")
        pair = {}
        for name in order:
            done = {}
            for size, folder in (("small", small_dir), ("large", large_dir)):
                say(f"pair {k + 1}/{args.pairs}: {name} on the {size} archive")
                done[size] = runs.run_job(
                    "full", folder, args.work, 1, f"ab-{name}-{size}", trees[name]
                )
                if "error" in done[size]:
                    raise RuntimeError(f"{name} failed: {done[size]['error']}")
            pair[name] = side(done["small"], done["large"], n_small, args.docs)
        b, t = pair["base"]["docs_per_cpu_s"], pair["this"]["docs_per_cpu_s"]
        pair["ratio_docs_per_cpu_s"] = round(t / b, 3) if b and t else None
        pair["order"] = list(order)
        pairs.append(pair)
        say(f"pair {k + 1}: base {b} / this {t} docs per CPU-s -> {pair['ratio_docs_per_cpu_s']}")
    return summarise(args, n_small, pairs)


def median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def summarise(args: argparse.Namespace, n_small: int, pairs: list[dict]) -> dict:
    """The pairs and their medians (see the module docstring)."""
    out = {
        "base": args.base_name,
        "n_docs": args.docs,
        "n_small": n_small,
        "pairs": pairs,
        "measured_at": dt.datetime.now().isoformat(timespec="seconds"),
        "load_average_1m": report.machine()["load_average_1m"],
        "ratio_docs_per_cpu_s": median([p["ratio_docs_per_cpu_s"] for p in pairs]),
    }
    for name in ("base", "this"):
        out[name + "_median"] = {
            key: median([p[name][key] for p in pairs])
            for key in ("docs_per_cpu_s", "docs_per_s", "peak_rss_mib", "other_cpu_s")
        }
        out[name + "_median"]["files"] = pairs[-1][name]["files"]
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    ab = run_pairs(args)
    print("\n".join(report.ab_lines(ab)))
    if not args.no_save:
        results = report.load(args.results / "results.json")
        results[args.key] = ab
        report.save(results, args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
