"""Property-based tests: random bytes and random text through the read, decode and split stages.
Whatever comes in, every input ends as exactly one document or one error row, nothing raises,
and offsets stay inside the text."""

from __future__ import annotations

import gzip
import io
import json
import os

from apache_beam.coders.coders import FastPrimitivesCoder
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.badinputs import PREFIXED as PREFIX_TEXT
from tests.badinputs import tar_bytes, zip_bytes
from transforms.boilerplate.splitter import split_document
from transforms.ingest import readers, streams
from transforms.ingest.jsonl import JsonlFields, iter_jsonl
from transforms.ingest.readers import FileRef
from transforms.records import Doc, ErrorRow, RawDoc
from transforms.text.utf8 import escape_name

FAST = settings(max_examples=60, deadline=None)


def outcomes(tmp_path, name: str, data: bytes) -> list[RawDoc | ErrorRow]:
    path = tmp_path / name
    path.write_bytes(data)
    ref = FileRef(str(path), len(data), 0.0)
    items = []
    for unit in readers.plan_file(ref):
        items += [unit] if isinstance(unit, ErrorRow) else list(readers.read_unit(unit))
    return items


def reconcile(items) -> tuple[int, int]:
    """(documents, errors) after decoding: each read item is one or the other."""
    docs = errors = 0
    for item in items:
        result = item if isinstance(item, ErrorRow) else readers.decode(item)
        if isinstance(result, Doc):
            assert 0 <= result.prefix_len <= len(result.text)
            assert "\r" not in result.text and "\x00" not in result.text
            docs += 1
        else:
            assert isinstance(result, ErrorRow) and result.reason and result.stage
            errors += 1
    return docs, errors


@FAST
@given(data=st.binary(max_size=3000))
def test_random_bytes_as_a_file_are_one_document_or_one_error(tmp_path_factory, data):
    items = outcomes(tmp_path_factory.mktemp("p"), "page.txt", data)
    assert sum(reconcile(items)) == 1


@FAST
@given(data=st.binary(max_size=2000), name=st.sampled_from(["x.gz", "x.tar", "x.zip", "x.jsonl"]))
def test_random_bytes_under_archive_names_never_raise(tmp_path_factory, data, name):
    items = outcomes(tmp_path_factory.mktemp("p"), name, data)
    assert sum(reconcile(items)) == len(items) >= 1


@FAST
@given(cut=st.integers(min_value=0, max_value=4000), kind=st.sampled_from(["tgz", "zip", "gz"]))
def test_truncated_archives_lose_nothing_silently(tmp_path_factory, cut, kind):
    members = [(f"m{i}.txt", f"Page {i} on May {i + 1}, 2020.\n".encode() * 40) for i in range(4)]
    if kind == "tgz":
        data, name = gzip.compress(tar_bytes(members)), "a.tgz"
    elif kind == "zip":
        data, name = zip_bytes(members), "a.zip"
    else:
        data, name = gzip.compress(members[0][1]), "a.txt.gz"
    items = outcomes(tmp_path_factory.mktemp("p"), name, data[:cut])
    docs, errors = reconcile(items)
    assert docs + errors == len(items) >= 1
    assert docs <= len(members)
    if cut >= len(data):
        assert errors == 0


@FAST
@given(lines=st.lists(st.text(st.characters(blacklist_characters="\n"), max_size=200), max_size=20))
def test_jsonl_lines_are_records_or_errors(lines):
    """Every line is one record or one error row, except blank lines (not records)."""
    body = "\n".join(json.dumps({"text": t}) if i % 3 else t for i, t in enumerate(lines))
    data = body.encode("utf-8", "surrogatepass")
    items = list(iter_jsonl(io.BytesIO(data), "f", JsonlFields()))
    expected = [
        i for i, t in enumerate(lines) if i % 3 or t.encode("utf-8", "surrogatepass").strip()
    ]
    assert [item.source for item in items] == [f"f!{i + 1}" for i in expected]
    for i, item in zip(expected, items, strict=True):
        if i % 3:
            assert isinstance(item, RawDoc) and item.text_hint == lines[i]


@FAST
@given(text=st.text(max_size=3000), prefix=st.booleans())
def test_random_text_through_decode_and_split(text, prefix):
    data = ((" date 2020-02-29 " if prefix else "") + text).encode("utf-8", "surrogatepass")
    result = readers.decode(RawDoc("r", data))
    if isinstance(result, ErrorRow):
        assert result.reason in {"empty", "nul_bytes", "binary", "undecodable"}
        return
    split = split_document(result.text, result.prefix_len)
    last = result.prefix_len
    for start, end in split.body_spans:
        assert last <= start <= end <= len(result.text)
        last = end
    for piece in split.removed:
        assert result.text[piece.start : piece.end] == piece.text


