"""One writer per output: the driver holds the output's lock for the whole run.

Two locks, both `filelock` (fcntl/flock on POSIX; released by the kernel when the process dies,
so a killed run never leaves a lock held):

- `OUT/_newsline.lock`: held from the start of the run to its end, so two runs on one host
  never write one output at the same time. The second run waits `lock_timeout` seconds
  (default 0) and then refuses with exit code 75 (BUSY), having changed nothing.
- `OUT/_v/<run_id>.lock`: held by the run that writes that version folder. A version folder
  that is neither current, nor kept by retention, nor locked is the staging of a run that died:
  it is deleted at the start of the next run, and by retention after each commit.

Locks work across the processes of one host (and across hosts on file systems whose flock is
shared, which NFS does not promise). On object stores there is no lock: there the commit's
version check is the only guard (transforms/output/commit.py).
"""

from __future__ import annotations

import logging
import os
import re

from filelock import FileLock, Timeout

from transforms.output import commit, existing, guard


def is_held(path: str) -> bool:
    """Is the lock file at path held by some process (this one included)?"""
    if not os.path.exists(path):
        return False
    probe = FileLock(path, timeout=0)
    try:
        probe.acquire()
    except Timeout:
        return True
    probe.release()
    return False


class RunLock:
    """Context manager: the output's lock and this run's version lock. On exit, a run whose
    version did not become current deletes that version (its own staging) and nothing else."""

    def __init__(self, output: str, run_id: str, timeout: float = 0, keep: int = 2):
        self.output = output
        self.run_id = run_id
        self.timeout = timeout
        self.keep = keep
        self.locks: list[FileLock] = []
        self.found = existing.Existing("empty")  # what the output held, seen under the lock

    def __enter__(self) -> RunLock:
        """Take the output's lock and look at the output (nothing is changed yet)."""
        if not commit.is_local(self.output):
            logging.warning(
                "newsline: %s is on an object store: no lock; run one writer at a time",
                self.output,
            )
        else:
            os.makedirs(self.output, exist_ok=True)
            lock = FileLock(os.path.join(self.output, commit.LOCK), timeout=self.timeout)
            try:
                lock.acquire()
            except Timeout:
                raise guard.Refused(
                    guard.BUSY,
                    f"another newsline run is writing {self.output} (it holds {commit.LOCK}); "
                    "nothing was changed: try again when it has finished, or pass --lock_timeout",
                ) from None
            self.locks.append(lock)
        self.found = existing.inspect(self.output)
        if self.found.kind == "foreign":
            raise guard.Refused(guard.OUTPUT_REFUSED, foreign_message(self.output, self.found))
        return self

    def prepare(self) -> existing.Existing:
        """The run goes ahead: adopt the output (a layout-1 output becomes version `legacy`; an
        empty one gets the marker), take this run's version lock, delete stale staging and
        versions beyond `keep`. Returns what the output holds now."""
        if self.found.kind == "legacy" and commit.is_local(self.output):
            existing.migrate_legacy(self.output)
        elif self.found.kind in ("empty", "legacy"):  # legacy here: on an object store
            commit.write_marker(self.output)
        if commit.is_local(self.output):
            os.makedirs(os.path.join(self.output, commit.VERSIONS), exist_ok=True)
            own = FileLock(self.own_lock, timeout=0)
            own.acquire()
            self.locks.append(own)
        commit.remove_unkept(self.output, self.keep, is_held)
        self.found = existing.inspect(self.output)
        return self.found

    @property
    def own_lock(self) -> str:
        """This run's version lock: `OUT/_v/<run_id>.lock`."""
        return os.path.join(self.output, commit.VERSIONS, self.run_id + ".lock")

    def __exit__(self, *exc) -> None:
        try:
            commit.delete_own_staging(self.output, self.run_id)
        finally:
            for lock in reversed(self.locks):
                lock.release()
            if os.path.exists(self.own_lock) and commit.is_local(self.output):
                os.unlink(self.own_lock)
            self.locks = []


# --- the driver's decisions under the lock ---


def foreign_message(output: str, found: existing.Existing) -> str:
    """The one-line refusal for an output folder that is not newsline's."""
    return (
        f"--output {output!r} is not empty and is not a newsline output ({found.reason}): "
        "nothing was changed; give an empty folder or a newsline output"
    )


def check_incremental(output: str, found: existing.Existing) -> None:
    """Refused(INCREMENTAL_REFUSED) unless the current version is complete, has a manifest and
    was written with this newsline's table schema."""
    base = found.current
    if not found.complete:
        raise guard.Refused(
            guard.INCREMENTAL_REFUSED,
            f"--incremental: the current version ({base}) of {output} is incomplete (no readable "
            "_SUCCESS); an incremental run would silently drop its history. Run without "
            "--incremental over all the inputs to rebuild it",
        )
    written = existing.version_schema(output, base, found.success)
    if written != commit.schema_version():
        raise guard.Refused(
            guard.INCREMENTAL_REFUSED,
            f"--incremental: {output} was written with table schema {written}, this newsline "
            f"writes {commit.schema_version()}; run without --incremental to rewrite it",
        )
    if not commit.sinks.list_files(existing.base_path(output, base, commit.MANIFEST)):
        raise guard.Refused(
            guard.INCREMENTAL_REFUSED,
            f"--incremental: the current version ({base}) of {output} has no input manifest; "
            "run without --incremental",
        )


def conflict_message(exc: BaseException) -> str | None:
    """The CommitConflict message inside a runner's exception (runners wrap the DoFn's)."""
    return wrapped_message(exc, commit.CommitConflict)


def wrapped_message(exc: BaseException, kind: type[BaseException]) -> str | None:
    """The message of an exception of type `kind` raised in a DoFn, from the runner's exception
    that wraps it (its text names the type), or from `exc` itself; None when it is not one."""
    text = str(exc)
    marker = kind.__name__ + ": "
    if isinstance(exc, kind):
        return text
    if marker not in text:
        return None
    line = text[text.index(marker) + len(marker) :].splitlines()[0]
    return re.sub(r" \[while running '[^']*'\]$", "", line)  # the runner's step name


def failure_message(argv: list[str], exc: BaseException) -> str:
    """One line for a failed run: what failed, and that the output is unchanged."""
    first = (str(exc).strip().splitlines() or [""])[-1][:300]
    return (
        f"newsline: the run failed ({type(exc).__name__}: {first}); nothing was published, "
        "the output is as it was"
    )
