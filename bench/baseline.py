"""The baseline: `dateparser.search_dates` over each body, anchored at the publication date.

This is what a job without its own date grammar would do. Bodies are what the job's splitter
keeps (falling back to the page text after the prefix if the splitter fails), anchors are the
prefix date or the date the page states; pages with neither get no RELATIVE_BASE.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import warnings

from bench.generate import read_page

# dateparser's first call loads its language data; one warm-up call keeps that out of the timing.
WARMUP_TEXT = "The meeting was held on Tuesday, March 3, 2020."


def bodies(paths: list[str]) -> list[tuple[str, dt.datetime | None]]:
    """(body, anchor) per page, prepared before timing starts."""
    from transforms.boilerplate import splitter as boilerplate
    from transforms.ingest import readers
    from transforms.text import pubdate

    prepared = []
    for path in paths:
        text = readers.normalise_newlines(read_page(path))
        prefix_len, published, _ = pubdate.parse_prefix(text)
        try:
            split = boilerplate.split_document(text, prefix_len)
            body = "\n".join(text[s:e] for s, e in split.body_spans)
            published = published or split.published
        except Exception:  # noqa: BLE001 - the baseline must not depend on the splitter
            body = text[prefix_len:]
        anchor = dt.datetime.combine(published, dt.time()) if published else None
        prepared.append((body, anchor))
    return prepared


def search_all(prepared: list[tuple[str, dt.datetime | None]]) -> int:
    """Run search_dates on every body; return how many dates it found."""
    from dateparser.search import search_dates

    found = 0
    for body, anchor in prepared:
        settings = {"RELATIVE_BASE": anchor} if anchor else {}
        found += len(search_dates(body, languages=["en"], settings=settings) or ())
    return found


def run_baseline(paths: list[str], repeats: int) -> dict:
    """Median documents/s of search_dates over the given pages, `repeats` times."""
    prepared = bodies(paths)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateparser warns about pytz/tz deprecations
        search_all([(WARMUP_TEXT, None)])
        walls, cpus, found = [], [], 0
        for _ in range(repeats):
            start, cpu = time.perf_counter(), time.process_time()
            found = search_all(prepared)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
    chars = sum(len(body) for body, _ in prepared)
    wall = statistics.median(walls)
    return {
        "documents": len(prepared),
        "body_chars": chars,
        "repeats": repeats,
        "walls_s": [round(w, 3) for w in walls],
        "wall_s": round(wall, 3),
        "docs_per_s": round(len(prepared) / wall, 2),
        "docs_per_cpu_s": round(len(prepared) / statistics.median(cpus), 2),
        "mb_per_s": round(chars / wall / 1e6, 4),
        "dates_found": found,
    }
