"""What a dated mention says happened: trigger, event_class, actors, date_role (one call per
mention, sentences analysed once per document).

:class:`EventExtractor` holds the word tables and trigger weights; build it once per worker
(DoFn.setup), it pickles by reloading them.  :meth:`EventExtractor.annotate` returns the new
columns of one events row.
"""

from __future__ import annotations

from transforms import native
from transforms.events import trigger as et
from transforms.events.actors import native_actors, sentence_bounds, trigger_actors
from transforms.events.lexicon import EventLexicon
from transforms.events.role import date_role, native_mentions
from transforms.events.tense import row_tense
from transforms.events.tokens import Parsed, analyse, date_tokens, native_analyser

# Tense values the events table carries (the date stage's 'none' and a modal's become null).
TENSES = ("past", "present", "future")


class EventExtractor:
    """Word tables + trigger weights; :meth:`annotate` per mention."""

    def __init__(self) -> None:
        self._build()

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self._build()

    def _build(self) -> None:
        self.lex = EventLexicon()
        weights = et.load_weights()
        self.picker = et.picker(weights)
        # the compiled tokeniser and trigger picker (transforms/native/_events.pyx) when built,
        # else None and the Python functions, which are the reference
        module = native.load("events")
        self.native_analyse = native_analyser(self.lex, module)
        self.native_pick = et.native_picker(self.lex, weights, module)
        self.native_actors = native_actors(self.lex, module)
        self.native_mentions = native_mentions(self.lex, module)
        # the whole of rows.event_rows per document (transforms/native/_eventrows.pyx), built on
        # the compiled parts above; None without them
        from transforms.events.rows import native_rows

        self.native_rows = native_rows(self, native.load("eventrows") if module else None)

    def annotate(
        self,
        text: str,
        sentence: tuple[int, int],
        mention,
        cache: dict[tuple[int, int], tuple[Parsed, list[int], dict]],
    ) -> dict:
        """The event columns for ``mention`` (a DateMention: start, end, tense) in
        ``text[sentence[0]:sentence[1]]``; ``cache`` keeps the parsed sentences of one document,
        their clause punctuation and the actor spans of their clauses chunked so far.

        Returns {trigger, trigger_start, trigger_end, trigger_pos, event_class, actors, tense,
        date_role, role_reason}; trigger fields are None when the sentence has no predicate.
        """
        found = cache.get(sentence)
        if found is None:
            if self.native_analyse is not None:
                parsed = self.native_analyse(text, *sentence)
            else:
                parsed = analyse(self.lex, text, *sentence)
            found = cache[sentence] = (parsed, sentence_bounds(parsed), {})
        parsed, bounds, clauses = found
        i, j = date_tokens(parsed, mention.start, mention.end)
        if self.native_pick is not None:
            k = self.native_pick(parsed, i, j)
        else:
            k = et.choose(et.features(parsed, i, j, self.lex), *self.picker)
        tense = getattr(mention, "tense", "none")
        tense = tense if tense in TENSES else None
        fast = self.native_mentions
        if k is None:
            trigger = None
        elif fast is not None:
            trigger = fast.trigger(text, parsed, k)
        else:
            trigger = et.to_trigger(text, parsed, k, self.lex)
        role, reason = date_role(
            self.lex, text, sentence, (mention.start, mention.end), parsed, (i, j), trigger,
            tense or "none", mention.granularity, fast.comparison if fast is not None else None,
        )  # fmt: skip
        # date_role reads the date stage's clause tense; the row carries the trigger's own
        # when its verb group says one (transforms/events/tense.py)
        tense = row_tense(self.lex, parsed, k, tense)
        if trigger is None:
            return {
                "trigger": None, "trigger_start": None, "trigger_end": None,
                "trigger_pos": None, "event_class": None, "actors": [], "tense": tense,
                "date_role": role, "role_reason": reason,
            }  # fmt: skip
        return {
            "trigger": trigger.text,
            "trigger_start": trigger.start,
            "trigger_end": trigger.end,
            "trigger_pos": trigger.pos,
            "event_class": trigger.event_class,
            "actors": (
                self.native_actors(text, parsed, bounds, clauses, k, i, j)
                if self.native_actors is not None
                else trigger_actors(self.lex, text, parsed, bounds, clauses, k, (i, j))
            ),
            "tense": tense,
            "date_role": role,
            "role_reason": reason,
        }
