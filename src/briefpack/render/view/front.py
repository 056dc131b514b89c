"""The pages before the sessions: cover, changes page, debrief, at a glance, attendees.

Each is computed once from the model and the settings, worded in the
reader's language, for both writers: the debrief's tally, the rows of the
at-a-glance table and the entries of the changes page used to be counted
and worded by the template and again by the Word writer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from briefpack.model import PURPOSES, Attendee, Day, Pack, Session, Speaker
from briefpack.model.change_details import AttendeeChange
from briefpack.model.rich_text import Image, Markdown
from briefpack.render.qr_code import LatestLink, latest_link
from briefpack.render.settings import RenderSettings
from briefpack.render.view.reading import (
    minutes,
    reading_of,
    session_words,
    shown_sessions,
    shows_reading,
)
from briefpack.render.view.sessions import DayView, SessionView
from briefpack.render.wording import Wording, is_sensitive, issue_lines, shown_title


@dataclass(frozen=True, slots=True)
class Cover:
    """The cover: the full pack's, or a session pack's (``session``), each line worded."""

    session: bool
    #: ``Briefing pack``; a session pack's label, or ``Session briefing``.
    kicker: str
    #: The pack's title, or a session pack's session's.
    title: str
    #: The pack's own title and subtitle (a session pack is "part of" that event).
    event_title: str
    subtitle: str | None
    #: A session pack's "Part of <event>": the words before and after the event's title.
    part_of: tuple[str, str] | None
    #: The event's dates, or a session pack's day.
    dates: str
    #: ``2 days, 4 sessions, and 27 questions``, or a session's times and questions.
    summary: str
    #: A session pack's speakers.
    speakers: tuple[Speaker, ...]
    #: ``Prepared for Jane Doe · Oct 23, 2025`` on a recipient's full pack.
    prepared_for: str | None
    #: At its foot: who it is for or by, and how it is to be handled.
    organisation: str | None
    author: str | None
    classification: str | None
    #: Whether the classification asks for care ("Confidential"): shown in the accent colour.
    sensitive: bool
    #: ``3 decisions, 2 for discussion``: the meeting's asks; ``None`` if no agenda item says.
    purposes: str | None = None
    #: ``Pre-reading: 1 h 40 min, 84 pages``: the shown sessions' reading (a session
    #: pack's, its own); ``None`` where the pack shows no reading times
    #: (:func:`~briefpack.render.view.reading.shows_reading`).
    reading: str | None = None
    #: ``Version 3 · issued Oct 21, 2025``, where a version is given; the footers' too.
    version: str | None = None
    #: ``Copy 2 of 5 · Prepared for ...``: a recipient's, in place of ``prepared_for``.
    copy: str | None = None
    #: The latest version's QR code and link (``options.latest_url``), on a full pack's cover.
    latest: LatestLink | None = None

    @property
    def part_of_text(self) -> str | None:
        """A session pack's "Part of <event>" as one line of text, its subtitle after it."""
        if self.part_of is None:
            return None
        line = self.part_of[0] + self.event_title + self.part_of[1]
        return f"{line} · {self.subtitle}" if self.subtitle else line


@dataclass(frozen=True, slots=True)
class BreakRow:
    """A pause between two sessions, as the at-a-glance table shows it: its times and name."""

    times: tuple[str, str]
    #: ``Coffee``, or the word for a break in the reader's language.
    title: str


@dataclass(frozen=True, slots=True)
class GlanceRow:
    """A session's row of the at-a-glance table."""

    #: The weekday and date, on the first row of its day only; else empty.
    day: tuple[str, ...]
    #: Start over end, so that the narrow column never breaks a word in any language.
    times: tuple[str, str]
    session_id: str
    label: str | None
    title: str
    heading: str
    anchor: str
    speakers: tuple[str, ...]
    #: Its questions (a removed one does not count) and pre-reads.
    questions: int
    pre_reads: int
    #: What it is for (``decision``) and its tag worded (``For decision``), if said.
    purpose: str | None = None
    purpose_text: str | None = None
    #: The day's pauses just before this row, and (on its last row) after it.
    breaks_before: tuple[BreakRow, ...] = ()
    breaks_after: tuple[BreakRow, ...] = ()
    #: Its pre-reading time in minutes, and worded (``1 h 40 min``); ``None`` where the
    #: pack shows no reading times.
    reading_minutes: int = 0
    reading: str | None = None


