"""The read stage's per-document scans against the regular expressions they replace:
`encodings.control_count` (control characters counted in UTF-8 bytes) against
``len(CONTROL_RE.findall(text))``, and `utf8.is_utf8_safe` (the strict UTF-8 encoder) against
``SURROGATE_RE.search(text) is None``, on the bench pages, the shared pages and generated text
with every kind of code point: controls, lone and paired surrogates, astral characters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests import realtexts
from transforms.ingest.encodings import CONTROL_RE, control_count
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
