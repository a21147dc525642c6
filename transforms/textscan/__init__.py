"""Regex analysis shared by the fast dispatchers: first characters of a pattern, literal unions."""
