"""The run's figures, counted from the document rows while they are written, for the run summary
(`_SUCCESS`, the printed table of `newsline`, and Beam metrics).

Per document (`document_figures`), summed over the run (`SumFigures`), nested for JSON (`nest`):

- ``lines_removed``: removed pieces (documents.removed) by reason (boilerplate REASONS); the
  same numbers as the Beam counters ``lines_removed_<reason>`` of the splitter;
- ``dates``: the TIMEX3 expressions kept in documents.timexes: ``found`` (all), ``resolved``
  (a value on the calendar: it starts with a four-digit year, e.g. ``2019-10-27``, ``2019-W43``),
  ``without_year`` (a month or day whose year could not be anchored: ``XXXX-10-27``),
  ``other`` (durations ``P1Y``, sets, ``PAST_REF``...: not a point on the calendar);
  the candidates the tagger rejected are the ``dates_rejected_<reason>`` counters;
- ``documents_flagged``: documents whose body looks lost or doubtful (documents.body_flag),
  by flag;
- ``notes``: documents kept with a note (documents.notes: what the reader fixed, e.g.
  ``replaced_bytes``, or ``too_many_dates``), by note.
"""

from __future__ import annotations

import re

import apache_beam as beam

SEP = ":"  # flat keys: "<group>:<name>", e.g. "lines_removed:caption", "dates:found"
GROUPS = ("lines_removed", "dates", "documents_flagged", "notes")
DATE_KINDS = ("found", "resolved", "without_year", "other")
_YEAR = re.compile(r"^[0-9]{4}")


def date_kind(value: str | None) -> str:
    """`resolved`, `without_year` or `other` for a TIMEX3 value (see the module docstring)."""
    if value and _YEAR.match(value):
        return "resolved"
    if value and value.startswith("XXXX"):
        return "without_year"
    return "other"


def document_figures(row: dict) -> dict[str, int]:
    """The flat figures of one documents row (a dict with `removed`, `timexes`, `body_flag`)."""
    figures: dict[str, int] = {}

    def add(key: str) -> None:
        figures[key] = figures.get(key, 0) + 1

    for piece in row.get("removed") or ():
        add(f"lines_removed{SEP}{piece['reason']}")
    for timex in row.get("timexes") or ():
        add(f"dates{SEP}found")
        add(f"dates{SEP}{date_kind(timex.get('value'))}")
    if row.get("body_flag"):
        add(f"documents_flagged{SEP}{row['body_flag']}")
    for note in row.get("notes") or ():
        add(f"notes{SEP}{note}")
    return figures


class SumFigures(beam.CombineFn):
    """Flat figures dicts -> their sum (a dict; {} for no documents)."""

    def create_accumulator(self):
        """An empty sum."""
        return {}

    def add_input(self, accumulator, element):
        """Add one document's figures."""
        for key, n in element.items():
            accumulator[key] = accumulator.get(key, 0) + n
        return accumulator

    def merge_accumulators(self, accumulators):
        """Sum partial sums."""
        merged: dict[str, int] = {}
        for accumulator in accumulators:
            self.add_input(merged, accumulator)
        return merged

    def extract_output(self, accumulator):
        """The sum, keys sorted."""
        return dict(sorted(accumulator.items()))


def nest(flat: dict[str, int]) -> dict[str, dict[str, int]]:
    """Flat figures -> {group: {name: n}} for every group of GROUPS (empty groups kept, the
    date kinds always present), names sorted."""
    nested: dict[str, dict[str, int]] = {group: {} for group in GROUPS}
    nested["dates"] = dict.fromkeys(DATE_KINDS, 0)
    for key, n in sorted(flat.items()):
        group, _, name = key.partition(SEP)
        nested.setdefault(group, {})[name] = n
    return nested
