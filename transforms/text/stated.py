"""Stated publication dates: the ONE owner of reading "Published 18 November 2019",
"Publicado el 3 de mayo de 2021", "Mis à jour le 2 mars 2020", "Stand: 04.05.2021" and
datelines from a page's header lines. Shared (text/) so that the boilerplate stage's header
reader can call it.

The splitter's header reader (boilerplate/header.find_published) reads every header line
through :meth:`StatedDateReader.for_page`; it has no month table of its own. Measured by
``make eval-dates`` (eval/stated_dates.py) on the 93 shared boilerplate pages with their date
prefix left out, against the month table it replaced (text/pubdate.find_date with the old
label words): a date found on 75 pages (table: 71), the page's estimated date on 62 (table:
59; non-English pages 7 of 10, table 6). The table is faster (dateparser costs about 25 ms a
page on those pages), which a parse memo (PARSE_MEMO_MAX: a site's header lines repeat),
the cheap checks before dateparser (a year and two digit groups in the candidate) and the
plain shapes read without it (:func:`plain_date`: "November 18, 2019", "18 Nov 2019",
"2019-11-18", read exactly as dateparser reads them) narrow; dateparser itself is set up only
when a page needs it (about a quarter of a second per process and language).
``find_date`` stays only as the splitter's cheap "this header line holds a date" test (line
hints and headline candidates), not as a reader of publication dates.

Our code only CUTS the candidate: the text after a label (LABELS), up to a separator, or a
short line that is nothing but a date. ``dateparser`` (a required dependency) then reads that
one short span with ``languages`` = the page's language, ``PARSERS = ['absolute-time',
'custom-formats']`` (no relative forms: "3 hours ago" gives no date) and the language's date
order (DATE_ORDERS). dateparser is fast and reliable on such a span; asked to search a whole
line or body it is slow and noisy, which is why it never sees more than MAX_CANDIDATE_CHARS.

The page's language comes from the splitter's vocabulary (boilerplate/rules/
boilerplate_stopwords.txt, function words of nine languages) plus the script for Korean,
Japanese and Chinese: :func:`page_language` counts, per language, the page's words that are
function words of that language only; the language with the most (at least MIN_LANGUAGE_HITS,
and ahead of the next) is the page's. With no language, a slashed or dotted numeric date is
ambiguous (11/12/2019) and gives no date; month names are tried in every listed language.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from transforms import native
from transforms.limits import PARSE_MEMO_MAX
from transforms.text.memo import remember
from transforms.text.pubdate import MAX_YEAR, MIN_YEAR, may_hold_year

# The compiled word counts (transforms/native/_split.pyx), or None: the Python below is the
# reference and the fallback (no compiler, a stale build, NEWSLINE_NATIVE=0).
_NATIVE = native.load("split")

STOPWORDS_FILE = (
    Path(__file__).resolve().parent.parent / "boilerplate/rules/boilerplate_stopwords.txt"
)
# Date order of each language's numeric dates (CLDR short date patterns).
DATE_ORDERS = {
    "en": "MDY", "de": "DMY", "fr": "DMY", "es": "DMY", "pt": "DMY", "it": "DMY", "nl": "DMY",
    "id": "DMY", "ru": "DMY", "ko": "YMD", "ja": "YMD", "zh": "YMD",
}  # fmt: skip
ALL_LANGUAGES = tuple(DATE_ORDERS)
# A page needs this many language-only function words to be given a language.
MIN_LANGUAGE_HITS = 5
# dateparser never sees more than this many characters.
MAX_CANDIDATE_CHARS = 48
# Labels before a stated date, per kind; the text after one is the candidate.
LABELS = {
    "published": r"published(?: on)?|posted(?: on)?|publicado(?: el| em| a)?|publicada(?: el| em)?|"
    r"veröffentlicht(?: am)?|publié(?: le)?|pubblicato(?: il)?|gepubliceerd(?: op)?|"
    r"diterbitkan|dipublikasikan|опубликовано|입력|公開|配信",
    "updated": r"updated(?: on)?|last updated|modified|actualizado(?: el)?|atualizado(?: em)?|"
    r"aktualisiert(?: am)?|stand|mis à jour(?: le)?|aggiornato(?: il)?|bijgewerkt(?: op)?|"
    r"diperbarui|обновлено|수정|更新",
}
_LABEL_RE = re.compile(
    "|".join(f"(?P<{kind}>(?<!\\w)(?:{words}))" for kind, words in LABELS.items()) + r"\s*:?\s*",
    re.IGNORECASE,
)
# Where a candidate ends: a separator, a byline, a second label.
_CANDIDATE_END = re.compile(
    r"\s[|•·–—]\s|\s-\s|\s+(?:by|por|von|par|di|door|oleh)\s|\s(?:às|a las|um|alle|om|pukul)\s|\n",
    re.I,
)
_DIGIT = re.compile(r"\d")
# A full date writes its day and its year as numbers (a spelled-out day is left to the body's
# date grammar): a candidate with fewer digit groups is never given to dateparser.
_DIGIT_GROUPS = re.compile(r"\d+")
_STRIP = " ,;:|[]()"  # trimmed off a candidate's ends
_NUMERIC_ONLY = re.compile(r"^\s*\d{1,4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,4}\b")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ASCII_WORD = re.compile(r"[a-z]+")  # _WORD on lower-cased ASCII text, faster
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_COUNT = operator.itemgetter(1)  # a (language, count) pair's count


def load_language_words(path: Path = STOPWORDS_FILE) -> dict[str, frozenset[str]]:
    """Function words per language code, each word kept only for the languages that own it
    alone (shared words such as "de" or "a" tell nothing)."""
    per: dict[str, set[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            code, _, rest = line.partition(":")
            per[code.strip()] = set(rest.split())
    owners = Counter(w for words in per.values() for w in words)
    return {code: frozenset(w for w in words if owners[w] == 1) for code, words in per.items()}


def word_owners(words: dict[str, frozenset[str]]) -> dict[str, str]:
    """{function word: the one language code that owns it}, from :func:`load_language_words`
    (each word there belongs to one language only)."""
    return {w: code for code, owned in words.items() for w in owned}


def owned_counts_reference(lower: str, owners: dict[str, str]) -> dict[str, int]:
    """{language code: words of the lower-cased text `lower` that it owns} (`owners`:
    :func:`word_owners`), languages in the order first seen: the reference of the compiled
    ``OwnedWords.counts`` (transforms/native/_split.pyx; tests/test_native_split.py)."""
    tokens = (_ASCII_WORD if lower.isascii() else _WORD).findall(lower)
    # one owner per word, so counting owners counts, per language, the words it owns
    return dict(Counter(filter(None, map(owners.get, tokens))))


def owned_counter(owners: dict[str, str]) -> Callable[[str], dict[str, int]]:
    """`owned_counts_reference` bound to one owners table: the compiled ``OwnedWords`` of
    transforms/native/_split when it is built and enabled (no Python object per word; the
    reference cuts out every word of up to 20,000 characters), else the reference. Build it
    once per reader."""
    if _NATIVE is None:
        return functools.partial(owned_counts_reference, owners=owners)
    return _NATIVE.OwnedWords(owners).counts


def _latin1(text: str) -> bool:
    """True when every character of text is at most U+00FF: its Latin-1 encoding, a copy of
    the one-byte string, succeeds (a wider string fails at its first wider character)."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def page_language(
    text: str, owners: dict[str, str], count: Callable[[str], dict[str, int]] | None = None
) -> str | None:
    """The page's language code, or None when the evidence is weak (see module doc).
    `owners`: :func:`word_owners` of the language words; `count`: :func:`owned_counter` of
    them, when the caller has it (else the reference counts)."""
    sample = text[:20000]
    # Hangul, kana and Han are above U+00FF: a sample without such characters (a page
    # in a Latin script) skips the three searches, each a look at each of its characters
    wide = not _latin1(sample)
    if wide and _HANGUL.search(sample):
        return "ko"
    if wide and _KANA.search(sample):
        return "ja"
    lower = sample.lower()
    found = count(lower) if count is not None else owned_counts_reference(lower, owners)
    # Counter(found).most_common(2) without the Counter: heapq.nlargest, which most_common
    # calls, is documented as this sort (stable: ties stay in the order first seen)
    ranked = sorted(found.items(), key=_COUNT, reverse=True)[:2]
    if not ranked or ranked[0][1] < MIN_LANGUAGE_HITS:
        return "zh" if wide and _HAN.search(sample) else None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


