"""Cross-document event ids: the link rules (as data, with their examples), determinism, the
aggregates of a cluster (the composite: tests/test_timeline_blocks.py)."""

from __future__ import annotations

import datetime as dt
import random

import yaml

from transforms.events import coref
from transforms.output.timeline import aggregates, id_changes, representative

DAY = dt.date(1998, 8, 7)


def row(mid, doc, cls, actors, day=DAY, gran="day", value=None, published=DAY, source=None):
    return {
        "mention_id": mid,
        "event_id": mid,
        "doc_id": doc,
        "source": source or f"/in/{doc}.txt",
        "published": published,
        "date_start": day,
        "date_end": day,
        "granularity": gran,
        "timex_value": value or (day.isoformat() if day else "XXXX-08-07"),
        "trigger": cls,
        "event_class": cls,
        "actors": [{"text": t, "type": k, "start": s, "end": s + len(t)} for t, k, s in actors],
        "sentence": f"sentence of {mid}",
        "sentence_start": 0,
        "sentence_end": 10,
        "trigger_start": 50,
    }


def summaries(rows):
    return [coref.summarize(r, f"/staged/{r['doc_id']}.parquet") for r in rows]


def ids(clusters):
    return [[m[coref.MENTION_ID] for m in c] for c in clusters]


def test_rule_examples_in_the_data_files():
    compat = yaml.safe_load((coref.RULES / "event_compat.yaml").read_text())
    for ex in compat["examples"]:
        assert coref.compatible(ex["a"], ex["b"]) is ex["compatible"], ex
    aliases = yaml.safe_load((coref.RULES / "actor_aliases.yaml").read_text())
    for ex in aliases["examples"]:
        assert coref.normalize_actor(ex["a"]) == coref.normalize_actor(ex["b"]), ex
    assert coref.normalize_actor("U.S.") == coref.normalize_actor("US") == "united states"
    assert coref.normalize_actor("Kenya") != coref.normalize_actor("Tanzania")


def test_incidents_link_by_a_shared_place_across_documents():
    rows = [
        row("b1", "d1", "attack", [("Nairobi", "place", 0), ("U.S.", "place", 10)]),
        row("a2", "d2", "death", [("United States", "place", 0)]),
        row("c3", "d3", "attack", [("Dar es Salaam", "place", 0)]),  # the other bombing
        row("d4", "d4", "report", [("Nairobi", "place", 0)]),  # a statement: not compatible
    ]
    assert ids(coref.cluster(summaries(rows))) == [["a2", "b1"], ["c3"], ["d4"]]


def test_statements_link_by_the_same_speaker_only():
    rows = [
        row("s1", "d1", "report", [("Albright", "person", 0), ("Nairobi", "place", 60)]),
        row("s2", "d2", "statement", [("Albright", "person", 5)]),
        row("s3", "d3", "report", [("Clinton", "person", 0), ("Albright", "person", 70)]),
    ]
    assert ids(coref.cluster(summaries(rows))) == [["s1", "s2"], ["s3"]]


def test_other_classes_and_no_actors_never_link_but_copies_do():
    rows = [
        row("o1", "d1", "other", [("NATO", "org", 0)]),
        row("o2", "d2", "other", [("NATO", "org", 0)]),
        row("e1", "d3", "election", []),
        row("e2", "d4", "election", []),
        row("e1", "d3", "election", [], source="/mirror/d3.txt"),  # a copy of d3
    ]
    assert ids(coref.cluster(summaries(rows))) == [["e1", "e1"], ["e2"], ["o1"], ["o2"]]


def test_coarse_dates_are_keyed_per_document():
    a = row("m1", "d1", "election", [], day=dt.date(1998, 1, 1), gran="year")
    b = row("m2", "d2", "election", [], day=dt.date(1998, 1, 1), gran="year")
    c = row("m3", "d1", "election", [], day=None)
    assert coref.cluster_key(a) != coref.cluster_key(b)
    assert coref.cluster_key(a)[0] == coref.cluster_key(c)[0] == "doc"
    assert coref.cluster_key(row("m4", "d1", "death", [])) == ("day", "1998-08-07", "incident")


