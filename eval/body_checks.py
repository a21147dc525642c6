"""Two checks of ``make eval-body`` beside the labelled-line scores: the hard-wrapped variant's
table, and a title test on real page shapes (titles against the URL slug)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from eval.body import Counts, DocResult, prf, table


def slug_words(url: str) -> set[str] | None:
    """The words of the URL's most wordy path segment ("/news/new-car-sales-plunge-10-percent"
    -> {new, car, sales, plunge, percent}), or None when it has fewer than three."""
    from urllib.parse import urlparse

    parts = [p for p in urlparse(url).path.split("/") if p]
    best = max(parts, key=lambda p: len(re.findall(r"[a-zA-Z]+", p)), default="")
    best = re.sub(r"\.[a-z]{2,5}$", "", best.lower())  # ".php", ".html"
    words = [w for w in re.split(r"[-_.]", best) if w.isalpha()]
    return set(words) if len(words) >= 3 else None


def title_agreement(pages: Sequence[dict], results: dict[str, DocResult]) -> tuple[int, int]:
    """(agreeing, pages with a slug): a title test on real page shapes without hand labels.
    Publishers write the headline into the URL; a title that has at least half of the slug's
    words is this article's headline, a related-story line or a caption has few of them."""
    agree = n = 0
    for page in pages:
        slug = slug_words(page["url"])
        if slug is None:
            continue
        title = (results.get(page["file"]) or DocResult([])).title or ""
        n += 1
        agree += len(slug & set(re.findall(r"[a-z]+", title.lower()))) >= len(slug) / 2
    return agree, n


def wrapped_table(plain: dict[str, Counts], wrapped: dict[str, Counts]) -> list[str]:
    """The hard-wrapped variant beside the plain pages, with the character deltas."""
    rows = {"plain all": plain["all"], "wrapped all": wrapped["all"]}
    rows |= {"plain news": plain["news"], "wrapped news": wrapped["news"]}
    _, r_plain, f_plain = prf(plain["all"].tp_c, plain["all"].fp_c, plain["all"].fn_c)
    _, r_wrap, f_wrap = prf(wrapped["all"].tp_c, wrapped["all"].fp_c, wrapped["all"].fn_c)
    return [
        "",
        "## Hard-wrapped variant (eval/wrap.py: width 60-75, indent 2-5, fixed seed; lines "
        "counted are the wrapped pages' physical lines)",
        "",
        *table(rows),
        "",
        f"wrapped - plain: char recall {r_wrap - r_plain:+.3f}, char F1 {f_wrap - f_plain:+.3f} "
        "(target: each within 0.03)",
    ]
