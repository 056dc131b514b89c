"""What changed between two versions of a pack, as one pack that shows both.

:func:`compare` matches the old version's sessions and questions to the
new one's and returns the new pack with everything that changed marked in it:

* text that changed carries :class:`~briefpack.model.rich_text.Revision`
  nodes (word by word) and whole blocks :class:`~briefpack.model.rich_text.RevisedBlock`;
* a removed question or session stays where it was, marked removed;
* each session and question carries a :class:`SessionChange` or
  :class:`QuestionChange` saying what happened to it, with the
  :class:`~briefpack.model.change_details.Detail` of each attribute that
  changed (a speaker's role, the time), and the pack the attendees that
  came, went or changed (:func:`~briefpack.model.attribute_changes.attendee_changes`).

Every writer can then show the changes its own way: the PDF underlines and
strikes through, the Word copy makes real tracked changes.

Matching (docs/changes.md says the same):

1. Sessions match by id.
2. Questions match, in this order, by an explicit ``id``; by the same title in
   the same session; by the same title anywhere; and otherwise by how alike
   their title and text are (at least :data:`SIMILAR` of difflib's ratio),
   the most alike pairs first.  A retitled question with the same text is
   therefore an edit, not a removal and an addition.
3. A matched question in another session, or out of order among the
   questions it kept, is moved.

This module merges the two versions; the word-by-word marks are
:mod:`briefpack.model.text_diff`'s, the matching of questions
:mod:`briefpack.model.matching`'s, and the records it sets
:mod:`briefpack.model.change_details`'.  The writers, the build and the tests
import all of it from here.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace

from briefpack.model.attribute_changes import (
    attendee_changes,
    attendee_versions,
    session_details,
)
from briefpack.model.change_details import (
    Detail,
    QuestionChange,
    SessionChange,
    changed,
)
from briefpack.model.matching import SIMILAR, match_questions
from briefpack.model.pack import Day, Pack, Question, Session
from briefpack.model.rich_text import RevisionKind, Text
from briefpack.model.speaker import Speaker
from briefpack.model.text_diff import (
    diff_blocks,
    diff_inlines,
    diff_markdown,
    diff_text,
    mark_all,
    mark_blocks,
)

#: What the writers, the build and the tests import from here, wherever it is defined.
__all__ = [
    "SIMILAR",
    "QuestionChange",
    "SessionChange",
    "anything_changed",
    "compare",
    "diff_blocks",
    "diff_inlines",
    "diff_markdown",
    "diff_text",
    "mark_all",
    "mark_blocks",
    "session_changed",
]


def session_changed(session: Session) -> bool:
    """Whether anything in ``session`` (of a pack made by :func:`compare`) changed."""
    return any(
        change is not None and (change.status != "same" or change.moved)
        for change in (session.change, *(question.change for question in session.questions))
    )


def anything_changed(pack: Pack) -> bool:
    """Whether a pack made by :func:`compare` marks any change at all."""
    return any(
        change is not None and (change.status != "same" or change.moved)
        for change in (
            *(session.change for session in pack.sessions),
            *(question.change for question in pack.questions),
        )
    )


def compare(old: Pack, new: Pack) -> Pack:
    """``new`` with its changes since ``old`` marked; see the module's matching rules.

    Every session and question of the result has its ``change`` set.
    """
    old_sessions = {session.id: session for session in old.sessions}
    new_ids = {session.id for session in new.sessions}
    pairs = match_questions(old, new)
    old_home = {id(q): s for s in old.sessions for q in s.questions}
    matched_old = {id(old_question) for old_question in pairs.values()}
    days: list[Day] = []
    for day in new.days:
        sessions = tuple(
            _merge_session(old_sessions.get(session.id), session, pairs, old_home, matched_old)
            for session in day.sessions
        )
        days.append(replace(day, sessions=sessions))
    # Removed sessions stay where they were: after the session before them, on their day.
    for old_day in old.days:
        for position, session in enumerate(old_day.sessions):
            if session.id not in new_ids:
                removed = _removed_session(session, matched_old)
                days = _insert_session(days, old_day, old_day.sessions[:position], removed)
    days = [_with_old_places(old, day) for day in _mark_moved_sessions(old, days)]
    return replace(
        new,
        days=tuple(days),
        attendee_changes=attendee_changes(old, new),
        attendee_versions=attendee_versions(old, new),
        renamed=_renamed_sessions(old, new, days),
    )


def _with_old_places(old: Pack, day: Day) -> Day:
    """``day`` with each session's and question's place in the earlier version recorded."""
    sessions = {s.id: (d.date, n, s) for d in old.days for n, s in enumerate(d.sessions)}
    merged = []
    for session in day.sessions:
        change = session.change
        was = sessions.get(session.id)
        if change is not None and change.status != "added" and was is not None:
            change = replace(
                change, old_date=was[0], old_position=was[1], old_attendees=was[2].attendees
            )
        merged.append(replace(session, change=change))
    return replace(day, sessions=tuple(merged))


def _merge_session(
    old: Session | None,
    new: Session,
    pairs: dict[int, Question],
    old_home: dict[int, Session],
    matched_old: set[int],
) -> Session:
    """``new`` with its questions merged (removed ones kept in place) and its change noted."""
    questions: list[Question] = []
    stayers: list[tuple[int, int]] = []  # (old position, index in questions) of those kept here
    for question in new.questions:
        before = pairs.get(id(question))
        home = old_home.get(id(before)) if before is not None else None
        if before is not None and home is not None and old is not None and home.id == new.id:
            stayers.append((old.questions.index(before), len(questions)))
        questions.append(_merge_question(before, question, home, new))
        if before is not None and home is not None:
            questions[-1] = _placed(questions[-1], home.id, _position(home, before))
    # Out of order among the questions it kept: moved.
    in_order = _longest_increasing([position for position, _ in stayers])
    for number, (_, index) in enumerate(stayers):
        if number not in in_order:
            questions[index] = _with_change(questions[index], moved=True)
    if old is not None:
        for position, question in enumerate(old.questions):
            if id(question) not in matched_old:
                at = _place_after(questions, old.questions[:position])
                questions.insert(at, _removed_question(question, old.id, position))
    if old is None:
        change = SessionChange(
            "added",
            title=mark_all("insert", (Text(new.title),)),
            label=mark_all("insert", (Text(new.label),)) if new.label else (),
            speakers=tuple(("insert", speaker) for speaker in new.speakers),
        )
    else:
        speakers = _diff_speakers(old.speakers, new.speakers)
        retimed = (old.start, old.end) != (new.start, new.end)
        edited = (
            old.title != new.title
            or old.label != new.label
            or retimed
            or any(kind for kind, _ in speakers)
        )
        change = SessionChange(
            "edited" if edited else "same",
            title=diff_text(old.title, new.title),
            old_title=old.title if old.title != new.title else None,
            label=diff_text(old.label or "", new.label or ""),
            old_start=old.start if retimed else None,
            old_end=old.end if retimed else None,
            speakers=speakers,
            details=session_details(old, new),
        )
    return replace(new, questions=tuple(questions), change=change)


def _merge_question(
    old: Question | None, new: Question, home: Session | None, session: Session
) -> Question:
    if old is None:
        return replace(
            new,
            context=mark_blocks("insert", new.context),
            question=mark_blocks("insert", new.question) or new.question,
            change=QuestionChange("added", title=mark_all("insert", (Text(new.title),))),
        )
    old_context = old.context.blocks if old.context else ()
    new_context = new.context.blocks if new.context else ()
    edited = (
        old.title != new.title
        or old.question.blocks != new.question.blocks
        or old_context != new_context
    )
    moved_from = home.title if home is not None and home.id != session.id else None
    return replace(
        new,
        context=diff_markdown(old.context, new.context),
        question=diff_markdown(old.question, new.question) or new.question,
        change=QuestionChange(
            "edited" if edited else "same",
            moved=moved_from is not None,
            title=diff_text(old.title, new.title),
            old_title=old.title if old.title != new.title else None,
            moved_from=moved_from,
            details=(
                *changed("title", old.title, new.title),
                *((Detail("moved_from", moved_from),) if moved_from is not None else ()),
            ),
        ),
    )


def _with_change(question: Question, moved: bool) -> Question:
    assert question.change is not None
    return replace(question, change=replace(question.change, moved=moved))


def _removed_question(old: Question, session: str, position: int) -> Question:
    removed = replace(
        old,
        context=mark_blocks("delete", old.context),
        question=mark_blocks("delete", old.question) or old.question,
        change=QuestionChange("removed", title=mark_all("delete", (Text(old.title),))),
    )
    return _placed(removed, session, position)


def _placed(question: Question, session: str, position: int) -> Question:
    """``question`` with its place in the earlier version recorded on its change."""
    assert question.change is not None
    change = replace(question.change, old_session=session, old_position=position)
    return replace(question, change=change)


def _position(session: Session, question: Question) -> int:
    """Where ``question`` (itself, not an equal one) is among ``session``'s questions."""
    return next(n for n, other in enumerate(session.questions) if other is question)