@FAST
@given(data=st.binary(min_size=1, max_size=5000))
def test_capped_reads_never_exceed_the_cap(data):
    cap = len(data) // 2
    assert len(streams.read_capped(io.BytesIO(data), cap)) == min(len(data), cap + 1)


# --- names as bytes and as text, surrogates in JSON Lines (issue 13) -----------------------------

CODER = FastPrimitivesCoder()  # what Beam uses for dict rows: UTF-8 strings only
BYTE_NAMES = st.binary(min_size=1, max_size=40).filter(
    lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")
)
TEXT_NAMES = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
    min_size=1,
    max_size=30,
).filter(lambda t: t not in (".", "..") and len(t.encode()) < 250)
ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=300)  # surrogates included


def through_the_reader(path: str) -> list[Doc | ErrorRow]:
    """Every row the reading stage makes of the entries listed under path."""
    rows = []
    for ref in readers.match_input(path):
        units = [ref] if isinstance(ref, ErrorRow) else list(readers.plan_file(ref))
        for unit in units:
            items = [unit] if isinstance(unit, ErrorRow) else list(readers.read_unit(unit))
            rows += [i if isinstance(i, ErrorRow) else readers.decode(i) for i in items]
    return rows


def row_of(result: Doc | ErrorRow) -> dict:
    if isinstance(result, ErrorRow):
        return result.as_row()
    return {"source": result.source, "text": result.text}


@FAST
@given(name=st.one_of(BYTE_NAMES, TEXT_NAMES.map(os.fsencode)), content=st.binary(max_size=200))
def test_any_file_name_becomes_one_row_with_a_utf8_source(tmp_path_factory, name, content):
    folder = tmp_path_factory.mktemp("names")
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as handle:
        handle.write(PREFIX_TEXT + content)
    (result,) = through_the_reader(str(folder))
    assert result.source == escape_name(os.fsdecode(path))
    if _utf8(name):
        assert result.source == os.fsdecode(path)  # valid UTF-8 names are never changed
    CODER.encode(row_of(result))  # no coder sees an unencodable string


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@FAST
@given(names=st.lists(BYTE_NAMES, min_size=2, max_size=6, unique=True))
def test_distinct_byte_names_stay_distinct(names):
    """Escaping keeps distinct names apart unless one literally spells another's escape."""
    escaped = {escape_name(os.fsdecode(n)) for n in names}
    literal = any(b"\\x" in n or b"\\u" in n for n in names)
    assert len(escaped) == len(names) or literal


@FAST
@given(text=ANY_TEXT, date=ANY_TEXT, key=ANY_TEXT)
def test_surrogates_in_json_lines_become_replacement_characters(text, date, key):
    line = json.dumps({key: "x", "text": " date 2020-01-02 " + text + " ok", "date": date})
    (item,) = iter_jsonl(io.BytesIO(line.encode()), "f.jsonl", JsonlFields())
    loaded = json.loads(line)["text"]  # (a high and a low surrogate in a row make one pair)
    lone = sum(1 for c in loaded if 0xD800 <= ord(c) <= 0xDFFF)
    result = readers.decode(item)
    if isinstance(result, ErrorRow):
        assert result.reason in {"nul_bytes", "empty"}
        return
    result.text.encode("utf-8")
    assert result.replaced_code_points == lone
    assert ("replaced_code_points" in result.notes) == (lone > 0)
    if "\r" not in loaded:  # offsets: one code point for one code point
        assert len(result.text) == len(loaded)
    CODER.encode(row_of(result))


@FAST
@given(name=BYTE_NAMES, kind=st.sampled_from(["x.tar", "x.tgz"]))
def test_any_tar_member_name_becomes_a_utf8_source(tmp_path_factory, name, kind):
    from tests.hostile import tar_with_raw_name

    data = tar_with_raw_name(name, PREFIX_TEXT, "w:gz" if kind == "x.tgz" else "w")
    items = outcomes(tmp_path_factory.mktemp("tarnames"), kind, data)
    sources = [i.source for i in items]
    for source in sources:
        source.encode("utf-8")
    assert len(items) == 2 and sources[-1].endswith("!ok.txt")
    if not isinstance(items[0], ErrorRow):  # (a name such as ../x is refused: unsafe_path)
        assert sources[0].endswith("!" + escape_name(os.fsdecode(name)))
