"""Where a document's links lead: the fragment ids of its days, sessions, questions and
pre-read pages, the Word copy's bookmarks, and what each is in words.

The contents, the at-a-glance table, the changes page and the debrief link to
these ids; the PDF writer describes each link by the heading it leads to
(a screen reader speaks it).  Named here once, for every writer and the book.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from briefpack.model import Day, Pack, Session
from briefpack.render.book.pre_reads import page_anchor
from briefpack.render.wording import Wording, session_heading, wording_for


def day_anchor(date: dt.date) -> str:
    """The fragment id of a day's heading."""
    return f"day-{date.isoformat()}"


def session_anchor(session: Session) -> str:
    """The fragment id of a session's section: unique, since session ids are."""
    return f"session-{session.id}"


def question_anchor(session: Session, position: int) -> str:
    """The fragment id of a session's question at ``position`` (from 1, removed ones counted)."""
    return f"{session_anchor(session)}-q{position}"


def session_bookmarks(*days: Iterable[Day]) -> dict[str, str]:
    """The Word copy's bookmark of each session of ``days``: ``s1``, ``s2``, in their order.

    A bookmark's name must start with a letter, have no hyphen and at most 40
    characters, so a session's is its place, not its id.  The sessions are
    numbered in the order of the first of ``days`` (the change-marked pack's, whose
    changes page names them all, removed ones too); one only a later one has comes after.
    """
    bookmarks: dict[str, str] = {}
    for session in (session for each in days for day in each for session in day.sessions):
        bookmarks.setdefault(session.id, f"s{len(bookmarks) + 1}")
    return bookmarks


def question_bookmark(session_bookmark: str, number: int | None) -> str | None:
    """The Word copy's bookmark of a question numbered ``number``; none for a removed one."""
    return None if number is None else f"{session_bookmark}q{number}"


def pre_read_bookmark(session_bookmark: str, number: int) -> str:
    """The Word copy's bookmark of a session's ``number``th pre-read, from 1."""
    return f"{session_bookmark}p{number}"


def day_bookmark(number: int) -> str:
    """The Word copy's bookmark of a document's ``number``th day, from 1."""
    return f"d{number}"


def pre_read_entry(title: str, wording: Wording) -> str:
    """``Pre-read: Title``: a pre-read's contents entry and the description of a link to it."""
    return f"{wording.gettext('Pre-read')}: {title}"


def link_descriptions(pack: Pack, language: str) -> dict[str, str]:
    """What each fragment id a link can lead to is, in words, for the link's description.

    WeasyPrint describes a link by its target (``session-agentcore``); a
    screen reader speaks the description, so the PDF writer replaces it with
    the heading it leads to.
    """
    wording = wording_for(language)
    descriptions: dict[str, str] = {}
    for day in pack.days:
        descriptions[day_anchor(day.date)] = wording.day_heading(day.date)
        for session in day.sessions:
            anchor = session_anchor(session)
            descriptions[anchor] = session_heading(session)
            for number, question in enumerate(session.questions, start=1):
                descriptions[question_anchor(session, number)] = question.title
            for number, attachment in enumerate(session.attachments, start=1):
                for page in range(attachment.pages + 1):
                    descriptions[page_anchor(anchor, number, page)] = pre_read_entry(
                        attachment.title, wording
                    )
    return descriptions
