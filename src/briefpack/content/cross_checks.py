"""Checks across a pack: what no single entry can know about itself.

Each entry of a pack is read on its own (:mod:`briefpack.content.entities`);
what depends on the others is checked here, once every entry is read: days
in date order, ids given once, every session with an id and every question
with the key its answers are filed under, names that point at an attendee or
a session that exists.  Problems go to the pack's
:class:`~briefpack.content.record.Checker` with the others, each at the line
of the entry that is wrong.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from briefpack.content.record import Checker
from briefpack.content.slug import slugify
from briefpack.errors import Mark
from briefpack.model import Attendee, Day, Question, Recipient, Session


def check_day_order(checker: Checker, days: tuple[Day, ...]) -> None:
    """Days in date order, each date once: a day's sessions are all under its one date."""
    for previous, day in pairwise(days):
        if day.date == previous.date:
            checker.problem(
                day.mark,
                f"{day.date.isoformat()} is already a day at line {previous.mark.line}; "
                "put all of a day's sessions under one date",
            )
        elif day.date < previous.date:
            checker.problem(
                day.mark,
                f"days must be in date order: {day.date.isoformat()} comes after "
                f"{previous.date.isoformat()} (line {previous.mark.line})",
            )


def check_question_ids(checker: Checker, days: tuple[Day, ...]) -> None:
    """A question's id names it across versions: each at most once in the pack."""
    taken: dict[str, Question] = {}
    for day in days:
        for session in day.sessions:
            for question in session.questions:
                if question.id is None:
                    continue
                if question.id in taken:
                    checker.problem(
                        question.mark,
                        f"duplicate question id '{question.id}' (also used by the question "
                        f"at line {taken[question.id].mark.line})",
                    )
                taken.setdefault(question.id, question)


def with_session_ids(checker: Checker, days: tuple[Day, ...]) -> tuple[Day, ...]:
    """Report explicit ids given twice, and give every other session a unique id."""
    taken: dict[str, Session] = {}
    sessions = [session for day in days for session in day.sessions]
    for session in sessions:
        if not session.id:
            continue
        if session.id in taken:
            checker.problem(
                session.mark,
                f"duplicate session id '{session.id}' (also used by the session at line "
                f"{taken[session.id].mark.line}); ids name the session's files",
            )
        taken.setdefault(session.id, session)
    chosen_ids: dict[int, str] = {}
    for number, session in enumerate(sessions, start=1):
        if session.id:
            continue
        # Ids made from titles yield to explicit ones, and to each other in order.
        base = slugify(session.title) or f"session-{number}"
        chosen, suffix = base, 2
        while chosen in taken:
            chosen, suffix = f"{base}-{suffix}", suffix + 1
        taken[chosen] = session
        chosen_ids[id(session)] = chosen
    named = []
    for day in days:
        named_sessions = tuple(
            replace(session, id=chosen_ids[id(session)]) if not session.id else session
            for session in day.sessions
        )
        # A break is placed by the session it follows, now that each has its id.
        breaks = tuple(
            replace(pause, follows=named_sessions[pause.after - 1].id if pause.after else None)
            for pause in day.breaks
        )
        named.append(replace(day, sessions=named_sessions, breaks=breaks))
    return tuple(named)


def with_question_keys(
    checker: Checker, days: tuple[Day, ...], answer_fields: bool
) -> tuple[Day, ...]:
    """Give each question the key its answers are filed under.

    The key is the question's ``id``, otherwise its session's id and its
    title: moving a question within its session, or moving sessions,
    never changes it.  Two questions of one title in one session would
    share a key: an error in a pack that asks for answer fields, else a
    warning, the second one's key then numbered (``-2``).
    """
    taken: dict[str, Question] = {}
    result = []
    for day in days:
        sessions = []
        for session in day.sessions:
            questions = []
            for question in session.questions:
                key = question.id or f"{session.id}--{slugify(question.title) or 'question'}"
                # A repeated explicit id is reported by check_question_ids.
                if key in taken and question.id is None:
                    message = (
                        f"this question's answers would be filed under '{key}', like the "
                        f"question at line {taken[key].mark.line}; give one of them an 'id'"
                    )
                    if answer_fields:
                        checker.problem(question.mark, message)
                    else:
                        checker.warning(question.mark, message)
                        number = 2
                        while f"{key}-{number}" in taken:
                            number += 1
                        key = f"{key}-{number}"
                taken.setdefault(key, question)
                questions.append(replace(question, key=key))
            sessions.append(replace(session, questions=tuple(questions)))
        result.append(replace(day, sessions=tuple(sessions)))
    return tuple(result)


def check_attendees(
    checker: Checker, attendees: tuple[Attendee, ...], named: Sequence[tuple[str, Mark]]
) -> None:
    """Each attendee once; every name a session gives is one of them."""
    first: dict[str, Attendee] = {}
    for attendee in attendees:
        if attendee.name in first:
            checker.problem(
                attendee.mark,
                f"attendee {attendee.name!r} is already listed at line "
                f"{first[attendee.name].mark.line}; sessions name attendees by name",
            )
        first.setdefault(attendee.name, attendee)
    names = list(first)
    for name, mark in named:
        if name in first:
            continue
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        hint = (
            f"; did you mean {close[0]!r}?"
            if close
            else (
                "; list them under 'attendees' at the top of the pack"
                if not names
                else f"; the attendees are {', '.join(names)}"
            )
        )
        checker.problem(mark, f"{name!r} is not one of the pack's attendees{hint}")


def check_recipients(
    checker: Checker,
    recipients: tuple[Recipient, ...],
    days: tuple[Day, ...],
    excluded: Sequence[tuple[str, Mark]],
) -> None:
    """Each recipient's file name once; every excluded session one of the pack's."""
    seen: dict[str, Recipient] = {}
    for recipient in recipients:
        if recipient.slug in seen:
            checker.problem(
                recipient.mark,
                f"recipient {recipient.name!r} would share the file name "
                f"'{recipient.slug}' with the recipient at line "
                f"{seen[recipient.slug].mark.line}; give each recipient a distinct name",
            )
        seen.setdefault(recipient.slug, recipient)
    ids = [session.id for day in days for session in day.sessions]
    for recipient in recipients:
        if ids and set(ids) <= set(recipient.exclude):
            checker.problem(
                recipient.mark,
                f"recipient {recipient.name!r} is excluded from every session and would "
                "get an empty pack; remove them from 'recipients'",
            )
    for written, mark in excluded:
        if written in ids:
            continue
        close = difflib.get_close_matches(written, ids, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else f"the ids are {', '.join(ids)}"
        checker.problem(mark, f"no session has the id {written!r}; {hint}")
