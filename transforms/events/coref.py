"""One event across documents: which event mentions share an `event_id`. Pure functions.

A mention is reduced to a compact, picklable summary (a plain tuple, `summarize`); mentions are
grouped by a cluster key (`cluster_key`) and each group is clustered by `cluster` into connected
components of the link relation (`links`). Two mentions are linked when:

- they fall on the same day (`granularity = day`, a known `date_start`); mentions coarser than a
  day, or without a year, are linked only within their own document (same TIMEX3 value);
- their `event_class`es are compatible (rules/event_compat.yaml);
- they share a linking actor after normalisation (rules/actor_aliases.yaml): a place for
  incidents (the people named, when no place is), the speaker for statements (a person by
  family name), otherwise any actor. Copies of one text (the same
  `doc_id` and offsets, so the same `mention_id`) are always one event.

Components do not depend on the order of arrival, and a cluster is named by its smallest member
`mention_id`, so the same input gives the same ids on every run and runner, and an id changes
only when a smaller member joins.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache
from pathlib import Path

import yaml

from transforms.limits import ACTOR_NAME_MEMO_MAX
from transforms.text.memo import remember

RULES = Path(__file__).parent / "rules"
PERSON_OR_ORG = ("person", "org")
NOT_PLACE = ("person", "org", "other")
# Words that make a person's name a descriptive phrase, not a given name and a family name
# ("Western District of New York", "Palace of Conventions"): such names are compared whole.
NOT_A_PERSONAL_NAME = frozenset("of al bin ibn de del da di van von der le la & du".split())
# "said Secretary Albright": a speaker after the reporting verb starts within this many
# characters of its end (a space and a title of one or two words).
SPEAKER_AFTER_CHARS = 20

# --- the summary of one mention: a plain tuple of short values (a partition's block of them is
# held while it is clustered, transforms/output/timeline_blocks.py). Members are ordered by
# (mention_id, source, file path): the source, not a hash of it, so that the representative
# and the actors' surface forms do not depend on the folder the inputs were read from.
(
    MENTION_ID,
    DOC_ID,
    SOURCE,  # the row's source (n_documents counts distinct doc/source; orders copies)
    PUBLISHED,  # proleptic ordinal of the publication date, or None
    EVENT_CLASS,
    LINKS,  # the link keys (link_keys), computed once
    COPIES,  # the copy keys (copy_keys), computed once
    ACTORS,  # ((normalised name, type, surface text), ...)
    PATH,  # the Parquet file that holds the row (for its event_id and the timeline row)
    STORED_ID,  # the event_id the row holds now (= mention_id for rows of this run)
) = range(10)


# The events columns a summary reads (`summaries`), and those of its cluster key (`cluster_keys`).
SUMMARY_COLUMNS = (
    "mention_id",
    "event_id",
    "doc_id",
    "source",
    "published",
    "event_class",
    "actors",
    "trigger",
    "trigger_start",
    "sentence",
    "sentence_start",
)
KEY_COLUMNS = ("event_class", "granularity", "date_start", "doc_id", "timex_value")


def summarize(row: dict, path: str = "") -> tuple:
    """The compact summary of an events row (see the field constants above); the same as
    `summaries` of a one-row column dict."""
    return summaries({c: [row.get(c)] for c in SUMMARY_COLUMNS}, path)[0]


def summaries(columns: dict[str, list], path: str = "", memo: dict | None = None) -> list[tuple]:
    """The summaries of events rows given as columns ({name: values}, SUMMARY_COLUMNS at
    least, all of one length; as ``pyarrow.Table.to_pydict`` returns them), in row order: the
    rows' values are read from the lists, no dict per row. `memo`: a per-worker dict of
    normalised actor names (`normalize_actor`), bounded by `ACTOR_NAME_MEMO_MAX` (None: a
    memo for this call only). Raises KeyError when a column is missing."""
    memo = {} if memo is None else memo
    out = []
    for mid, eid, doc, source, published, cls, actors, trigger, t_start, sentence, s_start in zip(
        *(columns[c] for c in SUMMARY_COLUMNS), strict=True
    ):
        mid = mid or eid
        named = []  # (normalised name, type, surface text, start) of every actor with a text
        for actor in actors or ():
            text = actor.get("text")
            if text:
                name = memo.get(text)
                if name is None:
                    name = remember(memo, text, normalize_actor(text), ACTOR_NAME_MEMO_MAX)
                named.append((name, actor.get("type"), text, actor.get("start")))
        out.append(
            (
                mid,
                doc,
                source or "",
                published.toordinal() if published else None,
                cls,
                _link_keys(cls, [a for a in named if is_name(a[2])], t_start, trigger),
                _copy_keys(mid, sentence, t_start, s_start, trigger),
                tuple(a[:3] for a in named),
                path,
                eid,
            )
        )
    return out


# The `date_role`s of rows whose date anchors an event (`is_event`).
EVENT_ROLES = (None, "event")


def is_event(row: dict) -> bool:
    """Rows whose date anchors an event (`date_role` = event, or no role known) are clustered
    and get a timeline row; the others keep their own id."""
    return row.get("date_role") in EVENT_ROLES


# --- rules as data ------------------------------------------------------------------------------


@cache
def compat_rules() -> dict:
    """{"group": {class: group name}, "link": {class: place|speaker|any}, "never": set}."""
    data = yaml.safe_load((RULES / "event_compat.yaml").read_text(encoding="utf-8"))
    group = {c: name for name, classes in data["compatible"].items() for c in classes}
    return {"group": group, "link": data["link"], "never": set(data["never_linked"])}


@cache
def aliases() -> dict[str, str]:
    """{folded variant: canonical name} from rules/actor_aliases.yaml."""
    data = yaml.safe_load((RULES / "actor_aliases.yaml").read_text(encoding="utf-8"))
    table = {}
    for canonical, variants in data["aliases"].items():
        table[fold(canonical)] = canonical
        for variant in variants:
            table[fold(variant)] = canonical
    return table


_POSSESSIVE_RE = re.compile(r"['’]s$")


def fold(name: str) -> str:
    """A name as compared: NFKC, lower case, no full stops, no leading 'the', no trailing 's."""
    text = unicodedata.normalize("NFKC", name).lower().replace(".", " ")
    text = _POSSESSIVE_RE.sub("", " ".join(text.split()).strip())
    if text.startswith("the "):
        text = text[4:]
    return text


