"""What changed between two versions: matching, word-level marks, and the marked pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefpack.content.validate import load_pack
from briefpack.model import Pack, Question, Session
from briefpack.model.change_details import Detail
from briefpack.model.changes import anything_changed, compare, diff_text
from briefpack.model.rich_text import (
    Link,
    Paragraph,
    RevisedBlock,
    Revision,
    Strong,
    Text,
    plain_text,
)
from briefpack.render.wording import wording_for

from conftest import BUNDLED_PACK

#: The seven edits of issue 15, made to the bundled pack's text.
EDITS = {
    # one word changed inside a question
    "defining meaningful SLIs": "defining useful SLIs",
    # a question retitled
    "- title: Automated Incident Management": "- title: Incident Automation at Scale",
    # a session's time changed
    'start: "11:15"\n        end: "12:15"': 'start: "11:30"\n        end: "12:30"',
}


def version_pair(folder: Path) -> tuple[Pack, Pack]:
    """The bundled pack, and a new version of it with all seven kinds of change."""
    old_text = BUNDLED_PACK.read_text(encoding="utf-8")
    text = old_text
    for before, after in EDITS.items():
        assert before in text, before
        text = text.replace(before, after, 1)
    lines = text.splitlines(keepends=True)
    # One question removed (Session 1's fifth), one moved to Session 3 (Session 2's third).
    removed = _question_block(lines, "Self-Service Environment Provisioning")
    moved = _question_block(lines, "Deep Agents vs. Shallow Agents (Agents 2.0)")
    kept = [line for n, line in enumerate(lines) if n not in removed and n not in moved]
    moved_text = [lines[n] for n in moved]
    at = _line_of(kept, "The Future of Developer Experience: AI, Automation")
    kept[at:at] = moved_text
    # One question added to Session 4, and a speaker to Session 2.
    at = _line_of(kept, "title: The Future of AI-Driven DevOps and Developer Experience")
    kept[at:at] = [
        "          - title: Budget for the Next Fiscal Year\n",
        "            question: How should we plan the platform budget for next year?\n",
    ]
    at = _line_of(kept, "- name: Amanda Lester")
    kept[at:at] = ["          - name: Jordan Lee\n", "            role: Solutions Architect\n"]
    (folder / "old").mkdir()
    (folder / "new").mkdir()
    (folder / "old" / "pack.yaml").write_text(old_text, encoding="utf-8")
    (folder / "new" / "pack.yaml").write_text("".join(kept), encoding="utf-8")
    return load_pack(folder / "old" / "pack.yaml"), load_pack(folder / "new" / "pack.yaml")


def _line_of(lines: list[str], text: str) -> int:
    return next(n for n, line in enumerate(lines) if text in line)


def _question_block(lines: list[str], title: str) -> list[int]:
    """The line numbers of the question titled ``title``: its title line to the next item."""
    start = _line_of(lines, f"- title: {title}")
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and (
        len(lines[end]) - len(lines[end].lstrip()) > indent or not lines[end].strip()
    ):
        end += 1
    return list(range(start, end))


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    old, new = version_pair(tmp_path_factory.mktemp("versions"))
    return compare(old, new)


def find(pack: Pack, title: str) -> tuple[Session, Question]:
    return next((s, q) for s in pack.sessions for q in s.questions if q.title == title)


def test_a_changed_word_is_marked_deleted_then_inserted(marked: Pack) -> None:
    _, question = find(marked, "Observability & Reliability Engineering")
    assert question.change is not None
    assert question.change.status == "edited"
    assert not question.change.moved
    paragraph = question.question.blocks[0]
    assert isinstance(paragraph, Paragraph)
    revisions = [node for node in paragraph.children if isinstance(node, Revision)]
    assert [(r.kind, plain_text((Paragraph(r.children),))) for r in revisions] == [
        ("delete", "meaningful"),
        ("insert", "useful"),
    ]


def test_a_retitled_question_is_an_edit_not_a_removal_and_an_addition(marked: Pack) -> None:
    _, question = find(marked, "Incident Automation at Scale")
    assert question.change is not None
    assert question.change.status == "edited"
    assert question.change.old_title == "Automated Incident Management"
    assert not any(q.title == "Automated Incident Management" for q in marked.questions)


def test_a_removed_question_stays_where_it_was_marked_removed(marked: Pack) -> None:
    session, question = find(marked, "Self-Service Environment Provisioning")
    assert question.change is not None
    assert question.change.status == "removed"
    titles = [q.title for q in session.questions]
    assert titles.index("Self-Service Environment Provisioning") == 4  # where it was
    assert all(isinstance(block, RevisedBlock) for block in question.question.blocks)


def test_an_added_question_is_wholly_inserted(marked: Pack) -> None:
    session, question = find(marked, "Budget for the Next Fiscal Year")
    assert question.change is not None
    assert question.change.status == "added"
    assert session.title == "Executive Meeting with AWS Developer Experience"
    assert all(
        isinstance(block, RevisedBlock) and block.kind == "insert"
        for block in question.question.blocks
    )


def test_a_question_in_another_session_is_moved_from_there(marked: Pack) -> None:
    session, question = find(marked, "Deep Agents vs. Shallow Agents (Agents 2.0)")
    assert session.title == "Leveraging AI in the Software Development Lifecycle"
    assert question.change is not None
    assert question.change.moved
    assert question.change.moved_from == "AgentCore"
    assert question.change.status == "same"


def test_a_session_retimed_and_given_a_speaker(marked: Pack) -> None:
    sessions = {session.title: session for session in marked.sessions}
    retimed = sessions["Leveraging AI in the Software Development Lifecycle"].change
    assert retimed is not None
    assert retimed.status == "edited"
    assert (retimed.old_start, retimed.old_end) == (dt.time(11, 15), dt.time(12, 15))
    agentcore = sessions["AgentCore"].change
    assert agentcore is not None
    assert [(kind, speaker.name) for kind, speaker in agentcore.speakers] == [
        ("insert", "Jordan Lee"),
        (None, "Amanda Lester"),
    ]
    same = sessions["DevOps Culture at Amazon"].change
    assert same is not None
    assert same.status == "same"


def test_nothing_else_is_marked(marked: Pack) -> None:
    marked_titles = {
        q.title
        for q in marked.questions
        if q.change is not None and (q.change.status != "same" or q.change.moved)
    }
    assert marked_titles == {
        "Observability & Reliability Engineering",
        "Incident Automation at Scale",
        "Self-Service Environment Provisioning",
        "Budget for the Next Fiscal Year",
        "Deep Agents vs. Shallow Agents (Agents 2.0)",
    }


def test_the_same_pack_twice_has_no_changes() -> None:
    pack = load_pack(BUNDLED_PACK)
    same = compare(pack, pack)
    assert not anything_changed(same)
    assert same.questions == pack.questions
    assert [q.title for q in same.questions] == [q.title for q in pack.questions]


def test_formatting_and_links_survive_a_word_level_diff() -> None:
    from briefpack.model.changes import diff_inlines

    old = (Text("See "), Link("https://a.example", (Strong((Text("the old guide"),)),)))
    new = (Text("See "), Link("https://a.example", (Strong((Text("the new guide"),)),)))
    marked = diff_inlines(old, new)
    assert marked[0] == Text("See ")
    link = marked[1]
    assert isinstance(link, Link)  # the link stays outermost, as Word needs
    assert link.href == "https://a.example"
    kinds = [(node.kind, node.children) for node in link.children if isinstance(node, Revision)]
    assert kinds == [
        ("delete", (Strong((Text("old"),)),)),
        ("insert", (Strong((Text("new"),)),)),
    ]


def test_a_plain_text_diff_reads_as_the_new_text_with_the_old_words_marked() -> None:
    marked = diff_text("9:00 AM to 10:00 AM", "9:30 AM to 10:00 AM")
    assert marked == (
        Revision("delete", (Text("9:00"),)),
        Revision("insert", (Text("9:30"),)),
        Text(" AM to 10:00 AM"),
    )
    assert diff_text("Same", "Same") == (Text("Same"),)
    assert diff_text("", "New") == (Revision("insert", (Text("New"),)),)


SPEAKERS_OLD = """\
title: Board
attendees:
  - name: Zoë Ångström
    role: Chair
    organisation: Nordic Holdings
  - name: Li Wei
  - name: Omar Haddad
