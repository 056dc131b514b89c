"""The minutes as a PDF: the minutes' view through ``minutes.html.j2``, rendered as the pack is.

The same words as the Word minutes (:mod:`briefpack.render.view.minutes`),
in the theme's stylesheet and fonts, tagged PDF/UA-1 (or what
``--pdf-variant`` asks) like every PDF briefpack writes.  The template is the
theme's own ``minutes.html.j2`` when its folder has one, else the default
theme's; either runs in the sandbox a theme's template runs in
(:mod:`briefpack.render.sandbox`), given only the view and the page's setup.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import jinja2

from briefpack import __version__
from briefpack.model import Pack
from briefpack.render.book.pre_reads import finish_book
from briefpack.render.builtin_themes import templates_dir
from briefpack.render.html import PAGE_SIZES, page_footer_css
from briefpack.render.pdf import fetcher_for, weasyprint_pdf
from briefpack.render.rendered import Rendered
from briefpack.render.sandbox import ThemeLoader, ThemeSandbox, template_problems
from briefpack.render.settings import RenderSettings
from briefpack.render.stream_ends import unambiguous_stream_ends
from briefpack.render.theme_css import font_files
from briefpack.render.view.minutes import minutes
from briefpack.render.wording import wording_for

#: The template's file name, in a theme's folder or the default theme's.
MINUTES_TEMPLATE = "minutes.html.j2"


def render_minutes_pdf(pack: Pack, settings: RenderSettings) -> Rendered:
    """The minutes of ``pack``'s meeting as a PDF, from ``settings.answers`` and its register."""
    theme = settings.chosen_theme
    view = minutes(pack, settings.answers)
    html = minutes_html(pack, settings)
    fetcher = fetcher_for(pack, theme)
    # Titled as the minutes, not as the pack: the title a reader's window and
    # a screen reader give the file (the writer takes it from the pack).
    titled = replace(pack, title=view.title)
    pdf, pages = weasyprint_pdf(titled, settings, html, fetcher, agenda=True)
    tagged = settings.pdf_variant != "none"
    fonts = sorted(font_files(theme).values())
    # No pre-reads, no marks: the tags repaired and the fonts subset as the pack's are.
    pdf = finish_book(pdf, [], theme.margins, None, {} if tagged else None, fonts)
    return Rendered(unambiguous_stream_ends(pdf), len(pages))


def minutes_html(pack: Pack, settings: RenderSettings) -> str:
    """The minutes' HTML document, the stylesheet left to the PDF writer (as the pack's is)."""
    template_path = _template(settings.chosen_theme.template.parent)
    wording = wording_for(pack.options.language, pack.options.time_format)
    with template_problems(template_path):
        environment = ThemeSandbox(
            loader=ThemeLoader(template_path.parent),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        template = environment.get_template(template_path.name)
        return template.render(
            view=minutes(pack, settings.answers),
            version=__version__,
            page_size=PAGE_SIZES[settings.paper],
            page_footer=page_footer_css(wording),
        )


def _template(theme_folder: Path) -> Path:
    """The theme's minutes template if it has one, else the default theme's."""
    own = theme_folder / MINUTES_TEMPLATE
    return own if own.is_file() else templates_dir() / MINUTES_TEMPLATE
