"""The command line: help, typos, unwritable output, the console script's summary."""

import subprocess
import sys

import pytest

from pipeline.options import attach_path_values, help_parser, unknown_flags
from pipeline.run import format_summary, run
from tests.conftest import REPO


def test_help_explains_every_option():
    text = help_parser().format_help()
    for flag in ("--input", "--output", "--corpus_line_counts"):
        assert flag in text


def test_beam_options_are_known_and_typos_are_not():
    assert (
        unknown_flags(["--input", "x", "--runner", "DirectRunner", "--direct_num_workers=2"]) == []
    )
    assert unknown_flags(["--inptu", "x"])[0] == "--inptu"


def test_a_stray_positional_argument_is_rejected_not_ignored(tmp_path):
    assert unknown_flags(["seeds/a.txt", "--output", "out"]) == ["seeds/a.txt"]
    with pytest.raises(SystemExit) as exc:
        run(["seeds/a.txt", "--output", str(tmp_path)])
    assert "seeds/a.txt" in str(exc.value)


def test_a_path_that_begins_with_a_dash_is_the_options_value():
    assert attach_path_values(["--input", "-a.txt", "--output", "-o"]) == [
        "--input=-a.txt",
        "--output=-o",
    ]
    # an option after --input stays an option (argparse then says the value is missing)
    assert attach_path_values(["--input", "--output", "o"]) == ["--input", "--output", "o"]
    assert attach_path_values(["--output", "o", "--input"]) == ["--output", "o", "--input"]


@pytest.mark.slow  # runs the whole job
def test_a_file_named_with_a_leading_dash_is_read(tmp_path, monkeypatch):
    """`--input -leading.txt` used to stop in argparse ("expected one argument")."""
    (tmp_path / "-leading.txt").write_text(" date 2020-05-01 The mayor resigned on Monday.\n")
    monkeypatch.chdir(tmp_path)
    summary = run(["--input", "-leading.txt", "--output", "-out"])
    assert summary["documents"] == 1 and summary["errors"] == 0
    assert (tmp_path / "-out" / "_SUCCESS").exists()


def test_incremental_refuses_corpus_line_counts(tmp_path):
    """With the counts on, adding pages changes how published pages split: the run must say so
    instead of silently publishing tables that differ from a full run."""
    with pytest.raises(SystemExit) as exc:
        run(["--output", str(tmp_path), "--incremental", "--corpus_line_counts", "true"])
    assert "--corpus_line_counts" in str(exc.value)


def test_a_typo_stops_the_job_with_a_clear_message(tmp_path):
    with pytest.raises(SystemExit) as exc:
        run(["--inptu", "seeds/*.txt", "--output", str(tmp_path)])
    assert "unknown option" in str(exc.value)


def test_an_output_path_that_is_a_file_stops_the_job(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SystemExit) as exc:
        run(["--input", "seeds/*.txt", "--output", str(blocker / "out")])
    assert "cannot create output folder" in str(exc.value)


def test_summary_says_whether_counts_reconcile():
    good = {
        "inputs": 3,
        "documents": 2,
        "errors": 1,
        "events": 5,
        "errors_by_reason": {"decode:empty": 1},
    }
    assert "-> OK" in format_summary(good)
    assert "decode:empty: 1" in format_summary(good)
    assert "-> FAILED" in format_summary({**good, "documents": 1})


@pytest.mark.slow  # runs the CLI in a subprocess
def test_console_module_runs_on_seeds_and_prints_the_check(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "--input", "seeds/*.txt", "--output", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "check: read 3 = documents 3 + errors 0 -> OK" in proc.stdout


def test_streamed_bundles_spread_on_distributed_runners_only():
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipeline.run import spread_streams

    def spread(*argv):
        return spread_streams(PipelineOptions(list(argv)))

    assert not spread()  # the local runner would hold the documents in memory
    assert not spread("--runner", "DirectRunner")
    assert spread("--runner", "DataflowRunner")
    assert spread("--runner", "FlinkRunner", "--spread_streams", "auto")
    assert spread("--spread_streams", "true")
    assert not spread("--runner", "DataflowRunner", "--spread_streams", "false")


def test_spread_streams_adds_a_reshuffle_after_reading(tmp_path):
    import apache_beam as beam

    from pipeline.build import build

    def labels(spread: bool) -> set[str]:
        p = beam.Pipeline()
        build(p, ["seeds/*.txt"], str(tmp_path), "r1", False, spread_streams=spread)
        proto = p.to_runner_api()
        return {t.unique_name for t in proto.components.transforms.values()}

    assert any(name.endswith("SpreadStreamed") for name in labels(True))
    assert not any(name.endswith("SpreadStreamed") for name in labels(False))


@pytest.mark.slow  # a subprocess
def test_importing_a_stage_module_directly_prints_no_unactionable_warning():
    """The object-store snippet of docs/runs.md imports transforms.output.commit without the
    pipeline package: Beam's "apitools not found" warning must not reach the user there either."""
    done = subprocess.run(
        [sys.executable, "-c", "import transforms.output.commit, apache_beam.io.gcp.bigquery"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "apitools" not in done.stderr
