"""Boilerplate vocabulary (rules/boilerplate_vocab.yaml) and stop words (rules/*.txt).

The vocabulary is data: each rule names a reason code, how it matches a line (whole line,
prefix, anywhere) and up to which length, and carries examples that the tests run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

RULES_DIR = Path(__file__).parent / "rules"
VOCAB_FILE = RULES_DIR / "boilerplate_vocab.yaml"
STOPWORDS_FILE = RULES_DIR / "boilerplate_stopwords.txt"

MATCH_KINDS = ("line", "prefix", "contains")

# Leading list markers and trailing punctuation ignored when a rule matches the whole line.
_LEAD = re.compile(r"^[\s•·*\-–—▪►▶◦|\[(←→]+")
_TRAIL = re.compile(r"[\s:.!?…»›>|\-–—\])←→]+$")


def clean_for_match(line: str) -> str:
    """The line without list bullets and trailing punctuation, as whole-line rules see it."""
    return _TRAIL.sub("", _LEAD.sub("", line.strip()))


@dataclass(frozen=True)
class VocabRule:
    name: str
    reason: str
    match: str
    max_chars: int
    max_words: int | None
    barrier: bool
    regex: re.Pattern[str]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    triggers: tuple[str, ...] = ()  # lower-case substrings one of which a match must contain

    def matches(self, line: str) -> bool:
        return self.matches_view(LineView.of(line))

    def matches_view(self, view: LineView) -> bool:
        if not view.text or view.n_chars > self.max_chars:
            return False
        if self.max_words is not None and view.n_words > self.max_words:
            return False
        if self.triggers and not any(t in view.lower for t in self.triggers):
            return False  # cheap pre-check before the regular expression
        if self.match == "line":
            return self.regex.fullmatch(view.cleaned) is not None
        if self.match == "prefix":
            return self.regex.match(view.unbulleted) is not None
        return self.regex.search(view.text) is not None


@dataclass(frozen=True)
class LineView:
    """The forms of one line the rules look at, computed once per line."""

    text: str
    n_chars: int
    n_words: int
    cleaned: str
    unbulleted: str
    lower: str

    @classmethod
    def of(cls, line: str) -> LineView:
        text = line.strip()
        cleaned, unbulleted = clean_for_match(text), _LEAD.sub("", text)
        return cls(text, len(text), len(text.split()), cleaned, unbulleted, text.lower())


@dataclass(frozen=True)
class VocabHit:
    rule: str
    reason: str
    barrier: bool


class Vocabulary:
    """All vocabulary rules, compiled once (build one per worker; it pickles)."""

    def __init__(self, rules: tuple[VocabRule, ...]):
        self.rules = rules

    @classmethod
    def load(cls, path: Path = VOCAB_FILE) -> Vocabulary:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = []
        for entry in raw:
            if entry["match"] not in MATCH_KINDS:
                raise ValueError(f"rule {entry['name']}: unknown match kind {entry['match']!r}")
            pattern = "|".join(f"(?:{p})" for p in entry["patterns"])
            rules.append(
                VocabRule(
                    name=entry["name"],
                    reason=entry["reason"],
                    match=entry["match"],
                    max_chars=int(entry.get("max_chars", 200)),
                    max_words=entry.get("max_words"),
                    barrier=bool(entry.get("barrier", False)),
                    regex=re.compile(pattern, re.IGNORECASE),
                    examples=tuple(entry.get("examples", ())),
                    counter_examples=tuple(entry.get("counter_examples", ())),
                    triggers=tuple(t.lower() for t in entry.get("triggers", ())),
                )
            )
        return cls(tuple(rules))

    def match(self, line: str) -> VocabHit | None:
        """The first rule (in file order) that matches the line, or None."""
        view = LineView.of(line)
        for rule in self.rules:
            if rule.matches_view(view):
                return VocabHit(rule.name, rule.reason, rule.barrier)
        return None


def load_stopwords(path: Path = STOPWORDS_FILE) -> frozenset[str]:
    """The union of the function-word lists of all languages in the file."""
    words: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        _, _, rest = line.partition(":")
        words.update(rest.split())
    return frozenset(words)
