"""The Beam wrappers, run with TestPipeline on the local engine (no Prism, no network)."""

import datetime as dt

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to, is_not_empty

from transforms import ptransforms as pt
from transforms.ingest.beam import ReadDocuments
from transforms.records import Doc

RUNNER = "FnApiRunner"


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


def test_split_and_dates_turn_a_document_into_rows():
    text = (
        " date 2020-10-27 US Secretary of State Mike Pompeo on Tuesday highlighted that "
        "October 27 marks one year since the US launched an operation on October 27, 2019."
    )
    doc = Doc("d1", "mem://one.txt", text, dt.date(2020, 10, 27), "prefix", 17, "utf-8")
    with TestPipeline(runner=RUNNER) as p:
        split = (
            p | beam.Create([doc]) | beam.ParDo(pt.SplitFn()).with_outputs(pt.ERRORS, main="split")
        )
        dated = split.split | beam.ParDo(pt.DatesFn()).with_outputs(
            pt.EVENTS, pt.ERRORS, main="documents"
        )
        # one element per document: the list of its event rows
        values = dated[pt.EVENTS] | beam.FlatMap(
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
            dated.documents | beam.Map(lambda r: r["doc_id"]), equal_to(["d1"]), label="documents"
        )
        assert_that(dated[pt.ERRORS], equal_to([]), label="no errors")


def test_a_failing_document_becomes_an_error_row_not_a_failed_run():
    bad = Doc("d2", "mem://bad.txt", None, None, "none", 0, "utf-8")  # text None: split fails
    good = Doc("d3", "mem://good.txt", "A line of body text.", None, "none", 0, "utf-8")
    with TestPipeline(runner=RUNNER) as p:
        split = (
            p
            | beam.Create([bad, good])
            | beam.ParDo(pt.SplitFn()).with_outputs(pt.ERRORS, main="split")
        )
        errors = split[pt.ERRORS] | beam.Map(lambda e: (e["source"], e["stage"], e["reason"]))
        assert_that(errors, equal_to([("mem://bad.txt", "split", "exception")]), label="errors")
        assert_that(split.split | beam.Map(lambda s: s[0].doc_id), equal_to(["d3"]), label="ok")


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
        counts = p | beam.Create(docs) | pt.CountTemplateLines()
        assert_that(
            counts | beam.Map(lambda c: (c["n_docs"], sorted(c["repeated"].values()))),
            equal_to([(3, [3])]),
        )
        assert_that(counts, is_not_empty(), label="one result")


def test_writer_bounds_its_buffers_in_bytes(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    monkeypatch.setattr(pt, "MAX_BUFFER_BYTES", 10_000)
    rows = [
        {"source": f"s{i}", "stage": "read", "reason": "x", "message": "m" * 1000}
        for i in range(50)
    ]
    writer = pt.WriteTableFn("errors", str(tmp_path))
    writer.start_bundle()
    paths = [p for row in rows for p in writer.process(row)]
    paths += [wv.value for wv in writer.finish_bundle()]
    assert len(paths) > 3  # flushed along the way, not once at the end
    assert sum(pq.read_metadata(p).num_rows for p in paths) == 50


def test_batched_writer_writes_every_row_of_every_list(tmp_path):
    import pyarrow.parquet as pq

    rows = [
        {"source": f"s{i}", "stage": "read", "reason": "x", "message": "m"} for i in range(10)
    ]
    writer = pt.WriteTableFn("errors", str(tmp_path), batched=True)
    writer.start_bundle()
    paths = [p for batch in (rows[:3], rows[3:], []) for p in writer.process(batch)]
    paths += [wv.value for wv in writer.finish_bundle()]
    written = [r["source"] for p in paths for r in pq.read_table(p).to_pylist()]
    assert sorted(written) == sorted(r["source"] for r in rows)
