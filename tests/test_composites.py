"""Each step's composite on its own: beam.Create in, assert_that out (local engine, no network)."""

import datetime as dt
import json

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to, is_not_empty

from transforms.boilerplate.beam import CountTemplateLines, SplitBoilerplate
from transforms.events.beam import ExtractEvents
from transforms.ingest.beam import ReadDocuments
from transforms.ingest.readers import FileRef
from transforms.output import beam as output_beam
from transforms.output.beam import Publish, WriteTableFn, WriteTables
from transforms.records import Doc
from transforms.temporal.beam import TagDates

RUNNER = "FnApiRunner"
POMPEO = (
    " date 2020-10-27 US Secretary of State Mike Pompeo on Tuesday highlighted that "
    "October 27 marks one year since the US launched an operation on October 27, 2019."
)


def pompeo() -> Doc:
    return Doc("d1", "mem://one.txt", POMPEO, dt.date(2020, 10, 27), "prefix", 17, "utf-8")


def write_inputs(folder):
    (folder / "good.txt").write_text(" date 2020-10-27 Body line one.\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"   \n")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    return str(folder / "*.txt")


def test_read_documents_routes_bad_files_to_errors(tmp_path):
    pattern = write_inputs(tmp_path)
    with TestPipeline(runner=RUNNER) as p:
        read = p | ReadDocuments([pattern])
        docs = read["docs"] | beam.Map(lambda d: (d.source.rsplit("/", 1)[-1], d.published))
        errors = read["errors"] | beam.Map(lambda e: (e["source"].rsplit("/", 1)[-1], e["reason"]))
        assert_that(docs, equal_to([("good.txt", dt.date(2020, 10, 27))]), label="docs")
        assert_that(
            errors, equal_to([("empty.txt", "empty"), ("image.txt", "binary")]), label="errors"
        )


def test_split_boilerplate_finds_the_body_and_keeps_the_document():
    with TestPipeline(runner=RUNNER) as p:
        split = p | beam.Create([pompeo()]) | SplitBoilerplate()
        bodies = split["split"] | beam.Map(
            lambda pair: (pair[0].doc_id, [pair[0].text[s:e] for s, e in pair[1].body_spans])
        )
        assert_that(bodies, equal_to([("d1", [POMPEO[17:]])]), label="body")
        assert_that(split["errors"], equal_to([]), label="no errors")


def test_a_failing_document_becomes_an_error_row_not_a_failed_run():
    bad = Doc("d2", "mem://bad.txt", None, None, "none", 0, "utf-8")  # text None: split fails
    good = Doc("d3", "mem://good.txt", "A line of body text.", None, "none", 0, "utf-8")
    with TestPipeline(runner=RUNNER) as p:
        split = p | beam.Create([bad, good]) | SplitBoilerplate()
        errors = split["errors"] | beam.Map(lambda e: (e["source"], e["stage"], e["reason"]))
        assert_that(errors, equal_to([("mem://bad.txt", "split", "exception")]), label="errors")
        assert_that(split["split"] | beam.Map(lambda s: s[0].doc_id), equal_to(["d3"]), label="ok")


def test_tag_dates_resolves_relative_dates_against_the_prefix():
    with TestPipeline(runner=RUNNER) as p:
        split = p | beam.Create([pompeo()]) | SplitBoilerplate()
        dated = split["split"] | TagDates()
        values = dated["dated"] | beam.FlatMap(
            lambda d: [(m.text, m.value, d.anchor.source) for m in d.mentions]
        )
        assert_that(
            values | beam.Filter(lambda v: v[0] in ("Tuesday", "October 27, 2019")),
            equal_to(
                [("Tuesday", "2020-10-27", "prefix"), ("October 27, 2019", "2019-10-27", "prefix")]
            ),
            label="values",
        )
        assert_that(dated["errors"], equal_to([]), label="no errors")


def test_tag_dates_sends_a_failing_document_to_errors():
    doc = Doc("d4", "mem://four.txt", "text", None, "none", 0, "utf-8")
    with TestPipeline(runner=RUNNER) as p:
        dated = p | beam.Create([(doc, None)]) | TagDates()  # no Split: the tagger fails
        errors = dated["errors"] | beam.Map(lambda e: (e["source"], e["stage"], e["reason"]))
        assert_that(errors, equal_to([("mem://four.txt", "dates", "exception")]), label="errors")
        assert_that(dated["dated"], equal_to([]), label="nothing dated")


def test_extract_events_makes_one_row_list_and_one_document_row_per_document():
    with TestPipeline(runner=RUNNER) as p:
        split = p | beam.Create([pompeo()]) | SplitBoilerplate()
        dated = split["split"] | TagDates()
        out = dated["dated"] | ExtractEvents()
        # one element per document: the list of its event rows
        values = out["events"] | beam.FlatMap(
            lambda rows: [(r["date_text"], r["timex_value"]) for r in rows]
        )
        assert_that(
            values | beam.Filter(lambda v: v[0] == "October 27, 2019"),
            equal_to([("October 27, 2019", "2019-10-27")]),
            label="full date",
        )
        assert_that(
            values | beam.Filter(lambda v: v[0] == "Tuesday"),
            equal_to([("Tuesday", "2020-10-27")]),
            label="weekday",
        )
        assert_that(
            out["documents"] | beam.Map(lambda r: (r["doc_id"], r["published_source"])),
            equal_to([("d1", "prefix")]),
            label="documents",
        )
        assert_that(out["errors"], equal_to([]), label="no errors")


def test_line_counts_find_lines_repeated_across_documents():
    template = "Subscribe to our newsletter for the latest news"
    docs = [
        Doc(
            f"d{i}",
            f"s{i}",
            f"{template}\nThe article is about {name} and nothing else.",
            None,
            "none",
            0,
            "utf-8",
        )
        for i, name in enumerate(["apples", "rivers", "elections"])
    ]
    with TestPipeline(runner=RUNNER) as p:
        counts = p | beam.Create(docs) | CountTemplateLines()
        assert_that(
            counts | beam.Map(lambda c: (c["n_docs"], sorted(c["repeated"].values()))),
            equal_to([(3, [3])]),
        )
        assert_that(counts, is_not_empty(), label="one result")


def test_write_tables_stages_every_table_and_the_manifest(tmp_path):
    staging = str(tmp_path / "_staging" / "r1")
    error = {"source": "s", "stage": "read", "reason": "empty", "message": "m"}
    ref = FileRef(str(tmp_path / "in.txt"), 12, 1.5)
    with TestPipeline(runner=RUNNER) as p:
        tables = {
            "events": p | "E" >> beam.Create([]),
            "documents": p | "D" >> beam.Create([]),
            "errors": p | "Err" >> beam.Create([error, error]),
            "files": p | "F" >> beam.Create([ref]),
        }
        paths = tables | WriteTables(staging, "r1", 7)
        assert_that(
            paths | beam.Map(lambda ps: sorted(p[len(staging) + 1 :].split("/")[0] for p in ps)),
            equal_to([["_manifest", "errors"]]),
        )
    parts = list((tmp_path / "_staging" / "r1" / "_manifest").glob("*.parquet"))
    assert [r["path"] for r in pq.read_table(parts[0]).to_pylist()] == [ref.path]


def test_publish_checks_the_counts_and_writes_success(tmp_path):
    output = tmp_path / "out"
    staging = str(output / "_staging" / "r2")
    error = {"source": "s", "stage": "read", "reason": "empty", "message": "m"}
    with TestPipeline(runner=RUNNER) as p:
        errors = p | "Err" >> beam.Create([error])
        tables = {
            "events": p | "E" >> beam.Create([]),
            "documents": p | "D" >> beam.Create([]),
            "errors": errors,
            "files": p | "F" >> beam.Create([]),
        }
        paths = tables | WriteTables(staging, "r2", 7)
        summary = {
            "paths": paths,
            "inputs_read": p | "Raw" >> beam.Create([]),
            "read_errors": errors,
            "documents": tables["documents"],
            "errors": errors,
        } | Publish(str(output), "r2")
        assert_that(
            summary | beam.Map(lambda s: (s["run_id"], s["inputs"], s["errors"], s["documents"])),
            equal_to([("r2", 1, 1, 0)]),
        )
    success = json.loads((output / "_SUCCESS").read_text())
    assert success["errors_by_reason"] == {"read:empty": 1}
    assert list((output / "errors").rglob("*.parquet"))


def test_publish_refuses_when_inputs_and_outputs_disagree():
    with pytest.raises(RuntimeError, match="reconciliation failed"):
        output_beam.check_counts({"inputs": 3, "documents": 1, "errors": 1})
    output_beam.check_counts({"inputs": 2, "documents": 1, "errors": 1})


def test_writer_bounds_its_buffers_in_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(output_beam, "WRITE_BATCH_BYTES", 10_000)
    rows = [
        {"source": f"s{i}", "stage": "read", "reason": "x", "message": "m" * 1000}
        for i in range(50)
    ]
    writer = WriteTableFn("errors", str(tmp_path))
    writer.start_bundle()
    paths = [p for row in rows for p in writer.process(row)]
    paths += [wv.value for wv in writer.finish_bundle()]
    assert len(paths) > 3  # flushed along the way, not once at the end
    assert sum(pq.read_metadata(p).num_rows for p in paths) == 50


def test_batched_writer_writes_every_row_of_every_list(tmp_path):
    rows = [{"source": f"s{i}", "stage": "read", "reason": "x", "message": "m"} for i in range(10)]
    writer = WriteTableFn("errors", str(tmp_path), batched=True)
    writer.start_bundle()
    paths = [p for batch in (rows[:3], rows[3:], []) for p in writer.process(batch)]
    paths += [wv.value for wv in writer.finish_bundle()]
    written = [r["source"] for p in paths for r in pq.read_table(p).to_pylist()]
    assert sorted(written) == sorted(r["source"] for r in rows)
