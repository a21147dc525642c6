"""Text units shared by the stages: sentence spans (date and event stages); names and text made
safe for UTF-8 (utf8.py: escaped sources, U+FFFD for lone surrogates)."""
