"""The validated briefing pack: immutable, typed, and the only input of every writer.

A model is produced by :func:`briefpack.content.validate.validate_pack` and never
changed afterwards.  Source marks are kept for later messages (a refused link
in a question, say) but take no part in comparisons, so two packs with the
same content compare equal wherever they were read from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from briefpack.model.marks import Mark, Problem

if TYPE_CHECKING:
    from briefpack.model.answers import Answers
    from briefpack.model.change_details import AttendeeChange, QuestionChange, SessionChange
    from briefpack.model.register import Register
    from briefpack.model.rich_text import Image, Markdown
    from briefpack.model.speaker import Speaker


def count(number: int, noun: str) -> str:
    """``1 question``, ``6 questions``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


_NO_MARK = Mark("<memory>", 1, 1)


@dataclass(frozen=True, slots=True)
class Question:
    """A question the executive may ask, with the context that motivates it."""

    title: str
    question: Markdown
    context: Markdown | None = None
    #: The author's name for the question, stable across versions; ``None`` if not given.
    id: str | None = None
    #: What answers are filed under: ``id``, or the session's id and the title
    #: (``agentcore--multi-agent-orchestration-at-scale``); unique in the pack.
    key: str = ""
    #: In a change-marked pack (:func:`briefpack.model.changes.compare`): what happened to it.
    change: QuestionChange | None = field(default=None, compare=False, repr=False)
    mark: Mark = field(default=_NO_MARK, compare=False, repr=False)
    question_mark: Mark = field(default=_NO_MARK, compare=False, repr=False)
    context_mark: Mark | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Attendee:
    """Someone taking part in the event, shown with a photo and a short biography."""

    name: str
    role: str | None = None
    organisation: str | None = None
    bio: Markdown | None = None
    photo: Image | None = None
    #: After the meeting: whether they attended (``False``: apologies); ``None`` if not said.
    attended: bool | None = None
    mark: Mark = field(default=_NO_MARK, compare=False, repr=False)
    bio_mark: Mark | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class AttendeeVersions:
    """An attendee of a change-marked pack as each version has them (``None`` in one without).

    :func:`briefpack.model.changes.compare` lists every attendee of both versions
    in one order, those that only one version has where that version had them.
    """

    old: Attendee | None
    new: Attendee | None
    #: The biography with its changes marked where both versions have the attendee.
    bio: Markdown | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    """A reader with a pack of their own, addressed to them, without sessions they must not see."""

    name: str
    #: Names the recipient's files: ``recipients/SLUG.pdf``.
    slug: str
    #: Ids of the sessions left out of their pack.
    exclude: tuple[str, ...] = ()
    mark: Mark = field(default=_NO_MARK, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A pre-read: a PDF from the pack's folder whose pages follow its session's questions.

    Checked when the pack was read: ``pages`` is its page count and ``digest``
    the SHA-256 of its bytes, so that an edited file is a changed input.
    """

    #: Where the file is; it takes no part in comparisons, its ``digest`` does.
    path: Path = field(compare=False)
    #: The path as the author wrote it, relative to the pack's folder.
    file: str = ""
    title: str = ""
    pages: int = 0
    digest: str = ""
    #: Whether a page with the attachment's title comes before its pages.
    divider: bool = True
    #: Whether it is a tagged PDF (``/MarkInfo /Marked`` and a structure tree):
    #: its structure joins the book's, else each page is a described figure.
    tagged: bool = False
    #: How many words its pages' text has, for the session's pre-reading time.
    words: int = 0
    mark: Mark = field(default=_NO_MARK, compare=False, repr=False)


#: What an agenda item is for, in the order a cover counts them.
Purpose = Literal["decision", "discussion", "noting", "information"]
PURPOSES: tuple[Purpose, ...] = ("decision", "discussion", "noting", "information")


@dataclass(frozen=True, slots=True)
class Session:
    """One meeting slot on a day: an agenda item, with its paper and purpose if given."""

    id: str
    title: str
    start: dt.time
    end: dt.time
    questions: tuple[Question, ...]
    label: str | None = None
    speakers: tuple[Speaker, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    #: The names of the pack's attendees who take part.
    attendees: tuple[str, ...] = ()
    #: The paper's reference ("3.2"), shown before the title everywhere.
    paper: str | None = None
    #: What the item is for; ``None`` if not said.
    purpose: Purpose | None = None
    #: Who presents it.
    owner: str | None = None
    #: Where it is held, if not the event's location.
    location: str | None = None
    #: In a change-marked pack: what happened to it.
    change: SessionChange | None = field(default=None, compare=False, repr=False)
    mark: Mark = field(default=_NO_MARK, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Break:
    """A pause in a day's agenda, after the session it follows: its times computed."""

    start: dt.time
    end: dt.time
    #: ``Lunch``; ``None`` for a plain break.
    title: str | None = None
    #: The id of the session it follows; ``None`` before the day's first. By id, not by
    #: place: a reader's pack or a changes copy has other sessions around it.
    follows: str | None = None
    #: Its place as written: how many of its day's sessions the pack file lists before
    #: it (what ``follows`` is found from, once every session has its id).
    after: int = field(default=0, compare=False, repr=False)
    mark: Mark = field(default=_NO_MARK, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Day:
    """A date and the sessions held on it, in the order written."""

    date: dt.date
    sessions: tuple[Session, ...]
    #: The pauses between its sessions, in order.
    breaks: tuple[Break, ...] = ()
    mark: Mark = field(default=_NO_MARK, compare=False, repr=False)
    #: The day as a session pack shows it: from a session that does not open it.
    #: Its heading is then left out, as the full pack's pages of that session
    #: have none, so that the session pack's pages are the full pack's.
    continued: bool = False


PAPER_SIZES = ("a4", "letter")
#: How clock times may be written: with AM and PM, or from 00:00 to 23:59.
TimeFormat = Literal["12h", "24h"]
TIME_FORMATS: tuple[TimeFormat, ...] = ("12h", "24h")


#: What a reader's encrypted copy may print: everything, at low resolution only, nothing.
PrintPermission = Literal["full", "low", "none"]
PRINT_PERMISSIONS: tuple[PrintPermission, ...] = ("full", "low", "none")


@dataclass(frozen=True, slots=True)
class Permissions:
    """What a reader may do with their encrypted PDF (``options.permissions``).

    Only an encrypted file can hold a reader to these; a screen reader may
    always read the text, as PDF/UA requires, whatever ``copy`` says.
    """

    copy: bool = True
    print: PrintPermission = "full"
    #: Where ``permissions:`` is written, for the build's notes about it.
    mark: Mark | None = field(default=None, compare=False)

    @property
    def restricted(self) -> bool:
        """Whether the reader may do less than copy and print in full."""
        return not self.copy or self.print != "full"


@dataclass(frozen=True, slots=True)
class Options:
    """Pack-wide settings for the writers (the ``options:`` mapping)."""

    paper: str = "a4"
    notes: bool = False
    language: str = "en"
    #: Where ``language`` is written, for the warning about a language without labels.
    language_mark: Mark | None = field(default=None, compare=False)
    #: ``12h`` or ``24h`` to override the language's own clock; ``None`` keeps it.
    time_format: TimeFormat | None = None
    #: Whether each recipient gets a pack of their own.
    per_recipient: bool = False
    #: Whether each question has fields for its answer and follow-ups.
    answer_fields: bool = False
    #: A company template for the Word copy, resolved against the pack's folder.
    reference_docx: Path | None = None
    #: A built-in theme's name or a theme folder relative to the pack; ``None`` for the default.
    theme: str | None = None
    #: Where ``theme`` is written, for problems with the theme it names.
    theme_mark: Mark | None = field(default=None, compare=False)
    #: The IANA time zone of the clock times (``Europe/London``); ``None``: they float.
    timezone: str | None = None
    #: Words read a minute, for each session's pre-reading time.
    reading_rate: int = 230
    #: The pack's version as written (``3``, ``3.1``): "Version 3 · issued ..." in every
    #: page's footer and on the cover; ``None``: no version shown.
    version: str | None = None
    #: The day this version is issued: the footers' "issued" date and the documents'
    #: date; ``None``: ``SOURCE_DATE_EPOCH``, else the event's first day.
    issued: dt.date | None = None
    #: Where the latest version is (``https://...``): a QR code and a link on the cover;
    #: ``None``: neither, and the cover is as it was.
    latest_url: str | None = None
    #: What a reader may do with their encrypted PDF (``build --passwords``).  Not
    #: compared: it changes no page, only the seal, so a new permission re-encrypts the
    #: readers' copies without rendering them again (the render's hash leaves it out).
    permissions: Permissions = field(default=Permissions(), compare=False)


@dataclass(frozen=True, slots=True)
class Pack:
    """A whole briefing pack: one event, its days, sessions and questions.

    ``name`` is the file name without its extension; it names the outputs.
    """

    title: str
    days: tuple[Day, ...]
    attendees: tuple[Attendee, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    subtitle: str | None = None
    organisation: str | None = None
    author: str | None = None
    classification: str | None = None
    #: Where the event takes place.
    location: str | None = None
    #: The running record the pack names (``register:``): its actions and decisions.
    register: Register | None = None
    #: Whether it reads as a meeting's agenda: it uses a paper, purpose, owner or
    #: duration, a day's start or end, a break, a reading rate or a register. Its
    #: pages then show pre-reading times and take the agenda's styles; a pack that
    #: uses none of these prints exactly what it printed before they existed.
    agenda: bool = False
    options: Options = Options()
    name: str = field(default="pack", compare=False)
    source: str = field(default="<memory>", compare=False)
    warnings: tuple[Problem, ...] = field(default=(), compare=False, repr=False)
    #: In a change-marked pack: the attendees added, removed or edited, for the changes page.
    attendee_changes: tuple[AttendeeChange, ...] = field(default=(), compare=False, repr=False)
    #: In a change-marked pack: every attendee of both versions, in one order.
    attendee_versions: tuple[AttendeeVersions, ...] = field(default=(), compare=False, repr=False)
    #: In a change-marked pack: each session retitled (a new id) next to the one it
    #: replaced, merged with it as one session whose words changed (its change's
    #: ``renamed_from`` names the other).  The pack's days keep the two apart.
    renamed: tuple[Session, ...] = field(default=(), compare=False, repr=False)

    @property
    def sessions(self) -> tuple[Session, ...]:
        """Every session of the pack, in document order across days."""
        return tuple(session for day in self.days for session in day.sessions)

    @property
    def attachments(self) -> tuple[Attachment, ...]:
        """Every attachment of the pack, in document order."""
        return tuple(item for session in self.sessions for item in session.attachments)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question of the pack, in document order."""
        return tuple(question for session in self.sessions for question in session.questions)

    def scope(self, session_id: str | None) -> tuple[tuple[Day, ...], Session | None]:
        """The days a render shows: all of them, or only one session for a session pack.

        Returns the days (a session pack's one day holding only its session)
        and the session of a session pack, or ``None`` for the full pack.
        """
        if session_id is None:
            return self.days, None
        for day in self.days:
            for session in day.sessions:
                if session.id == session_id:
                    continued = session is not day.sessions[0]
                    return (replace(day, sessions=(session,), continued=continued),), session
        raise KeyError(session_id)

    def for_recipient(self, recipient: Recipient) -> Pack:
        """The pack as ``recipient`` gets it: the sessions they must not see are gone.

        A day left without sessions goes too, and so does an attendee who
        takes part only in sessions that went: listed with no sessions, they
        would show that something was removed.  An attendee of no session at
        all stays, as in the full pack.
        """
        days = []
        for day in self.days:
            sessions = tuple(s for s in day.sessions if s.id not in recipient.exclude)
            if sessions:
                days.append(replace(day, sessions=sessions))
        kept = {name for day in days for session in day.sessions for name in session.attendees}
        named = {name for session in self.sessions for name in session.attendees}
        attendees = tuple(a for a in self.attendees if a.name in kept or a.name not in named)
        return replace(self, days=tuple(days), attendees=attendees)

    def attendees_of(self, session: Session) -> tuple[Attendee, ...]:
        """The attendees ``session`` names, in the order it names them."""
        by_name = {attendee.name: attendee for attendee in self.attendees}
        return tuple(by_name[name] for name in session.attendees if name in by_name)

    def sessions_of(self, attendee: Attendee) -> tuple[Session, ...]:
        """The sessions ``attendee`` takes part in, in document order."""
        return tuple(session for session in self.sessions if attendee.name in session.attendees)

    def text_fields(self) -> Iterator[tuple[str, str, Mark]]:
        """Every piece of text in the pack: the key it is under, the text, and where it is.

        The place is the field's own line where it is known (context and
        question), otherwise the line of the record it belongs to.
        """
        top = Mark(self.source, 1, 1)
        for key in ("title", "subtitle", "organisation", "author", "classification"):
            value = getattr(self, key)
            if value:
                yield key, value, top
        for session in self.sessions:
            yield "title", session.title, session.mark
            if session.label:
                yield "label", session.label, session.mark
            for speaker in session.speakers:
                yield "name", speaker.name, session.mark
                if speaker.role:
                    yield "role", speaker.role, session.mark
            for question in session.questions:
                yield "title", question.title, question.mark
                if question.context is not None and question.context_mark is not None:
                    yield "context", question.context.source, question.context_mark
                yield "question", question.question.source, question.question_mark
        for attendee in self.attendees:
            for key in ("name", "role", "organisation"):
                value = getattr(attendee, key)
                if value:
                    yield key, value, attendee.mark
            if attendee.bio is not None:
                yield "bio", attendee.bio.source, attendee.bio_mark or attendee.mark

    def printed_texts(self, answers: Answers | None = None) -> Iterator[tuple[str, Mark | str]]:
        """Every text a render of the pack prints, with where it is written.

        The fields, the pre-reads' titles, the recipients' names (on the cover and
        every page of their pack) and, in a debrief, the answers given.
        """
        for _key, text, mark in self.text_fields():
            yield text, mark
        for attachment in self.attachments:
            yield attachment.title, attachment.mark
        for recipient in self.recipients:
            yield recipient.name, recipient.mark
        for answer in answers.answers if answers is not None else ():
            if answer.answer:
                yield answer.answer, answer.answer_mark or answer.mark
            if answer.follow_up:
                yield answer.follow_up, answer.follow_up_mark or answer.mark

    def summary(self) -> str:
        """Count days, sessions and questions, e.g. ``2 days, 4 sessions, 27 questions``."""
        return ", ".join(
            count(number, noun)
            for number, noun in (
                (len(self.days), "day"),
                (len(self.sessions), "session"),
                (len(self.questions), "question"),
            )
        )


def pack_images(pack: Pack) -> list[Image]:
    """Every image embedded in the pack's Markdown, each once, in document order."""
    from briefpack.model.rich_text import images_in

    found: dict[str, Image] = {}
    for attendee in pack.attendees:
        if attendee.photo is not None:
            found.setdefault(attendee.photo.name, attendee.photo)
        if attendee.bio is not None:
            for image in images_in(attendee.bio.blocks):
                found.setdefault(image.name, image)
    for question in pack.questions:
        for markdown in (question.context, question.question):
            if markdown is not None:
                for image in images_in(markdown.blocks):
                    found.setdefault(image.name, image)
    return list(found.values())
