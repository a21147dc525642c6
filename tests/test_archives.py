"""Unit tests of the pure reading helpers: the encoding ladder, the date prefix, folders, the
bomb guard on streams, zstd truncation, capped JSON Lines lines."""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import io

import pytest
import zstandard

from transforms.ingest import readers, streams
from transforms.ingest.encodings import DecodeProblem, decode_bytes
from transforms.ingest.jsonl import LineReader
from transforms.text import pubdate


@pytest.mark.parametrize(
    ("data", "text", "encoding", "notes"),
    [
        (b"plain", "plain", "utf-8", ()),
        (codecs.BOM_UTF8 + "caf\u00e9".encode(), "caf\u00e9", "utf-8-sig", ()),
        ("caf\u00e9".encode("utf-16"), "caf\u00e9", "utf-16", ()),
        ("caf\u00e9 au lait".encode("utf-16-be"), "caf\u00e9 au lait", "utf-16-be", ()),
        ("\u201ccaf\u00e9\u201d".encode("cp1252"), "\u201ccaf\u00e9\u201d", "cp1252", ()),
        (
            "\u00e9t\u00e9 ".encode() * 40 + b"\x92",
            "\u00e9t\u00e9 " * 40 + "\ufffd",
            "utf-8",
            ("replaced_bytes",),
        ),
    ],
)
def test_encoding_ladder(data, text, encoding, notes):
    assert decode_bytes(data) == (text, encoding, notes)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7 ...", "binary"),
        (b"abc\x00def", "nul_bytes"),
        (b"abc \x81\x8d", "undecodable"),
        (b"\x01\x02\x03\x04\x05\x06 text" * 10, "binary"),
    ],
)
def test_not_text(data, reason):
    with pytest.raises(DecodeProblem) as caught:
        decode_bytes(data)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" date 2020-10-27 Body", (17, dt.date(2020, 10, 27), None)),
        (" date 2020-13-45 Body", (17, None, "bad_prefix")),
        (" date yesterday Body", (16, None, "bad_prefix")),
        ("date 2020-10-27 Body", (0, None, None)),
        ("Body", (0, None, None)),
    ],
)
def test_prefix(text, expected):
    assert pubdate.parse_prefix(text) == expected


def test_a_folder_means_everything_under_it(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / "a" / "b" / "y.txt.gz").write_bytes(gzip.compress(b"y"))
    found = sorted(r.path for r in readers.match_input(str(tmp_path / "a")))
    assert found == [str(tmp_path / "a" / "b" / "y.txt.gz"), str(tmp_path / "a" / "x.txt")]
    # globs follow Beam: `*` stays in one folder, `**` goes down
    # a glob that matches no file is one `no_match` error row, named by the pattern
    [none] = list(readers.match_input(str(tmp_path / "*")))
    assert (none.source, none.stage, none.reason) == (str(tmp_path / "*"), "match", "no_match")
    assert len(list(readers.match_input(str(tmp_path / "**")))) == 2
    assert [r.reason for r in readers.match_input(str(tmp_path / "nothing*"))] == ["no_match"]


def test_the_bomb_guard_stops_a_stream_early(monkeypatch):
    monkeypatch.setattr(streams, "RATIO_CHECK_AFTER_BYTES", 1024 * 1024)
    bomb = zstandard.ZstdCompressor().compress(b"\x00" * (256 * 1024 * 1024))  # ~8 KB
    raw = streams.CountingReader(io.BytesIO(bomb))
    guarded = streams.GuardedReader(streams.decompressor("zstd", raw), raw)
    with pytest.raises(streams.DecompressionBomb):
        while guarded.read(256 * 1024):
            pass
    assert guarded.count < 4 * 1024 * 1024  # stopped soon after the check point


def test_ordinary_text_passes_the_guard(monkeypatch):
    monkeypatch.setattr(streams, "RATIO_CHECK_AFTER_BYTES", 1024)
    text = b"".join(
        f"Line {i} of an ordinary article, May {i % 28 + 1}.\n".encode() for i in range(20000)
    )
    raw = streams.CountingReader(io.BytesIO(gzip.compress(text)))
    guarded = streams.GuardedReader(streams.decompressor("gzip", raw), raw)
    assert streams.read_capped(guarded, 10 * len(text)) == text


def test_zstd_truncation_is_an_error_not_a_short_document():
    data = zstandard.ZstdCompressor().compress(b"words " * 50000)
    for cut, complete in ((len(data), True), (len(data) - 5, False)):
        raw = streams.CountingReader(io.BytesIO(data[:cut]))
        reader = streams.decompressor("zstd", raw)
        if complete:
            assert streams.read_capped(reader, 10**6) == b"words " * 50000
        else:
            with pytest.raises(EOFError):
                streams.read_capped(reader, 10**6)


def test_line_reader_cuts_long_lines_and_goes_on():
    data = b"short\n" + b"x" * 100 + b"\nafter\nlast"
    reader = LineReader(io.BytesIO(data), cap=10)
    lines = []
    while (line := reader.readline()) is not None:
        lines.append(line)
    assert lines == [b"short", b"x" * 11, b"after", b"last"]
