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

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from briefpack.content.images import (
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    ImageRefusedError,
    check_image_file,
    check_svg,
)
from briefpack.content.loader import Node, ScalarNode, load_file
from briefpack.content.record import Checker, Record, problem_order
from briefpack.content.schema import (
    COLOUR_KEYS,
    FONT_KEYS,
    FONT_ROLE_KEYS,
    MARGIN_KEYS,
    SIZE_KEYS,
    SPACING_KEYS,
    THEME_KEYS,
)
from briefpack.errors import BriefpackError, Problem
from briefpack.model.theme import Colours, FontFamily, Fonts, Margins, Sizes, Theme

THEME_FILE = "theme.yaml"
#: Largest theme.yaml read.
MAX_THEME_SIZE = 256 * 1024
#: Most files a theme folder may hold: every picture among them is checked.
MAX_THEME_FILES = 1000
#: Files never drawn as pictures, so not checked as one.
FONT_SUFFIXES = frozenset({".ttf", ".otf", ".woff", ".woff2", ".ttc"})
#: Other pictures Pillow reads, hence WeasyPrint draws, by name and by first bytes.
OTHER_PICTURE_SUFFIXES = frozenset(
    {".gif", ".webp", ".bmp", ".tif", ".tiff", ".ico", ".jp2", ".avif", ".heic"}
)
OTHER_PICTURE_MAGIC = (b"GIF8", b"RIFF", b"BM", b"II*\x00", b"MM\x00*", b"\x00\x00\x01\x00")


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
    values["warnings"] = checker.warnings
    named_logo = values.pop("named_logo", None)
    if base is not None:
        # A built-in theme is the installation's own; a theme folder may come from anyone.
        # The logo is checked already, its problem shown at its line in theme.yaml.
        skip = frozenset() if named_logo is None else frozenset({named_logo.resolve()})
        checker.problems.extend(theme_picture_problems(folder, skip))
    if checker.problems:
        raise BriefpackError(sorted(checker.problems, key=problem_order))
    if base is None:
        return _complete(values, folder, shown)
    return _over(base, values, folder)


def theme_picture_problems(folder: Path, skip: frozenset[Path] = frozenset()) -> list[Problem]:
    """A problem for every picture in ``folder`` (and below, but ``skip``) a logo could not be.

    The template and stylesheet may draw any file of their folder (``<img>``,
    ``url()``), not only the logo, and WeasyPrint tells a picture by its
    bytes, not its name: so every file that is a picture by its name or its
    first bytes is checked as a logo is, when the theme is read (``validate``
    and ``build`` alike).  Fonts are not pictures; the walk does not follow
    links to folders, and stops at :data:`MAX_THEME_FILES`.
    """
    problems: list[Problem] = []
    seen = 0
    for parent, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            seen += 1
            if seen > MAX_THEME_FILES:
                message = f"the theme's folder holds over {MAX_THEME_FILES:,} files"
                return [*problems, Problem(str(folder), message)]
            path = Path(parent) / name
            if path.suffix.lower() in FONT_SUFFIXES or not path.is_file():
                continue
            resolved = path.resolve()
            if not resolved.is_relative_to(folder) or resolved in skip:
                continue  # a link out of the folder: never drawn, refused if named
            try:
                _check_picture(path)
            except ImageRefusedError as error:
                problems.append(Problem(str(path), str(error)))
            except OSError as error:
                problems.append(Problem(str(path), f"cannot read: {error.strerror}"))
    return problems


def _check_picture(path: Path) -> None:
    """Refuse ``path`` if it is a picture WeasyPrint could draw but a logo could not be."""
    with path.open("rb") as stream:
        head = stream.read(512)
    kind = _picture_kind(path, head)
    if kind is None:
        return
    if kind in ("svg", "png", "jpeg"):
        if kind == "svg" and path.suffix.lower() != ".svg":
            check_svg(path.read_bytes())
        check_image_file(path)
        return
    _check_other_raster(path)


def _picture_kind(path: Path, head: bytes) -> str | None:
    """What picture ``path`` is by its name or first bytes, if any."""
    suffix = path.suffix.lower()
    if suffix == ".svg" or head.lstrip()[:5].lower() in (b"<?xml", b"<svg ", b"<svg>"):
        return "svg"
    if head.startswith(b"\x89PNG") or (suffix == ".png" and not head.startswith(b"\xff\xd8")):
        return "png"
    if head.startswith(b"\xff\xd8") or suffix in (".jpg", ".jpeg"):
        return "jpeg"
    if suffix in OTHER_PICTURE_SUFFIXES or head.startswith(OTHER_PICTURE_MAGIC):
        return "other"
    return None


