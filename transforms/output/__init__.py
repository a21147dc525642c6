"""Stage 5, output: Hive-partitioned Parquet tables, committed at once (one version per run).

Composites: `beam.WriteTables`, `beam.Publish`. Pure modules: `schemas` (the tables' pyarrow
schemas and partitioning: the output contract), `parquet` (the one Parquet writer, filesystem
helpers), `manifest` (inputs already read, the rows an incremental run replaces), `commit`
(versions, the pointer, retention), `existing` (what an output folder holds), `runlock` (the
writers' locks), `guard` (refusals and exit codes), `faults` (fault points for the tests).
"""
