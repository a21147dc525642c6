"""The figure sections of the docs as Markdown, from the results files (see eval/figures.py).

Each function takes the parsed results (``bench/results.json``; ``eval/results.json``) and
returns one section's Markdown; every number in it is read from those dicts or computed from
them here, and every section names the command that printed its figures and when.
``KeyError`` when a results file lacks a figure a section quotes.
"""

from __future__ import annotations

MIB = 2**20

# Dataflow batch list prices, us-central1, USD (https://cloud.google.com/dataflow/pricing, as
# read for this release): inputs of the cost estimate, not measurements.
PRICE_VCPU_H = 0.056
PRICE_GB_H = 0.003557
PRICE_DISK_GB_H = 0.000054
WORKER = {"name": "n2-standard-2", "vcpu": 2, "memory_gb": 8, "disk_gb": 25}
PRICE_CLASS_B = 0.0004 / 1000  # Cloud Storage Class B request (object read), USD
REQUESTS_PER_OPEN = (1, 2)  # a file open is one or two Class B requests
WORKERS_EXAMPLE = 20

# Published reference figures, not measured here: HeidelTime at TempEval-3 (UzZaman et al.
# 2013), value F1 and relaxed span F1, all types / DATE.
HEIDELTIME = {"value": (0.774, 0.783), "relaxed": (0.921, 0.927)}


# Accuracy targets the project set itself (a target is not a measurement): the date tagger's and
# the trigger picker's here; the splitter's are eval/body.py's TARGETS (issue 4), read from there.
ACCURACY_TARGETS = [
    ("date tagger value F1, DATE", "dates", "value_f1_date", 0.88),
    ("trigger anchoring, 5-fold cross-validated", "events", "trigger_cv", 0.76),
]


def accuracy_targets(evals: dict) -> list[str]:
    """Rows of the accuracy targets table: target, wanted, measured, met, command."""
    from eval.body import TARGETS as BODY

    targets = list(ACCURACY_TARGETS)
    targets += [
        ("splitter line F1", "body", "line_f1_all", BODY["line_f1"]),
        ("splitter char F1", "body", "char_f1_all", BODY["char_f1"]),
        ("splitter exact body (share of pages)", "body", "exact_all", BODY["exact"]),
    ]
    rows = ["| target | wanted | measured | met | command |", "|---|---|---|---|---|"]
    for label, name, key, wanted in targets:
        got = evals[name]["figures"][key]
        value = got / 100 if key.startswith("exact") else got  # exact is printed in percent
        met = "yes" if value >= wanted else "**no**"
        rows.append(f"| {label} | >= {wanted} | {value:.3f} | {met} | `{evals[name]['command']}` |")
    return rows


def _day(stamp: str) -> str:
    """'2026-11-30T11:40:00Z' -> '2026-11-30'."""
    return stamp[:10]


def _pct(x: float) -> str:
    return f"{x:.1f}%"


