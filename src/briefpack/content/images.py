"""Images in content: which may be embedded, judged before anything renders them.

An image must be a PNG, JPEG or SVG file inside the pack's own folder, no
larger than :data:`MAX_IMAGE_BYTES`; a raster image may not declare more
pixels than :data:`MAX_IMAGE_PIXELS`.  Dimensions are read from the file's
header, so a decompression bomb (a few hundred bytes declaring 30000 x 30000
pixels) is refused without ever being decoded.  An SVG must be well-formed
XML with an ``<svg>`` root and no DOCTYPE: a declared entity is either a
bomb or a way to read another file, and WeasyPrint refuses it with no reason.
Nor may it be one that WeasyPrint fails to draw, or draws without end:
elements nested past :data:`MAX_SVG_DEPTH`, ``<use>``, marker or pattern
references that loop or draw past :data:`MAX_SVG_USE_ELEMENTS`, a ``<style>``
with ``@import``, or an ``<image>`` of another SVG (which would escape these
checks).  Content images
and a theme's logo are checked alike, by ``validate`` and ``build``.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.parsers import expat

from briefpack.content.read_limits import not_a_regular_file

#: Largest image file embedded.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
#: Most pixels a PNG or JPEG may declare (about 8000 x 5000).
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


class ImageRefusedError(ValueError):
    """An image that will not be embedded; the message says why."""


def resolve_image(src: str, folder: Path) -> Path:
    """The file that ``src`` (as written in Markdown) names inside ``folder``.

    Raises :class:`ImageRefusedError` for URLs, paths that leave the folder,
    unsupported types, missing files, and files or pictures that are too large.
    """
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("/", "\\")):
        raise ImageRefusedError("only image files in the pack's folder are embedded, not URLs")
    relative = PurePosixPath(unquote(parts.path))
    root = folder.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise ImageRefusedError("the image is outside the pack's folder")
    suffix = path.suffix.lower()
    if suffix not in IMAGE_TYPES:
        raise ImageRefusedError("only PNG, JPEG and SVG images are embedded")
    if not path.is_file():
        # A named pipe is never opened to find out: that would wait for a writer.
        raise ImageRefusedError(not_a_regular_file(path) or "no such file")
    check_image_file(path)
    return path


def check_image_file(path: Path) -> None:
    """Refuse an image file that is too large, or not the picture its suffix says.

    Raises :class:`ImageRefusedError`; the content's images and a theme's logo
    are checked alike.
    """
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise ImageRefusedError(
            f"image too large: {size / 1024**2:.1f} MB, the limit is "
            f"{MAX_IMAGE_BYTES / 1024**2:.0f} MB"
        )
    if suffix == ".svg":
        check_svg(path.read_bytes())
    else:
        width, height = raster_size(path)
        if width * height > MAX_IMAGE_PIXELS:
            raise ImageRefusedError(
                f"image too large: {width} x {height} pixels, the limit is "
                f"{MAX_IMAGE_PIXELS / 1e6:.0f} megapixels"
            )


def check_svg(data: bytes) -> None:
    """Refuse SVG text that WeasyPrint could not draw, or could only draw without end.

    Read with expat, which stops at the DOCTYPE before any entity is declared,
    and which this function stops as soon as the elements nest deeper than
    :data:`MAX_SVG_DEPTH` (WeasyPrint draws an SVG by recursing into it, so
    100,000 nested ``<g>`` fail the render).  Then the ``<use>`` references
    are followed, as WeasyPrint follows them, without drawing: a loop fails
    the render, and ten levels of ten ``<use>`` draw a billion elements.
    Markers and patterns are counted alike: a marker is drawn at every vertex
    of every path that names it, so three levels of markers on 1,000-vertex
    paths draw a billion paths (300 s and 1.4 GB before the time limit).
    """
    svg = _read_svg(data)
    _check_styles(svg.styles)
    _check_uses(svg)


#: Deepest nesting of elements in an SVG (a designer's file nests a dozen deep).
MAX_SVG_DEPTH = 100
#: Most elements that an SVG's ``<use>``, marker and pattern references may add to what is drawn.
MAX_SVG_USE_ELEMENTS = 10_000


@dataclass
class _Svg:
    """What is checked of an SVG: its elements' tree, ids, references and stylesheets."""

    #: Each element's children, by the element's number in document order.
    children: list[list[int]] = field(default_factory=list)
    #: The id of the element first given each id (the one WeasyPrint finds).
    ids: dict[str, int] = field(default_factory=dict)
    #: Each ``<use>`` element's number, and the id it draws.
    uses: dict[int, str] = field(default_factory=dict)
    #: Each element's local name, by number.
    names: list[str] = field(default_factory=list)
    #: What each path or shape paints with: (id, times drawn) per marker or pattern it names.
    paints: dict[int, list[tuple[str, int]]] = field(default_factory=dict)
    #: How many vertices (an upper bound) each ``<path>`` has, where markers are drawn.
    vertices: dict[int, int] = field(default_factory=dict)
    styles: list[str] = field(default_factory=list)


