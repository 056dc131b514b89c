"""``briefpack import FILE.ics``: a calendar's events as the start of a pack.

Each timed event is a session: its SUMMARY the title, its start and end the
times, its LOCATION the place, its DESCRIPTION the context of a first
question for the author to rewrite (a session needs one to validate).  The
events are grouped into days by their date in their own time zone, and the
pack's ``options.timezone`` is that zone when every event shares one.  A
session's id comes from a UID briefpack wrote (``ID@PACK.briefpack``), else
from its title, so that the same calendar always gives the same ids.

Nothing is dropped silently: an all-day event, one without a start, one
that runs into the next day is returned as skipped, at its line.  A file
that is not iCalendar is one ``PATH:LINE:COL: message``: its lines are read
here first for their shape (the parser's own errors name no line).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefpack.content.slug import is_slug, slugify
from briefpack.errors import BriefpackError, Mark, Problem, at

if TYPE_CHECKING:
    from icalendar import Calendar, Event

#: A content line's start: its property name, then its parameters or its value.
_NAME = re.compile(r"[A-Za-z0-9-]+(?=[;:])")
#: The properties an event is read from: a broken one is an error, at its line.
_READ = ("DTSTART", "DTEND", "DURATION", "SUMMARY", "LOCATION", "DESCRIPTION", "UID")
#: The id a UID that briefpack wrote carries: ``ID@PACK.briefpack``.
_OWN_UID = re.compile(r"([a-z0-9-]+)@[^@]+\.briefpack")
#: The first question of an imported session, for the author to rewrite.
PLACEHOLDER_TITLE = "To prepare"
PLACEHOLDER_QUESTION = "What should we ask in this session? (Imported from a calendar.)"


@dataclass(frozen=True, slots=True)
class _Session:
    """One event read as a session: where it is in the file, and what it says."""

    start: dt.datetime
    end: dt.datetime
    title: str
    uid: str
    location: str | None
    description: str | None
    #: The IANA name of its time zone; ``None`` for floating times.
    zone: str | None


def import_calendar(text: str, label: str, name: str) -> tuple[dict[str, Any], list[Problem]]:
    """The pack data of the calendar ``text`` (``label`` names it), and what was skipped.

    ``name`` is the pack's title when the calendar has no name of its own.
    """
    from icalendar import Calendar

    places = _event_places(text, label)
    try:
        calendar = Calendar.from_ical(text.encode("utf-8"))
    except ValueError as error:
        raise at(label, f"not a calendar file: {_first_line(error)}") from None
    assert isinstance(calendar, Calendar)
    events = calendar.events
    if not events:
        raise at(label, "the calendar has no events to import")
    sessions: list[_Session] = []
    notes: list[Problem] = []
    local = _calendar_zone(calendar)
    for number, event in enumerate(events):
        lines = places[number] if number < len(places) else {}
        read = _session(event, label, lines, local)
        if isinstance(read, Problem):
            notes.append(read)
        else:
            sessions.append(read)
            notes += _notes(event, label, lines)
    if not sessions:
        raise BriefpackError([*notes, Problem(label, "the calendar has no timed events")])
    title = str(calendar.calendar_name or name)
    return _pack(title, sessions), notes


def _event_places(text: str, label: str) -> list[dict[str, Mark]]:
    """Each event's properties' lines, in file order; a line of no iCalendar shape is an error.

    Folded lines (those that begin with a space or a tab) continue the one before.
    """
    places: list[dict[str, Mark]] = []
    open_: list[tuple[str, int]] = []
    started = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line[0] in " \t":
            continue
        match = _NAME.match(line)
        if match is None:
            raise at(Mark(label, number, 1), f"not an iCalendar line: {line[:60]!r}")
        name, value = match.group(0).upper(), line[match.end() + 1 :].strip().upper()
        if not started and (name, value) != ("BEGIN", "VCALENDAR"):
            raise at(
                Mark(label, number, 1), "not a calendar file: it must begin with BEGIN:VCALENDAR"
            )
        started = True
        if name == "BEGIN":
            open_.append((value, number))
            if value == "VEVENT":
                places.append({"BEGIN": Mark(label, number, 1)})
        elif name == "END":
            if not open_ or open_[-1][0] != value:
                opened = f"BEGIN:{open_[-1][0]} of line {open_[-1][1]}" if open_ else "nothing"
                raise at(Mark(label, number, 1), f"END:{value} does not close {opened}")
            open_.pop()
        elif open_ and open_[-1][0] == "VEVENT":
            places[-1].setdefault(name, Mark(label, number, len(name) + 2))
    if open_:
        component, number = open_[-1]
        raise at(Mark(label, number, 1), f"BEGIN:{component} is never closed by END:{component}")
    if not started:
        raise at(label, "not a calendar file: it is empty")
    return places


def _session(
    event: Event, label: str, lines: dict[str, Mark], local: dt.tzinfo | None
) -> _Session | Problem:
    """One event as a session, or why it is skipped; a broken property is an error.

    Times in UTC are read in the calendar's own zone (``local``) when it names one:
    an export that writes every time in UTC says so (``X-WR-TIMEZONE``).
    """
    place = lines.get("BEGIN", label)
    for name, message in event.errors:
        broken = (name or "").upper()
        if broken in _READ:
            raise at(lines.get(broken, place), f"'{broken}': {message}")
    summary = str(event.get("SUMMARY", "")).strip()
    shown = summary or "an event without a SUMMARY"
    if "DTSTART" not in event:
        return Problem(place, f"skipped: an event without a start (DTSTART): {shown}")
    start, end = event.start, event.end
    if not isinstance(start, dt.datetime) or not isinstance(end, dt.datetime):
        return Problem(place, f"skipped: an all-day event, without times: {shown}")
    if local is not None and _zone(start) == "UTC":
        start = start.astimezone(local)
    if start.tzinfo is None:
        end = end.replace(tzinfo=None)  # floating start: the end's clock time as written
    elif end.tzinfo is None:
        end = end.replace(tzinfo=start.tzinfo)
    else:
        end = end.astimezone(start.tzinfo)
    if end <= start:
        return Problem(place, f"skipped: an event that ends when it starts: {shown}")
    if end.date() != start.date():
        return Problem(place, f"skipped: an event that ends on another day: {shown}")
    location = str(event.get("LOCATION", "")).strip() or None
    # Each line of the notes its own paragraph: Markdown would run them together.
    notes = [line.strip() for line in str(event.get("DESCRIPTION", "")).splitlines()]
    description = "\n\n".join(line for line in notes if line) or None
    uid = str(event.get("UID", "")).strip()
    return _Session(start, end, summary or "Untitled", uid, location, description, _zone(start))


def _calendar_zone(calendar: Calendar) -> dt.tzinfo | None:
    """The zone the calendar says its times are shown in (``X-WR-TIMEZONE``), if known."""
    import zoneinfo

    name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    return zoneinfo.ZoneInfo(name) if name in zoneinfo.available_timezones() else None


def _zone(moment: dt.datetime) -> str | None:
    """The IANA name of ``moment``'s time zone, if it has one that the database knows."""
    import zoneinfo

    if moment.tzinfo is None:
        return None
    if moment.tzinfo is dt.UTC:
        return "UTC"
    key = getattr(moment.tzinfo, "key", None)
    return key if isinstance(key, str) and key in zoneinfo.available_timezones() else None


