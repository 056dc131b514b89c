"""The calendar: one iCalendar (RFC 5545) event per session, for ``build -f ics``.

Each session becomes a VEVENT whose UID is made of the session's id and the
pack's name (``budget@board-2026.briefpack``), so that a calendar which
imported the file before updates its events when it is imported again,
whatever their times or titles have become.  The times are in the pack's
``options.timezone``, with its VTIMEZONE; without one they float (the
clock times as written, in whatever zone the calendar shows).  Everything
here comes from the model, and DTSTAMP from the document date, never the
clock: the same pack gives the same bytes.  The ``icalendar`` library writes
the text (escaping, line folding, the VTIMEZONE from the time zone database).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from briefpack.render.rendered import Rendered
from briefpack.render.wording import Wording, session_heading, wording_for

if TYPE_CHECKING:
    from icalendar import Calendar, Event

    from briefpack.model import Day, Pack, Session
    from briefpack.render.settings import RenderSettings

#: Who made the file, as RFC 5545's PRODID says it: no version, so that the bytes stay put.
PRODID = "-//briefpack//briefpack//EN"
#: The domain-like part of every UID: the pack's name, then this.
UID_SUFFIX = ".briefpack"


def render_ics(pack: Pack, settings: RenderSettings) -> Rendered:
    """The pack's sessions as an iCalendar file, in pack order, one event each."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", pack.title)
    if pack.options.timezone:
        calendar.add("x-wr-timezone", pack.options.timezone)
    wording = wording_for(pack.options.language, pack.options.time_format)
    stamp = settings.created.astimezone(dt.UTC)
    for day in pack.days:
        for session in day.sessions:
            calendar.add_component(_event(pack, day, session, wording, stamp))
    _add_time_zone(calendar, pack)
    return Rendered(calendar.to_ical())


def session_uid(pack_name: str, session_id: str) -> str:
    """A session's UID: ``ID@PACK.briefpack``, the same in every build and every reader's file.

    >>> session_uid("board-2026", "fy26-budget")
    'fy26-budget@board-2026.briefpack'
    """
    return f"{session_id}@{pack_name}{UID_SUFFIX}"


def session_times(pack: Pack, day: Day, session: Session) -> tuple[dt.datetime, dt.datetime]:
    """When a session starts and ends: aware in the pack's time zone, else floating.

    An end before the start is taken to be after midnight.
    """
    tzinfo = None
    if pack.options.timezone:
        from zoneinfo import ZoneInfo

        tzinfo = ZoneInfo(pack.options.timezone)
    start = dt.datetime.combine(day.date, session.start, tzinfo=tzinfo)
    end = dt.datetime.combine(day.date, session.end, tzinfo=tzinfo)
    if end < start:
        end += dt.timedelta(days=1)
    return start, end


def _event(pack: Pack, day: Day, session: Session, wording: Wording, stamp: dt.datetime) -> Event:
    """The VEVENT of one session."""
    from icalendar import Event

    event = Event()
    event.add("uid", session_uid(pack.name, session.id))
    event.add("dtstamp", stamp)
    start, end = session_times(pack, day, session)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", session_heading(session))
    location = session.location or pack.location
    if location:
        event.add("location", location)
    event.add("description", description(session, wording))
    return event


def description(session: Session, wording: Wording) -> str:
    """What the event's notes say: the paper and its purpose, the owner, speakers, questions.

    One fact a line, worded in the pack's language, as the pages word them.
    """
    lines = []
    heading = []
    if session.paper:
        heading.append(wording.gettext("Paper %(paper)s") % {"paper": session.paper})
    if session.purpose:
        heading.append(wording.purpose(session.purpose))
    if heading:
        lines.append(" \u00b7 ".join(heading))
    if session.owner:
        lines.append(wording.owner(session.owner))
    if session.speakers:
        names = ", ".join(
            f"{speaker.name} ({speaker.role})" if speaker.role else speaker.name
            for speaker in session.speakers
        )
        lines.append(f"{wording.gettext('Speakers')}: {names}")
    lines.append(wording.questions(len(session.questions)))
    return "\n".join(lines)


def _add_time_zone(calendar: Calendar, pack: Pack) -> None:
    """The VTIMEZONE of the pack's zone, for the years its days fall in (and the next)."""
    if not pack.options.timezone or not pack.days:
        return
    dates = [day.date for day in pack.days]
    first = dt.date(min(dates).year, 1, 1)
    last = dt.date(max(dates).year + 1, 1, 1)
    calendar.add_missing_timezones(first_date=first, last_date=last)