def accuracy(evals: dict) -> str:
    """The accuracy table: one row per evaluation command, with its date."""
    d, b, e = (evals[k]["figures"] for k in ("dates", "body", "events"))
    dates = (
        f"value F1 {d['value_f1_all']:.3f} all types / {d['value_f1_date']:.3f} DATE; relaxed "
        f"span F1 {d['relaxed_f1_all']:.3f} / {d['relaxed_f1_date']:.3f}; strict "
        f"{d['strict_f1_all']:.3f} / {d['strict_f1_date']:.3f} (HeidelTime at TempEval-3, "
        f"published: value {HEIDELTIME['value'][0]} / {HEIDELTIME['value'][1]}, relaxed "
        f"{HEIDELTIME['relaxed'][0]} / {HEIDELTIME['relaxed'][1]}); hard-wrapped TimeBank "
        f"(eval/wrap.py): value F1 {d['wrapped_value_f1_all']:.3f} / "
        f"{d['wrapped_value_f1_date']:.3f}"
    )
    body = (
        f"line F1 {b['line_f1_all']:.3f}, char F1 {b['char_f1_all']:.3f}, exact body "
        f"{_pct(b['exact_all'])} (news pages: {b['line_f1_news']:.3f} / "
        f"{b['char_f1_news']:.3f} / {_pct(b['exact_news'])}); **held-out folds: line F1 "
        f"{b['cv_line_f1']:.3f}, char F1 {b['cv_char_f1']:.3f}**; hard-wrapped pages: char "
        f"recall {b['char_recall_wrapped']:.3f} and char F1 {b['char_f1_wrapped']:.3f} (plain: "
        f"{b['char_recall_all']:.3f} / {b['char_f1_all']:.3f}); titles agree with the URL slug "
        f"on {b['titles_agree']} of {b['titles_with_slug']} pages; seeds "
        f"{b['seed_checks_pass']}/{b['seed_checks']} checks; news wire keeps "
        f"{_pct(b['wire_chars_kept'])} of characters (hard-wrapped: "
        f"{_pct(b['wrapped_wire_chars_kept'])}) and {_pct(b['wire_dates_kept'])} of gold dates"
    )
    events = (
        f"trigger right (overlaps a linked EVENT) {e['trigger_in_sample']:.3f} in-sample, "
        f"**{e['trigger_cv']:.3f} 5-fold cross-validated** over documents (weights re-tuned per "
        f"fold), nearest-verb baseline {e['trigger_baseline']:.3f} from the same run, ceiling "
        f"{e['trigger_ceiling']:.3f} (a right candidate exists); tense (event row) vs gold "
        f"MAKEINSTANCE tense {e['tense_accuracy']:.3f} (n={e['tense_n']}); date_role accuracy "
        f"{e['role_accuracy']:.3f} on {e['role_labels']} hand labels (in-sample: the rules were "
        f"written with them in view; all-`event` baseline {e['role_baseline']:.3f}; `other` "
        f"precision {e['role_other_precision']:.3f}, recall {e['role_other_recall']:.3f})"
        + (
            f", **{e['role_heldout_accuracy']:.3f} on {e['role_heldout_labels']} held-out hand "
            f"labels** (a second sample labelled after the rules; baseline "
            f"{e['role_heldout_baseline']:.3f})"
            if "role_heldout_accuracy" in e
            else ""
        )
        + f"; across documents, on the AQUAINT wire reports: "
        f"{e['xdoc_events']} event_ids join two or more documents ({e['xdoc_mentions']} "
        f"mentions; up to {e['xdoc_max_documents']} documents for one event; each listed with "
        "its sentences in `eval/out/events/xdoc.md`, no gold links)"
    )
    rows = [
        (
            "dates",
            f"date tagger, through the pipeline, on TimeBank + AQUAINT ({d['documents']} "
            "docs, TempEval-3 scoring)",
            dates,
        ),
        (
            "body",
            f"header/footer splitter, through the pipeline, on {b['pages_all']} labelled "
            f"pages, their hard-wrapped variant, and site-grouped 5-fold cross-validation "
            f"({b['cv_sites']} sites)",
            body,
        ),
        (
            "events",
            f"event stage: trigger anchoring on TimeBank + AQUAINT ({e['anchoring_documents']} "
            f"documents, {e['anchoring_items']:,} DATE TIMEX3 with an inclusion TLINK to an EVENT "
            "in the same sentence), tense, date_role on hand-labelled rows of the boilerplate "
            "pages; `event_id` across the AQUAINT documents",
            events,
        ),
    ]
    lines = ["| command | what it scores | result | measured |", "|---|---|---|---|"]
    for key, what, result in rows:
        entry = evals[key]
        lines.append(f"| `{entry['command']}` | {what} | {result} | {_day(entry['measured_at'])} |")
    lines += ["", *accuracy_targets(evals)]
    return "\n".join(lines) + "\n"


def _machine(bench: dict) -> str:
    m = bench["machine"]
    return (
        f"{m['cores']} cores ({m['cpu']}), Python {m['python']}, Beam {m['beam']}, load "
        f"average {m['load_average_1m']} when written"
    )


