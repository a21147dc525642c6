"""The same job, unchanged, through Beam's portability layer and through local worker processes.

`PortableRunner --job_endpoint=embed --environment_type=EXTERNAL` is the protocol that Flink,
Spark and Dataflow use to talk to Python workers: the pipeline is turned into a runner-API proto,
every DoFn is pickled, shipped over gRPC and run in *another process* (an SDK harness started by
`worker_pool_main`). `embed` is Python's in-process job service, so neither Prism, a Java job
server nor Docker is needed. Both runs must write exactly the rows of the DirectRunner run.

Every subprocess gets a `sitecustomize` that records (and refuses) any connection or DNS lookup
to a non-loopback host and any attempt to start java/docker/prism: the test proves the portable
path needs no network.

`python -m tests.test_portable` measures Direct vs Portable vs multi-process (median of 3).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
TABLES = ("events", "documents", "errors")
# The job on three pages takes ~5 s; a hung worker must fail the test, not stall `make test`.
JOB_TIMEOUT_S = 180
# The worker pool is a plain Python process; it listens within a second or two.
POOL_START_TIMEOUT_S = 30

pytestmark = [pytest.mark.portable, pytest.mark.slow]  # whole jobs, subprocesses

# Installed into every subprocess (client, worker pool, SDK harnesses) through PYTHONPATH.
GUARD = """
import ipaddress, os, sys

_LOG = os.environ.get("NEWSLINE_NETGUARD_LOG")
_LOCAL_NAMES = {"localhost", "ip6-localhost", "", None}
_FORBIDDEN_PROGRAMS = {"java", "docker", "prism"}


def _local(host):
    if isinstance(host, bytes):
        host = host.decode()
    if host in _LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _refuse(what):
    if _LOG:
        with open(_LOG, "a") as handle:
            handle.write(what + "\\n")
    raise PermissionError("newsline test guard: " + what)


def _hook(event, args):
    if event == "socket.connect" and isinstance(args[1], tuple) and not _local(args[1][0]):
        _refuse(f"connect {args[1]!r}")
    elif event == "socket.getaddrinfo" and not _local(args[0]):
        _refuse(f"getaddrinfo {args[0]!r}")
    elif event == "subprocess.Popen":
        program = os.path.basename(str(args[0]))
        if program in _FORBIDDEN_PROGRAMS or program.startswith("prism"):
            _refuse(f"exec {program}")


sys.addaudithook(_hook)
"""


# --- helpers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        return sock.getsockname()[1]


def job_env(guard_dir: Path) -> dict[str, str]:
    """Environment of every subprocess: the guard and the repo on PYTHONPATH, the venv first on
    PATH (the worker pool starts its SDK harnesses as plain `python`)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(guard_dir), str(REPO)])
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["NEWSLINE_NETGUARD_LOG"] = str(guard_dir / "refused.log")
    return env


def write_guard(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(GUARD)
    return folder


@contextlib.contextmanager
def worker_pool(env: dict[str, str], cwd: Path, log: Path) -> Iterator[str]:
    """Start `worker_pool_main` (SDK harnesses in separate processes); yield its address.

    The pool runs in its own session, so the whole process group (pool and the harnesses it
    started) is ended by its id when the block exits, whatever happened.
    """
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "apache_beam.runners.worker.worker_pool_main",
                f"--service_port={port}",
            ],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, proc)
        yield f"localhost:{port}"
    finally:
        stop_group(proc)


