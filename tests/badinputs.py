"""The bad-input corpus, generated at test time (no binary blobs in the repository).

`CASES` maps a case name to the files it writes and what each input must become: `DOC` (a
document row) or `"stage:reason"` (an errors row). Keys of `expect` are sources relative to
the corpus folder (`archive!member` for members, `file!N` for JSON Lines records).
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import json
import lzma
import random
import struct
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import zstandard

from transforms.limits import MAX_DOC_BYTES

DOC = "doc"
TEXT = (
    "Officials said on Tuesday that the bridge, closed since March 3, 2019, would reopen in "
    "the spring. The work began in 2017 and cost more than expected.\n"
)
PREFIXED = (" date 2020-10-27 " + TEXT).encode()
BIG = MAX_DOC_BYTES + 1024  # just past the document cap


@dataclass
class Case:
    files: dict[str, bytes]
    expect: dict[str, str]
    notes: dict[str, str] = field(default_factory=dict)  # source -> decode note expected


def tar_bytes(members: list[tuple], mode: str = "w") -> bytes:
    """members: (name, data) for files, (name, None, type, linkname) for links/folders."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as tar:
        for member in members:
            info = tarfile.TarInfo(member[0])
            if member[1] is None:
                info.type, info.linkname = member[2], member[3]
                tar.addfile(info)
            else:
                info.size = len(member[1])
                tar.addfile(info, io.BytesIO(member[1]))
    return buffer.getvalue()


def zip_bytes(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


def zip_with_symlink() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = (0o120777 << 16) | 0x20
        zf.writestr(link, "/etc/passwd")
        zf.writestr("ok.txt", TEXT)
    return buffer.getvalue()


def lying_zip_bomb() -> bytes:
    """A zip whose member declares 100 bytes but inflates to more than the cap."""
    data = bytearray(zip_bytes([("bomb.txt", b"A" * BIG)]))
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + size_at : at + size_at + 4] = struct.pack("<I", 100)
    return bytes(data)


def corrupt_zip_member() -> bytes:
    data = bytearray(zip_bytes([("a.txt", TEXT.encode() * 20)]))
    data[60:70] = b"\xff" * 10  # inside the deflated data of the only member
    return bytes(data)