def speed(bench: dict) -> str:
    """`make bench` and `make bench-scale` figures, the targets, and the bench's own notes."""
    b, s = bench["bench"], bench["scale"]
    full, a = b["full"], b["archive"]
    stages = ", ".join(
        f"{name} {stage['ms_per_doc']:.3f}" for name, stage in b["stages"]["stages"].items()
    )
    lines = [
        f"`make bench`, {_day(b['measured_at'])} ({_machine(bench)}): the whole job on "
        f"{a['n_docs']:,} generated pages ({a['text_mb']} MB of text), DirectRunner, "
        f"{b['workers']} worker, median of {b['repeats']} runs, start-up excluded:",
        "",
        "| figure | value |",
        "|---|---|",
        f"| documents/s per core | {full['docs_per_core']:,.1f} |",
        f"| documents per CPU-second | {full['docs_per_cpu_s']:,.1f} |",
        f"| start-up | {full['startup_s']:.2f} s |",
        f"| against `search_dates` (dateparser) on the same pages, same run | "
        f"{b['ratios']['full_over_baseline']:.1f}x |",
        f"| against Beam's IO floor (read and write only), same run | "
        f"{b['ratios']['full_over_floor']:.1%} |",
        f"| peak RSS, process tree | {full['large']['peak_rss_tree'] / MIB:,.0f} MiB |",
        f"| ms per document by stage, in-process ({b['stages']['documents']:,} documents) | "
        f"{stages} |",
        "",
    ]
    lines += [f"Note from that run: {note}\n" for note in b.get("notes", [])]
    runs = [r for r in s["runs"] if r.get("ok", True)]
    lines += [
        f"`make bench-scale`, {_day(s['measured_at'])}: each row the median of its `runs` "
        "(`full` = the job, `floor` = Beam reading and writing the same files):",
        "",
        "| job | pages | workers | runs | documents/s | wall s | peak RSS, process tree "
        "| largest process |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r['job']} | {r['size']:,} | {r['workers']} | "
            f"{r['repeats']} | {r['docs_per_s']:,.1f} | "
            f"{r['wall_s']:,.1f} | {r['peak_rss_tree'] / MIB:,.0f} MiB | "
            f"{r['max_rss_process'] / MIB:,.0f} MiB |"
        )
    lines += [
        "",
        "| target | wanted | measured | met | command | note |",
        "|---|---|---|---|---|---|",
    ]
    for command, targets in (("make bench", b["targets"]), ("make bench-scale", s["targets"])):
        for t in targets:
            met = "yes" if t["met"] else "**no**"
            lines.append(
                f"| {t['target']} | {t['wanted']} | {t['measured']:,} | {met} | `{command}` | "
                f"{t['note']} |"
            )
    lines += ["", "Per-stage profile and every run: [bench/results.md](../bench/results.md)."]
    return "\n".join(lines) + "\n"


def portable_overhead(hand_entries: dict) -> float:
    """Wall time of the PortableRunner over the DirectRunner on the 10,000 bench pages."""
    f = hand_entries["portable"]["figures"]
    return f["portable_10k_s"] / f["direct_10k_s"]


def cost(bench: dict, hand_entries: dict) -> str:
    """The Dataflow cost per million documents, derived from `make bench` and list prices."""
    b = bench["bench"]
    # Documents per CPU-second: billing follows the vCPU time a CPU-bound job uses, and this
    # figure is the one a loaded benchmark machine disturbs least (bench/results.md).
    per_cpu_s = b["full"]["docs_per_cpu_s"]
    overhead = portable_overhead(hand_entries)
    vcpu_h = 1e6 / per_cpu_s / 3600 * overhead
    worker_h = (
        WORKER["vcpu"] * PRICE_VCPU_H
        + WORKER["memory_gb"] * PRICE_GB_H
        + WORKER["disk_gb"] * PRICE_DISK_GB_H
    )
    per_vcpu_h = worker_h / WORKER["vcpu"]
    compute = vcpu_h * per_vcpu_h
    gcs = [n * 1e6 * PRICE_CLASS_B for n in REQUESTS_PER_OPEN]
    minutes = vcpu_h * 60 / (WORKERS_EXAMPLE * WORKER["vcpu"])
    return (
        f"Derived, not billed: from `make bench` ({_day(b['measured_at'])}: the full job at "
        f"**{per_cpu_s:,.1f} documents per CPU-second**, start-up excluded, "
        "[figures.md](figures.md#speed-and-memory)) and Dataflow's batch list prices for "
        f"us-central1 as we know them (vCPU ${PRICE_VCPU_H}/h, memory ${PRICE_GB_H}/GB·h, "
        f"standard disk ${PRICE_DISK_GB_H:.6f}/GB·h; check the "
        "[pricing page](https://cloud.google.com/dataflow/pricing) for your region), assuming "
        "a Dataflow vCPU is as fast as a core here:\n\n"
        f"- compute: 1,000,000 / {per_cpu_s:,.1f} = {1e6 / per_cpu_s:,.0f} CPU-seconds, times "
        f"{overhead:.2f} for the portable (gRPC, out-of-process) path, which is how Dataflow "
        "runs Python ([figures.md](figures.md#direct-vs-portable)): "
        f"**{vcpu_h:.2f} vCPU·hours**. An {WORKER['name']} worker ({WORKER['vcpu']} vCPU, "
        f"{WORKER['memory_gb']} GB, {WORKER['disk_gb']} GB disk) costs ${worker_h:.3f}/h, i.e. "
        f"${per_vcpu_h:.3f} per vCPU·hour: **≈ ${compute:.2f} per million documents**, plus "
        "the workers' start-up (2–4 minutes per job).\n"
        "- Cloud Storage operations can cost more than the compute when every article is its "
        "own object: each file is opened once (twice with the opt-in `--corpus_line_counts "
        f"true`), each open being {REQUESTS_PER_OPEN[0]} or {REQUESTS_PER_OPEN[1]} Class B "
        f"requests (${PRICE_CLASS_B * 1000:.4f} per 1,000): **≈ ${gcs[0]:.2f}–{gcs[1]:.2f} per "
        "million files** per open. Pack daily folders into `.tar`/`.zip`/`.jsonl.gz` (the "
        "reader reads their members) to cut them.\n"
        "- Shuffle is small (file names, compact event summaries), a few cents.\n\n"
        f"{WORKERS_EXAMPLE} {WORKER['name']} workers finish a million documents in about "
        f"{minutes:.1f} minutes after start-up. Re-derive with your own `make bench` figure: "
        f"cost ≈ 10⁶ / (docs per CPU-second) / 3600 × {overhead:.2f} × (price per vCPU·hour).\n"
    )


