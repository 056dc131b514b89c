"""Settings for a render: command-line options over the pack's options, and the theme."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from briefpack.content.theme import load_theme
from briefpack.model import Pack
from briefpack.model.theme import Theme
from briefpack.render.settings import RenderSettings, document_date
from briefpack.render.theme import templates_dir


@cache
def default_theme() -> Theme:
    """The built-in theme, read once per process."""
    return load_theme(templates_dir())


def resolve_settings(
    pack: Pack,
    environ: Mapping[str, str],
    paper: str | None = None,
    notes: bool | None = None,
    reference_docx: Path | None = None,
    theme: Theme | None = None,
) -> RenderSettings:
    """Combine command-line options (``None`` when not given) with the pack's options.

    The document date is ``SOURCE_DATE_EPOCH`` when set, otherwise the first
    day of the event, so that a rebuild of the same content is byte-identical.
    Without ``theme``, the built-in one.
    """
    return RenderSettings(
        paper=paper or pack.options.paper,
        notes=pack.options.notes if notes is None else notes,
        created=document_date(pack, environ),
        reference_docx=reference_docx or pack.options.reference_docx,
        theme=theme or default_theme(),
    )
