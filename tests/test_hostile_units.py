"""Unit tests for issue 13's pure pieces: escaped names, U+FFFD for lone surrogates, the local
listing (links, FIFOs, the input root) and the zip layout checks. The whole job on the same
cases: tests/test_hostile_inputs.py."""

from __future__ import annotations

import io
import os
import re
import zipfile

import pytest

from tests import hostile
from tests.badinputs import PREFIXED
from transforms.ingest import archives as ar
from transforms.ingest import listing
from transforms.ingest.readers import decode
from transforms.records import ErrorRow, RawDoc
from transforms.text.utf8 import escape_name, replace_unencodable


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("plain.txt", "plain.txt"),
        ("caf\u00e9 \u65e5\u672c.txt", "caf\u00e9 \u65e5\u672c.txt"),  # valid UTF-8: unchanged
        (os.fsdecode(b"caf\xe9.txt"), "caf\\xe9.txt"),
        (os.fsdecode(b"\xff\xfe/a.txt"), "\\xff\\xfe/a.txt"),
        ("lone \ud800 high", "lone \\ud800 high"),
    ],
)
def test_names_are_escaped_only_when_utf8_cannot_carry_them(name, escaped):
    assert escape_name(name) == escaped
    escaped.encode("utf-8")


def test_records_escape_their_source_and_message():
    raw = RawDoc(os.fsdecode(b"a\xe9.txt"), b"x")
    error = ErrorRow(os.fsdecode(b"b\xe9.txt"), "read", "corrupt", "at \udce9")
    assert raw.source == "a\\xe9.txt" and error.as_row()["message"] == "at \\xe9"


def test_lone_surrogates_become_one_replacement_each():
    text, n = replace_unencodable("a\ud800b\udfffc\U0001f600")
    assert (text, n) == ("a\ufffdb\ufffdc\U0001f600", 2)
    assert replace_unencodable("plain") == ("plain", 0)


def test_decode_notes_replaced_code_points_and_keeps_offsets():
    doc = decode(RawDoc("f.jsonl!1", b"", text_hint=" date 2020-01-02 On \ud800 May 3, 2020."))
    assert doc.text == " date 2020-01-02 On \ufffd May 3, 2020."
    assert doc.notes == ("replaced_code_points",) and doc.replaced_code_points == 1
    doc.text.encode("utf-8")


@pytest.mark.parametrize(
    ("pattern", "root"),
    [
        ("/data/in", "/data"),  # not a folder here: a file named directly
        ("/data/in/*.txt", "/data/in"),
        ("/data/in/day-*/x/*.txt", "/data/in"),
        ("/data/in/a?.txt", "/data/in"),
        ("/data/[ab]/x.txt", "/data"),
    ],
)
def test_input_root_is_the_longest_folder_without_glob_characters(pattern, root):
    assert listing.input_root(pattern) == root


def test_input_root_of_a_folder_is_the_folder(tmp_path):
    assert listing.input_root(str(tmp_path)) == str(tmp_path)


@pytest.mark.parametrize(
    ("pattern", "split"),
    [
        ("/data/in/*.txt", ("/data/in", "*.txt")),
        ("*.txt", (".", "*.txt")),
        ("/x*", ("/", "x*")),
        ("/data/[ab]/x.txt", ("/data", "[ab]/x.txt")),
        ("/data/missing.txt", ("/data/missing.txt", "")),
        ("gs://bucket/day-*/a.txt", ("gs://bucket", "day-*/a.txt")),
    ],
)
def test_pattern_root_splits_folder_and_glob(pattern, split):
    assert listing.pattern_root(pattern) == split


def test_pattern_root_takes_an_existing_path_with_glob_characters_literally(tmp_path):
    folder = tmp_path / "inbox[2024]"
    folder.mkdir()
    assert listing.pattern_root(str(folder)) == (str(folder), "")
    assert listing.input_root(str(folder)) == str(folder)
    assert listing.input_root(str(folder / "*.txt")) == str(tmp_path)


def listed(pattern: str, follow: bool = False) -> dict[str, str]:
    out = {}
    for item in listing.list_local(pattern, follow):
        name = escape_name(item.path if isinstance(item, listing.FileRef) else item.source)
        out[name] = "file" if isinstance(item, listing.FileRef) else f"{item.stage}:{item.reason}"
    return out


def test_listing_classifies_every_entry(tmp_path):
    folder, outside = tmp_path / "in", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    for write in (
        hostile.write_fifo,
        hostile.write_link_outside,
        hostile.write_link_inside,
        hostile.write_dangling,
        hostile.write_folder_link_outside,
        hostile.write_link_loop,
    ):
        write(folder, outside)
    hostile.write_bytes_name(folder, b"caf\xe9.txt", PREFIXED)
    got = {k.removeprefix(f"{folder}/"): v for k, v in listed(str(folder)).items()}
    assert got == {
        "pipe.txt": "read:not_a_file",
        "secret.txt": "read:link_member",
        "alias.txt": "file",
        "relative.txt": "file",
        "real/page.txt": "file",
        "gone.txt": "read:dangling_link",
        "a.txt": "read:link_loop",
        "b": "read:link_loop",
        "more": "read:link_member",
        "caf\\xe9.txt": "file",
    }
    followed = {k.removeprefix(f"{folder}/"): v for k, v in listed(str(folder), True).items()}
    assert followed["secret.txt"] == "file" and followed["more/x.txt"] == "file"
    assert followed["gone.txt"] == "read:dangling_link" and "more" not in followed


