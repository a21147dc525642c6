"""Text units shared by the stages: `sentences` (sentence spans of the body) and `pubdate`
(publication dates: the file prefix, the JSON Lines field, dates in a header, the anchor)."""