def normalize_actor(name: str) -> str:
    """The canonical form of an actor name: "U.S." = "US" = "the United States"."""
    folded = fold(name)
    return aliases().get(folded, aliases().get(folded.replace(" ", ""), folded))


def class_group(event_class: str | None) -> str:
    """The compatibility group of a class (a class not grouped is its own group)."""
    return compat_rules()["group"].get(event_class or "", event_class or "")


def compatible(a: str | None, b: str | None) -> bool:
    """May mentions of classes a and b name one event?"""
    if not a or not b or a in compat_rules()["never"] or b in compat_rules()["never"]:
        return False
    return class_group(a) == class_group(b)


# --- keys and links -----------------------------------------------------------------------------


def cluster_key(row: dict) -> tuple:
    """Mentions that may link share this key: ("day", ISO day, class group) for day-level
    mentions; ("doc", doc_id, TIMEX3 value, class group) for coarser or year-less ones (never
    merged across documents in this version). From an events row."""
    return cluster_keys({c: [row.get(c)] for c in KEY_COLUMNS})[0]


def cluster_keys(columns: dict[str, list]) -> list[tuple]:
    """`cluster_key` of events rows given as columns (KEY_COLUMNS at least), in row order."""
    groups = compat_rules()["group"]
    out = []
    for cls, granularity, day, doc, value in zip(*(columns[c] for c in KEY_COLUMNS), strict=True):
        group = groups.get(cls or "", cls or "")
        if granularity == "day" and day is not None:
            out.append(("day", day.isoformat(), group))
        else:
            out.append(("doc", doc, value or "", group))
    return out


def link_keys(row: dict) -> tuple[str, ...]:
    """The normalised actors through which this row's mention links (rules/event_compat.yaml)."""
    actors = [
        (normalize_actor(a["text"]), a.get("type"), a["text"], a.get("start"))
        for a in row.get("actors") or ()
        if is_name(a.get("text"))
    ]
    return _link_keys(row.get("event_class"), actors, row.get("trigger_start"), row.get("trigger"))


def _link_keys(
    event_class: str | None, actors: list[tuple], trigger_start: int | None, trigger: str | None
) -> tuple[str, ...]:
    """`link_keys` from the row's class, its named actors ((normalised name, type, surface
    text, start), names only: `is_name`), trigger start and trigger."""
    if not event_class or event_class in compat_rules()["never"]:
        return ()
    rule = compat_rules()["link"].get(event_class, "any")
    if rule == "place":
        places = [name for name, kind, _, _ in actors if kind == "place"]
        if places:
            return tuple(sorted({"place:" + n for n in places}))
        # no place named: the people in it ("Slepian was shot", typed person, or other when
        # the name table does not know it), never a place-less mention of another town
        return tuple(sorted({"actor:" + n for n, kind, _, _ in actors if kind in NOT_PLACE}))
    if rule == "speaker":
        if trigger_start is None:
            return ()
        speaker = _speaker(actors, trigger_start, len(trigger or ""))
        return ("speaker:" + speaker,) if speaker else ()
    return tuple(sorted({"actor:" + n for n, _, _, _ in actors}))


