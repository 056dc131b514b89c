"""The days, sessions, questions and pre-reads of a pack, as both writers print them.

Which questions are kept and how they are numbered, the line under a
session's title, its speakers as a changes copy marks them, a debrief's
answers: each decided here once, so the PDF (through the template) and the
Word copy cannot disagree about them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefpack.model import Attachment, Day, Pack, Question, Session, Speaker
from briefpack.model.answers import Answers
from briefpack.model.changes import QuestionChange, SessionChange
from briefpack.model.rich_text import Markdown
from briefpack.render.book.pre_reads import page_anchor
from briefpack.render.settings import RenderSettings
from briefpack.render.view.anchors import (
    day_anchor,
    day_bookmark,
    pre_read_entry,
    question_anchor,
    question_bookmark,
    session_anchor,
)
from briefpack.render.wording import Wording, session_heading, shown_title

#: What stands in for the number of a question a changes copy shows as removed.
REMOVED_NUMBER = "\u2013"


@dataclass(frozen=True, slots=True)
class MarkedSpeaker:
    """A session's speaker; ``kind`` is ``insert`` or ``delete`` where a changes copy marks one."""

    kind: str | None
    name: str
    role: str | None


@dataclass(frozen=True, slots=True)
class GivenAnswer:
    """What a debrief prints under a question: the answer and follow-ups given, if any.

    ``None`` (not an empty string) where nothing was given, so that a writer
    prints "Not answered" by one test.
    """

    answer: str | None
    follow_up: str | None


@dataclass(frozen=True, slots=True)
class PreReadView:
    """A pre-read (attachment) of a session: its entry in the contents and its pages."""

    #: Its place among the session's pre-reads, from 1: anchors are named by it.
    number: int
    title: str
    file: str
    pages: int
    #: ``12 pages``, worded.
    pages_text: str
    divider: bool
    #: ``Pre-read: Title``: its contents entry, and what a link to it is described as.
    entry: str
    #: Where the contents entry leads: its divider, or its first page without one.
    anchor: str
    #: The anchor of its divider (page 0), then of each of its pages.
    divider_anchor: str
    page_anchors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A question as printed: its number, whether it is removed, its answer in a debrief."""

    key: str
    title: str
    #: Its place in the session, from 1, removed questions counted: anchors are named by it.
    position: int
    #: The number printed, counting only kept questions; ``None`` for a removed one.
    number: int | None
    #: ``3``, or :data:`REMOVED_NUMBER` for a removed question.
    number_text: str
    anchor: str
    #: The Word copy's bookmark of it (:func:`~briefpack.render.view.anchors.question_bookmark`):
    #: by its number, so ``None`` for a removed question.
    bookmark: str | None
    #: Shown struck through in a changes copy; it gets no number and no answer fields.
    removed: bool
    #: Added, removed, edited or moved since the earlier version: marked as changed.
    changed: bool
    #: ``added``, ``removed``, ``edited`` or ``same``; ``None`` outside a changes copy.
    status: str | None
    #: "Moved from Session 2: ..." or "Moved" for a question moved in a changes copy.
    moved_note: str | None
    #: In a changes copy, the title's words marked inserted and deleted.
    change: QuestionChange | None
    context: Markdown | None
    question: Markdown
    #: A debrief's answer and follow-ups; ``None`` outside a debrief.
    given: GivenAnswer | None
    #: Whether it gets fields to type its answer and follow-ups in: asked for, never in
    #: a debrief (which shows the answers given) nor under a removed question.
    answer_fields: bool
    #: Whether its answer fields include the action it raises (what, owner, due date):
    #: for a pack that names a register, where harvest files the actions.
    action_fields: bool = False


@dataclass(frozen=True, slots=True)
class SessionView:
    """A session as printed: its heading, the line under it, speakers, questions, pre-reads."""

    id: str
    anchor: str
    #: The Word copy's bookmark of it: ``s3``, by its place in the change-marked pack
    #: (:func:`~briefpack.render.view.anchors.session_bookmarks`).
    bookmark: str
    label: str | None
    title: str
    #: ``Session 1: Title``: the contents, bookmarks and the changes page name it so.
    heading: str
    #: The clock times, worded: start and end alone (the at-a-glance table), and together.
    start: str
    end: str
    time_range: str
    #: The times before a change of time in a changes copy, else ``None``.
    old_times: str | None
    #: How many questions it keeps (a removed one does not count), and that number worded.
    kept: int
    questions_text: str
    #: ``9:00 to 10:00 AM · 3 questions``: the line under the session's title.
    meta: str
    #: The same line in its parts (times, separator, questions), for a copy that
    #: tracks the part that changed.
    meta_parts: tuple[str, str, str]
    #: Shown struck through in a changes copy (:func:`is_removed`).
    removed: bool
    changed: bool
    status: str | None
    #: In a changes copy, the title's and label's words marked inserted and deleted.
    change: SessionChange | None
    speakers: tuple[MarkedSpeaker, ...]
    #: The names of its attendees, in the order it names them.
    attendees: tuple[str, ...]
    questions: tuple[QuestionView, ...]
    pre_reads: tuple[PreReadView, ...]
    #: The paper's reference (``3.2``), already before ``title`` and ``heading``.
    paper: str | None = None
    #: What the item is for (``decision``), and its tag worded: ``For decision``.
    purpose: str | None = None
    purpose_text: str | None = None
    #: ``Owner: Dana Kim``: who presents it, on its band.
    owner_text: str | None = None
    #: Whether it gets a field for the decision taken: an item for decision, in a copy
    #: with answer fields of a pack that names a register.
    decision_field: bool = False


@dataclass(frozen=True, slots=True)
class DayView:
    """A day and its sessions, with its heading worded whole and in the table's two lines."""

    date: dt.date
    anchor: str
    #: The Word copy's bookmark of it: ``d2`` for the second day shown.
    bookmark: str
    #: ``Thursday, October 23, 2025``.
    heading: str
    weekday: str
    day_and_month: str
    sessions: tuple[SessionView, ...]
    #: Whether the day begins here, with its heading: not in the pack of a session
    #: that does not open it, whose pages are the full pack's (its cover names the day).
    opens: bool = True


