"""JSON Lines: one document per line, streamed, each line capped. Pure functions.

A record is a JSON object with a string text field (default `text`) and, optionally, a date
field (default `date`, ISO `YYYY-MM-DD...`) that gives the publication date. Blank lines are
not records. Each record's source is `path!N` (N = 1-based line number).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from transforms.ingest.archives import member_source
from transforms.limits import MAX_DOC_BYTES, READ_CHUNK_BYTES
from transforms.records import ErrorRow, RawDoc

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class JsonlFields:
    """The fields of a JSON Lines record: the article text (``--jsonl_text_field``) and the
    publication date (``--jsonl_date_field``; None: no date field)."""

    text: str = "text"
    date: str | None = "date"


def is_jsonl(name: str) -> bool:
    """Is the file JSON Lines by its name's suffix (.jsonl, .ndjson, .jsonlines)?"""
    return name.lower().endswith(JSONL_SUFFIXES)


class LineReader:
    """Lines of a byte stream, each capped: a longer line is cut at cap + 1 bytes, the rest of
    it skipped without being kept in memory."""

    def __init__(self, stream, cap: int = MAX_DOC_BYTES):
        self.stream = stream
        self.cap = cap
        self.buf = b""
        self.pos = 0
        self.eof = False

    def readline(self) -> bytes | None:
        """The next line without its newline (cap + 1 bytes when too long); None at the end."""
        while True:
            end = self.buf.find(b"\n", self.pos, self.pos + self.cap + 1)
            if end >= 0:
                line, self.pos = self.buf[self.pos : end], end + 1
                return line
            if len(self.buf) - self.pos > self.cap:
                line = self.buf[self.pos : self.pos + self.cap + 1]
                self._skip_rest_of_line()
                return line
            if self.eof:
                if self.pos >= len(self.buf):
                    return None
                line, self.buf, self.pos = self.buf[self.pos :], b"", 0
                return line
            self._fill()

    def _fill(self) -> None:
        chunk = self.stream.read(READ_CHUNK_BYTES)
        if not chunk:
            self.eof = True
            return
        self.buf = self.buf[self.pos :] + chunk  # drop consumed bytes: the buffer stays small
        self.pos = 0

    def _skip_rest_of_line(self) -> None:
        while True:
            end = self.buf.find(b"\n", self.pos)
            if end >= 0:
                self.pos = end + 1
                return
            self.buf, self.pos = b"", 0
            if self.eof:
                return
            self._fill()


def iter_jsonl(stream, path: str, fields: JsonlFields) -> Iterator[RawDoc | ErrorRow]:
    """One RawDoc per JSON Lines record of the stream (source ``path!<line number>``), or an error
    row for a line that is too long, not JSON or has no text; blank lines are skipped."""
    reader = LineReader(stream)
    number = 0
    while (line := reader.readline()) is not None:
        number += 1
        if number == 1 and line.startswith(UTF8_BOM):
            line = line[len(UTF8_BOM) :]
        if not line.strip():
            continue
        source = member_source(path, str(number))
        if len(line) > reader.cap:
            yield ErrorRow(source, "read", "too_large", f"line longer than {reader.cap} bytes")
            continue
        yield parse_record(line, source, fields)


def parse_record(line: bytes, source: str, fields: JsonlFields) -> RawDoc | ErrorRow:
    """One JSON Lines record -> a RawDoc (text as text_hint, date as published_hint), or an ErrorRow
    (bad_json, no_text)."""
    try:
        record = json.loads(line)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        return ErrorRow(source, "read", "bad_json", str(exc)[:300])
    if not isinstance(record, dict):
        return ErrorRow(source, "read", "bad_json", f"a {type(record).__name__}, not an object")
    text = record.get(fields.text)
    if not isinstance(text, str):
        return ErrorRow(source, "read", "no_text", f"no string field {fields.text!r}")
    date = record.get(fields.date) if fields.date else None
    hint = date if isinstance(date, str) and date.strip() else None
    return RawDoc(source, b"", published_hint=hint, text_hint=text)
