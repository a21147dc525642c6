"""The header/footer splitter: interface, features, region finding, title, dateline, goldens."""

import datetime as dt
import hashlib
import pickle
import re
from pathlib import Path

import pytest

from transforms.boilerplate.features import line_features, normalise, split_lines
from transforms.boilerplate.header import find_published, same_headline
from transforms.boilerplate.scoring import duplicate_costs, max_subarray
from transforms.boilerplate.splitter import (
    REASONS,
    REGIONS,
    Split,
    Splitter,
    line_key,
    split_document,
)
from transforms.boilerplate.vocab import load_stopwords
from transforms.text.pubdate import find_date

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
STOP = load_stopwords()
PREFIX = re.compile(r" date \d{4}-\d{2}-\d{2} ")


def _input_for(name: str) -> tuple[str, int]:
    path = GOLDEN / f"{name}.txt"
    if not path.exists():
        path = ROOT / "seeds" / f"{name}.txt"
    text = path.read_text(encoding="utf-8")
    m = PREFIX.match(text)
    return text, m.end() if m else 0


GOLDEN_NAMES = sorted(p.name.removesuffix(".keep.txt") for p in GOLDEN.glob("*.keep.txt"))


def test_golden_set_covers_seeds_and_synthetic_pages():
    assert {p.stem for p in (ROOT / "seeds").glob("*.txt")} <= set(GOLDEN_NAMES)
    assert any(n.startswith("synthetic") for n in GOLDEN_NAMES)


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_golden_keep_and_drop(name):
    text, start = _input_for(name)
    split = split_document(text, start)
    body = [text[s:e] for s, e in split.body_spans]
    removed = {r.text for r in split.removed}
    for line in (GOLDEN / f"{name}.keep.txt").read_text(encoding="utf-8").splitlines():
        assert line in body, f"should keep {line!r}"
    for line in (GOLDEN / f"{name}.drop.txt").read_text(encoding="utf-8").splitlines():
        assert line in removed, f"should drop {line!r}"  # (a copy may be body elsewhere)


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_split_accounts_for_every_line_once(name):
    text, start = _input_for(name)
    split = split_document(text, start)
    pieces = sorted([*split.body_spans, *((r.start, r.end) for r in split.removed)])
    lines = split_lines(text, start)
    assert pieces == [(ln.start, ln.end) for ln in lines]
    for r in split.removed:
        assert text[r.start : r.end] == r.text
        assert r.reason in REASONS and r.region in REGIONS
    assert all(start <= s < e <= len(text) for s, e in split.body_spans)


def test_seed_titles_and_published():
    text, start = _input_for("001_efd19878b02be60d")
    assert (
        split_document(text, start).title == "US confirms death of ISIS leader after drone attack"
    )
    text, _ = _input_for("synthetic_news")
    split = split_document(text)
    assert split.title == "Harbour city opens its first floating solar farm"
    assert split.published == dt.date(2021, 3, 3)
    s, e = split.published_span
    assert text[s:e] == "March 3, 2021"


def test_regions_of_removed_lines():
    text, _ = _input_for("synthetic_news")
    regions = {r.text: (r.region, r.reason) for r in split_document(text).removed}
    assert regions["Home > News > Science >"] == ("header", "breadcrumb")
    assert regions["READ | Council approves new budget for harbour works"] == ("inner", "teaser")
    assert regions["Advertisement"] == ("inner", "ad")
    assert regions["Related Articles"] == ("footer", "related_list")
    assert regions["By Maria Jensen"] == ("header", "byline")


def test_offsets_count_the_prefix():
    body = "The council approved the plan on Tuesday after a long debate in the town hall."
    text = " date 2020-01-02 " + body + "\nShare\n"
    split = split_document(text, start=17)
    assert [text[s:e] for s, e in split.body_spans] == [body]
    assert split.removed[0].text == "Share" and split.removed[0].region == "footer"


def test_empty_and_furniture_only_documents():
    assert split_document("") == Split((), (), None, None, None, "empty_body")
    split = split_document("Home\nShare\nPrivacy Policy\n")
    assert split.body_spans == () and split.body_flag == "empty_body"
    assert [r.reason for r in split.removed] == ["nav_menu", "share_prompt", "legal"]


