"""Pre-read attachments: which PDFs may join a book, judged when the pack is read.

An attachment must be a PDF file inside the pack's folder, no larger than
:data:`MAX_ATTACHMENT_BYTES`, readable without repair and without a password,
with at least one page and at most the build's page limit.  What makes a PDF
act rather than show (JavaScript, actions, embedded files, form fields) is
never carried into the book: the PDF writer takes each page's drawing only.
It is reported here, as a warning at the attachment's line, so that the
author knows what the reader will not get.

pikepdf (qpdf) reads the files: it opens a 500-page PDF in milliseconds and
can refuse, rather than silently repair, a damaged one.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Largest attachment file read.
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
#: Most pages an attachment may have unless the build says otherwise.
DEFAULT_MAX_ATTACHMENT_PAGES = 500


class AttachmentRefusedError(ValueError):
    """An attachment that cannot join the book; the message says why and what to do."""


@dataclass(frozen=True)
class AttachmentFacts:
    """What reading an attachment found: its pages, its digest, what will be removed."""

    pages: int
    digest: str
    #: Active content the book leaves out, e.g. ``["JavaScript", "an open action"]``.
    removed: tuple[str, ...]


def check_attachment(path: Path, max_pages: int) -> AttachmentFacts:
    """Read the PDF at ``path``; raise :class:`AttachmentRefusedError` if it cannot be used."""
    import pikepdf

    size = path.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise AttachmentRefusedError(
            f"{path.name} is too large: {size / 1024**2:.1f} MB, the limit is "
            f"{MAX_ATTACHMENT_BYTES / 1024**2:.0f} MB; split it, or compress its pictures"
        )
    data = path.read_bytes()
    if not data.lstrip()[:5] == b"%PDF-":
        raise AttachmentRefusedError(
            f"{path.name} is not a PDF; export or print it to PDF and attach that"
        )
    try:
        with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
            if pdf.is_encrypted:
                raise AttachmentRefusedError(
                    f"{path.name} is encrypted; save a copy without encryption "
                    "(print it to PDF) and attach that"
                )
            pages = len(pdf.pages)
            removed = tuple(active_content(pdf))
    except pikepdf.PasswordError:
        raise AttachmentRefusedError(
            f"{path.name} needs a password to open; save a copy without one and attach that"
        ) from None
    except pikepdf.PdfError as error:
        raise AttachmentRefusedError(
            f"{path.name} is damaged or truncated ({_first_line(error)}); "
            "export it again, or open and re-save it, and attach that copy"
        ) from None
    if pages == 0:
        raise AttachmentRefusedError(f"{path.name} has no pages")
    if pages > max_pages:
        raise AttachmentRefusedError(
            f"{path.name} has {pages} pages, more than the limit of {max_pages}; "
            "attach the part that matters, or raise --max-attachment-pages"
        )
    return AttachmentFacts(pages, hashlib.sha256(data).hexdigest(), removed)


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
    return list(found)


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
