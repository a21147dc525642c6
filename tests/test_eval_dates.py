"""The TimeML reader and the TempEval-3 style scorer on a tiny hand-made document."""

from __future__ import annotations

from pathlib import Path

from eval.timeml import Timex, parse_timeml, row, score_document, total

SNIPPET = """<?xml version="1.0" ?>
<TimeML>
<DOCID>tiny</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-13">02/13/98</TIMEX3></DCT>
<TEXT>
Sales rose <TIMEX3 tid="t1" type="DATE" value="1997">last year</TIMEX3> &amp; fell \
<TIMEX3 tid="t2" type="DATE" value="1998-02-12">Thursday</TIMEX3> for \
<TIMEX3 tid="t3" type="DURATION" value="P3Y">the past three years</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_parse_offsets_entities_and_prefix(tmp_path: Path) -> None:
    path = tmp_path / "tiny.tml"
    path.write_text(SNIPPET, encoding="utf-8")
    doc = parse_timeml(path, "TimeBank")
    assert doc.dct == "1998-02-13"
    assert "&" in doc.text and "<" not in doc.text
    texts = [doc.text[t.start : t.end] for t in doc.timexes]
    assert texts == ["last year", "Thursday", "the past three years"]
    job = doc.job_input()
    assert job.startswith(" date 1998-02-13 ")
    assert [job[t.start : t.end] for t in doc.shifted_timexes()] == texts


def test_scorer_arithmetic() -> None:
    gold = [
        Timex(0, 9, "last year", "DATE", "1997"),
        Timex(20, 28, "Thursday", "DATE", "1998-02-12"),
        Timex(33, 53, "the past three years", "DURATION", "P3Y"),
        Timex(60, 64, "2014", "DATE", "2014"),
    ]
    system = [
        Timex(0, 9, "last year", "DATE", "1997"),  # strict, value right
        Timex(17, 28, "on Thursday", "DATE", "1998-02-19"),  # relaxed only, value wrong
        Timex(42, 53, "three years", "DURATION", "P3Y"),  # relaxed, value right
        Timex(70, 75, "today", "DATE", "1998-02-13"),  # spurious
    ]
    counts, alignment = score_document(gold, system)
    assert (counts.gold, counts.system) == (4, 4)
    assert (counts.strict, counts.relaxed, counts.value) == (1, 3, 2)
    assert [g.text for g in alignment.missed] == ["2014"]
    assert [s.text for s in alignment.spurious] == ["today"]
    p, r, f = counts.prf(counts.value)
    assert (p, r) == (0.5, 0.5) and abs(f - 0.5) < 1e-9
    date_counts, _ = score_document(gold, system, "DATE")
    assert (date_counts.gold, date_counts.system, date_counts.relaxed) == (3, 3, 2)
    both = total([counts, date_counts])
    assert (both.gold, both.value) == (7, 3)
    assert row("x", counts).startswith("| x | 4 | 4 | 0.250 | 0.250 | 0.250 | 0.750 |")


def test_relaxed_alignment_is_one_to_one() -> None:
    gold = [Timex(0, 10, "a", "DATE", "1"), Timex(12, 20, "b", "DATE", "2")]
    system = [Timex(0, 20, "ab", "DATE", "1")]
    counts, alignment = score_document(gold, system)
    assert counts.relaxed == 1 and len(alignment.missed) == 1