def is_name(text: str | None) -> bool:
    """Only names link mentions: an actor that starts with a capital letter ("Kenya", "U.S.",
    "INS"), not a common noun the chunker also returns ("government", "authorities"): two
    governments condemning on one day are two statements."""
    return bool(text) and text[0].isupper()


def _speaker(actors: list[tuple], trigger_start: int, trigger_len: int) -> str | None:
    """The speaker of a reporting verb: the person or organisation closest before it (the
    subject: "Albright said"), else one that starts right after it ("said Albright"); None
    when there is neither (a missed link is better than a wrong one)."""
    people = [
        (start or 0, family_name(name) if kind == "person" else name)
        for name, kind, _, start in actors
        if kind in PERSON_OR_ORG
    ]
    before = [p for p in people if p[0] < trigger_start]
    if before:
        return max(before)[1]
    limit = trigger_start + trigger_len + SPEAKER_AFTER_CHARS
    after = [p for p in people if trigger_start < p[0] <= limit]
    return min(after)[1] if after else None


def family_name(name: str) -> str:
    """The last word of a normalised person's name, titles and given names dropped, so that a
    speaker is one person however a report names them ("INS Commissioner Doris Meissner" =
    "Meissner" said); names with a joiner word ("... of ...") are kept whole."""
    words = name.split()
    if len(words) < 2 or NOT_A_PERSONAL_NAME.intersection(words):
        return name
    return words[-1]


def cluster(summaries: list[tuple]) -> list[list[tuple]]:
    """Connected components of the link relation, each sorted by mention_id; the list sorted by
    each component's smallest mention_id. Linear in the mentions times their actors: each
    mention is joined to the first earlier mention that shares a link key and a compatible
    class (union-find), never compared with every other mention. A key of one mention (most
    keys: 92% on the bench pages) is its own cluster."""
    if len(summaries) == 1:
        return [list(summaries)]
    ordered = sorted(summaries, key=_order)
    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    first_of: dict[tuple, int] = {}  # (link key, class) -> first mention with it
    first_copy: dict[tuple, int] = {}  # copies of one text or one sentence -> first row
    for i, summary in enumerate(ordered):
        for copy in summary[COPIES]:
            if copy in first_copy:
                union(first_copy[copy], i)
            first_copy.setdefault(copy, i)
        own = summary[EVENT_CLASS]
        for key in summary[LINKS]:
            for other_class in _compatible_classes(own):
                j = first_of.get((key, other_class))
                if j is not None:
                    union(j, i)
            first_of.setdefault((key, own), i)
    groups: dict[int, list[tuple]] = {}
    for i, summary in enumerate(ordered):
        groups.setdefault(find(i), []).append(summary)
    return [groups[root] for root in sorted(groups)]


def copy_keys(row: dict) -> tuple[str, ...]:
    """Keys that make two mentions copies of one report, whatever their class and actors: the
    same mention_id (copies of one text), or the same sentence (white space folded) with the
    same trigger at the same place in it (a wire story reprinted under another header)."""
    return _copy_keys(
        row.get("mention_id") or row["event_id"],
        row.get("sentence"),
        row.get("trigger_start"),
        row.get("sentence_start"),
        row.get("trigger"),
    )


def _copy_keys(
    mention_id: str,
    sentence: str | None,
    trigger_start: int | None,
    sentence_start: int | None,
    trigger: str | None,
) -> tuple[str, ...]:
    keys: tuple[str, ...] = ("m:" + mention_id,)
    if sentence and trigger_start is not None and sentence_start is not None:
        at = trigger_start - sentence_start
        text = f"{' '.join(sentence.split())}\x00{at}\x00{trigger}"
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8)
        keys += ("s:" + digest.hexdigest(),)
    return keys


def _order(summary: tuple) -> tuple:
    return (summary[MENTION_ID], summary[SOURCE], summary[PATH])


@cache
def _classes_of_group(group: str) -> tuple[str, ...]:
    return tuple(sorted(c for c, g in compat_rules()["group"].items() if g == group))


def _compatible_classes(event_class: str | None) -> tuple[str, ...]:
    if not event_class or event_class in compat_rules()["never"]:
        return ()
    return _classes_of_group(class_group(event_class)) or (event_class,)