def test_corpus_repeats_mark_template_lines():
    paras = [
        "The mayor said on Monday that the new bridge would open in the spring of next year.",
        "Engineers have been working on the structure for three years, the city said.",
        "The project has cost more than the council expected when it approved the plan.",
        "Residents on both banks of the river welcomed the news at a meeting on Monday evening.",
    ]
    promo = "Visit our partner shop for the best deals on garden tools"
    page = "\n".join([*paras[:2], promo, *paras[2:]])
    alone = split_document(page)
    assert len(alone.body_spans) == 5  # one document: nothing says the promo is template
    split = split_document(page, repeated={line_key(promo): 40}, n_docs=50)
    assert [page[s:e] for s, e in split.body_spans] == paras
    assert [(r.text, r.reason, r.region) for r in split.removed] == [
        (promo, "template_repeat", "inner")
    ]


def test_syndicated_prose_is_not_template():
    line = "The mayor said on Monday that the new bridge would open in the spring of next year."
    split = split_document(line + "\n", repeated={line_key(line): 3}, n_docs=100)
    assert len(split.body_spans) == 1


def test_line_key_is_stable_normalised_and_none_for_noise():
    expected = hashlib.blake2b(b"home # news", digest_size=8).digest()
    assert line_key("  • Home 24 News") == int.from_bytes(expected, "big", signed=True)
    assert line_key("HOME 7 news") == line_key("Home 1999 News")
    assert line_key("1") is None and line_key("  ") is None and line_key("--") is None
    assert -(2**63) <= line_key("Privacy Policy") < 2**63


def test_normalise():
    assert normalise("  Copyright © 2019,  Quiller Media ") == "copyright # quiller media"


def test_line_features():
    f = line_features("The council said it would vote on the plan next week.", STOP)
    assert f.n_words == 11 and f.ends_sentence and not f.bullet
    assert f.stop_ratio > 0.3
    g = line_features("  • Home", STOP)
    assert g.bullet and g.n_words == 1
    h = line_features("News | World | Sports", STOP)
    assert h.link_seps == 2
    k = line_features("東京で新しい駅が開業した。", STOP)
    assert k.n_words >= 5 and k.ends_sentence


def test_max_subarray():
    assert max_subarray([-1, 2, 3, -10, 4]) == (1, 2, 5)
    assert max_subarray([-1, 2, -1, 3, -5]) == (1, 3, 4)
    assert max_subarray([-1, -2]) == (0, -1, 0.0)
    assert max_subarray([]) == (0, -1, 0.0)


def test_region_absorbs_short_lines_between_paragraphs():
    p1 = "The committee heard evidence from several witnesses about the costs of the project."
    p2 = "Members asked why the budget had doubled since the first estimate was published."
    p3 = "The chair said a report would be sent to the minister before the end of the month."
    text = "\n".join(["Home", "Share", p1, "Costs", p2, "[Source]", p3, "Tags:"])
    split = split_document(text)
    kept = [text[s:e] for s, e in split.body_spans]
    assert kept == [p1, "Costs", p2, "[Source]", p3]


def test_find_date_formats():
    assert find_date("Published: Nov. 18, 2019 at 9:08")[0] == dt.date(2019, 11, 18)
    assert find_date("18 de novembro de 2019")[0] == dt.date(2019, 11, 18)
    assert find_date("2019.11.18 10:00")[0] == dt.date(2019, 11, 18)
    assert find_date("2019년 11월 18일")[0] == dt.date(2019, 11, 18)
    assert find_date("18.11.2019")[0] == dt.date(2019, 11, 18)
    assert find_date("Monday, November 18, 2019, 04:05 pm PT")[0] == dt.date(2019, 11, 18)
    assert find_date("February 30, 2019") is None
    assert find_date("Call 2019-555-1234") is None


