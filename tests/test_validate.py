"""Validation: every problem of a file, each at its line, in one run."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import MINIMAL_PACK, WritePack, problems, valid


def test_minimal_pack_builds_the_model(write_pack: WritePack) -> None:
    pack = valid(write_pack(MINIMAL_PACK))
    assert pack.title == "Offsite"
    assert pack.name == "pack"
    (day,) = pack.days
    assert day.date == dt.date(2026, 3, 2)
    (session,) = day.sessions
    assert (session.id, session.start, session.end) == ("strategy", dt.time(9), dt.time(10))
    assert session.label is None
    assert session.speakers == ()
    assert session.questions[0].question.source == "Where are we going?"
    assert session.questions[0].context is None


def test_missing_required_keys_are_reported_at_the_mapping_that_lacks_them(
    write_pack: WritePack,
) -> None:
    path = write_pack(
        """\
        subtitle: No title here
        days:
          - date: 2026-03-02
            sessions:
              - title: Strategy
                start: "09:00"
                questions:
                  - title: Direction
        """
    )
    assert problems(path) == [
        "pack.yaml:1:1: the pack is missing required key 'title'",
        "pack.yaml:5:9: a session needs an 'end:' time or a 'duration:' in minutes",
        "pack.yaml:8:13: a question is missing required key 'question'",
    ]


def test_unknown_key_suggests_the_nearest_name(write_pack: WritePack) -> None:
    path = write_pack(MINIMAL_PACK.replace("question: Where", "qestion: Where"))
    assert problems(path) == [
        "pack.yaml:9:13: a question is missing required key 'question'",
        "pack.yaml:10:13: unknown key 'qestion' in a question; did you mean 'question'?",
    ]


def test_unknown_key_matches_regardless_of_case(write_pack: WritePack) -> None:
    path = write_pack(MINIMAL_PACK + "Subtitle: Spring\n")
    assert problems(path) == [
        "pack.yaml:11:1: unknown key 'Subtitle' in the pack; did you mean 'subtitle'?"
    ]


def test_unknown_key_without_a_near_name_lists_the_allowed_ones(write_pack: WritePack) -> None:
    path = write_pack(MINIMAL_PACK + "venue: Paris\n")
    assert problems(path) == [
        "pack.yaml:11:1: unknown key 'venue' in the pack; expected one of: "
        "title, subtitle, organisation, author, location, classification, days, attendees, "
        "recipients, register, options"
    ]


def test_duplicate_key_is_reported_at_the_second_one(write_pack: WritePack) -> None:
    path = write_pack(
        MINIMAL_PACK.replace("question: Where", "question: First\n            question: Where")
    )
    assert problems(path) == [
        "pack.yaml:11:13: duplicate key 'question' (first given at line 10); "
        "YAML would silently keep only the last one"
    ]


def test_wrong_type_for_a_list(write_pack: WritePack) -> None:
    path = write_pack(
        """\
        title: Offsite
        days:
          - date: 2026-03-02
            sessions:
              - title: Strategy
                start: "09:00"
                end: "10:00"
                questions: none yet
        """
    )
    assert problems(path) == [
        "pack.yaml:8:20: 'questions' must be a list of questions (lines starting with '- '), "
        "not text ('none yet')"
    ]


def test_wrong_type_for_text_and_for_a_record(write_pack: WritePack) -> None:
    path = write_pack(
        MINIMAL_PACK.replace("title: Offsite", "title: [Off, site]")
        + "        speakers:\n          - Ali Maaz\n"
    )
    assert problems(path) == [
        "pack.yaml:1:8: 'title' must be text, not a list",
        "pack.yaml:12:13: a speaker must be a mapping of keys, not text ('Ali Maaz')",
    ]


def test_empty_required_list_and_empty_required_text(write_pack: WritePack) -> None:
    path = write_pack('title: ""\ndays: []\n')
    assert problems(path) == [
        "pack.yaml:1:8: 'title' must not be empty",
        "pack.yaml:2:7: 'days' needs at least one day",
    ]


def test_top_level_must_be_a_mapping(write_pack: WritePack) -> None:
    assert problems(write_pack("- title: Offsite\n")) == [
        "pack.yaml:1:1: the pack must be a mapping of keys, not a list"
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2026-02-30", "impossible date 2026-02-30: February 2026 has 28 days"),
        ("2024-02-30", "impossible date 2024-02-30: February 2024 has 29 days"),
        ("2026-13-01", "impossible date 2026-13-01: there is no month 13"),
        ("2 March 2026", "'date' must be a date written YYYY-MM-DD, not '2 March 2026'"),
        ('"2026-3-2"', "'date' must be a date written YYYY-MM-DD, not '2026-3-2'"),
    ],
)
def test_bad_dates_are_reported_at_their_line(
    write_pack: WritePack, written: str, message: str
) -> None:
    path = write_pack(MINIMAL_PACK.replace("2026-03-02", written))
    assert problems(path) == [f"pack.yaml:3:11: {message}"]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("9:30", "10:00", (dt.time(9, 30), dt.time(10))),
        ('"09:05"', "'23:59'", (dt.time(9, 5), dt.time(23, 59))),
        ("0:00", "1:15", (dt.time(0), dt.time(1, 15))),
    ],
)
def test_unquoted_times_are_times_not_base_60_integers(
    write_pack: WritePack, start: str, end: str, expected: tuple[dt.time, dt.time]
) -> None:
    path = write_pack(
        MINIMAL_PACK.replace('start: "09:00"', f"start: {start}").replace(
            'end: "10:00"', f"end: {end}"
        )
    )
    session = valid(path).days[0].sessions[0]
    assert (session.start, session.end) == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("9:00 AM", "'start' must be a 24-hour time written HH:MM, not '9:00 AM'; write \"09:00\""),
        ("2pm", "'start' must be a 24-hour time written HH:MM, not '2pm'; write \"14:00\""),
        (
            "12:15 PM",
            "'start' must be a 24-hour time written HH:MM, not '12:15 PM'; write \"12:15\"",
        ),
        ("24:00", "'start' must be a 24-hour time written HH:MM, not '24:00'"),
        ("570", "'start' must be a 24-hour time written HH:MM, not '570'"),
        ("", "'start' must be a time (HH:MM), not nothing"),
    ],
)
def test_bad_times_are_reported_with_a_fix(
    write_pack: WritePack, written: str, message: str
) -> None:
    path = write_pack(MINIMAL_PACK.replace('start: "09:00"', f"start: {written}"))
    column = 16 if written else 15
    assert problems(path) == [f"pack.yaml:6:{column}: {message}"]


def test_end_not_after_start_is_reported_at_the_end(write_pack: WritePack) -> None:
    path = write_pack(MINIMAL_PACK.replace('end: "10:00"', 'end: "09:00"'))
    assert problems(path) == [
        "pack.yaml:7:14: the session ends at 09:00, which is not after its start at 09:00"
    ]


SESSIONS_WITH_IDS = """\
title: Offsite
days:
  - date: 2026-03-02
    sessions:
      - title: Strategy
        id: {first}
        start: "09:00"
        end: "10:00"
        questions:
          - title: Direction
            question: Where?
      - title: Budget
        id: {second}
        start: "10:00"
        end: "11:00"
        questions:
          - title: Money
            question: How much?
