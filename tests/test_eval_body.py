"""The body-split scorer: line spans, kept lines, P/R/F1 arithmetic and the report, on a
tiny hand-made example."""

import json

import pytest

from eval.body import (
    Counts,
    DocResult,
    kept_lines,
    line_chars,
    line_spans,
    main,
    page_errors,
    prf,
    score_page,
)

TEXT = " date 2020-01-02 Home\n\nFirst body line.\nAd\nSecond body line!\n--\nFooter\n"
LABELS = ["H", "", "B", "I", "B", "X", "F"]


def test_line_spans_follow_the_labels():
    spans = line_spans(TEXT)
    assert len(spans) == len(LABELS)
    assert TEXT[spans[2][0] : spans[2][1]] == "First body line."
    assert line_spans("a\nb") == [(0, 1), (2, 3)]  # no final newline: no empty last line


def test_kept_lines_by_overlap():
    spans = line_spans(TEXT)
    first, second = spans[2], spans[4]
    assert kept_lines(spans, [first, second]) == {2, 4}
    assert kept_lines(spans, [(first[0] + 2, first[1] - 2)]) == {2}
    assert kept_lines(spans, []) == set()


def test_prf():
    assert prf(2, 1, 1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)


def test_line_chars_excludes_the_prefix():
    assert line_chars(TEXT, line_spans(TEXT)[0], 0) == len("Home")


def test_score_page_counts():
    # kept: the two body lines, the inner ad and the X line; X is ignored, I counts as wrong
    c = score_page(TEXT, LABELS, {2, 3, 4, 5})
    assert (c.tp, c.fp, c.fn) == (2, 1, 0)
    assert (c.tp_c, c.fp_c, c.fn_c) == (len("First body line.") + len("Second body line!"), 2, 0)
    assert c.exact == 0
    assert c.f1_sum == pytest.approx(0.8)
    perfect = score_page(TEXT, LABELS, {2, 4, 5})  # X kept or not does not matter
    assert perfect.exact == 1 and perfect.fp == perfect.fn == 0
    missed = score_page(TEXT, LABELS, {2})
    assert (missed.tp, missed.fp, missed.fn, missed.exact) == (1, 0, 1, 0)


def test_counts_add():
    a, b = Counts(tp=1, fp=2, pages=1, exact=1), Counts(tp=3, fn=1, pages=1)
    a.add(b)
    assert (a.tp, a.fp, a.fn, a.pages, a.exact) == (4, 2, 1, 2, 1)


def test_page_errors_name_the_reason():
    spans = line_spans(TEXT)
    doc = DocResult(
        [spans[2]],
        [
            {
                "start": spans[4][0],
                "end": spans[4][1],
                "reason": "teaser",
                "region": "footer",
                "text": "Second body line!",
            }
        ],
    )
    errs = page_errors(TEXT, LABELS, {2}, doc)
    assert errs == ["- dropped L4 [footer/teaser]: Second body line!"]


def test_main_direct_on_a_tiny_data_set(tmp_path, capsys):
    data = tmp_path / "data"
    (data / "texts").mkdir(parents=True)
    body = "The council approved the new budget on Tuesday after a debate of four hours."
    text = "Home\nShare\n" + body + "\nRelated Articles\nOther story\n"
    (data / "texts" / "a.txt").write_text(text, encoding="utf-8")
    labels = {
        "file": "a.txt",
        "url": "u",
        "news": True,
        "date": None,
        "lang": "en",
        "labels": ["H", "H", "B", "F", "F"],
        "body_line_indices": [2],
    }
    (data / "labels.jsonl").write_text(json.dumps(labels) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    main(["--direct", "--data", str(data), "--out", str(out)])
    printed = capsys.readouterr().out
    assert "| all (1) | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 100.0% | 1.000 |" in printed
    assert "seed body checks: 27/27 pass" in printed
    assert (out / "report.md").read_text().startswith("# Body split evaluation")
    assert (out / "errors.md").exists()


def test_titles_are_checked_against_the_url_slug():
    from eval.body_checks import slug_words, title_agreement

    url = "https://example.com/news/new-car-sales-plunge-10-percent-in-october-14847624.php"
    assert slug_words(url) == {"new", "car", "sales", "plunge", "percent", "in", "october"}
    assert slug_words("https://example.com/2019/11/19/") is None
    pages = [{"file": "a.txt", "url": url}, {"file": "b.txt", "url": url}]
    results = {
        "a.txt": DocResult([], title="New car sales plunge 10 percent in October"),
        "b.txt": DocResult([], title="Annual salary needed to buy a house in Texas"),
    }
    assert title_agreement(pages, results) == (1, 2)
