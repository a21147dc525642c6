"""No-creation-date figures for ``make eval-dates`` (issue 16): how well the date stage does on
pages that state no publication date, with and without an inferred anchor.

* TimeBank + AQUAINT with the DCT removed from the input: anchor coverage, year-right and
  day-right precision of the inferred anchor (against the DCT), and value F1 (all types) with no
  anchor, with the inferred anchor, and with the real DCT.
* The shared boilerplate pages (their labelled body lines): coverage and precision against
  their estimated dates.
* Leave-one-out cross-validation of the weekday tier's year window (anchor.WEEKDAY_YEAR_WINDOW)
  over both sets: each document is scored with the window chosen on all the others (the
  widest window whose precision there is >= TARGET_YEAR_PRECISION).

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
from transforms.temporal.anchor import WEEKDAY_YEAR_WINDOW, infer_anchor

DEFAULT_BOILERPLATE = Path(__file__).resolve().parent.parent.parent / "shared/data/boilerplate"
FALLBACK_BOILERPLATE = Path("/work/shared/data/boilerplate")


TARGET_YEAR_PRECISION = 0.95  # issue 16: year right >= 0.95 where an anchor is emitted
CV_WINDOWS = range(1, 21)


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


def timeml_no_dct(tagger, docs: Sequence[TimeMLDoc], cases: list | None = None) -> list[str]:
    """Markdown lines: anchor tally and the three value-F1 rows on TimeML without the DCT.
    ``cases`` (if given) collects ``(text, spans, mentions without anchor, true date)``."""
    tally = AnchorTally()
    scores: dict[str, list[Counts]] = {"no anchor": [], "inferred anchor": [], "real DCT": []}
    for doc in docs:
        text, spans = doc.text, [(0, len(doc.text))]
        gold = list(doc.timexes)
        bare, _ = tagger.tag(text, None, spans)
        inferred = infer_anchor(text, spans, bare)
        truth = dt.date.fromisoformat(doc.dct)
        tally.add(inferred, truth)
        if cases is not None:
            cases.append((text, spans, bare, truth))
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


def find_boilerplate(folder: Path | None = None) -> Path | None:
    """The shared boilerplate pages' folder (with labels.jsonl), or None."""
    return next(
        (
            p
            for p in (folder, DEFAULT_BOILERPLATE, FALLBACK_BOILERPLATE)
            if p is not None and (p / "labels.jsonl").is_file()
        ),
        None,
    )


def boilerplate_pages(tagger, folder: Path | None = None, cases: list | None = None) -> list[str]:
    """Markdown line: anchor tally on the shared boilerplate pages' labelled bodies.
    ``cases`` (if given) collects ``(text, spans, mentions without anchor, estimated date)``."""
    folder = find_boilerplate(folder)
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
        truth = dt.date.fromisoformat(label["date"])
        tally.add(infer_anchor(text, spans, bare), truth)
        if cases is not None:
            cases.append((text, spans, bare, truth))
    return [tally.line("boilerplate pages (body lines, against their estimated dates)")]


def _line_spans(text: str, indices: Sequence[int]) -> list[tuple[int, int]]:
    wanted = set(indices)
    spans, pos = [], 0
    for i, line in enumerate(text.split("\n")):
        if i in wanted and line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def weekday_window_cv(cases: Sequence[tuple]) -> list[str]:
    """Markdown lines: leave-one-out choice of the weekday year window over ``cases``
    (``(text, spans, mentions, true date)``) and the held-out anchors it gives."""
    # outcome[w][i]: None (no anchor), True / False (year right / wrong) for window w
    outcome = {
        w: [_year_right(infer_anchor(t, sp, ms, w), truth) for t, sp, ms, truth in cases]
        for w in CV_WINDOWS
    }
    totals = {w: (sum(o is not None for o in out), sum(o is True for o in out))
              for w, out in outcome.items()}  # fmt: skip
    held = Counter()
    chosen = Counter()
    for i in range(len(cases)):
        best = choose_window(
            {
                w: (e - (outcome[w][i] is not None), r - (outcome[w][i] is True))
                for w, (e, r) in totals.items()
            }
        )
        chosen[best] += 1
        result = outcome[best][i]
        held["emitted"] += result is not None
        held["right"] += result is True
    per_window = ", ".join(f"{w}: {r}/{e}" for w, (e, r) in totals.items() if e)
    emitted = held["emitted"]
    return [
        f"- weekday year window, leave-one-out over {len(cases)} documents and pages: windows "
        f"chosen {dict(sorted(chosen.items()))}; held-out anchors {emitted}, year right "
        f"{held['right'] / emitted if emitted else 0.0:.3f} (year right/emitted by window: "
        f"{per_window}; chosen on all: {choose_window(totals)}; used: {WEEKDAY_YEAR_WINDOW})"
    ]


def choose_window(totals: dict[int, tuple[int, int]]) -> int:
    """The window with the most anchors among those whose year precision is at least
    TARGET_YEAR_PRECISION (``totals``: window -> (emitted, year right)); ties: the median
    window of the tied run; none qualifying: WEEKDAY_YEAR_WINDOW."""
    ok = {w: e for w, (e, r) in totals.items() if e and r / e >= TARGET_YEAR_PRECISION}
    if not ok:
        return WEEKDAY_YEAR_WINDOW
    top = max(ok.values())
    tied = sorted(w for w, e in ok.items() if e == top)
    return tied[(len(tied) - 1) // 2]


def _year_right(inferred, truth: dt.date) -> bool | None:
    return None if inferred.date is None else inferred.date.year == truth.year
