"""Both versions of a change-marked pack in one order: what a copy that tracks changes shows.

:func:`briefpack.model.changes.compare` leaves a removed question or session
where it was and marks the text that changed with ``Revision`` nodes; the
Word writer emits those as ``w:ins`` and ``w:del``.  A tracked change must
also give back the earlier version's order when the reader rejects it, so a
question or session that *moved* is shown twice: where it is now (moved to)
and, as it was, where it came from (moved from), the two linked by a name as
Word links a move's two halves.  This module puts every entry of both
versions in that one order, with which versions show it, and gives each
version as a pack of its own (:func:`version_of`), from which the view
(:mod:`briefpack.render.view.tracked`) builds that version's pages.

Where a moved entry was, and what it was, is what the marked pack records
(:func:`briefpack.model.marked_versions.earlier_of`): nothing is compared here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from briefpack.model import Day, Pack, Question, Session
from briefpack.model.changes import QuestionChange, SessionChange
from briefpack.model.marked_versions import (
    accepted,
    old_question_title,
    question_as,
    session_as,
)
from briefpack.model.rich_text import RevisionKind

#: Which versions show an entry: both, only the new or the old one, or one of a move's halves.
Side = Literal["both", "new", "old", "moved_to", "moved_from"]
OLD_SIDES = frozenset({"both", "old", "moved_from"})
NEW_SIDES = frozenset({"both", "new", "moved_to"})


@dataclass(frozen=True, slots=True)
class QuestionEntry:
    """A question as the tracked copy shows it, and which versions show it."""

    question: Question
    side: Side
    #: The name linking a move's two halves.
    move: str | None = None
    #: Where a moved question came from: its session's title (``None`` for its own
    #: session) and its own title, in the earlier version.
    origin: tuple[str | None, str] | None = None


@dataclass(frozen=True, slots=True)
class SessionEntry:
    """A session as the tracked copy shows it, with its questions in both versions' order."""

    session: Session
    side: Side
    questions: tuple[QuestionEntry, ...]
    move: str | None = None
    #: Its id in the earlier version, when that was another (see :func:`_renamed`).
    was: str | None = None


@dataclass(frozen=True, slots=True)
class DayEntry:
    """A day and its sessions in both versions' order."""

    day: Day
    sessions: tuple[SessionEntry, ...]

    @property
    def side(self) -> Side:
        old = any(entry.side in OLD_SIDES for entry in self.sessions)
        new = any(entry.side in NEW_SIDES for entry in self.sessions)
        return "both" if old and new else "old" if old else "new"


def both_versions(
    days: Sequence[Day],
    earlier: Pack | None,
    renamed: Sequence[Session] = (),
    whole: bool = True,
) -> tuple[DayEntry, ...]:
    """The days of a pack (change-marked or not) with every entry of both versions in order.

    ``earlier`` is the earlier version as the marked pack records it
    (:func:`~briefpack.model.marked_versions.earlier_of`), for where moved entries
    were; ``renamed`` the marked pack's retitled sessions merged with those they
    replaced; ``whole`` is false for one session's pack, whose other sessions are
    not shown.
    """
    moves = _Moves()
    old_sessions = {s.id: s for s in earlier.sessions} if earlier is not None else {}
    merged = {s.id: s for s in renamed}
    result: list[DayEntry] = []
    for day in days:
        entries = []
        for session, was in _renamed_sessions(day, merged):
            entry = _session_entry(session, old_sessions.get(was or session.id), moves)
            entries.append(replace(entry, was=was))
        result.append(DayEntry(day, tuple(entries)))
    if earlier is not None:
        _pair_question_moves(result, earlier, moves)
        if whole:
            result = _place_session_ghosts(result, earlier, moves)
    return tuple(result)


def _renamed_sessions(day: Day, renamed: dict[str, Session]) -> list[tuple[Session, str | None]]:
    """The day's sessions, each retitled one in place of the pair it was marked as.

    A session's id comes from its title, so a retitled session is one removed
    and one added; the changes page says so, as the PDF does.  In the body both
    would be whole paragraphs deleted and inserted, so they are shown as one
    session whose words changed, as the model merged them
    (:attr:`briefpack.model.pack.Pack.renamed`, keyed here by the added id),
    with its earlier id, :attr:`~briefpack.model.change_details.SessionChange.renamed_from`.
    """
    sessions = list(day.sessions)
    result: list[tuple[Session, str | None]] = []
    index = 0
    while index < len(sessions):
        pair = sessions[index : index + 2]
        merged = next((renamed[s.id] for s in pair if s.id in renamed), None)
        was = merged.change.renamed_from if merged is not None and merged.change else None
        if merged is not None and {s.id for s in pair} == {merged.id, was}:
            result.append((merged, was))
            index += 2
            continue
        result.append((sessions[index], None))
        index += 1
    return result


def _side(change: QuestionChange | SessionChange | None) -> Side:
    if change is None:
        return "both"
    if change.status == "added":
        return "new"
    if change.status == "removed":
        return "old"
    return "moved_to" if change.moved else "both"


class _Moves:
    """Names for moves, one per pair of halves."""

    def __init__(self) -> None:
        self.count = 0

    def name(self) -> str:
        self.count += 1
        return f"move{self.count}"


def _session_entry(session: Session, old: Session | None, moves: _Moves) -> SessionEntry:
    side = _side(session.change)
    if side == "moved_to":
        # Shown whole where it is now; its earlier self is shown whole where it was.
        kept = tuple(
            QuestionEntry(accepted(q), "both")
            for q in session.questions
            if _side(q.change) in NEW_SIDES
        )
        return SessionEntry(replace(session, questions=(), change=None), side, kept)
    entries = [
        QuestionEntry(q, _side(q.change))
        if _side(q.change) != "moved_to" or q.change is None
        else QuestionEntry(
            accepted(q), "moved_to", origin=(q.change.moved_from, old_question_title(q))
        )
        for q in session.questions
    ]
    if old is not None:
        entries = _place_question_ghosts(entries, old)
    return SessionEntry(session, side, tuple(entries))


