"""What changed about a session, a question or a person, one attribute at a time.

:func:`briefpack.model.changes.compare` marks text changes word by word; the
changes page also has to say what changed about things that are not running
text: a session's time, a speaker's role, an attendee's organisation.  Each is
a :class:`Detail` (what, whose, from what, to what), worded once for every
writer by :meth:`briefpack.render.wording.Wording.details`, so that the PDF
and the Word copy say "José Ñúñez: role changed from CTO to CEO" alike
instead of showing the person removed and added again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from briefpack.model.pack import Pack, Session

Status = Literal["same", "edited", "added", "removed"]
#: What a :class:`Detail` is about: an attribute of a session, a question, a
#: speaker or an attendee; a speaker or attendee who came or went; a move.
Attribute = Literal[
    "title", "label", "time", "role", "organisation", "added", "removed", "moved_from"
]
#: A session's start and end.
Times = tuple[dt.time, dt.time]


@dataclass(frozen=True, slots=True)
class Detail:
    """One thing that changed about an entry, for a changes page to say in words.

    The model says what changed; :meth:`briefpack.render.wording.Wording.details`
    says it in the pack's language, once for every writer: "José Ñúñez: role
    changed from CTO to CEO", "Time changed from 9:00 AM to 9:30 AM".
    ``who`` names the speaker or attendee the attribute belongs to, ``None``
    for the session or question itself; ``old`` and ``new`` are ``None`` where
    there was or is no value (a role added).
    """

    attribute: Attribute
    old: str | Times | None = None
    new: str | Times | None = None
    who: str | None = None


@dataclass(frozen=True, slots=True)
class AttendeeChange:
    """What happened to one attendee between the versions: added, removed or edited."""

    status: Status
    name: str
    details: tuple[Detail, ...] = ()


def changed(
    attribute: Attribute, old: str | Times | None, new: str | Times | None, who: str | None = None
) -> tuple[Detail, ...]:
    """A detail when ``old`` and ``new`` differ, none when they are the same."""
    return () if old == new else (Detail(attribute, old, new, who),)


def session_details(old: Session, new: Session) -> tuple[Detail, ...]:
    """What changed about a session that is in both versions, in the order a page shows it."""
    return (
        *changed("title", old.title, new.title),
        *changed("label", old.label, new.label),
        *changed("time", (old.start, old.end), (new.start, new.end)),
        *_people_details(
            {speaker.name: (speaker.role,) for speaker in old.speakers},
            {speaker.name: (speaker.role,) for speaker in new.speakers},
            ("role",),
        ),
    )


def _people_details(
    old: Mapping[str, tuple[str | None, ...]],
    new: Mapping[str, tuple[str | None, ...]],
    attributes: tuple[Attribute, ...],
) -> tuple[Detail, ...]:
    """People (by name) who came, went, or whose ``attributes`` changed.

    A person is matched by name, so a new role is "role changed", never the
    person removed and added again.  Those who went come first, in the old
    order, then the others in the new order.
    """
    details = [Detail("removed", who=name) for name in old if name not in new]
    for name, values in new.items():
        if name not in old:
            details.append(Detail("added", who=name))
            continue
        for attribute, before, after in zip(attributes, old[name], values, strict=True):
            details += changed(attribute, before, after, name)
    return tuple(details)


def attendee_changes(old: Pack, new: Pack) -> tuple[AttendeeChange, ...]:
    """Every attendee added, removed or edited (role, organisation) between the versions.

    Attendees are matched by name, as sessions name them; the order is the
    new version's, with those removed after the attendee they followed.
    """
    facts: tuple[Attribute, ...] = ("role", "organisation")
    before = {a.name: (a.role, a.organisation) for a in old.attendees}
    after = {a.name: (a.role, a.organisation) for a in new.attendees}
    changes: dict[str, AttendeeChange] = {}
    for detail in _people_details(before, after, facts):
        assert detail.who is not None
        if detail.attribute in ("added", "removed"):
            status: Status = "added" if detail.attribute == "added" else "removed"
            changes[detail.who] = AttendeeChange(status, detail.who)
        else:
            known = changes.get(detail.who, AttendeeChange("edited", detail.who))
            changes[detail.who] = replace(known, details=(*known.details, detail))
    order = [a.name for a in new.attendees]
    for position, attendee in enumerate(old.attendees):
        if attendee.name not in after:
            earlier = [a.name for a in old.attendees[:position] if a.name in order]
            order.insert(order.index(earlier[-1]) + 1 if earlier else 0, attendee.name)
    return tuple(changes[name] for name in order if name in changes)
