"""Run a command as a subprocess and measure it: wall time, CPU time and peak memory.

Peak RSS is measured two ways:
- `peak_rss_tree`: the largest sum of the resident sets of the process and all its descendants
  (Beam's multi-processing workers are child processes), sampled from /proc every
  POLL_SECONDS. This is "the memory the whole run needs".
- `max_rss_process`: the kernel's high-water mark of the largest single process (wait4 rusage),
  exact but per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# Sampling period of the /proc poller: short enough to catch a peak that lasts a fraction of a
# second, long enough that reading the process tree costs well under 1% of a core.
POLL_SECONDS = 0.2
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float  # user + system time of the process and its waited-for children
    # CPU time the rest of the machine used meanwhile (other people's jobs): when it is large,
    # wall times (and the 2-worker speed-up) are skewed; docs per CPU-second much less so.
    other_cpu_s: float
    peak_rss_tree: int  # bytes
    max_rss_process: int  # bytes
    returncode: int


def _children(pid: int) -> list[int]:
    """Child pids of pid, from /proc/<pid>/task/*/children (no scan of all of /proc)."""
    kids: list[int] = []
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            with open(f"{task.path}/children", "rb") as handle:
                kids += [int(k) for k in handle.read().split()]
    except OSError:  # the process or one of its threads ended meanwhile
        pass
    return kids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> int:
    """Sum of the resident sets of root and all its descendants, in bytes."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss(pid)
        todo.extend(_children(pid))
    return total


class _Poller(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(POLL_SECONDS):
            self.peak = max(self.peak, tree_rss(self.pid))


def busy_cpu_s() -> float:
    """CPU seconds all cores of the machine have been busy since boot (from /proc/stat)."""
    try:
        with open("/proc/stat", "rb") as handle:
            fields = [int(f) for f in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    # guest time is already counted in user time: count the first 8 fields only.
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def run_measured(
    cmd: list[str], log: Path | None = None, env: dict | None = None, cwd: Path | None = None
) -> Run:
    """Run cmd (in folder cwd, default the current one) to the end; stdout/stderr go to log
    (or are discarded)."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # closed below
    try:
        busy_before = busy_cpu_s()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        poller = _Poller(proc.pid)
        poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        poller.done.set()
        poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        busy = busy_cpu_s() - busy_before
    finally:
        if log:
            out.close()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(
        wall_s=wall,
        cpu_s=cpu,
        other_cpu_s=max(0.0, busy - cpu),
        peak_rss_tree=max(poller.peak, usage.ru_maxrss * 1024),
        max_rss_process=usage.ru_maxrss * 1024,
        returncode=proc.returncode,
    )


def python_cmd(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]
