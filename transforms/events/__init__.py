"""Stage 4, events: the documents row and one event row per dated mention in a sentence.

Composite: `beam.ExtractEvents`. Pure modules: `rows` (event_rows, document_row, skip_reason);
`extract` (EventExtractor: trigger, event_class, actors, tense, date_role of a dated mention)
over `lexicon` (word tables in rules/), `tokens`, `trigger`, `actors` and `role`.
"""
