""".github/workflows/daily.yml: a scheduled run of the real CLI, whose summary is kept.

The command the workflow runs is parsed out of its `run:` block and checked against newsline's
own parser (unknown_flags, NewslineOptions), so a renamed or removed option fails here and not
at 02:30 in the night.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.options import NewslineOptions, help_parser, unknown_flags
from transforms.output import commit, parquet

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = yaml.safe_load((REPO / ".github" / "workflows" / "daily.yml").read_text())
# PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
TRIGGERS = WORKFLOW.get("on", WORKFLOW.get(True))
STEPS = [step for job in WORKFLOW["jobs"].values() for step in job["steps"]]
SHELL_STOP = {"|", "||", "&&", ";", ">", "2>&1", ">>"}


def pipeline_invocations() -> list[list[str]]:
    """The argument lists of every `python -m pipeline ...` in the workflow's run blocks."""
    found = []
    for step in STEPS:
        script = step.get("run", "").replace("\\\n", " ")
        for line in script.splitlines():
            tokens = shlex.split(line)
            for i in range(len(tokens) - 2):
                if tokens[i].startswith("python") and tokens[i + 1 : i + 3] == ["-m", "pipeline"]:
                    args = []
                    for token in tokens[i + 3 :]:
                        if token in SHELL_STOP:
                            break
                        args.append(token)
                    if args[:1] != ["status"]:  # the job, not `newsline status`
                        found.append(args)
    return found


def test_it_is_a_scheduled_workflow_not_ci():
    cron = TRIGGERS["schedule"][0]["cron"]
    assert len(cron.split()) == 5, cron
    # CI is `.ci/run`; this workflow must not run on every push or pull request.
    assert set(TRIGGERS) <= {"schedule", "workflow_dispatch"}
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_it_installs_the_project_with_python_311():
    setup = [s for s in STEPS if s.get("uses", "").startswith("actions/setup-python@")]
    assert setup and str(setup[0]["with"]["python-version"]) == "3.11"
    installs = [s["run"] for s in STEPS if "pip install" in s.get("run", "")]
    assert any(re.search(r"pip install \"?\.(\[[a-z,]+\])?\"?", run) for run in installs)


def test_the_job_command_is_a_valid_incremental_newsline_invocation():
    invocations = pipeline_invocations()
    assert len(invocations) == 1, invocations
    args = invocations[0]
    assert unknown_flags(args) == [], "flags the CLI would reject"
    ours = PipelineOptions(args).view_as(NewslineOptions)
    assert ours.input and "$DAY" in ours.input[0], "it reads one day's folder"
    assert ours.output == "$OUTPUT"
    # newsline's own flags, as `newsline --help` parses them; the rest must be Beam options.
    known, rest = help_parser().parse_known_args(args)
    assert known.incremental, "the scheduled run adds the day to the tables"
    assert known.input == ours.input and known.output == ours.output
    assert [a for a in rest if a.startswith("--")] == [
        "--direct_num_workers=0",
        "--direct_running_mode=multi_processing",
    ]


def test_the_day_folder_and_output_come_from_the_step_environment():
    step = next(s for s in STEPS if "python -m pipeline" in s.get("run", ""))
    assert {"DAY", "OUTPUT", "INPUT_ROOT"} <= set(step["env"])
    assert "steps.day.outputs.day" in step["env"]["DAY"]


def test_the_run_summary_is_uploaded_even_when_the_run_fails():
    upload = next(s for s in STEPS if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload.get("if") == "always()"
    paths = upload["with"]["path"].split()
    assert "run/_SUCCESS" in paths


def status_line() -> str:
    """The workflow's shell line that writes run/_SUCCESS."""
    step = next(s for s in STEPS if "run/_SUCCESS" in s.get("run", ""))
    return next(line for line in step["run"].splitlines() if "run/_SUCCESS" in line)


def run_status_line(tmp_path: Path, output: Path) -> subprocess.CompletedProcess:
    """Run the workflow's own line with bash -eo pipefail (the workflow's shell), `python` being
    this environment's interpreter, in a fresh folder with run/ made."""
    (tmp_path / "run").mkdir()
    env = {
        **os.environ,
        "OUTPUT": str(output),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO),
    }
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", status_line()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow  # a subprocess
def test_the_summary_step_runs_and_keeps_the_published_success(tmp_path):
    output = tmp_path / "out"
    counts = {"inputs": 2, "documents": 1, "errors": 1, "events": 0, "errors_by_reason": {}}
    published = commit.publish(str(output), "a" * 12, None, [], counts)
    job = tmp_path / "job"
    job.mkdir()
    done = run_status_line(job, output)
    assert done.returncode == 0, done.stderr
    kept = json.loads((tmp_path / "job" / "run" / "_SUCCESS").read_text())
    assert kept == published == parquet.read_success(str(output))
    assert kept["run_id"] == "a" * 12 and kept["inputs"] == 2


@pytest.mark.slow  # a subprocess
def test_the_summary_step_fails_without_a_published_output(tmp_path):
    (tmp_path / "never").mkdir()
    done = run_status_line(tmp_path, tmp_path / "never")
    assert done.returncode == 1
    assert "no complete output" in done.stderr
