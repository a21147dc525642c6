"""`newsline export-timeml`: one document's body as TimeML 1.2.

    <TimeML>
      <DOCID>, <DCT><TIMEX3 functionInDocument="CREATION_TIME" .../></DCT>, <TITLE>
      <TEXT> the body, every temporal expression as <TIMEX3 tid type value [mod]>, every
             trigger as <EVENT eid class> </TEXT>
      <MAKEINSTANCE eiid eventID tense aspect polarity pos/> per EVENT
      <TLINK lid relType="IS_INCLUDED" eventInstanceID relatedToTime/> from each event to the
             date expression that anchors it
    </TimeML>

The text inside <TEXT> is the stored body (`documents.body`: the kept lines joined with `\\n`),
so `''.join(TEXT.itertext()) == body`. TIMEX3 come from `documents.timexes` (all types; `mod`
where the output has it). EVENTs and TLINKs come from the events table's `trigger_start`,
`trigger_end`, `event_class`, `tense` and `date_role` columns where the output has them (only
rows whose date_role is `event`); an output without triggers exports TIMEX3 only.

DCT: the publication date; without one, the anchor the job resolved dates against when it was
inferred from the text (a comment says so); otherwise no DCT (a comment says why).
Characters XML 1.0 cannot hold (control characters, lone surrogates) become U+FFFD, one for
one, so offsets are unchanged.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

import pyarrow.compute as pc

from transforms.output.report.docview import DOC_COLUMNS
from transforms.output.report.tables import Output, OutputError

# newsline's event_class values that are TimeML classes of their own; every other class is an
# OCCURRENCE (TimeML 1.2.1 guidelines, section 2.2: REPORTING, PERCEPTION, ASPECTUAL, I_ACTION,
# I_STATE, STATE, OCCURRENCE).
TIMEML_CLASSES = {"REPORTING", "PERCEPTION", "ASPECTUAL", "I_ACTION", "I_STATE", "STATE"}
CLASS_ALIASES = {"report": "REPORTING", "statement": "REPORTING", "state": "STATE"}
TENSES = {"past": "PAST", "present": "PRESENT", "future": "FUTURE"}
EVENT_COLUMNS = ["doc_id", "char_start", "char_end", "trigger_start", "trigger_end"]
EVENT_COLUMNS += ["trigger", "event_class", "tense", "date_role"]
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Anchor sources that are a stated publication date, not an inference.
STATED = {"prefix", "field", "text", "header"}


def clean(text: str) -> str:
    """Text XML 1.0 can hold: forbidden characters replaced one for one by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def timeml_class(event_class: str | None) -> str:
    """The TimeML EVENT class of a newsline event_class (see TIMEML_CLASSES)."""
    value = (event_class or "").strip()
    if value.upper() in TIMEML_CLASSES:
        return value.upper()
    return CLASS_ALIASES.get(value.lower(), "OCCURRENCE")


def export_timeml(folder: str, doc_id: str, source: str | None = None) -> str:
    """The TimeML document (a str, UTF-8 XML) of one document of the output version `folder`:
    the copy read from `source`, or, when `source` is None, the first of its sources in sorted
    order (copies of one text share the doc_id; see :func:`export_copy`).

    Raises OutputError when no document has this doc_id, or none of its copies this source."""
    return export_copy(folder, doc_id, source)[0]


def export_copy(folder: str, doc_id: str, source: str | None = None) -> tuple[str, list[str]]:
    """(the TimeML of :func:`export_timeml`, every source `doc_id` was read from, sorted):
    several sources when copies of one text were read. Reads the documents table once.

    Raises OutputError as :func:`export_timeml`."""
    output = Output(folder)
    table = output.read("documents", DOC_COLUMNS, pc.field("doc_id") == doc_id)
    rows = sorted(table.to_pylist(), key=lambda r: r.get("source") or "")
    if not rows:
        raise OutputError(f"no document with doc_id {doc_id}")
    sources = [r.get("source") or "" for r in rows]
    if source is not None:
        rows = [r for r in rows if r.get("source") == source]
        if not rows:
            raise OutputError(f"doc_id {doc_id} was not read from {source!r}")
    doc = rows[0]
    events = output.read("events", [*EVENT_COLUMNS, "source"], pc.field("doc_id") == doc_id)
    events = [e for e in events.to_pylist() if e.get("source", doc.get("source")) == doc["source"]]
    return document_timeml(doc, events), sources


