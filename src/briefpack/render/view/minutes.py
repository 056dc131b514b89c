"""The minutes of a meeting: who came, and per agenda item what was said, decided and asked.

After the meeting the secretary writes the minutes from three records
briefpack already holds: the pack (its items, each with its paper, purpose,
owner and times; its attendees, each with the ``attended:`` flag set
afterwards), the answers harvested from the filled copies (the discussion)
and the register (the decisions taken and actions raised, each naming the
session it belongs to).  Worded once here, in the pack's language, for both
writers (:mod:`briefpack.render.docx.minutes_writer` and the PDF's
``minutes.html.j2``), so the two copies say the same thing.

An entry of the register belongs under an item when it names the item's
session and is dated the item's day (a decision's ``date``, an action's
``raised``): a register serves a series of meetings, and the same session id
may come back at the next one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefpack.model import Attendee, Pack, Session
from briefpack.model.answers import Answers
from briefpack.model.register import Action, Decision, Register
from briefpack.render.wording import Wording, session_heading, wording_for

#: What an empty cell of the actions' table shows: a blank column is a table made of space.
NOT_GIVEN = "\u2014"


@dataclass(frozen=True, slots=True)
class Discussed:
    """A question of an item with what was said to it."""

    title: str
    #: The answer given, or ``None`` where only follow-ups were noted.
    answer: str | None
    follow_up: str | None


@dataclass(frozen=True, slots=True)
class MinutedAction:
    """An action raised on the item: id, text, owner, due date (worded; a dash if not given)."""

    id: str
    text: str
    owner: str
    due: str


@dataclass(frozen=True, slots=True)
class MinutedDecision:
    """A decision the meeting took on the item."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class MinutedItem:
    """One agenda item of the minutes, in the agenda's order."""

    #: The session's id: the register's entries name it.
    session_id: str
    #: ``Item 2: 3.2 FY26 budget``: its label if any, the paper's reference before the title.
    heading: str
    #: The line under the heading: ``For decision · Owner: Dana Kim · 10:00-10:25``.
    meta: str
    discussion: tuple[Discussed, ...]
    decisions: tuple[MinutedDecision, ...]
    actions: tuple[MinutedAction, ...]


@dataclass(frozen=True, slots=True)
class Minutes:
    """Everything the minutes say, worded, in order; plain text throughout."""

    language: str
    #: ``Minutes: Board meeting``: the document's title.
    title: str
    #: The meeting's date(s), and where it was held (empty if the pack does not say).
    dates: str
    location: str
    present_heading: str
    present: tuple[str, ...]
    apologies_heading: str
    apologies: tuple[str, ...]
    #: What stands in for an empty list of names.
    none_recorded: str
    #: The attendees whose attendance nobody marked, under their own heading; may be empty.
    unmarked_heading: str
    unmarked: tuple[str, ...]
    items: tuple[MinutedItem, ...]
    discussion_heading: str
    decisions_heading: str
    actions_heading: str
    follow_ups_label: str
    no_discussion: str
    no_decisions: str
    no_actions: str
    #: The actions' and decisions' table headings.
    action_columns: tuple[str, str, str, str]
    decision_columns: tuple[str, str]
    keywords: tuple[str, ...]


def minutes(pack: Pack, answers: Answers | None) -> Minutes:
    """The minutes of ``pack``'s meeting, from its attendees, ``answers`` and register."""
    wording = wording_for(pack.options.language, pack.options.time_format)
    _ = wording.gettext
    day_of = {session.id: day.date for day in pack.days for session in day.sessions}
    items = tuple(
        _item(session, day_of[session.id], pack.register, answers, wording)
        for session in pack.sessions
    )
    return Minutes(
        language=wording.printed_language,
        title=_("Minutes: %(title)s") % {"title": pack.title},
        dates=wording.event_dates(pack) if pack.days else "",
        location=pack.location or "",
        present_heading=_("Present"),
        present=_names(pack.attendees, True),
        apologies_heading=_("Apologies"),
        apologies=_names(pack.attendees, False),
        none_recorded=_("None recorded."),
        unmarked_heading=_("Attendance not recorded"),
        unmarked=_names(pack.attendees, None),
        items=items,
        discussion_heading=_("Discussion"),
        decisions_heading=_("Decisions"),
        actions_heading=_("Actions"),
        follow_ups_label=_("Follow-ups"),
        no_discussion=_("No discussion recorded."),
        no_decisions=_("No decisions recorded."),
        no_actions=_("No actions recorded."),
        action_columns=(_("Action"), _("What"), _("Owner"), _("Due")),
        decision_columns=(_("Decision"), _("What")),
        keywords=tuple(dict.fromkeys(item.heading for item in items)),
    )


def _names(attendees: tuple[Attendee, ...], attended: bool | None) -> tuple[str, ...]:
    """The attendees whose ``attended`` flag is ``attended``: name, then role and organisation."""
    return tuple(
        ", ".join(part for part in (person.name, person.role, person.organisation) if part)
        for person in attendees
        if person.attended is attended
    )


def _item(
    session: Session,
    day: dt.date,
    register: Register | None,
    answers: Answers | None,
    wording: Wording,
) -> MinutedItem:
    """One agenda item: its heading and line, what was said, decided and asked on its day."""
    meta = []
    if session.purpose is not None:
        meta.append(wording.purpose(session.purpose))
    if session.owner:
        meta.append(wording.owner(session.owner))
    meta.append(wording.time_range(session))
    decisions: tuple[Decision, ...] = ()
    actions: tuple[Action, ...] = ()
    if register is not None:
        decisions = tuple(
            entry
            for entry in register.decisions
            if entry.session == session.id and entry.date == day
        )
        actions = tuple(
            entry
            for entry in register.actions
            if entry.session == session.id and entry.raised == day
        )
    return MinutedItem(
        session_id=session.id,
        heading=session_heading(session),
        meta=" · ".join(meta),
        discussion=_discussion(session, answers),
        decisions=tuple(MinutedDecision(entry.id, entry.text) for entry in decisions),
        actions=tuple(_action(entry, wording) for entry in actions),
    )


def _discussion(session: Session, answers: Answers | None) -> tuple[Discussed, ...]:
    """The item's questions that have a harvested answer or follow-up, in the pack's order."""
    if answers is None:
        return ()
    said = []
    for question in session.questions:
        given = answers.get(question.key)
        if given is None or not (given.answer or given.follow_up):
            continue
        said.append(Discussed(question.title, given.answer or None, given.follow_up or None))
    return tuple(said)


def _action(action: Action, wording: Wording) -> MinutedAction:
    return MinutedAction(
        id=action.id,
        text=action.text,
        owner=action.owner or NOT_GIVEN,
        due=wording.long_date(action.due) if action.due else NOT_GIVEN,
    )
