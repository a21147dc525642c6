"""Fast pre-checks for many regular expressions at once (used by the boilerplate vocabulary).

Python's `re` tries the alternatives of ``a|b|c`` one after the other at every position, so a
union of a hundred vocabulary patterns costs a hundred attempts per position. Two tricks make
the common case (a line that matches nothing) cheap without changing any result:

- `literal_union`: literal words as a trie (``s(?:end|ign up)``): a few attempts per position.
- `LiteralSet`: does any of many literal words occur in a text? One narrow seam (text in,
  a bool out): the trie above, searched by `re`, is the reference; an Aho-Corasick automaton
  (pyahocorasick) answers the same when its wheel is installed.
- `FirstCharDispatch`: for patterns tried at the start of a line (``fullmatch``/``match``),
  the union of only those patterns that can begin with the line's first character. The set of
  possible first characters is read from the parsed pattern; whenever the analysis is unsure
  (``.``, ``\\w``, a negated class, a pattern that can match the empty string) the pattern is
  kept for every character, so the dispatch never misses a match.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable

from transforms import native
from transforms.textscan.firsts import ASCII as _ASCII
from transforms.textscan.firsts import first_and_last_chars, leading
from transforms.textscan.required import (
    could_match,
    matches_at_word_start,
    required,
    word_starts,
)

# The compiled literal scan (transforms/native/_vocab.pyx TriggerScan), or None: without it
# FirstCharDispatch tries its unions without the required-literal pre-check (same answers).
_NATIVE_VOCAB = native.load("vocab")
# TriggerScan answers in one 64-bit mask: patterns are scanned 64 at a time.
_SCAN_BITS = 64


def literal_union(words: Iterable[str], longest: bool = False) -> str:
    """A regular expression that finds any of the literal words, as a trie ("s(?:end|ign up)"):
    the engine then tries a handful of first characters per position, not every word.

    Where a word is the prefix of another ("sign", "sign up"): by default the shorter one
    matches and the longer adds nothing (enough to know whether any word occurs); with
    `longest`, the longer one is tried first (``sign(?: up)?``), so that the match is the
    longest word, as a caller that needs the match's end wants."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def build(node: dict[str, dict]) -> str:
        if "" in node and not longest:
            return ""
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


# LiteralSet's implementations: "python" (the reference, always there) first.
BACKENDS = ("python", "ahocorasick")


def fast_backend() -> str:
    """The fastest LiteralSet backend installed: "ahocorasick" when the pyahocorasick wheel
    imports, else "python" (same answers: a worker without the wheel runs the reference)."""
    try:
        # importlib, not an import statement: compiled (transforms/native/pure.py), an import
        # statement takes a None in sys.modules (a module blocked) for the module itself.
        importlib.import_module("ahocorasick")
    except ImportError:
        return "python"
    return "ahocorasick"


class LiteralSet:
    """`any_in(text)`: does any of the literal `words` occur in text (case-sensitive: callers
    pass lower-cased words and text)?

    Backends, same answers (tests/test_split_seams.py runs each on real and random text):
    "python", the `literal_union` trie searched by `re` (the reference); "ahocorasick", one
    pass of an Aho-Corasick automaton (pyahocorasick). `backend` None: `fast_backend()`.
    Pickles by its words and backend (a worker without the wheel falls back to "python").
    """

    def __init__(self, words: Iterable[str], backend: str | None = None):
        self.words = tuple(sorted(set(words)))
        self.backend = backend or fast_backend()
        if self.backend not in BACKENDS:
            raise ValueError(f"unknown backend {self.backend!r}; one of {BACKENDS}")
        self._build()

    def _build(self) -> None:
        self._always = "" in self.words  # the empty word occurs in every text
        self._regex = self._automaton = None
        words = [w for w in self.words if w]
        if not words:
            return
        if self.backend == "python":
            self._regex = re.compile(literal_union(words))
            return
        automaton = importlib.import_module("ahocorasick").Automaton()
        for word in words:
            automaton.add_word(word, None)
        automaton.make_automaton()
        self._automaton = automaton

    def __getstate__(self) -> dict:
        return {"words": self.words, "backend": self.backend}

    def __setstate__(self, state: dict) -> None:
        self.words = state["words"]
        self.backend = state["backend"] if state["backend"] == "python" else fast_backend()
        self._build()

    def any_in(self, text: str) -> bool:
        """Does any of the words occur in text?"""
        if self._always:
            return True
        if self._automaton is not None:
            return next(self._automaton.iter(text), None) is not None
        return self._regex is not None and self._regex.search(text) is not None