def _notes(event: Event, label: str, lines: dict[str, Mark]) -> list[Problem]:
    """What an imported event loses: the repeats of a repeating one, an unknown time zone."""
    place = lines.get("BEGIN", label)
    notes = []
    if "RRULE" in event or "RDATE" in event:
        place = lines.get("RRULE", lines.get("RDATE", place))
        notes.append(
            Problem(place, "skipped: the repeats of a repeating event; its first is taken")
        )
    tzid = event["DTSTART"].params.get("TZID")
    start = event.start
    if tzid and isinstance(start, dt.datetime) and start.tzinfo is None:
        notes.append(
            Problem(
                lines.get("DTSTART", place),
                f"skipped: the unknown time zone {tzid!r}; the times are taken as written",
            )
        )
    return notes


def _pack(title: str, sessions: list[_Session]) -> dict[str, Any]:
    """The pack data: days by date, sessions by start, a location and zone they all share."""
    sessions = sorted(sessions, key=lambda s: (s.start.date(), s.start.time(), s.end.time()))
    pack: dict[str, Any] = {"title": title}
    locations = {session.location for session in sessions}
    shared = locations.pop() if len(locations) == 1 else None
    if shared:
        pack["location"] = shared
    zones = {session.zone for session in sessions}
    if len(zones) == 1 and None not in zones:
        pack["options"] = {"timezone": zones.pop()}
    days: dict[dt.date, list[dict[str, Any]]] = {}
    taken: set[str] = set()
    for session in sessions:
        entry: dict[str, Any] = {
            "title": session.title,
            "id": _unique(_session_id(session), taken),
            "start": f"{session.start:%H:%M}",
            "end": f"{session.end:%H:%M}",
        }
        if session.location and not shared:
            entry["location"] = session.location
        question = {"title": PLACEHOLDER_TITLE, "question": PLACEHOLDER_QUESTION}
        if session.description:
            question["context"] = session.description
        entry["questions"] = [question]
        days.setdefault(session.start.date(), []).append(entry)
    pack["days"] = [{"date": day.isoformat(), "sessions": items} for day, items in days.items()]
    return pack


def _session_id(session: _Session) -> str:
    """The id a briefpack UID carries, else the title's slug (``session`` if it has none)."""
    own = _OWN_UID.fullmatch(session.uid)
    if own and is_slug(own.group(1)):
        return own.group(1)
    return slugify(session.title) or "session"


def _unique(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``... if another session has it."""
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    taken.add(candidate)
    return candidate


def _first_line(error: Exception) -> str:
    """An exception's message, on one line."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
