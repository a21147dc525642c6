"""Stage 1, ingest: inputs -> decoded documents (`records.Doc`) or error rows.

Composite: `beam.ReadDocuments` (match, plan read units, reshuffle, read, decode).
Pure modules: `listing` (local folders: links, FIFOs, the input root), `readers` (match_input,
plan_file, read_unit, decode), `archives` (zip and tar members, zip layout checks), `streams`
(decompression, bomb guard, capped reads), `jsonl` (JSON Lines records), `encodings` (the
decoding ladder), `magic` (formats by their first bytes).
"""
