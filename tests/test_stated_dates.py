"""Stated publication dates read with dateparser on cut-out candidates, per language."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.text.stated import StatedDateReader

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
