"""Text units shared by the stages: `sentences` (sentence spans of the body), `pubdate`
(publication dates: the file prefix, the JSON Lines field, dates in a header, the anchor) and
`utf8` (names escaped to valid UTF-8, U+FFFD for lone surrogates)."""
