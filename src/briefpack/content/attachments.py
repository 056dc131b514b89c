"""Pre-read attachments: which PDFs may join a book, judged when the pack is read.

An attachment must be a regular PDF file inside the pack's folder, no larger
than :data:`MAX_ATTACHMENT_BYTES`, readable without repair and without a
password, with at least one page and at most the build's page limit, pages
of a size a reader can show (1 pt to 200 in a side), and no more page content
than the build's limit once decoded (:mod:`briefpack.content.page_content`).
So ``validate`` refuses what ``build`` would choke on, before any render.

What makes a PDF act rather than show (JavaScript, actions, embedded files,
form fields) is never carried into the book: the PDF writer takes each page's
drawing only.  It is reported here, as a warning at the attachment's line, so
that the author knows what the reader will not get.

pikepdf (qpdf) reads the files: it opens a 500-page PDF in milliseconds and
can refuse, rather than silently repair, a damaged one.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefpack.content.limits import (
    DEFAULT_MAX_ATTACHMENT_PAGES,
    DEFAULT_MAX_ATTACHMENT_STREAM_SIZE,
    megabytes,
    read_regular_file,
)
from briefpack.content.hidden_actions import hidden_active_content
from briefpack.content.page_content import (
    ContentTooLargeError,
    UncheckableFilterError,
    inherited,
    page_content_size,
)

__all__ = [
    "DEFAULT_MAX_ATTACHMENT_PAGES",
    "MAX_ATTACHMENT_BYTES",
    "AttachmentFacts",
    "AttachmentRefusedError",
    "active_content",
    "check_attachment",
]

#: Largest attachment file read.
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
#: Smallest and largest side of a page a reader can show, in points: 1 pt to 200 in.
#: A 1e9 pt page was drawn invisibly small; a zero-sized one as a blank page.
PAGE_SIDES = (1.0, 14_400.0)
#: The boxes that decide what of a page is drawn; the TrimBox is what the book places.
_BOXES = ("/MediaBox", "/CropBox", "/TrimBox")


class AttachmentRefusedError(ValueError):
    """An attachment that cannot join the book; the message says why and what to do."""


@dataclass(frozen=True)
class AttachmentFacts:
    """What reading an attachment found: its pages, its digest, what will be removed."""

    pages: int
    digest: str
    #: Active content the book leaves out, e.g. ``["JavaScript", "an open action"]``.
    removed: tuple[str, ...]


class _Named(io.BytesIO):
    """The file's bytes, shown as its name: qpdf's messages quote the stream they read."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.shown = name

    def __repr__(self) -> str:
        return self.shown

    __str__ = __repr__


def check_attachment(
    path: Path,
    max_pages: int = DEFAULT_MAX_ATTACHMENT_PAGES,
    max_stream_size: int = DEFAULT_MAX_ATTACHMENT_STREAM_SIZE,
    label: str | None = None,
) -> AttachmentFacts:
    """Read the PDF at ``path``; raise :class:`AttachmentRefusedError` if it cannot be used.

    ``label`` is how messages name the file (default: its name); ``max_pages``
    and ``max_stream_size`` are ``--max-attachment-pages`` and
    ``--max-attachment-stream-size``.
    """
    import pikepdf

    label = path.name if label is None else label
    data = _read(path, label)
    if not data.lstrip()[:5] == b"%PDF-":
        raise AttachmentRefusedError(
            f"{label} is not a PDF; export or print it to PDF and attach that"
        )
    try:
        with pikepdf.open(_Named(data, label), attempt_recovery=False) as pdf:
            if pdf.is_encrypted:
                raise AttachmentRefusedError(
                    f"{label} is encrypted; save a copy without encryption "
                    "(print it to PDF) and attach that"
                )
            repaired = [text for text in pdf.get_warnings() if "MediaBox" in text]
            pages = len(pdf.pages)
            _check_pages(pdf, pages, max_pages, label, repaired)
            _check_content(pdf, max_stream_size, label)
            removed = tuple(active_content(pdf))
    except pikepdf.PasswordError:
        raise AttachmentRefusedError(
            f"{label} needs a password to open; save a copy without one and attach that"
        ) from None
    except pikepdf.PdfError as error:
        raise AttachmentRefusedError(
            f"{label} is damaged or truncated ({_reason(error, label)}); "
            "export it again, or open and re-save it, and attach that copy"
        ) from None
    return AttachmentFacts(pages, hashlib.sha256(data).hexdigest(), removed)


def _read(path: Path, label: str) -> bytes:
    """The file's bytes, read only if it is a regular file within the size limit."""
    try:
        data = read_regular_file(path, MAX_ATTACHMENT_BYTES)
    except OSError as error:
        reason = error.strerror or str(error)
        raise AttachmentRefusedError(f"{label} cannot be read: {reason}") from None
    if data is None:
        size = max(path.stat().st_size, MAX_ATTACHMENT_BYTES + 1)
        raise AttachmentRefusedError(
            f"{label} is too large: {size / 1024**2:.1f} MB, the limit is "
            f"{megabytes(MAX_ATTACHMENT_BYTES)}; split it, or compress its pictures"
        )
    return data


