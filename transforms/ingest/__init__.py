"""Stage 1, ingest: match inputs, plan read units, decompress, unpack archives and JSONL, decode."""
