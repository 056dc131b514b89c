"""Pre-read attachments: which PDFs may join a book, judged when the pack is read.

An attachment must be a regular PDF file inside the pack's folder, no larger
than :data:`MAX_ATTACHMENT_BYTES`, readable without repair and without a
password, with at least one page and at most the build's page limit, pages
of a size a reader can show (1 pt to 200 in a side, boxes that overlap, a
sane ``/UserUnit`` and ``/Rotate``), and no more page content than the
build's limit once decoded, none of it damaged
(:mod:`briefpack.content.page_content`).  So ``validate`` refuses what
``build`` would choke on or draw blank, before any render.  Whatever qpdf
raises or warns while reading a file is one line at the attachment: never a
traceback, never a Python warning on the author's terminal.

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
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from briefpack.content.hidden_actions import hidden_active_content
from briefpack.content.page_content import (
    ContentTooLargeError,
    DamagedContentError,
    UncheckableFilterError,
    inherited,
    page_content_size,
)
from briefpack.content.preread_facts import (
    is_tagged,
    unembedded_fonts,
    unembedded_warning,
    untagged_warning,
)
from briefpack.content.read_limits import (
    DEFAULT_MAX_ATTACHMENT_PAGES,
    DEFAULT_MAX_ATTACHMENT_STREAM_SIZE,
    megabytes,
    read_regular_file,
)

__all__ = [
    "DEFAULT_MAX_ATTACHMENT_PAGES",
    "MAX_ATTACHMENT_BYTES",
    "AttachmentFacts",
    "AttachmentRefusedError",
    "active_content",
    "check_attachment",
    "is_tagged",
    "unembedded_fonts",
    "unembedded_warning",
    "untagged_warning",
]

#: Largest attachment file read.
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
#: Smallest and largest side of a page a reader can show, in points: 1 pt to 200 in.
#: A 1e9 pt page was drawn invisibly small; a zero-sized one as a blank page.
PAGE_SIDES = (1.0, 14_400.0)
#: The boxes that decide what of a page is drawn; the TrimBox is what the book places.
_BOXES = ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox")
#: The boxes a page inherits from the page tree (ISO 32000-1, table 30); the others are its own.
_INHERITED_BOXES = frozenset({"/MediaBox", "/CropBox"})
#: The range of ``/UserUnit`` readers accept (ISO 32000-1, annex C: 0.1 to 75,000).
USER_UNITS = (0.1, 75_000.0)


class AttachmentRefusedError(ValueError):
    """An attachment that cannot join the book; the message says why and what to do."""


@dataclass(frozen=True)
class AttachmentFacts:
    """What reading an attachment found: its pages, its digest, what will be removed."""

    pages: int
    digest: str
    #: Active content the book leaves out, e.g. ``["JavaScript", "an open action"]``.
    removed: tuple[str, ...]
    #: Whether it is tagged (its catalogue's ``/MarkInfo /Marked true`` and a structure
    #: tree), so that a screen reader can read its pages in the book; if not, each page
    #: is one figure described by the pre-read's title (:mod:`briefpack.render.preread_tags`).
    tagged: bool = True
    #: Fonts its pages draw with but do not embed (``Helvetica``): a book that
    #: draws them cannot pass PDF/UA-1 or PDF/A, whose readers must have every glyph.
    unembedded_fonts: tuple[str, ...] = ()


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
        with warnings.catch_warnings():
            # pikepdf warns (UserWarning) about some damage as it reads: the refusal says it.
            warnings.simplefilter("ignore")
            with pikepdf.open(_Named(data, label), attempt_recovery=False) as pdf:
                pages, removed = _check_open(pdf, max_pages, max_stream_size, label)
                tagged = is_tagged(pdf)
                unembedded = unembedded_fonts(pdf)
    except AttachmentRefusedError:
        raise
    except pikepdf.PasswordError:
        raise AttachmentRefusedError(
            f"{label} needs a password to open; save a copy without one and attach that"
        ) from None
    except (pikepdf.PdfError, RuntimeError, ValueError, OverflowError) as error:
        # Not only PdfError: qpdf raises runtime and value errors on odd values too.
        raise AttachmentRefusedError(
            f"{label} is damaged or truncated ({_reason(error, label)}); "
            "export it again, or open and re-save it, and attach that copy"
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    return AttachmentFacts(pages, digest, removed, tagged, unembedded)


def _check_open(
    pdf: Any, max_pages: int, max_stream_size: int, label: str
) -> tuple[int, tuple[str, ...]]:
    """The checks on an opened PDF: its pages and what it carries that acts."""
    if pdf.is_encrypted:
        raise AttachmentRefusedError(
            f"{label} is encrypted; save a copy without encryption "
            "(print it to PDF) and attach that"
        )
    found = pdf.get_warnings()
    pages = len(pdf.pages)
    found += pdf.get_warnings()
    _check_page_tree(found, label)
    repaired = [text for text in found if "MediaBox" in text]
    _check_pages(pdf, pages, max_pages, label, repaired)
    _check_content(pdf, max_stream_size, label)
    return pages, tuple(active_content(pdf))


def _check_page_tree(found: list[str], label: str) -> None:
    """Refuse a file whose page tree qpdf read only in part (a page it could not parse).

    qpdf leaves such a page out and carries on: the book would lack it, or
    the file would seem to have no pages at all, for a reason (a number too
    large to read, say) that only its warning gives.
    """
    if not any("Pages tree includes non-dictionary object" in text for text in found):
        return
    reasons = [
        text.split("error during parsing: ", 1)[1]
        for text in found
        if "error during parsing: " in text
    ]
    reason = reasons[0] if reasons else "its page tree names something that is not a page"
    raise AttachmentRefusedError(
        f"{label} is damaged: a page cannot be read ({reason}); "
        "print it to PDF again and attach that copy"
    )


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
        problem = page_size_problem(page.obj) or page_turn_problem(page.obj)
        if problem is not None:
            raise AttachmentRefusedError(
                f"{label}: page {number} {problem}; print it to PDF again at a paper size"
            )


def page_size_problem(page: Any) -> str | None:
    """What is wrong with the size of ``page`` (a page dictionary), or ``None``.

    Each box must be four numbers, lower-left corner first (a box written
    the other way round, such as ``[0 0 -612 -792]``, is drawn blank by the
    book and differently by readers, and no PDF writer makes one), 1 pt to
    200 in a side.  The part of the page shown, where the CropBox meets the
    MediaBox, must not be empty, nor may the TrimBox (the part the book
    places), BleedBox or ArtBox lie outside it.
    """
    found: dict[str, tuple[float, float, float, float]] = {}
    for name in _BOXES:
        value = inherited(page, name) if name in _INHERITED_BOXES else page.get(name)
        if value is None:
            if name == "/MediaBox":
                return "has no MediaBox (no size)"
            continue
        corners = _rectangle(value)
        if corners is None:
            return f"has a {name[1:]} that is not four numbers"
        left, bottom, right, top = corners
        if right < left or top < bottom:
            shown = " ".join(_points(number) for number in corners)
            return f"has a {name[1:]} [{shown}] whose corners are reversed"
        width, height = right - left, top - bottom
        low, high = PAGE_SIDES
        if not (low <= width <= high and low <= height <= high):
            return (
                f"has a {name[1:]} of {_points(width)} by {_points(height)} pt; a page must "
                "measure 1 pt to 200 in (14,400 pt) a side to be shown"
            )
        found[name] = corners
    visible = _overlap(found["/MediaBox"], found.get("/CropBox", found["/MediaBox"]))
    if visible is None:
        return "has a CropBox outside its MediaBox, so nothing of it is shown"
    for name in _BOXES[2:]:
        if name in found and _overlap(visible, found[name]) is None:
            return f"has a {name[1:]} outside the part of it shown, so nothing of it is drawn"
    return None


def page_turn_problem(page: Any) -> str | None:
    """What is wrong with how ``page`` is turned or scaled, or ``None``.

    ``/Rotate`` must be a whole multiple of 90 (readers differ on any other,
    and qpdf draws it unturned), ``/UserUnit`` a number in
    :data:`USER_UNITS` (at 0 the page is drawn as a point: blank).
    """
    turn = inherited(page, "/Rotate")
    if turn is not None:
        degrees = _number(turn)
        if degrees is None or degrees != int(degrees) or int(degrees) % 90 or abs(degrees) > 360:
            return f"has a /Rotate of {_shown(turn)}, not 0, 90, 180 or 270"
    unit = page.get("/UserUnit")
    if unit is not None:
        scale = _number(unit)
        low, high = USER_UNITS
        if scale is None or not low <= scale <= high:
            return f"has a /UserUnit of {_shown(unit)}, outside {low:g} to {high:,.0f}"
    return None


def _overlap(
    one: tuple[float, float, float, float], other: tuple[float, float, float, float]
) -> tuple[float, float, float, float] | None:
    """Where two boxes meet, or ``None`` if that is less than a point either way."""
    left, bottom = max(one[0], other[0]), max(one[1], other[1])
    right, top = min(one[2], other[2]), min(one[3], other[3])
    if right - left < PAGE_SIDES[0] or top - bottom < PAGE_SIDES[0]:
        return None
    return left, bottom, right, top


def _number(value: Any) -> float | None:
    """``value`` as a finite number, or ``None`` if it is not one."""
    import pikepdf

    plain = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    numeric = isinstance(value, pikepdf.Object) and value._type_code in (
        pikepdf.ObjectType.integer,
        pikepdf.ObjectType.real,
    )
    if not (plain or numeric):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError, pikepdf.PdfError):
        return None
    return number if math.isfinite(number) else None


def _shown(value: Any) -> str:
    """``value`` as a message quotes it: short."""
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "..."


def _rectangle(value: Any) -> tuple[float, float, float, float] | None:
    """The box's corners as written, or ``None`` if it is not four finite numbers."""
    import pikepdf

    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    numbers = []
    for item in value:
        try:
            number = float(item)
        except (TypeError, ValueError, OverflowError, pikepdf.PdfError):
            return None
        if not math.isfinite(number):
            return None
        numbers.append(number)
    x1, y1, x2, y2 = numbers
    return x1, y1, x2, y2


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
    except DamagedContentError as error:
        raise AttachmentRefusedError(
            f"{label}: page {error.page}'s content is damaged ({error.reason}); "
            "print it to PDF again and attach that copy"
        ) from None


def active_content(pdf: Any) -> list[str]:
    """Names of what in ``pdf`` would act when opened, as a warning lists them."""
    import pikepdf

    found: dict[str, None] = {}
    root = pdf.Root
    # An open action that is only a destination ("open at page 1", as LibreOffice
    # writes) does nothing a reader need be told of; an action dictionary does.
    if isinstance(root.get("/OpenAction"), pikepdf.Dictionary) or "/AA" in root:
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
