"""A pack with one pre-read, and a pre-read's page placed as the book places it.

Shared by the pre-read sanitising tests (``test_preread_smuggling``,
``test_preread_walks`` and ``test_preread_round_two``).
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from briefpack.render.book.overlay import place_page
from briefpack.render.preread import DrawingCleaner

from conftest import BUNDLED_PACK


def pack_with_pre_read(folder: Path, file: str) -> Path:
    """The bundled pack, with a recipient and the pre-read ``file`` under Session 2."""
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    text = text.replace("days:", "recipients:\n  - name: Jane Doe\ndays:", 1)
    at = text.index("        questions:", text.index("      - label: Session 2"))
    lines = f"        attachments:\n          - file: {file}\n            title: The memo\n"
    pack = folder / "pack.yaml"
    pack.write_text(text[:at] + lines + text[at:], encoding="utf-8")
    return pack


def line_of(pack: Path, file: str) -> int:
    """The line of ``pack`` where the pre-read ``file`` is attached."""
    return pack.read_text(encoding="utf-8").splitlines().index(f"          - file: {file}") + 1


def placed(source: Path, clean: bool) -> bytes:
    """A book of one page with the first page of ``source`` on it, cleaned first if ``clean``."""
    with pikepdf.open(source) as pdf:
        page = DrawingCleaner(pdf).page(0) if clean else pdf.pages[0]
        book = pikepdf.new()
        book.add_blank_page(page_size=(595, 842))
        place_page(book.pages[0], page, pikepdf.Rectangle(0, 0, 595, 842), "P", True)
        output = io.BytesIO()
        book.save(output, deterministic_id=True)
        return output.getvalue()
