"""Check a node tree against the content format and build the immutable model.

Every problem of a file is collected before anything is reported, so that an
author fixes them all in one pass; :func:`validate_pack` then raises one
:class:`BriefpackError` that lists them in file order.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from briefpack.content.attachments import (
    AttachmentFacts,
    AttachmentRefusedError,
    check_attachment,
    unembedded_warning,
    untagged_warning,
)
from briefpack.content.cross_checks import (
    check_attendees,
    check_day_order,
    check_question_ids,
    check_recipients,
    with_question_keys,
    with_session_ids,
)
from briefpack.content.images import ImageRefusedError, image_name, resolve_image
from briefpack.content.limits import ReadLimits
from briefpack.content.loader import MappingNode, Node, ScalarNode, load_file

# content/theme.py and content/answers.py import these from here; they live in content.record.
from briefpack.content.record import Checker as Checker
from briefpack.content.record import Record as Record
from briefpack.content.schema import (
    ATTACHMENT_KEYS,
    ATTENDEE_KEYS,
    DAY_KEYS,
    OPTION_KEYS,
    PACK_KEYS,
    QUESTION_KEYS,
    RECIPIENT_KEYS,
    SESSION_KEYS,
    SPEAKER_KEYS,
)
from briefpack.content.slug import name_slug
from briefpack.content.values import describe
from briefpack.errors import BriefpackError, Mark, Problem
from briefpack.model import (
    Attachment,
    Attendee,
    Day,
    Options,
    Pack,
    Question,
    Recipient,
    Session,
    Speaker,
)
from briefpack.model.rich_text import Image

# A pack's file name names its output folder: nothing hidden, no separators or controls.
_PACK_NAME = re.compile(r"[^./\\\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]{0,99}")


def load_pack(path: Path, label: str | None = None, limits: ReadLimits | None = None) -> Pack:
    """Read, parse and validate the pack file at ``path``.

    ``label`` is how the path is shown in messages (default: ``path`` as given);
    ``limits`` bound what reading it may cost (default: the options' defaults).
    Raises :class:`BriefpackError` listing every problem found.
    """
    label = str(path) if label is None else label
    limits = limits or ReadLimits()
    name = path.stem
    check_pack_name(name, label)
    root = load_file(path, label, limits.max_size)
    return validate_pack(root, label, name=name, folder=path.parent, limits=limits)


def check_pack_name(name: str, where: str) -> None:
    """A pack's name names its output folder: refuse one that cannot, or would escape."""
    if not _PACK_NAME.fullmatch(name):
        raise BriefpackError(
            [Problem(where, f"{name!r} cannot name a pack's output folder; rename the file")]
        )


def validate_pack(
    root: Node,
    source: str,
    name: str,
    folder: Path | None = None,
    limits: ReadLimits | None = None,
) -> Pack:
    """Build a :class:`Pack` from a parsed file, or raise with every problem found.

    ``folder`` is the pack's folder: paths in the pack are resolved against it
    and must stay inside it.  Its pre-reads are read within ``limits``.
    """
    checker = PackChecker(folder or Path.cwd())
    checker.limits = limits or ReadLimits()
    pack = checker.pack(root, source, name)
    if checker.problems or pack is None:
        raise BriefpackError(sorted(checker.problems, key=problem_order))
    return replace(pack, warnings=tuple(sorted(checker.warnings, key=problem_order)))


def problem_order(problem: Problem) -> tuple[int, int]:
    """Sort key: problems in the order of their lines; file-wide ones first."""
    where = problem.where
    return (where.line, where.column) if isinstance(where, Mark) else (0, 0)


class PackChecker(Checker):
    """Walks a pack's node tree, collecting problems and building model objects."""

    def __init__(
        self, folder: Path, folder_label: str = "the pack's folder", fallback: Path | None = None
    ) -> None:
        super().__init__(folder, folder_label, fallback)
        #: What reading the pack's pre-reads may cost.
        self.limits = ReadLimits()
        #: Pre-read pages drawn in so far, each attachment counted each time it is given.
        self.attachment_pages = 0
        #: What reading each pre-read found, by path, size and time: one file given
        #: ten times is read once.
        self._attachment_facts: dict[
            tuple[Path, int, int], AttachmentFacts | AttachmentRefusedError
        ] = {}
        #: Attendees named by sessions, checked once the pack's attendees are known.
        self.named_attendees: list[tuple[str, Mark]] = []
        #: Sessions recipients exclude, checked once every session has its id.
        self.excluded: list[tuple[str, Mark]] = []

    def pack(self, root: Node, source: str, name: str) -> Pack | None:
        if isinstance(root, ScalarNode) and root.is_null:
            self.problem(root.mark, "the file is empty; a pack needs at least 'title' and 'days'")
            return None
        record = self.record(root, PACK_KEYS, "the pack")
        if record is None:
            return None
        title = record.value("title")
        subtitle = record.value("subtitle")
        organisation = record.value("organisation")
        author = record.value("author")
        classification = record.value("classification")
        days = record.items("days", self.day)
        attendees = record.items("attendees", self.attendee)
        recipients = record.items("recipients", self.recipient)
        options = self.options(record.mapping("options"))
        if days is not None:
            check_day_order(self, days)
            check_question_ids(self, days)
            answer_fields = bool(options and options.answer_fields)
            days = with_question_keys(self, with_session_ids(self, days), answer_fields)
        if attendees is not None:
            check_attendees(self, attendees, self.named_attendees)
        if recipients is not None and days is not None:
            check_recipients(self, recipients, days, self.excluded)
        if (
            title is None
            or days is None
            or options is None
            or attendees is None
            or recipients is None
        ):
            return None
        return Pack(
            title=title,
            attendees=attendees,
            recipients=recipients,
            subtitle=subtitle,
            organisation=organisation,
            author=author,
            classification=classification,
            days=days,
            options=options,
            name=name,
            source=source,
        )

    def options(self, node: MappingNode | None) -> Options | None:
        if node is None:
            return Options()
        record = self.record(node, OPTION_KEYS, "options")
        if record is None:
            return None
        defaults = Options()
        paper = record.value("paper")
        notes = record.value("notes")
        language = record.value("language")  # a bad tag is a problem, reported
        reference_docx = record.value("reference_docx")
        reference_path = None
        if reference_docx is not None:
            mark = record.mark("reference_docx")
            assert mark is not None
            reference_path = self.local_file(mark, "reference_docx", reference_docx, (".docx",))
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
        )

    def day(self, node: Node) -> Day | None:
        record = self.record(node, DAY_KEYS, "a day")
        if record is None:
            return None
        date = record.value("date")
        sessions = record.items("sessions", self.session)
        if date is None or sessions is None:
            return None
        return Day(date=date, sessions=sessions, mark=record.node.mark)

    def session(self, node: Node) -> Session | None:
        record = self.record(node, SESSION_KEYS, "a session")
        if record is None:
            return None
        title = record.value("title")
        label = record.value("label")
        session_id = record.value("id")
        id_given = "id" in record.values
        start = record.value("start")
        end = record.value("end")
        speakers = record.items("speakers", self.speaker)
        questions = record.items("questions", self.question)
        attachments = record.items("attachments", self.attachment)
        attendees = record.items("attendees", self.attendee_name)
        if start is not None and end is not None and end <= start:
            end_mark = record.mark("end")
            assert end_mark is not None
            self.problem(
                end_mark,
                f"the session ends at {end:%H:%M}, which is not after its start at {start:%H:%M}",
            )
            return None
        if (
            title is None
            or (id_given and session_id is None)
            or start is None
            or end is None
            or speakers is None
            or questions is None
            or attachments is None
            or attendees is None
        ):
            return None
        return Session(
            # An empty id is filled in from the title once every explicit id is known.
            id=session_id or "",
            title=title,
            label=label,
            start=start,
            end=end,
            speakers=speakers,
            questions=questions,
            attachments=attachments,
            attendees=attendees,
            mark=record.node.mark,
        )

    def attachment(self, node: Node) -> Attachment | None:
        record = self.record(node, ATTACHMENT_KEYS, "an attachment")
        if record is None:
            return None
        written = record.value("file")
        title = record.value("title")
        divider = record.value("divider")
        if written is None or title is None:
            return None
        mark = record.mark("file")
        assert mark is not None
        if "://" in written:
            self.problem(
                mark,
                f"'file' must be a PDF file in {self.folder_label}, not a URL ({written!r}); "
                "download it into the folder and name that file",
            )
            return None
        path = self.local_file(mark, "file", written, (".pdf",))
        if path is None:
            return None
        facts = self._read_attachment(mark, path, written)
        if facts is None:
            return None
        if facts.removed:
            self.warning(
                mark,
                f"{path.name} carries {', '.join(facts.removed)}: the book keeps its pages "
                "and leaves those out",
            )
        if not facts.tagged:
            self.warning(mark, untagged_warning(path.name))
        if facts.unembedded_fonts:
            self.warning(mark, unembedded_warning(path.name, facts.unembedded_fonts))
        return Attachment(
            path=path,
            file=written,
            title=title,
            pages=facts.pages,
            digest=facts.digest,
            divider=True if divider is None else divider,
            tagged=facts.tagged,
            mark=record.node.mark,
        )

    def _read_attachment(self, mark: Mark, path: Path, written: str) -> AttachmentFacts | None:
        """Check a pre-read within the limits, and count its pages towards the pack's total."""
        limits = self.limits
        try:
            status = path.stat()
        except OSError as error:
            self.problem(mark, f"'file': {written} cannot be read: {error.strerror}")
            return None
        key = (path, status.st_size, status.st_mtime_ns)
        try:
            facts = self._attachment_facts.get(key) or check_attachment(
                path, limits.max_attachment_pages, limits.max_attachment_stream_size, written
            )
        except AttachmentRefusedError as refused:
            self._attachment_facts[key] = refused
            facts = refused
        if isinstance(facts, AttachmentRefusedError):
            self.problem(mark, f"'file': {facts}")
            return None
        self._attachment_facts[key] = facts
        before = self.attachment_pages
        self.attachment_pages += facts.pages
        if before <= limits.max_pack_attachment_pages < self.attachment_pages:
            # Reported once, at the pre-read that goes over: the ones after it are over too.
            self.problem(
                mark,
                f"'file': {written} brings the pack's pre-reads to {self.attachment_pages} "
                f"pages, more than the limit of {limits.max_pack_attachment_pages} "
                "(each pre-read counted each time it is attached); attach fewer, or raise "
                "--max-pack-attachment-pages",
            )
            return None
        return facts

    def attendee_name(self, node: Node) -> str | None:
        """A session's attendee, by name; the name is checked against the pack's attendees."""
        if not isinstance(node, ScalarNode) or node.is_null or not node.value.strip():
            self.problem(node.mark, f"an attendee must be named, not {describe(node)}")
            return None
        self.named_attendees.append((node.value, node.mark))
        return node.value

    def attendee(self, node: Node) -> Attendee | None:
        record = self.record(node, ATTENDEE_KEYS, "an attendee")
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
                path = resolve_image(written, self.folder)
            except ImageRefusedError as refused:
                # Reported; the attendee still counts, so sessions naming them are checked.
                self.problem(mark, f"'photo' {written!r}: {refused}")
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
            mark=record.node.mark,
            bio_mark=record.mark("bio"),
        )

    def recipient(self, node: Node) -> Recipient | None:
        record = self.record(node, RECIPIENT_KEYS, "a recipient")
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
        if not isinstance(node, ScalarNode) or node.is_null or not node.value.strip():
            self.problem(node.mark, f"a session to exclude must be its id, not {describe(node)}")
            return None
        self.excluded.append((node.value, node.mark))
        return node.value, node.mark

    def speaker(self, node: Node) -> Speaker | None:
        record = self.record(node, SPEAKER_KEYS, "a speaker")
        if record is None:
            return None
        name = record.value("name")
        role = record.value("role")
        return None if name is None else Speaker(name=name, role=role)

    def question(self, node: Node) -> Question | None:
        record = self.record(node, QUESTION_KEYS, "a question")
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