def _check_other_raster(path: Path) -> None:
    """A GIF, WebP, BMP, TIFF or icon: its declared size, read without Pillow's warning."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    if path.stat().st_size > MAX_IMAGE_BYTES:
        check_image_file(path)  # says "image too large" with the sizes
    with warnings.catch_warnings():
        # Pillow warns of a large image on standard error; our limit is lower, and said.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                width, height = image.size
        except Image.DecompressionBombError:
            raise ImageRefusedError(
                f"image too large: over {MAX_IMAGE_PIXELS / 1e6:.0f} megapixels"
            ) from None
        except (UnidentifiedImageError, SyntaxError, ValueError):
            return  # not a picture Pillow reads, so not one WeasyPrint draws
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageRefusedError(
            f"image too large: {width} x {height} pixels, the limit is "
            f"{MAX_IMAGE_PIXELS / 1e6:.0f} megapixels"
        )


def _read(checker: Checker, root: Node) -> dict[str, Any]:
    """Every value the file sets, as nested dicts; problems go to ``checker``."""
    if isinstance(root, ScalarNode) and root.is_null:
        return {}
    record = checker.record(root, THEME_KEYS, "the theme")
    if record is None:
        return {}
    values: dict[str, Any] = {key: value for key, value in record.read.items() if value is not None}
    if "logo" in values:
        values["named_logo"] = values["logo"]
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
                fonts[role]["embed"] = "word" not in fonts[role] and _may_embed(checker, family)
    values["fonts"] = fonts
    return values


def _may_embed(checker: Checker, family: Record) -> bool:
    """Whether every face of ``family`` may be embedded in the Word copy; a warning where not."""
    allowed = True
    for face, path in family.read.items():
        if face == "word" or path is None:
            continue
        refusal = embedding_refusal(path)
        mark = family.mark(face)
        if refusal is not None and mark is not None:
            allowed = False
            checker.warning(
                mark,
                f"'{face}': {path.name}: its licence forbids embedding it in an editable "
                f"document ({refusal}), so the Word copy names its family without "
                "embedding it: readers without the font installed see another",
            )
    return allowed


#: OS/2 ``fsType`` bits (OpenType spec): usage permissions, and bitmap-only embedding.
_RESTRICTED, _PREVIEW_AND_PRINT, _EDITABLE, _BITMAP_ONLY = 0x2, 0x4, 0x8, 0x200


def embedding_refusal(font: Path) -> str | None:
    """Why ``font``'s licence forbids embedding it in an editable document; ``None`` if it allows.

    Its OS/2 table's ``fsType``: installable (0) and editable (8) embedding
    allow it; restricted (2), preview & print (4) and bitmap-only (0x200) do
    not.  No-subsetting (0x100) allows it whole.  A file fontTools cannot
    read is left to the renderers, which say so.
    """
    import io

    from fontTools.ttLib import TTFont, TTLibError

    try:
        fs_type = int(TTFont(io.BytesIO(font.read_bytes()), lazy=True)["OS/2"].fsType)
    except (OSError, TTLibError, KeyError, ImportError, AttributeError):
        return None
    if fs_type & _BITMAP_ONLY:
        return f"OS/2 fsType {fs_type:#06x}: bitmap embedding only"
    usage = fs_type & 0xF
    if usage == 0 or usage & _EDITABLE:
        return None
    kind = "preview and print only" if usage & _PREVIEW_AND_PRINT else "restricted licence"
    return f"OS/2 fsType {fs_type:#06x}: {kind}"


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
        elif "word" not in given:
            # New faces of the same family: embedded if the family was and they may be.
            given = {**given, "embed": family.embed and given["embed"]}
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
        warnings=tuple(values["warnings"]),
    )


def _complete(values: dict[str, Any], folder: Path, label: str) -> Theme:
    """A built-in theme, which sets everything; a gap is a broken installation."""
    try:
        families = {
            # The font's own name, unless the theme names an installed font for Word.
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
            warnings=tuple(values["warnings"]),
        )
    except (KeyError, TypeError) as error:
        raise RuntimeError(f"{label}: a built-in theme must set every key ({error})") from None


def _family_name(font: Path) -> str:
    """The family name a font file gives itself (its ``name`` table), for Word.

    Name 1, the family of the four faces Word knows (regular, bold, italic,
    bold italic), under which Word and LibreOffice load the embedded faces
    together.  Not the typographic family (name 16): a body set in
    DejaVu Sans Condensed (or Inter Medium) under a heading in DejaVu Sans
    (or Inter) would be taken for the heading's family and set in its faces.
    """
    import io

    from fontTools.ttLib import TTFont, TTLibError

    try:
        # Read first: a file TTFont opened itself would stay open when it raises.
        name = TTFont(io.BytesIO(font.read_bytes()), lazy=True)["name"]
        family = name.getDebugName(1)
    except (OSError, TTLibError, KeyError):
        family = None
    return str(family) if family else font.stem.split("-")[0]