def _read_svg(data: bytes) -> _Svg:
    """The SVG's elements, refused on a DOCTYPE, a root that is not ``<svg>`` or deep nesting."""
    parser = expat.ParserCreate()
    svg = _Svg()
    open_elements: list[int] = []
    # The marker and paint properties each open element has, its own or inherited.
    inherited: list[dict[str, str]] = []
    style_text: list[str] | None = None

    def doctype(*_: Any) -> None:
        raise ImageRefusedError(
            "the SVG declares a DOCTYPE (entities could read other files); remove it"
        )

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal style_text
        local = name.rpartition(":")[2]
        if not svg.children and local != "svg":
            raise ImageRefusedError(f"the file is not an SVG picture: its root is <{name}>")
        if len(open_elements) >= MAX_SVG_DEPTH:
            raise ImageRefusedError(
                f"the SVG nests elements more than {MAX_SVG_DEPTH} deep "
                f"(line {parser.CurrentLineNumber}): a picture needs far fewer, and the "
                "renderer recurses into each level until it fails"
            )
        number = len(svg.children)
        svg.children.append([])
        if open_elements:
            svg.children[open_elements[-1]].append(number)
        open_elements.append(number)
        svg.names.append(local)
        inherited.append(_painting(attributes, inherited[-1] if inherited else {}))
        _note_paints(svg, number, local, attributes, inherited[-1])
        if "id" in attributes:
            svg.ids.setdefault(attributes["id"], number)
        href = _href(attributes)
        if local == "use" and href is not None and "#" in href:
            svg.uses[number] = href.partition("#")[2]
        elif local in ("image", "feImage") and href is not None and _is_svg_reference(href):
            raise ImageRefusedError(
                f"the SVG draws another SVG (line {parser.CurrentLineNumber}), which is not "
                "checked; put its drawing in this file"
            )
        if local == "style":
            style_text = []
            svg.styles.append("")

    def end(name: str) -> None:
        nonlocal style_text
        open_elements.pop()
        inherited.pop()
        if style_text is not None and name.rpartition(":")[2] == "style":
            svg.styles[-1] = "".join(style_text)
            style_text = None

    def text(content: str) -> None:
        if style_text is not None:
            style_text.append(content)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ImageRefusedError(f"the SVG is not well-formed XML: {error}") from None
    return svg


