"""The view of the page: what a document contains, computed once for both writers.

Built from small packs written here; the writers' outputs are tested elsewhere,
and they only lay out what these tests pin down.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest

from briefpack.build.chosen_settings import default_theme
from briefpack.content.theme_file import load_theme
from briefpack.model import Pack
from briefpack.model.answers import Answer, Answers
from briefpack.model.changes import compare
from briefpack.render.html import html_document
from briefpack.render.settings import RenderSettings
from briefpack.render.view import PackView, build_view
from briefpack.render.view.paired import SpeakerLine, speaker_lines

from conftest import WritePack, valid

#: Two days, three sessions; the second session has attendees and a speaker.
PACK = """\
title: Offsite
subtitle: Spring
classification: Confidential
attendees:
  - name: Jane Doe
    role: CEO
    organisation: Example Corp
  - name: Li Wei
days:
  - date: 2026-03-02
    sessions:
      - id: strategy
        title: Strategy
        label: Session 1
        start: "09:00"
        end: "10:00"
        questions:
          - title: Direction
            question: Where are we going?
          - title: Pace
            question: How fast?
          - title: Cost
            question: At what cost?
      - id: people
        title: People
        start: "10:30"
        end: "11:00"
        speakers:
          - name: Ann Lee
            role: CHRO
        attendees: [Li Wei]
        questions:
          - title: Hiring
            question: Whom do we hire?
  - date: 2026-03-03
    sessions:
      - id: close
        title: Close
        start: "14:00"
        end: "15:00"
        questions:
          - title: Next
            question: What next?
