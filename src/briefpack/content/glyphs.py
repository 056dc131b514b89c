"""Characters that no font of the theme can draw: a warning at their YAML line, not a box.

WeasyPrint draws a character that none of the theme's fonts has as a
missing-glyph box (or with whatever font the machine happens to have), and
says nothing.  :func:`glyph_warnings` names each such character at the
place it is written, once per character per place::

    content/x.yaml:12:15: warning: 'U+E000 private use character' () is in no
    font of the theme 'executive'; it prints as a box

The fonts are those the render uses, given by the caller (the build passes
:func:`briefpack.render.theme_css.font_files`: the theme's faces and any
fallback the render adds, an emoji font say), so that a fallback font added
to the themes silences the warnings for what it covers, with nothing to
change here; :func:`theme_font_files` is the theme's own faces alone.

Each font's character map is read once per process and kept; and fonts are
read only until every character of the pack is found, regular faces first,
so a pack in Latin script reads one font, not ten.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import fields
from functools import cache
from pathlib import Path

from briefpack.errors import Problem
from briefpack.model import Pack
from briefpack.model.answers import Answers
from briefpack.model.marks import Mark
from briefpack.model.theme import FontFamily, Theme

#: Unicode categories that are never drawn as glyphs of their own: controls,
#: format characters (joiners, bidi marks, tags), separators.  Pango lays out
#: spaces without the font's help, so a missing space glyph shows as a space.
_UNDRAWN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp", "Zs"})
#: Variation selectors choose a glyph for the character before them (text or
#: emoji presentation); no font draws them.
_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))


def glyph_warnings(
    pack: Pack,
    theme: Theme,
    fonts: Iterable[Path] | None = None,
    answers: Answers | None = None,
) -> list[Problem]:
    """A warning for each character of ``pack`` (and its ``answers``) that no font has.

    ``fonts`` are the font files the render uses with ``theme``; by default
    the theme's own (:func:`theme_font_files`).  Each warning is at the place
    the character is written, once per character per place, in the order
    the pack holds them.
    """
    places = list(pack.printed_texts(answers))
    # Each distinct character once: a 1,400-question pack has a million of them.
    needed = {char for char in set().union(*(text for text, _ in places)) if _drawn(char)}
    files = theme_font_files(theme)
    if fonts is not None:
        # The theme's regular faces first: they cover most text, and are read first.
        given = tuple(fonts)
        files = tuple(dict.fromkeys([*(f for f in files[:2] if f in given), *given]))
    missing = _missing(needed, files)
    if not missing:
        return []
    problems: list[Problem] = []
    seen: set[tuple[str, Mark | str]] = set()
    for text, where in places:
        for char in dict.fromkeys(text):
            if char in missing and (char, where) not in seen:
                seen.add((char, where))
                problems.append(
                    Problem(
                        where,
                        f"warning: {describe(char)} is in no font of the theme "
                        f"'{theme.name}'; it prints as a box",
                    )
                )
    return problems


def describe(char: str) -> str:
    """``'U+1F600 GRINNING FACE' (😀)``: a character by its code point, name and look."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = "private use character" if category == "Co" else "unnamed character"
    return f"'{code} {name}' ({char})"


def theme_font_files(theme: Theme) -> tuple[Path, ...]:
    """Every font file ``theme`` declares: regular faces (body, heading first), then the others.

    Read from ``theme.fonts`` field by field, so that a family the theme
    model gains (a fallback, a list of them) is taken without a change here.
    """
    families: list[FontFamily] = []
    loose: list[Path] = []
    for item in fields(theme.fonts):
        value = getattr(theme.fonts, item.name)
        values = value if isinstance(value, tuple | list) else (value,)
        families += [v for v in values if isinstance(v, FontFamily)]
        loose += [v for v in values if isinstance(v, Path)]
    # Body, then heading, then the rest: most of a pack's text is set in the first two.
    first = (theme.fonts.body, theme.fonts.heading)
    families.sort(key=lambda family: first.index(family) if family in first else len(first))
    regular = [family.regular for family in families]
    others = [path for family in families for _, _, path in family.faces()]
    return tuple(dict.fromkeys([*regular, *loose, *others]))


def _drawn(char: str) -> bool:
    """Whether ``char`` needs a glyph of its own from some font."""
    if unicodedata.category(char) in _UNDRAWN:
        return False
    return not any(ord(char) in selectors for selectors in _SELECTORS)


def _missing(needed: set[str], files: Iterable[Path]) -> set[str]:
    """The characters of ``needed`` that none of ``files`` has, reading only as many as it takes."""
    left = set(needed)
    for path in files:
        if not left:
            break
        codes = character_map(path)
        left = {char for char in left if ord(char) not in codes}
    return left


def character_map(path: Path) -> frozenset[int]:
    """The code points the font at ``path`` has glyphs for; read once per process and version."""
    try:
        stat = path.stat()
    except OSError:
        return frozenset()
    return _read_cmap(path.resolve(), stat.st_mtime_ns, stat.st_size)


@cache
def _read_cmap(path: Path, _mtime: int, _size: int) -> frozenset[int]:
    # Imported here: fontTools takes ~90 ms to import, and validate starts quickly.
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            best = font["cmap"].getBestCmap() or {}
    except (TTLibError, OSError, KeyError, ValueError, AssertionError):
        # A font the theme loader let through but fontTools cannot read: it
        # covers nothing here, and the renderer will say what it thinks of it.
        return frozenset()
    return frozenset(best)
