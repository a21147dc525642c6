"""A deterministic, realistic archive of news pages for the benchmark.

Page i is built from its own seeded random generator (`Random(f"{seed}:{i}")`), so the same seed
gives the same bytes, and the first n pages of a larger archive are the pages of a smaller one.
Each page mixes body sentences from the seeds and TimeBank/AQUAINT with the furniture of one of
SITES made-up news sites: breadcrumbs and navigation, repeated title, byline, dateline, teaser
lines inside the body ("READ | ..."), share/subscribe prompts, related-story lists and a
copyright footer. Most pages start with the ` date YYYY-MM-DD ` prefix; some only state their
date in a dateline, some not at all. A share of files is gzip-compressed (`.txt.gz`).

Files go to `<out>/shard-NNNN/doc-NNNNNNN.txt[.gz]`, SHARD_SIZE per folder; `manifest.json` is
written last and lets a later run reuse a complete archive.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.material import (
    CITIES,
    DATED_SENTENCES,
    FIRST_NAMES,
    LAST_NAMES,
    MONTHS,
    ORGS,
    SECTIONS,
    SITE_WORDS,
    WEEKDAYS,
    Material,
    load_material,
)

# Bump when the page layout changes, so cached archives are rebuilt.
GENERATOR_VERSION = 1
# Files per folder: keeps directory listings fast at 1M documents.
SHARD_SIZE = 1000
# Number of distinct sites: enough that template lines repeat across hundreds of pages (as in a
# real crawl) while each site's furniture differs from the others'.
SITES = 40
# Page size in characters: mean and spread of a normal draw, clipped. Real news pages are
# 2-8 KB of text; the issue asks for about 4 KB.
PAGE_CHARS_MEAN = 4000
PAGE_CHARS_SD = 1200
PAGE_CHARS_MIN = 1200
PAGE_CHARS_MAX = 9000
# Share of pages with the ` date YYYY-MM-DD ` prefix (the rest state a date in the text or not).
PREFIX_SHARE = 0.8
# Share of prefix-less pages that carry a "Published ..." dateline.
DATELINE_SHARE = 0.6
# Share of body paragraphs that get one templated sentence with an explicit calendar date.
DATED_PARAGRAPH_SHARE = 0.35
# Publication dates are drawn from this range.
FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)


@dataclass(frozen=True)
class Manifest:
    version: int
    seed: int
    n_docs: int
    gz_share: float
    n_gz: int
    text_bytes: int  # UTF-8 bytes of all pages, uncompressed
    file_bytes: int  # bytes on disk
    with_prefix: int


def site(seed: int, k: int) -> dict:
    """The furniture of made-up site k: its name, header and footer lines, teaser style."""
    rng = random.Random(f"site:{seed}:{k}")
    name = f"The {rng.choice(CITIES)} {rng.choice(SITE_WORDS)}"
    sections = rng.sample(SECTIONS, 6)
    nav = rng.choice((" | ", " · ", "  ")).join(["Home", *sections])
    crumb_sep = rng.choice((" > ", " › ", " / "))
    footer = [
        rng.choice(
            (
                "Share this article",
                "Share on Facebook Share on Twitter Email",
                "Share: Facebook | Twitter | WhatsApp",
            )
        ),
        rng.choice(
            (
                f"Subscribe to {name} for the latest news.",
                "Sign up for our daily newsletter",
                "Get breaking news alerts: Subscribe",
            )
        ),
        rng.choice(("Related stories", "More from " + name, "You may also like", "Read more")),
    ]
    return {
        "name": name,
        "nav": nav,
        "crumb_sep": crumb_sep,
        "sections": sections,
        "footer": footer,
        "copyright": f"© {rng.randint(2015, 2024)} {name}. All rights reserved.",
        "teaser": rng.choice(("READ | ", "ALSO READ: ", "Read more: ", "RELATED: ")),
        "blank_lines": rng.random() < 0.7,  # blocks separated by an empty line
        "has_nav": rng.random() < 0.6,
    }


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def dated_sentence(rng: random.Random, published: dt.date) -> str:
    """A sentence with dates a few months to a few years around the publication date."""
    when = published + dt.timedelta(days=rng.randint(-900, 400))
    later = published + dt.timedelta(days=rng.randint(30, 700))
    org = rng.choice(ORGS)
    return rng.choice(DATED_SENTENCES).format(
        org=org,
        org_lower=org[0].lower() + org[1:],
        weekday=rng.choice(WEEKDAYS),
        month=MONTHS[when.month - 1],
        day=when.day,
        year=when.year,
        month2=MONTHS[later.month - 1],
        year2=later.year,
    )


def body_paragraphs(rng: random.Random, material: Material, published: dt.date, chars: int):
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        sentences = rng.sample(material.sentences, rng.randint(1, 4))
        if rng.random() < DATED_PARAGRAPH_SHARE:
            sentences.insert(rng.randint(0, len(sentences)), dated_sentence(rng, published))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return paragraphs


def page(i: int, seed: int, material: Material) -> tuple[str, bool]:
    """(text, has_prefix) of page i: prefix, header, body with teasers, footer."""
    rng = random.Random(f"{seed}:{i}")
    furniture = site(seed, rng.randrange(SITES))
    published = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    has_prefix = rng.random() < PREFIX_SHARE
    title = rng.choice(material.titles)

    header = []
    if furniture["has_nav"]:
        header.append(furniture["nav"])
    section = rng.choice(furniture["sections"])
    header.append(furniture["crumb_sep"].join(["Home", "News", section]) + furniture["crumb_sep"])
    header.append(title)
    if rng.random() < 0.5:
        header.append(title)
    if rng.random() < 0.6:
        header.append(f"By {person(rng)}" + rng.choice(("", ", Staff Writer", " | Reuters")))
    if not has_prefix and rng.random() < DATELINE_SHARE:
        header.append(f"Published {MONTHS[published.month - 1]} {published.day}, {published.year}")

    footer = [*furniture["footer"], *rng.sample(material.titles, 3), furniture["copyright"]]
    if rng.random() < 0.3:
        footer.insert(0, f"Written by {person(rng)}")
    target = int(rng.gauss(PAGE_CHARS_MEAN, PAGE_CHARS_SD))
    target = min(PAGE_CHARS_MAX, max(PAGE_CHARS_MIN, target))
    furniture_chars = sum(len(line) + 2 for line in header + footer)
    body = body_paragraphs(rng, material, published, max(400, target - furniture_chars))
    for _ in range(rng.randint(0, 2)):  # teasers inside the body
        body.insert(rng.randint(1, len(body)), furniture["teaser"] + rng.choice(material.titles))

    separator = "\n\n" if furniture["blank_lines"] else "\n"
    text = separator.join(header + body + footer) + "\n"
    if has_prefix:
        text = f" date {published.isoformat()} " + text
    return text, has_prefix


def doc_path(out: Path, i: int, gz: bool) -> Path:
    return out / f"shard-{i // SHARD_SIZE:04d}" / f"doc-{i:07d}.txt{'.gz' if gz else ''}"


def input_glob(out: Path) -> str:
    """The glob that matches every page of an archive (for --input)."""
    return str(out / "shard-*" / "doc-*")


def is_gz(i: int, seed: int, gz_share: float) -> bool:
    return random.Random(f"gz:{seed}:{i}").random() < gz_share


def encode(text: str, gz: bool) -> bytes:
    data = text.encode("utf-8")
    return gzip.compress(data, compresslevel=6, mtime=0) if gz else data


def generate(
    out: Path, n_docs: int, seed: int = 7, gz_share: float = 0.0, material: Material | None = None
) -> Manifest:
    """Write n_docs pages under out (reusing a complete archive with the same parameters)."""
    out = Path(out)
    cached = read_manifest(out)
    if cached and (cached.version, cached.seed, cached.n_docs, cached.gz_share) == (
        GENERATOR_VERSION,
        seed,
        n_docs,
        gz_share,
    ):
        return cached
    material = material or load_material()
    manifest_path = out / "manifest.json"
    manifest_path.unlink(missing_ok=True)
    n_gz = text_bytes = file_bytes = with_prefix = 0
    for i in range(n_docs):
        text, has_prefix = page(i, seed, material)
        gz = is_gz(i, seed, gz_share)
        data = encode(text, gz)
        path = doc_path(out, i, gz)
        if i % SHARD_SIZE == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        doc_path(out, i, not gz).unlink(missing_ok=True)  # left over from another gz_share
        path.write_bytes(data)
        n_gz += gz
        with_prefix += has_prefix
        text_bytes += len(text.encode("utf-8"))
        file_bytes += len(data)
    manifest = Manifest(
        GENERATOR_VERSION, seed, n_docs, gz_share, n_gz, text_bytes, file_bytes, with_prefix
    )
    manifest_path.write_text(json.dumps(asdict(manifest), indent=1))
    return manifest


def read_manifest(out: Path) -> Manifest | None:
    try:
        return Manifest(**json.loads((Path(out) / "manifest.json").read_text()))
    except (OSError, ValueError, TypeError):
        return None


def read_page(path: Path) -> str:
    data = Path(path).read_bytes()
    if str(path).endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8")
