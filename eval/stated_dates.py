"""Stated publication dates on the shared boilerplate pages, for ``make eval-dates``: the
header reader with text/stated.py (dateparser on a cut-out candidate) against the month table
it replaced (text/pubdate.find_date with the old label words, kept here only as the baseline).

Each page's ` date ` prefix line (its estimated date) is left out of the text read; the date
the splitter states for the page is compared with the estimated date: found, and right.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

from eval.dates_anchor import find_boilerplate
from transforms.text.pubdate import PREFIX_RE, find_date
from transforms.text.stated import Stated

# The header reader's label words before text/stated.py (the baseline only).
_OLD_PUBLISHED = re.compile(
    r"\b(published|posted|publicado|publicada|veröffentlicht|publié|diterbitkan|dipublikasikan|"
    r"опубликовано)\b|입력|公開|配信",
    re.I,
)
_OLD_UPDATED = re.compile(
    r"\b(updated|modified|refreshed|atualizado|actualizado|aktualisiert|mis à jour|diperbarui|"
    r"обновлено)\b|수정|更新",
    re.I,
)


def month_table_read(line: str) -> Stated | None:
    """The header reader's previous line reading: the first find_date match, its label."""
    found = find_date(line)
    if found is None:
        return None
    date, s, e = found
    if _OLD_PUBLISHED.search(line):
        kind = "published"
    elif _OLD_UPDATED.search(line[:s]):
        kind = "updated"
    else:
        kind = "bare"
    return Stated(date, s, e, kind)


def stated_dates_report(folder: Path | None = None) -> list[str]:
    """Markdown lines: found / right / seconds for both readers, overall and per language."""
    from transforms.boilerplate.splitter import Splitter

    folder = find_boilerplate(folder)
    if folder is None:
        return ["- stated publication dates: boilerplate pages not found, skipped"]
    splitter = Splitter()
    pages = []
    for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        if label.get("date"):
            text = (folder / "texts" / label["file"]).read_text(encoding="utf-8")
            m = PREFIX_RE.match(text)
            pages.append((text, m.end() if m else 0, label))
    splitter.stated.read("Published November 18, 2019", None)  # load dateparser's data first
    readers = {
        "month table (before)": lambda text: month_table_read,
        "dateparser (text/stated.py)": splitter.stated.for_page,
    }
    lines = [
        "",
        "## Stated publication dates (shared boilerplate pages, their date prefix left out)",
        "",
        "| reader | pages | found | right | right (non-en) | split s |",
        "|---|---|---|---|---|---|",
    ]
    for name, for_page in readers.items():
        splitter.stated.for_page = for_page  # instance attribute: this splitter only
        found = right = right_other = 0
        began = time.perf_counter()
        for text, start, label in pages:
            published = splitter.split(text, start).published
            found += published is not None
            ok = published == dt.date.fromisoformat(label["date"])
            right += ok
            right_other += ok and label.get("lang") != "en"
        seconds = time.perf_counter() - began
        others = sum(1 for _, _, label in pages if label.get("lang") != "en")
        lines.append(
            f"| {name} | {len(pages)} | {found} | {right} | {right_other}/{others} "
            f"| {seconds:.1f} |"
        )
    return lines
