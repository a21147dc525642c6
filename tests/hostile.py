"""Inputs that attack the job through their names, their kind or their layout (issue 13),
each written beside a good document by a `Case`. Generated at test time; no binary blobs.

`expect` keys are sources relative to the input folder, as the job writes them (escaped names,
see transforms/text/utf8.py), mapped to `DOC` or ``"stage:reason"``.
"""

from __future__ import annotations

import io
import json
import os
import socket
import struct
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.badinputs import DOC, PREFIXED, TEXT

GOOD = "good.txt"


@dataclass
class Case:
    """write(folder, outside) makes the bad input under folder (outside: a folder beside it);
    expect: source -> outcome; flags: extra command-line flags; pattern: the --input, relative
    to the input folder's parent (default: the folder itself)."""

    write: Callable[[Path, Path], None]
    expect: dict[str, str]
    flags: tuple[str, ...] = ()
    pattern: str | None = None
    notes: dict[str, int] = field(default_factory=dict)  # decode note -> documents with it


def write_bytes_name(folder: Path, name: bytes, data: bytes) -> None:
    path = os.path.join(os.fsencode(folder), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def tar_with_raw_name(name: bytes, data: bytes, mode: str = "w") -> bytes:
    """A tar whose member name is raw bytes (e.g. Latin-1), as old archivers write them."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode, format=tarfile.GNU_FORMAT) as tar:
        info = tarfile.TarInfo(os.fsdecode(name))
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        good = tarfile.TarInfo("ok.txt")
        good.size = len(PREFIXED)
        tar.addfile(good, io.BytesIO(PREFIXED))
    return buffer.getvalue()


def zip_of(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


def overlapping_zip(copies: int) -> bytes:
    """A zip with a good member `a.txt` and `copies` extra central-directory entries that all
    point at the data of member `b.txt` (the overlapping-entries bomb of issue 13)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", PREFIXED)
        zf.writestr("b.txt", PREFIXED * 50)
    data = buffer.getvalue()
    end = data.rfind(b"PK\x05\x06")
    count, cd_size, cd_offset = struct.unpack("<HII", data[end + 10 : end + 20])
    central = data[cd_offset : cd_offset + cd_size]
    b_entry = central[central.find(b"PK\x01\x02", 4) :]  # the second entry: b.txt
    name_len = struct.unpack("<H", b_entry[28:30])[0]
    copies_cd = b""
    for i in range(copies):
        name = f"c{i}.txt".encode()
        copies_cd += b_entry[:28] + struct.pack("<H", len(name)) + b_entry[30:46] + name
        copies_cd += b_entry[46 + name_len :]  # extra field and comment, as b.txt's
    total = count + copies
    trailer = bytearray(data[end:])
    trailer[8:16] = struct.pack("<HHI", total, total, cd_size + len(copies_cd))
    return data[:end] + copies_cd + bytes(trailer)


def write_fifo(folder: Path, _outside: Path) -> None:
    os.mkfifo(folder / "pipe.txt")


def write_socket(folder: Path, _outside: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.txt"))
    server.close()  # the socket file stays


def write_link_outside(folder: Path, outside: Path) -> None:
    (outside / "secret.txt").write_bytes(PREFIXED)
    (folder / "secret.txt").symlink_to(outside / "secret.txt")


def write_link_inside(folder: Path, _outside: Path) -> None:
    (folder / "real").mkdir()
    (folder / "real" / "page.txt").write_bytes(PREFIXED)
    (folder / "alias.txt").symlink_to(folder / "real" / "page.txt")
    (folder / "relative.txt").symlink_to(Path("real") / "page.txt")


def write_folder_link_outside(folder: Path, outside: Path) -> None:
    (outside / "more").mkdir()
    (outside / "more" / "x.txt").write_bytes(PREFIXED)
    (folder / "more").symlink_to(outside / "more", target_is_directory=True)


def write_dangling(folder: Path, outside: Path) -> None:
    (folder / "gone.txt").symlink_to(outside / "never-written.txt")


def write_link_loop(folder: Path, _outside: Path) -> None:
    (folder / "a.txt").symlink_to("b")
    (folder / "b").symlink_to("a.txt")


def write_device_link(folder: Path, _outside: Path) -> None:
    (folder / "null.txt").symlink_to("/dev/null")


def write_folder_named_like_a_file(folder: Path, _outside: Path) -> None:
    (folder / "old.txt").mkdir()
    (folder / "old.txt" / "inner.txt").write_bytes(PREFIXED)


def write_jsonl_surrogates(folder: Path, _outside: Path) -> None:
    lines = [
        '{"text": "\\ud800 ' + TEXT.strip() + ' \\udfff.", "date": "2021-03-04"}',
        '{"text": "' + TEXT.strip() + '", "date": "2021-03-\\ud800"}',
        '{"te\\udc00xt": "no text field under that name", "text": "' + TEXT.strip() + '"}',
        '{"text": "\\ud83d\\ude00 a valid pair: ' + TEXT.strip() + '"}',
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n")


CASES: dict[str, Case] = {
    "non_utf8_file_name": Case(
        lambda f, o: write_bytes_name(f, b"caf\xe9.txt", PREFIXED), {"caf\\xe9.txt": DOC}
    ),
    "non_utf8_folder_and_archive": Case(
        lambda f, o: write_bytes_name(
            f, b"d\xe9p\xeache/a.tgz", tar_with_raw_name(b"x.txt", PREFIXED, "w:gz")
        ),
        {"d\\xe9p\\xeache/a.tgz!x.txt": DOC, "d\\xe9p\\xeache/a.tgz!ok.txt": DOC},
    ),
    "tar_latin1_member": Case(
        lambda f, o: (f / "l1.tar").write_bytes(tar_with_raw_name(b"caf\xe9.txt", PREFIXED)),
        {"l1.tar!caf\\xe9.txt": DOC, "l1.tar!ok.txt": DOC},
    ),
    "tgz_latin1_member": Case(
        lambda f, o: (f / "l1.tgz").write_bytes(
            tar_with_raw_name(b"caf\xe9.txt", PREFIXED, "w:gz")
        ),
        {"l1.tgz!caf\\xe9.txt": DOC, "l1.tgz!ok.txt": DOC},
    ),
    "jsonl_lone_surrogates": Case(
        write_jsonl_surrogates,
        {"feed.jsonl!1": DOC, "feed.jsonl!2": DOC, "feed.jsonl!3": DOC, "feed.jsonl!4": DOC},
        notes={"replaced_code_points": 1},
    ),
    "fifo": Case(write_fifo, {"pipe.txt": "read:not_a_file"}),
    "socket": Case(write_socket, {"sock.txt": "read:not_a_file"}),
    "link_leaving_the_root": Case(write_link_outside, {"secret.txt": "read:link_member"}),
    "link_leaving_the_root_followed": Case(
        write_link_outside, {"secret.txt": DOC}, flags=("--follow_links",)
    ),
    "links_inside_the_root": Case(
        write_link_inside, {"real/page.txt": DOC, "alias.txt": DOC, "relative.txt": DOC}
    ),
    "folder_link_leaving_the_root": Case(write_folder_link_outside, {"more": "read:link_member"}),
    "folder_link_followed": Case(
        write_folder_link_outside, {"more/x.txt": DOC}, flags=("--follow_links",)
    ),
    "dangling_link": Case(write_dangling, {"gone.txt": "read:dangling_link"}),
    "link_loop": Case(write_link_loop, {"a.txt": "read:link_loop", "b": "read:link_loop"}),
    "link_to_a_device_followed": Case(
        write_device_link, {"null.txt": "read:not_a_file"}, flags=("--follow_links",)
    ),
    "folder_named_like_a_file": Case(
        write_folder_named_like_a_file, {"old.txt": "read:not_a_file"}, pattern="in/*.txt"
    ),
    "zip_overlapping_members": Case(
        lambda f, o: (f / "over.zip").write_bytes(overlapping_zip(3)),
        {
            "over.zip!a.txt": DOC,
            "over.zip!b.txt": "read:overlapping_members",
            "over.zip!c0.txt": "read:overlapping_members",
            "over.zip!c1.txt": "read:overlapping_members",
            "over.zip!c2.txt": "read:overlapping_members",
        },
    ),
    "zip_overlapping_members_other_name": Case(
        lambda f, o: (f / "over.bin").write_bytes(overlapping_zip(2)),
        {
            "over.bin!a.txt": DOC,
            "over.bin!b.txt": "read:overlapping_members",
            "over.bin!c0.txt": "read:overlapping_members",
            "over.bin!c1.txt": "read:overlapping_members",
        },
    ),
}


def write_case(root: Path, case: Case) -> tuple[Path, Path]:
    """The input folder (root/in, with good.txt and the case's input) and the folder beside it."""
    folder, outside = root / "in", root / "outside"
    write_case_in(folder, outside, case)
    return folder, outside


def write_case_in(folder: Path, outside: Path, case: Case) -> None:
    """good.txt and the case's input in folder; its link targets in outside (both made here)."""
    folder.mkdir(parents=True)
    outside.mkdir(parents=True)
    (folder / GOOD).write_bytes(PREFIXED)
    case.write(folder, outside)


def expected_json(case: Case) -> str:
    return json.dumps(case.expect, sort_keys=True)