def _renamed_sessions(old: Pack, new: Pack, days: Sequence[Day]) -> tuple[Session, ...]:
    """Each session removed next to one added, merged with it as one session retitled.

    A session's id is made from its title, so a retitled session is one removed
    and one added; the changes page says so.  A writer that shows it in place
    (the Word copy) may show it as one session whose words changed instead:
    this is that session, compared as if it kept the earlier id.
    """
    old_sessions = {session.id: session for session in old.sessions}
    new_sessions = {session.id: session for session in new.sessions}
    renamed = []
    for day in days:
        index = 0
        while index < len(day.sessions) - 1:
            pair = day.sessions[index : index + 2]
            statuses = [s.change.status if s.change is not None else None for s in pair]
            if sorted(statuses, key=str) != ["added", "removed"]:
                index += 1
                continue
            removed, added = pair if statuses[0] == "removed" else pair[::-1]
            before, after = old_sessions[removed.id], new_sessions[added.id]
            versions = [
                Pack(title="", days=(replace(day, sessions=(session,)),))
                for session in (before, replace(after, id=before.id))
            ]
            merged = compare(*versions).days[0].sessions[0]
            assert merged.change is not None
            change = replace(merged.change, renamed_from=before.id)
            renamed.append(replace(merged, id=after.id, change=change))
            index += 2
    return tuple(renamed)