def _place_question_ghosts(entries: list[QuestionEntry], old: Session) -> list[QuestionEntry]:
    """``entries`` with each earlier question not kept in place shown where it was."""
    in_place = [n for n, entry in enumerate(entries) if entry.side in ("both", "old")]
    result = list(entries)
    inserted = 0
    pointer = 0
    for question in old.questions:
        titles = [old_question_title(entries[n].question) for n in in_place[pointer:]]
        if question.title in titles:
            pointer += titles.index(question.title) + 1
            continue
        at = in_place[pointer] if pointer < len(in_place) else len(entries)
        result.insert(at + inserted, QuestionEntry(question, "moved_from"))
        inserted += 1
    return result


def _pair_question_moves(days: list[DayEntry], earlier: Pack, moves: _Moves) -> None:
    """Link each moved question's two halves by a name; a half without the other stays alone."""
    by_title = {session.title: session.id for session in earlier.sessions}
    arrivals: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    for d, day in enumerate(days):
        for s, entry in enumerate(day.sessions):
            for q, question in enumerate(entry.questions):
                if question.side == "moved_to" and question.origin is not None:
                    session_title, title = question.origin
                    origin = by_title.get(session_title or "", entry.session.id)
                    arrivals.setdefault((origin, title), []).append((d, s, q))
    for d, day in enumerate(days):
        for s, entry in enumerate(day.sessions):
            for q, question in enumerate(entry.questions):
                if question.side != "moved_from":
                    continue
                found = arrivals.get((entry.session.id, question.question.title))
                if found:
                    name = moves.name()
                    _set_question(days, (d, s, q), question, name)
                    target = found.pop(0)
                    _set_question(days, target, _question_at(days, target), name)
                else:
                    _set_question(days, (d, s, q), replace(question, side="old"), None)
    for targets in arrivals.values():
        for target in targets:
            _set_question(days, target, replace(_question_at(days, target), side="new"), None)


def _question_at(days: list[DayEntry], where: tuple[int, int, int]) -> QuestionEntry:
    d, s, q = where
    return days[d].sessions[s].questions[q]


def _set_question(
    days: list[DayEntry], where: tuple[int, int, int], entry: QuestionEntry, move: str | None
) -> None:
    d, s, q = where
    session = days[d].sessions[s]
    questions = list(session.questions)
    questions[q] = replace(entry, move=move)
    sessions = list(days[d].sessions)
    sessions[s] = replace(session, questions=tuple(questions))
    days[d] = replace(days[d], sessions=tuple(sessions))


def _place_session_ghosts(days: list[DayEntry], earlier: Pack, moves: _Moves) -> list[DayEntry]:
    """Each earlier session not kept in place shown where it was, as the move's other half."""
    arrived = {e.session.id for day in days for e in day.sessions if e.side == "moved_to"}
    names: dict[str, str] = {}
    for old_day in earlier.days:
        if old_day.date not in {day.day.date for day in days}:
            days.append(DayEntry(replace(old_day, sessions=()), ()))
            days.sort(key=lambda day: day.day.date)
        at_day = next(n for n, day in enumerate(days) if day.day.date == old_day.date)
        sessions = list(days[at_day].sessions)
        in_place = [n for n, e in enumerate(sessions) if e.side in ("both", "old")]
        pointer = 0
        for old_session in old_day.sessions:
            ids = [sessions[n].was or sessions[n].session.id for n in in_place[pointer:]]
            if old_session.id in ids:
                pointer += ids.index(old_session.id) + 1
                continue
            at = in_place[pointer] if pointer < len(in_place) else len(sessions)
            ghost = SessionEntry(
                replace(old_session, questions=()),
                "old",
                tuple(QuestionEntry(q, "both") for q in old_session.questions),
            )
            if old_session.id in arrived:
                names[old_session.id] = moves.name()
                ghost = replace(ghost, side="moved_from", move=names[old_session.id])
            sessions.insert(at, ghost)
            in_place = [n + 1 if n >= at else n for n in in_place]
        days[at_day] = replace(days[at_day], sessions=tuple(sessions))
    # Each arrival named as its earlier half; one whose earlier place is not known is added.
    return [
        replace(
            day,
            sessions=tuple(
                replace(e, move=names[e.session.id])
                if e.side == "moved_to" and e.session.id in names
                else replace(e, side="new")
                if e.side == "moved_to"
                else e
                for e in day.sessions
            ),
        )
        for day in days
    ]


def version_of(pack: Pack, days: Sequence[DayEntry], version: frozenset[str]) -> Pack:
    """``pack`` as one version (:data:`OLD_SIDES` or :data:`NEW_SIDES`) has it, unmarked.

    What that version's view is built from: its sessions and questions in its
    order, each with its own title, label, times, speakers and text.
    """
    keep: RevisionKind = "delete" if version is OLD_SIDES else "insert"
    kept = []
    for day in days:
        sessions = tuple(
            replace(
                session_as(entry.session, keep),
                questions=tuple(
                    question_as(q.question, keep) for q in entry.questions if q.side in version
                ),
            )
            for entry in day.sessions
            if entry.side in version
        )
        if sessions:
            kept.append(replace(day.day, sessions=sessions))
    return replace(pack, days=tuple(kept), attendee_changes=())
