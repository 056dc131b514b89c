"""Which attributes changed: a session's title, label, time and speakers; the attendees.

Matched by name, a person whose role or organisation changed is one
:class:`~briefpack.model.change_details.Detail` ("role changed from CTO to
CEO"), never the person removed and added again.
:func:`briefpack.model.changes.compare` calls these for the sessions it keeps
and for the pack's attendees.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import replace

from briefpack.model.change_details import (
    AttendeeChange,
    Attribute,
    Detail,
    Status,
    changed,
)
from briefpack.model.pack import AttendeeVersions, Pack, Session
from briefpack.model.text_diff import diff_markdown


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


def attendee_versions(old: Pack, new: Pack) -> tuple[AttendeeVersions, ...]:
    """Every attendee of both versions in one order, by name, with their biography marked.

    Those in both versions in the same order are one entry; the others come
    where their version had them, the earlier version's first where one took
    another's place, so that a writer can show the two together.
    """
    names = ([a.name for a in old.attendees], [a.name for a in new.attendees])
    matcher = difflib.SequenceMatcher(None, *names, autojunk=False)
    result: list[AttendeeVersions] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            for before, after in zip(old.attendees[i1:i2], new.attendees[j1:j2], strict=True):
                bio = diff_markdown(before.bio, after.bio) if before.bio != after.bio else after.bio
                result.append(AttendeeVersions(before, after, bio))
            continue
        result += [AttendeeVersions(a, None, a.bio) for a in old.attendees[i1:i2]]
        result += [AttendeeVersions(None, a, a.bio) for a in new.attendees[j1:j2]]
    return tuple(result)
