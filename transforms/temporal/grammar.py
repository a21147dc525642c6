"""Load the date grammar (transforms/temporal/rules/dates*.yaml) and compile it into ONE regex.

Each rule becomes a named branch ``(?P<R<i>>...)`` of a single alternation, so a text is
scanned once.  Group names inside a rule (``month``, ``day``, ...) are renamed to
``r<i>_<name>[_<k>]`` because Python forbids duplicate group names; :class:`Rule` keeps the
mapping back to the short names that the normalizers read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from transforms.temporal.dispatch import WordDispatch
from transforms.textscan.firsts import first_phrases, first_shapes, first_words, possible_chars
from transforms.textscan.ignorecase import compile_ignorecase
from transforms.textscan.numphrases import number_phrases

RULES_DIR = Path(__file__).parent / "rules"
_MACRO_RE = re.compile(r"\{([A-Z][A-Z0-9]*)\}")
_GROUP_RE = re.compile(r"\(\?P<([a-z][a-z0-9_]*)>")
# Nothing word-like, no currency sign and no '+' directly before a candidate.
_LEFT_GUARD = r"(?<![\w$€£+])"
# No letter or digit directly after a candidate.
_RIGHT_GUARD = r"(?!\w)"


@dataclass(frozen=True)
class Rule:
    """One rule of the date grammar, compiled: its id, branch name in the combined regex, TIMEX3
    type, normalizer (``norm``) or rejection reason (``reject``), arguments and groups."""

    id: str
    branch: str  # the branch group name in the combined regex
    type: str | None  # DATE|TIME|DURATION|SET, None for rejection rules
    norm: str | None
    reject: str | None
    args: Mapping[str, Any]
    groups: tuple[tuple[str, str], ...]  # (full group name, short name)
    extent_group: str | None
    examples: tuple[Mapping[str, Any], ...] = field(default=())

    def fields(self, match: re.Match[str]) -> dict[str, str]:
        """Short-named groups that took part in ``match`` (first non-empty wins)."""
        out: dict[str, str] = {}
        for full, short in self.groups:
            value = match.group(full)
            if value is not None and short not in out:
                out[short] = value
        return out


@dataclass(frozen=True)
class Grammar:
    """The whole date grammar: vocabulary, rules in order, the combined regex, and its dispatched
    forms (by first character, by first word) that give the same matches faster."""

    vocab: Mapping[str, Any]
    rules: tuple[Rule, ...]
    pattern: re.Pattern[str]
    by_branch: Mapping[str, Rule]
    # The same grammar restricted to the rules that can start with a given (lowercased)
    # character: trying 45 branches at each candidate costs ~13 us, a dispatched subset ~2 us.
    by_first: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    fallback: re.Pattern[str] | None = None
    # ... for a decimal digit of another script ("\u0663"): ``\d`` matches every Unicode
    # decimal digit, but the first characters read from a pattern list only ASCII ones
    # (first_chars), so by_first has no entry for them and the fallback would lose the \d
    # rules. These are the rules that can start with every ASCII digit (a \d among them) or
    # with any character: a superset of those that can match there, the matches unchanged.
    other_digit: re.Pattern[str] | None = None
    # ... and restricted further by a candidate's first word (dispatch.py).
    words: WordDispatch | None = None

    def for_char(self, ch: str) -> re.Pattern[str]:
        """The grammar restricted to rules that can start with character `ch`."""
        found = self.by_first.get(ch.lower())
        if found is not None:
            return found
        if ch.isdecimal() and self.other_digit is not None:
            return self.other_digit
        return self.fallback or self.pattern


ANY = None  # "any character may come first"
_ASCII_DIGITS = frozenset("0123456789")


def first_chars(pattern: str) -> set[str] | None:
    """Lowercased characters a case-insensitive match of ``pattern`` can start with (ANY when
    unknown); see transforms/textscan/firsts.py."""
    found = possible_chars(pattern, re.IGNORECASE)
    return ANY if found is None else {c.lower() for c in found}


def _expand(pattern: str, macros: Mapping[str, str]) -> str:
    for _ in range(5):  # macros may refer to macros; five levels is plenty
        new = _MACRO_RE.sub(lambda m: macros[m[1]], pattern)
        if new == pattern:
            return new
        pattern = new
    return pattern


def _rename_groups(pattern: str, prefix: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    groups: list[tuple[str, str]] = []
    seen: dict[str, int] = {}

    def rename(m: re.Match[str]) -> str:
        short = m[1]
        seen[short] = seen.get(short, 0) + 1
        full = f"{prefix}_{short}" if seen[short] == 1 else f"{prefix}_{short}_{seen[short]}"
        groups.append((full, short))
        return f"(?P<{full}>"

    return _GROUP_RE.sub(rename, pattern), tuple(groups)


def load_yaml(paths: list[Path]) -> dict[str, Any]:
    """Merge rule files: vocab/macros dicts are merged, rule lists concatenated in order."""
    merged: dict[str, Any] = {"vocab": {}, "macros": {}, "rules": []}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in ("vocab", "macros"):
            merged[key].update(data.get(key) or {})
        merged["rules"].extend(data.get("rules") or [])
    return merged


def compile_grammar(data: Mapping[str, Any]) -> Grammar:
    """Compile the merged YAML data (vocab, macros, rules) into a Grammar: macros expanded, groups
    renamed per rule, one combined case-insensitive regex and its dispatch tables. Raises re.error
    or KeyError on a malformed rule."""
    rules: list[Rule] = []
    branches: list[str] = []
    for i, spec in enumerate(data["rules"]):
        branch = f"R{i}"
        body, groups = _rename_groups(_expand(spec["pattern"], data["macros"]), f"r{i}")
        if spec.get("case_sensitive"):
            body = f"(?-i:{body})"
        branches.append(f"(?P<{branch}>{body}){_RIGHT_GUARD}")
        extent = spec.get("extent_group")
        extent_full = next((full for full, short in groups if short == extent), None)
        rules.append(
            Rule(
                id=spec["id"],
                branch=branch,
                type=spec.get("type"),
                norm=spec.get("norm"),
                reject=spec.get("reject"),
                args=spec.get("args") or {},
                groups=groups,
                extent_group=extent_full,
                examples=tuple(spec.get("examples") or ()),
            )
        )
    pattern = _combine(branches)
    firsts = [first_chars(b) for b in branches]
    always = [i for i, f in enumerate(firsts) if f is ANY]
    chars = set().union(*(f for f in firsts if f is not ANY))
    compiled: dict[tuple[int, ...], re.Pattern[str]] = {}
    by_first: dict[str, re.Pattern[str]] = {}
    for ch in sorted(chars):
        key = tuple(i for i, f in enumerate(firsts) if f is ANY or ch in f)
        if key not in compiled:
            compiled[key] = _combine([branches[i] for i in key])
        by_first[ch] = compiled[key]
    fallback = _combine([branches[i] for i in always]) if always else re.compile(r"(?!)")
    digit_key = tuple(i for i, f in enumerate(firsts) if f is ANY or _ASCII_DIGITS <= f)
    if len(digit_key) == len(branches):
        other_digit = pattern
    else:
        other_digit = compiled.get(digit_key) or _combine([branches[i] for i in digit_key])
    words = WordDispatch(
        branches,
        firsts,
        [first_words(b) for b in branches],
        _combine,
        [first_phrases(b) for b in branches],
        [first_shapes(b) for b in branches],
        [number_phrases(b) for b in branches],
    )
    return Grammar(
        data["vocab"],
        tuple(rules),
        pattern,
        {r.branch: r for r in rules},
        by_first,
        fallback,
        other_digit,
        words,
    )


def _combine(branches: list[str]) -> re.Pattern[str]:
    """The branches as one case-insensitive alternation after the left guard: what
    ``re.compile(..., re.IGNORECASE)`` gives, compiled so that the engine skips an alternative
    that starts with another letter without entering it (textscan/ignorecase.py)."""
    return compile_ignorecase(_LEFT_GUARD + "(?:" + "|".join(branches) + ")")


def load_grammar(rules_dir: Path = RULES_DIR) -> Grammar:
    """Load and compile every ``dates*.yaml`` of rules_dir (file name order)."""
    return compile_grammar(load_yaml(sorted(rules_dir.glob("dates*.yaml"))))
