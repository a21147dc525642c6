"""The inputs of the differential gate, written under one folder, one sub-folder per set.

Sets (each a sub-folder of ``<root>``, so that sources are keyed ``<set>/<path>``):

- ``bench``: the first ``pages`` pages of the benchmark archive (bench/generate.py, seed 7,
  10% gzip-compressed), deterministic byte for byte;
- ``seeds``: seeds/*.txt;
- ``bad``: the bad-input corpus of tests/badinputs.py (every case, as the tests write it);
- ``timebank``: the TimeBank/AQUAINT texts as eval/dates.py feeds them (`` date <DCT> `` + text);
- ``boilerplate``: the labelled web pages eval/body.py reads (shared data ``boilerplate/texts``);
- ``hostile``, ``follow``: the inputs of tests/hostile.py that attack through their names, kind
  or layout (non-UTF-8 names, FIFOs, sockets, links, overlapping zip entries), read without and
  with ``--follow_links`` (their link targets live in ``hostile-outside``, ``follow-outside``).

Nothing here imports the job's own modules (transforms/): the gate runs the job through its
command line only, so it keeps working while the code inside is moved around.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Pages of the bench archive: enough to exercise every page shape and site template (40 sites,
# gzip and plain files, with and without prefix) while the whole check stays near 2 minutes.
BENCH_PAGES = 1000
BENCH_SEED = 7
BENCH_GZ_SHARE = 0.1


@dataclass(frozen=True)
class Job:
    """One run of the job: a name (key prefix), its --input patterns and extra flags."""

    name: str
    inputs: tuple[str, ...]
    flags: tuple[str, ...] = ()


def shared_dir() -> Path:
    """The shared data folder (beside the repository on a fresh clone)."""
    from bench.material import shared_dir as bench_shared

    return Path(bench_shared())


def write_bench(folder: Path, pages: int) -> None:
    from bench.generate import generate

    generate(folder, pages, seed=BENCH_SEED, gz_share=BENCH_GZ_SHARE)
    (folder / "manifest.json").unlink()  # the generator's cache note, not a page


def write_seeds(folder: Path) -> None:
    folder.mkdir(parents=True)
    for path in sorted((REPO / "seeds").glob("*.txt")):
        shutil.copyfile(path, folder / path.name)


def write_bad(folder: Path) -> None:
    from tests import badinputs

    badinputs.write_corpus(folder, badinputs.build_cases())


def write_timebank(folder: Path, shared: Path) -> None:
    from eval.timeml import convert, load_corpus

    docs = load_corpus(shared / "data" / "timebank")
    if not docs:
        raise SystemExit(f"diffcheck: no TimeML documents under {shared}/data/timebank")
    convert(docs, folder)


def write_boilerplate(folder: Path, shared: Path) -> None:
    pages = sorted((shared / "data" / "boilerplate" / "texts").glob("*.txt"))
    if not pages:
        raise SystemExit(f"diffcheck: no labelled pages under {shared}/data/boilerplate/texts")
    folder.mkdir(parents=True)
    for path in pages:
        shutil.copyfile(path, folder / path.name)


def write_hostile(folder: Path, outside: Path, follow_links: bool) -> None:
    """Every case of tests/hostile.py read by a folder input with (or without) --follow_links,
    each in its own sub-folder (with the good document beside it)."""
    from tests import hostile

    for name, case in sorted(hostile.CASES.items()):
        if case.pattern is None and ("--follow_links" in case.flags) == follow_links:
            hostile.write_case_in(folder / name, outside / name, case)


def write_inputs(root: Path, pages: int = BENCH_PAGES) -> list[Job]:
    """Write every set under root (which must not exist yet); return the jobs to run.

    Job ``main`` reads all sets with the default options. Job ``lc`` reads the labelled web
    pages again with ``--corpus_line_counts true``: that path splits a page using the other
    pages of the run, so it runs on one fixed set of its own."""
    shared = shared_dir()
    root.mkdir(parents=True)
    write_bench(root / "bench", pages)
    write_seeds(root / "seeds")
    write_bad(root / "bad")
    write_timebank(root / "timebank", shared)
    write_boilerplate(root / "boilerplate", shared)
    write_hostile(root / "hostile", root / "hostile-outside", False)
    write_hostile(root / "follow", root / "follow-outside", True)
    main = Job(
        "main",
        (
            str(root / "bench" / "shard-*" / "doc-*"),
            str(root / "seeds" / "*.txt"),
            str(root / "bad"),
            str(root / "timebank" / "*" / "*.txt"),
            str(root / "boilerplate" / "*.txt"),
        ),
    )
    lines = Job("lc", (str(root / "boilerplate" / "*.txt"),), ("--corpus_line_counts", "true"))
    hostile = Job("hostile", (str(root / "hostile"),))
    follow = Job("follow", (str(root / "follow"),), ("--follow_links",))
    return [main, lines, hostile, follow]
