"""Stage 5, output: Hive-partitioned Parquet tables, published at once with _SUCCESS.

Composites: `beam.WriteTables`, `beam.Publish`. Pure modules: `schemas` (the tables' pyarrow
schemas and partitioning: the output contract), `parquet` (the one Parquet writer, the
full-run publish, filesystem helpers), `manifest` (inputs already read, the incremental publish).
"""
