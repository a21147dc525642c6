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
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

# Sampling period of the /proc poller: short enough to catch a peak that lasts a fraction of a
# second, long enough that scanning /proc costs well under 1% of a core.
POLL_SECONDS = 0.1
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float  # user + system time of the process and its waited-for children
    peak_rss_tree: int  # bytes
    max_rss_process: int  # bytes
    returncode: int


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The process name is in parentheses and may contain spaces: parse after the last ')'.
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> int:
    """Sum of the resident sets of root and all its descendants, in bytes."""
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss(pid)
        todo.extend(tree.get(pid, ()))
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


def run_measured(cmd: list[str], log: Path | None = None, env: dict | None = None) -> Run:
    """Run cmd to the end; stdout/stderr go to log (or are discarded)."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        poller = _Poller(proc.pid)
        poller.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        poller.done.set()
        poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log:
            out.close()
    return Run(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_tree=max(poller.peak, usage.ru_maxrss * 1024),
        max_rss_process=usage.ru_maxrss * 1024,
        returncode=proc.returncode,
    )


def median_run(runs: list[Run]) -> dict:
    """Medians of every field of repeated runs (and how many there were)."""
    fields = asdict(runs[0]).keys()
    summary = {f: statistics.median(getattr(r, f) for r in runs) for f in fields}
    summary["repeats"] = len(runs)
    summary["walls_s"] = [round(r.wall_s, 3) for r in runs]
    return summary


def python_cmd(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]