def test_listing_a_glob_keeps_beams_semantics(tmp_path):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for rel in ("a/x.txt", "a/y.md", "a/deep/z.txt", "top.txt"):
        (tmp_path / rel).write_text("t")
    assert set(listed(str(tmp_path / "a" / "*.txt"))) == {f"{tmp_path}/a/x.txt"}
    assert set(listed(str(tmp_path / "a" / "**.txt"))) == {
        f"{tmp_path}/a/x.txt",
        f"{tmp_path}/a/deep/z.txt",
    }
    empty = str(tmp_path / "none" / "*.txt")  # a glob naming no file is reported by name
    assert listed(empty) == {empty: "match:no_match"}
    assert listed(str(tmp_path / "missing.txt")) == {
        str(tmp_path / "missing.txt"): "match:not_found"
    }


def test_a_folder_matched_by_a_glob_is_not_a_file(tmp_path):
    (tmp_path / "old.txt").mkdir()
    (tmp_path / "old.txt" / "inner.txt").write_text("t")
    (tmp_path / "new.txt").write_text("t")
    assert listed(str(tmp_path / "*.txt")) == {
        f"{tmp_path}/new.txt": "file",
        f"{tmp_path}/old.txt": "read:not_a_file",
    }


def test_a_link_cycle_is_walked_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("t")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    assert listed(str(tmp_path), True) == {f"{tmp_path}/a/x.txt": "file"}


def test_a_fifo_is_refused_before_it_is_opened(tmp_path):
    os.mkfifo(tmp_path / "p.txt")
    error = listing.check_regular(str(tmp_path / "p.txt"))
    assert error.reason == "not_a_file" and "FIFO" in error.message
    (tmp_path / "f.txt").write_text("t")
    assert listing.check_regular(str(tmp_path / "f.txt")) is None


def members(data: bytes) -> dict[str, str]:
    out = {}
    for item in ar.list_zip(io.BytesIO(data), "z.zip"):
        if isinstance(item, ar.MemberRef):
            result = ar.read_zip_member(io.BytesIO(data), item)
        else:
            result = item
        out[result.source] = "doc" if isinstance(result, RawDoc) else result.reason
    return out


def test_overlapping_zip_entries_are_refused_and_the_rest_is_read():
    assert members(hostile.overlapping_zip(3)) == {
        "z.zip!a.txt": "doc",
        "z.zip!b.txt": "overlapping_members",
        "z.zip!c0.txt": "overlapping_members",
        "z.zip!c1.txt": "overlapping_members",
        "z.zip!c2.txt": "overlapping_members",
    }


def test_an_entry_pointing_inside_another_overlaps():
    infos = []
    for name, offset, size in (("a", 0, 100), ("b", 50, 10), ("c", 200, 10)):
        info = zipfile.ZipInfo(name)
        info.header_offset, info.compress_size = offset, size
        infos.append(info)
    overlapping, limits = ar.data_ranges(infos, 300)
    assert overlapping == {0, 1} and limits == {0: 50, 1: 200, 2: 300}
    assert ar.data_ranges(infos[2:], 220)[0] == {0}  # runs into the central directory


def test_members_past_the_archive_budget_are_refused(monkeypatch):
    monkeypatch.setattr(ar, "inflate_budget", lambda size: 3 * len(PREFIXED))
    data = hostile.zip_of([(f"m{i}.txt", PREFIXED) for i in range(5)])
    got = members(data)
    assert [got[f"z.zip!m{i}.txt"] for i in range(5)] == ["doc"] * 3 + ["decompression_bomb"] * 2


def test_a_member_inflating_past_its_declared_size_stops_there():
    from tests.badinputs import lying_zip_bomb

    assert members(lying_zip_bomb()) == {"z.zip!bomb.txt": "decompression_bomb"}


def test_the_archive_budget_scales_with_the_archive():
    assert ar.inflate_budget(0) == ar.ARCHIVE_INFLATE_FLOOR_BYTES
    big = 50 * ar.ARCHIVE_INFLATE_FLOOR_BYTES
    assert ar.inflate_budget(big) == ar.MAX_COMPRESSION_RATIO * big


def test_a_glob_matches_names_with_a_backslash(tmp_path):
    """Beam's glob reads a backslash as a folder separator; on POSIX it is a name character, so
    `in/*` must list `back\\slash.txt` (it was neither read nor an error row)."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name in ("back\\slash.txt", "plain.txt", "two\\\\.txt", "sub/deep\\er.txt"):
        (folder / name).write_text("x\n")
    top = {f"{folder}/back\\slash.txt", f"{folder}/plain.txt", f"{folder}/two\\\\.txt"}
    assert set(listed(f"{folder}/*")) == top
    assert set(listed(f"{folder}/*.txt")) == top
    assert set(listed(f"{folder}/**")) == top | {f"{folder}/sub/deep\\er.txt"}
    # a backslash in the pattern is a literal character, as in Beam ("no way to quote")
    assert set(listed(f"{folder}/back\\*")) == {f"{folder}/back\\slash.txt"}
    assert set(listed(f"{folder}/*\\\\*")) == {f"{folder}/two\\\\.txt"}
    assert set(listed(f"{folder}/[b]ack?slash.txt")) == {f"{folder}/back\\slash.txt"}


@pytest.mark.parametrize(
    "pattern", ["in/*", "in/*.txt", "in/**", "in/a?c", "in/[!x]*/*.gz", "in/[]x]*", "in/[a"]
)
@pytest.mark.parametrize(
    "path", ["in/abc", "in/a.txt", "in/sub/a.txt", "in/x/y.gz", "in/b/y.gz", "in/]", "in/[a"]
)
def test_the_glob_is_beams_for_names_without_a_backslash(pattern, path):
    from apache_beam.io.filesystem import FileSystem

    beam = re.compile(FileSystem.translate_pattern(pattern)).match(path) is not None
    assert (listing.glob_matcher(pattern)(path) is not None) == beam
