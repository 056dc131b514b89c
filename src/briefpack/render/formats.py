"""The output formats: one table that the command line and the build read.

Each entry names a format, its file suffix, the function that renders it,
``(pack, settings) -> Rendered``, and what its output depends on besides the
content and the settings.  A renderer is imported only when its format is
rendered, so reading the table (``briefpack --help``, a no-op build) stays
cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefpack.render.rendered import Rendered

if TYPE_CHECKING:
    from briefpack.model import Pack
    from briefpack.render.settings import RenderSettings


@dataclass(frozen=True, slots=True)
class Format:
    """One output format and what its renders depend on."""

    name: str
    suffix: str
    render: Callable[[Pack, RenderSettings], Rendered]
    #: Rendered through the theme's templates, stylesheet and fonts.
    uses_theme: bool = False
    #: Takes its styles from a reference DOCX when one is given.
    uses_reference_docx: bool = False
    #: Also made for each session's own pack (and every other partial copy: a
    #: reader's, a change-marked one, a debrief).
    per_session: bool = True
    #: Made for each reader's pack even when not per session: a reader's calendar.
    per_recipient: bool = False
    #: Needs the theme's fonts and the content's pictures copied beside it.
    needs_companions: bool = False
    #: Relative cost of one question, to start the longest renders first.
    cost: int = 1
    #: The full pack is made as a book of parts (:mod:`briefpack.render.book.parts`),
    #: each step rendered by ``render_step``: an edit renders only what it touched.
    render_step: Callable[[Pack, RenderSettings, Any], Rendered] | None = None
    #: Rendered by WeasyPrint, which cannot start without Pango and other system
    #: libraries: the build looks for them before rendering (:mod:`briefpack.build.system`).
    uses_weasyprint: bool = False
    #: The minutes of the meeting in a format (``build --minutes``): made for the whole
    #: pack only, and only when asked; not a format ``-f`` names.
    minutes: bool = False


def _render_pdf(pack: Pack, settings: RenderSettings) -> Rendered:
    from briefpack.render.pdf import render_pdf

    return render_pdf(pack, settings)


def _render_pdf_step(pack: Pack, settings: RenderSettings, step: Any) -> Rendered:
    from briefpack.render.book.steps import render_step

    return render_step(pack, settings, step)


def _render_docx(pack: Pack, settings: RenderSettings) -> Rendered:
    from briefpack.render.docx.writer import render_docx

    return render_docx(pack, settings)


def _render_ics(pack: Pack, settings: RenderSettings) -> Rendered:
    from briefpack.render.calendar import render_ics

    return render_ics(pack, settings)


def _render_minutes_pdf(pack: Pack, settings: RenderSettings) -> Rendered:
    from briefpack.render.minutes_pdf import render_minutes_pdf

    return render_minutes_pdf(pack, settings)


def _render_minutes_docx(pack: Pack, settings: RenderSettings) -> Rendered:
    from briefpack.render.docx.minutes_writer import render_minutes_docx

    return render_minutes_docx(pack, settings)


def _render_html(pack: Pack, settings: RenderSettings) -> Rendered:
    from briefpack.render.html import render_html

    return render_html(pack, settings)


#: Every output format, in the order they are built.
FORMAT_TABLE: dict[str, Format] = {
    format_.name: format_
    for format_ in (
        Format("pdf", ".pdf", _render_pdf, uses_theme=True, cost=4,
               render_step=_render_pdf_step, uses_weasyprint=True),
        Format("docx", ".docx", _render_docx, uses_reference_docx=True),
        Format("html", ".html", _render_html, uses_theme=True, per_session=False,
               needs_companions=True),
        # One event per session: for the whole pack and each reader, not per session.
        Format("ics", ".ics", _render_ics, per_session=False, per_recipient=True),
        # The minutes (--minutes), in the formats of the same name: NAME.minutes.pdf, .docx.
        Format("minutes-pdf", ".minutes.pdf", _render_minutes_pdf, uses_theme=True, cost=2,
               per_session=False, uses_weasyprint=True, minutes=True),
        Format("minutes-docx", ".minutes.docx", _render_minutes_docx, uses_reference_docx=True,
               per_session=False, minutes=True),
    )
}  # fmt: skip
#: The formats by name, as the command line offers them: the minutes come with ``--minutes``.
FORMATS = tuple(name for name, format_ in FORMAT_TABLE.items() if not format_.minutes)
#: The minutes' format for each format ``-f`` names that has one.
MINUTES_FORMATS = {"pdf": "minutes-pdf", "docx": "minutes-docx"}
#: What ``build`` makes when no format is named.
DEFAULT_FORMATS = ("pdf", "docx")
