"""Property-based tests: random bytes and random text through the read, decode and split stages.
Whatever comes in, every input ends as exactly one document or one error row, nothing raises,
and offsets stay inside the text."""

from __future__ import annotations

import gzip
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.badinputs import tar_bytes, zip_bytes
from transforms.boilerplate.splitter import split_document
from transforms.ingest import readers, streams
from transforms.ingest.jsonl import JsonlFields, iter_jsonl
from transforms.ingest.readers import FileRef
from transforms.records import Doc, ErrorRow, RawDoc

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