def test_published_prefers_published_over_updated():
    from transforms.text.stated import StatedDateReader

    text = "Updated: Nov 20, 2019\nPublished Nov 18, 2019\nSome headline here\n"
    date, span, index = find_published(split_lines(text), StatedDateReader().for_page(text))
    assert date == dt.date(2019, 11, 18) and index == 1
    assert text[span[0] : span[1]] == "Nov 18, 2019"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the splitter's header reader goes through text/stated.py in the page's language
        ("Publicado el 3 de mayo de 2021\nEl gobierno anunció hoy un nuevo plan.\n", (2021, 5, 3)),
        (
            "Stand: 04.05.2021\nDie Regierung hat heute einen neuen Plan für die Stadt und "
            "das Land vorgestellt, der auch nicht von den Bürgern kommt.\n",
            (2021, 5, 4),
        ),
        ("Mis à jour le 2 mars 2020\nLe gouvernement a présenté un nouveau plan.\n", (2020, 3, 2)),
        ("Posted 3 hours ago\nThe council met on Tuesday to vote on the plan.\n", None),
    ],
)
def test_header_dates_are_read_by_the_stated_date_reader(text, expected):
    from transforms.text.stated import StatedDateReader

    found = find_published(split_lines(text), StatedDateReader().for_page(text * 3))
    assert (found[0] if found else None) == (dt.date(*expected) if expected else None)


def test_same_headline():
    assert same_headline(
        "Islamic State :  'ISIS on the run' – Pentagon", "'ISIS on the run' – Pentagon"
    )
    assert not same_headline("Mayor opens bridge", "Council closes school")


def test_splitter_pickles_and_is_reusable():
    splitter = pickle.loads(pickle.dumps(Splitter()))
    text, start = _input_for("000_ec7d9c84d5a6a506")
    assert splitter.split(text, start) == split_document(text, start)


def test_line_memo_gives_the_same_splits_and_stays_bounded():
    """The memo of a DoFn's splitter is a cache: every golden page splits exactly as without it,
    also when it has to start afresh (a memo of 5 lines) and when pages come twice."""
    plain = Splitter()
    memo = Splitter(plain.vocabulary, plain.stopwords, memo_lines=5)
    pages = [_input_for(name) for name in GOLDEN_NAMES] * 2
    for text, start in pages:
        assert memo.split(text, start) == plain.split(text, start)
        assert len(memo.memo.entries) <= 5
    roomy = Splitter(plain.vocabulary, plain.stopwords, memo_lines=100_000)
    for text, start in pages:
        assert roomy.split(text, start) == plain.split(text, start)
    assert roomy.memo.entries  # lines were remembered ...
    assert max(map(len, roomy.memo.entries)) <= roomy.memo.max_chars  # ... short ones only
    assert plain.memo is None


P1 = "The committee heard evidence from several witnesses about the costs of the project."
P2 = "Members asked why the budget had doubled since the first estimate was published."
P3 = "The chair said a report would be sent to the minister before the end of the month."


def test_teaser_card_inside_the_body_is_removed():
    card = "Column: Why the budget doubled"
    text = "\n".join([P1, card, card, P2, P3])
    split = split_document(text)
    assert [text[s:e] for s, e in split.body_spans] == [P1, P2, P3]
    assert [(r.text, r.reason, r.region) for r in split.removed] == [(card, "teaser", "inner")] * 2


def test_photo_label_and_its_credit_line_are_captions():
    text = "\n".join([P1, "Photo:", "private archive of the author", P2, P3])
    split = split_document(text)
    assert [text[s:e] for s, e in split.body_spans] == [P1, P2, P3]
    assert {r.reason for r in split.removed} == {"caption"}


def test_embedded_post_signature_stays_with_the_body():
    sig = "— The City Council (@citycouncil) October 9, 2018"
    text = "\n".join([P1, P2, P3, sig, "Related Articles", "Another story"])
    kept = [text[s:e] for s, e in split_document(text).body_spans]
    assert kept == [P1, P2, P3, sig]


def test_duplicate_costs():
    costs = duplicate_costs(["title", "a", "card", "card", "b", "title", "x", "x", "x"])
    assert costs[0] == -1.0  # first of a far pair: headline or summary
    assert costs[5] is None  # the last copy may be body
    assert costs[2] == costs[3] == -0.5  # adjacent pair: a teaser card
    assert costs[6:] == [None, None, None]  # three copies: structure, no cap


def test_lead_in_sentence_above_the_article_is_kept():
    lead = "The New York Times said in an editorial on Monday, Oct. 26:"
    text = "\n".join([lead, P1, P2, P3])
    assert [text[s:e] for s, e in split_document(text).body_spans] == [lead, P1, P2, P3]


