"""How dates, times, counts and labels read on the page, in each language shipped.

Dates come from the CLDR through Babel; labels from one gettext catalogue per
language, which must cover every message the templates and writers use.
"""

from __future__ import annotations

import datetime as dt

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from briefpack.model import Day, Pack, Question, Session
from briefpack.model.rich_text import Markdown
from briefpack.render.catalogues import (
    LOCALES,
    catalogue_for,
    catalogue_languages,
    catalogue_warning,
    pack_warnings,
)
from briefpack.render.wording import wording_for

from conftest import REPO

#: What the CLDR puts around the dash of a range in English, thin spaces, as briefpack
#: writes it: the one before the dash does not break, the one after may.
RANGE = "\u202f\u2013\u2009"
#: What keeps a day with its month, and a time with its "AM".
N = "\u00a0"


def dates(*days: str) -> list[dt.date]:
    return [dt.date.fromisoformat(day) for day in days]


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("en", dates("2025-10-23"), f"October{N}23, 2025"),
        ("en", dates("2025-10-23", "2025-10-24"), f"October{N}23{RANGE}24, 2025"),
        ("en-GB", dates("2025-10-23", "2025-10-25", "2025-10-24"), f"23{RANGE}25{N}October 2025"),
        ("de", dates("2025-10-23", "2025-10-24"), f"23.\u201324.{N}Oktober 2025"),
        ("fr", dates("2025-10-23", "2025-10-24"), f"23\u201324{N}octobre 2025"),
        ("es", dates("2025-10-23", "2025-10-24"), f"23\u201324{N}de octubre de 2025"),
        ("en", dates("2025-10-23", "2025-10-25"), f"October{N}23 and October{N}25, 2025"),
        ("de", dates("2026-03-09", "2026-03-02", "2026-03-04"),
         f"2.{N}März, 4.{N}März und 9.{N}März 2026"),
        ("en-GB", dates("2025-09-30", "2025-10-02", "2025-10-01"),
         f"30{N}September{RANGE}2{N}October 2025"),
        ("de", dates("2025-12-30", "2026-01-02", "2025-12-31", "2026-01-01"),
         f"30.{N}Dezember 2025{RANGE}2.{N}Januar 2026"),
        ("fr", dates("2025-12-30", "2026-01-05"), f"30{N}décembre 2025 et 5{N}janvier 2026"),
    ],
    ids=[
        "one day",
        "two days in a row, month names in full",
        "three days in a row, British order",
        "German",
        "French",
        "Spanish",
        "two separate days of a month",
        "three separate days, given out of order",
        "across months",
        "across years",
        "separate days across years",
    ],
)  # fmt: skip
def test_date_span_reads_as_people_write_dates_in_each_language(
    language: str, days: list[dt.date], expected: str
) -> None:
    assert wording_for(language).date_span(days) == expected


@pytest.mark.parametrize(
    ("language", "day_heading", "time"),
    [
        ("en", "Thursday, October 23, 2025", f"2:00{N}PM"),
        ("en-GB", "Thursday, 23 October 2025", "14:00"),
        ("de", "Donnerstag, 23. Oktober 2025", "14:00"),
        ("de-CH", "Donnerstag, 23. Oktober 2025", "14:00"),
        ("fr", "jeudi 23 octobre 2025", "14:00"),
        ("es", "jueves, 23 de octubre de 2025", "14:00"),
    ],
)
def test_days_and_times_follow_the_language(language: str, day_heading: str, time: str) -> None:
    wording = wording_for(language)
    assert wording.day_heading(dt.date(2025, 10, 23)) == day_heading
    assert wording.clock_time(dt.time(14, 0)) == time


def test_time_format_overrides_the_languages_clock() -> None:
    assert wording_for("de", "12h").clock_time(dt.time(14, 0)) == f"2:00{N}PM"
    assert wording_for("en", "24h").clock_time(dt.time(9, 5)) == "09:05"
    assert wording_for("en", "12h").clock_time(dt.time(0, 30)) == f"12:30{N}AM"


def test_a_time_range_reads_as_one_phrase() -> None:
    session = _session(dt.time(9, 0), dt.time(10, 30))
    assert wording_for("en").time_range(session) == f"9:00{RANGE}10:30{N}AM"
    assert wording_for("de").time_range(session) == f"09:00\u201310:30{N}Uhr"


