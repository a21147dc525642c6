"""Stage 3, temporal: tag date expressions and normalize them to TIMEX3 values."""