#: Properties that draw another element: a marker at a path's vertices, a pattern as paint.
_PAINT_PROPERTIES = ("marker", "marker-start", "marker-mid", "marker-end", "fill", "stroke")
#: Elements WeasyPrint fills or strokes with a paint (a pattern is drawn once for each).
_PAINTED = frozenset(
    {
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
    }
)
#: ``url(#id)`` in an attribute or a declaration, as WeasyPrint's ``parse_url`` reads it.
_URL_ID = re.compile(r"url\(\s*[\"']?#([^\"')\s]+)")
#: A declaration of a marker or a paint in a ``<style>`` sheet.
_STYLE_PAINT = re.compile(
    r"(marker(?:-start|-mid|-end)?|fill|stroke)\s*:\s*url\(\s*[\"']?#([^\"')\s]+)", re.IGNORECASE
)
_PATH_COMMAND = re.compile(r"[MmLlHhVvCcSsQqTtAaZz]")
_PATH_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _painting(attributes: dict[str, str], parent: dict[str, str]) -> dict[str, str]:
    """An element's marker and paint properties: its ``style``, its attributes, else its parent's.

    They are inherited, so a ``<g marker-mid=...>`` puts the marker on every path inside it.
    """
    own = {name: attributes[name] for name in _PAINT_PROPERTIES if name in attributes}
    for declaration in attributes.get("style", "").split(";"):
        name, _, value = declaration.partition(":")
        if name.strip().lower() in _PAINT_PROPERTIES:
            own[name.strip().lower()] = value
    return parent | own if own else parent


def _note_paints(
    svg: _Svg, number: int, local: str, attributes: dict[str, str], painting: dict[str, str]
) -> None:
    """Note the markers a path draws at its vertices and the patterns a shape is painted with."""
    paints: list[tuple[str, int]] = []
    if local == "path":
        d = attributes.get("d", "")
        # Each vertex takes a command letter or a pair of numbers (a bound, not a parse).
        vertices = len(_PATH_COMMAND.findall(d)) + len(_PATH_NUMBER.findall(d)) // 2 + 1
        svg.vertices[number] = vertices
        common = painting.get("marker", "")
        for position, times in (("start", 1), ("mid", vertices), ("end", 1)):
            paints += [
                (name, times)
                for name in _URL_ID.findall(painting.get(f"marker-{position}", common))
            ]
    if local in _PAINTED:
        for name in ("fill", "stroke"):
            paints += [(target, 1) for target in _URL_ID.findall(painting.get(name, ""))]
    if paints:
        svg.paints[number] = paints


def _href(attributes: dict[str, str]) -> str | None:
    """An element's ``href`` or ``xlink:href`` (whatever the prefix), as WeasyPrint reads it."""
    for name, value in attributes.items():
        if name == "href" or name.endswith(":href"):
            return value.strip()
    return None


def _is_svg_reference(href: str) -> bool:
    """Whether an ``<image>``'s ``href`` names an SVG: a ``.svg`` file or SVG data."""
    parts = urlsplit(href)
    if parts.scheme.lower() == "data":
        return "svg" in parts.path.partition(",")[0].lower()
    return unquote(parts.path).lower().endswith((".svg", ".svgz"))


def _check_styles(styles: list[str]) -> None:
    """Refuse ``@import`` in a ``<style>``: WeasyPrint fails the picture rather than fetch it."""
    # WeasyPrint's own CSS reader (one of its dependencies): an escaped
    # ``@\69mport`` is read as it reads it.
    import tinycss2  # type: ignore[import-untyped]

    for style in styles:
        for rule in tinycss2.parse_stylesheet(style, skip_comments=True, skip_whitespace=True):
            if rule.type == "at-rule" and rule.lower_at_keyword == "import":
                raise ImageRefusedError(
                    "the SVG's <style> imports a stylesheet (@import), which cannot be drawn; "
                    "put its rules in the <style>"
                )


