"""Pure-Python modules also run compiled (transforms/native/pure.py): which one runs, and that
both give the same results on real and random text."""

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tests.test_native import _can_compile
from transforms import native
from transforms.native import pure

REPO = Path(__file__).resolve().parent.parent
LISTED = pure.listed_modules()
NAMES = [pure.module_name(m) for m in LISTED]


def _imported_files(env_switch: str | None) -> dict[str, str]:
    """{module: its __file__} for every listed module, imported in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if k != native.ENV_SWITCH}
    if env_switch is not None:
        env[native.ENV_SWITCH] = env_switch
    script = (
        "import importlib, json, sys\n"
        "names = json.loads(sys.argv[1])\n"
        "print(json.dumps({n: importlib.import_module(n).__file__ for n in names}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(NAMES)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_list_names_modules_that_exist_and_are_not_dofn_modules():
    assert len(LISTED) == len(set(LISTED))
    for relative in LISTED:
        path = REPO / relative
        assert path.is_file(), relative
        # Beam wires and pickles the DoFns: their modules stay plain Python; so do packages.
        assert path.name not in ("beam.py", "__init__.py"), relative


def test_listed_modules_run_compiled_where_a_compiler_exists():
    files = _imported_files(None)
    if not _can_compile():
        assert all(f.endswith(".py") for f in files.values())
        return
    not_compiled = sorted(n for n, f in files.items() if f.endswith(".py"))
    assert not not_compiled, f"running as Python (not built or stale): {not_compiled}"


def test_the_switch_runs_every_listed_module_as_python():
    files = _imported_files("0")
    assert all(f.endswith(".py") for f in files.values()), files


def _package(tmp_path: Path) -> tuple[Path, Path]:
    package = tmp_path / "purepkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    source = package / "mod.py"
    source.write_text("VALUE = 1\n")
    # Not a loadable extension: a finder that picked it would fail the import.
    (package / f"mod{pure.importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"junk")
    return package, source


def test_a_fresh_build_is_left_to_the_normal_finders(tmp_path):
    package, source = _package(tmp_path)
    digests = {"purepkg.mod": pure.source_digest(source)}
    finder = pure.SourceOrCompiled(["purepkg.mod"], digests, True)
    assert finder.find_spec("purepkg.mod", [str(package)]) is None
    assert finder.find_spec("purepkg.other", [str(package)]) is None  # not listed: not mine


def test_a_stale_build_runs_the_source_and_warns_once(tmp_path):
    package, source = _package(tmp_path)
    finder = pure.SourceOrCompiled(["purepkg.mod"], {"purepkg.mod": "0" * 16}, True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = finder.find_spec("purepkg.mod", [str(package)])
        again = finder.find_spec("purepkg.mod", [str(package)])
    assert spec.origin == str(source) and again.origin == str(source)
    assert sum("stale" in str(w.message) for w in caught) == 1


def test_the_switch_or_a_missing_digest_runs_the_source(tmp_path):
    package, source = _package(tmp_path)
    off = pure.SourceOrCompiled(["purepkg.mod"], {"purepkg.mod": pure.source_digest(source)}, False)
    assert off.find_spec("purepkg.mod", [str(package)]).origin == str(source)
    unknown = pure.SourceOrCompiled(["purepkg.mod"], {}, True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert unknown.find_spec("purepkg.mod", [str(package)]).origin == str(source)


# Runs split, dates and events (bench/stages.py: what the job's DoFns call) over the pages of
# tests/realtexts.py and random texts written as files, and prints one digest per page of
# everything the stages returned.
STAGES_SCRIPT = r"""
import hashlib, json, sys
from pathlib import Path
from bench import stages as S
from transforms.events.extract import EventExtractor
from transforms.temporal.tagger import DateTagger

paths = json.loads(Path(sys.argv[1]).read_text())
docs = S._read(paths)
splits = S._split(docs, {"repeated": None, "n_docs": 1})
tagged = S._dates(DateTagger(), splits)
event_rows, doc_rows, counted = S._events(tagged, EventExtractor())
by_doc = {}
for doc, split, anchor, published, source, mentions, dropped in tagged:
    by_doc[doc.doc_id] = [repr(split), repr(anchor), repr(mentions), repr(dropped)]
for row in event_rows:
    by_doc[row["doc_id"]].append(repr(sorted(row.items())))
for row in doc_rows:
    by_doc[row["doc_id"]].append(repr(sorted(row.items())))
print(json.dumps({k: hashlib.sha256("\n".join(v).encode()).hexdigest() for k, v in by_doc.items()}))
"""


@pytest.mark.slow
def test_compiled_and_python_give_the_same_stage_results(tmp_path):
    from tests import realtexts

    texts = list(realtexts.pages()) + realtexts.random_texts(200, seed=21)
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / f"page-{i:05d}.txt"
        prefix = " date 2019-11-18 \n" if i % 3 else ""  # with and without a publication date
        path.write_text(prefix + text, encoding="utf-8")
        paths.append(str(path))
    listing = tmp_path / "paths.json"
    listing.write_text(json.dumps(paths))
    results = {}
    for switch in ("1", "0"):
        env = {**os.environ, native.ENV_SWITCH: switch}
        done = subprocess.run(
            [sys.executable, "-c", STAGES_SCRIPT, str(listing)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        results[switch] = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(results["1"]) >= len(texts) * 0.9  # nearly every page became a document
    differing = [k for k in results["1"] if results["1"][k] != results["0"].get(k)]
    assert results["1"].keys() == results["0"].keys()
    assert not differing, f"{len(differing)} pages differ, first {differing[:5]}"