def is_removed(entry: Question | Session) -> bool:
    """Whether a changes copy shows ``entry`` as removed: kept, struck through, not counted.

    A removed question gets no number either.
    """
    return entry.change is not None and entry.change.status == "removed"


def is_changed(change: QuestionChange | SessionChange | None) -> bool:
    """Whether a session or question is marked as changed and listed on the changes page.

    Anything but the same thing in the same place: added, removed, edited, or moved.
    """
    return change is not None and (change.status != "same" or change.moved)


def kept_questions(session: Session) -> list[Question]:
    """A session's questions without those a change-marked pack shows as removed."""
    return [question for question in session.questions if not is_removed(question)]


def pack_size(pack: Pack) -> tuple[int, int, int]:
    """How many days, sessions and questions ``pack`` has: what its cover's summary says.

    A change-marked pack still shows what was removed; it does not count it.
    """
    kept = [(day.date, s) for day in pack.days for s in day.sessions if not is_removed(s)]
    questions = sum(len(kept_questions(session)) for _, session in kept)
    return len({date for date, _ in kept}), len(kept), questions


def marked_speakers(session: Session) -> list[tuple[str | None, Speaker]]:
    """A session's speakers, each with ``insert`` or ``delete`` in a change-marked pack."""
    if session.change is not None:
        return list(session.change.speakers)
    return [(None, speaker) for speaker in session.speakers]


def given_answer(question: Question, answers: Answers | None) -> GivenAnswer | None:
    """What a debrief prints for ``question``; ``None`` outside a debrief."""
    if answers is None:
        return None
    given = answers.get(question.key)
    if given is None:
        return GivenAnswer(None, None)
    return GivenAnswer(given.answer or None, given.follow_up or None)


def day_views(
    days: Iterable[Day],
    wording: Wording,
    settings: RenderSettings,
    attendees: set[str],
    bookmarks: Mapping[str, str],
    recording: bool = False,
) -> tuple[DayView, ...]:
    """The days shown, each session worded; ``attendees`` are the names the pack lists.

    ``bookmarks`` names each session's bookmark in the Word copy
    (:func:`~briefpack.render.view.anchors.session_bookmarks`); ``recording``: the
    pack names a register, so answer fields take actions and decisions too.
    """
    return tuple(
        DayView(
            date=day.date,
            anchor=day_anchor(day.date),
            bookmark=day_bookmark(number),
            heading=wording.day_heading(day.date),
            weekday=wording.weekday(day.date),
            day_and_month=wording.day_and_month(day.date),
            sessions=tuple(
                session_view(
                    session, wording, settings, attendees, bookmarks[session.id], recording
                )
                for session in day.sessions
            ),
            opens=not day.continued,
        )
        for number, day in enumerate(days, start=1)
    )


