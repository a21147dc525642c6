"""The Beam side of reading: inputs -> batches of read units -> (reshuffle) -> RawDocs -> Docs.

The pure work is in transforms/ingest/readers.py; these DoFns only wrap it, count and route errors.

1. `ListUnitsFn` (one element: all patterns, or the files an --incremental run chose) matches
   the inputs, plans each file into read units (one per file, or one per member of a .zip or
   plain .tar) and packs the units into `UnitBatch`es.
2. The batches are reshuffled, so the work spreads across workers.
3. `ReadUnitFn` reads every unit of a batch into RawDocs; `DecodeFn` decodes them into Docs.

Why batches: Beam's local runner (FnApiRunner) holds every element of a Reshuffle in memory,
about 1 KB per element (measured: +20 MB of peak RSS from 10k to 30k files with one element
per file, +56% of memory from 10k to 100k files). A UnitBatch packs UNITS_PER_BATCH units as
one compressed pickle, where units of one folder share most of their path, so memory stays
nearly flat with the number of input files (transforms/limits.py). Document texts are never
reshuffled on the local runner (see `spread_streams`).
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import apache_beam as beam
from apache_beam import pvalue

from transforms.deadletter import (
    ERRORS,
    CountingDoFn,
    error_from_exception,
    route_error,
    tag_error,
)
from transforms.ingest import readers
from transforms.ingest.jsonl import JsonlFields
from transforms.ingest.readers import client_path
from transforms.limits import UNITS_PER_BATCH
from transforms.records import ErrorRow

FILES = "files"
STREAMED = "streamed"


@dataclass(frozen=True)
class UnitBatch:
    """Read units (FileRefs, MemberRefs) packed as one zlib-compressed pickle."""

    blob: bytes
    size: int

    @classmethod
    def pack(cls, units: list) -> UnitBatch:
        """Pack read units as one zlib-compressed pickle."""
        return cls(
            zlib.compress(pickle.dumps(units, protocol=pickle.HIGHEST_PROTOCOL), 1), len(units)
        )

    def units(self) -> list:
        """The read units packed in this batch."""
        return pickle.loads(zlib.decompress(self.blob))


@dataclass(frozen=True)
class Listing:
    """What to read: glob/folder/file patterns, or (incremental runs) FileRefs already matched."""

    patterns: tuple[str, ...] = ()
    files: tuple | None = None
    follow_links: bool = False  # --follow_links (transforms/ingest/listing.py)


class _ReadingFn(CountingDoFn):
    """Base of the reading DoFns. `counted=False` for the second read that only feeds the corpus
    line counts, so that its inputs and errors are not counted twice in the Beam metrics."""

    def __init__(self, counted: bool = True):
        self.counted = counted

    def error(self, item: ErrorRow):
        if self.counted:
            return route_error(item)
        return tag_error(item)

    def note(self, name: str, n: int = 1) -> None:
        if self.counted:
            self.counts.add(name, n)


class ListUnitsFn(_ReadingFn):
    """A Listing -> UnitBatches (main), the FileRefs read (`files`, for the manifest) and error
    rows of matching and planning. A file named by two patterns is read once."""

    def process(self, listing: Listing):
        """Match and plan the listing; yield UnitBatches, FileRefs (`files`) and error rows."""
        batch: list = []  # FileRefs (a whole file) and MemberRefs
        for item in self._files(listing):
            if isinstance(item, ErrorRow):
                yield self.error(item)
                continue
            yield pvalue.TaggedOutput(FILES, item)  # the manifest's record of the file
            for unit in _plan(item):
                if isinstance(unit, ErrorRow):
                    yield self.error(unit)
                    continue
                batch.append(unit)
                if len(batch) >= UNITS_PER_BATCH:
                    yield UnitBatch.pack(batch)
                    batch = []
        if batch:
            yield UnitBatch.pack(batch)

    @staticmethod
    def _files(listing: Listing) -> Iterator:
        if listing.files is not None:
            yield from listing.files
            return
        seen: set[str] | None = set() if len(listing.patterns) > 1 else None
        for pattern in listing.patterns:
            for item in readers.match_input(pattern, listing.follow_links):
                if seen is not None and isinstance(item, readers.FileRef):
                    if item.path in seen:
                        continue
                    seen.add(item.path)
                yield item


def _plan(ref: readers.FileRef) -> Iterator:
    try:
        yield from readers.plan_file(ref)
    except Exception as exc:  # noqa: BLE001 - dead letter
        yield error_from_exception(ref.path, "read", exc)


class ReadUnitFn(_ReadingFn):
    """A UnitBatch -> RawDocs (one per file, member or JSONL record) and error rows. With
    `tag_streamed`, documents of a streamed bundle (.tar.gz, .jsonl) go to `streamed`."""

    def __init__(self, fields: JsonlFields, counted: bool = True, tag_streamed: bool = False):
        super().__init__(counted)
        self.fields = fields
        self.tag_streamed = tag_streamed

    def process(self, batch: UnitBatch):
        """Read every unit of a batch; yield RawDocs (or to `streamed`) and error rows."""
        for unit in batch.units():
            whole_file = isinstance(unit, readers.FileRef)
            for item in readers.read_unit(unit, self.fields):
                if isinstance(item, ErrorRow):
                    yield self.error(item)
                    continue
                self.note("inputs_read")
                if self.tag_streamed and whole_file and item.source != unit.source:
                    yield pvalue.TaggedOutput(STREAMED, item)
                else:
                    yield item


class DecodeFn(_ReadingFn):
    """A RawDoc -> a Doc (main), or an error row (stage ``decode``); counts ``decode_note_<note>``
    for documents read with a fix."""

    def process(self, raw):
        """Decode one RawDoc."""
        try:
            result = readers.decode(raw)
        except Exception as exc:  # noqa: BLE001 - dead letter
            result = error_from_exception(raw.source, "decode", exc)
        if isinstance(result, ErrorRow):
            yield self.error(result)
            return
        for note in result.notes:
            self.note(f"decode_note_{note}")
        if result.replaced_code_points:  # (the note counts documents; this, code points)
            self.note("code_points_replaced", result.replaced_code_points)
        yield result


class ReadDocuments(beam.PTransform):
    """Globs (or FileRefs already matched) -> decoded Docs and error rows.

    Outputs: `docs`, `errors` (all reading errors), `raw` and `read_errors` (for the inputs
    count: every file, archive member and JSONL record is one raw doc or one read error) and
    `files` (the FileRefs read, for the manifest).

    Members of a .zip/.tar spread across workers with the batches. A compressed stream
    (.tar.gz, .jsonl.gz) or a JSON Lines file can only be read from its start, by one worker;
    with `spread_streams` the documents read from it are reshuffled too, so that the work after
    reading spreads. Distributed runners need that; Beam's local runner would hold all of those
    documents in memory, so pipeline/run.py turns it on for distributed runners only.
    """

    def __init__(
        self,
        patterns=None,
        files=None,
        fields: JsonlFields | None = None,
        counted: bool = True,
        match_errors: list[dict] | None = None,
        spread_streams: bool = False,
        follow_links: bool = False,
    ):
        super().__init__()
        self.patterns = tuple(client_path(p) for p in patterns or [])
        self.files = tuple(files) if files is not None else None  # incremental runs
        self.fields = fields or JsonlFields()
        self.counted = counted
        self.match_errors = match_errors or []  # error rows of the driver's matching
        self.spread_streams = spread_streams
        self.follow_links = follow_links

    def expand(self, pbegin):
        """Create the listing, list, reshuffle, read and decode; gather the error rows."""
        counted, spread = self.counted, self.spread_streams
        listing = Listing(self.patterns, self.files, self.follow_links)
        listed = (
            pbegin
            | "Inputs" >> beam.Create([listing], reshuffle=False)
            | "List" >> beam.ParDo(ListUnitsFn(counted)).with_outputs(ERRORS, FILES, main="units")
        )
        raw = (
            listed.units
            | "Spread" >> beam.Reshuffle()
            | "Read"
            >> beam.ParDo(ReadUnitFn(self.fields, counted, spread)).with_outputs(
                ERRORS, STREAMED, main="raw"
            )
        )
        all_raw = raw.raw
        if spread:
            # (only then: the local runner turns this Flatten into a stage boundary that holds
            # every document read in memory)
            streamed = raw[STREAMED] | "SpreadStreamed" >> beam.Reshuffle()
            all_raw = (raw.raw, streamed) | "AllRaw" >> beam.Flatten()
        decoded = all_raw | "Decode" >> beam.ParDo(DecodeFn(counted)).with_outputs(
            ERRORS, main="docs"
        )
        match_errors = pbegin | "MatchErrors" >> beam.Create(self.match_errors)
        read_errors = (match_errors, listed[ERRORS], raw[ERRORS]) | "AllReadErrors" >> (
            beam.Flatten()
        )
        errors = (read_errors, decoded[ERRORS]) | "ReadErrors" >> beam.Flatten()
        return {
            "raw": all_raw,
            "docs": decoded.docs,
            "read_errors": read_errors,
            "errors": errors,
            "files": listed[FILES],
        }
