"""The writers' memory release (transforms/output/heap.py): freed C-heap pages go back to the
operating system, and the table writer stays a picklable DoFn that releases after its files."""

import pickle
import sys

import pytest

from transforms.output.beam import WriteTableFn
from transforms.output.heap import HeapReleaser

MIB = 1024 * 1024


def _rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and glibc")
def test_freed_heap_pages_go_back_to_the_os():
    releaser = HeapReleaser()
    assert releaser.trim is not None
    # 40,000 blocks of 1,000 bytes (above pymalloc's 512: the C heap), all freed but the last,
    # which pins the heap's top so that free() alone cannot shrink it
    blocks = [bytes(1000) + bytes([i % 256]) for i in range(40_000)]
    last = blocks[-1]
    del blocks
    before = _rss()
    releaser.release()
    assert before - _rss() > 20 * MIB
    assert last[-1] == 39_999 % 256


def test_the_writer_pickles_and_releases_after_writing(tmp_path, monkeypatch):
    fn = pickle.loads(pickle.dumps(WriteTableFn("errors", str(tmp_path))))
    assert fn.heap.trim is not None or not sys.platform.startswith("linux")
    released = []
    monkeypatch.setattr(fn.heap, "release", lambda: released.append(1))
    fn.start_bundle()
    row = {"source": "a.txt", "stage": "read", "reason": "too_large", "message": "m"}
    assert list(fn.process(row)) == []
    assert not released  # nothing written yet
    paths = [w.value for w in fn.finish_bundle()]
    assert len(paths) == 1 and released == [1]
