"""A non-local filesystem: the job reads `memfs://` inputs and writes a `memfs://` output through
`apache_beam.io.filesystems` only. `MemoryFileSystem` is a small object store registered for
these tests by import (Beam finds FileSystem subclasses by their scheme): no folders, like
gs:// or s3://, so a "folder" is a prefix."""

from __future__ import annotations

import io
import json
import time

import pyarrow.parquet as pq
import pytest
from apache_beam.io.filesystem import FileMetadata, FileSystem
from apache_beam.io.filesystems import FileSystems

from tests import badinputs
from transforms.ingest import readers
from transforms.output import commit


class MemoryFileSystem(FileSystem):
    """An in-memory object store with the `memfs://` scheme (objects only, no folders)."""

    OBJECTS: dict[str, tuple[bytes, float]] = {}  # shared by every instance Beam creates

    @classmethod
    def scheme(cls):
        return "memfs"

    def join(self, basepath, *paths):
        return "/".join([basepath.rstrip("/")] + [p.strip("/") for p in paths])

    def split(self, path):
        head, _, tail = path.rstrip("/").rpartition("/")
        return head, tail

    def mkdirs(self, path):
        pass

    def has_dirs(self):
        return False

    def _list(self, dir_or_prefix):
        for path, (data, mtime) in list(self.OBJECTS.items()):
            if path.startswith(dir_or_prefix):
                yield FileMetadata(path, len(data), mtime)

    def create(self, path, mime_type="application/octet-stream", compression_type=None):
        return _Writer(self.OBJECTS, path)

    def open(self, path, mime_type="application/octet-stream", compression_type=None):
        if path not in self.OBJECTS:
            raise FileNotFoundError(path)
        return io.BytesIO(self.OBJECTS[path][0])

    def copy(self, source_file_names, destination_file_names):
        for src, dst in zip(source_file_names, destination_file_names, strict=True):
            self.OBJECTS[dst] = self.OBJECTS[src]

    def rename(self, source_file_names, destination_file_names):
        for src, dst in zip(source_file_names, destination_file_names, strict=True):
            self.OBJECTS[dst] = self.OBJECTS.pop(src)

    def exists(self, path):
        return path in self.OBJECTS

    def size(self, path):
        return len(self.OBJECTS[path][0])

    def last_updated(self, path):
        return self.OBJECTS[path][1]

    def checksum(self, path):
        return str(hash(self.OBJECTS[path][0]))

    def metadata(self, path):
        data, mtime = self.OBJECTS[path]
        return FileMetadata(path, len(data), mtime)

    def delete(self, paths):
        for path in paths:
            prefix = path.rstrip("/") + "/"
            for key in [k for k in self.OBJECTS if k == path or k.startswith(prefix)]:
                del self.OBJECTS[key]


class _Writer(io.BytesIO):
    def __init__(self, store: dict, path: str):
        super().__init__()
        self.store = store
        self.path = path

    def close(self):
        if not self.closed:
            self.store[self.path] = (self.getvalue(), time.time())
        super().close()


@pytest.fixture()
def memfs():
    MemoryFileSystem.OBJECTS.clear()
    yield MemoryFileSystem.OBJECTS
    MemoryFileSystem.OBJECTS.clear()


def put(store: dict, path: str, data: bytes) -> None:
    store[path] = (data, time.time())


def test_match_a_prefix_folder_and_a_glob(memfs):
    put(memfs, "memfs://bucket/in/a.txt", b"one")
    put(memfs, "memfs://bucket/in/sub/b.txt", b"two")
    put(memfs, "memfs://bucket/other.txt", b"three")
    folder = sorted(r.path for r in readers.match_input("memfs://bucket/in"))
    assert folder == ["memfs://bucket/in/a.txt", "memfs://bucket/in/sub/b.txt"]
    glob = [r.path for r in readers.match_input("memfs://bucket/*.txt")]
    assert glob == ["memfs://bucket/other.txt"]
    missing = list(readers.match_input("memfs://bucket/nope.txt"))
    assert [(e.stage, e.reason) for e in missing] == [("match", "not_found")]