def wait_for_port(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + POOL_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"worker pool exited with code {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("localhost", port), 0.5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"worker pool did not listen on port {port}")


def stop_group(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """`python -m pipeline ARGS` exactly as a user types it; fail with its output if it fails."""
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=JOB_TIMEOUT_S,
    )
    if proc.returncode != 0:
        tail = proc.stderr[-4000:]
        raise AssertionError(f"job failed ({proc.returncode}):\n{proc.stdout}\n{tail}")
    return proc


def portable_args(address: str) -> list[str]:
    return [
        "--runner=PortableRunner",
        "--job_endpoint=embed",
        "--environment_type=EXTERNAL",
        f"--environment_config={address}",
    ]


MULTI_PROCESS_ARGS = ["--direct_num_workers=2", "--direct_running_mode=multi_processing"]


def table_rows(output: Path, table: str) -> list[str]:
    """Every row of a table (Hive partition columns included), sorted; file names ignored."""
    rel = duckdb.sql(
        f"select * from read_parquet('{output}/{table}/**/*.parquet', hive_partitioning=true)"
    )
    return sorted(repr(dict(zip(rel.columns, row, strict=True))) for row in rel.fetchall())


def all_rows(output: Path) -> dict[str, list[str]]:
    return {table: table_rows(output, table) for table in TABLES}


def write_bad_inputs(folder: Path) -> str:
    """Two inputs that must become error rows, so the errors table is compared too."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "blank.txt").write_bytes(b" \n\n")
    return str(folder / "*.txt")


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """Inputs, environment, a worker cwd that is NOT the repo, and the DirectRunner reference."""
    from pipeline.run import run

    base = tmp_path_factory.mktemp("portable")
    inputs = ["--input", str(SEEDS / "*.txt"), "--input", write_bad_inputs(base / "bad")]
    env = job_env(write_guard(base / "guard"))
    worker_cwd = base / "elsewhere"
    worker_cwd.mkdir()
    direct_out = base / "direct"
    summary = run([*inputs, "--output", str(direct_out)])
    return {
        "base": base,
        "inputs": inputs,
        "env": env,
        "worker_cwd": worker_cwd,
        "direct": all_rows(direct_out),
        "summary": summary,
    }


def refused(env: dict[str, str]) -> str:
    log = Path(env["NEWSLINE_NETGUARD_LOG"])
    return log.read_text() if log.exists() else ""


# --- tests --------------------------------------------------------------------------------------


def test_reference_run_has_rows_in_every_table(setup):
    direct = setup["direct"]
    assert len(direct["documents"]) == 3
    assert len(direct["errors"]) == 2
    assert direct["events"], "the seeds have dated events"
    assert setup["summary"]["inputs"] == 5


def relative_to_repo(args: list[str]) -> list[str]:
    """The same paths, relative to the repo (the client's cwd), as users often type them."""
    return [os.path.relpath(a, REPO) if a.startswith("/") else a for a in args]


def test_portable_runner_with_external_workers_writes_the_same_rows(setup):
    """Relative --input/--output in the client, workers in another folder: same rows."""
    base, env = setup["base"], setup["env"]
    out = base / "portable"
    log = base / "pool.log"
    args = relative_to_repo([*setup["inputs"], "--output", str(out)])
    assert args[1] == "seeds/*.txt"
    with worker_pool(env, setup["worker_cwd"], log) as address:
        proc = run_cli([*args, *portable_args(address)], env, REPO)
    pool_log = log.read_text(errors="replace")
    # The DoFns really ran in SDK harness processes the pool started, not in the client.
    assert "Starting worker with command" in pool_log, pool_log[-3000:]
    assert "check: read 5 = documents 3 + errors 2 -> OK" in proc.stdout
    assert refused(env) == ""
    rows = all_rows(out)
    for table in TABLES:
        assert rows[table] == setup["direct"][table], table


LATE_PAGE = (
    " date 2021-03-04 Council approves the new bridge\n"
    "The city council approved the bridge on Monday after a debate that began in May 2019.\n"
    "Work starts in the second quarter of 2022 and should end by December 31, 2024.\n"
)


def test_incremental_run_adds_the_same_rows_on_both_runners(setup):
    """From the same complete output, `--incremental` with one new page adds the same rows through
    the PortableRunner as through the DirectRunner (driver-side file list, manifest, append)."""
    from pipeline.run import run

    base, env = setup["base"], setup["env"]
    late = base / "late"
    late.mkdir()
    (late / "bridge.txt").write_text(LATE_PAGE, encoding="utf-8")
    args = [*setup["inputs"], "--input", str(late / "*.txt"), "--incremental"]
    for name in ("direct_inc", "portable_inc"):
        shutil.copytree(base / "direct", base / name, symlinks=True)  # as cp -a: links kept
    summary = run([*args, "--output", str(base / "direct_inc")])
    assert summary["mode"] == "incremental" and summary["inputs"] == 1
    with worker_pool(env, setup["worker_cwd"], base / "pool_inc.log") as address:
        proc = run_cli(
            [*args, "--output", str(base / "portable_inc"), *portable_args(address)], env, REPO
        )
    assert "incremental: 5 unchanged files skipped" in proc.stdout, proc.stdout
    direct, portable = all_rows(base / "direct_inc"), all_rows(base / "portable_inc")
    assert len(direct["documents"]) == 4 and direct["events"] != setup["direct"]["events"]
    for table in TABLES:
        assert portable[table] == direct[table], table


def test_multi_process_direct_runner_writes_the_same_rows(setup):
    base, env = setup["base"], setup["env"]
    out = base / "multi"
    proc = run_cli([*setup["inputs"], "--output", str(out), *MULTI_PROCESS_ARGS], env, REPO)
    assert "check: read 5 = documents 3 + errors 2 -> OK" in proc.stdout
    assert refused(env) == ""
    rows = all_rows(out)
    for table in TABLES:
        assert rows[table] == setup["direct"][table], table


def test_guard_refuses_the_network_in_subprocesses(tmp_path):
    """The guard is live: a subprocess with the same environment cannot resolve a public name."""
    env = job_env(write_guard(tmp_path / "guard"))
    code = (
        "import socket\n"
        "try:\n    socket.getaddrinfo('example.com', 443)\n"
        "except PermissionError:\n    print('refused')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.strip() == "refused"
    assert "getaddrinfo 'example.com'" in refused(env)


# --- measurement: python -m tests.test_portable ------------------------------------------------


def measure(repeats: int = 3) -> dict[str, list[float]]:
    """Wall times of the CLI on seeds/ per mode (the worker pool is started once, before
    the portable runs, like a cluster's workers; its start-up is not counted)."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="newsline-measure-"))
    env = job_env(write_guard(base / "guard"))
    inputs = ["--input", str(SEEDS / "*.txt")]
    times: dict[str, list[float]] = {"direct": [], "multi_process": [], "portable": []}

    def timed(mode: str, extra: list[str]) -> None:
        start = time.perf_counter()
        run_cli([*inputs, "--output", str(base / mode), *extra], env, REPO)
        times[mode].append(time.perf_counter() - start)

    with worker_pool(env, base, base / "pool.log") as address:
        for _ in range(repeats):
            timed("direct", [])
            timed("multi_process", MULTI_PROCESS_ARGS)
            timed("portable", portable_args(address))
    return times


if __name__ == "__main__":
    for mode, values in measure().items():
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"{mode:14s} median of {len(values)}: {statistics.median(values):6.2f} s  ({runs})")
