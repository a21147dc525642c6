"""docker/: the image and the Flex Template agree with the package (no Docker engine needed).

One place pins Beam: pyproject.toml's `apache-beam==X`. The Dockerfile's SDK base image tag, its
Python version and the launcher base must follow it; the template's parameters must be exactly
newsline's own options (read from NewslineOptions, so a new option fails here until the template
offers it too), each one usable as `--name=value`, the only form a Flex Template passes.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.options import NewslineOptions, unknown_flags

REPO = Path(__file__).resolve().parent.parent
DOCKER = REPO / "docker"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
LAUNCHER_BINARY = "/opt/google/dataflow/python_template_launcher"
BEAM_BOOT = "/opt/apache/beam/boot"

# Values a template user would type; every parameter's regex must accept at least one of them
# (add one here when a new kind of parameter is added).
SAMPLE_VALUES = (
    "gs://my-bucket/news/2024-05-01/*.txt",
    "gs://my-bucket/newsline",
    "s3://bucket/out",
    "true",
    "false",
    "text",
    "date",
    "10",
)


def pinned(package: str) -> str:
    for dep in PYPROJECT["project"]["dependencies"]:
        name, _, version = dep.partition("==")
        if name.strip() == package:
            return version.strip()
    raise AssertionError(f"{package} is not pinned with == in pyproject.toml")


def python_version() -> str:
    """'3.11' from requires-python '>=3.11,<3.12' (one minor version, as the image has one)."""
    spec = PYPROJECT["project"]["requires-python"]
    low = re.search(r">=\s*3\.(\d+)", spec)
    high = re.search(r"<\s*3\.(\d+)", spec)
    assert low and high and int(high.group(1)) == int(low.group(1)) + 1, spec
    return f"3.{low.group(1)}"


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text())
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


DOCKERFILE = instructions(DOCKER / "Dockerfile")


def of(keyword: str) -> list[str]:
    return [rest for kw, rest in DOCKERFILE if kw == keyword]


# --- Dockerfile ---------------------------------------------------------------------------------


def test_sdk_base_image_is_the_pinned_beam_and_python():
    beam, py = pinned("apache-beam"), python_version()
    final_stage = of("FROM")[-1].split()[0]  # the image that is built is the last stage
    assert final_stage == f"apache/beam_python{py}_sdk:{beam}"


def test_gcp_extra_pins_the_same_beam():
    extras = PYPROJECT["project"]["optional-dependencies"]["gcp"]
    assert f"apache-beam[gcp]=={pinned('apache-beam')}" in extras


def test_launcher_binary_comes_from_the_flex_template_base_of_the_same_python():
    py = python_version().replace(".", "")
    stages = {}
    for rest in of("FROM"):
        parts = rest.split()
        if len(parts) == 3 and parts[1].upper() == "AS":
            stages[parts[2]] = parts[0]
    copies = [c.split() for c in of("COPY") if c.startswith("--from=")]
    assert copies, "the launcher binary must be copied from the Flex Template base image"
    for args in copies:
        stage = args[0].removeprefix("--from=")
        image = stages.get(stage, stage)
        assert image.split(":")[0] == (
            f"gcr.io/dataflow-templates-base/python{py}-template-launcher-base"
        )
        assert args[1:] == [LAUNCHER_BINARY, LAUNCHER_BINARY]


def test_every_copied_source_exists_and_is_not_docker_ignored():
    ignored = [
        line.strip()
        for line in (DOCKER / "Dockerfile.dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    sources = [s for c in of("COPY") if not c.startswith("--from=") for s in c.split()[:-1]]
    assert {"pyproject.toml", "pipeline", "transforms"} <= set(sources)
    for source in sources:
        assert (REPO / source).exists(), source
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), source


def test_the_project_is_installed_not_just_copied():
    runs = " && ".join(of("RUN"))
    assert re.search(r"pip install [^&]*\"?\.(\[gcp\])?\"?", runs), runs


@pytest.mark.slow  # runs the CLI in a subprocess
def test_flex_template_entry_point_is_copied_and_runs_the_pipeline_cli():
    env = dict(line.split("=", 1) for line in of("ENV") if "=" in line)
    workdir = of("ARG")[0].split("=", 1)[1] if of("ARG") else of("WORKDIR")[0]
    py_file = env["FLEX_TEMPLATE_PYTHON_PY_FILE"].strip('"').replace("${WORKDIR}", workdir)
    copied = {}
    for rest in of("COPY"):
        parts = rest.split()
        if not rest.startswith("--from="):
            copied[str(Path(workdir) / parts[-1])] = parts[0]
    assert py_file in copied, (py_file, copied)
    # The launcher runs `python <py_file> --name=value ...`: it must be newsline's CLI.
    proc = subprocess.run(
        [sys.executable, str(REPO / copied[py_file]), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 0, proc.stderr
    assert "--output" in proc.stdout and "newsline" in proc.stdout


def test_entrypoint_is_beams_boot_so_the_image_works_as_sdk_container():
    assert json.loads(of("ENTRYPOINT")[-1]) == [BEAM_BOOT]


# Code, not data: Python source and bytecode, and the compiled accelerators' Cython source and
# build products (transforms/native: setup.py builds each .pyx into an extension module).
CODE_SUFFIXES = (".py", ".pyc", ".pyx", ".c", ".so")


def data_files(top: Path) -> list[str]:
    """Every file under top that is not code (tracked or not), relative to top."""
    skip = {"__pycache__"}
    return sorted(
        p.relative_to(top).as_posix()
        for p in top.rglob("*")
        if p.is_file() and p.suffix not in CODE_SUFFIXES and not skip & set(p.parts)
    )


def test_every_data_file_is_package_data_so_an_installed_copy_finds_it():
    """The image installs the package (not editable): every non-Python file under transforms/
    (rules, word lists, ...) must be package data and every code folder a package."""
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"].get("transforms", [])
    files = data_files(REPO / "transforms")
    assert any(name.endswith("rules/dates.yaml") for name in files)  # the walk finds them
    missing = [n for n in files if not any(fnmatch.fnmatch(n, p) for p in patterns)]
    assert missing == [], "add these to [tool.setuptools.package-data] in pyproject.toml"
    for top in ("pipeline", "transforms"):
        for folder in [REPO / top, *[p for p in (REPO / top).rglob("*") if p.is_dir()]]:
            if any(folder.glob("*.py")):
                assert (folder / "__init__.py").exists(), folder


def test_cloud_build_config_builds_this_dockerfile():
    config = yaml.safe_load((DOCKER / "cloudbuild.yaml").read_text())
    args = config["steps"][0]["args"]
    assert args[:3] == ["build", "-f", "docker/Dockerfile"] and args[-1] == "."
    assert config["images"] == ["${_IMAGE}"]


# --- metadata.json ------------------------------------------------------------------------------

METADATA = json.loads((DOCKER / "metadata.json").read_text())
PARAMS = {p["name"]: p for p in METADATA["parameters"]}


def newsline_actions() -> dict[str, argparse.Action]:
    parser = argparse.ArgumentParser()
    NewslineOptions._add_argparse_args(parser)
    return {a.dest: a for a in parser._actions if a.dest != "help"}


def test_template_parameters_are_exactly_newslines_options():
    assert len(PARAMS) == len(METADATA["parameters"]), "duplicate parameter names"
    assert set(PARAMS) == set(newsline_actions())


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_parameter_is_documented_and_constrained(name):
    param = PARAMS[name]
    assert param["label"].strip() and len(param["helpText"]) >= 30
    assert isinstance(param["isOptional"], bool)
    assert param["regexes"]
    for regex in param["regexes"]:
        compiled = re.compile(regex)
        if not param["isOptional"]:
            assert not compiled.fullmatch(""), "a required value cannot be empty"
        assert not compiled.fullmatch("gs://bucket/a\nb"), "a newline must be refused"


def load_launcher():
    spec = importlib.util.spec_from_file_location("newsline_launch", DOCKER / "launch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LAUNCHER = load_launcher()


def expected_value(action: argparse.Action, value: str):
    if action.nargs == 0:  # a switch: the launcher turns =true into the bare flag
        return value == "true"
    if action.type is not None:  # a typed option (int, float): parsed by its type
        value = action.type(value)
    return [value] if isinstance(action, argparse._AppendAction) else value


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_parameter_values_reach_the_pipeline_as_name_equals_value(name):
    """Flex Templates pass `--name=value` (through docker/launch.py): a typo, or a regex that
    refuses every valid value, would make the template unusable."""
    action = newsline_actions()[name]
    regexes = [re.compile(r) for r in PARAMS[name]["regexes"]]
    values = list(action.choices) if action.choices else list(SAMPLE_VALUES)
    accepted = [v for v in values if all(r.fullmatch(v) for r in regexes)]
    if action.choices:
        assert accepted == values, "the regex must accept every choice"
        assert not all(r.fullmatch("maybe") for r in regexes), "and refuse other values"
    assert accepted, f"no sample value matches {name}'s regexes"
    for value in accepted:
        argv = LAUNCHER.template_argv([f"--{name}={value}"])
        assert unknown_flags(argv) == []
        parsed = getattr(PipelineOptions(argv).view_as(NewslineOptions), name)
        assert parsed == expected_value(action, value)


def test_launcher_turns_template_switches_into_flags_and_keeps_the_rest():
    switches = sorted(LAUNCHER.switches())
    assert "--incremental" in switches
    argv = ["--input=gs://b/x/*.txt", "--incremental=true", "--runner=DataflowRunner"]
    assert LAUNCHER.template_argv(argv) == ["--input=gs://b/x/*.txt", "--incremental", argv[2]]
    assert LAUNCHER.template_argv(["--incremental=false"]) == []
    with pytest.raises(SystemExit):
        LAUNCHER.template_argv(["--incremental=yes please"])


def readme_commands() -> list[list[str]]:
    """The shell commands in the fenced sh blocks of docs/operations.md ("Running at scale")."""
    doc = (REPO / "docs" / "operations.md").read_text()
    section = doc.split("<!-- scale:start -->")[1].split("<!-- scale:end -->")[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    commands = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            # A command substitution such as $(date +%Y%m%d) is one word once the shell ran it.
            line = re.sub(r"\$\([^)]*\)", "SUBST", line)
            tokens = shlex.split(line, comments=True)
            if tokens:
                commands.append(tokens)
    return commands


def test_readme_builds_the_flex_template_from_these_files():
    build = [
        c for c in readme_commands() if c[:4] == ["gcloud", "dataflow", "flex-template", "build"]
    ]
    assert build, "docs/operations.md must show the Flex Template build"
    flags = " ".join(build[0])
    assert "--metadata-file docker/metadata.json" in flags
    assert "--sdk-language PYTHON" in flags and "--image $IMAGE" in flags
    images = [c for c in readme_commands() if c[:2] == ["docker", "build"]]
    assert images and images[0][2:4] == ["-f", "docker/Dockerfile"]


def test_readme_runner_commands_are_valid_cli_invocations():
    """Every `python -m pipeline ...` shown for Dataflow, Flink and Spark parses, and runs on the
    runner it documents."""
    runs = [c[3:] for c in readme_commands() if c[:3] == ["python", "-m", "pipeline"]]
    runners = set()
    for args in runs:
        assert unknown_flags(args) == [], args
        options = PipelineOptions(args)
        runners.add(options.get_all_options()["runner"])
        assert options.view_as(NewslineOptions).output.split("://")[0] in {"gs", "s3", "hdfs"}
    assert {"DataflowRunner", "FlinkRunner", "SparkRunner"} <= runners
    template_runs = [
        c for c in readme_commands() if c[:4] == ["gcloud", "dataflow", "flex-template", "run"]
    ]
    assert template_runs
    params = ",".join(
        v for i, v in enumerate(template_runs[0]) if template_runs[0][i - 1] == "--parameters"
    )
    names = {pair.split("=", 1)[0] for pair in params.split(",")}
    assert names - {"sdk_container_image"} <= set(PARAMS), names
