"""TimeML EVENTs, their instances and time-event TLINKs, for scoring the event stage.

Offsets are code-point offsets into the ``<TEXT>`` content with every tag removed (the same
text and offsets as :mod:`eval.timeml`).  An anchoring item is a DATE TIMEX3 with an
inclusion-type TLINK (``INCLUSION_TYPES``) to an EVENT in the same sentence.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from eval.timeml import GoldTimex, TimeMLDoc, parse_timeml

# TimeML relation types that say the event happens within (or at the edges of) the time.
INCLUSION_TYPES = frozenset(
    {"IS_INCLUDED", "INCLUDES", "DURING", "SIMULTANEOUS", "BEGINS", "ENDS", "BEGUN_BY", "ENDED_BY"}
)


@dataclass(frozen=True)
class GoldEvent:
    eid: str
    start: int
    end: int
    text: str
    event_class: str
    tense: str  # MAKEINSTANCE tense of its first instance: PAST, PRESENT, FUTURE, NONE, ...


@dataclass(frozen=True)
class EventDoc:
    """A TimeML document with its events and, per TIMEX3 tid, the events it is linked to."""

    doc: TimeMLDoc
    timexes: dict[str, GoldTimex]  # tid -> timex
    events: dict[str, GoldEvent]  # eid -> event
    links: dict[str, frozenset[str]]  # tid -> eids with an inclusion-type TLINK


def _walk(elem: ET.Element, parts: list[str], pos: int, tags: list) -> int:
    if elem.text:
        parts.append(elem.text)
        pos += len(elem.text)
    for child in elem:
        start = pos
        pos = _walk(child, parts, pos, tags)
        if child.tag in ("TIMEX3", "EVENT"):
            tags.append((child, start, pos))
        if child.tail:
            parts.append(child.tail)
            pos += len(child.tail)
    return pos


def parse_events(path: str | Path, corpus: str = "") -> EventDoc:
    """One TimeML file: its text (as eval.timeml), TIMEX3s by tid, EVENTs by eid, links."""
    doc = parse_timeml(path, corpus)
    root = ET.parse(path).getroot()
    parts: list[str] = []
    tags: list = []
    text_elem = root.find("TEXT")
    if text_elem is not None:
        _walk(text_elem, parts, 0, tags)
    text = "".join(parts)
    assert text == doc.text
    tense_of: dict[str, str] = {}
    instance_event: dict[str, str] = {}
    for inst in root.iter("MAKEINSTANCE"):
        eid, eiid = inst.get("eventID", ""), inst.get("eiid", "")
        instance_event[eiid] = eid
        tense_of.setdefault(eid, inst.get("tense", "NONE"))
    timexes: dict[str, GoldTimex] = {}
    events: dict[str, GoldEvent] = {}
    for elem, start, end in tags:
        if elem.tag == "TIMEX3":
            timexes[elem.get("tid", "")] = GoldTimex(
                start, end, text[start:end], elem.get("type", ""), elem.get("value", "")
            )
        else:
            eid = elem.get("eid", "")
            events[eid] = GoldEvent(
                eid, start, end, text[start:end], elem.get("class", ""), tense_of.get(eid, "NONE")
            )
    links: dict[str, set[str]] = {}
    for link in root.iter("TLINK"):
        if link.get("relType") not in INCLUSION_TYPES:
            continue
        tid = link.get("timeID") or link.get("relatedToTime")
        eiid = link.get("eventInstanceID") or link.get("relatedToEventInstance")
        if tid and eiid and eiid in instance_event and tid in timexes:
            links.setdefault(tid, set()).add(instance_event[eiid])
    return EventDoc(doc, timexes, events, {k: frozenset(v) for k, v in links.items()})


def load_event_corpus(root: str | Path) -> list[EventDoc]:
    """All documents of ``root``/TimeBank and ``root``/AQUAINT, sorted by corpus and name."""
    return [
        parse_events(path, corpus)
        for corpus in ("TimeBank", "AQUAINT")
        for path in sorted((Path(root) / corpus).glob("*.tml"))
    ]
