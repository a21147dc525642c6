"""Stage 5, output: Parquet tables, the commit marker and the input manifest."""
