"""The calendar (issue 30, item 5): ``build -f ics`` and ``import FILE.ics``, read back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from conftest import WritePack, problems, run, valid

BOARD = """\
title: Board meeting
organisation: Acme plc
location: Head office, London
options:
  timezone: Europe/London
recipients:
  - name: Jo Bloggs
    exclude: [strategy-refresh]
days:
  - date: 2026-06-20
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
        location: Room 4
        speakers:
          - name: Dana Kim
            role: CFO
          - name: Sam Lee
        questions:
          - title: Headroom
            question: What headroom does the budget leave?
          - title: Risks
            question: Which risks does it carry?
      - title: Strategy refresh
        paper: "4.1"
        purpose: discussion
        duration: 40
        questions:
          - title: Direction
            question: Where are we going?
  - date: 2026-06-21
    start: "13:30"
    sessions:
      - title: Audit report
        paper: "5"
        purpose: decision
        duration: 20
        questions:
          - title: Findings
            question: Which findings are still open?
"""

LONDON = ZoneInfo("Europe/London")


def _build(pack: Path, out: Path, *options: str) -> Path:
    code, output, err = run("build", str(pack), "-o", str(out), "-f", "ics", *options)
    assert code == 0, output + err
    return out / pack.stem


def _events(path: Path) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert isinstance(calendar, icalendar.Calendar)
    return list(calendar.walk("VEVENT"))


def _times(path: Path) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(event.start, event.end) for event in _events(path)]


def _session_times(pack: Path, zone: ZoneInfo | None) -> list[tuple[dt.datetime, dt.datetime]]:
    return [
        (
            dt.datetime.combine(day.date, session.start, tzinfo=zone),
            dt.datetime.combine(day.date, session.end, tzinfo=zone),
        )
        for day in valid(pack).days
        for session in day.sessions
    ]


def test_every_event_starts_and_ends_when_its_session_does_in_the_packs_time_zone(
    write_pack: WritePack, tmp_path: Path
) -> None:
    pack = write_pack(BOARD, "board.yaml")
    folder = _build(pack, tmp_path / "out")
    times = _times(folder / "board.ics")
    assert times == _session_times(pack, LONDON)
    assert times[1] == (
        dt.datetime(2026, 6, 20, 9, 30, tzinfo=LONDON),
        dt.datetime(2026, 6, 20, 9, 55, tzinfo=LONDON),
    )
    assert all(
        start.tzinfo is not None and start.tzinfo.key == "Europe/London" for start, _ in times
    )  # type: ignore[attr-defined]
    # In summer, London is an hour ahead of UTC: the VTIMEZONE says so to any calendar.
    assert times[0][0].astimezone(dt.UTC) == dt.datetime(2026, 6, 20, 8, 0, tzinfo=dt.UTC)
    assert b"BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n" in (folder / "board.ics").read_bytes()
    assert not list((folder).glob("sessions/*.ics"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "board.ics" in [entry["path"] for entry in manifest["outputs"]]


def test_without_a_time_zone_the_times_float(write_pack: WritePack, tmp_path: Path) -> None:
    pack = write_pack(BOARD.replace("options:\n  timezone: Europe/London\n", ""), "board.yaml")
    path = _build(pack, tmp_path / "out") / "board.ics"
    assert _times(path) == _session_times(pack, None)
    assert "VTIMEZONE" not in path.read_text(encoding="utf-8")


def test_each_event_says_where_who_and_what_for(write_pack: WritePack, tmp_path: Path) -> None:
    pack = write_pack(BOARD, "board.yaml")
    events = _events(_build(pack, tmp_path / "out") / "board.ics")
    assert [str(event["SUMMARY"]) for event in events] == [
        "1.1 Minutes of the last meeting",
        "Item 2: 3.2 FY26 budget",
        "4.1 Strategy refresh",
        "5 Audit report",
    ]
    assert [str(event["LOCATION"]) for event in events] == [
        "Head office, London", "Room 4", "Head office, London", "Head office, London"
    ]  # fmt: skip
    assert str(events[1]["DESCRIPTION"]).splitlines() == [
        "Paper 3.2 \u00b7 For decision",
        "Owner: Chief Financial Officer",
        "Speakers: Dana Kim (CFO), Sam Lee",
        "2 questions",
    ]


def test_a_german_pack_words_the_purpose_in_german(write_pack: WritePack, tmp_path: Path) -> None:
    german = BOARD.replace("options:\n", "options:\n  language: de\n")
    events = _events(_build(write_pack(german, "board.yaml"), tmp_path / "out") / "board.ics")
    description = str(events[1]["DESCRIPTION"])
    assert "Zur Entscheidung" in description
    assert "For decision" not in description
    assert "Zur Diskussion" in str(events[2]["DESCRIPTION"])


def test_uids_are_unique_and_survive_an_edit_of_titles_and_times(
    write_pack: WritePack, tmp_path: Path
) -> None:
    pack = write_pack(BOARD, "board.yaml")
    before = [str(event["UID"]) for event in _events(_build(pack, tmp_path / "a") / "board.ics")]
    assert len(set(before)) == len(before) == 4
    assert before[1] == "fy26-budget@board.briefpack"
    edited = BOARD.replace(
        "      - title: FY26 budget\n", "      - title: FY27 budget\n        id: fy26-budget\n"
    )
    edited = edited.replace("duration: 15\n", "duration: 10\n", 1)
    pack.write_text(edited, encoding="utf-8")
    events = _events(_build(pack, tmp_path / "b") / "board.ics")
    assert [str(event["UID"]) for event in events] == before
    assert str(events[1]["SUMMARY"]) == "Item 2: 3.2 FY27 budget"
    assert events[1].start == dt.datetime(2026, 6, 20, 9, 25, tzinfo=LONDON)


def test_the_calendar_is_the_same_bytes_build_after_build_and_on_any_number_of_workers(
    write_pack: WritePack, tmp_path: Path
) -> None:
    pack = write_pack(BOARD, "board.yaml")
    one = _build(pack, tmp_path / "one", "-j", "1", "--per-recipient")
    two = _build(pack, tmp_path / "two", "-j", "2", "--per-recipient")
    again = _build(pack, tmp_path / "again", "-j", "1", "--per-recipient", "--force")
    for name in ("board.ics", "recipients/jo-bloggs.ics"):
        assert (one / name).read_bytes() == (two / name).read_bytes() == (again / name).read_bytes()
    stamps = {str(event["DTSTAMP"].to_ical()) for event in _events(one / "board.ics")}
    assert stamps == {"b'20260620T000000Z'"}  # the document date, never the clock


def test_a_readers_calendar_leaves_out_the_sessions_they_must_not_see(
    write_pack: WritePack, tmp_path: Path
) -> None:
    folder = _build(write_pack(BOARD, "board.yaml"), tmp_path / "out", "--per-recipient")
    events = _events(folder / "recipients" / "jo-bloggs.ics")
    uids = [str(event["UID"]) for event in events]
    assert "strategy-refresh@board.briefpack" not in uids
    assert len(uids) == 3
    assert not (folder / "recipients" / "jo-bloggs.pdf").exists()


def test_an_up_to_date_calendar_is_not_rendered_again(
    write_pack: WritePack, tmp_path: Path
) -> None:
    pack = write_pack(BOARD, "board.yaml")
    out = tmp_path / "out"
    _build(pack, out)
    code, output, _ = run("build", str(pack), "-o", str(out), "-f", "ics")
    assert code == 0
    assert output.startswith("0 written, 1 up to date"), output
    pack.write_text(BOARD.replace("Room 4", "Room 5"), encoding="utf-8")
    code, output, _ = run("build", str(pack), "-o", str(out), "-f", "ics")
    assert "\n1 written, 0 up to date" in output, output


def test_an_unknown_time_zone_is_reported_at_its_line(write_pack: WritePack) -> None:
    path = write_pack(BOARD.replace("Europe/London", "Europe/Londn"))
    assert problems(path) == [
        "pack.yaml:5:13: 'timezone': unknown time zone 'Europe/Londn'; "
        "did you mean 'Europe/London'?"
    ]


def test_an_imported_calendar_is_a_valid_pack_with_the_same_times(
    write_pack: WritePack, tmp_path: Path
) -> None:
    pack = write_pack(BOARD, "board.yaml")
    calendar = _build(pack, tmp_path / "out") / "board.ics"
    target = tmp_path / "imported" / "again.yaml"
    code, output, err = run("import", str(calendar), "-o", str(target))
    assert code == 0, output + err
    imported = valid(target)
    assert imported.options.timezone == "Europe/London"
    assert imported.location == "Head office, London" or imported.sessions[1].location == "Room 4"
    assert _session_times(target, LONDON) == _session_times(pack, LONDON)
    assert [session.id for session in imported.sessions] == [s.id for s in valid(pack).sessions]
    assert [len(day.sessions) for day in imported.days] == [3, 1]
    context = imported.sessions[1].questions[0].context
    assert context is not None
    assert "For decision" in context.source
    # Built again, the imported pack's calendar has the same events at the same times.
    assert _times(_build(target, tmp_path / "again") / "again.ics") == _times(calendar)


def test_a_calendar_of_another_application_imports_by_its_own_time_zone(tmp_path: Path) -> None:
    source = tmp_path / "offsite.ics"
    source.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        "BEGIN:VEVENT\r\nUID:1@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;TZID=America/New_York:20261012T090000\r\n"
        "DTEND;TZID=America/New_York:20261012T100000\r\nSUMMARY:Kick-off\r\n"
        "DESCRIPTION:Goals for the year\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:2@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;VALUE=DATE:20261013\r\nSUMMARY:Free day\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    target = tmp_path / "offsite.yaml"
    code, _, err = run("import", str(source), "-o", str(target))
    assert code == 0, err
    assert err.splitlines() == [
        f"{source}:12:1: skipped: an all-day event, without times: Free day"
    ]
    imported = valid(target)
    assert imported.options.timezone == "America/New_York"
    ((session,),) = [day.sessions for day in imported.days]
    assert (session.title, session.start, session.end) == ("Kick-off", dt.time(9), dt.time(10))
    assert run("import", str(source), "-o", str(tmp_path / "strict.yaml"), "--strict")[0] != 0


def test_times_an_export_writes_in_utc_are_read_in_the_calendars_own_zone(tmp_path: Path) -> None:
    source = tmp_path / "export.ics"
    source.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//y//EN\nX-WR-CALNAME:Away day\n"
        "X-WR-TIMEZONE:Europe/London\nBEGIN:VEVENT\nUID:a@example.com\n"
        "DTSTART:20260701T080000Z\nDTEND:20260701T093000Z\nSUMMARY:Welcome\n"
        "LOCATION:Hall\nEND:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )
    target = tmp_path / "away.yaml"
    assert run("import", str(source), "-o", str(target))[0] == 0
    imported = valid(target)
    assert (imported.title, imported.location) == ("Away day", "Hall")
    assert imported.options.timezone == "Europe/London"
    (session,) = imported.sessions
    assert (session.start, session.end) == (dt.time(9), dt.time(10, 30))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello\n", "{path}:1:1: not an iCalendar line: 'hello'"),
        (
            "BEGIN:VEVENT\nEND:VEVENT\n",
            "{path}:1:1: not a calendar file: it must begin with BEGIN:VCALENDAR",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VCALENDAR\n",
            "{path}:4:1: END:VCALENDAR does not close BEGIN:VEVENT of line 2",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART:tomorrow\nEND:VEVENT\nEND:VCALENDAR\n",
            "{path}:4:9: 'DTSTART': ",  # then icalendar's words, which name the value
        ),
        (
            "BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n",
            "{path}: the calendar has no events to import",
        ),
    ],
)
def test_a_broken_calendar_is_one_line_and_a_failure(
    tmp_path: Path, text: str, message: str
) -> None:
    source = tmp_path / "broken.ics"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "broken.yaml"
    code, output, err = run("import", str(source), "-o", str(target))
    assert code != 0
    (line,) = err.strip().splitlines()
    assert line.startswith(message.format(path=source))
    assert "Traceback" not in output + err
    assert not target.exists()