def test_table_up_to_a_section_barrier_joins_the_body():
    rows = [f"Team {name} {i} {i + 3}" for i, name in enumerate("ABCDEFGHIJKL")]
    with_barrier = "\n".join([P1, P2, P3, *rows, "Related Articles", "Other story here"])
    kept = [with_barrier[s:e] for s, e in split_document(with_barrier).body_spans]
    assert kept == [P1, P2, P3, *rows]
    without = "\n".join([P1, P2, P3, *rows])  # no barrier: the run may be a footer list
    assert [without[s:e] for s, e in split_document(without).body_spans] == [P1, P2, P3]


def test_a_wire_dateline_opens_the_body_only_right_above_it():
    story = f"TEHRAN, August 8 (Xinhua) --\n{P1}\n{P2}\n{P3}\n"
    split = split_document(story)
    kept = [story[s:e] for s, e in split.body_spans]
    assert kept[0] == "TEHRAN, August 8 (Xinhua) --"
    apart = f"TEHRAN, August 8 (Xinhua) --\nHome | World | Sport\n{P1}\n{P2}\n{P3}\n"
    split = split_document(apart)
    assert "TEHRAN, August 8 (Xinhua) --" not in [apart[s:e] for s, e in split.body_spans]


@pytest.mark.parametrize(
    "text",
    [
        "Storm hit on 4 July 2019.",
        "Storm hit on 4 July 2019, officials said.",
        "Storm hits town.",
        "Le maire a signé le décret mardi.",
    ],
)
def test_a_page_that_is_one_short_sentence_is_its_own_body_and_its_date_is_no_dateline(text):
    split = split_document(text)
    assert split.body_spans == ((0, len(text)),)
    assert split.published is None  # a date in the story, not the page's publication date
    assert split.removed == ()


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Read more", "teaser"),
        ("Published: Nov 18, 2019", "dateline"),
        ("Click here to subscribe to our newsletter.", "subscribe_prompt"),
        ("Home | News | Sport", "breadcrumb"),
        ("Page not found", "low_text_density"),
    ],
)
def test_a_page_that_is_one_piece_of_furniture_still_has_no_body(text, reason):
    split = split_document(text)
    assert split.body_spans == ()
    assert [r.reason for r in split.removed] == [reason]


def test_removed_piece_is_the_dataclass_built_the_plain_way():
    import pickle

    from transforms.boilerplate.splitter import Removed, removed_piece

    plain = Removed(3, 9, "Share", "share_prompt", "footer")
    fast = removed_piece(3, 9, "Share", "share_prompt", "footer")
    assert type(fast) is Removed and fast == plain and hash(fast) == hash(plain)
    assert repr(fast) == repr(plain) and list(fast.__dict__.items()) == list(plain.__dict__.items())
    assert pickle.loads(pickle.dumps(fast)) == plain


def test_removed_piece_equals_its_reference_both_ways():
    """The compiled `with_dict` path (when built) and the reference give the same object:
    type, fields in order, equality, hash, repr, pickle, and the cycle collector's tracking."""
    import gc
    import pickle

    from transforms.boilerplate import splitter

    for args in [(3, 9, "Share", "share_prompt", "footer"), (0, 0, "", "ad", "inner")]:
        ref = splitter.removed_piece_reference(*args)
        for fast in (splitter.removed_piece(*args), _compiled_removed(splitter, args)):
            if fast is None:
                continue
            assert type(fast) is splitter.Removed and fast == ref and hash(fast) == hash(ref)
            assert repr(fast) == repr(ref) and list(vars(fast).items()) == list(vars(ref).items())
            assert pickle.dumps(fast) == pickle.dumps(ref)
            assert gc.is_tracked(fast) == gc.is_tracked(ref)


def _compiled_removed(splitter, args):
    """`with_dict` of the compiled module whatever NEWSLINE_NATIVE says (None: not built)."""
    import importlib

    try:
        module = importlib.import_module("transforms.native._split")
    except ImportError:
        return None
    with_dict = getattr(module, "with_dict", None)
    if with_dict is None:
        return None
    start, end, text, reason, region = args
    fields = {"start": start, "end": end, "text": text, "reason": reason, "region": region}
    return with_dict(splitter.Removed, fields)


def test_compiled_with_dict_refuses_a_class_object_new_does_not_make():
    import importlib

    import pytest

    try:
        module = importlib.import_module("transforms.native._split")
    except ImportError:
        pytest.skip("not built")
    for cls in (int, tuple, dict, type("WithNew", (), {"__new__": lambda cls: None})):
        with pytest.raises(TypeError):
            module.with_dict(cls, {})
