"""Raw material for generated pages: body sentences and page furniture.

Sentences come from the project's seeds (seeds/*.txt) and from the TimeBank/AQUAINT news texts
(shared data, TimeML tags stripped). Page furniture (breadcrumbs, bylines, share prompts,
footers) is made from small word lists here, so that generated pages carry the same kinds of
header/footer/teaser lines real scraper dumps do. Nothing here is tuned to the job's rules.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO / "seeds"
# Shared data lives beside the repo (../shared) on a fresh clone; /work/shared on the dev box.
SHARED_CANDIDATES = (REPO.parent / "shared", Path("/work/shared"))

TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
TAG_RE = re.compile(r"<[^>]+>")
PREFIX_RE = re.compile(r"^ date \d{4}-\d{2}-\d{2} ")
# A sentence ends at . ! or ? (optionally followed by a closing quote) before a capital letter.
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"“A-Z])")

# Body sentences shorter than this are headlines or fragments, not prose.
MIN_SENTENCE_CHARS = 40
# Longer than this is a run-on from a sentence-splitting miss; it would make pages lopsided.
MAX_SENTENCE_CHARS = 600
# A seed line at most this long (and without a final period) is page furniture: a teaser
# title, a caption or a prompt. It is reused as a "related story" title.
MAX_FURNITURE_CHARS = 120

SECTIONS = (
    "World",
    "Politics",
    "Business",
    "Economy",
    "Technology",
    "Science",
    "Health",
    "Sport",
    "Culture",
    "Middle East",
    "Asia",
    "Europe",
    "Americas",
    "Opinion",
)
SITE_WORDS = (
    "Herald",
    "Times",
    "Post",
    "Chronicle",
    "Tribune",
    "Gazette",
    "Courier",
    "Observer",
    "Journal",
    "Record",
    "Dispatch",
    "Ledger",
    "Sentinel",
    "Star",
)
CITIES = (
    "Springfield",
    "Riverside",
    "Franklin",
    "Greenville",
    "Bristol",
    "Clinton",
    "Fairview",
    "Salem",
    "Madison",
    "Georgetown",
    "Oakland",
    "Ashland",
    "Dover",
)
FIRST_NAMES = (
    "Anna",
    "David",
    "Maria",
    "James",
    "Priya",
    "Tom",
    "Lena",
    "Omar",
    "Sara",
    "Peter",
    "Yuki",
    "Carlos",
    "Fatima",
    "John",
    "Elena",
    "Kwame",
)
LAST_NAMES = (
    "Smith",
    "Garcia",
    "Chen",
    "Okafor",
    "Müller",
    "Rossi",
    "Khan",
    "Novak",
    "Johnson",
    "Silva",
    "Tanaka",
    "Dubois",
    "Kowalski",
    "Ahmed",
    "Brown",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORGS = (
    "The ministry",
    "The central bank",
    "A company spokesman",
    "The agency",
    "Officials",
    "The committee",
    "Police",
    "The United Nations",
    "The White House",
    "Analysts",
)

# Sentences with a date placed relative to the publication date, so that every page carries
# explicit calendar dates besides the (1989-2000) dates of the TimeBank sentences.
# Fields: {org} {weekday} {month} {day} {year} {month2} {year2}.
DATED_SENTENCES = (
    "{org} said on {weekday} that the talks would resume on {month} {day}.",
    "The agreement, signed on {month} {day}, {year}, takes effect in {month2} {year2}.",
    "{org} expects a decision by the end of {year2}.",
    "Figures released on {weekday} showed the slowest growth since {year}.",
    "The hearing was postponed from {month} {day} to a date in {month2}.",
    "{org} first announced the plan in {month} {year} and confirmed it last week.",
    "By {month2} {year2}, the project is due to be finished, {org_lower} said.",
    "Two years ago, on {month} {day}, {year}, the same proposal was rejected.",
)


@dataclass(frozen=True)
class Material:
    sentences: tuple[str, ...]  # body prose
    titles: tuple[str, ...]  # short lines for teasers and related-story lists


def shared_dir() -> Path:
    """The shared data folder: ../shared beside the repo, else /work/shared."""
    env = os.environ.get("NEWSLINE_SHARED")
    candidates = ((Path(env),) if env else ()) + SHARED_CANDIDATES
    for candidate in candidates:
        if (candidate / "data" / "timebank").is_dir():
            return candidate
    raise FileNotFoundError("shared data not found (tried " + ", ".join(map(str, candidates)) + ")")


def split_sentences(paragraph: str) -> list[str]:
    text = " ".join(paragraph.split())
    return [s.strip() for s in SENTENCE_END_RE.split(text) if s.strip()]


def timebank_paragraphs(root: Path) -> list[str]:
    paragraphs = []
    for path in sorted(glob.glob(str(root / "data" / "timebank" / "*" / "*.tml"))):
        match = TEXT_RE.search(Path(path).read_text(encoding="utf-8"))
        if match:
            plain = TAG_RE.sub("", match.group(1))
            paragraphs += [p for p in re.split(r"\n\s*\n", plain) if p.strip()]
    return paragraphs


def seed_lines(seeds_dir: Path = SEEDS_DIR) -> list[str]:
    lines = []
    for path in sorted(seeds_dir.glob("*.txt")):
        text = PREFIX_RE.sub("", path.read_text(encoding="utf-8"))
        lines += [line.strip() for line in text.split("\n") if line.strip()]
    return lines


def is_prose(sentence: str) -> bool:
    return MIN_SENTENCE_CHARS <= len(sentence) <= MAX_SENTENCE_CHARS and sentence[-1] in ".!?\"”'’"


def load_material(seeds_dir: Path = SEEDS_DIR, shared: Path | None = None) -> Material:
    """Sentences and titles, in a fixed order (so that generation is deterministic)."""
    shared = shared or shared_dir()
    sentences: list[str] = []
    titles: list[str] = []
    for line in seed_lines(seeds_dir):
        if len(line) <= MAX_FURNITURE_CHARS and not line.endswith("."):
            titles.append(line.removeprefix("READ | "))
        else:
            sentences += [s for s in split_sentences(line) if is_prose(s)]
    for paragraph in timebank_paragraphs(shared):
        sentences += [s for s in split_sentences(paragraph) if is_prose(s)]
    # Short TimeBank sentences make plausible headlines for related-story lists.
    titles += [s.rstrip(".") for s in sentences if len(s) <= 90 and not set(s) & set(',"“”')]
    return Material(tuple(dict.fromkeys(sentences)), tuple(dict.fromkeys(titles)))