def test_order_of_arrival_does_not_change_the_clusters():
    rng = random.Random(7)
    places = ["Nairobi", "Kenya", "Dar es Salaam", "Tanzania", "Sudan"]
    rows = [
        row(
            f"{rng.getrandbits(40):010x}",
            f"d{i % 9}",
            rng.choice(["attack", "death", "injury", "report"]),
            [(rng.choice(places), "place", 0), (rng.choice(["Bin Laden", "FBI"]), "person", 40)],
        )
        for i in range(60)
    ]
    want = ids(coref.cluster(summaries(rows)))
    assert any(len(c) > 1 for c in want) and len(want) > 1
    for _ in range(5):
        rng.shuffle(rows)
        assert ids(coref.cluster(summaries(rows))) == want
    for cluster in want:
        assert cluster == sorted(cluster)


def test_aggregates_representative_and_id_changes():
    rows = [
        row("b1", "d1", "attack", [("Nairobi", "place", 0)], published=dt.date(1998, 8, 8)),
        row("a2", "d2", "death", [("Nairobi", "place", 0)], published=dt.date(1998, 8, 9)),
        row("a2", "d2", "death", [("Nairobi", "place", 0)], source="/copy/d2.txt"),
    ]
    [members] = coref.cluster(summaries(rows))
    out = aggregates(members)
    assert out["event_id"] == "a2"
    assert (out["n_mentions"], out["n_documents"], out["n_texts"]) == (3, 3, 2)
    assert out["doc_ids"] == ["d1", "d2"] and out["first_published"] == dt.date(1998, 8, 7)
    assert out["actors"] == [{"text": "Nairobi", "type": "place", "n_mentions": 3}]
    # the first published report speaks for the event: the copy published Aug 7
    assert representative(members)[coref.SOURCE] == "/copy/d2.txt"
    assert id_changes(members) == [("/staged/d1.parquet", "b1", "a2")]


def test_common_nouns_never_link_and_the_speaker_is_the_subject():
    rows = [
        # "The Cypriot government condemned ..." / "The Cuban government condemned ...": two
        # statements; "government" is not a name
        row("g1", "d1", "statement", [("Cypriot", "person", 4), ("government", "org", 12)]),
        row("g2", "d2", "statement", [("Cuban", "person", 4), ("government", "org", 10)]),
        # no speaker before the verb and none right after it: no link on a later org
        row("n1", "d3", "statement", [("NATO", "org", 90)]),
        row("n2", "d4", "statement", [("NATO", "org", 10)]),
    ]
    assert ids(coref.cluster(summaries(rows))) == [["g1"], ["g2"], ["n1"], ["n2"]]


def test_a_reprinted_sentence_is_one_event_whatever_its_actors():
    a = row("r1", "d1", "other", [])
    b = row("r2", "d2", "other", [])
    a.update(sentence="Lawyers  filed a brief on Monday.", sentence_start=100)
    a.update(trigger="filed", trigger_start=109)
    b.update(sentence="Lawyers filed a brief on Monday.", sentence_start=40)
    b.update(trigger="filed", trigger_start=49)
    assert ids(coref.cluster(summaries([a, b]))) == [["r1", "r2"]]
    b.update(trigger_start=48)  # another word of the same sentence
    assert ids(coref.cluster(summaries([a, b]))) == [["r1"], ["r2"]]


def test_a_speaker_is_one_person_however_named():
    rows = [
        # "... announced Wednesday by INS Commissioner Doris Meissner" / "Meissner said Wednesday"
        row("s1", "d1", "report", [("INS Commissioner Doris Meissner", "person", 10)]),
        row("s2", "d2", "statement", [("Meissner", "person", 0)]),
        # a name with "of" is a body, compared whole: not "York"
        row("s3", "d3", "report", [("Western District of New York", "person", 0)]),
        row("s4", "d4", "report", [("New York", "person", 0)]),
    ]
    assert ids(coref.cluster(summaries(rows))) == [["s1", "s2"], ["s3"], ["s4"]]
    assert coref.family_name("palace of conventions") == "palace of conventions"
    assert coref.family_name("castro") == "castro"


def test_incidents_without_a_place_link_through_the_people_named():
    rows = [
        row("k1", "d1", "attack", [("Slepian", "other", 0)]),  # "Slepian was shot"
        row("k2", "d2", "death", [("Kopp", "other", 0), ("Slepian", "other", 90)]),
        row("k3", "d3", "death", [("Kopp", "other", 40)]),
        # a place decides when one is named: the same person in another town's incident
        row("k4", "d4", "attack", [("Slepian", "other", 0), ("Buffalo", "place", 40)]),
    ]
    assert ids(coref.cluster(summaries(rows))) == [["k1", "k2", "k3"], ["k4"]]
