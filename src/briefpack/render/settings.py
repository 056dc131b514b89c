"""What a render needs besides the pack: paper, notes, the document date, the theme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.errors import BriefpackError
from briefpack.model import Pack
from briefpack.model.answers import Answers
from briefpack.model.theme import Theme


@dataclass(frozen=True, slots=True)
class RenderSettings:
    """Resolved settings for one render: command-line options over the pack's ``options:``."""

    paper: str = "a4"
    notes: bool = False
    #: Fields under each question for its answer and follow-ups, to fill in and harvest;
    #: never in a debrief (with ``answers``), which shows the answers given.
    answer_fields: bool = False
    #: What the PDF claims to be: tagged PDF/UA-1 (the default), archival PDF/A
    #: (tagged, claiming PDF/UA-1 as well), or ``none`` for an untagged PDF.
    pdf_variant: str = "pdf/ua-1"
    #: The date written into document properties; never the clock.
    created: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    #: A company template for the Word copy.
    reference_docx: Path | None = None
    #: The id of the session to render as a pack of its own; ``None`` for the full pack.
    session: str | None = None
    #: The reader a pack is prepared for: named on its cover and on every page.
    recipient: str | None = None
    #: The reader's copy: its number among the pack's recipients, and how many there
    #: are ("Copy 2 of 5"); set by the build, so that a reader added or moved
    #: renumbers (and so rebuilds) every reader's copy.
    copy: tuple[int, int] | None = None
    #: The version shown on every page (``build --issue`` over ``options.version``);
    #: ``None``: none.  Issued on the document date, :attr:`created`.
    version: str | None = None
    #: In a change-marked pack: the earlier version's name (``pack-v2.yaml``,
    #: ``git 3f2a9c1``) and date, for "What changed since ...".
    changes_since: str | None = None
    changes_date: dt.date | None = None
    #: In a debrief pack: the answers harvested for the pack. The build hashes
    #: their content on its own.
    answers: Answers | None = field(default=None, compare=False, repr=False)
    #: The theme, read by the build (:func:`briefpack.build.chosen_settings.resolve_settings`).
    #: Left out of equality (and so of the build's input hashes): what counts
    #: is the content of the theme's files, which the build hashes on its own.
    theme: Theme | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # A debrief shows the answers already given: fields under them would
        # invite answering again, and a harvest of the debrief would read them
        # back as new answers.  Turned off here, where every render's settings
        # are made (build, validate's trial, harvest), not in each caller.
        if self.answers is not None and self.answer_fields:
            object.__setattr__(self, "answer_fields", False)

    @property
    def chosen_theme(self) -> Theme:
        """The theme to render with; a render without one is a bug in the caller."""
        if self.theme is None:
            raise ValueError("RenderSettings.theme is not set: resolve settings with the build")
        return self.theme


def copy_number(pack: Pack, recipient: str | None) -> tuple[int, int] | None:
    """``recipient``'s copy: their place in the pack's ``recipients:`` and how many there are."""
    names = [reader.name for reader in pack.recipients]
    return (names.index(recipient) + 1, len(names)) if recipient in names else None


def source_date(environ: Mapping[str, str]) -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) as a time, if set."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise BriefpackError(
            f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not {epoch!r}"
        ) from None


def document_date(pack: Pack, environ: Mapping[str, str]) -> dt.datetime:
    """The date for document properties and the version's issue date.

    ``options.issued`` when the pack gives it (a fact of the content: the day
    this version goes out), else ``SOURCE_DATE_EPOCH``, else the event's
    first day: never the clock, so a rebuild gives the same bytes.
    """
    issued = pack.options.issued
    if issued is not None:
        return dt.datetime(issued.year, issued.month, issued.day, tzinfo=dt.UTC)
    epoch = source_date(environ)
    if epoch is not None:
        return epoch
    first = pack.days[0].date
    return dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)


#: The fewest sessions a full pack made as a book has.  A book costs more work
#: than one document (measured sequentially: 1.3x to 1.6x for one to three
#: sessions, whose single render takes under 0.6 s; 1.08x for the 40 x 10 pack)
#: and pays it back on every edit, which then renders one session's part.
BOOK_MIN_SESSIONS = 4


def is_book(pack: Pack, settings: RenderSettings) -> bool:
    """Whether a PDF with ``settings`` of ``pack`` (the whole pack) is made as a book of parts.

    The full pack, a session's pack, a reader's and a change-marked one, when
    the whole pack has at least :data:`BOOK_MIN_SESSIONS` sessions: they
    share the sessions' parts, each rendered once (a changes pack renders
    only the sessions that changed).  A debrief is one document, as is a pack
    with answer fields: one form across parts is not joined.
    """
    return (
        len(pack.sessions) >= BOOK_MIN_SESSIONS
        and settings.answers is None
        and not settings.answer_fields
    )