@pytest.mark.parametrize(
    ("language", "one", "many", "page"),
    [
        ("en", "1 question", "27 questions", "Page 3 of 15"),
        ("de", "1 Frage", "27 Fragen", "Seite 3 von 15"),
        ("fr", "1 question", "27 questions", "Page 3 sur 15"),
        ("es", "1 pregunta", "27 preguntas", "Página 3 de 15"),
    ],
)
def test_labels_and_counts_come_from_the_languages_catalogue(
    language: str, one: str, many: str, page: str
) -> None:
    wording = wording_for(language)
    assert wording.questions(1) == one
    assert wording.questions(27) == many
    footer = "".join(wording.page_footer()).format(page=3, pages=15)
    assert footer == page


def test_french_counts_zero_in_the_singular() -> None:
    assert wording_for("fr").questions(0) == "0 question"
    assert wording_for("en").questions(0) == "0 questions"


def test_the_summary_is_a_list_in_the_language() -> None:
    assert wording_for("de").summary(1, 1, 1) == "1 Tag, 1 Sitzung und 1 Frage"
    assert wording_for("en").summary(1, 1, 1) == "1 day, 1 session, and 1 question"


def test_english_german_french_and_spanish_are_shipped() -> None:
    assert {"en", "de", "fr", "es"} <= set(catalogue_languages())


@pytest.mark.parametrize(
    ("language", "catalogue"),
    [
        ("de", "de"),
        ("de-CH", "de"),
        ("DE-at", "de"),
        ("en-GB", "en"),
        ("it", None),
        ("pt-BR", None),
    ],
)
def test_a_regional_language_uses_its_languages_catalogue(
    language: str, catalogue: str | None
) -> None:
    assert catalogue_for(language) == catalogue


def test_a_language_without_a_catalogue_is_english_with_one_warning() -> None:
    pack = _pack("it")
    wording = wording_for("it")
    assert wording.gettext("Question") == "Question"
    assert wording.day_heading(dt.date(2025, 10, 23)) == "Thursday, October 23, 2025"
    warning = catalogue_warning(pack)
    assert warning is not None
    assert str(warning).startswith("pack.yaml:4:13: warning: ")
    assert "Italian (it)" in str(warning)
    assert pack_warnings(pack) == [warning]
    assert catalogue_warning(_pack("de")) is None


def _messages_used() -> set[str]:
    """Every message the templates and the writers ask for, as Babel's extractors see them."""
    used: set[str] = set()
    sources = [
        (REPO / "templates" / "pack.html.j2", "jinja2.ext:babel_extract"),
        *(
            (path, "python")
            for path in sorted((REPO / "src" / "briefpack" / "render").rglob("*.py"))
        ),
    ]
    for path, method in sources:
        options = {"extensions": "jinja2.ext.i18n"} if method != "python" else {}
        for _line, message, _comments, _context in extract_from_file(method, path, options=options):
            used.add(message if isinstance(message, str) else message[0])
    return used


def test_the_templates_and_writers_use_messages_that_the_catalogues_hold() -> None:
    used = _messages_used()
    assert {"Question", "Context", "Page %(page)s of %(pages)s", "%(num)d question"} <= used
    with (LOCALES / "en.po").open("rb") as source:
        english = {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(source)
            if message.id
        }
    assert used == english, "en.po must list exactly the messages in use"


@pytest.mark.parametrize("language", [name for name in catalogue_languages() if name != "en"])
def test_every_catalogue_translates_every_message(language: str) -> None:
    with (LOCALES / f"{language}.po").open("rb") as source:
        catalogue = read_po(source, locale=language)
    missing = [
        message.id
        for message in catalogue
        if message.id and (not message.string or not all(message.string) or message.fuzzy)
    ]
    assert missing == []
    assert len([message for message in catalogue if message.id]) == len(_messages_used())


def _session(start: dt.time, end: dt.time) -> Session:
    return Session(
        id="s", title="S", start=start, end=end,
        questions=(Question(title="Q", question=Markdown("Why?", ())),),
    )  # fmt: skip


def _pack(language: str) -> Pack:
    from briefpack.model import Options
    from briefpack.model.marks import Mark

    day = Day(date=dt.date(2025, 10, 23), sessions=(_session(dt.time(9), dt.time(10)),))
    options = Options(language=language, language_mark=Mark("pack.yaml", 4, 13))
    return Pack(title="T", days=(day,), options=options, source="pack.yaml")
