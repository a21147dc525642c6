"""`newsline export-timeml`: round trips through an XML parser, values and links checked.

On the seeds' real output (TIMEX3 only while the output has no trigger columns), and on a copy
of it whose events table gains the trigger columns of the events issue (trigger_start,
trigger_end, event_class, tense, date_role), set from the seed text itself, to check EVENT,
MAKEINSTANCE and TLINK, and on copies whose documents lose their publication date (DCT from an
inferred anchor, or no DCT).
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline import commands
from tests.conftest import SEEDS
from transforms.output.report.tables import OutputError
from transforms.output.report.timeml import clean, export_timeml, timeml_class

pytestmark = pytest.mark.slow  # every test reads the job's output on the seeds


def table(out, name: str) -> pa.Table:
    return ds.dataset(out / name, format="parquet", partitioning="hive").to_table()


def doc_of(out, seed: str) -> dict:
    rows = [r for r in table(out, "documents").to_pylist() if r["source"].endswith(seed)]
    assert len(rows) == 1
    return rows[0]


def parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode("utf-8"))


def test_seed_timexes_round_trip(seeds_run, tmp_path):
    out, _ = seeds_run
    doc = doc_of(out, "000_ec7d9c84d5a6a506.txt")
    target = tmp_path / "000.tml"
    assert commands.main(["export-timeml", str(out), doc["doc_id"], "--out", str(target)]) == 0
    root = parse(target.read_text(encoding="utf-8"))
    text = root.find("TEXT")
    assert "".join(text.itertext()) == doc["body"]
    timexes = [(t.text, t.get("type"), t.get("value")) for t in text.iter("TIMEX3")]
    stored = [(t["text"], t["timex_type"], t["value"]) for t in doc["timexes"]]
    assert timexes == stored
    assert ("October 27, 2019", "DATE", "2019-10-27") in timexes
    assert len({t.get("tid") for t in text.iter("TIMEX3")}) == len(timexes)
    dct = root.find("DCT/TIMEX3")
    assert (dct.get("value"), dct.get("functionInDocument")) == ("2020-10-27", "CREATION_TIME")
    # the seeds' real triggers: the 2019-10-27 operation is an EVENT linked to its date
    events = {e.get("eid"): e.text for e in text.iter("EVENT")}
    instances = {i.get("eiid"): i.get("eventID") for i in root.findall("MAKEINSTANCE")}
    values = {t.get("tid"): t.get("value") for t in text.iter("TIMEX3")}
    linked = {
        (events[instances[link.get("eventInstanceID")]], values[link.get("relatedToTime")])
        for link in root.findall("TLINK")
    }
    assert {t for t, v in linked if v == "2019-10-27"} & {"took out", "launched", "operation"}


def with_triggers(out, tmp_path):
    """A copy of the output whose events carry only triggers set here from the seed text."""
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    events = table(copy, "events")
    rows = events.to_pylist()
    for row in rows:
        sentence, start = row["sentence"], row["sentence_start"]
        for word, cls in (("highlighted", "report"), ("took out", "attack"), ("strike", "attack")):
            at = sentence.find(word)
            if at >= 0:
                row.update(trigger=word, trigger_start=start + at, event_class=cls)
                row["trigger_end"] = row["trigger_start"] + len(word)
                break
        else:  # only the triggers set here: the job's own are replaced
            row.update(trigger=None, trigger_start=None, trigger_end=None)
        row["tense"] = "past"
        row["date_role"] = "other" if row["date_text"] == "Today" else "event"
    schema = events.schema
    for name, kind in (("trigger_start", pa.int64()), ("trigger_end", pa.int64())):
        if name not in schema.names:
            schema = schema.append(pa.field(name, kind))
    for name in ("trigger", "event_class", "tense", "date_role"):
        if name not in schema.names:
            schema = schema.append(pa.field(name, pa.string()))
    shutil.rmtree(copy / "events")
    (copy / "events").mkdir()
    names = [n for n in schema.names if n not in ("year", "month")]
    rows = [{k: r.get(k) for k in names} for r in rows]
    keep = pa.schema([schema.field(n) for n in names])
    pq.write_table(pa.Table.from_pylist(rows, schema=keep), copy / "events" / "part-0.parquet")
    return copy


def test_events_and_links(seeds_run, tmp_path):
    out = with_triggers(seeds_run[0], tmp_path)
    doc = doc_of(out, "000_ec7d9c84d5a6a506.txt")
    root = parse(export_timeml(str(out), doc["doc_id"]))
    text = root.find("TEXT")
    assert "".join(text.itertext()) == doc["body"]
    events = {e.get("eid"): e for e in text.iter("EVENT")}
    times = {t.get("tid"): t for t in text.iter("TIMEX3")}
    instances = {i.get("eiid"): i for i in root.findall("MAKEINSTANCE")}
    assert {e.text for e in events.values()} == {"took out", "highlighted"}
    assert {i.get("eventID") for i in instances.values()} == set(events)
    links = {}
    for link in root.findall("TLINK"):
        event = events[instances[link.get("eventInstanceID")].get("eventID")]
        links.setdefault(event.text, set()).add(times[link.get("relatedToTime")].get("value"))
        assert link.get("relType") == "IS_INCLUDED"
    assert "2019-10-27" in links["took out"]
    assert links["highlighted"] == {"2020-10-27"}  # Tuesday and October 27 of that sentence
    took_out = next(e for e in events.values() if e.text == "took out")
    assert took_out.get("class") == "OCCURRENCE"
    assert next(e for e in events.values() if e.text == "highlighted").get("class") == "REPORTING"
    assert {i.get("tense") for i in instances.values()} == {"PAST"}
    # "Today" has date_role other: it anchors no event
    today = next(t for t in times.values() if t.text == "Today")
    assert today.get("tid") not in {link.get("relatedToTime") for link in root.findall("TLINK")}


def rewrite_documents(out, tmp_path, **changes):
    copy = tmp_path / "docs"
    shutil.copytree(out, copy)
    docs = table(copy, "documents")
    rows = [{**r, **changes} for r in docs.to_pylist()]
    names = [n for n in docs.schema.names if n != "year"]
    shutil.rmtree(copy / "documents")
    (copy / "documents").mkdir()
    schema = pa.schema([docs.schema.field(n) for n in names])
    rows = [{k: r[k] for k in names} for r in rows]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), copy / "documents" / "p.parquet")
    return copy


def test_dct_from_inferred_anchor_says_so(seeds_run, tmp_path):
    import datetime as dt

    out = rewrite_documents(
        seeds_run[0],
        tmp_path,
        published=None,
        anchor_date=dt.date(2023, 7, 9),
        anchor_source="inferred",
    )
    doc = doc_of(out, "001_efd19878b02be60d.txt")
    xml = export_timeml(str(out), doc["doc_id"])
    assert "anchor inferred from the text (anchor_source=inferred)" in xml
    assert parse(xml).find("DCT/TIMEX3").get("value") == "2023-07-09"


def test_no_dct_without_date_or_anchor(seeds_run):
    out, _ = seeds_run
    doc = doc_of(out, "001_efd19878b02be60d.txt")
    assert doc["published"] is None and doc["anchor_date"] is None
    xml = export_timeml(str(out), doc["doc_id"])
    assert parse(xml).find("DCT") is None
    assert "no DCT" in xml
    assert [t.get("value") for t in parse(xml).iter("TIMEX3")][:2] == ["XXXX-WXX-7", "XXXX-07-07"]


def test_unknown_doc_id_and_xml_safety(seeds_run, capsys):
    out, _ = seeds_run
    assert commands.main(["export-timeml", str(out), "0000"]) == 2
    assert "no document with doc_id 0000" in capsys.readouterr().err
    with pytest.raises(OutputError):
        export_timeml(str(out), "0000")
    assert clean("a\x00b\x1fc\ud800d") == "a\ufffdb\ufffdc\ufffdd"
    assert timeml_class("I_STATE") == "I_STATE" and timeml_class(None) == "OCCURRENCE"


def test_copies_of_one_text_export_the_source_asked_for(tmp_path, capsys):
    """Copies of one text share a doc_id: the export says which source it took and how to choose
    another, and --source picks that copy's document row and event rows."""
    from pipeline.run import run

    seed = sorted(SEEDS.glob("*.txt"))[0]
    (tmp_path / "in").mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(seed, tmp_path / "in" / name)
    out = tmp_path / "out"
    run(["--input", str(tmp_path / "in"), "--output", str(out)])
    doc_id = table(out, "documents").column("doc_id")[0].as_py()
    capsys.readouterr()

    assert commands.main(["export-timeml", str(out), doc_id]) == 0
    captured = capsys.readouterr()
    assert "a.txt" in captured.out.split("\n")[2]  # the comment naming the exported source
    assert "read from 2 sources" in captured.err and "b.txt" in captured.err

    b = str(tmp_path / "in" / "b.txt")
    xml = export_timeml(str(out), doc_id, source=b)
    assert f"export-timeml of {b}" in xml
    assert len(list(parse(xml).iter("EVENT"))) == len(
        list(parse(export_timeml(str(out), doc_id)).iter("EVENT"))
    )
    assert commands.main(["export-timeml", str(out), doc_id, "--source", "nope"]) == 2
    assert "was not read from 'nope'" in capsys.readouterr().err
