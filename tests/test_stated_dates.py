"""Stated publication dates read with dateparser on cut-out candidates, per language."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.text.stated import (
    ALL_LANGUAGES,
    StatedDateReader,
    load_language_words,
    plain_date,
    word_owners,
)

READER = StatedDateReader()


@pytest.mark.parametrize(
    ("lang", "line", "date", "kind"),
    [
        ("en", "Published November 18, 2019 | By Jane Roe", "2019-11-18", "published"),
        ("en", "Updated: 11/12/2019 10:30 AM", "2019-11-12", "updated"),
        ("en", "Nov. 20, 2019", "2019-11-20", "bare"),
        ("es", "Publicado el 3 de mayo de 2021", "2021-05-03", "published"),
        ("pt", "Atualizado em 04/05/2021 às 10h", "2021-05-04", "updated"),
        ("fr", "Mis à jour le 2 mars 2020", "2020-03-02", "updated"),
        ("de", "Stand: 04.05.2021", "2021-05-04", "updated"),
        ("de", "Veröffentlicht am 18. November 2019", "2019-11-18", "published"),
        ("it", "Pubblicato il 7 giugno 2018", "2018-06-07", "published"),
        ("nl", "Gepubliceerd op 12 januari 2020", "2020-01-12", "published"),
        ("id", "Diterbitkan 5 Agustus 2019", "2019-08-05", "published"),
        ("ru", "Опубликовано 12 марта 2020", "2020-03-12", "published"),
        ("ko", "입력 2019.11.18 10:00", "2019-11-18", "published"),
        ("ja", "公開 2019年11月18日", "2019-11-18", "published"),
        # markup artifacts of real pages: a clock time glued to the year, a glued abbreviation
        ("en", "Published Tue, Nov 19 20197:05 AM EST", "2019-11-19", "published"),
        ("en", "Nov.November 18, 2019 12:02 PM", "2019-11-18", "bare"),
        # the date before a later label is the line's own (bare), not the label's
        (
            "en",
            "By Staff | November 18, 2019 at 2:26 PM - Updated November 18",
            "2019-11-18",
            "bare",
        ),
        # a day over 12 fixes the order even against the language's own (en: MDY)
        ("en", "21/06/2014", "2014-06-21", "bare"),
    ],
)
def test_stated_dates_per_language(lang, line, date, kind):
    found = READER.read(line, lang)
    assert found is not None and found.date == dt.date.fromisoformat(date) and found.kind == kind
    assert found.date == READER.read(line, lang).date  # parsers are reused


def test_no_guess_without_a_language_or_for_relative_forms():
    assert READER.read("11/12/2019", None) is None
    assert READER.read("Updated 3 hours ago", "en") is None
    assert READER.read("Published yesterday", "en") is None
    assert READER.read("The minister said the plan would cost 2019 jobs in total.", "en") is None
    found = READER.read("Published 18 November 2019", None)  # a month name is no guess
    assert found is not None and found.date == dt.date(2019, 11, 18)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "The minister said that the plan would be put to a vote in the house of the people.",
            "en",
        ),
        (
            "Der Minister sagte, dass der Plan nicht mit den Stimmen der Partei angenommen wird.",
            "de",
        ),
        (
            "Le ministre a dit que le plan sera soumis au vote des députés dans une semaine, "
            "mais les syndicats ne sont pas encore prêts et ils nous ont dit qu'ils sont contre.",
            "fr",
        ),
        ("서울 2019년 11월 18일 입력", "ko"),
        ("ok 42", None),
    ],
)
def test_page_language(text, lang):
    assert READER.language(text) == lang


def test_reader_pickles():
    import pickle

    again = pickle.loads(pickle.dumps(READER))
    assert again.read("Published November 18, 2019", "en").date == dt.date(2019, 11, 18)


# --- the plain shapes read without dateparser, and the page language: same answers ---


def _plain_candidates() -> list[tuple[str, str]]:
    """(language, candidate): every English month word (full, 3 letters, "sept") in three
    cases, with and without a dot, in the four plain shapes, days 0-32 in turn and four years;
    ISO dates in every language with months 0-13 and days 0-32 in turn."""
    from transforms.text.stated import _EN_MONTHS

    shapes = ("{m}{dot} {d}, {y}", "{m}{dot} {d} {y}", "{d} {m}{dot} {y}", "{dd} {m}{dot} {y}")
    years = (1999, 2019, 2020, 2024)
    out, i = [], 0
    for word in sorted(_EN_MONTHS):
        for m in (word, word.capitalize(), word.upper()):
            for dot in ("", "."):
                for shape in shapes:
                    d, y = i % 33, years[i % 4]
                    out.append(("en", shape.format(m=m, dot=dot, d=d, dd=f"{d:02d}", y=y)))
                    i += 1
    for lang in ALL_LANGUAGES:
        for k in range(24):
            y, month, d = years[k % 4], k % 14, (7 * k) % 33
            out.append((lang, f"{y}-{month:02d}-{d:02d}" if k % 2 else f"{y}-{month}-{d}"))
    return out


def test_plain_shapes_read_as_dateparser_reads_them():
    """plain_date is a shortcut, not a second reader: where it answers, dateparser gives the
    same date; where it does not (an invalid date such as 2019-13-07, which dateparser reads
    as July 13), dateparser still decides. And it does answer on the valid plain shapes."""
    answered = 0
    for lang, candidate in _plain_candidates():
        expected = READER.parse_with_dateparser(candidate, lang)
        assert READER._parse(candidate, lang) == expected, (lang, candidate)
        plain = plain_date(candidate, lang)
        if plain is not None:
            answered += 1
            assert plain == expected, (lang, candidate)
    assert answered >= 600  # every valid date of the list
    assert plain_date("Nov. 18, 2019", "de") is None  # English month words on English pages only
    assert plain_date("Monday, November 18, 2019", "en") is None  # other shapes: dateparser


def _language_reference(text: str, words: dict[str, frozenset[str]]) -> str | None:
    """page_language as first written: every token against every language's own words."""
    import collections

    from transforms.text import stated

    sample = text[:20000]
    if stated._HANGUL.search(sample):
        return "ko"
    if stated._KANA.search(sample):
        return "ja"
    counts = collections.Counter()
    for token in stated._WORD.findall(sample.lower()):
        for code, owned in words.items():
            if token in owned:
                counts[code] += 1
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < stated.MIN_LANGUAGE_HITS:
        return "zh" if stated._HAN.search(sample) else None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def test_page_language_same_as_the_reference_on_real_and_random_text():
    from tests import realtexts

    texts = [*realtexts.pages(), *realtexts.random_texts()]
    found = [READER.language(t) for t in texts]
    assert found == [_language_reference(t, READER.words) for t in texts]
    assert len(set(found)) >= 4  # the pages hold several languages, not only English
    assert word_owners(load_language_words()) == READER.owners
