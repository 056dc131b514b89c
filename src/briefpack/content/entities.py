"""The entries of a pack read into the model: options, days, sessions, questions, people.

Each entry is one mapping of the pack file, read as a
:class:`~briefpack.content.record.Record` against its table in
:mod:`briefpack.content.schema` and built into its immutable model object,
or ``None`` once its problems are reported.  An entry is built from what it
holds alone; what it says about the others (the attendees a session names,
the sessions a recipient is excluded from) is noted here and checked by
:mod:`briefpack.content.cross_checks` once every entry is read.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from urllib.parse import urlsplit

from briefpack.content.agenda_times import DayTimes, Pause, Timing, timed_day
from briefpack.content.attachment_entries import AttachmentReader
from briefpack.content.images import ImageRefusedError, image_name, resolve_image
from briefpack.content.loader import MappingNode, Node, ScalarNode
from briefpack.content.read_limits import ReadLimits
from briefpack.content.record import Checker
from briefpack.content.schema import (
    ATTENDEE_KEYS,
    BREAK_KEYS,
    DAY_KEYS,
    OPTION_KEYS,
    PERMISSION_KEYS,
    QUESTION_KEYS,
    RECIPIENT_KEYS,
    SESSION_KEYS,
    SPEAKER_KEYS,
)
from briefpack.content.slug import name_slug
from briefpack.content.values import describe
from briefpack.errors import Mark
from briefpack.model import (
    Attendee,
    Day,
    Options,
    Permissions,
    Question,
    Recipient,
    Session,
    Speaker,
)
from briefpack.model.rich_text import Image


class PackEntries:
    """Builds the model objects of one pack's entries, reporting to the pack's checker."""

    def __init__(self, checker: Checker, limits: ReadLimits) -> None:
        self.checker = checker
        self.attachments = AttachmentReader(checker, limits)
        #: Attendees named by sessions, checked once the pack's attendees are known.
        self.named_attendees: list[tuple[str, Mark]] = []
        #: Sessions recipients exclude, checked once every session has its id.
        self.excluded: list[tuple[str, Mark]] = []
        #: Whether the pack uses a key of an agenda (a paper, purpose, owner or duration, a
        #: day's start or end, a break, a reading rate): it then reads as one (Pack.agenda).
        self.agenda = False

    def options(self, node: MappingNode | None) -> Options | None:
        """The pack's options; the defaults where ``options:`` is not given."""
        if node is None:
            return Options()
        record = self.checker.record(node, OPTION_KEYS, "options")
        if record is None:
            return None
        defaults = Options()
        self.agenda |= record.mark("reading_rate") is not None
        paper = record.value("paper")
        notes = record.value("notes")
        language = record.value("language")  # a bad tag is a problem, reported
        reference_docx = record.value("reference_docx")
        reference_path = None
        if reference_docx is not None:
            mark = record.mark("reference_docx")
            assert mark is not None
            reference_path = self.checker.local_file(
                mark, "reference_docx", reference_docx, (".docx",)
            )
            if reference_path is None:
                return None
        return Options(
            paper=paper or defaults.paper,
            notes=defaults.notes if notes is None else notes,
            language=language or defaults.language,
            language_mark=record.mark("language"),
            time_format=record.value("time_format"),
            per_recipient=bool(record.value("per_recipient")),
            answer_fields=bool(record.value("answer_fields")),
            reference_docx=reference_path,
            theme=record.value("theme"),
            theme_mark=record.mark("theme"),
            timezone=record.value("timezone"),
            reading_rate=record.value("reading_rate") or defaults.reading_rate,
            version=self.version(record.value("version"), record.values.get("version")),
            issued=record.value("issued"),
            latest_url=self.latest_url(record.value("latest_url"), record.mark("latest_url")),
            permissions=self.permissions(record.mapping("permissions")),
        )

    def permissions(self, node: MappingNode | None) -> Permissions:
        """``options.permissions``; copy and print in full where it says nothing."""
        if node is None:
            return Permissions()
        record = self.checker.record(node, PERMISSION_KEYS, "permissions")
        if record is None:
            return Permissions()
        copy = record.value("copy")
        return Permissions(
            copy=True if copy is None else copy,
            print=record.value("print") or "full",
            mark=node.mark,
        )

    def latest_url(self, url: str | None, mark: Mark | None) -> str | None:
        """``options.latest_url`` if it is an address a QR code and a link may carry.

        Checked here, at its line, because it is printed as a link and a QR code
        that a reader follows: only ``https://`` (never a file or a script), one
        unbroken line, short enough for a small code on the cover.
        """
        if url is None or mark is None:
            return None
        problem = latest_url_problem(url)
        if problem is not None:
            self.checker.problem(mark, f"latest_url {problem}")
            return None
        return url

    def version(self, label: str | None, node: Node | None) -> str | None:
        """``options.version`` if it is a label of one line, refused at its line if not.

        It is printed in every footer and ends each signature's reason, which
        a line break would split; empty is refused rather than read as no version.
        """
        if node is None:
            return None
        if label is None:
            if isinstance(node, ScalarNode) and (node.is_null or not node.value.strip()):
                self.checker.problem(node.mark, "'version' must not be empty; leave it out")
            return None
        problem = version_problem(label)
        if problem is not None:
            self.checker.problem(node.mark, f"'version' {problem}")
            return None
        return label

    def day(self, node: Node) -> Day | None:
        """A day: its date and its sessions, at least one."""
        record = self.checker.record(node, DAY_KEYS, "a day")
        if record is None:
            return None
        date = record.value("date")
        items: tuple[Timing | Pause, ...] | None = record.items("sessions", self.agenda_item)
        if date is None or items is None:
            return None
        times = DayTimes(record.value("start"), record.value("end"), record.mark("end"))
        self.agenda |= any(record.mark(name) is not None for name in ("start", "end"))
        timed = timed_day(self.checker, times, items)
        if timed is None:
            return None
        sessions, breaks = timed
        if not sessions:
            self.checker.problem(
                record.node.mark, "a day needs at least one session, not breaks alone"
            )
            return None
        return Day(date=date, sessions=sessions, breaks=breaks, mark=record.node.mark)

    def agenda_item(self, node: Node) -> Timing | Pause | None:
        """An item of a day's ``sessions:``: a session, or a ``break: MINUTES`` between two."""
        if isinstance(node, MappingNode) and any(key.value == "break" for key, _ in node.pairs):
            self.agenda = True
            record = self.checker.record(node, BREAK_KEYS, "a break")
            if record is None or record.value("break") is None:
                return None
            return Pause(record.value("break"), record.value("title"), record.node.mark)
        return self.session(node)

    def session(self, node: Node) -> Timing | None:
        """A session as written; its times are put on it with its day's (:func:`timed_day`)."""
        record = self.checker.record(node, SESSION_KEYS, "a session")
        if record is None:
            return None
        title = record.value("title")
        session_id = record.value("id")
        id_given = "id" in record.values
        self.agenda |= any(
            record.mark(name) is not None for name in ("paper", "purpose", "owner", "duration")
        )
        speakers = record.items("speakers", self.speaker)
        questions = record.items("questions", self.question)
        attachments = record.items("attachments", self.attachments.attachment)
        attendees = record.items("attendees", self.attendee_name)
        if any(
            record.mark(name) is not None and record.value(name) is None
            for name in ("start", "end", "duration", "purpose")
        ):
            return None  # a wrong time, duration or purpose: reported where it is written
        if record.mark("end") is None and record.mark("duration") is None:
            self.checker.problem(
                record.node.mark, "a session needs an 'end:' time or a 'duration:' in minutes"
            )
            return None
        if (
            title is None
            or (id_given and session_id is None)
            or speakers is None
            or questions is None
            or attachments is None
            or attendees is None
        ):
            return None
        session = Session(
            # An empty id is filled in from the title once every explicit id is known.
            id=session_id or "",
            title=title,
            label=record.value("label"),
            # Placeholders until the day puts the times on it.
            start=dt.time(0),
            end=dt.time(0),
            speakers=speakers,
            questions=questions,
            attachments=attachments,
            attendees=attendees,
            paper=record.value("paper"),
            purpose=record.value("purpose"),
            owner=record.value("owner"),
            location=record.value("location"),
            mark=record.node.mark,
        )
        return Timing(
            session,
            record.value("start"),
            record.value("end"),
            record.value("duration"),
            record.mark("start"),
            record.mark("end"),
            record.mark("duration"),
        )

    def speaker(self, node: Node) -> Speaker | None:
        """A session's speaker: a name, and a role if given."""
        record = self.checker.record(node, SPEAKER_KEYS, "a speaker")
        if record is None:
            return None
        name = record.value("name")
        role = record.value("role")
        return None if name is None else Speaker(name=name, role=role)

    def question(self, node: Node) -> Question | None:
        """A question; its key is given once every question of the pack is read."""
        record = self.checker.record(node, QUESTION_KEYS, "a question")
        if record is None:
            return None
        title = record.value("title")
        context = record.value("context")
        question = record.value("question")
        if title is None or question is None:
            return None
        question_mark = record.mark("question")
        assert question_mark is not None
        if "id" in record.values and record.value("id") is None:
            return None
        return Question(
            title=title,
            context=context,
            question=question,
            id=record.value("id"),
            mark=record.node.mark,
            question_mark=question_mark,
            context_mark=record.mark("context"),
        )

    def attendee(self, node: Node) -> Attendee | None:
        """One of the pack's attendees, with a photo if it names one that may be shown."""
        record = self.checker.record(node, ATTENDEE_KEYS, "an attendee")
        if record is None:
            return None
        name = record.value("name")
        bio = record.value("bio")
        written = record.value("photo")
        photo = None
        if written is not None:
            mark = record.mark("photo")
            assert mark is not None
            try:
                path = resolve_image(written, self.checker.folder)
            except ImageRefusedError as refused:
                # Reported; the attendee still counts, so sessions naming them are checked.
                self.checker.problem(mark, f"'photo' {written!r}: {refused}")
            else:
                photo = Image(path, alt=name or "", name=image_name(path))
        if name is None:
            return None
        return Attendee(
            name=name,
            role=record.value("role"),
            organisation=record.value("organisation"),
            bio=bio,
            photo=photo,
            attended=record.value("attended"),
            mark=record.node.mark,
            bio_mark=record.mark("bio"),
        )

    def attendee_name(self, node: Node) -> str | None:
        """A session's attendee, by name; the name is checked against the pack's attendees."""
        if not isinstance(node, ScalarNode) or node.is_null or not node.value.strip():
            self.checker.problem(node.mark, f"an attendee must be named, not {describe(node)}")
            return None
        self.named_attendees.append((node.value, node.mark))
        return node.value

    def recipient(self, node: Node) -> Recipient | None:
        """A reader with a pack of their own, the sessions they are excluded from left out."""
        record = self.checker.record(node, RECIPIENT_KEYS, "a recipient")
        if record is None:
            return None
        name = record.value("name")
        excluded = record.items("exclude", self._excluded_session)
        if name is None or excluded is None:
            return None
        return Recipient(
            name=name,
            slug=name_slug(name) or "recipient",
            exclude=tuple(text for text, _ in excluded),
            mark=record.node.mark,
        )

    def _excluded_session(self, node: Node) -> tuple[str, Mark] | None:
        """A session a recipient is excluded from, by id; the id is checked once all are known."""
        if not isinstance(node, ScalarNode) or node.is_null or not node.value.strip():
            self.checker.problem(
                node.mark, f"a session to exclude must be its id, not {describe(node)}"
            )
            return None
        self.excluded.append((node.value, node.mark))
        return node.value, node.mark


#: The longest ``latest_url``: a QR code of it stays small enough to read on the cover.
LATEST_URL_LENGTH = 300


def version_problem(label: str) -> str | None:
    """What is wrong with ``label`` as a version (``options.version``, ``--issue``); or ``None``."""
    if not label.strip():
        return "must not be empty"
    if any(unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") for char in label):
        return "must be one line, without line breaks or control characters"
    if any(unicodedata.bidirectional(char) in _BIDI_CONTROLS for char in label):
        # It would turn the rest of every footer around ("Version a6202 ,2 raM deussi").
        return "must not contain a direction control (such as a right-to-left override)"
    return None


#: Unicode's explicit direction embeddings, overrides and isolates (and their end).
_BIDI_CONTROLS = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


def latest_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as the latest version's address; ``None`` if nothing."""
    if len(url) > LATEST_URL_LENGTH:
        return f"is {len(url)} characters long; at most {LATEST_URL_LENGTH} fit a small QR code"
    if any(char.isspace() or unicodedata.category(char) in ("Cc", "Cf") for char in url):
        return "must not contain spaces or control characters"
    if not url.startswith("https://"):
        return f"must be an https:// address, not {url!r}"
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    if not host:
        return f"has no host name: {url!r}"
    return None