"""


def _settings(**values: object) -> RenderSettings:
    created = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    return RenderSettings(created=created, theme=default_theme(), **values)  # type: ignore[arg-type]


@pytest.fixture
def pack(write_pack: WritePack) -> Pack:
    return valid(write_pack(PACK))


def _without_pace(pack: Pack, write_pack: WritePack) -> Pack:
    """The pack with its question "Pace" gone, marked against the original."""
    pace = "          - title: Pace\n            question: How fast?\n"
    newer = valid(write_pack(PACK.replace(pace, ""), "newer.yaml"))
    return compare(pack, newer)


def test_a_removed_question_is_kept_and_flagged_but_not_numbered(
    pack: Pack, write_pack: WritePack
) -> None:
    marked = _without_pace(pack, write_pack)
    view = build_view(marked, _settings())
    questions = view.days[0].sessions[0].questions
    assert [q.title for q in questions] == ["Direction", "Pace", "Cost"]
    assert [q.removed for q in questions] == [False, True, False]
    assert [q.number for q in questions] == [1, None, 2]
    assert [q.number_text for q in questions] == ["1", "\u2013", "2"]
    # Anchors follow the place, removed questions counted, so links stay where they were.
    assert [q.anchor for q in questions] == [f"session-strategy-q{n}" for n in (1, 2, 3)]
    assert view.days[0].sessions[0].kept == 2
    assert view.days[0].sessions[0].questions_text == "2 questions"


def test_the_summary_does_not_count_what_a_changes_copy_shows_as_removed(
    pack: Pack, write_pack: WritePack
) -> None:
    assert build_view(pack, _settings()).summary == "2 days, 3 sessions, and 5 questions"
    marked = _without_pace(pack, write_pack)
    assert build_view(marked, _settings()).summary == "2 days, 3 sessions, and 4 questions"


def test_the_word_bookmarks_are_named_by_place_and_number_a_removed_question_has_none(
    pack: Pack, write_pack: WritePack
) -> None:
    view = build_view(_without_pace(pack, write_pack), _settings())
    assert [day.bookmark for day in view.days] == ["d1", "d2"]
    sessions = [session for day in view.days for session in day.sessions]
    assert [session.bookmark for session in sessions] == ["s1", "s2", "s3"]
    assert [q.bookmark for q in sessions[0].questions] == ["s1q1", None, "s1q2"]


def test_a_removed_question_gets_no_answer_fields(pack: Pack, write_pack: WritePack) -> None:
    marked = _without_pace(pack, write_pack)
    questions = build_view(marked, _settings(answer_fields=True)).days[0].sessions[0].questions
    assert [q.answer_fields for q in questions] == [True, False, True]


def test_the_changes_page_lists_what_changed_and_whether_it_is_still_there(
    pack: Pack, write_pack: WritePack
) -> None:
    marked = _without_pace(pack, write_pack)
    settings = _settings(changes_since="v1.yaml", changes_date=dt.date(2026, 2, 1))
    changes = build_view(marked, settings).changes
    assert changes is not None
    assert changes.title == "What changed since v1.yaml of February 1, 2026"
    [entry] = changes.entries
    assert (entry.kind, entry.label, entry.heading) == ("question", "Question removed", "Pace")
    assert entry.anchor == "session-strategy-q2"
    assert entry.present is False
    assert entry.number is None


def test_without_the_earlier_version_named_there_is_no_changes_page(pack: Pack) -> None:
    assert build_view(pack, _settings()).changes is None


def test_the_debrief_counts_answers_and_lists_follow_ups_in_the_pack_s_order(pack: Pack) -> None:
    keys = [q.key for q in pack.questions]
    answers = Answers(
        (
            Answer(keys[3], answer="Two engineers", follow_up="Post the roles"),
            Answer(keys[0], answer="North", follow_up="Check the map"),
            Answer(keys[1], answer="", follow_up=None),
        )
    )
    view = build_view(pack, _settings(answers=answers))
    assert view.debrief is not None
    tallies = [(t.heading, t.answered, t.unanswered, t.follow_ups) for t in view.debrief.tallies]
    assert tallies == [("Session 1: Strategy", 1, 2, 1), ("People", 1, 0, 1), ("Close", 0, 1, 0)]
    assert [(f.question, f.text) for f in view.debrief.follow_ups] == [
        ("Direction", "Check the map"),
        ("Hiring", "Post the roles"),
    ]
    given = [q.given for q in view.days[0].sessions[0].questions]
    assert [g.answer if g else "-" for g in given] == ["North", None, None]
    # A debrief shows the answers given: never fields to answer again.
    assert not any(q.answer_fields for d in view.days for s in d.sessions for q in s.questions)


def test_outside_a_debrief_there_is_no_tally_and_no_answer(pack: Pack) -> None:
    view = build_view(pack, _settings())
    assert view.debrief is None
    assert all(q.given is None for d in view.days for s in d.sessions for q in s.questions)


def test_at_a_glance_names_each_day_once_and_counts_kept_questions(
    pack: Pack, write_pack: WritePack
) -> None:
    view = build_view(_without_pace(pack, write_pack), _settings())
    assert view.glance is not None
    rows = [row for day in view.glance.days for row in day]
    assert [row.day for row in rows] == [
        ("Monday", "March\u00a02"),
        (),
        ("Tuesday", "March\u00a03"),
    ]
    assert rows[0].times == ("9:00\u00a0AM", "10:00\u00a0AM")
    assert [row.questions for row in rows] == [2, 1, 1]
    assert rows[1].speakers == ("Ann Lee",)
    assert view.glance.pre_reads is False


def test_labels_and_dates_are_worded_in_the_pack_s_language(pack: Pack) -> None:
    german = replace(pack, options=replace(pack.options, language="de"))
    view = build_view(german, _settings())
    assert view.language == "de"
    assert view.labels.at_a_glance == "Auf einen Blick"
    assert view.labels.question == "Frage"
    assert view.days[0].heading == "Montag, 2. März 2026"
    assert view.days[0].sessions[0].questions_text == "3 Fragen"
    assert view.cover.kicker == "Briefing-Unterlagen"


def test_a_session_pack_has_its_own_cover_and_attendees_and_no_contents(pack: Pack) -> None:
    view = build_view(pack, _settings(session="people"))
    assert view.session_pack
    assert view.cover.title == "People"
    assert view.cover.part_of_text == "Part of Offsite · Spring"
    assert view.cover.dates == "Monday, March 2, 2026"
    assert view.cover.summary == "10:30\u202f\u2013\u200911:00\u00a0AM · 1 question"
    assert [card.name for card in view.attendees] == ["Li Wei"]
    assert view.glance is None
    assert view.contents == ()
    assert [s.id for d in view.days for s in d.sessions] == ["people"]


def test_attendee_cards_name_the_sessions_they_take_part_in(pack: Pack) -> None:
    cards = build_view(pack, _settings()).attendees
    assert [(c.name, c.role_line, c.initials, c.sessions) for c in cards] == [
        ("Jane Doe", "CEO · Example Corp", "JD", ()),
        ("Li Wei", None, "LW", ("People",)),
    ]


def test_a_recipient_is_named_on_the_cover_and_for_every_page(pack: Pack) -> None:
    view = build_view(pack, _settings(recipient="Jane Doe"))
    assert view.prepared_for == "Prepared for Jane Doe · Mar 2, 2026"
    assert view.cover.prepared_for == view.prepared_for
    assert build_view(pack, _settings()).prepared_for is None


def test_the_session_line_says_when_and_how_many_questions(pack: Pack) -> None:
    session = build_view(pack, _settings()).days[0].sessions[1]
    assert session.meta == "10:30\u202f\u2013\u200911:00\u00a0AM · 1 question"
    assert session.heading == "People"
    assert [(s.kind, s.name, s.role) for s in session.speakers] == [(None, "Ann Lee", "CHRO")]
    assert session.attendees == ("Li Wei",)


def test_the_view_cannot_be_changed(pack: Pack) -> None:
    view = build_view(pack, _settings())
    with pytest.raises(FrozenInstanceError):
        view.days = ()  # type: ignore[misc]


def test_a_theme_template_reads_the_view_in_the_sandbox(pack: Pack, tmp_path: Path) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "pack.html.j2").write_text(
        textwrap.dedent(
            """\
            <html><body>{{ view.labels.contents }}|{{ view.cover.part_of_text }}|
            {%- for day in view.days %}{% for s in day.sessions %}{{ s.heading }}:
            {%- for q in s.questions %}{{ q.number_text }}{% endfor %};{% endfor %}{% endfor %}
            </body></html>
            """
        ),
        encoding="utf-8",
    )
    (folder / "theme.yaml").write_text("template: pack.html.j2\n", encoding="utf-8")
    theme = load_theme(folder, default_theme())
    html = html_document(pack, RenderSettings(theme=theme), inline_stylesheet=False)
    assert "Contents|None|Session 1: Strategy:123;People:1;Close:1;" in html


def test_the_view_is_a_pack_view(pack: Pack) -> None:
    assert isinstance(build_view(pack, _settings()), PackView)


def test_a_session_pack_s_document_title_names_its_session_first(pack: Pack) -> None:
    assert build_view(pack, _settings()).document_title == "Offsite"
    session = build_view(pack, _settings(session="strategy"))
    assert session.document_title == "Session 1: Strategy \u2013 Offsite"
    assert session.keywords == ("Strategy",)  # its own session, not the others


def test_a_changed_or_moved_thing_is_marked_and_an_unchanged_one_not(
    pack: Pack, write_pack: WritePack
) -> None:
    marked = _without_pace(pack, write_pack)
    sessions = build_view(marked, _settings()).days[0].sessions
    assert [q.changed for q in sessions[0].questions] == [False, True, False]
    assert [q.status for q in sessions[0].questions] == ["same", "removed", "same"]
    assert build_view(pack, _settings()).days[0].sessions[0].questions[1].status is None


def test_a_speaker_whose_role_changed_is_one_line_with_both_roles(
    pack: Pack, write_pack: WritePack
) -> None:
    newer = valid(write_pack(PACK.replace("role: CHRO", "role: COO"), "newer.yaml"))
    people = compare(pack, newer).days[0].sessions[1]
    assert speaker_lines(people) == (SpeakerLine("both", "Ann Lee", "CHRO", "COO"),)
    assert speaker_lines(pack.days[0].sessions[1]) == (
        SpeakerLine("both", "Ann Lee", "CHRO", "CHRO"),
    )


def test_a_removed_session_is_flagged_and_its_changes_entry_points_at_no_bookmark(
    pack: Pack, write_pack: WritePack
) -> None:
    close = PACK[PACK.index("  - date: 2026-03-03") :]
    newer = valid(write_pack(PACK.replace(close, ""), "newer.yaml"))
    settings = _settings(changes_since="v1.yaml", changes_date=dt.date(2026, 2, 1))
    view = build_view(compare(pack, newer), settings)
    sessions = [session for day in view.days for session in day.sessions]
    assert [session.removed for session in sessions] == [False, False, True]
    assert view.changes is not None
    entry = view.changes.entries[0]
    assert (entry.kind, entry.heading, entry.present) == ("session", "Close", False)
    assert all(entry.bookmark is None for entry in view.changes.entries)