class FirstCharDispatch:
    """Compiled unions of patterns, one per possible first character of the text.

    `first(text, whole)` is the index of the first pattern (in list order) that matches at the
    start of text (`whole`: matches all of it), case-insensitive, or None. Each pattern of a
    union is a named group, so the match tells which pattern it was. Patterns that may start
    with any character ("floating", e.g. ``.{0,40} in a new window``) form a second set of
    unions, one per possible LAST character, used when the whole text must match. Texts whose
    first (last) character is not ASCII are tried against all patterns of the group.
    """

    def __init__(self, patterns: list[str], module=_NATIVE_VOCAB):
        self.patterns = tuple(patterns)
        both = [first_and_last_chars(p) for p in patterns]  # one parse per pattern
        firsts = [first for first, _ in both]
        lasts = [last for _, last in both]
        anchored = [i for i, f in enumerate(firsts) if f is not None]
        floating = [i for i, f in enumerate(firsts) if f is None]
        # per character, the indices of the patterns in its union; a union is compiled on first
        # use (`_union`): compiling every character's union up front was most of the
        # vocabulary's set-up time, and most characters never start a line
        self.by_first = {c: tuple(i for i in anchored if c in firsts[i]) for c in _ASCII}
        self.anchored = tuple(anchored)
        self.by_last = {
            c: tuple(i for i in floating if lasts[i] is None or c in lasts[i]) for c in _ASCII
        }
        self.floating = tuple(floating)
        self._compiled: dict[tuple[int, ...], re.Pattern[str] | None] = {}
        self._first_cache: dict[str | None, re.Pattern[str] | None] = {}
        self._last_cache: dict[str | None, re.Pattern[str] | None] = {}
        self._floating_cache: dict[str | None, re.Pattern[str] | None] = {}
        # The required-literal pre-check (`first` with `lower`): per pattern, the literals one
        # of which its match contains on ASCII text (textscan/required.py; None: no check);
        # the same tables as bit masks (bit i: pattern i).
        self.requirements = tuple(required(p) for p in patterns)
        self.first_masks = {c: _mask(ix) for c, ix in self.by_first.items()}
        self.anchored_mask = _mask(self.anchored)
        self.last_masks = {c: _mask(ix) for c, ix in self.by_last.items()}
        self.floating_mask = _mask(self.floating)
        # each pattern's own fullmatch and match, compiled when first tried (`first_allowed`)
        self._fullmatchers: list = [None] * len(self.patterns)
        self._matchers: list = [None] * len(self.patterns)
        self._module = module
        self._scans = required_scans(self.requirements, module)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_scans"] = ()  # C objects: rebuilt where it is unpickled
        state["_module"] = None
        state["_fullmatchers"] = [None] * len(self.patterns)  # compiled again when tried
        state["_matchers"] = [None] * len(self.patterns)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._module = _NATIVE_VOCAB
        self._scans = required_scans(self.requirements, self._module)

    def allowed(self, lower: str) -> int:
        """Bit i set when pattern i may match inside the ASCII text whose lower-cased form is
        `lower`: one of its required literals occurs in it, or it has none (`could_match`),
        from the compiled scans (one pass per 64 patterns)."""
        found = 0
        for k, scan in enumerate(self._scans):
            found |= scan.mask(lower) << (_SCAN_BITS * k)
        return found

    def _union(self, indices: tuple[int, ...]) -> re.Pattern[str] | None:
        """The compiled union of these patterns, each a named group p<index> (None: none)."""
        if indices not in self._compiled:
            alts = "|".join(f"(?P<p{i}>{self.patterns[i]})" for i in indices)
            self._compiled[indices] = re.compile(alts, re.IGNORECASE) if indices else None
        return self._compiled[indices]

    def _pick(self, table: dict[str, tuple[int, ...]], cache: dict, char: str, fallback: tuple):
        """The union for a text whose first (last) character is `char` (non-ASCII or none: the
        `fallback` patterns), remembered per character."""
        key = char.lower() if char and char.isascii() else None
        union = cache.get(key, cache)
        if union is cache:
            union = cache[key] = self._union(fallback if key is None else table[key])
        return union

    def first(self, text: str, whole: bool, lower: str | None = None) -> int | None:
        """Index (in list order) of the first pattern that matches at the start of text (`whole`:
        matches all of it), case-insensitively; None when none does.

        `lower`: the lower-cased form of an ASCII text that contains `text` (a line of which
        `text` is a part), or None. With it (and the compiled scan), only the patterns one of
        whose required literals occurs in it are tried (`allowed`): a pattern without one
        cannot match, so the answer is the same, and the costly patterns (a run of capitalised
        words, then "is a ... writer") are tried only on the few lines that hold their words
        (tests/test_native_vocab.py compares both ways on real and random text). With the
        compiled scan the patterns are tried one by one (`first_allowed`, any text); without
        it, as the union of the text's first character's patterns (the reference)."""
        scans = self._scans
        if scans:
            if lower is None or not lower.isascii():
                # every pattern of the text's first (last) character, each on its own: the
                # union of each character's patterns cost more to compile than the few lines
                # that are not ASCII (27 unions in 2,000 bench pages, a tenth of the stage)
                return self.first_allowed(text, whole, -1)
            allowed = scans[0].mask(lower)  # `allowed(lower)`, inline: this runs per line
            for k in range(1, len(scans)):
                allowed |= scans[k].mask(lower) << (_SCAN_BITS * k)
            return self.first_allowed(text, whole, allowed)
        found = None
        union = self._pick(self.by_first, self._first_cache, text[:1], self.anchored)
        if union is not None:
            m = union.fullmatch(text) if whole else union.match(text)
            found = None if m is None else int(m.lastgroup[1:])
        if not self.floating:
            return found
        if whole:
            union = self._pick(self.by_last, self._last_cache, text[-1:], self.floating)
        else:
            union = self._pick(self.by_last, self._floating_cache, "", self.floating)
        if union is not None:
            m = union.fullmatch(text) if whole else union.match(text)
            if m is not None and (found is None or int(m.lastgroup[1:]) < found):
                found = int(m.lastgroup[1:])
        return found

    def first_allowed(self, text: str, whole: bool, allowed: int) -> int | None:
        """`first(text, whole)` trying only the patterns whose bit is set in `allowed` (the
        others cannot match): of the patterns `first` would try (those that can begin with
        the text's first character, and the floating ones that can end with its last), the
        allowed ones, each on its own, in list order; the first that matches is the answer.

        The same answer as their union ``(?P<p0>...)|(?P<p1>...)``: the engine tries a
        union's alternatives in order, each to its end (backtracking into the next only when
        one cannot match there), so the union matches with the first pattern in list order
        that matches on its own. Each pattern is compiled once, when first tried
        (`_matcher`): a union per distinct mask was compiled on first use, and a vocabulary
        of 72 whole-line patterns met over a hundred distinct masks in 2,000 bench pages,
        each compile costing more than the lines it served. A line allows 0 to 3 patterns
        nearly always, so the patterns tried are the few a union would have tried."""
        char = text[:1]
        key = char.lower() if char and char.isascii() else None
        mask = (self.first_masks[key] if key is not None else self.anchored_mask) & allowed
        if self.floating:
            if whole:
                last = text[-1:]
                key = last.lower() if last and last.isascii() else None
                mask |= (self.last_masks[key] if key is not None else self.floating_mask) & allowed
            else:
                mask |= self.floating_mask & allowed
        matchers = self._fullmatchers if whole else self._matchers
        while mask:  # the allowed patterns in list order
            low = mask & -mask
            i = low.bit_length() - 1
            mask ^= low
            matcher = matchers[i]
            if matcher is None:
                matcher = self._matcher(i, whole)
            if matcher(text) is not None:
                return i
        return None

    def _matcher(self, index: int, whole: bool):
        """Pattern `index` compiled on its own (case-insensitive, as in the unions): its
        `fullmatch` (`whole`) or `match`, remembered (a cache, not state: at most one per
        pattern)."""
        regex = re.compile(self.patterns[index], re.IGNORECASE)
        self._fullmatchers[index] = regex.fullmatch
        self._matchers[index] = regex.match
        return regex.fullmatch if whole else regex.match


