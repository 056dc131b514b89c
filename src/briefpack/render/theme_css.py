"""The theme as CSS: its fonts, colours, sizes and margins, generated, never typed twice.

The stylesheet (``pack.css``, or a theme's own) uses only the custom
properties made here: ``--accent``, ``--ink``, ``--muted``, ``--surface``,
``--rule``; ``--heading-font``, ``--body-font``, ``--mono-font``; and
``--size-ROLE`` for each named role.  The Word copy's styles are made from
the same :class:`~briefpack.model.theme.Theme` (:mod:`briefpack.render.docx.styles`).

Every value written into CSS goes through one of the helpers at the end
(:func:`css_string`, :func:`css_url`, :func:`css_colour`, :func:`css_number`):
a theme comes from anyone, and a font file named
``a.ttf'); } body { display: none } @font-face { src: url('x`` must stay one
URL, not become rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import fields
from functools import cache
from pathlib import Path
from urllib.parse import quote

from briefpack.model.theme import FontFamily, Theme
from briefpack.render.builtin_themes import templates_dir

#: The CSS family name of each font role.
FAMILIES = {"heading": "Briefpack Heading", "body": "Briefpack Body", "mono": "Briefpack Mono"}
#: The family every role falls back to for what its own fonts lack: emoji, in one colour
#: (Noto Emoji, OFL, shipped with the default theme), so that an emoji in a pack prints
#: rather than as a missing-glyph box, in greyscale like the rest of the page.
EMOJI_FAMILY = "Briefpack Emoji"
EMOJI_FONT = "NotoEmoji-Regular.ttf"


def emoji_font() -> Path:
    """The fallback emoji font's file, in the default theme's ``fonts/`` folder."""
    return templates_dir() / FONTS / EMOJI_FONT


#: Where the HTML refers to the theme's logo: ``logo/NAME`` (mapped like the fonts).
LOGO = "logo"
#: Where the generated CSS refers to font files: ``fonts/NAME`` beside the HTML, or
#: inside the theme's folder for WeasyPrint (its fetcher maps the URL to the file).
FONTS = "fonts"


def theme_css(theme: Theme) -> str:
    """The theme's ``@font-face`` rules, custom properties and page margins."""
    rules = [_font_faces(FAMILIES[role], getattr(theme.fonts, role)) for role in FAMILIES]
    rules.append(
        f"@font-face {{ font-family: {css_string(EMOJI_FAMILY)}; "
        f"src: {css_url(f'{FONTS}/{EMOJI_FONT}')}; }}"
    )
    properties = [
        f"  --{f.name}: {css_colour(getattr(theme.colours, f.name))};"
        for f in fields(theme.colours)
    ]
    properties += [
        f"  --{role}-font: {css_string(family)}, {css_string(EMOJI_FAMILY)};"
        for role, family in FAMILIES.items()
    ]
    properties += [
        f"  --size-{f.name.replace('_', '-')}: {css_number(getattr(theme.sizes, f.name), 'pt')};"
        for f in fields(theme.sizes)
    ]
    properties += [
        f"  --space-{f.name.replace('_', '-')}: {css_number(getattr(theme.spacing, f.name), 'pt')};"
        for f in fields(theme.spacing)
    ]
    margins = " ".join(
        css_number(getattr(theme.margins, side), "mm")
        for side in ("top", "right", "bottom", "left")
    )
    return "\n".join([*rules, ":root {", *properties, "}", f"@page {{ margin: {margins}; }}", ""])


def glance_columns(widths: Sequence[float]) -> list[str]:
    """The at-a-glance table's column widths (millimetres, from
    :mod:`briefpack.render.column_widths`) as CSS lengths for its ``<col>`` elements."""
    return [css_number(width, "mm") for width in widths]


def font_files(theme: Theme) -> dict[str, Path]:
    """Every font file of the theme, by the name the CSS refers to it under ``fonts/``."""
    files: dict[str, Path] = {EMOJI_FONT: emoji_font()}
    for role in FAMILIES:
        for _, _, path in getattr(theme.fonts, role).faces():
            files[path.name] = path
    return files


def _font_faces(family: str, fonts: FontFamily) -> str:
    return "\n".join(
        f"@font-face {{ font-family: {css_string(family)}; font-weight: {weight}; "
        f"font-style: {style}; src: {css_url(f'{FONTS}/{path.name}')}; }}"
        for weight, style, path in fonts.faces()
    )


def logo_url(theme: Theme) -> str | None:
    """The URL the HTML shows the theme's logo under, if it has one (its name percent-encoded)."""
    return None if theme.logo is None else _url_path(f"{LOGO}/{theme.logo.name}")


def logo_css(theme: Theme) -> str:
    """Rules that follow the stylesheet when the theme has a logo: it heads every page."""
    if theme.logo is None:
        return ""
    # The running head (logo and title, see the template) replaces the title alone.
    return "@page { @top-left { content: element(running-head); } }\n"


# ------------------------------------------------------------- running heads

#: The running header's boxes, as shares of the text width (``@top-left`` and
#: ``@top-right`` in pack.css): the pack's title on the left, the session's on the right.
RUNNING_SHARES = {"left": 0.58, "right": 0.40}
#: Paper widths in millimetres, by paper name.
PAPER_WIDTHS = {"a4": 210.0, "letter": 215.9}
#: Room a logo takes before the title in the running head: 4 mm high, up to four times
#: as wide, and its gap (pack.css, ``.running-head img``).
LOGO_ROOM = 18.5
#: The share of a box a shortened title may fill: the measure leaves out kerning.
SLACK = 0.94
ELLIPSIS = "\u2026"
_MM = 72 / 25.4
#: What never ends a shortened title: joiners and marks that belong to the character before.
_CLINGING = re.compile(r"[\u0300-\u036f\u200c\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff]")


