"""The date tagger's two hot scans behind small interfaces (issue 14, "narrow seams"): text in,
plain tuples out, so that a faster backend (compiled, or library-backed) can stand in for either
one and be checked against this pure-Python reference (tests/test_temporal_scan.py compares
both seams with the plain grammar on random and real text).

* :class:`DispatchScan` - which positions can start a date expression (the first-word dispatch
  scan): ``triggers(lower, start, end)`` gives the offsets of the trigger words and digit runs,
  ``positions(text, lower, trigger, covered)`` the offsets to try for one trigger, leftmost
  first (its prefix words: "the end of", "nearly four"; the start of its chunk: "mid-1990s").
* :class:`GrammarScan` - the grammar tried at one position (dispatched by its first word, else
  its first character): ``match(text, lower, pos, end)`` gives a :data:`Hit` or None.

Compiled: ``Dispatch`` of transforms/native/_dates.pyx gives the same tuples as DispatchScan's
two methods and runs the tagger's candidate loop (``hits``: triggers, positions, the
first-word pick and the Hit tuples in C; the grammar is still Python's re), and
``same_length_lower`` lowercases a non-ASCII text as :func:`same_length_lower` does;
DispatchScan uses them when they are built (``native``), and these Python functions stay the
reference and the fallback (tests/test_native_dates.py compares both).

Shapes: every offset is a code-point offset into ``text``; ``lower`` is ``text`` lowercased with
the same offsets (:func:`same_length_lower`); ``end`` is the exclusive end of the span scanned.
"""

from __future__ import annotations

import re
from functools import partial

from transforms.native import load
from transforms.temporal.grammar import Grammar
from transforms.textscan.firsts import MAX_SHAPE_DIGITS, after_space_key, shape_char
from transforms.textscan.literals import literal_union

# A grammar match as plain values: (start, end, branch, fields, extent_start, extent_end).
# ``branch`` names the rule (grammar.Grammar.by_branch); ``fields`` are the rule's short-named
# groups that took part, as (name, text) pairs in rule order (empty for a rejection rule);
# ``extent_start``/``extent_end`` is the span of the rule's extent group, else the match's.
Hit = tuple[int, int, str, tuple[tuple[str, str], ...], int, int]

# The compiled scans (transforms/native/_dates.pyx), None without them (pure Python).
_NATIVE = load("dates")

# Tokens for the prefix scan: runs of ASCII letters, runs of digits.
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")
_TOKEN_CHARS = _LETTERS | _DIGITS
_WORD_RE = re.compile(r"[a-z]+")
_DIGIT_RUN = re.compile(r"[0-9]+")
# Separators inside a number ("1,384,119", "2.5", "10:30").
_IN_NUMBER = frozenset(",.:")
# How many prefix words ("the end of", "nearly four") may precede a trigger word.
MAX_PREFIX_WORDS = 6
# How far back (characters) the prefix words of a trigger are searched.
PREFIX_WINDOW = 60
# How far back (characters) a candidate may start inside its whitespace-delimited chunk
# ("mid-1990s", "'80s", "Q3", "$2014", "(202)").
MAX_CHUNK_BACK = 12


