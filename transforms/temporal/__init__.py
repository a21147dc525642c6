"""Stage 3, temporal: tag date expressions in the body and normalize them to TIMEX3 values.

Composite: `beam.TagDates`. Pure modules: `tagger` (DateTagger.tag), `grammar` (rules/dates.yaml
compiled), `dispatch` (first-word dispatch), `context` (tense and name checks), `calendar`
(date arithmetic), `normalize/` (the normalizers the grammar names: absolute, relative,
durations, days), `mod` (TIMEX3 mod and the START/MID/END ranges), `anchor` (an anchor for
pages with no publication date).
"""
