"""Boilerplate vocabulary (rules/boilerplate_vocab.yaml) and stop words (rules/*.txt).

The vocabulary is data: each rule names a reason code, how it matches a line (whole line,
prefix, anywhere) and up to which length, and carries examples that the tests run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from transforms.boilerplate.lineview import LEAD_CHARS, TRAIL_CHARS, LineView
from transforms.boilerplate.vocabscan import (
    NATIVE,
    combined_bands,
    joined,
    native_bands,
    pattern_bits,
    pattern_scans,
)
from transforms.textscan.literals import AnyOf, FirstCharDispatch, LiteralSet

RULES_DIR = Path(__file__).parent / "rules"
VOCAB_FILE = RULES_DIR / "boilerplate_vocab.yaml"
STOPWORDS_FILE = RULES_DIR / "boilerplate_stopwords.txt"

MATCH_KINDS = ("line", "prefix", "contains")
# PyYAML's safe loader in C (libyaml) when the wheel has it: the same data, ten times faster
# to load than the pure-Python SafeLoader (tests/test_boilerplate_vocab.py compares the two).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class VocabHit:
    """The vocabulary rule that matched a line: its name, its reason code and whether it is a
    barrier (the body never extends across it)."""

    rule: str
    reason: str
    barrier: bool


@dataclass(frozen=True)
class VocabRule:
    """One rule of rules/boilerplate_vocab.yaml, compiled: how it matches (line, prefix, contains),
    its size caps (characters, words), its trigger words and examples."""

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
    patterns: tuple[str, ...] = ()  # the alternatives of regex, one by one
    any_of: AnyOf | None = None  # for "contains" rules: regex.search, faster

    @property
    def hit(self) -> VocabHit:
        """The VocabHit a match of this rule gives."""
        return VocabHit(self.name, self.reason, self.barrier)

    def matches(self, line: str) -> bool:
        """Does the rule match the (unstripped) line? The plain path, used by the rule tests
        and the reference `Vocabulary.first_rule_plain`: the rule's expression, no pre-check of
        its patterns."""
        return self.matches_view(LineView(line.strip()), plain=True)

    def matches_view(
        self, view: LineView, pattern_mask: int | None = None, plain: bool = False
    ) -> bool:
        """Does the rule match the line seen through `view` (caps, triggers, then the regex)?
        A "contains" rule searches only those of its patterns whose required literals occur in
        the line (`AnyOf.search_lower`; `pattern_mask`: which, from the compiled scan), unless
        `plain`."""
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
        if self.any_of is not None:
            if plain:
                return self.any_of.search(view.text)
            return self.any_of.search_lower(view.text, view.lower, pattern_mask)
        return self.regex.search(view.text) is not None


class Vocabulary:
    """All vocabulary rules, compiled once (build one per worker; it pickles).

    `match` runs the rules in file order, but first asks three combined expressions (one per
    match kind: the whole-line patterns and the prefix patterns that can begin with the line's
    first character, all triggers of the "contains" rules) whether any rule of that kind can
    match at all; most lines fail all three, so the rules themselves run only on the few
    candidate lines (transforms/textscan/literals.py).
    """

    def __init__(self, rules: tuple[VocabRule, ...], backend: str | None = None):
        self.rules = rules
        self.hits = tuple(rule.hit for rule in rules)
        self.max_chars = max((r.max_chars for r in rules), default=0)
        by_kind = {kind: [r for r in rules if r.match == kind] for kind in MATCH_KINDS}
        self.line_max_chars = max((r.max_chars for r in by_kind["line"]), default=0)
        self.prefix_max_chars = max((r.max_chars for r in by_kind["prefix"]), default=0)
        # per kind: the rule index of each pattern, in file order, and their dispatch
        self.pattern_rule = {
            kind: [i for i, r in enumerate(rules) if r.match == kind for _ in r.patterns]
            for kind in ("line", "prefix")
        }
        self.line_any = FirstCharDispatch([p for r in by_kind["line"] for p in r.patterns])
        self.prefix_any = FirstCharDispatch([p for r in by_kind["prefix"] for p in r.patterns])
        self.contains_rules = [i for i, r in enumerate(rules) if r.match == "contains"]
        if any(not rules[i].triggers for i in self.contains_rules):
            raise ValueError("every 'contains' rule needs triggers (its cheap pre-check)")
        # The triggers of the "contains" rules that can match a line of a given length: one
        # combined expression per distinct max_chars (a long prose line is asked only for the
        # few rules that take long lines). The triggers are lower case and are looked for in
        # the lower-cased line.
        self.trigger_bands = trigger_bands(by_kind["contains"], backend)
        self._pattern_bits = pattern_bits(rules, self.contains_rules)
        self._build_scans()

    def _build_scans(self) -> None:
        """The compiled scans (vocabscan.py), or None / () without the compiled module: the
        trigger scan of every "contains" rule (the first length band's), the bands, and the
        scan of the patterns' required literals."""
        self._native_bands = native_bands(self.rules, self.contains_rules)
        self._native = self._native_bands[0][1] if self._native_bands else None
        self._pattern_scans = pattern_scans(self.rules, self.contains_rules)
        dispatches = (self.line_any, self.prefix_any)
        self._combined = (
            combined_bands(
                self.rules,
                self.contains_rules,
                (self.line_max_chars, self.prefix_max_chars),
                tuple(d.requirements for d in dispatches),
            )
            if self._native_bands and all(d._scans for d in dispatches)
            else ()
        )

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_native"] = None  # C objects: rebuilt by the worker that unpickles
        state["_native_bands"] = ()
        state["_pattern_scans"] = None
        state["_combined"] = ()
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._build_scans()

    @classmethod
    def load(cls, path: Path = VOCAB_FILE, backend: str | None = None) -> Vocabulary:
        """Load and compile the vocabulary file (YAML); `backend`: the trigger pre-check's
        LiteralSet backend (None: the fastest installed). Raises ValueError on an unknown match
        kind or a rule that cannot be dispatched (a "contains" rule without triggers)."""
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
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
                    patterns=tuple(entry["patterns"]),
                    any_of=AnyOf(entry["patterns"]) if entry["match"] == "contains" else None,
                )
            )
        return cls(tuple(rules), backend)

    def _first_of_kind(self, kind: str, view: LineView) -> int | None:
        """Index (into rules) of the first "line" or "prefix" rule that matches the line."""
        if kind == "line":
            if view.n_chars > self.line_max_chars:
                return None
            found = self.line_any.first(view.cleaned, whole=True, lower=view.lower)
        else:
            if view.n_chars > self.prefix_max_chars:
                return None
            found = self.prefix_any.first(view.unbulleted, whole=False, lower=view.lower)
        if found is None:
            return None
        return self._rule_of_pattern(kind, found, view)

    def _rule_of_pattern(self, kind: str, found: int, view: LineView) -> int | None:
        """The first "line" or "prefix" rule that matches the line, given `found`: the first
        pattern of that kind (index into its dispatch) that matches it."""
        rule_index = self.pattern_rule[kind][found]
        rule = self.rules[rule_index]
        if rule.max_chars >= view.n_chars and (
            rule.max_words is None or view.n_words <= rule.max_words
        ):
            return rule_index
        # the first pattern that matches belongs to a rule for shorter lines: ask every rule
        return next(
            (i for i, r in enumerate(self.rules) if r.match == kind and r.matches_view(view)),
            None,
        )

    def triggers_for(self, n_chars: int) -> LiteralSet | None:
        """The combined triggers of the "contains" rules whose max_chars admits the line."""
        for max_chars, pattern in self.trigger_bands:
            if n_chars <= max_chars:
                return pattern
        return None

    def match(self, line: str) -> VocabHit | None:
        """The first rule (in file order) that matches the line, or None."""
        index = self.first_rule(line)
        return self.hits[index] if index >= 0 else None

    def first_rule(self, line: str) -> int:
        """The seam of the vocabulary match (text in, an int out): the index into `rules` of the
        first rule, in file order, that matches the line; -1 when none does. The same answer
        as asking every rule's `matches` in turn (`first_rule_plain`), found faster (class
        doc); tests/test_split_seams.py compares the two on real and random text."""
        if self._native is not None:
            return self._first_rule_native(line)
        view = LineView.of(line)
        if not view.text or view.n_chars > self.max_chars:
            return -1
        best = self._first_anchored(view)
        triggers = self.triggers_for(view.n_chars)
        if triggers is not None and triggers.any_in(view.lower):
            for i in self.contains_rules:
                if i >= best:
                    break
                if self.rules[i].matches_view(view):
                    best = i
                    break
        return best if best < len(self.rules) else -1

    def _first_anchored(self, view: LineView) -> int:
        """The first "line" or "prefix" rule that matches; len(rules) when none does."""
        best = len(self.rules)
        if view.n_chars <= self.line_max_chars:  # (_first_of_kind's own cap, asked first)
            found = self._first_of_kind("line", view)
            if found is not None:
                best = found
        if view.n_chars <= self.prefix_max_chars:
            found = self._first_of_kind("prefix", view)
            if found is not None and found < best:
                best = found
        return best

    def _first_rule_native(self, line: str) -> int:
        """`first_rule` with the compiled pre-checks (transforms/native/_vocab.pyx): the line's
        forms in one pass; one scan that finds which "contains" rules that take a line of its
        length (vocabscan.native_bands) have a trigger in it, so that only those are asked (a
        rule without one of its triggers in the line never matches: `VocabRule.matches_view`,
        whose trigger test the mask has answered already), made on an ASCII line in the same
        pass as the whole-line and prefix dispatches' scans (`_native_scans`); on an ASCII
        line one more scan finds which patterns of those rules have a required literal in it,
        and only those are searched (vocabscan.pattern_scans). The same answer as the Python
        path (tests/test_native_vocab.py)."""
        parts = NATIVE.line_view(line, LEAD_CHARS, TRAIL_CHARS)
        text, n_chars, lower, unbulleted, cleaned = parts
        if not n_chars or n_chars > self.max_chars:
            return -1
        rules = self.rules
        line_found, prefix_found, mask = self._native_scans(n_chars, lower, unbulleted, cleaned)
        # `_first_anchored`, inline (this runs for every distinct line); the LineView is built
        # only when a rule reads more than the forms in `parts` (a dispatch hit, a rule
        # without AnyOf or with max_words)
        view = None
        best = len(rules)
        if line_found is not None:
            view = LineView.of_parts(parts)
            found = self._rule_of_pattern("line", line_found, view)
            if found is not None:
                best = found
        if prefix_found is not None:
            if view is None:
                view = LineView.of_parts(parts)
            found = self._rule_of_pattern("prefix", prefix_found, view)
            if found is not None and found < best:
                best = found
        patterns = -1  # the pattern mask, scanned when a rule first needs it
        while mask:  # the "contains" rules with a trigger in the line, in file order
            low = mask & -mask
            i = low.bit_length() - 1
            mask ^= low
            if i >= best:
                break
            rule = rules[i]
            if n_chars > rule.max_chars:
                continue  # a line too long for the rule (`matches_view`'s first test)
            if rule.any_of is None or rule.max_words is not None:
                if view is None:
                    view = LineView.of_parts(parts)
                hit = rule.matches_view(view, self._pattern_mask(i, view))
            elif self._pattern_scans and i in self._pattern_bits and text.isascii():
                if patterns < 0:
                    patterns = self._pattern_scans.mask(lower)
                shift, width = self._pattern_bits[i]
                hit = rule.any_of.search_masked(text, patterns >> shift & width, lower)
            else:
                hit = rule.any_of.search_lower(text, lower)
            if hit:
                best = i
                break
        return best if best < len(rules) else -1

    def _native_scans(
        self, n_chars: int, lower: str, unbulleted: str, cleaned: str
    ) -> tuple[int | None, int | None, int]:
        """(first whole-line pattern that matches, first prefix pattern that matches, mask of
        the "contains" rules with a trigger in the line and that take its length): what
        `line_any.first`, `prefix_any.first` (each None where the line is too long for its
        rules) and the length band's trigger scan answer. On an ASCII line the three scans of
        the lower-cased line are one (vocabscan.combined_bands: the same masks, so the same
        patterns are tried, each on its own, as `first` with `lower` tries them)."""
        if self._combined and lower.isascii():
            for limit, scan, line_place, prefix_place in self._combined:
                if n_chars <= limit:
                    words = scan.words(lower)
                    line_found = prefix_found = None
                    if line_place is not None:
                        line_found = self.line_any.first_allowed(
                            cleaned, True, joined(words, line_place)
                        )
                    if prefix_place is not None:
                        prefix_found = self.prefix_any.first_allowed(
                            unbulleted, False, joined(words, prefix_place)
                        )
                    return line_found, prefix_found, words[0]
        line_found = prefix_found = None
        if n_chars <= self.line_max_chars:
            line_found = self.line_any.first(cleaned, True, lower)
        if n_chars <= self.prefix_max_chars:
            prefix_found = self.prefix_any.first(unbulleted, False, lower)
        scan = self._native
        for limit, band in self._native_bands:
            if n_chars <= limit:
                scan = band  # only the rules that take a line this long
                break
        return line_found, prefix_found, scan.mask(lower)

    def _pattern_mask(self, rule_index: int, view: LineView) -> int | None:
        """Which patterns of a "contains" rule have one of their required literals in the
        (ASCII) line, from the compiled scan of all of them (bit j: pattern j); None where the
        rule has no bits in it or the line is not ASCII (`AnyOf.search_lower` then decides)."""
        bits = self._pattern_bits.get(rule_index)
        if bits is None or not self._pattern_scans or not view.text.isascii():
            return None
        return self._pattern_scans.mask(view.lower) >> bits[0] & bits[1]

    def first_rule_plain(self, line: str) -> int:
        """`first_rule` the plain way, the reference: every rule's `matches`, in file order."""
        return next((i for i, rule in enumerate(self.rules) if rule.matches(line)), -1)


def trigger_bands(
    rules: list[VocabRule], backend: str | None = None
) -> list[tuple[int, LiteralSet]]:
    """(max_chars, literal set) in ascending max_chars: the set holds the triggers of every
    rule whose max_chars is at least that value (`backend`: textscan.literals.LiteralSet)."""
    bands = []
    for limit in sorted({r.max_chars for r in rules}):
        triggers = [t for r in rules if r.max_chars >= limit for t in r.triggers]
        bands.append((limit, LiteralSet(triggers, backend)))
    return bands


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
