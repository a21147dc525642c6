"""Stage 4, events: the documents row and one event row per dated mention in a sentence.

Composite: `beam.ExtractEvents`. Pure module: `rows` (event_rows, document_row, skip_reason).
"""
