"""The read stage's per-document scans against the regular expressions they replace:
`encodings.control_count` (control characters counted in UTF-8 bytes) against
``len(CONTROL_RE.findall(text))``, and `utf8.is_utf8_safe` (the strict UTF-8 encoder) against
``SURROGATE_RE.search(text) is None``, on the bench pages, the shared pages and generated text
with every kind of code point: controls, lone and paired surrogates, astral characters. Also
the reader's shortcuts against their plain definitions: `magic.format_of` (signatures by first
byte) against `format_of_reference`, `records.content_id_of_utf8` (the decoded bytes hashed as
they are) against `content_id`, `readers.is_blank` against ``not text[start:].strip()``, and
the checks of a text decoded as strict UTF-8 made on its bytes (`encodings._checked` given
them) against the same checks made on the str."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests import realtexts
from transforms.ingest.encodings import (
    CONTROL_RE,
    SNIFF_BYTES,
    DecodeProblem,
    _checked,
    control_count,
    decode_bytes,
)
from transforms.ingest.magic import MAGIC, format_of, format_of_reference
from transforms.ingest.readers import is_blank
from transforms.records import content_id, content_id_of_utf8
from transforms.text.utf8 import SURROGATE_RE, is_utf8_safe

ODD = "\x00\x01\x08\t\n\x0b\x0c\r\x0e\x1b\x1f \x7f\x80\x85\xa0\xff\u0100\u2028\ud800\udbff\udc00\udcff\udfff\ue000\uffff\U00010000\U0010ffff"  # noqa: E501
any_text = st.text(alphabet=st.sampled_from(ODD), max_size=60) | st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60
)


def _same(text: str) -> bool:
    return control_count(text) == len(CONTROL_RE.findall(text)) and is_utf8_safe(text) == (
        SURROGATE_RE.search(text) is None
    )


def test_scans_equal_the_regular_expressions_on_real_pages():
    pages = realtexts.pages()
    assert len(pages) > 300
    assert [p for p in pages if not _same(p)] == []
    assert not is_utf8_safe("caf\udce9.txt") and control_count("a\x00\x7f\ud800\x1f") == 3


@settings(max_examples=1500, deadline=None)
@given(any_text)
def test_scans_equal_the_regular_expressions_on_any_code_points(text):
    assert _same(text)
    assert _same(text + "é")  # a non-ASCII string: the encoder's path


def test_format_of_equals_the_signature_loop():
    heads = [magic + b"rest" for magic, _ in MAGIC] + [magic[:-1] for magic, _ in MAGIC]
    heads += [b"", b"P", b"PK", b"\x1f", b"BZh91AY&SY", b"%PDF-1.4"]
    heads += [page.encode("utf-8", "surrogatepass")[:512] for page in realtexts.pages()]
    assert [format_of(h) for h in heads] == [format_of_reference(h) for h in heads]


@settings(max_examples=1500, deadline=None)
@given(st.binary(max_size=24))
def test_format_of_equals_the_signature_loop_on_any_bytes(head):
    assert format_of(head) == format_of_reference(head)
    for magic, _ in MAGIC:
        assert format_of(magic + head) == format_of_reference(magic + head)


def test_content_id_of_the_decoded_bytes_is_the_text_id():
    for page in realtexts.pages():
        data = page.encode("utf-8", "surrogatepass")
        if "\r" in page or not _strict_utf8(data):
            continue
        text, encoding, notes = decode_bytes(data)
        assert (encoding, notes) == ("utf-8", ()) and text == page
        assert content_id_of_utf8(data) == content_id(text)


def _strict_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=1500, deadline=None)
@given(
    any_text | st.text(alphabet=" \t\n\x0b\x0c\r\x1c\x85\xa0\u2028\u3000x", max_size=600),
    st.integers(min_value=0, max_value=700),
)
def test_is_blank_is_strip(text, start):
    assert is_blank(text, start) == (not text[start:].strip())
    padded = " " * 300 + text
    assert is_blank(padded, start) == (not padded[start:].strip())


def _checked_outcome(text: str, utf8: bytes | None):
    try:
        return _checked(text, "utf-8", utf8)
    except DecodeProblem as problem:
        return problem.reason, str(problem)


def test_checks_on_the_utf8_bytes_equal_the_checks_on_the_text():
    """Short and long texts (the control sample is the first SNIFF_BYTES * 4 characters),
    ASCII and not, with NULs and with control characters around the share that fails."""
    texts = list(realtexts.pages())
    long = SNIFF_BYTES * 4
    for ctrl in (0, 400, 600, 2000):
        for body in ("a" * long, "é" * long, "a" * (long - 3) + "é"):
            texts.append("\x1b" * ctrl + body + "\x01" * 50)
            texts.append(body[: long // 2] + "\x07" * ctrl)
    texts += ["", "\x00", "a\x00b", "\x01" * 10, "é\x01", "a" * (long + 5) + "\x00"]
    for text in texts:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            continue
        assert _checked_outcome(text, data) == _checked_outcome(text, None), text[:40]


@settings(max_examples=1500, deadline=None)
@given(any_text, st.integers(min_value=0, max_value=SNIFF_BYTES * 5))
def test_checks_on_the_utf8_bytes_equal_the_checks_on_any_text(text, pad):
    text = "x" * pad + text
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: never decoded from strict UTF-8
        return
    assert _checked_outcome(text, data) == _checked_outcome(text, None)
