"""Evaluation commands for newsline (TimeML date tagging: ``python -m eval.dates``)."""
