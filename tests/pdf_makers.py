"""Small PDFs made for tests: pre-read attachments, well-formed or hostile."""

from __future__ import annotations

from pathlib import Path

import pikepdf


def make_pdf(path: Path, pages: int, text: str = "Attachment page") -> Path:
    """A PDF of ``pages`` A4 pages, each saying ``TEXT N`` in Helvetica."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for number in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(
            f"BT /F1 24 Tf 72 760 Td ({text} {number}) Tj ET".encode("ascii")
        )
    pdf.save(path)
    return path