def _mask(indices: Iterable[int]) -> int:
    """The bit mask of these indices (bit i: index i)."""
    mask = 0
    for i in indices:
        mask |= 1 << i
    return mask


def required_scans(requirements: tuple[frozenset[str] | None, ...], module) -> tuple:
    """The compiled scans of the required literals of patterns (bit i of scan k: pattern
    64 * k + i; a pattern without a requirement gets the empty literal, which occurs
    everywhere), or () without the compiled `module`."""
    if module is None:
        return ()
    return tuple(
        module.TriggerScan(
            [
                (i, ("",) if req is None else tuple(req))
                for i, req in enumerate(requirements[start : start + _SCAN_BITS])
            ]
        )
        for start in range(0, len(requirements), _SCAN_BITS)
    )


class AnyOf:
    """`search(text)`: does any of the patterns occur in text (case-insensitive)?

    The same answer as searching their union ``p1|p2|...``, found faster: patterns anchored at
    the start (``^...``) are tried once, at position 0; patterns that begin at a word boundary
    (``\\b...``) share one ``\\b(?:...)`` so other positions cost one test; every other pattern
    is searched on its own, where the engine can skip ahead to its literal first character.
    A pattern is regrouped only when the parser shows the anchor applies to all of it.
    """

    def __init__(self, patterns: list[str]):
        at_start, at_word, others = [], [], []
        for pattern in patterns:
            first = leading(pattern)
            if pattern.startswith("^") and first == ("AT", "AT_BEGINNING"):
                at_start.append(pattern[1:])
            elif pattern.startswith(r"\b") and first == ("AT", "AT_BOUNDARY"):
                at_word.append(pattern[2:])
            else:
                others.append(pattern)
        self.at_start = _compile_union(at_start, "")
        self.at_word = _compile_union(at_word, r"\b")
        self.others = tuple(re.compile(p, re.IGNORECASE) for p in others)
        # per pattern, in list order: the literals one of which its match contains on ASCII
        # text (textscan/required.py; None: no pre-check) and its own matcher
        self.patterns = tuple(patterns)
        self.requirements = tuple(required(p) for p in patterns)
        # and, for a pattern that begins with \\b, the strings one of which its match begins
        # with at a word start (textscan/required.py `word_starts`; None: no such check)
        self.word_starts = tuple(word_starts(p) for p in patterns)
        self._singles = tuple(_single(p) for p in patterns)
        # for those: the pattern's own `match`, tried only where such a string begins a word
        # (required.matches_at_word_start) instead of a search at every position
        self._at_word = tuple(
            None if starts is None else re.compile(p, re.IGNORECASE).match
            for p, starts in zip(patterns, self.word_starts, strict=True)
        )

    def search(self, text: str) -> bool:
        """Does any of the patterns occur in text (case-insensitive)?"""
        if self.at_start is not None and self.at_start.match(text) is not None:
            return True
        for regex in self.others:
            if regex.search(text) is not None:
                return True
        return self.at_word is not None and self.at_word.search(text) is not None

    def search_lower(self, text: str, lower: str, mask: int | None = None) -> bool:
        """`search(text)`, the same answer, with a pre-check on ASCII text: only the patterns
        one of whose required literals (`requirements`) occurs in `lower` (= text.lower())
        are searched, each on its own. `mask`: bit j set when pattern j's literals occur, as
        the caller's compiled scan found them (None: checked here)."""
        if not text.isascii():
            return self.search(text)
        for j, (requirement, matcher) in enumerate(
            zip(self.requirements, self._singles, strict=True)
        ):
            if mask is None:
                if not could_match(requirement, lower):
                    continue
            elif not mask >> j & 1:
                continue
            starts = self.word_starts[j]
            if starts is not None:  # a pattern that begins with \\b: tried at its words' starts
                if matches_at_word_start(starts, lower, self._at_word[j], text):
                    return True
            elif matcher(text) is not None:
                return True
        return False

    def search_masked(self, text: str, mask: int, lower: str | None = None) -> bool:
        """`search_lower(text, text.lower(), mask)` for an ASCII text: only the patterns whose
        bit is set in `mask` (bit j: pattern j), each on its own, in list order; a pattern that
        begins with ``\\b`` only where one of its `word_starts` begins a word of the text
        (`required.matches_at_word_start`). `lower`: text.lower(), when the
        caller has it."""
        singles, starts = self._singles, self.word_starts
        while mask:
            low = mask & -mask
            j = low.bit_length() - 1
            mask ^= low
            if starts[j] is not None:  # tried only where one of its words begins
                if lower is None:
                    lower = text.lower()
                if matches_at_word_start(starts[j], lower, self._at_word[j], text):
                    return True
            elif singles[j](text) is not None:
                return True
        return False


def _single(pattern: str):
    """The matcher of one pattern of an AnyOf: `match` for a pattern anchored at the start
    (as AnyOf groups it), else `search`."""
    if pattern.startswith("^") and leading(pattern) == ("AT", "AT_BEGINNING"):
        return re.compile(pattern[1:], re.IGNORECASE).match
    return re.compile(pattern, re.IGNORECASE).search


def _compile_union(patterns: list[str], prefix: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile(prefix + "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.IGNORECASE)
