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

import re

from transforms.event_lexicon import EventLexicon
from transforms.event_trigger import Parsed, Trigger

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
_RELATIVE_YEAR_RE = re.compile(r"\b(?:year|quarter|month)[- ](?:earlier|ago|before)\b", re.I)
_ALNUM = re.compile(r"[A-Za-z0-9]")
# Words that make "from", "over", "against" a comparison when a number stands shortly before.
_NUMBERISH = re.compile(r"^(?:\d[\d.,]*|%|percent|cents?|points?)$")


def _line(text: str, start: int, end: int) -> tuple[int, int]:
    """The line (offsets) that holds text[start:end]."""
    stop = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if stop < 0 else stop


def _publication(lex, text, line, date, lower_line) -> bool:
    ls, le = line
    before, after = text[ls : date[0]], text[date[1] : le]
    if _SIGNATURE_RE.search(before) and not after.strip(" .,"):
        return True  # a signed post ends its line with its date
    if le - ls > MAX_SHORT_LINE:
        return False
    if any(cue in lower_line for cue in lex.words("publication_cues")):
        return True
    if _DATELINE_RE.match(before) and _AFTER_DATELINE_RE.match(after):
        return True
    n_line = len(_ALNUM.findall(text, ls, le))
    n_date = len(_ALNUM.findall(text, date[0], date[1]))
    return n_line > 0 and n_date / n_line >= DATE_SHARE_OF_LINE


def _link_or_list(lex, text, line, p: Parsed, lower_line) -> bool:
    if line[1] - line[0] > MAX_SHORT_LINE:
        return False
    head = lower_line.lstrip()
    if not any(head.startswith(prefix) for prefix in lex.words("link_prefixes")):
        return False
    return "v" not in p.kinds  # a list item that is a sentence is still a sentence


def _comparison(lex, p: Parsed, i: int, j: int, sentence_lower: str, date_text: str) -> bool:
    words = [w.lower() for w in p.words]
    before = " ".join(words[max(0, i - 3) : i])
    for cue in lex.words("comparison_before"):
        if not (before == cue or before.endswith(" " + cue)):
            continue
        if cue in ("from", "over", "against"):
            back = words[max(0, i - 6) : i - 1]
            return any(_NUMBERISH.match(w) for w in back)
        return True
    if j < len(words) and words[j] in lex.words("comparison_after"):
        return True
    if _RELATIVE_YEAR_RE.search(date_text):
        return any(c in sentence_lower for c in ("compared", "versus", " vs", " from "))
    return False


def _generic(lex, p: Parsed, i: int, j: int, date_lower: str, trigger, tense: str) -> bool:
    if date_lower not in lex.words("generic_dates"):
        return False
    words = p.words
    if j + 1 < len(words) and words[j].lower() in ("'s", "\u2019s"):
        return words[j + 1].lower() in lex.words("generic_after")
    if j < len(words) and words[j].lower() in lex.words("generic_after"):
        return True
    light = trigger is not None and trigger.lemma in lex.words("light_verbs")
    return light and tense == "present"


def _noun_modifier(lex, p: Parsed, i: int, j: int) -> bool:
    kinds, words = p.kinds, p.words
    if j >= len(words) or i == 0:
        return False
    possessive = words[j].lower() in ("'s", "\u2019s")
    k = j + 1 if possessive else j
    if k >= len(words) or not words[k][:1].islower() or kinds[k] not in "o":
        return False
    return possessive or kinds[i - 1] == "t" or (kinds[i - 1] == "o" and words[i - 1].islower())


def date_role(
    lex: EventLexicon,
    text: str,
    sentence: tuple[int, int],
    date: tuple[int, int],
    p: Parsed,
    tokens: tuple[int, int],
    trigger: Trigger | None,
    tense: str,
) -> tuple[str, str | None]:
    """``("event", None)`` or ``("other", reason)`` for the date at ``date`` (offsets into
    ``text``) in the sentence ``p`` (date tokens ``tokens``) with its chosen trigger."""
    line = _line(text, *sentence)
    lower_line = text[line[0] : line[1]].lower()
    i, j = tokens
    if _publication(lex, text, line, date, lower_line):
        return "other", "publication_line"
    if _link_or_list(lex, text, line, p, lower_line):
        return "other", "link_or_list"
    if trigger is None:
        return "other", "no_predicate"
    date_text = text[date[0] : date[1]]
    sentence_lower = text[sentence[0] : sentence[1]].lower()
    if _comparison(lex, p, i, j, sentence_lower, date_text):
        return "other", "comparison"
    if _generic(lex, p, i, j, date_text.lower(), trigger, tense):
        return "other", "generic"
    if _noun_modifier(lex, p, i, j):
        return "other", "noun_modifier"
    return "event", None
