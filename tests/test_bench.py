"""The benchmark: a deterministic, realistic generator, honest measurements, complete results.

No timing assertions here: figures depend on the machine. What is tested is that the archive is
reproducible and looks like real input, that the measurement helpers compute what they claim,
and that a tiny end-to-end bench run writes results with every expected key.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

import pytest

from bench import runs
from bench.generate import generate, input_glob, page, read_page
from bench.material import load_material
from bench.measure import run_measured, tree_rss
from transforms.text import pubdate

PREFIX = re.compile(r"^ date (\d{4}-\d{2}-\d{2}) \S")


@pytest.fixture(scope="module")
def material():
    return load_material()


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("doc-*"))}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, material):
    a = generate(tmp_path / "a", 40, seed=3, gz_share=0.3, material=material)
    b = generate(tmp_path / "b", 40, seed=3, gz_share=0.3, material=material)
    c = generate(tmp_path / "c", 40, seed=4, gz_share=0.3, material=material)
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert a == b
    assert files_of(tmp_path / "a") != files_of(tmp_path / "c")
    assert a.text_bytes != c.text_bytes


def test_smaller_archive_is_a_prefix_of_a_larger_one(tmp_path, material):
    generate(tmp_path / "small", 5, seed=11, gz_share=0.4, material=material)
    generate(tmp_path / "large", 30, seed=11, gz_share=0.4, material=material)
    small = files_of(tmp_path / "small")
    large = files_of(tmp_path / "large")
    assert len(small) == 5 and len(large) == 30
    assert {name: large[name] for name in small} == small


def test_requested_count_and_gzip_share(tmp_path, material):
    manifest = generate(tmp_path / "x", 120, seed=5, gz_share=0.5, material=material)
    files = sorted((tmp_path / "x").rglob("doc-*"))
    assert manifest.n_docs == len(files) == 120
    gz = [f for f in files if f.name.endswith(".gz")]
    assert len(gz) == manifest.n_gz
    assert 30 < len(gz) < 90  # about half, drawn at random
    text = gzip.decompress(gz[0].read_bytes()).decode("utf-8")
    assert text == read_page(gz[0])
    assert manifest.text_bytes == sum(len(read_page(f).encode()) for f in files)


def test_rerun_reuses_a_complete_archive_and_rebuilds_a_different_one(tmp_path, material):
    first = generate(tmp_path / "r", 10, seed=1, gz_share=0.0, material=material)
    (tmp_path / "r" / "shard-0000" / "doc-0000000.txt").write_text("tampered")
    assert generate(tmp_path / "r", 10, seed=1, gz_share=0.0, material=material) == first
    assert (tmp_path / "r" / "shard-0000" / "doc-0000000.txt").read_text() == "tampered"
    other = generate(tmp_path / "r", 10, seed=1, gz_share=1.0, material=material)
    assert other.n_gz == 10
    assert not list((tmp_path / "r").rglob("*.txt"))  # plain copies replaced by .gz ones


def test_pages_look_like_real_inputs(material):
    texts = [page(i, 7, material) for i in range(300)]
    with_prefix = [t for t, has in texts if has]
    without = [t for t, has in texts if not has]
    assert 0.65 < len(with_prefix) / len(texts) < 0.95
    for text in with_prefix:
        match = PREFIX.match(text)
        assert match, text[:40]
        prefix_len, published, problem = pubdate.parse_prefix(text)
        assert problem is None and published.isoformat() == match.group(1)
        assert prefix_len == len(" date YYYY-MM-DD ")
    for text in without:
        assert not text.startswith(" date ")
    assert any(re.search(r"^Published \w+ \d{1,2}, \d{4}$", t, re.M) for t in without)
    sizes = sorted(len(t) for t, _ in texts)
    assert 3000 < sizes[len(sizes) // 2] < 5000  # about 4 KB per page
    joined = "\n".join(t for t, _ in texts)
    for furniture in ("Home > News > ", "All rights reserved.", "By "):
        assert furniture in joined
    assert re.search(r"^(READ \| |ALSO READ: |Read more: |RELATED: )", joined, re.M)
    # Body prose from both sources: the seeds and TimeBank.
    assert "al-Baghdadi" in joined or "ISIS" in joined
    assert re.search(r"\b(19[89]\d)\b", joined)


def test_input_glob_matches_every_page(tmp_path, material):
    from apache_beam.io.filesystems import FileSystems

    generate(tmp_path / "g", 25, seed=2, gz_share=0.2, material=material)
    matched = FileSystems.match([input_glob(tmp_path / "g")])[0].metadata_list
    assert len(matched) == 25


def test_slope_excludes_start_up():
    small = {"wall_s": 3.0, "cpu_s": 3.0}
    large = {"wall_s": 13.0, "cpu_s": 23.0}
    out = runs.slope(small, large, 100, 1100, 1_000_000, 11_000_000, workers=2)
    assert out["docs_per_s"] == 100.0
    assert out["docs_per_core"] == 50.0
    assert out["docs_per_cpu_s"] == 50.0
    assert out["startup_s"] == 2.0
    assert out["mb_per_s"] == 1.0


@pytest.mark.slow  # a subprocess
def test_peak_rss_sees_memory_of_child_processes():
    # The measured process starts a child that holds 150 MiB: the tree peak must include it.
    child = (
        "import time; b = bytearray(150 * 2**20); b[::4096] = b'x' * len(b[::4096]); "
        "time.sleep(0.6)"
    )
    code = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    run = run_measured([sys.executable, "-c", code])
    assert run.returncode == 0
    assert run.peak_rss_tree >= 150 * 2**20
    assert tree_rss(10**9) == 0  # a process that does not exist holds nothing


@pytest.mark.slow  # runs the benchmark
def test_tiny_bench_run_writes_results_with_expected_keys(tmp_path):
    from bench.__main__ import main

    results_dir = tmp_path / "results"
    argv = [
        "--docs",
        "50",
        "--repeats",
        "1",
        "--no-baseline",
        "--stage-sample",
        "20",
        "--work",
        str(tmp_path / "work"),
        "--results",
        str(results_dir),
    ]
    assert main(argv) == 0
    results = json.loads((results_dir / "results.json").read_text())
    assert set(results) >= {"machine", "bench"}
    assert set(results["machine"]) >= {"cores", "python", "beam"}
    bench = results["bench"]
    assert set(bench) >= {"archive", "floor", "full", "stages", "ratios", "targets"}
    for job in ("floor", "full"):
        assert "error" not in bench[job], bench[job]
        assert set(bench[job]) >= {"docs_per_s", "mb_per_s", "startup_s", "small", "large"}
        assert bench[job]["large"]["peak_rss_tree"] > 0
    assert bench["full"]["summary"]["documents"] + bench["full"]["summary"]["errors"] == 50
    assert set(bench["stages"]["stages"]) == {
        "read",
        "split",
        "dates",
        "events",
        "write",
        "timeline",
    }
    assert bench["stages"]["documents"] == 20
    # the write stage runs the job's writers: events into scratch files, one per writer flush
    # holding every partition it drained (20 pages: one flush); the timeline stage turns each
    # partition's rows into ONE events file
    staged = bench["stages"]["stages"]
    assert staged["write"]["files"]["documents"] >= 1
    assert staged["write"]["files"]["events scratch"] == 1
    assert staged["timeline"]["files"]["events"] > 1
    assert staged["timeline"]["files"]["timeline"] >= 1
    assert {t["target"] for t in bench["targets"]} >= {"full / Beam IO floor"}
    markdown = (results_dir / "results.md").read_text()
    assert "| full |" in markdown and "| floor |" in markdown


def test_ab_pairs_give_the_median_ratio_and_a_table():
    import argparse

    from bench import ab, report

    def run(cpu_small, cpu_large, files):
        summary = {"files": files, "events": 10}
        return {
            "cpu_s": cpu_large,
            "wall_s": cpu_large,
            "peak_rss_tree": 300 * report.MIB,
            "summary": summary,
            "other_cpu_s": 0.0,
        }, {"cpu_s": cpu_small, "wall_s": cpu_small}

    pairs = []
    for base_cpu, this_cpu in ((10.0, 5.0), (12.0, 10.0), (10.0, 8.0)):  # ratios 2.0, 1.2, 1.25
        pair = {}
        for name, cpu, files in (
            ("base", base_cpu, {"events": 9}),
            ("this", this_cpu, {"events": 3}),
        ):
            large, small = run(1.0, 1.0 + cpu, files)
            pair[name] = ab.side(small, large, 100, 1100)
        pair["ratio_docs_per_cpu_s"] = round(
            pair["this"]["docs_per_cpu_s"] / pair["base"]["docs_per_cpu_s"], 3
        )
        pair["order"] = ["base", "this"]
        pairs.append(pair)
    args = argparse.Namespace(base_name="main", docs=1100)
    out = ab.summarise(args, 100, pairs)
    assert out["ratio_docs_per_cpu_s"] == 1.25
    assert out["base_median"]["docs_per_cpu_s"] == 100.0 and out["this_median"]["files"] == {
        "events": 3
    }
    text = "\n".join(report.ab_lines(out))
    assert "**1.250**" in text and text.count("| this branch |") == 3


def test_ab_stages_report_gives_medians_differences_and_ratios_per_stage():
    from bench.ab_stages import report

    def side(docs, **seconds):
        return {"docs": docs, "seconds": seconds}

    pairs = [
        {"old": side(100, split=0.10, dates=0.20), "this": side(100, split=0.12, dates=0.10)},
        {"old": side(100, split=0.20, dates=0.20), "this": side(100, split=0.22, dates=0.30)},
        {"old": side(100, split=0.10, dates=0.20), "this": side(100, split=0.11, dates=0.10)},
    ]
    lines = {line.split()[0]: line.split() for line in report(pairs, "rev")[1:-1]}
    # split: old ms/doc 1, 2, 1 -> 1.0; this 1.2, 2.2, 1.1 -> 1.2; ratios 1.2, 1.1, 1.1 -> 1.1
    assert lines["split"][1:] == ["1.000", "1.200", "+0.200", "1.100"]
    # dates: old 2, 2, 2; this 1, 3, 1 -> median 1.0; ratios 0.5, 1.5, 0.5 -> 0.5
    assert lines["dates"][1:] == ["2.000", "1.000", "-1.000", "0.500"]
    assert "read" not in lines  # a stage neither side timed is left out
    assert lines["total"][1:3] == ["3.000", "2.200"]


def _scale_run(job: str, size: int, wall: float, rss: int) -> dict:
    return {
        "job": job,
        "size": size,
        "workers": 1,
        "wall_s": wall,
        "cpu_s": wall,
        "peak_rss_tree": rss,
        "ok": True,
    }


def test_scale_merge_recomputes_marginals_and_refuses_duplicates():
    from bench.scale import merge, scale_targets

    small = {
        "measured_at": "2026-11-30T20:41:37",
        "notes": [],
        "sizes": [10, 100],
        "repeats": 3,
        "runs": [_scale_run("full", 10, 10.0, 400), _scale_run("full", 100, 100.0, 420)],
    }
    large = {
        "measured_at": "2026-11-30T20:41:38",
        "notes": [],
        "sizes": [300],
        "runs": [_scale_run("full", 300, 300.0, 460)],
    }
    merged = merge([large, small], "300 on its own")
    assert [r["size"] for r in merged["runs"]] == [10, 100, 300]
    assert [r["repeats"] for r in merged["runs"]] == [3, 3, 1]  # each row says its medians' runs
    assert merged["runs"][2]["marginal_docs_per_s"] == 1.0  # (300 - 100) / (300 - 100 s)
    assert merged["measured_at"] == small["measured_at"] and merged["notes"] == ["300 on its own"]
    drift = scale_targets(merged, {})[1]
    assert drift["measured"] == 15.0 and drift["met"]  # 400 -> 460: +15%, smallest to largest
    with pytest.raises(ValueError):
        merge([small, small], "twice")


def test_memory_drift_is_held_to_the_issues_span_and_larger_runs_are_shown_beside_it():
    """Issue 14 asks +-20% from 10k to 300k documents; a 1M run's growth is reported, not
    mixed into that target (it is held to the 1 GiB ceiling instead)."""
    from bench.scale import scale_targets

    mib = 1024**2
    section = {
        "runs": [
            _scale_run("full", 10_000, 40.0, 400 * mib),
            _scale_run("full", 300_000, 1200.0, 460 * mib),
            _scale_run("full", 1_000_000, 4000.0, 700 * mib),
        ]
    }
    ceiling, drift = scale_targets(section, {})[:2]
    assert drift["measured"] == 15.0 and drift["met"]  # 400 -> 460, not 400 -> 700
    assert "10,000 -> 300,000" in drift["note"] and "+75.0% to 1,000,000" in drift["note"]
    assert ceiling["measured"] == 700 and ceiling["met"]
    section["runs"][1]["peak_rss_tree"] = 520 * mib  # +30% inside the span fails
    assert not scale_targets(section, {})[1]["met"]
    del section["runs"][1]  # only 10k and 1M: the row says it could not keep to the span
    drift = scale_targets(section, {})[1]
    assert drift["measured"] == 75.0 and not drift["met"]
    assert "no larger size within the target's span" in drift["note"]


def test_stage_timing_freezes_held_objects_and_times_the_stages_own_collections():
    """A stage's collections do not walk what earlier stages left alive (frozen during the
    stage, unfrozen after), and the collections its own cyclic garbage causes are timed."""
    import gc

    from bench import stages

    held = [[i] for i in range(200_000)]  # an earlier stage's output, alive across the stage
    seen_frozen = []

    def stage(n: int) -> int:
        seen_frozen.append(gc.get_freeze_count())
        for _ in range(n):
            a: list = []
            a.append(a)  # cyclic garbage: only a collection frees it
        return n

    result, (wall, cpu, gc_seconds), top = stages._timed(stage, 50_000)
    assert result == 50_000
    assert min(seen_frozen) >= len(held)
    assert gc.get_freeze_count() == 0
    assert 0 < gc_seconds <= cpu and wall > 0
    assert top["top"]