@dataclass(frozen=True)
class Stated:
    """A stated date found in one line: the date, its offsets in the line, and the label kind."""

    date: dt.date
    start: int  # offsets of the date in the line
    end: int
    kind: str  # published | updated | bare


# A four-digit year; a clock time glued to it by a page's markup ("Nov 19 20197:05 AM") ends it.
_YEAR_IN_LINE = re.compile(r"(?<!\d)(?:19|20)\d\d(?:(?!\d)|(?=\d{1,2}:\d\d))")
# A word start: after a space, or after a dot glued to a word ("Nov.November 18, 2019").
_TOKEN_START = re.compile(r"(?:(?<=\s)|^)\S|(?<=[^\W\d]\.)[^\W\d]")
# Words before a year tried as the start of a candidate ("Monday, 18 November 2019": 3).
WORDS_BEFORE_YEAR = 4
# Characters after a year that may belong to its date ("2019-11-18", "2019年11月18日").
_AFTER_YEAR = re.compile(r"(?:\s*[-/.年년]\s*\d{1,2}\s*[-/.月월]?\s*\d{1,2}\s*[日일]?)?")


def year_windows(line: str) -> list[tuple[int, int]]:
    """Candidate spans around each four-digit year of a long line, longest first: from up to
    WORDS_BEFORE_YEAR words before the year to its end (or the month and day after it)."""
    out = []
    starts = [m.start() for m in _TOKEN_START.finditer(line)]
    for year in _YEAR_IN_LINE.finditer(line):
        tail = _AFTER_YEAR.match(line, year.end())
        end = tail.end() if tail else year.end()
        before = [p for p in starts if p <= year.start()][-WORDS_BEFORE_YEAR - 1 :]
        for start in before:
            if end - start <= MAX_CANDIDATE_CHARS:
                out.append((start, end))
    return out


