"""The full pack as a book from parts (work in progress, issue 18), against the single render."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from briefpack.build.settings import resolve_settings
from briefpack.content.validate import load_pack
from briefpack.render.pdf import render_book, render_pdf

from conftest import BUNDLED_PACK
from pdf_helpers import outline, page_texts


@pytest.fixture(scope="module")
def single_and_book() -> tuple[bytes, bytes]:
    pack = load_pack(BUNDLED_PACK)
    settings = resolve_settings(pack, {})
    book = render_book(pack, settings).data
    assert render_book(pack, settings).data == book  # the same parts, the same bytes
    return render_pdf(pack, settings).data, book


def destinations(data: bytes) -> dict[str, int]:
    with pikepdf.open(io.BytesIO(data)) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
        return {
            name: pages[destination[0].objgen]
            for name, destination in pikepdf.NameTree(document.Root.Names.Dests).items()
        }


def test_every_page_reads_as_in_the_single_render(single_and_book: tuple[bytes, bytes]) -> None:
    single, book = single_and_book
    assert page_texts(book) == page_texts(single)
    assert outline(book) == outline(single)
    assert len(book) <= 1.15 * len(single)


def test_every_link_leads_where_it_does_in_the_single_render(
    single_and_book: tuple[bytes, bytes],
) -> None:
    single, book = single_and_book
    expected = destinations(single)
    assert {name: page for name, page in destinations(book).items() if name in expected} == expected


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs Poppler's pdfinfo")
def test_the_book_passes_the_pdf_ua_checker(
    single_and_book: tuple[bytes, bytes], tmp_path: Path
) -> None:
    pytest.importorskip("outloud")
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(single_and_book[1])
    checked = subprocess.run(
        [sys.executable, "-m", "outloud.cli", "--fail-on", "error", "-q", str(pdf)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout
