"""A pre-read that is itself a briefpack PDF: its tables read aloud, its fonts kept its own.

The pre-read is a small pack built in the executive theme (its at-a-glance
table has header cells that each data cell names by ``/ID``); the book that
grafts it is built in the classic theme, whose fonts carry the same names
(``Briefpack-Body``…) and, from WeasyPrint, the same subset tags, but other
glyphs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from conftest import TWO_SESSIONS_PACK, WITHOUT_HARFBUZZ_SUBSET, run

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


@pytest.fixture(scope="module")
def classic(folder: Path) -> Path:
    """The book in the classic theme, whose fonts have the pre-read's names and other glyphs."""
    return built(folder, "--theme", "classic")


def _text(pdf: Path, first: int, last: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(first), "-l", str(last), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs Poppler's pdftotext (Debian poppler-utils)"
)
def test_the_books_cover_reads_right_beside_a_pre_read_of_another_theme(classic: Path) -> None:
    cover = _text(classic, 1, 1)
    for words in ("Board Offsite", "Example Corp", "Confidential", "Version 3.2"):
        assert words in cover
    assert "Quarterly figures" in _text(classic, 2, 99)


def _fonts(pdf: Path) -> list[tuple[str, bytes]]:
    """Each embedded font's name and program, in name order."""
    with pikepdf.open(pdf) as opened:
        return sorted(
            (str(thing.FontName), thing.FontFile2.read_bytes())
            for thing in opened.objects
            if isinstance(thing, pikepdf.Dictionary) and "/FontFile2" in thing
        )


def test_no_two_fonts_in_the_book_share_a_name(classic: Path) -> None:
    fonts = _fonts(classic)
    assert len({name for name, _ in fonts}) == len(fonts)
    # The book's Briefpack-Body (classic) and the pre-read's (executive), under two tags.
    assert len([name for name, _ in fonts if name.endswith("+Briefpack-Body")]) == 2


def test_a_pre_reads_fonts_are_drawn_from_its_own_programs(folder: Path, classic: Path) -> None:
    paper = dict(_fonts(folder / "pre-reads" / "paper.pdf"))
    book = dict(_fonts(classic))
    for name, program in paper.items():
        ours = [other for other, found in book.items() if found == program]
        assert [other.partition("+")[2] for other in ours] == [name.partition("+")[2]]


def test_a_book_with_a_briefpack_pre_read_is_the_same_bytes_whatever_the_subsetter_or_seed(
    folder: Path, tmp_path: Path
) -> None:
    # WeasyPrint subsets with HarfBuzz, or with fontTools without libharfbuzz-subset0;
    # Python orders sets (pikepdf's keys) by a hash seed chosen per process.
    command = "from briefpack.cli import main; main()"
    books = []
    for number, subsetter in enumerate(["", "", WITHOUT_HARFBUZZ_SUBSET]):
        seed = str(number + 1)
        environ = {**os.environ, "SOURCE_DATE_EPOCH": "1760000000", "PYTHONHASHSEED": seed}
        out = tmp_path / f"out{number}"
        done = subprocess.run(
            [
                *(sys.executable, "-c", subsetter + command, "build", str(folder / "book.yaml")),
                *("-o", str(out), "-f", "pdf", "--theme", "classic", "--no-sessions", "-j1"),
            ],
            capture_output=True,
            text=True,
            env=environ,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        books.append(out / "book" / "book.pdf")
    assert books[0].read_bytes() == books[1].read_bytes() == books[2].read_bytes()


def _classed_table_pdf(path: Path) -> Path:
    """A tagged pre-read whose header cells say their scope through a class (``/ClassMap``).

    Made by WeasyPrint, then its cells' ids and headers taken away and each
    header cell's attributes moved into the class ``HeaderCell``: the scope,
    which the cells now need, is only in the class map.
    """
    from pdf_makers import make_weasyprint_pdf

    make_weasyprint_pdf(
        path,
        "<table><thead><tr><th>Region</th><th>Sales</th></tr></thead>"
        "<tbody><tr><td>North</td><td>10</td></tr><tr><td>South</td><td>12</td></tr></tbody>"
        "</table>",
    )
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.Root.StructTreeRoot
        root.ClassMap = pikepdf.Dictionary(
            HeaderCell=pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Column)
        )
        for cell in _cells(pdf, "/TH"):
            del cell["/ID"]
            del cell["/A"]
            cell.C = pikepdf.Name("/HeaderCell")
        for cell in _cells(pdf, "/TD"):
            del cell.A["/Headers"]
        pdf.save(path)
    return path


def test_a_pre_reads_class_attributes_are_written_into_its_elements_in_the_book(
    tmp_path: Path,
) -> None:
    (tmp_path / "pre-reads").mkdir()
    _classed_table_pdf(tmp_path / "pre-reads" / "paper.pdf")
    (tmp_path / "book.yaml").write_text(BOOK, encoding="utf-8")
    book = built(tmp_path, "--no-sessions")
    with pikepdf.open(book) as pdf:
        scoped = [
            cell
            for cell in _cells(pdf, "/TH")
            if isinstance(cell.get("/A"), pikepdf.Dictionary)
            and cell.A.get("/Scope") == pikepdf.Name.Column
        ]
        assert "/ClassMap" not in pdf.Root.StructTreeRoot
    assert len(scoped) == 2
