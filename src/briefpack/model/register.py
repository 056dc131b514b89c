"""The running record of a series of meetings: the actions raised and the decisions taken.

Kept in a file of its own beside the packs (``NAME.register.yaml``), named by
each pack that shows it, so that one record serves every meeting of a board
or committee.  An entry is only ever added, or (an action) closed with its
date: the register is the memory the next pack's "Matters arising" is made from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from briefpack.model.marks import Mark

_NO_MARK = Mark("<memory>", 1, 1)

#: An action is open until it is done.
ActionStatus = Literal["open", "done"]


@dataclass(frozen=True, slots=True)
class Action:
    """Something a meeting asked someone to do, by a date."""

    id: str
    text: str
    owner: str | None = None
    due: dt.date | None = None
    status: ActionStatus = "open"
    #: The date of the meeting that raised it.
    raised: dt.date | None = None
    #: The agenda item that raised it, as written ("3.2 FY26 budget").
    item: str | None = None
    #: When it was done; set exactly when ``status`` is ``done``.
    closed: dt.date | None = None
    #: The id of the pack's session that raised it; harvest sets it.
    session: str | None = None
    #: The question it was harvested from, so that harvesting again adds it once.
    key: str | None = None
    mark: Mark = field(default=_NO_MARK, compare=False, repr=False)

    def overdue(self, on: dt.date) -> bool:
        """Whether it is still open after its due date, as of ``on``."""
        return self.status == "open" and self.due is not None and self.due < on


@dataclass(frozen=True, slots=True)
class Decision:
    """What a meeting decided, on an agenda item."""

    id: str
    text: str
    date: dt.date
    item: str | None = None
    #: The id of the pack's session that took it; harvest sets it.
    session: str | None = None
    mark: Mark = field(default=_NO_MARK, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Register:
    """Every action and decision of the record, in the order written."""

    actions: tuple[Action, ...] = ()
    decisions: tuple[Decision, ...] = ()
    #: The file, as messages name it.
    source: str = field(default="<memory>", compare=False)

    def open_actions(self) -> tuple[Action, ...]:
        """The actions not yet done, in the order written."""
        return tuple(action for action in self.actions if action.status == "open")

    def last_decisions(self, before: dt.date) -> tuple[Decision, ...]:
        """The decisions of the last meeting before ``before``: those of the latest date."""
        dates = [decision.date for decision in self.decisions if decision.date < before]
        if not dates:
            return ()
        last = max(dates)
        return tuple(decision for decision in self.decisions if decision.date == last)