HAND = {
    "portable": (
        "| mode | seeds (3 pages), median of 3 | {pages:,} pages ({mb} MB), one run |\n"
        "|---|---|---|\n"
        "| DirectRunner (in-process FnApiRunner, 1 worker) | {direct_seeds_s} s | "
        "{direct_10k_s} s |\n"
        "| DirectRunner, 2 worker processes (`multi_processing`) | {direct2_seeds_s} s | "
        "{direct2_10k_s} s |\n"
        "| PortableRunner, embedded job service, external worker pool | {portable_seeds_s} s | "
        "{portable_10k_s} s |\n"
    ),
    "report": (
        "`newsline report` on {pages:,} generated pages ({event_rows:,} event rows): the page is "
        "**{page_mb} MB** with {marks:,} marks (a sample of {dated_entries:,} dated entries: "
        "{max_marks:,} plus the per-year top-up, since the generated archive has dates in many "
        "years) and is made in **{cpu_s} s of CPU** (median of "
        "{repeats}; {wall_s} s wall at load average {load}; the seeds: {seeds_mb} MB, "
        "{seeds_cpu_s} s CPU). Peak RSS: {peak_rss_mib} MiB, against {seeds_peak_rss_mib} MiB "
        "on the seeds (the command's own baseline). Chromium opens the page and draws the "
        "timeline in under {chromium_s} s on the same machine.\n"
    ),
    "timeline_memory": (
        "On the {pages:,} pages of `make bench` ({event_rows:,} event rows), 1 worker, one run "
        "each: peak RSS {with_timeline_mib} MiB with the timeline, {without_timeline_mib} MiB "
        "for the same job without it (the event columns alone); a first version that grouped "
        "summaries with their sentences peaked at {first_version_mib} MiB. A mention summary "
        "is {summary_bytes} bytes encoded (median over the seeds' mentions, of which the file "
        "path is ~{path_bytes}). That version grouped mention summaries in a CombinePerKey; "
        "grouping only file paths by partition and clustering each partition in blocks, "
        "`make bench-scale` (1 worker): peak RSS {blocks_small_mib} MiB at "
        "{blocks_small_pages:,} pages ({blocks_small_rows:,} event rows) and {blocks_large_mib} "
        "MiB at {blocks_large_pages:,} ({blocks_large_rows:,} event rows), +{blocks_growth_pct}% "
        "for 4x the mentions.\n"
    ),
    "batching": (
        "With one element per file crossing the Reshuffle (before read units were packed "
        "{units_per_batch} to an element), peak RSS grew {growth_pct}% from {pages_small:,} to "
        "{pages_large:,} pages, {rss_small_mib} to {rss_large_mib} MiB.\n"
    ),
}


def hand(name: str, entry: dict) -> str:
    """A measurement made once by hand: its figures in their sentence or table, with the
    command that printed them and the date."""
    text = HAND[name].format(**entry["figures"])
    return f"{text}\n_Measured {entry['measured_at']} with: {entry['command']}._\n"