"""


def test_duplicate_session_ids_are_reported(write_pack: WritePack) -> None:
    path = write_pack(SESSIONS_WITH_IDS.format(first="plan", second="plan"))
    assert problems(path) == [
        "pack.yaml:12:9: duplicate session id 'plan' (also used by the session at line 5); "
        "ids name the session's files"
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "Budget_2026",
            "'id' must be only lowercase letters a-z, digits and '-', "
            "not 'Budget_2026'; for example \"budget-2026\"",
        ),
        (
            "../etc",
            "'id' must be only lowercase letters a-z, digits and '-', "
            "not '../etc'; for example \"etc\"",
        ),
        (
            "a" * 101,
            f"'id' must be at most 100 characters, not '{'a' * 101}'; for example \"{'a' * 64}\"",
        ),
    ],
)
def test_bad_slug_is_reported(write_pack: WritePack, written: str, message: str) -> None:
    path = write_pack(SESSIONS_WITH_IDS.format(first="plan", second=written))
    assert problems(path) == [f"pack.yaml:13:13: {message}"]


def test_default_ids_come_from_titles_and_avoid_explicit_ones(write_pack: WritePack) -> None:
    path = write_pack(
        SESSIONS_WITH_IDS.replace("        id: {first}\n", "")
        .replace("id: {second}", "id: strategy")
        .replace("title: Budget", "title: Résumé of the Year")
    )
    sessions = valid(path).sessions
    assert [session.id for session in sessions] == ["strategy-2", "strategy"]


def test_sessions_with_the_same_title_get_distinct_ids(write_pack: WritePack) -> None:
    path = write_pack(
        SESSIONS_WITH_IDS.replace("        id: {first}\n", "")
        .replace("        id: {second}\n", "")
        .replace("title: Budget", "title: Strategy")
    )
    assert [session.id for session in valid(path).sessions] == ["strategy", "strategy-2"]


def test_title_without_latin_letters_gets_a_numbered_id(write_pack: WritePack) -> None:
    path = write_pack(MINIMAL_PACK.replace("title: Strategy", "title: Стратегия"))
    assert valid(path).sessions[0].id == "session-1"


def test_days_must_be_in_order_and_distinct(write_pack: WritePack) -> None:
    day = MINIMAL_PACK.split("days:\n", 1)[1]
    path = write_pack(
        "title: Offsite\ndays:\n"
        + day
        + day.replace("2026-03-02", "2026-03-01")
        + day.replace("2026-03-02", "2026-03-01")
    )
    assert problems(path) == [
        "pack.yaml:11:5: days must be in date order: 2026-03-01 comes after 2026-03-02 (line 3)",
        "pack.yaml:19:5: 2026-03-01 is already a day at line 11; "
        "put all of a day's sessions under one date",
    ]


@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\0", "0000"), ("\\x1b", "001B"), ("\\a", "0007"), ("\\uFFFE", "FFFE")],
)
def test_characters_xml_cannot_carry_are_reported_naming_the_field(
    write_pack: WritePack, escape: str, code: str
) -> None:
    path = write_pack(
        MINIMAL_PACK.replace("question: Where are we going?", f'question: "Where{escape}?"')
    )
    assert problems(path) == [
        f"pack.yaml:10:23: 'question' contains the character U+{code}, "
        "which cannot be printed or stored in a document; remove it"
    ]


def test_options_must_be_a_mapping(write_pack: WritePack) -> None:
    path = write_pack(MINIMAL_PACK + "options: letter\n")
    assert problems(path) == ["pack.yaml:11:10: 'options' must be a mapping, not text ('letter')"]


def test_every_problem_of_a_file_is_reported_in_one_run(write_pack: WritePack) -> None:
    path = write_pack(
        """\
        title: Offsite
        venue: Paris
        days:
          - date: 2026-02-30
            sessions:
              - title: Strategy
                id: Strategy
                start: 9:00 AM
                end: "08:00"
                speakers:
                  - name: Ali
                    rol: Chair
                questions:
                  - title: Direction
                    question: Where?
                    question: Where else?
        """
    )
    reported = problems(path)
    assert [line.split(": ", 1)[0] for line in reported] == [
        "pack.yaml:2:1",
        "pack.yaml:4:11",
        "pack.yaml:7:13",
        "pack.yaml:8:16",
        "pack.yaml:12:13",
        "pack.yaml:16:13",
    ]


def test_literal_block_text_keeps_its_lines_without_the_trailing_newline(
    write_pack: WritePack,
) -> None:
    path = write_pack(
        MINIMAL_PACK.replace(
            "question: Where are we going?",
            "question: |\n              First line.\n\n              - a point\n",
        )
    )
    assert valid(path).questions[0].question.source == "First line.\n\n- a point"


def test_summary_counts_days_sessions_and_questions(write_pack: WritePack) -> None:
    assert valid(write_pack(MINIMAL_PACK)).summary() == "1 day, 1 session, 1 question"


def test_a_key_added_to_the_schema_is_read_by_its_kind(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefpack.content.entities as entities
    from briefpack.content.schema import SPEAKER_KEYS, Key

    added = Key("joined", "date", False, "When the speaker joined.")
    monkeypatch.setattr(entities, "SPEAKER_KEYS", (*SPEAKER_KEYS, added))
    speakers = "        speakers:\n          - name: Ada\n            joined: 2026-02-30\n"
    pack = MINIMAL_PACK.replace('        end: "10:00"\n', '        end: "10:00"\n' + speakers)
    # Not an unknown key, and checked as the date the schema says it is.
    assert problems(write_pack(pack)) == [
        "pack.yaml:10:21: impossible date 2026-02-30: February 2026 has 28 days"
    ]


def test_every_value_kind_in_the_schema_has_a_reader() -> None:
    from briefpack.content.record import Record
    from briefpack.content.schema import RECORDS

    kinds = {key.kind for keys in RECORDS.values() for key in keys}
    # Lists, mappings and choices are read by their own methods; every other kind by a reader.
    assert kinds - {"list", "mapping", "choice"} <= set(Record._READERS)


def test_an_unknown_language_is_reported_at_its_line(write_pack: WritePack) -> None:
    pack = write_pack(MINIMAL_PACK + "options:\n  language: zz\n")
    assert problems(pack) == [
        "pack.yaml:12:13: 'language': unknown language 'zz'; write a language tag such as "
        "en, en-GB, de, fr or es"
    ]


def test_known_languages_are_accepted(write_pack: WritePack) -> None:
    for tag in ("en", "en-GB", "de", "fr", "es", "pt-BR"):
        pack = valid(write_pack(MINIMAL_PACK + f"options:\n  language: {tag}\n"))
        assert pack.options.language == tag