def _check_pages(pdf: Any, pages: int, max_pages: int, label: str, repaired: list[str]) -> None:
    """At least one page, at most ``max_pages``, each of a size a reader can show.

    ``repaired`` are qpdf's warnings about a MediaBox: it gives a page whose
    MediaBox is missing or not a rectangle a Letter one, a size the author
    never chose, so such a page is refused too.
    """
    if pages == 0:
        raise AttachmentRefusedError(f"{label} has no pages")
    if pages > max_pages:
        raise AttachmentRefusedError(
            f"{label} has {pages} pages, more than the limit of {max_pages}; "
            "attach the part that matters, or raise --max-attachment-pages"
        )
    objects = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    for warning in repaired:
        found = re.search(r"object (\d+) (\d+)", warning)
        where = found and objects.get((int(found[1]), int(found[2])))
        raise AttachmentRefusedError(
            f"{label}: {f'page {where}' if where else 'a page'} has a MediaBox that is missing "
            "or not four numbers; print it to PDF again at a paper size"
        )
    for number, page in enumerate(pdf.pages, start=1):
        problem = page_size_problem(page.obj)
        if problem is not None:
            raise AttachmentRefusedError(
                f"{label}: page {number} {problem}; a page must measure 1 pt to 200 in "
                "(14,400 pt) a side to be shown; print it to PDF again at a paper size"
            )


def page_size_problem(page: Any) -> str | None:
    """What is wrong with the size of ``page`` (a page dictionary), or ``None``.

    Each box is checked as a reader reads it, corners in either order
    (ISO 32000-1, 7.9.5); the part of the page shown, where the CropBox meets
    the MediaBox, must not be empty either.
    """
    found: dict[str, tuple[float, float, float, float]] = {}
    for name in _BOXES:
        value = inherited(page, name) if name != "/TrimBox" else page.get(name)
        if value is None:
            if name == "/MediaBox":
                return "has no MediaBox (no size)"
            continue
        corners = _rectangle(value)
        if corners is None:
            return f"has a {name[1:]} that is not four numbers"
        left, bottom, right, top = corners
        width, height = right - left, top - bottom
        low, high = PAGE_SIDES
        if not (low <= width <= high and low <= height <= high):
            return f"has a {name[1:]} of {_points(width)} by {_points(height)} pt"
        found[name] = corners
    media, crop = found["/MediaBox"], found.get("/CropBox", found["/MediaBox"])
    if min(media[2], crop[2]) - max(media[0], crop[0]) < PAGE_SIDES[0] or (
        min(media[3], crop[3]) - max(media[1], crop[1]) < PAGE_SIDES[0]
    ):
        return "has a CropBox outside its MediaBox, so nothing of it is shown"
    return None


def _rectangle(value: Any) -> tuple[float, float, float, float] | None:
    """The box as (left, bottom, right, top), or ``None`` if it is not four finite numbers."""
    import pikepdf

    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    numbers = []
    for item in value:
        try:
            number = float(item)
        except (TypeError, ValueError, pikepdf.PdfError):
            return None
        if not math.isfinite(number):
            return None
        numbers.append(number)
    x1, y1, x2, y2 = numbers
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _points(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:g}"


def _check_content(pdf: Any, limit: int, label: str) -> None:
    """No more than ``limit`` bytes of page content once decoded, however well it compresses."""
    try:
        page_content_size(pdf, limit)
    except ContentTooLargeError:
        raise AttachmentRefusedError(
            f"{label} decodes to more than {megabytes(limit)} of page content; print it to "
            "PDF again, attach the part that matters, or raise --max-attachment-stream-size"
        ) from None
    except UncheckableFilterError as error:
        raise AttachmentRefusedError(
            f"{label} compresses its page content with {error.name[1:]}, whose size cannot be "
            "checked before drawing; print it to PDF again and attach that copy"
        ) from None


def active_content(pdf: Any) -> list[str]:
    """Names of what in ``pdf`` would act when opened, as a warning lists them."""
    import pikepdf

    found: dict[str, None] = {}
    root = pdf.Root
    if "/OpenAction" in root or "/AA" in root:
        found["an open action"] = None
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            found["JavaScript"] = None
        if "/EmbeddedFiles" in names:
            found["embedded files"] = None
    if "/AcroForm" in root:
        found["form fields"] = None
    for page in pdf.pages:
        if "/AA" in page.obj:
            found["page actions"] = None
        for annotation in page.obj.get("/Annots", []):
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            action = annotation.get("/A")
            kind = action.get("/S") if isinstance(action, pikepdf.Dictionary) else None
            if kind == pikepdf.Name.JavaScript or "/AA" in annotation:
                found["JavaScript"] = None
            elif kind == pikepdf.Name.Launch:
                found["launch actions"] = None
            if annotation.get("/Subtype") == pikepdf.Name.FileAttachment:
                found["embedded files"] = None
            if annotation.get("/Subtype") == pikepdf.Name.Widget:
                found["form fields"] = None
    # What hides elsewhere too (a font's or a picture's action, a second catalogue).
    found.update(dict.fromkeys(hidden_active_content(pdf)))
    return list(found)


def _reason(error: Exception, label: str) -> str:
    """qpdf's first line, without the name of the stream it read (the message names the file)."""
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else type(error).__name__
    for prefix in (f"stream {label}: ", f"{label}: ", f"stream {label} "):
        text = text.removeprefix(prefix)
    return text
