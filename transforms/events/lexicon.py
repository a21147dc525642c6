"""The event stage's word tables, loaded once: verb and event-noun readings of a word, its
lemma, its event class, and the small closed lists (auxiliaries, prepositions, ...).

Data (all under transforms/events/rules/, each file names its source and licence):

* ``event_lexicon.tsv``: per WordNet lemma, SemCor sense-tag counts as verb / noun / event-like
  noun / adjective and its WordNet lexicographer files (derived from WordNet 3.0);
* ``event_irregular.tsv``: irregular inflections (WordNet ``verb.exc``, ``noun.exc``);
* ``event_names.tsv``: capitalised WordNet names typed place / org / person;
* ``event_words.yaml``: closed word lists written for newsline;
* ``event_classes.yaml``: the event classes with their lemmas and examples.

Build a :class:`EventLexicon` once per worker (DoFn.setup); it pickles by reloading.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import yaml

from transforms.limits import READING_MEMO_MAX
from transforms.text.memo import remember

RULES_DIR = Path(__file__).resolve().parent / "rules"


class Reading(NamedTuple):
    """How one lowercase word form can be read: as a verb (its lemma), as an event noun.

    A named tuple (immutable): one is made per new word form, and its one ``__new__`` call
    costs a fraction of a frozen dataclass's ``__init__`` (one ``object.__setattr__`` call
    per field)."""

    verb: str | None  # verb lemma, when the form inflects a WordNet verb
    verb_share: float  # SemCor share of verb tags among the readings the form allows (0..1)
    noun: str | None  # noun lemma, when the form is an event-like noun (act, event, process)
    form: str  # base | s | ed | ing (the verb inflection; "" when not a verb)
    noun_share: float = 0.0  # SemCor share of event-like senses among the noun's tags (0 for
    # a nominalisation with no event-like sense: "declaration", "request")


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _stems(word: str) -> list[tuple[str, str]]:
    """(candidate lemma, inflection) for a lowercase form, by English suffix rules."""
    out = [(word, "base")]
    if word.endswith("ies") and len(word) > 4:
        out.append((word[:-3] + "y", "s"))
    if word.endswith("es") and len(word) > 3:
        out.append((word[:-2], "s"))
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        out.append((word[:-1], "s"))
    for suffix, form in (("ed", "ed"), ("ing", "ing")):
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:  # "died", "used"
            stem = word[: -len(suffix)]
            out.append((stem, form))
            out.append((stem + "e", form))
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append((stem[:-1], form))  # "stopped", "running"
            if suffix == "ed" and stem.endswith("i"):
                out.append((stem[:-1] + "y", form))  # "carried"
    return out


def _verb_share(lemma: tuple[int, int, int], surface: tuple | None, form: str) -> float:
    """Share of verb readings among the readings this form allows: a base form is the lemma's
    verb, noun or adjective; an -s form a verb or a plural noun; an -ed or -ing form a verb or
    the form's own noun or adjective senses ("closed", "trading")."""
    v, n, a = lemma
    if form == "s":
        other = n
    elif form in ("ed", "ing"):
        other = surface[1] + surface[2] if surface and surface != lemma else 0
    else:
        other = n + a
    return v / (v + other) if v + other else 0.5


