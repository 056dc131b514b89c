"""The attachment entries of sessions, read into the model's :class:`Attachment`.

An entry names a pre-read in the pack's folder; its file is judged by
:mod:`briefpack.content.preread_files` within the pack's :class:`ReadLimits`,
and each warning it earns (what the book leaves out, no tags, fonts it does
not embed) is given at the entry's ``file:`` line.  A file attached ten times
is read once, but its pages count ten times towards the pack's limit on
pre-read pages, since the book draws them in ten times.  Its words, for the
session's pre-reading time, are counted once per file too
(:mod:`briefpack.content.preread_words`, by the file's digest).
"""

from __future__ import annotations

from pathlib import Path

from briefpack.content.loader import Node
from briefpack.content.preread_files import (
    AttachmentFacts,
    AttachmentRefusedError,
    check_attachment,
    unembedded_warning,
    untagged_warning,
)
from briefpack.content.preread_words import file_words
from briefpack.content.read_limits import ReadLimits
from briefpack.content.record import Checker
from briefpack.content.schema import ATTACHMENT_KEYS
from briefpack.errors import Mark
from briefpack.model import Attachment


class AttachmentReader:
    """Reads a pack's attachment entries, counting their pages against the pack's limit."""

    def __init__(self, checker: Checker, limits: ReadLimits) -> None:
        self.checker = checker
        #: What reading the pack's pre-reads may cost.
        self.limits = limits
        #: Pre-read pages drawn in so far, each attachment counted each time it is given.
        self.pages = 0
        #: What reading each pre-read found, by path, size and time: one file given
        #: ten times is read once.
        self._facts: dict[tuple[Path, int, int], AttachmentFacts | AttachmentRefusedError] = {}

    def attachment(self, node: Node) -> Attachment | None:
        """An attachment entry, its file checked within the limits; ``None`` if refused."""
        record = self.checker.record(node, ATTACHMENT_KEYS, "an attachment")
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
            self.checker.problem(
                mark,
                f"'file' must be a PDF file in {self.checker.folder_label}, "
                f"not a URL ({written!r}); download it into the folder and name that file",
            )
            return None
        path = self.checker.local_file(mark, "file", written, (".pdf",))
        if path is None:
            return None
        facts = self._read(mark, path, written)
        if facts is None:
            return None
        if facts.removed:
            self.checker.warning(
                mark,
                f"{path.name} carries {', '.join(facts.removed)}: the book keeps its pages "
                "and leaves those out",
            )
        if not facts.tagged:
            self.checker.warning(mark, untagged_warning(path.name))
        if facts.unembedded_fonts:
            self.checker.warning(mark, unembedded_warning(path.name, facts.unembedded_fonts))
        words = file_words(path, facts.digest)
        if words is None:
            self.checker.warning(
                mark,
                f"the text of {path.name} cannot be read: its words do not count towards "
                "its session's pre-reading time; print it to PDF again to count them",
            )
        return Attachment(
            path=path,
            file=written,
            title=title,
            pages=facts.pages,
            digest=facts.digest,
            divider=True if divider is None else divider,
            tagged=facts.tagged,
            words=words or 0,
            mark=record.node.mark,
        )

    def _read(self, mark: Mark, path: Path, written: str) -> AttachmentFacts | None:
        """Check a pre-read within the limits, and count its pages towards the pack's total."""
        limits = self.limits
        try:
            status = path.stat()
        except OSError as error:
            self.checker.problem(mark, f"'file': {written} cannot be read: {error.strerror}")
            return None
        key = (path, status.st_size, status.st_mtime_ns)
        try:
            facts = self._facts.get(key) or check_attachment(
                path, limits.max_attachment_pages, limits.max_attachment_stream_size, written
            )
        except AttachmentRefusedError as refused:
            self._facts[key] = refused
            facts = refused
        if isinstance(facts, AttachmentRefusedError):
            self.checker.problem(mark, f"'file': {facts}")
            return None
        self._facts[key] = facts
        before = self.pages
        self.pages += facts.pages
        if before <= limits.max_pack_attachment_pages < self.pages:
            # Reported once, at the pre-read that goes over: the ones after it are over too.
            self.checker.problem(
                mark,
                f"'file': {written} brings the pack's pre-reads to {self.pages} "
                f"pages, more than the limit of {limits.max_pack_attachment_pages} "
                "(each pre-read counted each time it is attached); attach fewer, or raise "
                "--max-pack-attachment-pages",
            )
            return None
        return facts
