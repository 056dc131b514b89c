"""What the command line asks a build for, in one value every stage of the build reads.

A module of its own so that the command line can name the options without
importing the build's stages (and, through them, the renderers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.build.render_limits import Limits
from briefpack.build.scheduler import DEFAULT_CONNECT_TIMEOUT
from briefpack.content.read_limits import ReadLimits
from briefpack.render.formats import DEFAULT_FORMATS

if TYPE_CHECKING:
    from briefpack.build.signing import SigningKey


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What the command line asked for."""

    out_dir: Path = Path("build")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    paper: str | None = None
    notes: bool | None = None
    #: ``--answer-fields``: ``None`` leaves it to the pack's options.
    answer_fields: bool | None = None
    #: ``--pdf-variant``: tagged PDF/UA-1 unless told otherwise.
    pdf_variant: str | None = None
    reference_docx: Path | None = None
    sessions: bool = True
    #: Build a pack per recipient: ``None`` leaves it to the pack's options.
    per_recipient: bool | None = None
    #: ``--changes-since``: an earlier copy of each pack file, or ``git:REV``.
    changes_since: str | None = None
    force: bool = False
    jobs: int = 1
    #: ``--max-size`` and the pre-read limits: what reading each pack may cost.
    read_limits: ReadLimits = field(default_factory=ReadLimits)
    limits: Limits = field(default_factory=Limits)
    #: Render the quickest outputs first (watch: a session's pack before the full one).
    shortest_first: bool = False
    #: ``--theme``: a built-in theme's name or a theme folder; overrides the packs' options.
    theme: str | None = None
    #: ``--executor``: a Dask scheduler's address (``tcp://HOST:PORT``) to render on.
    executor: str | None = None
    #: ``--connect-timeout``: seconds to wait for that scheduler to answer as one.
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    #: ``--cache``: a folder or fsspec URL of outputs kept by the hash of their inputs.
    cache: str | None = None
    #: ``--word-page-numbers``: lay each Word copy with a contents out with LibreOffice,
    #: where it is installed, to write the contents' page numbers in.
    word_page_numbers: bool = True
    #: ``--book-parts``: make PDFs from parts shared between the outputs, rather than
    #: each as one document (kept for comparison: both give the same pages).
    book_parts: bool = True
    #: ``--minutes``: also write the meeting's minutes, NAME.minutes.pdf and .docx, from
    #: the attendees' ``attended:``, the harvested answers and the register.
    minutes: bool = False
    #: ``--issue``: the version every page shows, over each pack's ``options.version``.
    issue: str | None = None
    #: ``--sign``: the key every PDF is signed with, read (and its password asked) once.
    #: Out of equality and repr: a key is never compared, hashed or shown.
    signing_key: SigningKey | None = field(default=None, compare=False, repr=False)
    #: ``--passwords``: each reader's password for their encrypted copies, by name,
    #: and the file they came from (for messages).  Never compared, hashed or shown.
    passwords: Mapping[str, str] | None = field(default=None, compare=False, repr=False)
    passwords_file: Path | None = None
