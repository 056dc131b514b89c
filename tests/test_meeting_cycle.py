"""The meeting's whole cycle at once (issue 30): agenda, register, harvest, minutes, calendar.

One board meeting goes through what a secretary does with it: the pack with
computed times, purposes and reading times and its Matters arising (an
overdue action), a filled copy harvested into the register, the minutes
built after, and the calendar read back by the ``icalendar`` library.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from docx import Document

from briefpack.content.register_file import load_register

from conftest import run
from harvest_copies import fill_pdf
from pdf_helpers import page_texts

MEETING = """\
title: Audit Committee
location: Board room, 2 Finsbury Avenue
register: committee.register.yaml
attendees:
  - name: Ruth Ade
    role: Chair
    attended: true
  - name: Tom Brand
    attended: false
days:
  - date: 2026-04-14
    start: "14:00"
    end: "15:30"
    sessions:
      - title: External audit plan
        paper: "AC/26/3"
        purpose: decision
        owner: Ruth Ade
        duration: 30
        questions:
          - title: Materiality
            context: The auditor proposes a lower threshold this year.
            question: Why is materiality lower than last year?
      - break: 10
      - title: Internal controls update
        paper: "AC/26/4"
        purpose: noting
        duration: 20
        questions:
          - title: Open findings
            question: Which findings are past their agreed date?
options:
  timezone: Europe/London
  answer_fields: true
"""

REGISTER = """\
actions:
  - id: A-4
    text: Report on the supplier payment controls
    owner: Tom Brand
    due: 2026-03-31
    raised: 2026-01-20
decisions:
  - id: D-2
    text: Appoint the internal audit co-source provider
    date: 2026-01-20
"""

AUDIT = "external-audit-plan--materiality"


def _text_of_docx(path: Path) -> str:
    body = Document(str(path)).element.body
    return " ".join(node.text or "" for node in body.iter() if node.tag.endswith("}t"))


def _build(pack: Path, out: Path, *extra: str) -> None:
    code, _, err = run("build", str(pack), "-o", str(out), "-q", "--no-sessions", *extra)
    assert code == 0, err


def test_a_meeting_from_agenda_to_minutes_and_calendar(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    pack = content / "committee.yaml"
    pack.write_text(MEETING, encoding="utf-8")
    (content / "committee.register.yaml").write_text(REGISTER, encoding="utf-8")
    out = tmp_path / "out"
    _build(pack, out, "-f", "pdf", "-f", "docx", "-f", "ics")
    folder = out / "committee"

    # Before the meeting: times from the durations, purposes, reading times, matters arising.
    pdf = " ".join(page_texts((folder / "committee.pdf").read_bytes()))
    docx = _text_of_docx(folder / "committee.docx")
    for text in (pdf, docx):
        assert "AC/26/3 External audit plan" in text
        assert "For decision" in text
        assert "For noting" in text
        assert "Pre-reading" in text
        assert re.search(r"1 open action, 1 overdue", text), text[:2000]
        assert re.search(r"A-4 Report on the supplier payment controls.*?Overdue", text)
    assert re.search(r"2:00\sPM 2:30\sPM AC/26/3 External audit plan", pdf)
    assert re.search(r"2:40\sPM 3:00\sPM AC/26/4 Internal controls update", pdf)

    # The calendar reads back to the same times, in the meeting's zone.
    calendar = icalendar.Calendar.from_ical((folder / "committee.ics").read_bytes())
    events = [(str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND"))
              for e in calendar.walk("VEVENT")]  # fmt: skip
    london = ZoneInfo("Europe/London")

    def at(hour: int, minute: int) -> dt.datetime:
        return dt.datetime(2026, 4, 14, hour, minute, tzinfo=london)

    assert [(start, end) for _, start, end in events] == [
        (at(14, 0), at(14, 30)),
        (at(14, 40), at(15, 0)),
    ]

    # After the meeting: one filled copy harvested adds exactly one action and one decision.
    filled = fill_pdf(folder / "committee.pdf", tmp_path / "filled.pdf", {
        f"answer:{AUDIT}": "Because revenue fell by a fifth.",
        f"action:{AUDIT}": "Confirm the threshold with the auditor",
        f"action-owner:{AUDIT}": "Ruth Ade",
        f"action-due:{AUDIT}": "2026-05-01",
        "decision:external-audit-plan": "The committee approved the audit plan.",
    })  # fmt: skip
    before = load_register(content / "committee.register.yaml", "register")
    code, _, err = run("harvest", str(filled), "--into", str(content / "committee.answers.yaml"))
    assert code == 0, err
    after = load_register(content / "committee.register.yaml", "register")
    assert after.actions[:1] == before.actions
    assert after.decisions[:1] == before.decisions
    assert [(a.id, a.text, a.owner, a.due) for a in after.actions[1:]] == [
        ("A-5", "Confirm the threshold with the auditor", "Ruth Ade", dt.date(2026, 5, 1))
    ]
    assert [(d.id, d.text) for d in after.decisions[1:]] == [
        ("D-3", "The committee approved the audit plan.")
    ]

    # The minutes: present and apologies, each item's decision and actions under it.
    _build(pack, out, "--minutes", "-f", "pdf", "-f", "docx")
    minutes_pdf = " ".join(page_texts((folder / "committee.minutes.pdf").read_bytes()))
    minutes_docx = _text_of_docx(folder / "committee.minutes.docx")
    for text in (minutes_pdf, minutes_docx):
        assert "Ruth Ade" in text
        assert "Tom Brand" in text
        audit, controls = text.split("AC/26/4", 1)
        assert "The committee approved the audit plan." in audit
        assert "Confirm the threshold with the auditor" in audit
        assert "Because revenue fell by a fifth." in audit
        assert "approved" not in controls
