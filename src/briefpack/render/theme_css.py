"""The theme as CSS: its fonts, colours, sizes and margins, generated, never typed twice.

The stylesheet (``pack.css``, or a theme's own) uses only the custom
properties made here: ``--accent``, ``--ink``, ``--muted``, ``--surface``,
``--rule``; ``--heading-font``, ``--body-font``, ``--mono-font``; and
``--size-ROLE`` for each named role.  The Word copy's styles are made from
the same :class:`~briefpack.model.theme.Theme` (:mod:`briefpack.render.docx.styles`).
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from briefpack.model.theme import FontFamily, Theme

#: The CSS family name of each font role.
FAMILIES = {"heading": "Briefpack Heading", "body": "Briefpack Body", "mono": "Briefpack Mono"}
#: Widths of the at-a-glance table's columns, in millimetres, in both formats;
#: the session column takes the rest of the text width.  Each is wide enough for
#: its heading in every shipped language ("PREGUNTAS" is the longest count).
GLANCE_COLUMNS = {"day": 22.0, "time": 18.0, "speakers": 37.0, "count": 20.0}
#: Where the HTML refers to the theme's logo: ``logo/NAME`` (mapped like the fonts).
LOGO = "logo"
#: Where the generated CSS refers to font files: ``fonts/NAME`` beside the HTML, or
#: inside the theme's folder for WeasyPrint (its fetcher maps the URL to the file).
FONTS = "fonts"


def theme_css(theme: Theme) -> str:
    """The theme's ``@font-face`` rules, custom properties and page margins."""
    rules = [_font_faces(FAMILIES[role], getattr(theme.fonts, role)) for role in FAMILIES]
    properties = [f"  --{f.name}: {getattr(theme.colours, f.name)};" for f in fields(theme.colours)]
    properties += [f'  --{role}-font: "{family}";' for role, family in FAMILIES.items()]
    properties += [
        f"  --size-{f.name.replace('_', '-')}: {getattr(theme.sizes, f.name):g}pt;"
        for f in fields(theme.sizes)
    ]
    properties += [
        f"  --space-{f.name.replace('_', '-')}: {getattr(theme.spacing, f.name):g}pt;"
        for f in fields(theme.spacing)
    ]
    properties += [f"  --glance-{name}: {width:g}mm;" for name, width in GLANCE_COLUMNS.items()]
    margins = theme.margins
    return "\n".join(
        [
            *rules,
            ":root {",
            *properties,
            "}",
            f"@page {{ margin: {margins.top:g}mm {margins.right:g}mm "
            f"{margins.bottom:g}mm {margins.left:g}mm; }}",
            "",
        ]
    )


def font_files(theme: Theme) -> dict[str, Path]:
    """Every font file of the theme, by the name the CSS refers to it under ``fonts/``."""
    files: dict[str, Path] = {}
    for role in FAMILIES:
        for _, _, path in getattr(theme.fonts, role).faces():
            files[path.name] = path
    return files


def _font_faces(family: str, fonts: FontFamily) -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f"font-style: {style}; src: url({FONTS}/{path.name}); }}"
        for weight, style, path in fonts.faces()
    )


def logo_url(theme: Theme) -> str | None:
    """The URL the HTML shows the theme's logo under, if it has one."""
    return None if theme.logo is None else f"{LOGO}/{theme.logo.name}"


def logo_css(theme: Theme) -> str:
    """Rules that follow the stylesheet when the theme has a logo: it heads every page."""
    if theme.logo is None:
        return ""
    # The running head (logo and title, see the template) replaces the title alone.
    return "@page { @top-left { content: element(running-head); } }\n"