def build_cases() -> dict[str, Case]:
    rnd = random.Random(7)
    noise = bytes(rnd.getrandbits(8) for _ in range(3000))
    letters = "".join(rnd.choice("abcdefghij klmnop\n") for _ in range(6000)).encode()
    good_tar = tar_bytes([("a.txt", TEXT.encode()), ("b.txt", PREFIXED + letters)])
    good_tgz = gzip.compress(good_tar)
    return {
        # --- encodings that must decode
        "utf8": Case({"utf8.txt": PREFIXED}, {"utf8.txt": DOC}),
        "utf8_bom": Case({"bom.txt": codecs.BOM_UTF8 + PREFIXED}, {"bom.txt": DOC}),
        "utf16_bom": Case({"u16.txt": TEXT.encode("utf-16")}, {"u16.txt": DOC}),
        "utf16le_no_bom": Case({"u16le.txt": TEXT.encode("utf-16-le")}, {"u16le.txt": DOC}),
        "cp1252": Case(
            {
                "cp.txt": "\u201cCaf\u00e9\u201d, said the mayor \u2013 on May 2, 2018.".encode(
                    "cp1252"
                )
            },
            {"cp.txt": DOC},
        ),
        "latin1": Case(
            {"l1.txt": "Gr\u00fc\u00dfe aus M\u00fcnchen, 1998.".encode("latin-1")}, {"l1.txt": DOC}
        ),
        "crlf": Case({"crlf.txt": PREFIXED.replace(b"\n", b"\r\n")}, {"crlf.txt": DOC}),
        "stray_byte_in_utf8": Case(
            {"stray.txt": "Caf\u00e9 \u00e9t\u00e9 ".encode() * 50 + b"\x93quote" + TEXT.encode()},
            {"stray.txt": DOC},
            {"stray.txt": "replaced_bytes"},
        ),
        # --- not text
        "binary_png": Case({"img.png": b"\x89PNG\r\n\x1a\n" + noise}, {"img.png": "decode:binary"}),
        "binary_pdf": Case({"doc.pdf": b"%PDF-1.4\n" + noise}, {"doc.pdf": "decode:binary"}),
        "random_bytes": Case({"noise.txt": noise}, {"noise.txt": "decode:nul_bytes"}),
        "nul_bytes": Case(
            {"nul.txt": b"Some text\x00\x00with NULs " + TEXT.encode()},
            {"nul.txt": "decode:nul_bytes"},
        ),
        "undecodable": Case(
            {"undec.txt": b"Plain words \x81\x8d\x90 and more words"},
            {"undec.txt": "decode:undecodable"},
        ),
        "empty": Case({"empty.txt": b""}, {"empty.txt": "decode:empty"}),
        "whitespace_only": Case({"ws.txt": b" \n\t\r\n   \n"}, {"ws.txt": "decode:empty"}),
        "prefix_only": Case({"prefix.txt": b" date 2020-01-01 "}, {"prefix.txt": "decode:empty"}),
        "bad_prefix": Case(
            {"badprefix.txt": b" date 2020-13-45 " + TEXT.encode()},
            {"badprefix.txt": DOC},
            {"badprefix.txt": "bad_prefix"},
        ),
        "huge_file": Case(
            {"huge.txt": TEXT.encode() * (BIG // len(TEXT) + 1)}, {"huge.txt": "read:too_large"}
        ),
        "many_dates": Case(
            {
                "dates.txt": b" date 2020-01-01 "
                + b"".join(
                    f"On March {i % 28 + 1}, {1990 + i % 30} the council met.\n".encode()
                    for i in range(3000)
                )
            },
            {"dates.txt": DOC},
        ),
        # --- compressed single files (magic bytes, whatever the name)
        "gzip": Case({"page.txt.gz": gzip.compress(PREFIXED)}, {"page.txt.gz": DOC}),
        "gzip_no_suffix": Case({"page2.txt": gzip.compress(PREFIXED)}, {"page2.txt": DOC}),
        "bzip2": Case({"page.bz2": bz2.compress(PREFIXED)}, {"page.bz2": DOC}),
        "xz": Case({"page.xz": lzma.compress(PREFIXED)}, {"page.xz": DOC}),
        "zstd": Case(
            {"page.zst": zstandard.ZstdCompressor().compress(PREFIXED)}, {"page.zst": DOC}
        ),
        "truncated_gz": Case(
            {"trunc.gz": gzip.compress(PREFIXED * 50)[:200]}, {"trunc.gz": "read:truncated"}
        ),
        "corrupt_gz": Case(
            {"corrupt.gz": b"\x1f\x8b\x08\x00" + noise[:500]}, {"corrupt.gz": "read:corrupt"}
        ),
        "gzip_bomb": Case(
            {"bomb.gz": gzip.compress(b"\x00" * BIG)}, {"bomb.gz": "read:decompression_bomb"}
        ),
        # --- bundles
        "tar": Case({"good.tar": good_tar}, {"good.tar!a.txt": DOC, "good.tar!b.txt": DOC}),
        "tgz": Case({"good.tgz": good_tgz}, {"good.tgz!a.txt": DOC, "good.tgz!b.txt": DOC}),
        "tgz_other_name": Case(
            {"bundle.dat": good_tgz}, {"bundle.dat!a.txt": DOC, "bundle.dat!b.txt": DOC}
        ),
        "tar_zst": Case(
            {"good.tar.zst": zstandard.ZstdCompressor().compress(good_tar)},
            {"good.tar.zst!a.txt": DOC, "good.tar.zst!b.txt": DOC},
        ),
        "truncated_tar": Case(
            {"cut.tar": good_tar[:2048]}, {"cut.tar!a.txt": DOC, "cut.tar!b.txt": "read:truncated"}
        ),
        "truncated_tgz": Case(
            {"cut.tgz": good_tgz[: len(good_tgz) // 2]},
            {"cut.tgz!a.txt": DOC, "cut.tgz!b.txt": "read:truncated"},
        ),
        "tar_unsafe": Case(
            {
                "unsafe.tar": tar_bytes(
                    [
                        ("../escape.txt", TEXT.encode()),
                        ("/etc/abs.txt", TEXT.encode()),
                        ("sym.txt", None, tarfile.SYMTYPE, "/etc/passwd"),
                        ("hard.txt", None, tarfile.LNKTYPE, "ok.txt"),
                        ("fifo", None, tarfile.FIFOTYPE, ""),
                        ("folder/", None, tarfile.DIRTYPE, ""),
                        ("ok.txt", TEXT.encode()),
                    ]
                )
            },
            {
                "unsafe.tar!../escape.txt": "read:unsafe_path",
                "unsafe.tar!/etc/abs.txt": "read:unsafe_path",
                "unsafe.tar!sym.txt": "read:link_member",
                "unsafe.tar!hard.txt": "read:link_member",
                "unsafe.tar!fifo": "read:not_a_file",
                "unsafe.tar!ok.txt": DOC,
            },
        ),
        "tgz_unsafe": Case(
            {
                "unsafe.tgz": tar_bytes(
                    [("../up.txt", TEXT.encode()), ("sym", None, tarfile.SYMTYPE, "../../x")],
                    "w:gz",
                )
            },
            {"unsafe.tgz!../up.txt": "read:unsafe_path", "unsafe.tgz!sym": "read:link_member"},
        ),
        "tgz_big_member": Case(
            {"big.tgz": tar_bytes([("big.txt", b"a" * BIG)], "w:gz")},
            {"big.tgz!big.txt": "read:too_large"},
        ),
        "empty_tar": Case({"none.tar": tar_bytes([])}, {"none.tar": "read:empty_bundle"}),
        "zip": Case(
            {"good.zip": zip_bytes([("a.txt", TEXT.encode()), ("d/", b""), ("d/b.txt", PREFIXED)])},
            {"good.zip!a.txt": DOC, "good.zip!d/b.txt": DOC},
        ),
        "zip_bzip2": Case(
            {"bz.zip": zip_bytes([("a.txt", PREFIXED * 9)], zipfile.ZIP_BZIP2)},
            {"bz.zip!a.txt": DOC},
        ),
        "zip_stored_other_name": Case(
            {"zipped.bin": zip_bytes([("a.txt", TEXT.encode())], zipfile.ZIP_STORED)},
            {"zipped.bin!a.txt": DOC},
        ),
        "zip_unsafe": Case(
            {"unsafe.zip": zip_bytes([("../x.txt", b"x"), ("/abs.txt", b"y")])},
            {"unsafe.zip!../x.txt": "read:unsafe_path", "unsafe.zip!/abs.txt": "read:unsafe_path"},
        ),
        "zip_symlink": Case(
            {"link.zip": zip_with_symlink()},
            {"link.zip!link.txt": "read:link_member", "link.zip!ok.txt": DOC},
        ),
        "truncated_zip": Case(
            {"cut.zip": zip_bytes([("a.txt", letters)])[:3000]},
            {"cut.zip": "read:corrupt"},
        ),
        "corrupt_zip_member": Case(
            {"crc.zip": corrupt_zip_member()}, {"crc.zip!a.txt": "read:corrupt"}
        ),
        "zip_bomb": Case(
            {"bomb.zip": zip_bytes([("zeros.txt", b"\x00" * BIG)])},
            {"bomb.zip!zeros.txt": "read:decompression_bomb"},
        ),
        "zip_bomb_lying_size": Case(
            {"liar.zip": lying_zip_bomb()}, {"liar.zip!bomb.txt": "read:decompression_bomb"}
        ),
        "nested_gzip_member": Case(
            {"nested.tar": tar_bytes([("in.gz", gzip.compress(PREFIXED))])},
            {"nested.tar!in.gz": "decode:binary"},
        ),
        "empty_zip": Case({"none.zip": zip_bytes([])}, {"none.zip": "read:empty_bundle"}),
        # --- JSON Lines
        "jsonl": Case(
            {
                "feed.jsonl": "\n".join(
                    [
                        json.dumps({"text": TEXT, "date": "2021-03-04"}),
                        "",
                        "{not json",
                        json.dumps({"title": "no text field"}),
                        json.dumps(["a", "list"]),
                        json.dumps({"text": "   "}),
                        json.dumps({"text": TEXT, "date": "yesterday"}),
                    ]
                ).encode()
            },
            {
                "feed.jsonl!1": DOC,
                "feed.jsonl!3": "read:bad_json",
                "feed.jsonl!4": "read:no_text",
                "feed.jsonl!5": "read:bad_json",
                "feed.jsonl!6": "decode:empty",
                "feed.jsonl!7": DOC,
            },
            {"feed.jsonl!7": "bad_date_field"},
        ),
        "jsonl_gz": Case(
            {
                "feed.jsonl.gz": gzip.compress(
                    (
                        json.dumps({"text": TEXT}) + "\n" + json.dumps({"text": "x" * BIG}) + "\n"
                    ).encode()
                )
            },
            {"feed.jsonl.gz!1": DOC, "feed.jsonl.gz!2": "read:too_large"},
        ),
        "empty_jsonl": Case({"none.jsonl": b"\n\n"}, {"none.jsonl": "read:empty_bundle"}),
    }


def write_corpus(folder: Path, cases: dict[str, Case]) -> dict[str, str]:
    """Write every case's files under folder/<case>/; return {absolute source: expectation}."""
    expected = {}
    for name, case in cases.items():
        for rel, data in case.files.items():
            path = folder / name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for source, outcome in case.expect.items():
            expected[str(folder / name / source)] = outcome
    return expected