def same_length_lower(text: str) -> str:
    """``text.lower()`` with the same offsets (a few characters lower to two, e.g. 'İ')."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(ch.lower()[:1] for ch in text)


def shape_key(first: str, digits: int, after: str) -> str:
    """The key of dispatch.WordDispatch.for_shape for a run of ``digits`` ASCII digits that
    starts with ``first`` and is followed by ``after`` (lowercased; "" at the end of the
    text). The caller dispatches by shape only when ``after`` is ASCII or no letter or digit
    of another script: such a character may match a rule's ASCII letter or ``\\d`` under
    IGNORECASE ("1ſt"), which the shape, read character by character, would not see."""
    return first + "D" * (min(digits, MAX_SHAPE_DIGITS) - 1) + (shape_char(after) if after else "")


# The token nearest to the end of a REVERSED text: separators (anything but an ASCII letter or
# digit), then a letter run (group 1, reversed) or a digit.
_TOKEN_BACKWARDS = re.compile(r"[^a-z0-9]*(?:([a-z]+)|[0-9])")


def prefix_starts(lower: str, tstart: int, floor: int, prefixes: frozenset[str]) -> list[int]:
    """``tstart`` and the starts of the prefix words ("the end of", "nearly four") just before
    it, nearest first: a backward scan of the tokens (letter runs; a digit run stops it), never
    at or below ``floor`` (>= 0).

    The text before the trigger is read reversed, one token per regex match (a character loop
    in Python cost about three times as much)."""
    starts = [tstart]
    if tstart <= floor:
        return starts
    back = lower[floor:tstart][::-1]
    pos = 0
    while len(starts) <= MAX_PREFIX_WORDS:
        m = _TOKEN_BACKWARDS.match(back, pos)
        if m is None:
            break  # only separators down to floor
        word = m.group(1)
        if word is None:
            # a number was a trigger of its own and has been tried already (trying it again
            # for every later trigger made "1 1 1 1 ..." quadratic)
            break
        if word[::-1] not in prefixes:
            break
        pos = m.end()
        starts.append(tstart - pos)
    return starts


def chunk_starts(text: str, starts: list[int], floor: int) -> tuple[int, ...]:
    """Candidate positions, leftmost first: each word start and, before it, the start of its
    whitespace-delimited chunk (at most MAX_CHUNK_BACK characters back, never below floor).
    ``starts``: nearest first, as prefix_starts gives them (strictly decreasing)."""
    for pos in starts:
        if pos > floor and not text[pos - 1].isspace():
            break
    else:  # every word starts its chunk ("in early March"): the words themselves
        return tuple(reversed(starts))
    out: set[int] = set()
    for pos in starts:
        out.add(pos)
        back = pos
        limit = max(floor, pos - MAX_CHUNK_BACK)
        while back > limit and not text[back - 1].isspace():
            back -= 1
        out.add(back)
    return tuple(sorted(out))


class DispatchScan:
    """Which positions can start a date expression: trigger words (the grammar vocabulary's
    ``triggers``) and digit runs, and before them the prefix words (``prefixes``)."""

    def __init__(
        self, triggers: frozenset[str], prefixes: frozenset[str], native: bool = True
    ) -> None:
        self.prefixes = prefixes
        # The compiled scans (transforms/native/_dates.pyx ``Dispatch``): the same tuples as
        # the two methods below (tests/test_native_dates.py); ``native=False`` or no build
        # keeps these methods, the reference.
        self.native = (
            _NATIVE.Dispatch(
                triggers,
                prefixes,
                MAX_PREFIX_WORDS,
                PREFIX_WINDOW,
                MAX_CHUNK_BACK,
                MAX_SHAPE_DIGITS,
            )
            if native and _NATIVE is not None
            else None
        )
        # ``lower(text)``: the text lowercased with the same offsets, once per document.
        self.lower = same_length_lower
        if self.native is not None:
            self.triggers = self.native.triggers  # type: ignore[method-assign]
            self.positions = self.native.positions  # type: ignore[method-assign]
            self.lower = partial(_NATIVE.same_length_lower, reference=same_length_lower)
        # A digit run or a trigger word, not directly after a letter ("Q3", "v2", "FY89" start
        # with their letter triggers).  One lookbehind for both alternatives lets re reject
        # the many in-word positions early: about a third faster than a lookbehind per word.
        body = r"(?:\d+|(?:" + literal_union(triggers, longest=True) + r")(?![a-z]))"
        self._trigger_re = re.compile(r"(?<![a-z])" + body)
        # ... and the same with the character before the trigger consumed instead of looked
        # behind: a pattern that starts with a character class lets re skip from one possible
        # start to the next (about a quarter faster; see triggers for the two cases it needs).
        self._after_sep = re.compile(r"[^a-z]" + body)

    def triggers(self, lower: str, start: int, end: int) -> tuple[int, ...]:
        """Start offsets of the trigger words and digit runs in ``lower[start:end]``, in order,
        without a digit run inside a number ("384" of "1,384,119", "30" of "10:30": the
        number's first digits are a trigger already).

        The scan with the separator character (``_after_sep``, from ``start - 1``) finds the
        triggers the look-behind form (``_trigger_re``) finds, except two it cannot: one at
        offset 0 (no character before it), and a trigger word right after a digit run
        ("10am": the digit that stands before "am" was consumed by "10"); both are tried with
        the look-behind form. Trigger words are letters only, so nothing else can start
        inside such a word. tests/test_temporal_scan.py checks the result against a reading
        position by position."""
        found: list[int] = []
        if start == 0:
            first = self._trigger_re.match(lower, 0, end)
            if first is not None:
                found.append(0)
                start = first.end()
                if lower[start - 1] not in _LETTERS and start < end and lower[start] in _LETTERS:
                    nxt = self._trigger_re.match(lower, start, end)
                    if nxt is not None:
                        found.append(start)
        else:
            start -= 1
        for m in self._after_sep.finditer(lower, start, end):
            t = m.start() + 1
            if not (lower[t - 1] in _IN_NUMBER and lower[t - 2 : t - 1].isdigit()):
                found.append(t)
            e = m.end()
            if lower[e - 1] not in _LETTERS and e < end and lower[e] in _LETTERS:
                if self._trigger_re.match(lower, e, end) is not None:
                    found.append(e)  # a digit run's last digit stands before a word: "10am"
        return tuple(found)

    def positions(self, text: str, lower: str, tstart: int, covered: int) -> tuple[int, ...]:
        """Offsets to try for the trigger at ``tstart``, leftmost first: the trigger itself, its
        prefix words and the starts of their chunks, none below ``covered`` (the end of the
        last match taken; a trigger before it is not tried at all)."""
        floor = tstart - PREFIX_WINDOW
        starts = prefix_starts(lower, tstart, covered if covered > floor else floor, self.prefixes)
        if len(starts) == 1 and (tstart <= covered or text[tstart - 1].isspace()):
            return (tstart,)  # the usual case: one trigger word after a space
        return chunk_starts(text, starts, covered)


class GrammarScan:
    """The date grammar at one position, dispatched by the position's first word, or its first
    two words when one space parts them, or its digit run's shape and, after one space, the
    word after it (dispatch.WordDispatch), else by its first character (Grammar.by_first).

    ``match`` gives what the whole grammar (Grammar.pattern) gives at the same position, with
    one exception kept from the dispatch it wraps: at a character that Python's IGNORECASE
    folds to an ASCII letter but that does not lowercase to one ("ſ", "ı";
    context.CASE_FOLD_EXTRAS) only the rules that can start with any character are tried.
    The tagger reaches such a position only as the start of a chunk ("ſoon-2014")."""

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar
        self._by_first = grammar.by_first
        self._fallback = grammar.fallback or grammar.pattern
        self._other_digit = grammar.other_digit or self._fallback
        self._for_word = grammar.words.for_word if grammar.words else None
        self._for_phrase = grammar.words.for_phrase if grammar.words else None
        self._for_shape = grammar.words.for_shape if grammar.words else None
        self._for_number = grammar.words.for_number if grammar.words else None
        self._by_branch = grammar.by_branch

    def pattern_at(self, text: str, lower: str, pos: int, end: int) -> re.Pattern[str] | None:
        """The compiled sub-grammar to try at ``pos``, or None when no rule can start there."""
        first = lower[pos]
        if first in _LETTERS and self._for_word is not None:
            word = _WORD_RE.match(lower, pos, end)
            wend = word.end()  # type: ignore[union-attr]
            after = lower[wend : wend + 1] if wend < end else ""
            if after.isascii() or not after.isalpha():
                if after == " ":  # one space: the first two words pick (dispatch.for_phrase)
                    second = _WORD_RE.match(lower, wend + 1, end)
                    pend = wend + 1 if second is None else second.end()
                    after = lower[pend : pend + 1] if pend < end else ""
                    if after.isascii() or not after.isalpha():
                        phrase = lower[pos:pend]
                        if second is None and pend < end:  # no word: what follows the space
                            shape = after_space_key(lower, pend, end)
                            if shape is not None:
                                phrase += shape
                        return self._for_phrase(phrase)  # type: ignore[misc]
                return self._for_word(word.group())  # type: ignore[union-attr]
        elif first in _DIGITS and self._for_shape is not None:
            run = _DIGIT_RUN.match(lower, pos, end)
            rend = run.end()  # type: ignore[union-attr]
            after = lower[rend : rend + 1] if rend < end else ""
            if after.isascii() or not after.isalnum():  # see shape_key
                shape = shape_key(first, rend - pos, after)
                if after == " ":  # one space: the run and the word after it pick
                    word = _WORD_RE.match(lower, rend + 1, end)
                    pend = rend + 1 if word is None else word.end()
                    after = lower[pend : pend + 1] if pend < end else ""
                    if after.isascii() or not after.isalpha():
                        return self._for_number(shape + lower[rend + 1 : pend])  # type: ignore[misc]
                return self._for_shape(shape)
        found = self._by_first.get(first)
        if found is not None:
            return found
        # a decimal digit of another script ("\u0663"): the rules a \d may start
        return self._other_digit if first.isdecimal() else self._fallback

    def match(self, text: str, lower: str, pos: int, end: int) -> Hit | None:
        """The grammar's match at ``pos`` within ``text[:end]`` as a :data:`Hit`, or None."""
        grammar = self.pattern_at(text, lower, pos, end)
        if grammar is None:
            return None
        m = grammar.match(text, pos, end)
        return None if m is None else self.hit(m)

    def hit(self, m: re.Match[str]) -> Hit:
        """A match of the grammar (or of one of its dispatched forms) as a :data:`Hit`."""
        rule = self._by_branch[m.lastgroup or ""]
        start, end = m.span()
        fields: tuple[tuple[str, str], ...] = ()
        if not rule.reject:
            seen: dict[str, str] = {}
            for full, short in rule.groups:
                value = m.group(full)
                if value is not None and short not in seen:
                    seen[short] = value
            fields = tuple(seen.items())
        if rule.extent_group:
            ext_start, ext_end = m.span(rule.extent_group)
        else:
            ext_start, ext_end = start, end
        return start, end, rule.branch, fields, ext_start, ext_end