def _removed_session(old: Session, matched_old: set[int]) -> Session:
    questions = tuple(
        _removed_question(question, old.id, position)
        for position, question in enumerate(old.questions)
        if id(question) not in matched_old
    )
    return replace(
        old,
        questions=questions,
        change=SessionChange(
            "removed",
            title=mark_all("delete", (Text(old.title),)),
            label=mark_all("delete", (Text(old.label),)) if old.label else (),
            speakers=tuple(("delete", speaker) for speaker in old.speakers),
        ),
    )


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """Indexes of a longest increasing run (not necessarily contiguous) in ``values``."""
    best: list[list[int]] = []
    for index, value in enumerate(values):
        chains = [chain for chain in best if values[chain[-1]] < value]
        longest = max(chains, key=len, default=[])
        best.append([*longest, index])
    longest_chain: list[int] = max(best, key=len, default=[])
    return set(longest_chain)


def _place_after(merged: list[Question], before: Sequence[Question]) -> int:
    """Where a removed question goes: right after the nearest question before it that stayed."""
    for earlier in reversed(before):
        for index, question in enumerate(merged):
            change = question.change
            if question.title == earlier.title and change is not None and change.status != "added":
                return index + 1
    return 0


def _insert_session(
    days: list[Day], old_day: Day, before: Sequence[Session], removed: Session
) -> list[Day]:
    for index, day in enumerate(days):
        if day.date == old_day.date:
            ids = [session.id for session in day.sessions]
            at = 0
            for earlier in reversed(before):
                if earlier.id in ids:
                    at = ids.index(earlier.id) + 1
                    break
            sessions = (*day.sessions[:at], removed, *day.sessions[at:])
            return [*days[:index], replace(day, sessions=sessions), *days[index + 1 :]]
    # Its whole day went: the day comes back, in date order, holding what was removed.
    restored = replace(old_day, sessions=(removed,))
    return sorted([*days, restored], key=lambda day: day.date)


def _mark_moved_sessions(old: Pack, days: list[Day]) -> list[Day]:
    """A session on another day, or out of order among the sessions kept, has moved."""
    old_dates = {session.id: day.date for day in old.days for session in day.sessions}
    old_positions = {session.id: n for n, session in enumerate(old.sessions)}
    kept = [
        (day.date, session)
        for day in days
        for session in day.sessions
        if session.id in old_dates and session.change and session.change.status != "removed"
    ]
    in_order = _longest_increasing([old_positions[session.id] for _, session in kept])
    moved = {
        session.id
        for index, (date, session) in enumerate(kept)
        if index not in in_order or date != old_dates[session.id]
    }
    return [
        replace(
            day,
            sessions=tuple(
                replace(session, change=replace(session.change, moved=True))
                if session.id in moved and session.change is not None
                else session
                for session in day.sessions
            ),
        )
        for day in days
    ]


def _diff_speakers(
    old: Sequence[Speaker], new: Sequence[Speaker]
) -> tuple[tuple[RevisionKind | None, Speaker], ...]:
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    marked: list[tuple[RevisionKind | None, Speaker]] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            marked += [(None, speaker) for speaker in new[j1:j2]]
            continue
        marked += [("delete", speaker) for speaker in old[i1:i2]]
        marked += [("insert", speaker) for speaker in new[j1:j2]]
    return tuple(marked)
