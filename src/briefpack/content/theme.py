"""Reading a theme folder's ``theme.yaml`` into a :class:`~briefpack.model.theme.Theme`.

A theme sets only what it changes: every key it leaves out comes from the
built-in theme it extends.  The file is read like a pack (line marks kept,
every problem collected and reported as ``theme.yaml:LINE:COL: message``),
by the kinds :mod:`briefpack.content.schema` gives its keys; every file it
names must be inside its own folder.  Its colours and sizes are checked by
pattern here (a colour is ``#rrggbb``, a size a finite number in range), so
nothing but those reaches the CSS made from them; its logo is checked as a
content image is (an SVG with a DOCTYPE, nesting past 100 levels, a ``<use>``
loop or bomb, or ``@import`` is refused), so that ``validate`` refuses what
would fail the build; ``validate`` also draws an SVG logo, in its worker.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from briefpack.content.images import ImageRefusedError, check_image_file
from briefpack.content.loader import Node, ScalarNode, load_file
from briefpack.content.schema import (
    COLOUR_KEYS,
    FONT_KEYS,
    FONT_ROLE_KEYS,
    MARGIN_KEYS,
    SIZE_KEYS,
    SPACING_KEYS,
    THEME_KEYS,
)
from briefpack.content.validate import Checker, Record, problem_order
from briefpack.errors import BriefpackError, Problem
from briefpack.model.theme import Colours, FontFamily, Fonts, Margins, Sizes, Theme

THEME_FILE = "theme.yaml"
#: Largest theme.yaml read.
MAX_THEME_SIZE = 256 * 1024


def load_theme(folder: Path, base: Theme | None = None, label: str | None = None) -> Theme:
    """The theme in ``folder``, over ``base`` (the built-in theme it extends).

    Without ``base`` the theme must set every key: it is a built-in theme.
    Raises :class:`BriefpackError` with every problem of the file.
    """
    folder = folder.resolve()
    path = folder / THEME_FILE
    shown = label or str(path)
    if not path.is_file():
        raise BriefpackError([Problem(shown, f"no {THEME_FILE} in the theme folder {folder}")])
    root = load_file(path, shown, MAX_THEME_SIZE)
    checker = Checker(
        folder,
        folder_label="the theme's folder",
        # A file a theme names may also be one of the theme it extends (its fonts).
        fallback=None if base is None else base.folder,
    )
    values = _read(checker, root)
    if checker.problems:
        raise BriefpackError(sorted(checker.problems, key=problem_order))
    if base is None:
        return _complete(values, folder, shown)
    return _over(base, values, folder)


def _read(checker: Checker, root: Node) -> dict[str, Any]:
    """Every value the file sets, as nested dicts; problems go to ``checker``."""
    if isinstance(root, ScalarNode) and root.is_null:
        return {}
    record = checker.record(root, THEME_KEYS, "the theme")
    if record is None:
        return {}
    values: dict[str, Any] = {key: value for key, value in record.read.items() if value is not None}
    if "logo" in values:
        _check_logo(checker, record, values.pop("logo"), values)
    sections = (
        ("colours", COLOUR_KEYS),
        ("sizes", SIZE_KEYS),
        ("spacing", SPACING_KEYS),
        ("margins", MARGIN_KEYS),
    )
    for name, keys in sections:
        values[name] = _section(checker, record, name, keys)
    fonts: dict[str, dict[str, Any]] = {}
    roles = _mapping(checker, record, "fonts", FONT_ROLE_KEYS)
    if roles is not None:
        for role, node in roles.values.items():
            family = checker.record(node, FONT_KEYS, f"the {role} font")
            if family is not None:
                fonts[role] = {k: v for k, v in family.read.items() if v is not None}
    values["fonts"] = fonts
    return values


def _check_logo(checker: Checker, record: Record, logo: Path, values: dict[str, Any]) -> None:
    """Keep the logo in ``values`` if WeasyPrint can draw it; else a problem at its line."""
    mark = record.mark("logo")
    assert mark is not None
    try:
        check_image_file(logo)
    except ImageRefusedError as error:
        checker.problem(mark, f"'logo': {logo}: {error}")
        return
    values["logo"] = logo


def _mapping(checker: Checker, record: Record, name: str, keys: tuple[Any, ...]) -> Record | None:
    node = record.mapping(name)
    return None if node is None else checker.record(node, keys, f"'{name}'")


def _section(checker: Checker, record: Record, name: str, keys: tuple[Any, ...]) -> dict[str, Any]:
    section = _mapping(checker, record, name, keys)
    if section is None:
        return {}
    return {key: value for key, value in section.read.items() if value is not None}


def _over(base: Theme, values: dict[str, Any], folder: Path) -> Theme:
    """``base`` with every value ``values`` sets."""
    fonts = base.fonts
    for role, given in values["fonts"].items():
        family: FontFamily = getattr(fonts, role)
        if "regular" in given and "word" not in given:
            given = {**given, "word": _family_name(given["regular"])}
        if "regular" in given:
            # A new family replaces the old one's faces, not only the regular.
            family = FontFamily(regular=given["regular"], word=given["word"])
        fonts = replace(fonts, **{role: replace(family, **given)})
    return replace(
        base,
        name=values.get("name", folder.name),
        folder=folder,
        colours=replace(base.colours, **values["colours"]),
        fonts=fonts,
        sizes=replace(base.sizes, **values["sizes"]),
        spacing=replace(base.spacing, **values["spacing"]),
        margins=replace(base.margins, **values["margins"]),
        template=values.get("template", base.template),
        stylesheet=values.get("stylesheet", base.stylesheet),
        logo=values.get("logo", base.logo),
        reference_docx=values.get("reference_docx", base.reference_docx),
        extends=base.folder,
    )


def _complete(values: dict[str, Any], folder: Path, label: str) -> Theme:
    """A built-in theme, which sets everything; a gap is a broken installation."""
    try:
        families = {
            # The font's own name costs a fontTools import: read only when not given.
            role: FontFamily(
                **{**given, "word": given.get("word") or _family_name(given["regular"])}
            )
            for role, given in values["fonts"].items()
        }
        return Theme(
            name=values.get("name", folder.name),
            folder=folder,
            colours=Colours(**values["colours"]),
            fonts=Fonts(**families),
            sizes=Sizes(**values["sizes"]),
            spacing=Sizes(**values["spacing"]),
            margins=Margins(**values["margins"]),
            template=values.get("template", folder / "pack.html.j2"),
            stylesheet=values.get("stylesheet", folder / "pack.css"),
            logo=values.get("logo"),
            reference_docx=values.get("reference_docx"),
        )
    except (KeyError, TypeError) as error:
        raise RuntimeError(f"{label}: a built-in theme must set every key ({error})") from None


def _family_name(font: Path) -> str:
    """The family name a font file gives itself (its ``name`` table), for Word."""
    import io

    from fontTools.ttLib import TTFont, TTLibError

    try:
        # Read first: a file TTFont opened itself would stay open when it raises.
        name = TTFont(io.BytesIO(font.read_bytes()), lazy=True)["name"]
        family = name.getDebugName(16) or name.getDebugName(1)
    except (OSError, TTLibError, KeyError):
        family = None
    return str(family) if family else font.stem.split("-")[0]
