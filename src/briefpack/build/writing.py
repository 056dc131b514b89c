"""Putting each rendered output in place, with the files an HTML output's URLs point to.

Every file is written whole or not at all (:func:`~briefpack.build.files.write_atomically`),
so a build stopped at any moment leaves each output as it was or as it is
now.  A reader's copy that is to be encrypted never reaches its place in
the clear: its render is kept beside the outputs, and only the seal step
puts it in place, encrypted.  What was written is kept for the pack's
manifest; a pack with an output that failed is remembered, so that its
stale outputs are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from briefpack.build.encryption import ENCRYPTED_FORMATS, kept_render, reader_password
from briefpack.build.files import write_atomically
from briefpack.build.jobs import Job
from briefpack.build.manifests import manifest_entry
from briefpack.build.report import BuildReport, Notify
from briefpack.build.word_layout import numbering_failed
from briefpack.errors import BriefpackError
from briefpack.model import pack_images
from briefpack.model.theme import Theme
from briefpack.render.formats import FORMAT_TABLE

if TYPE_CHECKING:
    from briefpack.build.workers import Outcome


class OutputWriter:
    """Writes each output as it comes, and keeps what the manifests and the report need."""

    def __init__(
        self, report: BuildReport, notify: Notify, passwords: Mapping[str, str] | None = None
    ) -> None:
        self.report = report
        self.notify = notify
        #: The readers' passwords: their copies are encrypted (``build --passwords``).
        self.encrypted: Mapping[str, str] = passwords or {}
        #: The manifest entry of each output written, by its path.
        self.entries: dict[Path, dict[str, Any]] = {}
        #: The packs of which an output failed: they keep what was written and remove nothing.
        self.failed_packs: set[str] = set()

    def take(self, job: Job, outcome: Outcome, seconds: float) -> None:
        """Write ``job``'s output, or report why there is none."""
        if isinstance(outcome, BriefpackError):
            self._failed(job, outcome, seconds)
            return
        data, pages = outcome
        try:
            write_atomically(self._first_place(job), data)
            if FORMAT_TABLE[job.output_format].needs_companions:
                copy_companions(job.settings.chosen_theme, job)
        except BriefpackError as error:
            self._failed(job, error, seconds)
            return
        entry = manifest_entry(job, data, pages)
        if numbering_failed(job.libreoffice, data):
            entry["inputs"] = ""  # never up to date: the next build lays it out again
        self.entries[job.target] = entry
        self.report.written.append(job.target)
        self.notify("written", job.target, seconds)

    def _first_place(self, job: Job) -> Path:
        """Where a render is written: its output's path, or a copy to encrypt's kept render."""
        reader = job.settings.recipient
        if (
            reader
            and job.output_format in ENCRYPTED_FORMATS
            and reader_password(self.encrypted, reader)
        ):
            folder = job.target.parents[len(PurePosixPath(job.relative).parts) - 1]
            return kept_render(folder, job.relative)
        return job.target

    def _failed(self, job: Job, error: BriefpackError, seconds: float) -> None:
        self.report.failures.extend(error.problems)
        self.failed_packs.add(job.pack.name)
        self.notify("failed", job.target, seconds)


def copy_companions(theme: Theme, job: Job) -> None:
    """Put the theme's fonts and the content's images where the HTML's URLs point."""
    from briefpack.render.html import IMAGES
    from briefpack.render.theme_css import FONTS, LOGO, font_files

    folder = job.target.parent
    copies = [(path, folder / FONTS / name) for name, path in sorted(font_files(theme).items())]
    if theme.logo is not None:
        copies.append((theme.logo, folder / LOGO / theme.logo.name))
    copies += [(image.path, folder / IMAGES / image.name) for image in pack_images(job.pack)]
    for source, target in copies:
        data = source.read_bytes()
        if not (target.is_file() and not target.is_symlink() and target.read_bytes() == data):
            write_atomically(target, data)
