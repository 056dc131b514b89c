"""The Word copy's smaller likenesses to the PDF (issue 28, item 6).

List items as close together as the PDF's, the question's band padded as the PDF's box,
the changes page a table of three columns as the PDF's, and a debrief whose cover starts
a page of its own.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from lxml import etree
from test_docx_variants import ANSWERS, settings, write

from briefpack.render.docx.likeness_styles import (
    BAND_PADDING_PT,
    BAND_TEXT_INDENT_MM,
    CONTEXT_LINE_HEIGHT,
    QUESTION_LINE_HEIGHT,
    band_bottom_pt,
)
from briefpack.render.docx.writer import render_docx
from briefpack.render.theme_css import line_height_em

from conftest import MINIMAL_PACK, run
from docx_helpers import NS, part
from test_changes import version_pair

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LISTS = """\
title: Lists
days:
  - date: 2026-03-02
    sessions:
      - title: Strategy
        start: "09:00"
        end: "10:00"
        questions:
          - title: Direction
            context: |
              Three things matter here, in this order:

              - Cash conversion across every business unit
              - Debt maturity and the refinancing window
              - Headcount

              After the list, a paragraph of context.
            question: |
              Which do we cut first?

              1. Travel
              2. Consultants
              3. Hiring

              And why?
"""


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack of lists built: its folder of outputs."""
    root = tmp_path_factory.mktemp("lists")
    (root / "pack.yaml").write_text(LISTS, encoding="utf-8")
    code, _, err = run("build", str(root / "pack.yaml"), "-o", str(root / "out"), "--no-sessions")
    assert code == 0, err
    return root / "out" / "pack"


def test_list_items_have_no_space_between_them_and_the_pdfs_line_height(lists: Path) -> None:
    document = docx.Document(str(lists / "pack.docx"))
    styled = {p.text: p.style for p in document.paragraphs}
    for item in ("Cash conversion across every business unit", "Travel", "Consultants"):
        assert styled[item].paragraph_format.space_after == 0, item
    # After the last, the list's margin: 0.55 em.
    assert styled["Headcount"].paragraph_format.space_after == Pt(round(9 * 0.55, 1))
    context = styled["Headcount"].base_style.paragraph_format.line_spacing
    question = styled["Travel"].base_style.paragraph_format.line_spacing
    body = line_height_em(Path(__file__).parent.parent / "templates/fonts/NotoSerif-Regular.ttf")
    assert context == pytest.approx(CONTEXT_LINE_HEIGHT / body, abs=0.002)
    assert question == pytest.approx(QUESTION_LINE_HEIGHT / body, abs=0.002)


