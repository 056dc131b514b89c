"""Matters arising: the open actions and last decisions of a pack's register, worded.

A board pack opens its business with what is left from before: every action
still open (its owner, its due date, and whether it is overdue, said in a
word, never by colour alone) and the decisions the last meeting took.  Worded
once here for both writers.  "Overdue" is as of the meeting's first day: the
pack is read before the meeting, about the meeting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefpack.model import Pack
from briefpack.model.register import Action, Decision
from briefpack.render.wording import Wording


@dataclass(frozen=True, slots=True)
class ActionRow:
    """An open action, as the table lists it."""

    id: str
    text: str
    owner: str
    #: Its due date worded, or empty.
    due: str
    #: Still open after its due date, on the meeting's day.
    overdue: bool
    #: ``Overdue`` or ``Open``, worded: what the status column says.
    status: str
    #: ``Raised 2 Dec 2025 · 3.2 FY26 budget``, or empty.
    raised: str


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """A decision of the last meeting."""

    id: str
    text: str
    #: The agenda item that took it, or empty.
    item: str


@dataclass(frozen=True, slots=True)
class MattersArising:
    """The section after At a glance, for a pack that names a register."""

    title: str
    #: The open actions' heading, and their table's column headings.
    actions_heading: str
    action_columns: tuple[str, str, str, str, str]
    actions: tuple[ActionRow, ...]
    #: What stands in for an empty table: ``No open actions.``
    no_actions: str
    #: ``Decisions of the last meeting, December 2, 2025``; ``None`` with none.
    decisions_heading: str | None
    decision_columns: tuple[str, str, str]
    decisions: tuple[DecisionRow, ...]
    #: ``2 open actions, 1 overdue``: the section's summary line.
    summary: str


def matters_arising(pack: Pack, wording: Wording) -> MattersArising | None:
    """The pack's matters arising, from its register; ``None`` for a pack without one."""
    register = pack.register
    if register is None or not pack.days:
        return None
    _ = wording.gettext
    meeting = pack.days[0].date
    actions = tuple(_action_row(action, meeting, wording) for action in register.open_actions())
    decisions = register.last_decisions(meeting)
    overdue = sum(row.overdue for row in actions)
    summary = wording.ngettext("%(num)d open action", "%(num)d open actions", len(actions))
    if overdue:
        summary += ", " + wording.ngettext("%(num)d overdue", "%(num)d overdue", overdue)
    return MattersArising(
        title=_("Matters arising"),
        actions_heading=_("Open actions"),
        action_columns=(_("Action"), _("What"), _("Owner"), _("Due"), _("Status")),
        actions=actions,
        no_actions=_("No open actions."),
        decisions_heading=_decisions_heading(decisions, wording),
        decision_columns=(_("Decision"), _("What"), _("Item")),
        decisions=tuple(_decision_row(decision) for decision in decisions),
        summary=summary,
    )


def _action_row(action: Action, meeting: dt.date, wording: Wording) -> ActionRow:
    _ = wording.gettext
    overdue = action.overdue(meeting)
    raised = [
        _("Raised %(date)s") % {"date": wording.long_date(action.raised)} if action.raised else "",
        action.item or "",
    ]
    return ActionRow(
        id=action.id,
        text=action.text,
        owner=action.owner or "",
        due=wording.long_date(action.due) if action.due else "",
        overdue=overdue,
        status=_("Overdue") if overdue else _("Open"),
        raised=" · ".join(part for part in raised if part),
    )


def _decision_row(decision: Decision) -> DecisionRow:
    return DecisionRow(id=decision.id, text=decision.text, item=decision.item or "")


def _decisions_heading(decisions: tuple[Decision, ...], wording: Wording) -> str | None:
    if not decisions:
        return None
    return wording.gettext("Decisions of the last meeting, %(date)s") % {
        "date": wording.long_date(decisions[0].date)
    }
