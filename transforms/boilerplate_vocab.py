"""Boilerplate vocabulary (rules/boilerplate_vocab.yaml) and stop words (rules/*.txt).

The vocabulary is data: each rule names a reason code, how it matches a line (whole line,
prefix, anywhere) and up to which length, and carries examples that the tests run.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

RULES_DIR = Path(__file__).parent / "rules"
VOCAB_FILE = RULES_DIR / "boilerplate_vocab.yaml"
STOPWORDS_FILE = RULES_DIR / "boilerplate_stopwords.txt"

MATCH_KINDS = ("line", "prefix", "contains")

# Leading list markers and trailing punctuation ignored when a rule matches the whole line
# (each set also strips whitespace: str.strip() and the regex class \s agree on what it is).
_LEAD_CHARS = "•·*-–—▪►▶◦|[(←→"
_TRAIL_CHARS = ":.!?…»›>|-–—])←→"


def _strip_run(text: str, chars: str, left: bool) -> str:
    """text without the run of chars and whitespace at its start (left) or end."""
    while True:
        out = text.lstrip(chars).lstrip() if left else text.rstrip(chars).rstrip()
        if out == text:
            return out
        text = out


def clean_for_match(line: str) -> str:
    """The line without list bullets and trailing punctuation, as whole-line rules see it."""
    return _strip_run(_strip_run(line.strip(), _LEAD_CHARS, True), _TRAIL_CHARS, False)


@dataclass(frozen=True)
class VocabHit:
    rule: str
    reason: str
    barrier: bool


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

    @property
    def hit(self) -> VocabHit:
        return VocabHit(self.name, self.reason, self.barrier)

    def matches(self, line: str) -> bool:
        return self.matches_view(LineView(line.strip()))

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


class LineView:
    """The forms of one (stripped) line the rules look at, each computed once, when first
    needed: most lines are too long for the whole-line rules and never need `cleaned`."""

    def __init__(self, text: str):
        self.text = text
        self.n_chars = len(text)

    @functools.cached_property
    def n_words(self) -> int:
        return len(self.text.split())

    @functools.cached_property
    def cleaned(self) -> str:
        return clean_for_match(self.text)

    @functools.cached_property
    def unbulleted(self) -> str:
        return _strip_run(self.text, _LEAD_CHARS, True)

    @functools.cached_property
    def lower(self) -> str:
        return self.text.lower()

    @classmethod
    def of(cls, line: str) -> LineView:
        return cls(line.strip())


def literal_union(words: list[str]) -> str:
    """A regular expression that finds any of the literal words, as a trie ("s(?:end|ign up)"):
    the engine then tries a handful of first characters per position, not every word."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here: longer words through this node add nothing

    def build(node: dict[str, dict]) -> str:
        if "" in node:
            return ""
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(trie)


def _union(patterns: list[str]) -> re.Pattern[str] | None:
    """One regular expression that matches where any of the patterns matches (or None)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


class Vocabulary:
    """All vocabulary rules, compiled once (build one per worker; it pickles).

    `match` runs the rules in file order, but first asks three combined expressions (one per
    match kind: all whole-line patterns, all prefix patterns, all triggers of the "contains"
    rules) whether any rule of that kind can match at all; most lines are prose and fail all
    three, so the rules themselves run only on the few candidate lines.
    """

    def __init__(self, rules: tuple[VocabRule, ...]):
        self.rules = rules
        self.hits = tuple(rule.hit for rule in rules)
        self.max_chars = max((r.max_chars for r in rules), default=0)
        by_kind = {kind: [r for r in rules if r.match == kind] for kind in MATCH_KINDS}
        self.line_max_chars = max((r.max_chars for r in by_kind["line"]), default=0)
        self.prefix_max_chars = max((r.max_chars for r in by_kind["prefix"]), default=0)
        self.line_any = _union([r.regex.pattern for r in by_kind["line"]])
        self.prefix_any = _union([r.regex.pattern for r in by_kind["prefix"]])
        triggered = [r for r in by_kind["contains"] if r.triggers]
        self.contains_always = len(triggered) < len(by_kind["contains"])  # a rule without triggers
        triggers = [t for r in triggered for t in r.triggers]
        # (the triggers are lower case and are looked for in the lower-cased line)
        self.trigger_any = re.compile(literal_union(triggers)) if triggers else None

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

    def candidate_kinds(self, view: LineView) -> tuple[bool, bool, bool]:
        """(line, prefix, contains): whether any rule of that match kind may match the line."""
        n = view.n_chars
        line = n <= self.line_max_chars and self.line_any is not None
        line = line and self.line_any.fullmatch(view.cleaned) is not None
        prefix = n <= self.prefix_max_chars and self.prefix_any is not None
        prefix = prefix and self.prefix_any.match(view.unbulleted) is not None
        contains = self.contains_always or (
            self.trigger_any is not None and self.trigger_any.search(view.lower) is not None
        )
        return line, prefix, contains

    def match(self, line: str) -> VocabHit | None:
        """The first rule (in file order) that matches the line, or None."""
        view = LineView.of(line)
        if not view.text or view.n_chars > self.max_chars:
            return None
        line_ok, prefix_ok, contains_ok = self.candidate_kinds(view)
        if not (line_ok or prefix_ok or contains_ok):
            return None
        allowed = {"line": line_ok, "prefix": prefix_ok, "contains": contains_ok}
        for rule, hit in zip(self.rules, self.hits, strict=True):
            if allowed[rule.match] and rule.matches_view(view):
                return hit
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
