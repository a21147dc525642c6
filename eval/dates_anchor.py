"""No-creation-date figures for ``make eval-dates`` (issue 16): how well the date stage does on
pages that state no publication date, with and without an inferred anchor.

* TimeBank + AQUAINT with the DCT removed from the input: anchor coverage, year-right and
  day-right precision of the inferred anchor (against the DCT), and value F1 (all types) with no
  anchor, with the inferred anchor, and with the real DCT.
* The shared boilerplate pages (their labelled body lines): coverage and precision against
  their estimated dates.

Runs DateTagger.tag + temporal.anchor.infer_anchor in-process (the same functions the job's
date stage calls for an undated page).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from eval.timeml import Counts, TimeMLDoc, Timex, row, score_document, total
from transforms.temporal.anchor import infer_anchor

DEFAULT_BOILERPLATE = Path(__file__).resolve().parent.parent.parent / "shared/data/boilerplate"
FALLBACK_BOILERPLATE = Path("/work/shared/data/boilerplate")


def _timexes(mentions) -> list[Timex]:
    return [Timex(m.start, m.end, m.text, m.timex_type, m.value) for m in mentions]


class AnchorTally:
    """Coverage and precision of inferred anchors against known dates."""

    def __init__(self) -> None:
        self.n = self.emitted = self.year_right = self.day_right = 0
        self.reasons: Counter[str] = Counter()

    def add(self, inferred, truth: dt.date) -> None:
        self.n += 1
        self.reasons[inferred.reason] += 1
        if inferred.date is None:
            return
        self.emitted += 1
        self.year_right += inferred.date.year == truth.year
        self.day_right += inferred.date == truth

    def line(self, name: str) -> str:
        cover = self.emitted / self.n if self.n else 0.0
        year = self.year_right / self.emitted if self.emitted else 0.0
        day = self.day_right / self.emitted if self.emitted else 0.0
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.reasons.items()))
        return (
            f"- {name}: anchor emitted for {self.emitted}/{self.n} ({cover:.3f}); year right "
            f"{year:.3f}, day right {day:.3f} where emitted; by reason: {reasons}"
        )


def timeml_no_dct(tagger, docs: Sequence[TimeMLDoc]) -> list[str]:
    """Markdown lines: anchor tally and the three value-F1 rows on TimeML without the DCT."""
    tally = AnchorTally()
    scores: dict[str, list[Counts]] = {"no anchor": [], "inferred anchor": [], "real DCT": []}
    for doc in docs:
        text, spans = doc.text, [(0, len(doc.text))]
        gold = list(doc.timexes)
        bare, _ = tagger.tag(text, None, spans)
        inferred = infer_anchor(text, spans, bare)
        truth = dt.date.fromisoformat(doc.dct)
        tally.add(inferred, truth)
        with_anchor = bare if inferred.date is None else tagger.tag(text, inferred.date, spans)[0]
        real, _ = tagger.tag(text, truth, spans)
        for name, mentions in (
            ("no anchor", bare),
            ("inferred anchor", with_anchor),
            ("real DCT", real),
        ):
            scores[name].append(score_document(gold, _timexes(mentions))[0])
    lines = [
        "",
        "## Without the creation date (TimeBank + AQUAINT, DCT removed from the input)",
        "",
        tally.line("TimeML"),
        "",
        "| set | gold | system | strict P | strict R | strict F1 | relaxed P | relaxed R "
        "| relaxed F1 | value P | value R | value F1 |\n" + "|---" * 12 + "|",
    ]
    lines += [row(f"all, {name}", total(counts)) for name, counts in scores.items()]
    return lines


def boilerplate_pages(tagger, folder: Path | None = None) -> list[str]:
    """Markdown line: anchor tally on the shared boilerplate pages' labelled bodies."""
    folder = next(
        (
            p
            for p in (folder, DEFAULT_BOILERPLATE, FALLBACK_BOILERPLATE)
            if p is not None and (p / "labels.jsonl").is_file()
        ),
        None,
    )
    if folder is None:
        return ["- boilerplate pages: not found, skipped"]
    tally = AnchorTally()
    for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        if not label.get("date"):
            continue
        text = (folder / "texts" / label["file"]).read_text(encoding="utf-8")
        spans = _line_spans(text, label["body_line_indices"])
        bare, _ = tagger.tag(text, None, spans)
        tally.add(infer_anchor(text, spans, bare), dt.date.fromisoformat(label["date"]))
    return [tally.line("boilerplate pages (body lines, against their estimated dates)")]


def _line_spans(text: str, indices: Sequence[int]) -> list[tuple[int, int]]:
    wanted = set(indices)
    spans, pos = [], 0
    for i, line in enumerate(text.split("\n")):
        if i in wanted and line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans
