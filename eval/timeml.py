"""Parse TimeML (TBAQ-cleaned) files and convert them into the job's input format.

Gold TIMEX3 offsets are code-point offsets into the ``<TEXT>`` content with every
tag removed and XML entities decoded.  The converted input file is
``" date <DCT as YYYY-MM-DD> " + text``, so gold offsets shift by ``len(prefix)``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

PREFIX_TEMPLATE = " date {} "


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    timex_type: str
    value: str


@dataclass(frozen=True)
class TimeMLDoc:
    doc_id: str
    corpus: str
    dct: str  # YYYY-MM-DD
    text: str  # the <TEXT> content, tags removed, entities decoded
    timexes: tuple[GoldTimex, ...]

    @property
    def prefix(self) -> str:
        return PREFIX_TEMPLATE.format(self.dct)

    def job_input(self) -> str:
        """The file content the job reads: the date prefix followed by the text."""
        return self.prefix + self.text

    def shifted_timexes(self) -> tuple[GoldTimex, ...]:
        """Gold TIMEX3 with offsets into :meth:`job_input`."""
        n = len(self.prefix)
        return tuple(
            GoldTimex(t.start + n, t.end + n, t.text, t.timex_type, t.value) for t in self.timexes
        )


def _walk(elem: ET.Element, parts: list[str], pos: int, out: list[GoldTimex]) -> int:
    """Append the text of ``elem``'s content to ``parts``; record TIMEX3 offsets."""
    if elem.text:
        parts.append(elem.text)
        pos += len(elem.text)
    for child in elem:
        start = pos
        pos = _walk(child, parts, pos, out)
        if child.tag == "TIMEX3":
            text = "".join(child.itertext())
            out.append(GoldTimex(start, pos, text, child.get("type", ""), child.get("value", "")))
        if child.tail:
            parts.append(child.tail)
            pos += len(child.tail)
    return pos


def parse_timeml(path: str | Path, corpus: str = "") -> TimeMLDoc:
    """Read one TimeML file: DCT, plain text of <TEXT> and its gold TIMEX3 tags."""
    root = ET.parse(path).getroot()
    doc_id = (root.findtext("DOCID") or Path(path).stem).strip()
    dct_timex = root.find("DCT/TIMEX3")
    dct_value = dct_timex.get("value", "") if dct_timex is not None else ""
    text_elem = root.find("TEXT")
    parts: list[str] = []
    timexes: list[GoldTimex] = []
    if text_elem is not None:
        _walk(text_elem, parts, 0, timexes)
    text = "".join(parts)
    for t in timexes:
        assert text[t.start : t.end] == t.text, (path, t)
    return TimeMLDoc(doc_id, corpus, dct_value[:10], text, tuple(timexes))


def load_corpus(root: str | Path) -> list[TimeMLDoc]:
    """All documents of ``root``/TimeBank and ``root``/AQUAINT, sorted by corpus and name."""
    docs = []
    for corpus in ("TimeBank", "AQUAINT"):
        for path in sorted((Path(root) / corpus).glob("*.tml")):
            docs.append(parse_timeml(path, corpus))
    return docs


def convert(docs: list[TimeMLDoc], out_dir: str | Path) -> list[Path]:
    """Write each document as ``<out_dir>/<corpus>/<doc_id>.txt`` in the job's input format."""
    paths = []
    for doc in docs:
        path = Path(out_dir) / doc.corpus / f"{doc.doc_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(doc.job_input(), encoding="utf-8")
        paths.append(path)
    return paths
