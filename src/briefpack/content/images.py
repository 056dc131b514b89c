"""Images in content: which may be embedded, judged before anything renders them.

An image must be a PNG, JPEG or SVG file inside the pack's own folder, no
larger than :data:`MAX_IMAGE_BYTES`; a raster image may not declare more
pixels than :data:`MAX_IMAGE_PIXELS`.  Dimensions are read from the file's
header, so a decompression bomb (a few hundred bytes declaring 30000 x 30000
pixels) is refused without ever being decoded.  An SVG must be well-formed
XML with an ``<svg>`` root and no DOCTYPE: a declared entity is either a
bomb or a way to read another file, and WeasyPrint refuses it with no reason.
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.parsers import expat

from briefpack.content.limits import not_a_regular_file

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
    """Refuse SVG text that is not well-formed, has no ``<svg>`` root, or declares a DOCTYPE.

    Read with expat, which stops at the DOCTYPE before any entity is declared.
    """
    parser = expat.ParserCreate()
    roots: list[str] = []

    def doctype(*_: Any) -> None:
        raise ImageRefusedError(
            "the SVG declares a DOCTYPE (entities could read other files); remove it"
        )

    def element(name: str, _attributes: Any) -> None:
        if not roots and name.rpartition(":")[2] != "svg":
            raise ImageRefusedError(f"the file is not an SVG picture: its root is <{name}>")
        roots.append(name)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = element
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ImageRefusedError(f"the SVG is not well-formed XML: {error}") from None


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
