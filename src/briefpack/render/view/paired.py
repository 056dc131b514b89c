"""Each entry of a copy that tracks its changes, with the view of it in each version.

The page's contents are the view's (:mod:`briefpack.render.view`): what a
version's pages hold, numbered, counted and worded once for both writers.
A changes copy shows two versions at once, so it reads two views, the
earlier version's and the new one's, each built from that version as
:func:`~briefpack.model.both_versions.version_of` gives it, and pairs their
days, sessions and questions along the one order of
:func:`~briefpack.model.both_versions.both_versions`.  An entry only one
version has has a view in that version only.  Any other copy reads one view,
the same on both sides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from briefpack.model import Session
from briefpack.model.both_versions import (
    NEW_SIDES,
    OLD_SIDES,
    DayEntry,
    QuestionEntry,
    SessionEntry,
    Side,
)
from briefpack.render.view import DayView, GlanceRow, PackView, QuestionView, SessionView
from briefpack.render.view.anchors import day_bookmark
from briefpack.render.view.sessions import marked_speakers

T = TypeVar("T")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Pair(Generic[T]):
    """Something as the earlier version shows it and as the new one does (``None`` without)."""

    old: T | None
    new: T | None

    def __call__(self, value: Callable[[T], V]) -> tuple[V, V]:
        """``value`` of it in each version; one a version lacks shows the other's in both."""
        old = self.old if self.old is not None else self.new
        new = self.new if self.new is not None else self.old
        assert old is not None
        assert new is not None
        return value(old), value(new)

    @property
    def shown(self) -> T:
        """The view of it in the new version, or the earlier's where it is gone."""
        shown = self.new if self.new is not None else self.old
        assert shown is not None
        return shown


@dataclass(frozen=True, slots=True)
class PairedQuestion:
    entry: QuestionEntry
    view: Pair[QuestionView]


@dataclass(frozen=True, slots=True)
class SpeakerLine:
    """A speaker's line: which versions have it, the name, and the role in each version."""

    side: Side
    name: str
    old_role: str
    new_role: str


@dataclass(frozen=True, slots=True)
class PairedSession:
    entry: SessionEntry
    view: Pair[SessionView]
    #: Its row of the at-a-glance table; ``None`` in a session's pack, which has none.
    row: Pair[GlanceRow] | None
    questions: tuple[PairedQuestion, ...]
    #: Its speakers' lines, a change of each as the model marked it.
    speakers: tuple[SpeakerLine, ...]


@dataclass(frozen=True, slots=True)
class PairedDay:
    entry: DayEntry
    view: Pair[DayView]
    sessions: tuple[PairedSession, ...]
    #: The Word copy's bookmark of its heading: the new version's; a day only the
    #: earlier version has (no heading of its own to mark) shares the one before it.
    bookmark: str


def paired(days: Sequence[DayEntry], old: PackView, new: PackView) -> tuple[PairedDay, ...]:
    """``days`` with the earlier version's view ``old`` and the new one's ``new`` of each entry."""
    versions = ((OLD_SIDES, _Views(old)), (NEW_SIDES, _Views(new)))

    def take(side: str, get: Callable[[_Views], Iterator[T]]) -> Pair[T]:
        old_view, new_view = (
            next(get(views)) if side in version else None for version, views in versions
        )
        return Pair(old_view, new_view)

    result = []
    bookmark = None
    for day in days:
        sessions = []
        for session in day.sessions:
            view = take(session.side, lambda views: views.sessions)
            row = take(session.side, lambda views: views.rows) if new.glance else None
            questions = [
                iter(shown.questions) if shown else iter(()) for shown in (view.old, view.new)
            ]
            paired_questions = tuple(
                PairedQuestion(
                    question,
                    # In a version that shows it and its session (a moved session's
                    # questions are in its one half).
                    Pair(
                        next(questions[0]) if question.side in OLD_SIDES and view.old else None,
                        next(questions[1]) if question.side in NEW_SIDES and view.new else None,
                    ),
                )
                for question in session.questions
            )
            speakers = speaker_lines(session.session)
            sessions.append(PairedSession(session, view, row, paired_questions, speakers))
        day_view = take(day.side, lambda views: views.days)
        if day_view.new is not None:
            bookmark = day_view.new.bookmark
        # Before the new version's first day, the first day's bookmark.
        result.append(PairedDay(day, day_view, tuple(sessions), bookmark or day_bookmark(1)))
    return tuple(result)


def speaker_lines(session: Session) -> tuple[SpeakerLine, ...]:
    """Each of the session's speakers on one line: which versions have it, its role in each.

    The speakers are :func:`~briefpack.render.view.sessions.marked_speakers`.  The
    model marks a speaker whose role changed as the old one deleted and the new
    one inserted; here they are one line whose role is tracked, as the changes
    page says "role changed" rather than removed and added.
    """
    marked = marked_speakers(session)
    inserted = {speaker.name: speaker for kind, speaker in marked if kind == "insert"}
    deleted = {speaker.name for kind, speaker in marked if kind == "delete"}
    lines: list[SpeakerLine] = []
    for kind, speaker in marked:
        role = speaker.role or ""
        if kind is None:
            lines.append(SpeakerLine("both", speaker.name, role, role))
        elif kind == "delete" and speaker.name in inserted:
            # Where it was: the earlier order is kept for Reject All.
            new_role = inserted[speaker.name].role or ""
            lines.append(SpeakerLine("both", speaker.name, role, new_role))
        elif kind == "delete":
            lines.append(SpeakerLine("old", speaker.name, role, role))
        elif speaker.name not in deleted:
            lines.append(SpeakerLine("new", speaker.name, role, role))
    return tuple(lines)


class _Views:
    """One version's views in order: its days, its sessions, its rows of the glance table."""

    def __init__(self, view: PackView) -> None:
        self.days = iter(view.days)
        self.sessions = iter([session for day in view.days for session in day.sessions])
        glance = view.glance
        self.rows = iter([row for day in glance.days for row in day] if glance else [])
