"""The records that flow between stages (RawDoc -> Doc; ErrorRow for what is dropped) and ids.

The output tables' schemas are in transforms/output/schemas.py. Every offset is a Python
code-point offset into the whole decoded file text, the ` date YYYY-MM-DD ` prefix included,
so that ``text[start:end]`` is always the quoted text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from transforms.text.utf8 import escape_name

# --- records between stages -------------------------------------------------------------------


@dataclass(frozen=True)
class RawDoc:
    """One input document as bytes: a file, an archive member or a JSON Lines record."""

    source: str
    data: bytes
    # Set by readers that already know the publication date (e.g. a JSONL date field).
    published_hint: str | None = None
    # Text already decoded by the reader (JSONL fields are str); None means decode `data`.
    text_hint: str | None = None

    def __post_init__(self):
        _escape_source(self)


@dataclass(frozen=True)
class Doc:
    """A decoded document. `text` is the whole decoded file, prefix included."""

    doc_id: str
    source: str
    text: str
    published: dt.date | None
    published_source: str  # prefix | field | none (text: found later, by the splitter)
    prefix_len: int
    encoding: str
    notes: tuple[str, ...] = ()  # reason codes of things the reader fixed (e.g. truncated)
    # Lone surrogates replaced by U+FFFD in `text` (note `replaced_code_points`).
    replaced_code_points: int = 0

    def __post_init__(self):
        _escape_source(self)


@dataclass(frozen=True)
class ErrorRow:
    """One dropped input or document: where it came from, the stage and reason code that dropped it
    (transforms/deadletter.py) and a human-readable message."""

    source: str
    stage: str  # match | read | decode | split | dates (transforms/deadletter.py)
    reason: str  # a code from the stage's list, e.g. binary, empty, undecodable
    message: str

    def __post_init__(self):
        _escape_source(self)
        object.__setattr__(self, "message", escape_name(self.message))

    def as_row(self) -> dict:
        """The row of the errors table (message cut at 2,000 characters)."""
        return {
            "source": self.source,
            "stage": self.stage,
            "reason": self.reason,
            "message": self.message[:2000],
        }


def _escape_source(record) -> None:
    """Sources are always valid UTF-8 (transforms/text/utf8.py): a file or member name with
    undecodable bytes is escaped here, before the record can reach a coder or a table."""
    object.__setattr__(record, "source", escape_name(record.source))


def content_id(text: str) -> str:
    """doc_id: a hash of the decoded text, so that two copies of one page share an id."""
    return content_id_of_utf8(text.encode("utf-8", "surrogatepass"))


def content_id_of_utf8(data: bytes) -> str:
    """`content_id` of the text whose UTF-8 bytes are `data` (``content_id(data.decode())``),
    without encoding the text again: the reader hashes the bytes it decoded when they are
    the text's UTF-8 as they are (transforms/ingest/readers.py `decode`)."""
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def event_id(doc_id: str, start: int, end: int) -> str:
    """event_id: a hash of the document id and the mention's [start, end) offsets."""
    return hashlib.blake2b(f"{doc_id}:{start}:{end}".encode(), digest_size=8).hexdigest()