def running_width(theme: Theme, paper: str, box: str) -> float:
    """The width, in points, of a running header's box (``left`` or ``right``)."""
    text = PAPER_WIDTHS[paper] - theme.margins.left - theme.margins.right
    width = text * RUNNING_SHARES[box]
    if box == "left" and theme.logo is not None:
        width -= LOGO_ROOM
    return max(width, 0.0) * _MM


def running_text(text: str, theme: Theme, paper: str, box: str) -> str:
    """``text`` as the running header shows it: whole if it fits its box on one line, else
    cut at the last word (or character) that leaves room for an ellipsis.

    Computed once, here, rather than by CSS ``text-overflow`` in the margin box:
    WeasyPrint draws the whole line there, clipped, and maps its ellipsis glyph to the
    hidden words, so the page's text read "... and thhip Committee 2026".  The full
    title stays in the outline and the contents.
    """
    font = _running_font(theme)
    size = theme.sizes.header
    room = running_width(theme, paper, box) * SLACK
    if text_width(text, font, size) <= room:
        return text
    # The longest start that fits with its ellipsis: widths grow with the length, so
    # halving finds it in a few measurements (a character at a time took ~30 a session).
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + ELLIPSIS, font, size) <= room:
            low = middle
        else:
            high = middle - 1
    end = low
    while 0 < end < len(text) and _CLINGING.match(text[end]):
        end -= 1
    cut = text[:end]
    # At a word's end, if one ends in the last third of what fits.
    space = cut.rfind(" ")
    if space > len(cut) * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-\u2013\u2014") + ELLIPSIS


def _running_font(theme: Theme) -> Path:
    """The heading family's face for the running header's weight (500), or the nearest."""
    faces = [
        (abs(weight - 500) + (weight < 500) * 0.5, path)
        for weight, style, path in theme.fonts.heading.faces()
        if style == "normal"
    ]
    return min(faces)[1]


def text_width(text: str, font: Path, size: float) -> float:
    """``text``'s advance width in points in ``font`` at ``size``, without kerning; a character
    the font lacks (set in a fallback) counts one em."""
    advances, missing, units = _metrics(font)
    total = sum(advances.get(ord(character), missing) for character in text)
    return total * size / units


@cache
def line_height_em(font: Path) -> float:
    """The height of one line of ``font`` in ems, as Word and LibreOffice set it at single
    spacing (its ascent, descent and line gap): what a CSS line height is measured against."""
    from fontTools.ttLib import TTFont

    with TTFont(font, lazy=True) as parsed:
        header = parsed["hhea"]
        return float((header.ascent - header.descent + header.lineGap) / parsed["head"].unitsPerEm)


@cache
def _metrics(font: Path) -> tuple[dict[int, int], int, int]:
    """A font's advance widths by code point, the width of one em, and its units per em."""
    from fontTools.ttLib import TTFont

    with TTFont(font, lazy=True) as parsed:
        metrics = parsed["hmtx"].metrics
        units = int(parsed["head"].unitsPerEm)
        advances = {code: metrics[glyph][0] for code, glyph in parsed.getBestCmap().items()}
    return advances, units, units


# ------------------------------------------------------------- CSS values

#: Characters a CSS string keeps as they are; every other one is written as
#: an escape, so a string can never end early, start a comment, close the
#: ``<style>`` element it sits in or end its block.
_STRING_SAFE = re.compile(r"[A-Za-z0-9 .,:;_()/-]")
#: A URL that needs no quotes: what percent-encoding leaves of any path.
_PLAIN_URL = re.compile(r"[A-Za-z0-9._~/%-]+")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def css_string(text: str) -> str:
    r"""``text`` as a double-quoted CSS string: each unsafe character as ``\HH `` (hex, a space).

    >>> css_string("Briefpack Body")
    '"Briefpack Body"'
    >>> css_string("a'\"}<x")
    '"a\\27 \\22 \\7d \\3c x"'
    """
    escaped = (
        character if _STRING_SAFE.fullmatch(character) else f"\\{ord(character):x} "
        for character in text
    )
    return '"' + "".join(escaped) + '"'


def css_url(path: str) -> str:
    """``url(...)`` for a relative path: percent-encoded, and quoted as a string if need be.

    The fetcher and a browser both decode the percent-encoding, so the file
    is found under its own name whatever characters it has.

    >>> css_url("fonts/Inter-Regular.ttf")
    'url(fonts/Inter-Regular.ttf)'
    >>> css_url("fonts/a.ttf'); } body {")
    'url(fonts/a.ttf%27%29%3B%20%7D%20body%20%7B)'
    """
    encoded = _url_path(path)
    return f"url({encoded})" if _PLAIN_URL.fullmatch(encoded) else f"url({css_string(encoded)})"


def _url_path(path: str) -> str:
    return quote(path, safe="/")


def css_colour(colour: str) -> str:
    """A ``#rrggbb`` colour as it is; anything else is a bug (the theme's loader refuses it)."""
    if not _COLOUR.fullmatch(colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return colour


def css_number(number: float, unit: str) -> str:
    """A finite number with its unit (``11.5pt``); anything else is a bug (refused at load)."""
    if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
        raise ValueError(f"not a finite number: {number!r}")
    if not re.fullmatch(r"[a-z]+", unit):
        raise ValueError(f"not a CSS unit: {unit!r}")
    return f"{number:g}{unit}"
