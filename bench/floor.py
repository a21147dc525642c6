"""The Beam IO floor: the least any job must do with the same input on the same runner.

Match the files, spread them (Reshuffle, as the job does), read each (gzip is decompressed by
Beam's ReadableFile from the `.gz` extension), decode UTF-8, count characters and write one
Parquet row per document with Beam's own WriteToParquet. No job on this runner can be faster.

    python -m bench.floor --input GLOB --output DIR [any Beam option]
"""

from __future__ import annotations

import argparse
import logging
import sys

import apache_beam as beam
import pyarrow as pa
from apache_beam.io import fileio
from apache_beam.io.parquetio import WriteToParquet
from apache_beam.options.pipeline_options import PipelineOptions

FLOOR_SCHEMA = pa.schema([("source", pa.string()), ("n_chars", pa.int64())])


def count_chars(readable) -> dict:
    text = readable.read().decode("utf-8", errors="replace")
    return {"source": readable.metadata.path, "n_chars": len(text)}


def build(p: beam.Pipeline, inputs: list[str], output: str) -> None:
    (
        p
        | "Patterns" >> beam.Create(inputs)
        | "Match" >> fileio.MatchAll(fileio.EmptyMatchTreatment.ALLOW_IF_WILDCARD)
        | "Spread" >> beam.Reshuffle()
        | "Read" >> fileio.ReadMatches()
        | "CountChars" >> beam.Map(count_chars)
        | "Write"
        >> WriteToParquet(output.rstrip("/") + "/floor", FLOOR_SCHEMA, file_name_suffix=".parquet")
    )


def make_runner(options: PipelineOptions):
    """The job's own runner choice (pipeline.run.make_runner), so the floor runs on the same."""
    from pipeline.run import make_runner as job_runner

    return job_runner(options)


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.floor", description=__doc__)
    parser.add_argument("--input", action="append", required=True)
    parser.add_argument("--output", required=True)
    known, beam_args = parser.parse_known_args(argv)
    options = PipelineOptions(beam_args)
    p = beam.Pipeline(runner=make_runner(options), options=options)
    build(p, known.input, known.output)
    p.run().wait_until_finish()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    run(sys.argv[1:])