def document_timeml(doc: dict, events: list[dict]) -> str:
    """TimeML of one `documents` row and its `events` rows (see the module docstring)."""
    lines = (doc.get("body") or "").split("\n")
    spans = doc.get("body_spans") or []
    if len(lines) != len(spans) or any(
        len(line) != s["end"] - s["start"] for line, s in zip(lines, spans, strict=False)
    ):
        raise OutputError(f"document {doc.get('doc_id')}: body lines do not match body_spans")
    # file offset -> body offset, line by line
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1

    def to_body(start: int, end: int) -> tuple[int, int] | None:
        for k, s in enumerate(spans):
            if s["start"] <= start and end <= s["end"]:
                return starts[k] + start - s["start"], starts[k] + end - s["start"]
        return None

    tags = []  # (body start, body end, kind, attributes)
    tids: dict[tuple[int, int], str] = {}
    for t in sorted(doc.get("timexes") or [], key=lambda t: (t["char_start"], t["char_end"])):
        where = to_body(t["char_start"], t["char_end"])
        if where is None:
            continue
        tid = f"t{len(tids) + 1}"
        tids[(t["char_start"], t["char_end"])] = tid
        attrs = {"tid": tid, "type": t.get("timex_type") or "DATE", "value": t.get("value") or ""}
        if t.get("mod"):
            attrs["mod"] = t["mod"]
        tags.append((*where, "TIMEX3", attrs))
    instances, links = _events(events, to_body, tids, tags)
    body = "\n".join(lines)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<TimeML>"]
    parts.append(_comment(f"newsline export-timeml of {doc.get('source') or ''}"))
    parts.append(f"<DOCID>{escape(clean(doc.get('doc_id') or ''))}</DOCID>")
    parts.extend(_dct(doc))
    if doc.get("title"):
        parts.append(f"<TITLE>{escape(clean(doc['title']))}</TITLE>")
    parts.append("<TEXT>" + _tagged(body, tags) + "</TEXT>")
    parts.extend(instances)
    parts.extend(links)
    parts.append("</TimeML>")
    return "\n".join(parts) + "\n"


def _events(events, to_body, tids, tags) -> tuple[list[str], list[str]]:
    """EVENT tags (appended to tags), MAKEINSTANCE and TLINK elements."""
    taken = [(a, b) for a, b, _, _ in tags]
    eids: dict[tuple[int, int], str] = {}
    instances, links = [], []
    ordered = sorted(events, key=lambda e: (e.get("trigger_start") or -1, e.get("char_start")))
    for event in ordered:
        if event.get("date_role", "event") not in ("event", None):
            continue
        ts, te = event.get("trigger_start"), event.get("trigger_end")
        if ts is None or te is None:
            continue
        key = (ts, te)
        if key not in eids:
            where = to_body(ts, te)
            if where is None or any(a < where[1] and where[0] < b for a, b in taken):
                continue  # outside the body, or crossing a TIMEX3: tags cannot overlap
            eid = f"e{len(eids) + 1}"
            eids[key] = eid
            taken.append(where)
            tags.append(
                (*where, "EVENT", {"eid": eid, "class": timeml_class(event.get("event_class"))})
            )
            instances.append(
                "<MAKEINSTANCE "
                + _attrs(
                    {
                        "eiid": "ei" + eid[1:],
                        "eventID": eid,
                        "tense": TENSES.get((event.get("tense") or "").lower(), "NONE"),
                        "aspect": "NONE",
                        "polarity": "POS",
                        "pos": "UNKNOWN",
                    }
                )
                + "/>"
            )
        tid = tids.get((event.get("char_start"), event.get("char_end")))
        if tid is not None:
            attrs = {
                "lid": f"l{len(links) + 1}",
                "relType": "IS_INCLUDED",
                "eventInstanceID": "ei" + eids[key][1:],
                "relatedToTime": tid,
            }
            links.append("<TLINK " + _attrs(attrs) + "/>")
    return instances, links


def _tagged(body: str, tags: list[tuple]) -> str:
    """The body with the (non-overlapping) tags inserted, all text escaped."""
    out, pos = [], 0
    for start, end, name, attrs in sorted(tags, key=lambda t: (t[0], t[1])):
        if start < pos:
            continue
        out.append(escape(clean(body[pos:start])))
        out.append(f"<{name} {_attrs(attrs)}>{escape(clean(body[start:end]))}</{name}>")
        pos = end
    out.append(escape(clean(body[pos:])))
    return "".join(out)


def _dct(doc: dict) -> list[str]:
    published, anchor = doc.get("published"), doc.get("anchor_date")
    source = doc.get("anchor_source") or "none"
    if published is not None:
        how = doc.get("published_source") or "prefix"
        return [_comment(f"DCT: the publication date (from {how})"), _dct_timex(published)]
    if anchor is not None and source not in STATED:
        return [
            _comment(
                f"DCT: no publication date is known; this is the anchor inferred from the text "
                f"(anchor_source={source}), which relative dates were resolved against"
            ),
            _dct_timex(anchor),
        ]
    return [_comment("no DCT: the publication date is unknown and no anchor was inferred")]


def _dct_timex(day) -> str:
    value = day.isoformat()
    attrs = {
        "tid": "t0",
        "type": "DATE",
        "value": value,
        "temporalFunction": "false",
        "functionInDocument": "CREATION_TIME",
    }
    return f"<DCT><TIMEX3 {_attrs(attrs)}>{value}</TIMEX3></DCT>"


def _attrs(attrs: dict) -> str:
    return " ".join(f"{k}={quoteattr(clean(str(v)))}" for k, v in attrs.items())


def _comment(text: str) -> str:
    safe = clean(text).replace("--", "- -").rstrip("-")
    return f"<!-- {safe} -->"
