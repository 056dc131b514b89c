"""A pre-read that is itself a briefpack PDF: its tables read aloud, its fonts kept its own.

The pre-read is a small pack built in the executive theme (its at-a-glance
table has header cells that each data cell names by ``/ID``); the book that
grafts it is built in the classic theme, whose fonts carry the same names
(``Briefpack-Body``…) and, from WeasyPrint, the same subset tags, but other
glyphs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from conftest import TWO_SESSIONS_PACK, run

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs Poppler's pdftotext (Debian poppler-utils)"
)

#: The book: a cover with an organisation, a classification and a version.
BOOK = """\
title: Board Offsite
organisation: Example Corp
classification: Confidential
days:
  - date: 2026-03-02
    sessions:
      - title: Strategy
        start: "09:00"
        end: "10:00"
        attachments:
          - file: pre-reads/paper.pdf
            title: The paper
        questions:
          - title: Direction
            question: Where are we going?
options:
  version: "3.2"
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the book's pack and its pre-read, a briefpack PDF in the executive theme."""
    root = tmp_path_factory.mktemp("pre-read-tables")
    paper = root / "paper"
    (paper / "pack.yaml").parent.mkdir()
    (paper / "pack.yaml").write_text(
        TWO_SESSIONS_PACK.replace("title: Offsite", "title: Quarterly figures"), encoding="utf-8"
    )
    code, _, err = run("build", str(paper / "pack.yaml"), "-o", str(paper / "out"), "-f", "pdf")
    assert code == 0, err
    (root / "pre-reads").mkdir()
    shutil.copy(paper / "out" / "pack" / "pack.pdf", root / "pre-reads" / "paper.pdf")
    (root / "book.yaml").write_text(BOOK, encoding="utf-8")
    return root


def built(folder: Path, *options: str) -> Path:
    """The book, its pre-read grafted under its only session, built with ``options``."""
    out = folder / f"out{len(list(folder.glob('out*')))}"
    code, _, err = run("build", str(folder / "book.yaml"), "-o", str(out), "-f", "pdf", *options)
    assert code == 0, err
    return out / "book" / "book.pdf"


@pytest.fixture(scope="module")
def book(folder: Path) -> Path:
    """The book in the pre-read's theme."""
    return built(folder)


def _cells(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Dictionary]:
    return [
        thing
        for thing in pdf.objects
        if isinstance(thing, pikepdf.Dictionary) and thing.get("/S") == pikepdf.Name(kind)
    ]


def _headers(cell: pikepdf.Dictionary) -> list[bytes]:
    attributes = cell.get("/A")
    found = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
    return [
        bytes(header)
        for item in found
        if isinstance(item, pikepdf.Dictionary)
        for header in item.get("/Headers", [])
    ]


def test_a_pre_reads_table_passes_pdf_ua_in_the_book_as_it_does_alone(
    folder: Path, book: Path
) -> None:
    from checkers import pdf_findings

    assert pdf_findings(folder / "pre-reads" / "paper.pdf") == []
    assert pdf_findings(book) == []


def test_a_pre_reads_header_cells_keep_ids_unique_in_the_book_and_its_cells_name_them(
    book: Path,
) -> None:
    with pikepdf.open(book) as pdf:
        ids = [bytes(cell.ID) for cell in _cells(pdf, "/TH") if "/ID" in cell]
        grafted = [found for found in ids if b":" in found]
        named = {header for cell in _cells(pdf, "/TD") for header in _headers(cell)}
    assert len(ids) == len(set(ids))
    # The book's own at-a-glance table and the pre-read's (by WeasyPrint, N-row-column) differ.
    assert grafted
    assert len(grafted) < len(ids)
    assert named <= set(ids)
    assert named & set(grafted)
