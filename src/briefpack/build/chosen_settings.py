"""Settings for a render: command-line options over the pack's options, and the theme."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from briefpack.build.versions import Version
from briefpack.content.theme_file import THEME_FILE, load_theme
from briefpack.errors import BriefpackError, Mark, Problem
from briefpack.model import Pack
from briefpack.model.theme import Theme
from briefpack.render.builtin_themes import BUILT_IN_THEMES, built_in_theme_dir, templates_dir
from briefpack.render.settings import RenderSettings, document_date
from briefpack.render.wording import wording_for


def changes_label(pack: Pack, version: Version | None) -> str | None:
    """What a changes page calls the earlier ``version``: its file, and its version if any.

    "What changed since Version 2 (pack-v2.yaml) of ...", in the pack's language.
    """
    if version is None:
        return None
    wording = wording_for(pack.options.language, pack.options.time_format)
    return wording.earlier_version(version.name, version.pack.options.version)


@cache
def default_theme() -> Theme:
    """The built-in theme, read once per process."""
    return load_theme(templates_dir())


def choose_theme(spec: str | None, folder: Path, where: Mark | str | None = None) -> Theme:
    """The theme ``spec`` names: a built-in theme's name, or a theme folder relative to ``folder``.

    Problems with the theme's own files are reported at their lines in its
    theme.yaml; a name that is neither is reported at ``where``.
    """
    if spec is None:
        return default_theme()
    built_in = built_in_theme_dir(spec)
    if built_in is not None:
        return default_theme() if built_in == default_theme().folder else _built_in(spec)
    path = folder / spec
    if not (path / THEME_FILE).is_file():
        names = ", ".join(BUILT_IN_THEMES)
        raise BriefpackError(
            [
                Problem(
                    where,
                    f"no built-in theme {spec!r} ({names}) and no theme folder "
                    f"{str(path)!r} with a {THEME_FILE}",
                )
            ]
        )
    return load_theme(path, default_theme())


def theme_warnings(theme: Theme) -> list[Problem]:
    """What a build and ``validate`` warn of in ``theme``: fonts it may not embed, faint colours."""
    faint = [
        Problem(
            str(theme.folder / THEME_FILE),
            f"warning: {text} text on {background} has a contrast of {ratio}:1, "
            "below the 4.5:1 that readers with low vision need; darken it",
        )
        for text, background, ratio in theme.colours.contrast_failures()
    ]
    return [*theme.warnings, *faint]


@cache
def _built_in(name: str) -> Theme:
    folder = built_in_theme_dir(name)
    assert folder is not None
    return load_theme(folder, default_theme())


def resolve_settings(
    pack: Pack,
    environ: Mapping[str, str],
    paper: str | None = None,
    notes: bool | None = None,
    answer_fields: bool | None = None,
    pdf_variant: str | None = None,
    reference_docx: Path | None = None,
    theme: Theme | None = None,
    issue: str | None = None,
) -> RenderSettings:
    """Combine command-line options (``None`` when not given) with the pack's options.

    The document date is ``SOURCE_DATE_EPOCH`` when set, otherwise the first
    day of the event, so that a rebuild of the same content is byte-identical.
    Without ``theme``, the built-in one.  The reference .docx is the command
    line's, else the pack's, else the theme's: a theme may carry the company
    template its Word copies take.  The version shown is ``issue`` (``--issue``),
    else the pack's ``options.version``.
    """
    chosen = theme or default_theme()
    return RenderSettings(
        paper=paper or pack.options.paper,
        notes=pack.options.notes if notes is None else notes,
        answer_fields=pack.options.answer_fields if answer_fields is None else answer_fields,
        pdf_variant=pdf_variant or "pdf/ua-1",
        created=document_date(pack, environ),
        reference_docx=reference_docx or pack.options.reference_docx or chosen.reference_docx,
        theme=chosen,
        version=issue or pack.options.version,
    )
