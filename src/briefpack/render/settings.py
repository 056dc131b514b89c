"""What a render needs besides the pack: paper, notes, the document date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.errors import BriefpackError
from briefpack.model import Pack
from briefpack.render.theme import templates_dir


@dataclass(frozen=True, slots=True)
class RenderSettings:
    """Resolved settings for one render: command-line options over the pack's ``options:``."""

    paper: str = "a4"
    notes: bool = False
    #: The date written into document properties; never the clock.
    created: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    #: A company template for the Word copy.
    reference_docx: Path | None = None
    #: The id of the session to render as a pack of its own; ``None`` for the full pack.
    session: str | None = None
    #: The theme folder; ``None`` for the default theme.  Left out of equality
    #: (and so of the build's input hashes): what counts is the theme's
    #: content, which the build hashes on its own.
    theme: Path | None = field(default=None, compare=False)

    @property
    def theme_dir(self) -> Path:
        """The folder of the theme to render with."""
        return (templates_dir() if self.theme is None else self.theme).resolve()


def resolve_settings(
    pack: Pack,
    environ: Mapping[str, str],
    paper: str | None = None,
    notes: bool | None = None,
    reference_docx: Path | None = None,
) -> RenderSettings:
    """Combine command-line options (``None`` when not given) with the pack's options.

    The document date is ``SOURCE_DATE_EPOCH`` when set, otherwise the first
    day of the event, so that a rebuild of the same content is byte-identical.
    """
    return RenderSettings(
        paper=paper or pack.options.paper,
        notes=pack.options.notes if notes is None else notes,
        created=document_date(pack, environ),
        reference_docx=reference_docx or pack.options.reference_docx,
    )


def document_date(pack: Pack, environ: Mapping[str, str]) -> dt.datetime:
    """The date for document properties: ``SOURCE_DATE_EPOCH`` or the event's first day."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise BriefpackError(
                f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not {epoch!r}"
            ) from None
    first = pack.days[0].date
    return dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)
