"""Stage 2, boilerplate: split each document into body spans and removed pieces with reasons.

Composite: `beam.SplitBoilerplate` (and `beam.CountTemplateLines` for the opt-in corpus line
counts). Pure modules: `splitter` (Splitter.split, REASONS), `features` (per-line features),
`scoring` (line scores, max subarray), `header` (headline, the publication date's line),
`vocab` (rules/boilerplate_vocab.yaml, stop words), `linecounts`, `thresholds` (every
threshold with its reason).
"""
