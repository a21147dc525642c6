"""Derive the event stage's word tables from WordNet 3.0 (Debian package ``wordnet-base``).

``python -m eval.build_event_lexicon [--wordnet /usr/share/wordnet]`` writes

* ``transforms/events/rules/event_lexicon.tsv``: one word (a WordNet lemma, ``_`` -> space) per line
  with SemCor sense-tag counts by part of speech (from ``cntlist.rev``): verb, noun, noun in an
  event-like lexicographer file (noun.act, noun.event, noun.phenomenon, noun.process), adjective,
  the lexicographer file of its most frequent verb sense and of its first noun sense;
* ``transforms/events/rules/event_irregular.tsv``: irregular inflections (``verb.exc``,
  ``noun.exc``);
* ``transforms/events/rules/event_names.tsv``: capitalised WordNet instance names with a type
  (noun.location -> place, noun.group -> org, noun.person -> person).

Run once by a developer; the job only reads the written files (nothing is fetched at run time).
Licence: WordNet 3.0, Princeton University (redistribution permitted with the notice, which the
files carry in their header lines).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "transforms/rules"
HEADER = (
    "# source: WordNet 3.0 (Debian package wordnet-base), derived by eval/build_event_lexicon.py\n"
    "# licence: WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.\n"
    "#   Permission to use, copy, modify and distribute this database for any purpose and\n"
    "#   without fee or royalty is granted, provided this notice appears on all copies.\n"
    "#   THE DATABASE IS PROVIDED 'AS IS' AND PRINCETON UNIVERSITY MAKES NO WARRANTIES.\n"
)
LEXFILES = {
    "03": "Tops", "04": "act", "05": "animal", "06": "artifact", "07": "attribute",
    "08": "body", "09": "cognition", "10": "communication", "11": "event", "12": "feeling",
    "13": "food", "14": "group", "15": "location", "16": "motive", "17": "object",
    "18": "person", "19": "phenomenon", "20": "plant", "21": "possession", "22": "process",
    "23": "quantity", "24": "relation", "25": "shape", "26": "state", "27": "substance",
    "28": "time", "29": "body", "30": "change", "31": "cognition", "32": "communication",
    "33": "competition", "34": "consumption", "35": "contact", "36": "creation",
    "37": "emotion", "38": "motion", "39": "perception", "40": "possession", "41": "social",
    "42": "stative", "43": "weather",
}  # fmt: skip
EVENT_NOUN_FILES = {"04", "11", "19", "22"}
NAME_TYPES = {"15": "place", "14": "org", "18": "person"}
RANK = {"place": 0, "org": 1, "person": 2}


def _first_sense_files(wn: Path, pos: str) -> dict[str, str]:
    """lemma -> lexicographer file number of its first (most frequent) sense."""
    offsets: dict[str, str] = {}
    for line in (wn / f"index.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split()
        offsets[parts[0]] = parts[-int(parts[2])]  # first sense = most frequent
    files: dict[str, str] = {}
    data = (wn / f"data.{pos}").read_text(encoding="latin-1")
    by_offset = {}
    for line in data.splitlines():
        if not line.startswith(" "):
            by_offset[line[:8]] = line[9:11]
    for lemma, off in offsets.items():
        files[lemma] = by_offset.get(off, "")
    return files


def _deverbal(wn: Path) -> set[str]:
    """Nouns with a derivational link to a verb in one of their first two senses
    ("declaration" -> declare, "loss" -> lose): nominalisations, often events."""
    first_two: dict[str, set[str]] = {}
    for line in (wn / "index.noun").read_text(encoding="latin-1").splitlines():
        if not line.startswith(" "):
            parts = line.split()
            n = int(parts[2])
            first_two[parts[0]] = set(parts[len(parts) - n :][:2])
    wanted = {off for offs in first_two.values() for off in offs}
    linked: dict[str, set[str]] = {}
    for line in (wn / "data.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith(" ") or line[:8] not in wanted:
            continue
        parts = line.split("|")[0].split()
        n_words = int(parts[3], 16)
        words = [parts[4 + 2 * k].lower() for k in range(n_words)]
        p = 4 + 2 * n_words
        for k in range(int(parts[p])):
            symbol, _, pos, src_tgt = parts[p + 1 + 4 * k : p + 5 + 4 * k]
            if symbol == "+" and pos == "v":
                src = int(src_tgt[:2], 16)
                for w in words if src == 0 else [words[src - 1]]:
                    linked.setdefault(w, set()).add(line[:8])
    return {w for w, offs in first_two.items() if offs & linked.get(w, set())}


def build(wn: Path) -> None:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    verb_files: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in (wn / "cntlist.rev").read_text(encoding="latin-1").splitlines():
        key, _, n = line.split()
        lemma, rest = key.split("%", 1)
        ss_type, lexfile = rest[0], rest[2:4]
        n_tags = int(n)
        if ss_type == "2":
            counts[lemma]["v"] += n_tags
            verb_files[lemma][lexfile] += n_tags
        elif ss_type == "1":
            counts[lemma]["n"] += n_tags
            if lexfile in EVENT_NOUN_FILES:
                counts[lemma]["ne"] += n_tags
        else:
            counts[lemma]["a"] += n_tags
    noun_first = _first_sense_files(wn, "noun")
    verb_first = _first_sense_files(wn, "verb")
    rows = []
    eventish = {w for w, f in noun_first.items() if f in EVENT_NOUN_FILES}
    eventish |= {w for w, c in counts.items() if c.get("ne")}
    deverbal = _deverbal(wn)
    eventish |= deverbal
    # -ed / -ing words with their own noun or adjective senses ("closed", "trading"): their
    # tags compete with the verb reading of the same form.
    participles = {
        w for w, c in counts.items() if w.endswith(("ed", "ing")) and (c.get("n") or c.get("a"))
    }
    for lemma in sorted(set(verb_first) | eventish | participles):
        if not lemma.replace("_", "").replace("-", "").isalpha() or lemma.count("_") > 1:
            continue
        c = counts.get(lemma, {})
        vfiles = verb_files.get(lemma)
        vfile = max(vfiles, key=vfiles.get) if vfiles else verb_first.get(lemma, "")
        cells = [
            lemma.replace("_", " "),
            c.get("v", 0),
            c.get("n", 0),
            c.get("ne", 0),
            c.get("a", 0),
        ]
        cells += [LEXFILES.get(vfile, "-"), LEXFILES.get(noun_first.get(lemma, ""), "-")]
        cells.append(int(lemma in deverbal))
        rows.append("\t".join(str(x) for x in cells))
    head = (
        "# columns: word, verb_tags, noun_tags, event_noun_tags, adj_tags, verb_file, noun_file,"
        " deverbal (1: a first-two noun sense is derived from a verb)\n"
    )
    (OUT / "event_lexicon.tsv").write_text(HEADER + head + "\n".join(rows) + "\n", "utf-8")

    irregular = []
    for pos in ("verb", "noun"):
        for line in (wn / f"{pos}.exc").read_text(encoding="latin-1").splitlines():
            form, lemma = line.split()[:2]
            if "_" not in form and form.isalpha():
                irregular.append(f"{form}\t{lemma}\t{pos[0]}")
    head = "# columns: inflected form, lemma, part of speech (v|n)\n"
    (OUT / "event_irregular.tsv").write_text(HEADER + head + "\n".join(irregular) + "\n", "utf-8")

    names: dict[str, str] = {}
    for line in (wn / "data.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split()
        kind = NAME_TYPES.get(parts[1])
        if kind is None:  # capitalised synonyms of these files are names ("Syria", "NATO")
            continue
        for k in range(int(parts[3], 16)):
            word = parts[4 + 2 * k].replace("_", " ")
            if word[:1].isupper() and word.count(" ") <= 3 and "(" not in word:
                if RANK[kind] < RANK[names.get(word, "person")] or word not in names:
                    names[word] = kind  # a place before an org before a person ("Washington")
    rows = [f"{w}\t{t}" for w, t in sorted(names.items())]
    head = "# columns: name, type (place|org|person)\n"
    (OUT / "event_names.tsv").write_text(HEADER + head + "\n".join(rows) + "\n", "utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    build(parser.parse_args().wordnet)