days:
  - date: 2026-03-02
    sessions:
      - title: Strategy
        label: Session 1
        start: "09:00"
        end: "10:00"
        speakers:
          - name: José Ñúñez
            role: Chief Technology Officer
          - name: Dana Ruiz
          - name: Kim Park
            role: CFO
        attendees: [Zoë Ångström, Li Wei, Omar Haddad]
        questions:
          - title: Direction
            question: Where are we going?
"""
#: The same pack with every attribute change: the label, the time, a speaker's role
#: changed, given and taken, a speaker gone and one come; attendees likewise.
SPEAKERS_NEW = (
    SPEAKERS_OLD.replace("label: Session 1", "label: Opening")
    .replace('start: "09:00"\n        end: "10:00"', 'start: "09:30"\n        end: "10:30"')
    .replace("role: Chief Technology Officer", "role: Chief Executive Officer")
    .replace("- name: Dana Ruiz\n", "- name: Dana Ruiz\n            role: COO\n")
    .replace("          - name: Kim Park\n            role: CFO\n", "          - name: Ana Costa\n")
    .replace("organisation: Nordic Holdings", "organisation: Baltic Partners")
    .replace("  - name: Li Wei\n", "  - name: Li Wei\n    role: Secretary\n")
    .replace("  - name: Omar Haddad\n", "  - name: Ines Moreau\n")
    .replace("Li Wei, Omar Haddad]", "Li Wei, Ines Moreau]")
)


@pytest.fixture
def people(tmp_path: Path) -> Pack:
    (tmp_path / "old.yaml").write_text(SPEAKERS_OLD, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(SPEAKERS_NEW, encoding="utf-8")
    return compare(load_pack(tmp_path / "old.yaml"), load_pack(tmp_path / "new.yaml"))


def test_a_speakers_new_role_is_a_role_change_not_the_speaker_removed_and_added(
    people: Pack,
) -> None:
    change = people.sessions[0].change
    assert change is not None
    assert change.status == "edited"
    roles = [d for d in change.details if d.who == "José Ñúñez"]
    assert roles == [
        Detail("role", "Chief Technology Officer", "Chief Executive Officer", "José Ñúñez")
    ]


def test_every_attribute_change_of_a_session_is_said_in_words_once_for_both_writers(
    people: Pack,
) -> None:
    change = people.sessions[0].change
    assert wording_for("en").change_lines(change) == [
        "Label changed from Session 1 to Opening",
        "Time changed from 9:00\u202f\u2013\u200910:00\u00a0AM"
        " to 9:30\u202f\u2013\u200910:30\u00a0AM",
        "Speaker removed: Kim Park",
        "José Ñúñez: role changed from Chief Technology Officer to Chief Executive Officer",
        "Dana Ruiz: role set to COO",
        "Speaker added: Ana Costa",
    ]
    assert wording_for("de").change_lines(change)[3] == (
        "José Ñúñez: Funktion geändert von Chief Technology Officer in Chief Executive Officer"
    )
    assert wording_for("es").change_lines(change)[1] == (
        "Hora cambiada de 9:00\u201310:00 a 9:30\u201310:30"
    )


def test_attendees_added_removed_or_with_a_new_role_or_organisation_are_changes(
    people: Pack,
) -> None:
    english = wording_for("en")
    lines = [
        (english.status_label(change, "attendee"), change.name, english.change_lines(change))
        for change in people.attendee_changes
    ]
    assert lines == [
        ("Attendee changed", "Zoë Ångström", [
            "Zoë Ångström: organisation changed from Nordic Holdings to Baltic Partners",
        ]),
        ("Attendee changed", "Li Wei", ["Li Wei: role set to Secretary"]),
        ("Attendee removed", "Omar Haddad", []),
        ("Attendee added", "Ines Moreau", []),
    ]  # fmt: skip


def test_a_retitled_or_moved_question_says_so_in_words(marked: Pack) -> None:
    english = wording_for("en")
    _, retitled = find(marked, "Incident Automation at Scale")
    assert english.change_lines(retitled.change) == [
        "Title changed from Automated Incident Management to Incident Automation at Scale"
    ]
    _, moved = find(marked, "Deep Agents vs. Shallow Agents (Agents 2.0)")
    assert english.change_lines(moved.change) == ["Moved from AgentCore"]
    assert wording_for("fr").change_lines(moved.change) == ["Déplacée depuis AgentCore"]
    unchanged = next(s for s in marked.sessions if s.title == "DevOps Culture at Amazon")
    assert english.change_lines(unchanged.change) == []
