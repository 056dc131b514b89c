"""Answers captured after the meeting: what was said to each question, and what follows up.

Kept in a file of their own beside the pack (``NAME.answers.yaml``), keyed by
each question's key, so that the author's pack file is never rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Literal

from briefpack.model.marks import Mark

_NO_MARK = Mark("<memory>", 1, 1)


#: How a filled field names its question when only a digest of the key survived.
DIGEST_PREFIX = "digest:"
#: Field kinds, as the field names and the content controls' tags spell them: a
#: question's answer and follow-ups, the action it raised (what, who, by when),
#: and an item for decision's decision (keyed by its session's id).
FieldKind = Literal["answer", "follow-up", "action", "action-owner", "action-due", "decision"]
KINDS: tuple[FieldKind, ...] = (
    "answer", "follow-up", "action", "action-owner", "action-due", "decision"
)  # fmt: skip
#: The letter of each kind in the bookmark a Word copy puts before its field (``bpa_``
#: and a key's digest): LibreOffice drops a control's tag, and harvest falls back on it.
BOOKMARK_LETTERS: dict[FieldKind, str] = {
    "answer": "a", "follow-up": "f", "action": "t", "action-owner": "o", "action-due": "d",
    "decision": "c",
}  # fmt: skip

#: A copy with answer fields carries its pack's identity, so that harvest can
#: refuse a copy of another pack that happens to share a question's key: the
#: pack's name (its file stem) and first day (:func:`pack_identity`) under
#: this key, in the PDF's document information and as a custom property of
#: the Word copy.
IDENTITY_PACK = "BriefpackPack"
#: ... and the version of the answer fields' names, under this key: a copy whose
#: fields are named some other way is refused rather than misread.
IDENTITY_VERSION = "BriefpackAnswerFields"
#: The answer fields' version this briefpack writes and reads: ``answer:KEY`` and
#: ``follow-up:KEY`` fields, ``briefpack:KIND:KEY`` tags, ``bpa_``/``bpf_`` bookmarks.
FIELDS_VERSION = "1"


def pack_identity(name: str, first_day: dt.date | None) -> str:
    """The identity a copy with answer fields carries: ``pack@2026-03-02``.

    The pack's file stem alone is shared by every ``pack.yaml`` anywhere; the
    first day of the event (of the days the copy shows: a recipient's copy
    starts at their first day) tells another event's same-named pack apart.
    Neither the title nor a question's text is in it: editing a question
    after the pack went out must not orphan the copies being filled in.
    """
    return name if first_day is None else f"{name}@{first_day.isoformat()}"


def parse_identity(identity: str) -> tuple[str, dt.date] | None:
    """The pack's name and first day an identity names, or None if it is not one."""
    name, at, day = identity.rpartition("@")
    if not at or not name:
        return None
    try:
        return name, dt.date.fromisoformat(day)
    except ValueError:
        return None


def key_digest(key: str) -> str:
    """A short, fixed-length stand-in for a question's key, where names are limited (bookmarks)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Answer:
    """The answer to one question and its follow-ups, and where they came from."""

    key: str
    answer: str | None = None
    follow_up: str | None = None
    #: The filled copy they were harvested from (its file name).
    source: str | None = None
    harvested: dt.date | None = None
    mark: Mark = field(default=_NO_MARK, compare=False, repr=False)
    answer_mark: Mark | None = field(default=None, compare=False, repr=False)
    follow_up_mark: Mark | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Answers:
    """Every answer of a pack, by question key, in the order of the file."""

    answers: tuple[Answer, ...] = ()
    source: str = "<memory>"

    def get(self, key: str) -> Answer | None:
        """The answer filed under ``key``, if any."""
        return next((answer for answer in self.answers if answer.key == key), None)