def _check_uses(svg: _Svg) -> None:
    """Refuse ``<use>`` references that loop, or that draw over :data:`MAX_SVG_USE_ELEMENTS`.

    Each element draws itself, its children and, for a ``<use>``, the element
    it names (a copy of its whole tree).  Counted from the leaves up, without
    recursion, capped so that a bomb's count stays a small number.
    """
    cap = len(svg.children) + MAX_SVG_USE_ELEMENTS + 1
    drawn: dict[int, int] = {}
    visiting: set[int] = set()
    sheet = _sheet_paints(svg)

    known: dict[int, list[tuple[int, int]]] = {}

    def depends(number: int) -> list[tuple[int, int]]:
        """What drawing ``number`` draws: each element, and how many times."""
        if number in known:
            return known[number]
        found = [(child, 1) for child in svg.children[number]]
        target = svg.ids.get(svg.uses.get(number, ""), None)
        found += [] if target is None else [(target, 1)]
        # A style sheet's declaration is assumed to reach every path, the marker's
        # own too: a loop that makes is the assumption's, not the picture's.
        paints = svg.paints.get(number, []) + [
            (name, times) for name, times in sheet(number) if svg.ids.get(name) not in visiting
        ]
        for name, times in paints:
            painted = svg.ids.get(name)
            # WeasyPrint draws a marker's or a pattern's children; other paints draw nothing.
            if painted is not None and svg.names[painted] in ("marker", "pattern"):
                found.append((painted, times))
        known[number] = found
        return found

    for root in range(len(svg.children)):
        stack = [root]
        while stack:
            number = stack[-1]
            if number in drawn:
                stack.pop()
                continue
            visiting.add(number)
            waiting = [d for d, _ in depends(number) if d not in drawn]
            loop = [d for d in waiting if d in visiting]
            if loop:
                raise ImageRefusedError(
                    "the SVG's <use>, marker or pattern references form a loop "
                    f"(through id {_id_of(svg, loop[0])!r})"
                )
            if waiting:
                stack.extend(waiting)
                continue
            drawn[number] = min(cap, 1 + sum(drawn[d] * n for d, n in depends(number)))
            visiting.discard(number)
            stack.pop()
    if svg.children and drawn[0] - len(svg.children) > MAX_SVG_USE_ELEMENTS:
        raise ImageRefusedError(
            f"the SVG's <use>, marker and pattern references draw over {MAX_SVG_USE_ELEMENTS} "
            "elements more than it has, too many to draw"
        )


def _sheet_paints(svg: _Svg) -> Callable[[int], list[tuple[str, int]]]:
    """The markers and patterns a ``<style>`` sheet may give an element.

    Selectors are not matched: a declaration is taken to apply to every path
    or shape, which can only count more than is drawn.
    """
    markers = set[str]()
    paints = set[str]()
    for style in svg.styles:
        for name, target in _STYLE_PAINT.findall(style):
            (markers if name.lower().startswith("marker") else paints).add(target)

    def paints_of(number: int) -> list[tuple[str, int]]:
        found = [(target, svg.vertices[number]) for target in markers if number in svg.vertices]
        if svg.names[number] in _PAINTED:
            found += [(target, 1) for target in paints]
        return found

    return paints_of


def _id_of(svg: _Svg, number: int) -> str:
    return next((name for name, element in svg.ids.items() if element == number), str(number))


def raster_size(path: Path) -> tuple[int, int]:
    """Width and height declared by a PNG or JPEG file's header.

    Pillow's PNG and JPEG readers parse the header only.  They are called
    directly rather than through ``Image.open``, whose own decompression-bomb
    check refuses a huge declaration without saying its size; ours
    (:data:`MAX_IMAGE_PIXELS`, lower) is applied by the caller, size and all.
    """
    from PIL import JpegImagePlugin, PngImagePlugin

    with path.open("rb") as stream:
        for reader in (PngImagePlugin.PngImageFile, JpegImagePlugin.JpegImageFile):
            stream.seek(0)
            try:
                image = reader(stream)
            except (SyntaxError, OSError, ValueError, struct.error):
                continue  # Pillow's readers say "not this format" with SyntaxError
            width, height = image.size
            if width and height:
                return width, height
    raise ImageRefusedError("the file is not a PNG or JPEG image")


def image_name(path: Path) -> str:
    """A file name for an embedded image: its content's digest and its type."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
    suffix = ".jpg" if path.suffix.lower() == ".jpeg" else path.suffix.lower()
    return f"{digest}{suffix}"
