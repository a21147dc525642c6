"""`make bench`: a generated news archive, the Beam IO floor, the full job and a dateparser
baseline, measured on the same input in one invocation. See bench/results.md for the figures.

Modules: material (sentences and page furniture from the seeds and TimeBank), generate (the
deterministic archive), floor (the Beam IO floor pipeline), measure (subprocess runs with wall
time and peak RSS), stages (per-stage profile in-process), baseline (dateparser.search_dates),
report (tables, results.md/json), __main__ (the command line).
"""
