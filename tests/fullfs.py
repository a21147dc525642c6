"""The full-disk scenario, run by tests/test_commit_faults.py inside `unshare -m` (a private
mount namespace, so the small tmpfs it mounts is seen by this process and its children only
and vanishes with them):

    python -m tests.fullfs WORK SIZE

mounts a tmpfs of SIZE at WORK/disk, runs the job three times into WORK/disk/out (a small
run that fits, a big run that cannot fit, the small run again) and writes what it saw to
WORK/result.json, outside the tmpfs, for the test to check.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.commitkit import newsline, snapshot


def main(work: Path, size: str) -> None:
    disk = work / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], check=True)
    out = disk / "out"
    steps = {}
    try:
        for name, inputs in (("small", "small"), ("big", "big"), ("again", "small")):
            before = snapshot(out) if out.exists() else {}
            result = newsline("--input", str(work / inputs), "--output", str(out))
            steps[name] = {
                "code": result.code,
                "message": result.message,
                "stdout": result.out,
                "before": before,
                "after": snapshot(out),
                "versions": sorted(p.name for p in (out / "_v").iterdir() if p.is_dir()),
                "current": (out / "_current").readlink().name,
                "summary": json.loads((out / "_SUCCESS").read_text()),
            }
    finally:
        (work / "result.json").write_text(json.dumps(steps, indent=1))
        subprocess.run(["umount", str(disk)], check=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
