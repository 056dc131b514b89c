"""Agenda items (issue 30, item 1): papers, purposes, owners, durations and computed times."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from docx import Document

from briefpack.content.validate import load_pack

from conftest import WritePack, problems, run, valid
from pdf_helpers import page_texts

BOARD = """\
title: Board meeting
organisation: Acme plc
days:
  - date: 2026-01-20
    start: "09:00"
    end: "11:00"
    sessions:
      - title: Minutes of the last meeting
        paper: "1.1"
        purpose: noting
        owner: Dana Kim
        duration: 15
        questions:
          - title: Accuracy
            question: Are the minutes a true record?
      - break: 15
        title: Coffee
      - title: FY26 budget
        label: Item 2
        paper: "3.2"
        purpose: decision
        owner: Chief Financial Officer
        duration: 25
        speakers:
          - name: Dana Kim
            role: CFO
        questions:
          - title: Headroom
            question: What headroom does the budget leave?
      - title: Strategy refresh
        paper: "4.1"
        purpose: discussion
        duration: 40
        questions:
          - title: Direction
            question: Where are we going?
      - title: Audit report
        paper: "5"
        purpose: decision
        start: "10:40"
        end: "11:00"
        duration: 20
        questions:
          - title: Findings
            question: Which findings are still open?
"""


def _times(path: Path) -> list[tuple[str, str, str]]:
    pack = valid(path)
    return [(s.title, f"{s.start:%H:%M}", f"{s.end:%H:%M}") for s in pack.sessions]


def test_sessions_with_durations_follow_on_from_the_days_start_and_its_breaks(
    write_pack: WritePack,
) -> None:
    path = write_pack(BOARD)
    assert _times(path) == [
        ("Minutes of the last meeting", "09:00", "09:15"),
        ("FY26 budget", "09:30", "09:55"),
        ("Strategy refresh", "09:55", "10:35"),
        ("Audit report", "10:40", "11:00"),
    ]
    (day,) = valid(path).days
    ((after, start, end, title),) = [(b.after, b.start, b.end, b.title) for b in day.breaks]
    assert (after, start, end, title) == (1, dt.time(9, 15), dt.time(9, 30), "Coffee")
    session = valid(path).sessions[1]
    assert (session.paper, session.purpose, session.owner) == (
        "3.2", "decision", "Chief Financial Officer"
    )  # fmt: skip


def test_an_item_moved_earlier_moves_every_item_that_follows_it(write_pack: WritePack) -> None:
    moved = BOARD.replace("        duration: 15\n", "        duration: 5\n", 1)
    assert _times(write_pack(moved))[:3] == [
        ("Minutes of the last meeting", "09:00", "09:05"),
        ("FY26 budget", "09:20", "09:45"),
        ("Strategy refresh", "09:45", "10:25"),
    ]


def test_a_duration_that_disagrees_with_the_times_is_an_error_at_its_line(
    write_pack: WritePack,
) -> None:
    path = write_pack(BOARD.replace("        duration: 20\n", "        duration: 25\n"))
    assert problems(path) == [
        "pack.yaml:42:19: 'duration' says 25 minutes, but the session runs from 10:40 to "
        "11:00 (20 minutes); correct one of them, or leave one out"
    ]


def test_a_day_that_runs_past_its_end_is_a_warning_that_says_by_how_much(
    write_pack: WritePack,
) -> None:
    path = write_pack(BOARD.replace('    end: "11:00"\n', '    end: "10:30"\n', 1))
    warnings = [str(warning) for warning in load_pack(path, label=path.name).warnings]
    assert warnings == [
        "pack.yaml:6:10: warning: the day runs 30 minutes past its end at 10:30: "
        "its last item ends at 11:00"
    ]
    code, _, err = run("validate", str(path))
    assert code == 0
    assert "the day runs 30 minutes past its end at 10:30" in err


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # The break that follows is not timed either, nor reported: the session is the cause.
        (("    start: \"09:00\"\n", ""), [
            "pack.yaml:7:9: the session has no start: give it 'start:', or give its day a "
            "'start:' so that it follows on from the item before it",
        ]),
        (("        duration: 15\n", ""), [
            "pack.yaml:8:9: a session needs an 'end:' time or a 'duration:' in minutes",
        ]),
        (("        duration: 40\n", "        duration: forty\n"), [
            "pack.yaml:33:19: 'duration' must be a whole number of minutes from 1 to 1440, "
            "not 'forty'",
        ]),
        (("      - break: 15\n", "      - break: 0\n"), [
            "pack.yaml:16:16: 'break' must be a whole number of minutes from 1 to 1440, not '0'",
        ]),
        (("        purpose: discussion\n", "        purpose: vote\n"), [
            "pack.yaml:32:18: 'purpose' must be decision or discussion or noting or "
            "information, not 'vote'",
        ]),
        (('    start: "09:00"\n', '    start: "23:30"\n'), [
            "pack.yaml:16:9: the break would end at or after midnight",
        ]),
        (("        title: Coffee\n", "        title: Coffee\n        minutes: 5\n"), [
            "pack.yaml:18:9: unknown key 'minutes' in a break; expected one of: break, title",
        ]),
    ],
)  # fmt: skip
def test_a_wrong_agenda_item_is_an_error_at_its_line(
    write_pack: WritePack, edit: tuple[str, str], expected: list[str]
) -> None:
    old, new = edit
    assert old in BOARD
    assert problems(write_pack(BOARD.replace(old, new, 1))) == expected


def test_a_session_that_would_end_after_midnight_is_refused(write_pack: WritePack) -> None:
    late = BOARD.replace('    start: "09:00"\n', '    start: "23:00"\n', 1).replace(
        "      - break: 15\n        title: Coffee\n", ""
    )
    assert problems(write_pack(late))[0] == (
        "pack.yaml:31:19: the session would end after midnight: it starts at 23:40 "
        "and lasts 40 minutes"
    )


def _pdf_text(path: Path) -> str:
    return " ".join(page_texts(path.read_bytes()))


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    body = document.element.body
    return " ".join("".join(node.text or "" for node in p.iter() if node.tag.endswith("}t"))
                    for p in body.iter() if p.tag.endswith("}p"))  # fmt: skip


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("For decision", "For discussion", "For noting",
                "2 decisions, 1 for discussion, 1 for noting", "Owner: Dana Kim")),
        ("de", ("Zur Entscheidung", "Zur Diskussion", "Zur Kenntnisnahme",
                "2 Entscheidungen, 1 zur Diskussion, 1 zur Kenntnisnahme",
                "Verantwortlich: Dana Kim")),
        ("fr", ("Pour décision", "Pour discussion", "Pour prise d\u2019acte",
                "2 décisions, 1 pour discussion, 1 pour prise d\u2019acte")),
    ],
)  # fmt: skip
def test_purposes_papers_and_owners_are_on_the_pages_of_both_formats(
    tmp_path: Path, language: str, words: tuple[str, ...]
) -> None:
    pack = tmp_path / "board.yaml"
    pack.write_text(BOARD + f"options:\n  language: {language}\n", encoding="utf-8")
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "-q")
    assert code == 0, err
    out = tmp_path / "out" / "board"
    pdf, docx = _pdf_text(out / "board.pdf"), _docx_text(out / "board.docx")
    for text in (pdf, docx):
        for word in (*words, "3.2 FY26 budget", "1.1 Minutes of the last meeting"):
            assert word in text, (word, text[:3000])
    # The purpose is on the band, in the at-a-glance table and in the contents: three times
    # for each of the two items for decision (the cover counts them in other words).
    decision = words[0]
    assert len(re.findall(re.escape(decision), pdf)) == 6
    assert len(re.findall(re.escape(decision), docx)) == 6
    # A session's own pack: its paper before its title, its purpose on its cover.
    session_pdf = _pdf_text(next((out / "sessions").glob("02-*.pdf")))
    assert session_pdf.count(decision) >= 2
    assert "3.2 FY26 budget" in session_pdf


def test_a_changes_copy_keeps_the_paper_before_a_retitled_items_marked_title(
    tmp_path: Path,
) -> None:
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text(BOARD, encoding="utf-8")
    pack = tmp_path / "board.yaml"
    pack.write_text(
        BOARD.replace(
            "title: FY26 budget\n", "title: FY26 budget and plan\n        id: fy26-budget\n"
        ).replace("purpose: discussion", "purpose: decision"),
        encoding="utf-8",
    )
    earlier.write_text(
        BOARD.replace("title: FY26 budget\n", "title: FY26 budget\n        id: fy26-budget\n"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, _, err = run(
        "build", str(pack), "-o", str(out), "-q", "--no-sessions", "--changes-since", str(earlier)
    )
    assert code == 0, err
    changes = out / "board" / "board.changes.pdf"
    text = _pdf_text(changes)
    assert "3.2 FY26 budget" in text
    assert "and plan" in text
    assert "3 decisions, 1 for noting" in text
    assert "3.2 FY26 budget" in _docx_text(changes.with_suffix(".docx"))


def test_the_bundled_pack_uses_no_agenda_key_and_keeps_its_times(tmp_path: Path) -> None:
    bundled = Path(__file__).resolve().parent.parent / "content" / "aws-devex-2025.yaml"
    pack = valid(bundled)
    assert all(s.paper is None and s.purpose is None and s.owner is None for s in pack.sessions)
    assert all(not day.breaks for day in pack.days)


def test_a_break_is_a_row_of_the_at_a_glance_table_in_both_formats(tmp_path: Path) -> None:
    pack = tmp_path / "board.yaml"
    pack.write_text(BOARD.replace("        title: Coffee\n", ""), encoding="utf-8")
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "-q", "--no-sessions")
    assert code == 0, err
    out = tmp_path / "out" / "board"
    glance = page_texts((out / "board.pdf").read_bytes())[1]
    # Between the first item and the second, with its own times.
    assert re.search(r"9:15\sAM 9:30\sAM Break 9:30\sAM", glance), glance
    document = Document(str(out / "board.docx"))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[2][1:3] == ["9:15\u00a0AM\n9:30\u00a0AM", "Break"], rows
    assert [row[2].split("\n")[-1] for row in rows[1:]] == [
        "For noting", "Break", "For decision", "For discussion", "For decision"
    ]  # fmt: skip


def test_a_readers_pack_leaves_out_the_break_after_a_session_it_leaves_out(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "board.yaml"
    reader = "recipients:\n  - name: Ada Brennan\n    exclude: [minutes-of-the-last-meeting]\n"
    pack.write_text(BOARD + reader, encoding="utf-8")
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "-q", "--no-sessions", "--per-recipient"
    )
    assert code == 0, err
    texts = page_texts((tmp_path / "out" / "board" / "recipients" / "ada-brennan.pdf").read_bytes())
    assert "Coffee" not in " ".join(texts)
    assert "Coffee" in " ".join(page_texts((tmp_path / "out" / "board" / "board.pdf").read_bytes()))


def test_only_a_pack_that_reads_as_an_agenda_takes_the_agenda_styles(write_pack: WritePack) -> None:
    from briefpack.build.chosen_settings import resolve_settings
    from briefpack.render.html import render_html, stylesheet_text

    bundled = valid(Path(__file__).resolve().parent.parent / "content" / "aws-devex-2025.yaml")
    # A duration alone (the same times) makes a pack an agenda, as a purpose does.
    timed = valid(write_pack(BOARD.replace("        purpose: noting\n", "")))
    assert (bundled.agenda, timed.agenda) == (False, True)
    theme = resolve_settings(bundled, {}).chosen_theme
    assert ".purpose-tag" not in stylesheet_text(theme)
    assert ".purpose-tag" in stylesheet_text(theme, agenda=True)
    assert stylesheet_text(theme, agenda=True).startswith(stylesheet_text(theme))
    # Said in the HTML, so that a book's parts of either kind are told apart by their keys.
    html = render_html(timed, resolve_settings(timed, {})).data.decode("utf-8")
    assert '<html lang="en" class="agenda">' in html
    assert '<html lang="en">' in render_html(bundled, resolve_settings(bundled, {})).data.decode()