def baselines(path: Path, starts: list[str]) -> list[float]:
    """Where the line that holds each of ``starts`` ends, down the first page that has them."""
    with pdfplumber.open(path) as document:
        for page in document.pages:
            lines = page.extract_text_lines()
            found = {}
            for line in lines:
                for start in starts:
                    if start in line["text"] and start not in found:
                        found[start] = line["bottom"]
            if len(found) == len(starts):
                return [found[start] for start in starts]
    raise AssertionError(f"not found: {starts}")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_sets_the_word_lists_as_the_pdf_sets_them(lists: Path, tmp_path: Path) -> None:
    source = tmp_path / "pack.docx"
    shutil.copy(lists / "pack.docx", source)
    profile = (tmp_path / "profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless"]
    subprocess.run(
        [*command, "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    lines = ["Cash conversion", "Debt maturity", "Headcount", "After the list"]
    lines += ["Which do we", "Travel", "Consultants", "Hiring", "And why"]
    word = baselines(tmp_path / "lo" / "pack.pdf", lines)
    pdf = baselines(lists / "pack.pdf", lines)
    steps = [(b - a, d - c) for a, b, c, d in zip(word, word[1:], pdf, pdf[1:], strict=False)]
    # Between items, from a list to what follows it, and (in the band) from a paragraph to
    # a list: the context's paragraphs keep the theme's space after them instead.
    for index in (0, 1, 2, 4, 5, 6, 7):
        assert steps[index][0] == pytest.approx(steps[index][1], abs=0.6), (index, steps)


def test_the_question_band_is_padded_as_the_pdfs_box(tmp_path: Path) -> None:
    document = docx.Document(str(render_copy(tmp_path)))
    label, question = (document.styles[n] for n in ("Briefing Question Label", "Briefing Question"))
    for style in (label, question):
        properties = style.element.pPr
        fill = properties.find(f"{W}shd").get(f"{W}fill")
        borders = {b.tag.removeprefix(W): b for b in properties.find(f"{W}pBdr")}
        assert borders["left"].get(f"{W}space") == str(round(BAND_PADDING_PT["left"]))
        padding = {**BAND_PADDING_PT, "bottom": band_bottom_pt(11.5)}
        for side in ("top", "right", "bottom"):
            # A border in the band's own fill: only its padding shows, shaded.
            assert borders[side].get(f"{W}color") == fill, side
            assert borders[side].get(f"{W}space") == str(round(padding[side])), side
        assert style.paragraph_format.left_indent.mm == pytest.approx(BAND_TEXT_INDENT_MM, abs=0.05)
        assert style.paragraph_format.right_indent.pt == pytest.approx(13, abs=0.1)
    # One box: Word joins paragraphs whose borders agree.
    same = [etree.tostring(s.element.pPr.find(f"{W}pBdr")) for s in (label, question)]
    assert same[0] == same[1]


def render_copy(folder: Path) -> Path:
    path = folder / "copy.docx"
    path.write_bytes(render_docx(write(folder), settings()).data)
    return path


@pytest.fixture(scope="module")
def changes_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled pack's changes copy, since a version without seven changes."""
    root = tmp_path_factory.mktemp("changes")
    version_pair(root)
    earlier = root / "new" / "pack-v2.yaml"
    shutil.copy(root / "old" / "pack.yaml", earlier)
    pack = root / "new" / "pack.yaml"
    code, _, err = run(
        "build", str(pack), "-o", str(root / "out"), "--changes-since", str(earlier)
    )  # fmt: skip
    assert code == 0, err
    return root / "out" / "pack" / "pack.changes.docx"


def test_the_word_changes_page_is_a_table_as_the_pdfs(changes_copy: Path) -> None:
    document = docx.Document(str(changes_copy))
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Change", "Section", "Page"]
    rows = table.rows[1:]
    assert len(rows) == 7
    kinds = [row.cells[0].text for row in rows]
    assert kinds[:2] == ["Question edited", "Question edited"]
    assert "Session changed" in kinds
    assert "Question added" in kinds
    # The session's heading with its label ("Session 2: AgentCore"), as the PDF's.
    sections = [row.cells[1].paragraphs[0].text.rstrip("\t\u200b") for row in rows]
    assert "Session 2: AgentCore" in sections
    details = [p.text for row in rows for p in row.cells[1].paragraphs[1:]]
    assert "Speaker added: Jordan Lee" in details
    # Each page a PAGEREF field of its own cell, right-aligned; the removed question has none.
    pages = [row.cells[2] for row in rows]
    references = [
        cell._tc.xpath(".//w:instrText/text()")[0].split()[1]
        for cell in pages
        if cell._tc.xpath(".//w:instrText")
    ]
    assert len(references) == 6
    page_style = document.styles["Briefing Change Page"]
    assert page_style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    bookmarks = set(
        part(changes_copy.read_bytes(), "word/document.xml").xpath(
            "//w:bookmarkStart/@w:name", namespaces=NS
        )
    )
    assert set(references) <= bookmarks


def test_a_debriefs_cover_starts_a_page_after_its_tables(tmp_path: Path) -> None:
    data = render_docx(write(tmp_path), settings(answers=ANSWERS)).data
    body = part(data, "word/document.xml").find("w:body", NS)
    blocks = list(body)
    kicker = next(
        index
        for index, block in enumerate(blocks)
        if block.xpath("./w:pPr/w:pStyle/@w:val", namespaces=NS) == ["BriefingKicker"]
    )
    tables = [i for i, block in enumerate(blocks[:kicker]) if block.tag == f"{W}tbl"]
    assert tables  # the tally, and the follow-ups
    between = blocks[tables[-1] + 1 : kicker + 1]
    breaks = [
        block
        for block in between
        if block.xpath(
            "./w:pPr/w:sectPr | .//w:br[@w:type='page'] | ./w:pPr/w:pageBreakBefore",
            namespaces=NS,
        )
    ]
    assert breaks, "the debrief's tables and the cover share a page"


def test_spaces_typed_twice_print_once_in_word_as_in_the_pdf(tmp_path: Path) -> None:
    text = MINIMAL_PACK.replace(
        "            question: Where are we going?\n",
        '            context: "Ha Noi, Viet Nam?  Lorem   ipsum, [see  here](https://example.com/a)."\n'
        '            question: "Where are we going?  `a  b`"\n',
    )
    assert text != MINIMAL_PACK
    data = render_docx(write(tmp_path, text), settings()).data
    (tmp_path / "spaces.docx").write_bytes(data)  # the output check: no repeated blanks
    words = [node.text for node in part(data, "word/document.xml").iter(f"{{{NS['w']}}}t")]
    joined = "".join(w or "" for w in words)
    assert "Viet Nam? Lorem ipsum, " in joined
    assert "see here" in joined
    assert "a b" in joined  # inline code too, as HTML shows it