def session_view(
    session: Session,
    wording: Wording,
    settings: RenderSettings,
    attendees: set[str],
    bookmark: str,
    recording: bool = False,
) -> SessionView:
    """One session as printed (see :class:`SessionView`); ``bookmark`` is its Word bookmark."""
    change = session.change
    kept = len(kept_questions(session))
    time_range = wording.time_range(session)
    questions_text = wording.questions(kept)
    old_times = (
        wording.times(change.old_start, change.old_end)
        if change is not None and change.old_start is not None and change.old_end is not None
        else None
    )
    anchor = session_anchor(session)
    return SessionView(
        id=session.id,
        anchor=anchor,
        bookmark=bookmark,
        label=session.label,
        title=shown_title(session),
        heading=session_heading(session),
        start=wording.clock_time(session.start),
        end=wording.clock_time(session.end),
        time_range=time_range,
        old_times=old_times,
        kept=kept,
        questions_text=questions_text,
        meta=f"{time_range} · {questions_text}",
        meta_parts=(time_range, " · ", questions_text),
        removed=is_removed(session),
        changed=is_changed(change),
        status=change.status if change is not None else None,
        change=change,
        speakers=tuple(
            MarkedSpeaker(kind, speaker.name, speaker.role)
            for kind, speaker in marked_speakers(session)
        ),
        attendees=tuple(name for name in session.attendees if name in attendees),
        questions=_question_views(session, wording, settings, bookmark, recording),
        pre_reads=tuple(
            _pre_read_view(anchor, number, attachment, wording)
            for number, attachment in enumerate(session.attachments, start=1)
        ),
        paper=session.paper,
        purpose=session.purpose,
        purpose_text=wording.purpose(session.purpose) if session.purpose else None,
        owner_text=wording.owner(session.owner) if session.owner else None,
        decision_field=(
            recording
            and settings.answer_fields
            and session.purpose == "decision"
            and not is_removed(session)
        ),
    )


def _question_views(
    session: Session,
    wording: Wording,
    settings: RenderSettings,
    bookmark: str,
    recording: bool = False,
) -> tuple[QuestionView, ...]:
    """A session's questions, numbered: a removed one keeps its place but gets no number."""
    views = []
    number = 0
    for position, question in enumerate(session.questions, start=1):
        change = question.change
        removed = is_removed(question)
        number += 0 if removed else 1
        moved_note = None
        if change is not None and change.moved:
            moved_note = (
                wording.gettext("Moved from %(session)s") % {"session": change.moved_from}
                if change.moved_from
                else wording.gettext("Moved")
            )
        views.append(
            QuestionView(
                key=question.key,
                title=question.title,
                position=position,
                number=None if removed else number,
                number_text=REMOVED_NUMBER if removed else str(number),
                anchor=question_anchor(session, position),
                bookmark=question_bookmark(bookmark, None if removed else number),
                removed=removed,
                changed=is_changed(change),
                status=change.status if change is not None else None,
                moved_note=moved_note,
                change=change,
                context=question.context,
                question=question.question,
                given=given_answer(question, settings.answers),
                # The settings never ask for fields in a debrief (RenderSettings).
                answer_fields=settings.answer_fields and not removed,
                action_fields=recording and settings.answer_fields and not removed,
            )
        )
    return tuple(views)


def _pre_read_view(
    anchor: str, number: int, attachment: Attachment, wording: Wording
) -> PreReadView:
    """The ``number``th pre-read of the session whose anchor is ``anchor``."""
    return PreReadView(
        number=number,
        title=attachment.title,
        file=attachment.file,
        pages=attachment.pages,
        pages_text=wording.pages(attachment.pages),
        divider=attachment.divider,
        entry=pre_read_entry(attachment.title, wording),
        anchor=page_anchor(anchor, number, 0 if attachment.divider else 1),
        divider_anchor=page_anchor(anchor, number, 0),
        page_anchors=tuple(
            page_anchor(anchor, number, page) for page in range(1, attachment.pages + 1)
        ),
    )
