"""Real and random text for the differential tests of the splitter's seams (a faster path
must give what the reference gives on every one of these).

- the 93 labelled web pages of the shared boilerplate data (``data/boilerplate/texts``),
- the page shapes of tests/data/cases/body and the seeds,
- BENCH_PAGES pages of the benchmark archive (bench/generate.py, seed 7, as ``make bench``),
- RANDOM_TEXTS seeded random strings mixing ASCII, punctuation, digits, list bullets, link
  separators, accented and Cyrillic letters, CJK and Hangul, apostrophes and odd spaces.

Each hard-wrapped too (eval/wrap.py), so that block texts (line breaks read as spaces) are in.
"""

from __future__ import annotations

import functools
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_PAGES = 150
RANDOM_TEXTS = 400
# Pieces random strings are made of: furniture words, separators, bullets, other scripts.
_PIECES = (
    "Share", "READ |", "Advertisement", "Related articles", "By", "Published", "Nov.", "2019",
    "18", "—", "-", "|", "»", "›", ">", "/", "•", "*", "·", "(c)", "©", ":", ".", "!", "?", "…",
    "'", "’", "\"", "”", "(", ")", "the", "of", "and", "der", "die", "le", "la", "de", "el",
    "Über", "déjà", "ÉTÉ", "Москва", "新闻", "東京", "서울", "ｆｕｌｌ", "ﬁ", "İ", "ß", "Ω", "K",
    "@handle", "www.example.com", "https://x.y/z", "#tag", "_", "3:45", "12/11/2019",
    "\t", " ", "  ", "\u00a0", "\u2009", "a", "B", "The", "said", "on", "Monday", "x" * 90,
)  # fmt: skip


def _shared_pages() -> list[str]:
    from bench.material import shared_dir

    folder = shared_dir() / "data" / "boilerplate" / "texts"
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


def _repo_pages() -> list[str]:
    paths = sorted((REPO / "tests" / "data" / "cases" / "body").glob("*.txt"))
    paths += sorted((REPO / "seeds").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def _bench_pages() -> list[str]:
    from bench.generate import page
    from bench.material import load_material

    material = load_material()
    return [page(i, 7, material)[0] for i in range(BENCH_PAGES)]


def random_texts(n: int = RANDOM_TEXTS, seed: int = 15) -> list[str]:
    """n seeded random strings of 1-40 pieces (see _PIECES), some of them several lines."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        pieces = [rng.choice(_PIECES) for _ in range(rng.randint(1, 40))]
        joiner = rng.choice((" ", " ", "", "\n"))
        out.append(joiner.join(pieces))
    return out


@functools.cache
def pages() -> tuple[str, ...]:
    """Whole pages: shared, repository and bench pages, each also hard-wrapped."""
    from eval.wrap import wrap_document

    found = _shared_pages() + _repo_pages() + _bench_pages()
    assert len(found) >= 93 + BENCH_PAGES, "the shared boilerplate pages are missing"
    wrapped = [wrap_document(f"page-{i}", text).text for i, text in enumerate(found)]
    return tuple(found + wrapped)


@functools.cache
def lines() -> tuple[str, ...]:
    """The distinct texts the splitter scores: the blocks of every page (build_blocks) and
    every physical line, plus the random strings and each of their lines."""
    from transforms.boilerplate.blocks import build_blocks

    seen: dict[str, None] = {}
    for text in pages():
        for block in build_blocks(text):
            seen.setdefault(block.text)
        for raw in text.split("\n"):
            if raw.strip():
                seen.setdefault(raw.strip())
    for text in random_texts():
        seen.setdefault(text)
        for raw in text.split("\n"):
            seen.setdefault(raw)
    return tuple(seen)
