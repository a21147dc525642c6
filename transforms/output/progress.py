"""Progress of a local run on stderr: documents done, their rate, errors so far.

The mechanism, and the one documented exception to the rule "no module-level mutable state"
(ARCHITECTURE.md, "Progress"): `ProgressFn` watches the document rows and the error rows as they
are made; in its `setup()` it takes the process's one `Reporter` from `_REPORTERS` (created on
first use, shared by every DoFn instance and thread of that process), so that one process
prints one line per interval however many bundles, stages and threads feed it. The reporter is
rate-limited: it prints at most once per `interval` seconds, from whichever thread counts an
element after the interval has passed (no timer thread).

Display (tqdm, https://github.com/tqdm/tqdm, MPL-2.0/MIT): on a terminal, one tqdm bar redrawn
in place; when stderr is not a terminal (a log file, CI, a pipe), or when several worker
processes share the terminal (``--direct_num_workers`` > 1), one plain line per interval
(`Reporter.line`), never a carriage return; with several worker processes each line
names its worker (its pid). Only the local runner gets progress (pipeline/run.py adds
`ShowProgress` there and not with ``--quiet``): on a distributed runner the workers' stderr is
a log, and the runner's console shows the Beam counters instead.
"""

from __future__ import annotations

import os
import sys
import threading
import time

import apache_beam as beam

# Seconds between two progress lines: often enough to see a run move, rare enough that a log of
# a one-hour run stays a few hundred lines (a terminal bar redraws at the same pace).
INTERVAL_SECONDS = 2.0
DOCUMENTS, ERRORS = "documents", "errors"

# The exception to the no-module-state rule: one reporter per process (key: the run's id).
_REPORTERS: dict[str, Reporter] = {}
_REPORTERS_LOCK = threading.Lock()


class Reporter:
    """Counts documents and errors and prints them at most once per `interval` seconds.

    stream: where to print (stderr); bar: a tqdm bar redrawn in place (a terminal shared by no
    other worker) or else plain lines; worker: a label for plain lines (None: none)."""

    def __init__(self, stream, bar: bool, interval: float = INTERVAL_SECONDS, worker=None):
        self.stream = stream
        self.interval = interval
        self.worker = worker
        self.counts = {DOCUMENTS: 0, ERRORS: 0}
        self.started = time.monotonic()
        self.shown = self.started
        self.lock = threading.Lock()
        self.closed = False
        self.bar = None
        if bar:
            from tqdm import tqdm

            self.bar = tqdm(
                unit=" docs", file=stream, mininterval=interval, dynamic_ncols=True, leave=False
            )

    def add(self, kind: str, n: int = 1) -> None:
        """Count n elements of `kind` (DOCUMENTS or ERRORS); print if the interval has passed."""
        with self.lock:
            self.counts[kind] += n
            now = time.monotonic()
            if now - self.shown >= self.interval:
                self.shown = now
                self._show(now)

    def line(self, now: float | None = None) -> str:
        """The progress as one line:
        ``newsline: 1,200 documents in 00:30 (40.0/s), 3 errors``."""
        from tqdm import tqdm

        elapsed = (now if now is not None else time.monotonic()) - self.started
        done = self.counts[DOCUMENTS]
        rate = done / elapsed if elapsed > 0 else 0.0
        who = f" worker {self.worker}" if self.worker is not None else ""
        return (
            f"newsline{who}: {done:,} documents in {tqdm.format_interval(elapsed)} "
            f"({rate:.1f}/s), {self.counts[ERRORS]:,} errors"
        )

    def _show(self, now: float) -> None:
        if self.closed:
            return
        if self.bar is not None:
            self.bar.n = self.counts[DOCUMENTS]
            self.bar.set_postfix_str(f"{self.counts[ERRORS]} errors", refresh=False)
            self.bar.refresh()
            return
        self.stream.write(self.line(now) + "\n")
        self.stream.flush()

    def close(self) -> None:
        """The end of the process's work: remove the bar from the terminal, or print a last
        line (so that every run with documents or errors leaves one in a log); print no more."""
        with self.lock:
            if self.closed:
                return
            if self.bar is None and any(self.counts.values()):
                self._show(time.monotonic())
            self.closed = True
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def shared_reporter(run_id: str, workers: int, interval: float) -> Reporter:
    """The process's reporter for run `run_id`, created on first use (see the module docstring).
    workers: the local runner's worker processes (--direct_num_workers)."""
    with _REPORTERS_LOCK:
        reporter = _REPORTERS.get(run_id)
        if reporter is None:
            stream = sys.stderr
            bar = workers <= 1 and stream.isatty()
            worker = os.getpid() if workers > 1 else None
            reporter = _REPORTERS[run_id] = Reporter(stream, bar, interval, worker)
        return reporter


class ProgressFn(beam.DoFn):
    """Counts the elements it sees (`kind`: DOCUMENTS or ERRORS) into the process's reporter;
    emits nothing. The reporter is taken in setup() (not pickled with the DoFn)."""

    def __init__(self, kind: str, run_id: str, workers: int, interval: float):
        self.kind = kind
        self.run_id = run_id
        self.workers = workers
        self.interval = interval

    def setup(self):
        """Take the process's reporter (created by the first DoFn instance of the run)."""
        self.reporter = shared_reporter(self.run_id, self.workers, self.interval)

    def process(self, element):
        """Count one document row or error row."""
        self.reporter.add(self.kind)
        return ()

    def teardown(self):
        """Clear the terminal bar when the process's DoFns are torn down (end of the run)."""
        reporter = getattr(self, "reporter", None)
        if reporter is not None:
            reporter.close()


class ShowProgress(beam.PTransform):
    """``{"documents": document rows, "errors": error rows}`` -> nothing; progress on stderr
    (local runner only: pipeline/build.py adds it when asked)."""

    def __init__(self, run_id: str, workers: int = 1, interval: float = INTERVAL_SECONDS):
        super().__init__()
        self.run_id = run_id
        self.workers = workers
        self.interval = interval

    def expand(self, pcolls: dict):
        """One counting ParDo per collection."""
        for kind in (DOCUMENTS, ERRORS):
            _ = pcolls[kind] | f"Progress {kind}" >> beam.ParDo(
                ProgressFn(kind, self.run_id, self.workers, self.interval)
            )
        return beam.pvalue.PDone(next(iter(pcolls.values())).pipeline)
