"""Fault-injection points and barriers for the tests of the commit protocol.

Every step of a run that changes the output folder calls `point(name)`. Without the environment
variables below, `point` does nothing (one dictionary look-up). With them, tests kill or fail a
run at an exact step, or hold two runs at named steps, without sleeps:

- `NEWSLINE_FAULT=<step>:kill` kills the process with SIGKILL when it reaches <step>
  (as `kill -9` or the OOM killer would); `<step>:fail` raises `InjectedFault` (an OSError,
  as a full disk or a lost mount would); `<step>:interrupt` sends the process SIGINT (Ctrl-C).
  Several, comma-separated.
- `NEWSLINE_BARRIER=<folder>` makes every step create `<folder>/<step>.<pid>.reached` and, when
  `<folder>/<step>.hold` exists, wait until it is removed. A test creates the `.hold` file,
  starts the runs, waits for `.reached`, does what it wants, then removes `.hold`.

Steps (in the order a run reaches them) are listed in `STEPS`; tests/test_commit_faults.py
kills the job at each of them.
"""

from __future__ import annotations

import os
import signal
import time

FAULT_ENV = "NEWSLINE_FAULT"
BARRIER_ENV = "NEWSLINE_BARRIER"
# A barrier waits at most this long (seconds) for its .hold file to go: a test that forgets to
# release a run must fail, not hang CI.
BARRIER_TIMEOUT = 300.0

STEPS = (
    "locked",  # the driver holds the output's lock and has planned the run
    "staged",  # every table is written to the staging folder (publish begins)
    "linked",  # incremental: the previous version's files are linked into staging
    "reported",  # local disk: the version's report.html is written into staging
    "marked",  # the version's _SUCCESS is written (staging is complete)
    "checked",  # the current pointer still names the version the run started from
    "switched",  # the pointer names the new version: the run is published
    "retained",  # versions beyond the retention count are deleted
)


class InjectedFault(OSError):
    """The failure a test asked for at a named step."""


def point(step: str) -> None:
    """A named step of the run: kill, fail or wait here if a test asked for it."""
    faults = os.environ.get(FAULT_ENV)
    if faults:
        for spec in faults.split(","):
            name, _, action = spec.partition(":")
            if name == step:
                if action == "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                if action == "interrupt":
                    os.kill(os.getpid(), signal.SIGINT)
                    time.sleep(1)  # the KeyboardInterrupt is raised here
                    return
                raise InjectedFault(f"injected failure at step {step!r}")
    folder = os.environ.get(BARRIER_ENV)
    if folder:
        _barrier(folder, step)


def _barrier(folder: str, step: str) -> None:
    reached = os.path.join(folder, f"{step}.{os.getpid()}.reached")
    with open(reached, "w") as handle:
        handle.write(step)
    hold = os.path.join(folder, f"{step}.hold")
    deadline = time.monotonic() + BARRIER_TIMEOUT
    while os.path.exists(hold):
        if time.monotonic() > deadline:
            raise TimeoutError(f"barrier {hold} was never released")
        time.sleep(0.01)
