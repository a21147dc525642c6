"""date_role of a dated mention: ``event`` when the sentence reports something happening at that
date, else ``other`` with a reason code (ROLE_REASONS).  Cues are word lists of
rules/event_words.yaml; the checks run in this order, the first that fires wins:

* ``publication_line``: the line is a dateline, byline or timestamp ("Published October 27,
  2020", "- Secretary Pompeo (@SecPompeo) October 27, 2020", "WASHINGTON, March 3 -"), or the
  date is most of its line;
* ``link_or_list``: the line is a related-story link or a list item ("READ | ...", "• ...")
  with no verb of its own;
* ``no_predicate``: the sentence has no verb or event noun to anchor;
* ``comparison``: the date is a comparison baseline ("than in 2003", "up 5% from 2003",
  "2003 levels", "a year earlier" after "compared with");
* ``generic``: a generic present ("in today's world", "Today marks one year since ...");
* ``noun_modifier``: the date modifies a noun that is no event ("an electronic Christmas card",
  "the 2004 budget").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from transforms.events.lexicon import EventLexicon
from transforms.events.tokens import Parsed
from transforms.events.trigger import Trigger

ROLE_REASONS = (
    "publication_line",
    "link_or_list",
    "no_predicate",
    "comparison",
    "generic",
    "noun_modifier",
)
# A line at most this long (characters) can be a dateline, byline, link or list item.
MAX_SHORT_LINE = 160
# A date that covers at least this share of its line's letters and digits is a timestamp.
DATE_SHARE_OF_LINE = 0.5
_SIGNATURE_RE = re.compile(r"(?:\)|\u2014|--|\|)\s*$")  # "(@SecPompeo) October 27, 2020"
_DATELINE_RE = re.compile(r"^[A-Z][A-Z .,'-]{2,40},\s*$")  # "WASHINGTON, " before the date
_AFTER_DATELINE_RE = re.compile(r"^\s*(?:\(\w[^)]{0,30}\)\s*)?(?:-|\u2014|--|/)")
_COMMENT_HEADER_RE = re.compile(r"\b(?:said|says|wrote|writes|commented|replied)\s*:\s*$")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_DIGIT_RE = re.compile(r"\d")
# Words that make "from", "over", "against" a comparison when a number stands shortly before.
_FIGURE_WORDS = frozenset("% percent cent cents point points".split())


def _numberish(word: str) -> bool:
    return word[0].isdigit() or word in _FIGURE_WORDS


def _line(text: str, start: int, end: int) -> tuple[int, int]:
    """The line (offsets) that holds text[start:end]."""
    stop = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if stop < 0 else stop


def _publication(lex, text, line, date, lower_line) -> bool:
    ls, le = line
    if le - date[1] <= 3 and not text[date[1] : le].strip(" .,"):
        if _SIGNATURE_RE.search(text, max(ls, date[0] - 12), date[0]):
            return True  # a signed post ends its line with its date
    if le - ls > MAX_SHORT_LINE:
        return False
    before, after = text[ls : date[0]], text[date[1] : le]
    if any(cue in lower_line for cue in lex.words("publication_cues")):
        return True
    if _COMMENT_HEADER_RE.search(lower_line):
        return True  # "Olivia on October 4, 2018 at 10:58 am said:"
    if _DATELINE_RE.match(before) and _AFTER_DATELINE_RE.match(after):
        return True
    n_line = len(_ALNUM.findall(text, ls, le))
    n_date = len(_ALNUM.findall(text, date[0], date[1]))
    return n_line > 0 and n_date / n_line >= DATE_SHARE_OF_LINE


def _link_or_list(lex, text, line, date, p: Parsed, lower_line) -> bool:
    """A link, list item, heading or caption: a list/link prefix or no verb at all in a short
    line, or a date inside a URL."""
    chunk_start = max(line[0], text.rfind(" ", line[0], date[0]) + 1)
    chunk_end = text.find(" ", date[1], line[1])
    chunk = text[chunk_start : line[1] if chunk_end < 0 else chunk_end]
    if "/" in chunk and ("http" in chunk or "www." in chunk or chunk.count("/") >= 2):
        return True
    if line[1] - line[0] > MAX_SHORT_LINE or "v" in p.kinds:
        return False  # a list item that is a sentence is still a sentence
    head = lower_line.lstrip()
    starts = any(head.startswith(prefix) for prefix in lex.words("link_prefixes"))
    return starts or "x" not in p.kinds


def _comparison(lex, p: Parsed, i: int, j: int) -> bool:
    """A comparison baseline: a comparison word just before the date, or one with a figure
    between it and the date or just before it; a record's baseline ("first since 2008");
    a standard of comparison after the date ("2003 levels")."""
    words = p.lowers
    if i == 0:
        return j < len(words) and words[j] in lex.words("comparison_after")
    cues = lex.words("comparison_before")  # one to three words
    last = words[i - 1]
    if last in cues or (i >= 2 and f"{words[i - 2]} {last}" in cues):
        return True
    if i >= 3 and f"{words[i - 3]} {words[i - 2]} {last}" in cues:
        return True
    fillers = lex.words("comparison_fillers")
    with_figure = lex.words("comparison_with_figure")
    figure = False
    for k in range(i - 1, max(-1, i - 8), -1):
        word = words[k]
        if word in with_figure:
            if word not in ("from", "over", "against"):
                return True  # "shorter than on the 2015 design"
            return figure or any(_numberish(w) for w in words[max(0, k - 5) : k])
        if word[0].isdigit() or word in fillers:
            figure = figure or word[0].isdigit()
            continue
        break
    if i > 0 and words[i - 1] == "since":
        return any(w in lex.words("record_words") for w in words[max(0, i - 8) : i - 1])
    return j < len(words) and words[j] in lex.words("comparison_after")


def _generic(lex, p: Parsed, i: int, j: int, date_lower: str,
             trigger: Trigger, tense: str, granularity: str | None) -> bool:  # fmt: skip
    """A generic or habitual present: "today" with a stative predicate or a noun that is no
    event, "today's world"; a habitual cue ("typically") of the trigger's own predicate (no
    other verb between them: "The celebration, which typically runs five days, began on
    October 27" is no habit of "began"); a year-less month or season with a present -s verb
    ("In November, the air gets cool")."""
    lowers = p.lowers
    k = _token_at(p, trigger.start)
    habitual = lex.words("habitual_cues")
    if not habitual.isdisjoint(lowers):
        for x, word in enumerate(lowers):
            if word in habitual and "v" not in p.kinds[min(x, k) + 1 : max(x, k)]:
                return True
    if "year" in lowers and ("every" in lowers or "each" in lowers):
        k = lowers.index("year")
        if lowers[k - 1] in ("every", "each"):
            return True
    words = p.words
    if date_lower in lex.words("generic_dates"):
        if tense in ("past", "future"):
            return False
        nxt = words[j].lower() if j < len(words) else ""
        if nxt in ("'s", "\u2019s"):
            nxt = words[j + 1].lower() if j + 1 < len(words) else ""
        if nxt in lex.words("generic_after"):
            return True
        return trigger.lemma in lex.words("light_verbs") or not _is_event(lex, trigger)
    yearless = granularity in ("month", "season") and _DIGIT_RE.search(date_lower) is None
    return yearless and tense == "none" and p.kinds[k] == "v" and words[k].endswith("s")


def _is_event(lex, trigger: Trigger) -> bool:
    """A verb, or a noun whose lemma has an event class or mostly event-like senses."""
    if trigger.pos == "verb":
        return True
    return trigger.lemma in lex.class_of or lex.event_nouns.get(trigger.lemma, 0.0) >= 0.5


def _eventish(lex, p: Parsed, k: int) -> bool:
    """Token k is a verb, or a noun with an event class or mostly event-like senses."""
    lemma = p.lemmas[k]
    if p.kinds[k] == "v":
        return True
    return p.kinds[k] == "n" and (
        lemma in lex.class_of or lex.event_nouns.get(lemma or "", 0.0) >= 0.5
    )


def _token_at(p: Parsed, offset: int) -> int:
    """Index of the token that starts at ``offset`` (or the first after it)."""
    return min(bisect.bisect_left(p.starts, offset), len(p.starts) - 1)


def _noun_modifier(lex, p: Parsed, i: int, j: int, trigger: Trigger) -> bool:
    """The date qualifies a noun that is no event: the trigger is the noun right after the
    date ("the 2015 design", "our May 2018 blog post", "Dell's Black Friday deals"), or the
    date stands between a determiner or adjective and a noun phrase with no event noun in it
    ("an electronic Christmas card")."""
    kinds, words = p.kinds, p.words
    if 0 < i and j < len(kinds) and (kinds[i - 1] == "t" or words[i - 1][:1].islower()):
        if kinds[i - 1] not in "rvxsc" and kinds[j] in "on" and words[j][:1].islower():
            k = j
            while k < len(kinds) and k < j + 3 and kinds[k] in "on" and words[k].isalpha():
                if _eventish(lex, p, k):
                    return False  # "the 1998 embassy bombings"
                k += 1
            return k == len(kinds) or kinds[k] != "v"
    if trigger.pos != "noun" or _is_event(lex, trigger):
        return False
    k = _token_at(p, trigger.start)
    between = p.kinds[j:k]
    return 0 <= k - j <= 3 and all(c in "ontq" for c in between)


def native_patterns() -> dict:
    """The regular expressions the compiled date_role checks call (transforms/native/
    _eventrows.pyx, built by transforms/events/rows.py ``native_rows``), defined here once:
    {"dateline_re", "after_dateline_re", "comment_header_re"}."""
    return {
        "dateline_re": _DATELINE_RE,
        "after_dateline_re": _AFTER_DATELINE_RE,
        "comment_header_re": _COMMENT_HEADER_RE,
    }


def native_mentions(lex: EventLexicon, module):
    """The compiled accelerator's per-mention helpers (``transforms.native.load("events")``),
    or None when ``module`` is None: ``.trigger(text, p, k)`` is
    ``trigger.to_trigger(text, p, k, lex)`` and ``.comparison(p, i, j)`` is this module's
    comparison check (pass it to :func:`date_role`)."""
    if module is None:
        return None
    return module.Triggers(lex, Trigger, _FIGURE_WORDS)


def date_role(
    lex: EventLexicon,
    text: str,
    sentence: tuple[int, int],
    date: tuple[int, int],
    p: Parsed,
    tokens: tuple[int, int],
    trigger: Trigger | None,
    tense: str,
    granularity: str | None = None,
    comparison: Callable | None = None,
) -> tuple[str, str | None]:
    """``("event", None)`` or ``("other", reason)`` for the date at ``date`` (offsets into
    ``text``) in the sentence ``p`` (date tokens ``tokens``) with its chosen trigger;
    ``comparison(p, i, j)``, when given, is the compiled comparison check
    (:func:`native_mentions`), else the Python one runs."""
    line = _line(text, *sentence)
    short = line[1] - line[0] <= MAX_SHORT_LINE
    lower_line = text[line[0] : line[1]].lower() if short else ""  # only short lines are read
    i, j = tokens
    if _publication(lex, text, line, date, lower_line):
        return "other", "publication_line"
    if _link_or_list(lex, text, line, date, p, lower_line):
        return "other", "link_or_list"
    if trigger is None:
        return "other", "no_predicate"
    date_text = text[date[0] : date[1]]
    if comparison(p, i, j) if comparison is not None else _comparison(lex, p, i, j):
        return "other", "comparison"
    if _generic(lex, p, i, j, date_text.lower(), trigger, tense, granularity):
        return "other", "generic"
    if _noun_modifier(lex, p, i, j, trigger):
        return "other", "noun_modifier"
    return "event", None
