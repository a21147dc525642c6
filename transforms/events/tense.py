"""Tense of a verb trigger from its own verb group, as TimeML gives the tense of an EVENT.

The date stage computes one clause tense per date (the nearest past or future cue around the
date, transforms/temporal/tense.py); it resolves the date's value with it.  When the date's
trigger is a verb, the event row's ``tense`` is the tense of that verb's group instead, read the
way TimeML 1.2.1 annotates ``MAKEINSTANCE tense`` (and TimeBank's annotators did):

* the first finite auxiliary of the group decides: "will", "shall", "'ll" -> future; "was",
  "were", "had", "did" -> past; "is", "are", "has", "have", "does" ... -> present;
* a modal other than will/shall ("could begin", "would be able to start", "may", "might",
  "should", "must", "can") -> ``none``: TimeML writes tense NONE with the modal as
  ``modality`` (TimeBank + AQUAINT: 122 "would" and 47 "could" events are NONE);
* with no auxiliary, the verb's own form: a past form -> past ("a tariff imposed in September
  would remain": imposed), an -s form -> present;
* an infinitive takes only a modal or "will" before its "to" ("would be able to start":
  none); "is likely to reach", "was expected to begin" say nothing about the event's own time;
* otherwise (a noun trigger, such an infinitive, an -ing form, a base form) the group says
  nothing and the date stage's clause tense stays.

The group is the run of auxiliaries (``x`` tokens of transforms/events/tokens.py: auxiliaries,
modals, "to", "not", "also", ...) right before the verb, past one adverb in -ly ("could
eventually begin") or one adjective before "to" ("would be able to start").
"""

from __future__ import annotations

from transforms.events.lexicon import EventLexicon
from transforms.events.tokens import Parsed

# The first finite auxiliary of a group -> the group's TimeML tense ("none": a modal).
AUX_TENSE = {
    **dict.fromkeys(("will", "shall", "'ll", "\u2019ll", "wo"), "future"),
    **dict.fromkeys(("was", "were", "had", "did"), "past"),
    **dict.fromkeys(
        ("is", "are", "am", "'s", "\u2019s", "'re", "\u2019re", "'m", "\u2019m", "has", "have",
         "'ve", "\u2019ve", "do", "does"),
        "present",
    ),  # fmt: skip
    **dict.fromkeys(
        ("would", "could", "might", "may", "should", "must", "can", "ca", "ought"), "none"
    ),
}
# At most this many tokens left of the verb are read as its group.
MAX_GROUP = 6


def group_tense(lex: EventLexicon, p: Parsed, k: int) -> str | None:
    """'past' | 'present' | 'future' | 'none' (a modal) for the verb at token ``k`` of ``p``
    from its verb group (module docstring), or None when the group does not say (a noun, an
    infinitive, an -ing or base form without an auxiliary)."""
    kinds, lowers = p.kinds, p.lowers
    if kinds[k] not in "vx":
        return None
    found = None
    skipped = infinitive = False
    x = k - 1
    while x >= 0 and x >= k - MAX_GROUP:
        kind = kinds[x]
        if kind == "x":
            tense = AUX_TENSE.get(lowers[x])
            if tense is not None:
                found = tense  # the leftmost one wins: keep looking left
            elif lowers[x] == "to":
                infinitive = True
            x -= 1
        elif (
            kind == "o"
            and not skipped
            and x > 0
            and kinds[x - 1] == "x"
            and (lowers[x].endswith("ly") or lowers[x + 1] == "to")
            and p.words[x].islower()
        ):
            skipped = True  # "could eventually begin", "would be able to start"
            x -= 1
        else:
            break
    if infinitive:  # "to start", "is likely to reach": only a modal or "will" before "to"
        # says when ("would be able to start": none); else the governing clause's tense
        return found if found in ("none", "future") else None
    if found is not None:
        return found
    own = AUX_TENSE.get(lowers[k])
    if own is not None:
        return own  # an auxiliary as the main verb: "was in Paris"
    form = lex.reading(lowers[k]).form
    if form == "ed":
        return "past"
    if form == "s" and lowers[k].endswith("s"):
        return "present"
    return None


def row_tense(lex: EventLexicon, p: Parsed, k: int | None, clause_tense: str | None) -> str | None:
    """The event row's tense: the verb group's (``none`` -> None) when it says one, else
    ``clause_tense`` (the date stage's, None for none)."""
    if k is None:
        return clause_tense
    tense = group_tense(lex, p, k)
    if tense is None:
        return clause_tense
    return None if tense == "none" else tense