@dataclass(frozen=True, slots=True)
class Glance:
    """The at-a-glance table of the full pack: a group of rows per day."""

    days: tuple[tuple[GlanceRow, ...], ...]
    #: Whether it has a column of pre-reads: only when the pack has any.
    pre_reads: bool
    #: Whether it has a column of speakers: only when a session has any (a column blank
    #: all the way down is one a screen reader reads out cell by empty cell).
    speakers: bool = True
    #: Whether it has a column of pre-reading times, last: only in a pack that reads as
    #: an agenda (:func:`~briefpack.render.view.reading.shows_reading`).
    reading: bool = False


@dataclass(frozen=True, slots=True)
class AttendeeCard:
    """An attendee as the attendees' pages show them."""

    name: str
    #: ``Role · Organisation``, or either alone; ``None`` with neither.
    role_line: str | None
    bio: Markdown | None
    photo: Image | None
    #: ``JD``: what stands in for a missing photo.
    initials: str
    #: The titles of the shown sessions they take part in.
    sessions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Tally:
    """A session's line of a debrief's summary."""

    session_id: str
    heading: str
    anchor: str
    answered: int
    unanswered: int
    follow_ups: int


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A follow-up of a debrief, with the title of its question (and its key)."""

    key: str
    question: str
    text: str


@dataclass(frozen=True, slots=True)
class Debrief:
    """A debrief's first page: each session's tally, then every follow-up in the pack's order."""

    tallies: tuple[Tally, ...]
    follow_ups: tuple[FollowUp, ...]


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One entry of the changes page: what changed and where it is."""

    #: ``session``, ``question`` or ``attendee``.
    kind: str
    #: ``added``, ``removed``, ``edited`` or ``same`` (then moved).
    status: str
    #: ``Question added``, ``Session moved``: worded.
    label: str
    #: What the entry names: a session's heading, a question's title, an attendee's name.
    heading: str
    #: A session's title without its label (a question's title, an attendee's name).
    title: str
    #: The id of the session it is in or is; ``None`` for an attendee.
    session_id: str | None
    #: Where the PDF links it to (removed things are shown there too); ``None`` for an attendee.
    anchor: str | None
    #: A question's printed number; ``None`` for a removed one, a session or an attendee.
    number: int | None
    #: Whether it is in this version (neither it nor its session removed): a Word copy
    #: can point at it then only.
    present: bool
    #: The Word copy's bookmark it points at, when present; else ``None``.
    bookmark: str | None
    #: What changed besides the text, one line each.
    details: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChangesPage:
    """The page after the cover of a changes copy: its title and entries (none: "No changes")."""

    title: str
    entries: tuple[ChangeEntry, ...]


def cover(
    pack: Pack,
    session: Session | None,
    days: Sequence[DayView],
    wording: Wording,
    *,
    dates: str,
    summary: str,
    prepared_for: str | None,
    settings: RenderSettings | None = None,
) -> Cover:
    """The full pack's cover, or with ``session`` that of a session pack.

    ``dates``, ``summary`` and ``prepared_for`` are the full cover's lines, worded
    once for the view (see :class:`briefpack.render.view.PackView`); ``settings``
    give the version and the recipient's copy number.
    """
    version, copy = issue_lines(pack, settings, wording, prepared_for) if settings else (None, None)
    full = Cover(
        session=False,
        kicker=wording.gettext("Briefing pack"),
        title=pack.title,
        event_title=pack.title,
        subtitle=pack.subtitle,
        part_of=None,
        dates=dates,
        summary=summary,
        speakers=(),
        prepared_for=prepared_for,
        organisation=pack.organisation,
        author=pack.author,
        classification=pack.classification,
        sensitive=is_sensitive(pack.classification),
        purposes=_purposes(days, wording),
        reading=_reading(pack, session, days, wording),
        version=version,
        copy=copy,
        latest=latest_link(pack.options.latest_url, wording),
    )
    if session is None:
        return full
    before, _, after = wording.gettext("Part of %(event)s").partition("%(event)s")
    # The session pack's one session, as its view words it.
    [shown] = days[0].sessions
    return replace(
        full,
        session=True,
        kicker=session.label or wording.gettext("Session briefing"),
        title=shown.title,
        part_of=(before, after),
        dates=days[0].heading,
        # Every question, removed ones too, as the session's cover has always counted them.
        summary=f"{shown.time_range} · {wording.questions(len(shown.questions))}",
        speakers=session.speakers,
        prepared_for=None,
        # A session's own pack: the one tag of its item ("For decision").
        purposes=shown.purpose_text,
    )


def _purposes(days: Sequence[DayView], wording: Wording) -> str | None:
    """How many of the items shown (not those a changes copy shows removed) ask for each purpose."""
    shown = [session.purpose for day in days for session in day.sessions if not session.removed]
    return wording.purposes([(purpose, shown.count(purpose)) for purpose in PURPOSES])


def _reading(
    pack: Pack, session: Session | None, days: Sequence[DayView], wording: Wording
) -> str | None:
    """The cover's pre-reading line: the shown sessions' (not those shown removed)."""
    if not shows_reading(pack):
        return None
    ids = (view.id for day in days for view in day.sessions if not view.removed)
    reading = reading_of(shown_sessions(pack, ids), pack.options.reading_rate)
    return wording.pre_reading(reading.minutes, reading.pages)


def glance(pack: Pack, days: Sequence[DayView], wording: Wording) -> Glance:
    """The at-a-glance table of ``days`` (the full pack's), from their views."""
    models = {session.id: session for session in pack.sessions}
    model_days = {day.date: day for day in pack.days}
    reading = shows_reading(pack)
    rows = tuple(
        _with_breaks(
            tuple(
                _with_reading(
                    _glance_row(day, number, session, models[session.id]),
                    models[session.id],
                    pack.options.reading_rate if reading else None,
                    wording,
                )
                for number, session in enumerate(day.sessions)
            ),
            model_days.get(day.date),
            wording,
        )
        for day in days
    )
    return Glance(
        days=rows,
        pre_reads=bool(pack.attachments),
        speakers=any(row.speakers for day in rows for row in day),
        reading=reading,
    )


def _with_reading(row: GlanceRow, model: Session, rate: int | None, wording: Wording) -> GlanceRow:
    """``row`` with its session's pre-reading time, at ``rate`` words a minute (``None``: none)."""
    if rate is None:
        return row
    time = minutes(session_words(model), rate)
    return replace(row, reading_minutes=time, reading=wording.reading_time(time))


def _with_breaks(
    rows: tuple[GlanceRow, ...], day: Day | None, wording: Wording
) -> tuple[GlanceRow, ...]:
    """The rows with the day's pauses put among them: after the session each follows.

    A pause after a session the reader's pack leaves out is left out with it.
    """
    if day is None or not day.breaks or not rows:
        return rows
    shown = [row.session_id for row in rows]
    before: dict[int, list[BreakRow]] = {}
    after: list[BreakRow] = []
    for pause in day.breaks:
        row = BreakRow(
            (wording.clock_time(pause.start), wording.clock_time(pause.end)),
            pause.title or wording.gettext("Break"),
        )
        if pause.follows is None:
            before.setdefault(0, []).append(row)
        elif pause.follows in shown:
            index = shown.index(pause.follows) + 1
            if index < len(rows):
                before.setdefault(index, []).append(row)
            else:
                after.append(row)
    placed = [replace(row, breaks_before=tuple(before.get(n, ()))) for n, row in enumerate(rows)]
    placed[-1] = replace(placed[-1], breaks_after=tuple(after))
    return tuple(placed)


def _glance_row(day: DayView, number: int, session: SessionView, model: Session) -> GlanceRow:
    return GlanceRow(
        day=(day.weekday, day.day_and_month) if number == 0 else (),
        times=(session.start, session.end),
        session_id=session.id,
        label=session.label,
        title=session.title,
        heading=session.heading,
        anchor=session.anchor,
        # The speakers of this version: the table marks no change.
        speakers=tuple(speaker.name for speaker in model.speakers),
        questions=session.kept,
        pre_reads=len(session.pre_reads),
        purpose=session.purpose,
        purpose_text=session.purpose_text,
    )


def attendee_cards(attendees: Iterable[Attendee], days: Iterable[Day]) -> tuple[AttendeeCard, ...]:
    """The attendees' cards, each naming the sessions among ``days`` they take part in."""
    shown = [session for day in days for session in day.sessions]
    return tuple(
        AttendeeCard(
            name=attendee.name,
            role_line=" · ".join(part for part in (attendee.role, attendee.organisation) if part)
            or None,
            bio=attendee.bio,
            photo=attendee.photo,
            initials=initials(attendee.name),
            sessions=tuple(shown_title(s) for s in shown if attendee.name in s.attendees),
        )
        for attendee in attendees
    )


def initials(name: str) -> str:
    """``JD`` for Jane Doe: what stands in for a missing photo."""
    words = [word for word in name.split() if word[:1].isalpha()]
    return "".join(word[0] for word in words[:1] + words[1:][-1:]).upper()


def debrief(days: Sequence[DayView]) -> Debrief:
    """The debrief's tallies and follow-ups, counted from the answers in the days' views."""
    tallies = []
    follow_ups = []
    for day in days:
        for session in day.sessions:
            given = [question.given for question in session.questions]
            answered = sum(1 for item in given if item is not None and item.answer)
            tallies.append(
                Tally(
                    session_id=session.id,
                    heading=session.heading,
                    anchor=session.anchor,
                    answered=answered,
                    unanswered=len(given) - answered,
                    follow_ups=sum(1 for item in given if item is not None and item.follow_up),
                )
            )
            follow_ups += [
                FollowUp(question.key, question.title, question.given.follow_up)
                for question in session.questions
                if question.given is not None and question.given.follow_up
            ]
    return Debrief(tuple(tallies), tuple(follow_ups))


def changes_page(
    days: Sequence[DayView],
    attendee_changes: Iterable[AttendeeChange],
    title: str,
    wording: Wording,
) -> ChangesPage:
    """The changes page of ``days``, the views of a change-marked pack's days shown.

    Sessions and their questions in the pack's order, removed ones included,
    as their views number and name them; then ``attendee_changes``, the
    attendees who came, went or changed (the full pack's only).
    """
    entries: list[ChangeEntry] = []
    for shown in (s for day in days for s in day.sessions):
        entries += _session_entries(shown, wording)
    for change in attendee_changes:
        entries.append(
            ChangeEntry(
                kind="attendee",
                status=change.status,
                label=wording.status_label(change, "attendee"),
                heading=change.name,
                title=change.name,
                session_id=None,
                anchor=None,
                number=None,
                present=False,
                bookmark=None,
                details=tuple(wording.change_lines(change)),
            )
        )
    return ChangesPage(title, tuple(entries))


def _session_entries(session: SessionView, wording: Wording) -> list[ChangeEntry]:
    """The entries of a session and of its questions that changed, in that order."""
    entries = []
    change = session.change
    here = not session.removed
    if change is not None and session.changed:
        entries.append(
            ChangeEntry(
                kind="session",
                status=change.status,
                label=wording.status_label(change, "session"),
                heading=session.heading,
                title=session.title,
                session_id=session.id,
                anchor=session.anchor,
                number=None,
                present=here,
                bookmark=session.bookmark if here else None,
                details=tuple(wording.change_lines(change)),
            )
        )
    for question in session.questions:
        qchange = question.change
        if qchange is None or not question.changed:
            continue
        present = here and not question.removed
        entries.append(
            ChangeEntry(
                kind="question",
                status=qchange.status,
                label=wording.status_label(qchange, "question"),
                heading=question.title,
                title=question.title,
                session_id=session.id,
                anchor=question.anchor,
                number=question.number,
                present=present,
                bookmark=question.bookmark if present else None,
                details=tuple(wording.change_lines(qchange)),
            )
        )
    return entries
