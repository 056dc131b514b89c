"""The Word copy's headers, as the PDF's: a recipient's watermark on every page, and a
running header that names the part each page belongs to, with pages numbered on."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from test_docx_variants import ANSWERS, earlier_of, settings, write

from briefpack.build.chosen_settings import choose_theme
from briefpack.model import Pack
from briefpack.model.changes import compare
from briefpack.render.docx.writer import render_docx
from briefpack.render.wording import wording_for

from docx_helpers import NS, R, W, part

VML = "urn:schemas-microsoft-com:vml"
VML_NS = {**NS, "v": VML}
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)

#: Three sessions, the second long enough (with notes) to run over two pages, the third
#: with a title too long for the header's right half.
LONG_PACK = """\
title: Board meeting
classification: Confidential
days:
  - date: 2026-03-02
    sessions:
      - title: Strategy
        label: Session 1
        start: "09:00"
        end: "10:00"
        speakers:
          - name: Dana Ruiz
        questions:
          - title: Direction
            question: Where are we going?
      - title: Budget
        label: Session 2
        start: "10:30"
        end: "11:00"
        speakers:
          - name: Dana Ruiz
        questions:
%s
      - title: Operations, logistics, procurement and the regional supply chain review
        label: Session 3
        start: "11:30"
        end: "12:00"
        speakers:
          - name: Dana Ruiz
        questions:
          - title: Suppliers
            question: Which supplier do we keep?
"""
BUDGET_QUESTIONS = "".join(
    f"          - title: Cut {n}\n            question: What do we cut, round {n}?\n"
    for n in range(1, 7)
)


def headers_by_section(data: bytes) -> list[Any]:
    """Each section's default header, parsed, in the document's order."""
    document = part(data, "word/document.xml")
    relationships = part(data, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): rel.get("Target") for rel in relationships}
    headers = []
    for section in document.xpath("//w:sectPr", namespaces=NS):
        reference = section.find("w:headerReference[@w:type='default']", NS)
        assert reference is not None, "every section has a header of its own"
        headers.append(part(data, f"word/{targets[reference.get(f'{{{R}}}id')]}"))
    return headers


def watermarks(header: Any) -> list[Any]:
    return header.xpath(
        "//v:shape[starts-with(@id, 'PowerPlusWaterMarkObject')]", namespaces=VML_NS
    )


def header_text(header: Any) -> str:
    """Each paragraph's text, its tabs as tabs, the paragraphs joined by "|"."""
    return "|".join(
        "".join(
            node.text or "" if node.tag == f"{{{W}}}t" else "\t"
            for node in paragraph.xpath("w:r/w:t | w:r/w:tab", namespaces=NS)
        )
        for paragraph in header.findall("w:p", NS)
    )


def the_pdfs_mark(pack: Pack, name: str) -> str:
    """The words the PDF lays over every page of ``name``'s copy (render/pdf.py)."""
    wording = wording_for(pack.options.language, pack.options.time_format)
    return wording.prepared_for(name, settings().created.date())


def assert_watermarked(data: bytes, words: str) -> None:
    headers = headers_by_section(data)
    assert len(headers) > 4
    for header in headers:
        (shape,) = watermarks(header)
        assert header.xpath("//v:textpath/@string", namespaces=VML_NS) == [words]
        # Diagonal, rising to the right as the PDF's (35° counter-clockwise), behind the text.
        style = dict(item.split(":", 1) for item in shape.get("style").split(";"))
        assert style["rotation"] == "325"
        assert int(style["z-index"]) < 0
        assert style["mso-position-horizontal"] == style["mso-position-vertical"] == "center"
        # Light: a pale fill, half transparent; and words for a screen reader.
        fill = shape.get("fillcolor")
        assert min(int(fill[i : i + 2], 16) for i in (1, 3, 5)) >= 0xB0, fill
        assert float(shape.find("v:fill", VML_NS).get("opacity")) <= 0.5
        assert shape.get("alt") == words


def test_a_recipients_copy_has_the_pdfs_mark_as_a_watermark_in_every_header(
    tmp_path: Path,
) -> None:
    pack = write(tmp_path)
    mine = pack.for_recipient(pack.recipients[1])
    data = render_docx(mine, settings(recipient="Omar Haddad")).data
    words = the_pdfs_mark(pack, "Omar Haddad")
    assert words == "Prepared for Omar Haddad · Mar 2, 2026"
    assert_watermarked(data, words)
    # The mark names the reader on every page, as in the PDF: not the header's text.
    assert all("Omar" not in header_text(h) for h in headers_by_section(data))
    (tmp_path / "recipient.docx").write_bytes(data)


def test_a_copy_without_a_recipient_has_no_watermark(tmp_path: Path) -> None:
    data = render_docx(write(tmp_path), settings()).data
    assert not [h for h in headers_by_section(data) if watermarks(h)]
    assert "PowerPlusWaterMark" not in data.decode("latin-1")