# Plain shapes that dateparser reads the obvious way, read without it (dateparser costs about
# 2 ms a call and a quarter of a second to set up per process): "November 18, 2019", "Nov. 18
# 2019", "18 Nov 2019" (English month names, on English pages) and "2019-11-18" (any
# language). Only a valid date is returned; anything else still goes to dateparser, so the
# result is dateparser's on every candidate (tests/test_stated_dates.py compares the two on
# every month word, day 0-32, both orders and all languages).
_EN_MONTHS = {
    name: number
    for number, month in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"),
        start=1,
    )
    for name in (month, month[:3])
} | {"sept": 9}  # fmt: skip
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? ((?:19|20)\d\d)")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2}) ([A-Za-z]{3,9})\.? ((?:19|20)\d\d)")
_ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})")


def plain_date(candidate: str, language: str | None) -> dt.date | None:
    """The date of a candidate written in one of the plain shapes above (the whole candidate),
    read without dateparser; None when it is not one of them or not a valid date (the caller
    then asks dateparser, which reads these shapes the same way)."""
    if (m := _ISO_DATE.fullmatch(candidate)) is not None:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif language != "en":
        return None
    elif (m := _MONTH_DAY_YEAR.fullmatch(candidate)) is not None:
        year, month, day = int(m[3]), _EN_MONTHS.get(m[1].lower(), 0), int(m[2])
    elif (m := _DAY_MONTH_YEAR.fullmatch(candidate)) is not None:
        year, month, day = int(m[3]), _EN_MONTHS.get(m[2].lower(), 0), int(m[1])
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


