"""Pre-reading time: how long each session's reading takes, and the whole pack's.

A session's reading is the Markdown of its kept questions (context and
question, as written) and the words of its pre-reads' pages (counted when
the pack was read, :mod:`briefpack.content.preread_words`), at the pack's
``options.reading_rate`` words a minute, rounded up to a whole minute.  A
cover's total is the sum of its sessions' minutes, so that it adds up to the
at-a-glance table's column.

Only a pack that reads as an agenda shows it (:func:`shows_reading`,
:attr:`briefpack.model.Pack.agenda`): one that sets its own reading rate, names
a register, or uses a paper, purpose, owner or duration, a day's start or end,
or a break.  Every other pack, the bundled one among them, prints exactly what
it printed before.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefpack.model import Pack, Session
from briefpack.render.view.sessions import kept_questions

#: A word: a run of characters without spaces holding a letter or a digit (as
#: :func:`briefpack.content.preread_words.count_words` counts a pre-read's).
_WORD = re.compile(r"\S*[^\W_]\S*")


def shows_reading(pack: Pack) -> bool:
    """Whether the pack's documents print pre-reading times: when it reads as an agenda.

    Decided once, when the pack was read (:attr:`briefpack.model.Pack.agenda`), so
    that every output of the pack (a session's own, a reader's) agrees.
    """
    return pack.agenda


def session_words(session: Session) -> int:
    """The words a reader reads before ``session``: its kept questions and its pre-reads."""
    words = sum(attachment.words for attachment in session.attachments)
    for question in kept_questions(session):
        for text in (question.context, question.question):
            if text is not None:
                words += len(_WORD.findall(text.source))
    return words


def minutes(words: int, rate: int) -> int:
    """``words`` read at ``rate`` words a minute, rounded up to a whole minute."""
    return math.ceil(words / rate)


@dataclass(frozen=True, slots=True)
class Reading:
    """The pre-reading of some sessions: its minutes and its pre-reads' pages."""

    minutes: int
    pages: int


def reading_of(sessions: Sequence[Session], rate: int) -> Reading:
    """What reading for ``sessions`` takes: the sum of each one's minutes, and their pages."""
    return Reading(
        minutes=sum(minutes(session_words(session), rate) for session in sessions),
        pages=sum(item.pages for session in sessions for item in session.attachments),
    )


def shown_sessions(pack: Pack, ids: Iterable[str]) -> tuple[Session, ...]:
    """The model sessions of ``pack`` with ``ids``, in that order (unknown ids left out)."""
    by_id = {session.id: session for session in pack.sessions}
    return tuple(by_id[key] for key in ids if key in by_id)