def test_each_part_and_session_has_the_pdfs_running_header_words(tmp_path: Path) -> None:
    pack = write(tmp_path, textwrap.dedent(LONG_PACK) % BUDGET_QUESTIONS)
    data = render_docx(pack, settings(notes=True)).data
    texts = [header_text(header) for header in headers_by_section(data)]
    long_title = (
        "Session 3: Operations, logistics, procurement and the regional supply chain review"
    )
    # The cover has no header; each part's names it, each session's names the session.
    assert texts[:5] == [
        "",
        "Board meeting\tAt a glance",
        "Board meeting\tContents",
        "Board meeting\tSession 1: Strategy",
        "Board meeting\tSession 2: Budget",
    ]
    # Shortened as the PDF shortens it, to stay on one line.
    right = texts[5].split("\t")[1]
    assert right.endswith("…")
    assert long_title.startswith(right[:-1])


def laid_out(data: bytes, folder: Path, name: str) -> list[str]:
    """Each page's text as LibreOffice lays out the Word file (``pdftotext -layout``)."""
    source = folder / f"{name}.docx"
    source.write_bytes(data)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{folder}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = folder / f"{name}.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def lines(page: str) -> list[str]:
    return [" ".join(line.split()) for line in page.splitlines() if line.strip()]


@needs_libreoffice
def test_each_page_names_its_session_and_is_numbered_on(tmp_path: Path) -> None:
    pack = write(tmp_path, textwrap.dedent(LONG_PACK) % BUDGET_QUESTIONS)
    pages = laid_out(render_docx(pack, settings(notes=True)).data, tmp_path, "long")
    total = len(pages)
    assert lines(pages[0])[0] == "Briefing pack"  # the cover: no header
    expected = {
        "Direction": "Session 1: Strategy",
        "Cut 1": "Session 2: Budget",
        "Suppliers": "Session 3:",
    }
    session = None
    budget_pages = 0
    for number, page in enumerate(pages[1:], start=2):
        head, *_, foot = lines(page)
        # One line each: the title and the part's words; the classification and the page.
        assert foot == f"Confidential Page {number} of {total}"
        assert head.startswith("Board meeting ")
        words = head.removeprefix("Board meeting ")
        for question, heading in expected.items():
            if any(line.endswith(question) for line in lines(page)[1:]):
                session = heading
        if session is None:
            assert words in ("At a glance", "Contents")
        else:
            assert words.startswith(session), (number, head)
            budget_pages += session == "Session 2: Budget"
    assert budget_pages >= 2, "the budget runs over a page, its header with it"


@needs_libreoffice
def test_in_german_classic_a_recipients_changes_copy_keeps_it_all(tmp_path: Path) -> None:
    pack = write(tmp_path, language="de")
    earlier = earlier_of(tmp_path)
    reader = pack.recipients[0]
    classic = choose_theme("classic", tmp_path)
    chosen = settings(
        recipient=reader.name,
        theme=classic,
        changes_since="pack-v1.yaml",
        changes_date=dt.date(2026, 2, 1),
    )
    old = earlier.for_recipient(earlier.recipients[0])
    data = render_docx(compare(old, pack.for_recipient(reader)), chosen).data
    words = the_pdfs_mark(pack, reader.name)
    assert words.startswith("Erstellt für Jane Doe · ")
    assert_watermarked(data, words)
    pages = [lines(page) for page in laid_out(data, tmp_path, "changes")]
    clean = laid_out(
        render_docx(pack.for_recipient(reader), settings(theme=classic)).data, tmp_path, "clean"
    )
    total = len(clean)
    assert len(pages) == total + 1
    # The changes page: the running header's title, no part's words, its roman number.
    assert pages[1][0] == "Board meeting"
    assert pages[1][-1] == "Confidential i"
    assert pages[2][0] == "Board meeting Auf einen Blick"
    for number, page in enumerate(pages[2:], start=2):
        assert page[-1] == f"Confidential Seite {number} von {total}"
    assert [page[0] for page in pages if "Strategy" in page[0]]


@needs_libreoffice
def test_a_debriefs_summary_has_a_page_of_its_own_before_the_cover(tmp_path: Path) -> None:
    pack = write(tmp_path)
    pages = [
        lines(page)
        for page in laid_out(render_docx(pack, settings(answers=ANSWERS)).data, tmp_path, "debrief")
    ]
    # As in the PDF: the summary without a running header, numbered; the cover on its own.
    assert pages[0][0] == "Debrief"
    assert pages[0][-1] == f"Confidential Page 1 of {len(pages)}"
    assert pages[1][0] == "Briefing pack"
    assert pages[1][-1] == "Confidential"
    assert pages[2][0] == "Board meeting At a glance"
    assert re.fullmatch(r"Confidential Page 3 of \d+", pages[2][-1])