@pytest.mark.slow  # runs the whole job
def test_the_job_reads_and_writes_memfs(memfs):
    from pipeline.run import run

    put(memfs, "memfs://bucket/in/page.txt", badinputs.PREFIXED)
    put(
        memfs,
        "memfs://bucket/in/pages.tgz",
        badinputs.tar_bytes([("a.txt", badinputs.PREFIXED), ("b.txt", b"")], "w:gz"),
    )
    put(memfs, "memfs://bucket/in/feed.jsonl", json.dumps({"text": badinputs.TEXT}).encode())
    put(memfs, "memfs://bucket/in/bundle.zip", badinputs.zip_bytes([("z.txt", badinputs.TEXT)]))
    summary = run(["--input", "memfs://bucket/in", "--output", "memfs://bucket/out"])
    assert (summary["inputs"], summary["documents"], summary["errors"]) == (5, 4, 1)
    # object stores: the pointer object names the version folder that holds every table
    version = commit.current_dir("memfs://bucket/out")
    assert version == f"memfs://bucket/out/_v/{summary['run_id']}"
    assert f"{version}/_SUCCESS" in memfs

    def rows(table: str) -> list[dict]:
        version = commit.current_dir("memfs://bucket/out")
        found = FileSystems.match([f"{version}/{table}/**"])[0].metadata_list
        out = []
        for meta in found:
            with FileSystems.open(meta.path) as handle:
                out += pq.read_table(handle).to_pylist()
        return out

    sources = sorted(r["source"] for r in rows("documents"))
    assert sources == [
        "memfs://bucket/in/bundle.zip!z.txt",
        "memfs://bucket/in/feed.jsonl!1",
        "memfs://bucket/in/page.txt",
        "memfs://bucket/in/pages.tgz!a.txt",
    ]
    assert [(r["source"], r["reason"]) for r in rows("errors")] == [
        ("memfs://bucket/in/pages.tgz!b.txt", "empty")
    ]
    # a rerun replaces the output: same rows, not doubled
    again = run(["--input", "memfs://bucket/in", "--output", "memfs://bucket/out"])
    assert again["documents"] == 4
    assert sorted(r["source"] for r in rows("documents")) == sources
    assert again["previous"] == summary["run_id"]
    # an incremental run reads only the new object and adds its row
    put(memfs, "memfs://bucket/in/new.txt", badinputs.PREFIXED.replace(b"bridge", b"tunnel"))
    added = run(["--input", "memfs://bucket/in", "--output", "memfs://bucket/out", "--incremental"])
    assert (added["inputs"], added["skipped_unchanged"]) == (1, 4)
    assert added["totals"]["documents"] == 5
    assert sorted(r["source"] for r in rows("documents")) == sorted(
        sources + ["memfs://bucket/in/new.txt"]
    )
    # retention: the current version and the one before; the first one is gone
    versions = {k.split("/_v/")[1].split("/")[0] for k in memfs if "/_v/" in k}
    assert versions == {again["run_id"], added["run_id"]}


def test_an_older_output_on_an_object_store_is_extended_and_never_deleted(memfs):
    """Layout 1 on an object store: tables and _SUCCESS at the root. The first run reads it
    where it is (as version `legacy`), writes its version under _v/ and the pointer last."""
    from pipeline.run import run

    put(memfs, "memfs://bucket/in/page.txt", badinputs.PREFIXED)
    first = run(["--input", "memfs://bucket/in", "--output", "memfs://bucket/tmp"])
    version = f"memfs://bucket/tmp/_v/{first['run_id']}/"
    for key in [k for k in memfs if k.startswith(version)]:  # the same tables, as layout 1
        memfs["memfs://bucket/old/" + key[len(version) :]] = memfs[key]
    legacy = {k: v for k, v in memfs.items() if k.startswith("memfs://bucket/old/")}
    assert commit.current_dir("memfs://bucket/old") is None
    put(memfs, "memfs://bucket/in/new.txt", badinputs.PREFIXED.replace(b"bridge", b"tunnel"))
    added = run(["--input", "memfs://bucket/in", "--output", "memfs://bucket/old", "--incremental"])
    assert (added["inputs"], added["skipped_unchanged"]) == (1, 1)
    assert added["totals"]["documents"] == 2 and added["previous"] == "legacy"
    assert commit.current_dir("memfs://bucket/old") == f"memfs://bucket/old/_v/{added['run_id']}"
    assert {k: memfs[k] for k in legacy} == legacy  # the old objects are all still there