class EventLexicon:
    """Word tables of the event stage; :meth:`reading` is memoised per word form."""

    def __init__(self, rules_dir: Path = RULES_DIR) -> None:
        self.rules_dir = rules_dir
        self._build()

    def __getstate__(self) -> dict:
        return {"rules_dir": self.rules_dir}

    def __setstate__(self, state: dict) -> None:
        self.rules_dir = state["rules_dir"]
        self._build()

    def _build(self) -> None:
        d = self.rules_dir
        self.verbs: set[str] = set()  # verb lemmas
        # word -> SemCor tags (verb, noun, adjective)
        self.tags: dict[str, tuple[int, int, int]] = {}
        self.event_nouns: dict[str, float] = {}  # noun lemma -> share of event-like senses
        self.wordnet_file: dict[str, str] = {}
        for word, v, n, ne, a, vfile, nfile, deverbal in _read_tsv(d / "event_lexicon.tsv"):
            v, n, ne, a = int(v), int(n), int(ne), int(a)
            self.tags[word] = (v, n, a)
            if vfile != "-":
                self.verbs.add(word)
            if ne or (not n and nfile in ("act", "event", "phenomenon", "process")):
                self.event_nouns[word] = ne / n if n else 0.5
            elif deverbal == "1":
                self.event_nouns[word] = 0.0  # a nominalisation without an event-like sense
            self.wordnet_file[word] = vfile if vfile != "-" else nfile
        self.irregular: dict[tuple[str, str], str] = {}
        for form, lemma, pos in _read_tsv(d / "event_irregular.tsv"):
            self.irregular.setdefault((form, pos), lemma)
        self.names = {name: kind for name, kind in _read_tsv(d / "event_names.tsv")}
        words = yaml.safe_load((d / "event_words.yaml").read_text(encoding="utf-8"))
        for key, value in words.items():
            bad = [w for w in value if not isinstance(w, str)]
            if bad:  # YAML reads a bare on/off/no/yes as a boolean: quote such words
                raise ValueError(f"event_words.yaml {key}: not a string: {bad}")
        self.lists = {key: frozenset(value) for key, value in words.items()}
        self.lower_lists = {k: frozenset(w.lower() for w in v) for k, v in self.lists.items()}
        # Closed-class words -> (kind, lemma) for transforms/events/tokens.py; later lists win.
        self.closed: dict[str, tuple[str, str | None]] = {}
        for key, kind in (("determiners", "t"), ("prepositions", "r"), ("auxiliaries", "x"),
                          ("subordinators", "s")):  # fmt: skip
            for word in self.lower_lists[key]:
                self.closed[word] = (kind, None)
        self.closed.update({"and": ("c", None), "or": ("c", None)})
        classes = yaml.safe_load((d / "event_classes.yaml").read_text(encoding="utf-8"))
        self.class_of: dict[str, str] = {}
        for name, spec in classes["classes"].items():
            for lemma in spec["lemmas"]:
                self.class_of.setdefault(str(lemma), name)
        self.class_examples = {
            name: list(spec.get("examples", [])) for name, spec in classes["classes"].items()
        }
        self.by_wordnet_file = dict(classes["by_wordnet_file"])
        self._memo: dict[str, Reading] = {}
        # state -> {chunk: (its tokens with their kinds, next state's table)}, filled by
        # transforms/events/tokens.py (bounded there by kind_memo_size)
        self.kind_memo: dict[str, dict] = {}
        self.kind_memo_size = 0
        self.kind_memo_resets = 0  # times the memo started afresh (tokens.py _learn)
        # (name, its tokens, word before) -> actor type (transforms/events/actors.py, bounded)
        self.actor_type_memo: dict[tuple, str] = {}
        for word, (kind, _) in list(self.closed.items()):
            if kind == "x":
                self.closed[word] = (kind, self.reading(word).verb)

    def words(self, key: str) -> frozenset[str]:
        """A closed list of event_words.yaml, lowercased."""
        return self.lower_lists[key]

    def reading(self, lower: str) -> Reading:
        """Verb and event-noun readings of a lowercase word form (memoised, at most
        READING_MEMO_MAX forms: transforms/text/memo.py)."""
        found = self._memo.get(lower)
        if found is None:
            found = remember(self._memo, lower, self._read(lower), READING_MEMO_MAX)
        return found

    def _read(self, word: str) -> Reading:
        verb, form = None, ""
        irregular = self.irregular.get((word, "v"))
        if irregular is not None and irregular in self.verbs:
            verb, form = irregular, ("ing" if word.endswith("ing") else "ed")
        else:
            for stem, inflection in _stems(word):
                if stem in self.verbs:
                    verb, form = stem, inflection
                    break
        noun = None
        singular = self.irregular.get((word, "n"), word)
        for stem in (singular, word[:-1] if word.endswith("s") else None):
            if stem and stem in self.event_nouns:
                noun = stem
                break
        share = _verb_share(self.tags[verb], self.tags.get(word), form) if verb else 0.0
        return Reading(verb, share, noun, form, self.event_nouns.get(noun, 0.0) if noun else 0.0)

    def event_class(self, lemma: str) -> str:
        """The event class of a trigger lemma: listed class, else WordNet file, else other."""
        found = self.class_of.get(lemma)
        if found is not None:
            return found
        return self.by_wordnet_file.get(self.wordnet_file.get(lemma, ""), "other")
