"""What a change-marked pack records about each entry, and about each attribute that changed.

:func:`briefpack.model.changes.compare` marks text changes word by word and
sets, on every session and question, a :class:`SessionChange` or
:class:`QuestionChange` saying what happened to it.  The changes page also has
to say what changed about things that are not running text: a session's time,
a speaker's role, an attendee's organisation.  Each is a :class:`Detail`
(what, whose, from what, to what), worded once for every writer by
:meth:`briefpack.render.wording.Wording.change_lines`, so that the PDF and the Word
copy say "José Ñúñez: role changed from CTO to CEO" alike instead of showing
the person removed and added again.

These are records only, below :mod:`briefpack.model.pack` (whose sessions and
questions carry them); what fills them in is in
:mod:`briefpack.model.attribute_changes` and :mod:`briefpack.model.changes`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from briefpack.model.rich_text import Inline, RevisionKind
from briefpack.model.speaker import Speaker

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

    The model says what changed; :meth:`briefpack.render.wording.Wording.change_lines`
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


@dataclass(frozen=True, slots=True)
class QuestionChange:
    """What happened to one question between the versions."""

    status: Status
    #: Whether it moved: to another session, or among the questions of its own.
    moved: bool = False
    #: Its title with its changes marked.
    title: tuple[Inline, ...] = ()
    #: The title it had, when that changed.
    old_title: str | None = None
    #: The title of the session it came from, when it moved from another one.
    moved_from: str | None = None
    #: What changed about it besides its text: its title, where it came from.
    details: tuple[Detail, ...] = ()
    #: Where it was in the earlier version: its session's id and its place among
    #: that session's questions, from 0; ``None`` for one added.  A writer that
    #: shows a move's two halves (the Word copy) finds its earlier place here.
    old_session: str | None = None
    old_position: int | None = None


@dataclass(frozen=True, slots=True)
class SessionChange:
    """What happened to one session between the versions."""

    status: Status
    moved: bool = False
    title: tuple[Inline, ...] = ()
    old_title: str | None = None
    label: tuple[Inline, ...] = ()
    #: Its times before, when they changed.
    old_start: dt.time | None = None
    old_end: dt.time | None = None
    #: Its speakers, each marked ``insert`` or ``delete`` when added or removed, else
    #: ``None``; a speaker whose role changed is the old one deleted and the new inserted.
    speakers: tuple[tuple[RevisionKind | None, Speaker], ...] = ()
    #: What changed about it, one thing each (title, label, time, each speaker), in order.
    details: tuple[Detail, ...] = ()
    #: Where it was in the earlier version: its day and its place among that day's
    #: sessions, from 0, and the attendees it named; ``None`` for one added.
    old_date: dt.date | None = None
    old_position: int | None = None
    old_attendees: tuple[str, ...] | None = None
    #: For a session retitled (so with a new id) next to the one it replaced: that
    #: one's id, set on the merged session of :attr:`briefpack.model.pack.Pack.renamed`.
    renamed_from: str | None = None


def changed(
    attribute: Attribute, old: str | Times | None, new: str | Times | None, who: str | None = None
) -> tuple[Detail, ...]:
    """A detail when ``old`` and ``new`` differ, none when they are the same."""
    return () if old == new else (Detail(attribute, old, new, who),)
