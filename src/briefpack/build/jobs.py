"""One output to make (a :class:`Job`), and the slice of the content it is made from.

Every stage of the build passes jobs along: planning makes them, the
manifest and the cache know them by their hash, workers render them, a
book splits one into steps.  So this module depends on none of those
stages, and each of them can import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.build.files import FolderPartStore
from briefpack.model import Pack
from briefpack.render.settings import RenderSettings

if TYPE_CHECKING:
    from briefpack.build.word_layout import LibreOffice
    from briefpack.render.book.parts import JoinSpec, PartSpec


@dataclass(frozen=True, slots=True)
class Job:
    """One output to make: a pack, one of its sessions or a recipient's pack, in one format."""

    pack: Pack
    settings: RenderSettings
    output_format: str
    target: Path
    inputs: str
    cost: int

    #: The target's path inside the pack's output folder: ``NAME.pdf``,
    #: ``sessions/NN-ID.pdf`` or ``recipients/SLUG.pdf``.
    relative: str
    #: Where the output's parts are kept, when it is made as a book of parts.
    parts: FolderPartStore | None = field(default=None, compare=False, repr=False)
    #: One step of making the output as a book (a part, or the join), not the output.
    step: PartSpec | JoinSpec | None = field(default=None, compare=False, repr=False)
    #: The LibreOffice that lays out a Word copy to number its contents
    #: (:mod:`~briefpack.build.word_layout`); ``None`` leaves them unnumbered.
    libreoffice: LibreOffice | None = None


def has_contents(output_format: str, session_id: str | None) -> bool:
    """Whether an output is a Word copy with a contents: the whole pack's, not a session's.

    Only those are laid out to number their contents
    (:mod:`~briefpack.build.word_layout`).
    """
    return output_format == "docx" and session_id is None


def describe_job(job: Job) -> str:
    """How a job's failure names it: the pack file, then the output."""
    return f"{job.pack.source}: {job.target}"


def content_slice(pack: Pack, session_id: str | None) -> Pack:
    """The part of the content an output is made from: the whole pack, or one session of it."""
    if session_id is None:
        return pack
    days, session = pack.scope(session_id)
    assert session is not None
    # Only its own attendees appear in a session's pack.
    attendees = tuple(item for item in pack.attendees if item.name in session.attendees)
    return replace(pack, days=days, attendees=attendees)
