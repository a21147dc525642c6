"""Stage 4, events: one event row per dated sentence, document rows."""