class StatedDateReader:
    """Reads stated dates with dateparser; build once (e.g. in a DoFn's setup)."""

    def __init__(self) -> None:
        self.words = load_language_words()
        self.owners = word_owners(self.words)
        self.count_owned = owned_counter(self.owners)  # may hold a C object: not pickled
        self._parsers: dict[str | None, object] = {}
        self._memo: dict[tuple[str, str | None], dt.date | None] = {}

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self.__init__()

    def language(self, text: str) -> str | None:
        """The page's language code (see :func:`page_language`), or None."""
        return page_language(text, self.owners, self.count_owned)

    def _parse(self, candidate: str, language: str | None) -> dt.date | None:
        if language is None and _NUMERIC_ONLY.match(candidate):
            return None  # 11/12/2019 with no language: no date rather than a guess
        if (plain := plain_date(candidate, language)) is not None:
            return plain  # what dateparser reads too, without calling it
        return self.parse_with_dateparser(candidate, language)

    def parse_with_dateparser(self, candidate: str, language: str | None) -> dt.date | None:
        """The date dateparser reads in a candidate with the page's language (None: every
        language of DATE_ORDERS, in their default orders), or None."""
        parser = self._parsers.get(language)
        if parser is None:
            from dateparser.date import DateDataParser

            settings = {
                "PARSERS": ["absolute-time", "custom-formats"],
                "REQUIRE_PARTS": ["day", "month", "year"],
                "RETURN_TIME_AS_PERIOD": False,
            }
            if language is not None:
                settings["DATE_ORDER"] = DATE_ORDERS[language]
            languages = [language] if language else list(ALL_LANGUAGES)
            parser = self._parsers[language] = DateDataParser(
                languages=languages, settings=settings
            )
        try:
            found = parser.get_date_data(candidate).date_obj
        except (ValueError, OverflowError, TypeError):
            return None
        return found.date() if found is not None else None

    def for_page(self, text: str) -> Callable[[str], Stated | None]:
        """``read(line)`` for the lines of one page: :meth:`read` with the page's language,
        which is worked out (:meth:`language`) only when a line holds a four-digit year."""
        language: list[str | None] = []

        def read(line: str) -> Stated | None:
            # a stated date writes its year: most lines stop here, cheaply
            if not may_hold_year(line) or not _YEAR_IN_LINE.search(line):
                return None
            if not language:
                language.append(self.language(text))
            return self.read(line, language[0])

        return read

    def read(self, line: str, language: str | None) -> Stated | None:
        """The stated date of one header line, or None. Candidates, in order: the text after a
        label (up to a separator), the whole line when it is short, then the few words around
        each four-digit year after the label (:func:`year_windows`), then those before it (kind
        ``bare``); the first that dateparser reads as a full date whose year is written in it
        wins."""
        label = _LABEL_RE.search(line)
        kind = (label.lastgroup or "published") if label is not None else "bare"
        start = label.end() if label is not None else len(line) - len(line.lstrip())
        candidates = []
        stop = _CANDIDATE_END.search(line, start)
        end = min(stop.start() if stop else len(line), start + MAX_CANDIDATE_CHARS)
        if label is not None or len(line.strip()) <= MAX_CANDIDATE_CHARS:
            candidates.append((start, end))
        windows = year_windows(line)
        candidates += [(s, e) for s, e in windows if s >= start]
        # a date before the label ("November 18, 2019 at 2:26 PM - Updated November 18"): bare
        before = [(s, e) for s, e in windows if s < start]
        for s, e in candidates + before:
            if s < start:
                kind = "bare"
            raw = line[s:e]
            candidate = raw.strip(_STRIP)
            s, e = s + len(raw) - len(raw.lstrip(_STRIP)), e - len(raw) + len(raw.rstrip(_STRIP))
            if len(_DIGIT_GROUPS.findall(candidate)) < 2:
                continue
            key = (candidate, language)
            if key in self._memo:
                date = self._memo[key]
            else:
                date = remember(self._memo, key, self._parse(candidate, language), PARSE_MEMO_MAX)
            if (
                date is not None
                and str(date.year) in candidate
                and MIN_YEAR <= date.year <= MAX_YEAR
            ):
                return Stated(date, s, e, kind)
        return None
