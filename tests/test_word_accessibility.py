"""Word's Accessibility Checker's rules (tests/word_accessibility.py): they fail what they
should, and briefpack's own Word copies pass them."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx as python_docx
import pytest
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from PIL import Image
from word_accessibility import (
    ALT_TEXT,
    BLANK_CHARACTERS,
    BLANK_TABLE_CELLS,
    CONTRAST,
    HEADING_ORDER,
    HEADING_STYLES,
    LANGUAGE,
    LINK_TEXT,
    NOT_INLINE,
    RULES,
    SIMPLE_TABLE,
    TABLE_HEADER,
    TITLE,
    word_accessibility_findings,
)
from word_contrast import contrast

from briefpack.build.chosen_settings import choose_theme, default_theme
from briefpack.model.answers import Answer, Answers
from briefpack.model.changes import compare
from briefpack.render.docx.ooxml.pictures import describe_shape, mark_decorative
from briefpack.render.docx.ooxml.tables import describe_table, repeat_as_header
from briefpack.render.docx.writer import render_docx
from briefpack.render.settings import RenderSettings

from checkers import PENDING_WORD_RULES, docx_findings, is_pending
from conftest import BUNDLED_PACK, TWO_SESSIONS_PACK, run, valid

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def rules(path: Path, language: str | None = None) -> set[str]:
    return {finding.split(":", 1)[0] for finding in word_accessibility_findings(path, language)}


def picture(document: Document, folder: Path) -> python_docx.shape.InlineShape:
    png = folder / "dot.png"
    Image.new("RGB", (20, 20), (11, 74, 125)).save(png)
    return document.add_paragraph().add_run().add_picture(str(png), width=Mm(10))


def sound_document(folder: Path) -> Document:
    """A small Word file that passes every rule: title, language, headings in order,
    a described picture, a data table with a header row, a layout table."""
    document = python_docx.Document()
    document.core_properties.title = "Offsite"
    document.add_paragraph("Offsite", "Heading 1")
    document.add_paragraph("Where are we going?")
    picture(document, folder)._inline.docPr.set("descr", "The company's logo")
    table = document.add_table(rows=2, cols=2, style="Table Grid")
    cells = table.rows[0].cells + table.rows[1].cells
    for cell, text in zip(cells, ["Day", "Time", "Mon", "9:00"], strict=True):
        cell.text = text
    repeat_as_header(table.rows[0])
    layout = document.add_table(rows=1, cols=2)
    layout.cell(0, 0).text, layout.cell(0, 1).text = "Jane Doe", "CTO"
    return document


Breakage = Callable[[Document, Path], None]


def saved(document: Document, folder: Path, name: str = "copy.docx") -> Path:
    path = folder / name
    document.save(str(path))
    return path


def test_a_sound_document_passes_every_rule(tmp_path: Path) -> None:
    assert word_accessibility_findings(saved(sound_document(tmp_path), tmp_path)) == []


def undescribed_picture(document: Document, folder: Path) -> None:
    picture(document, folder)


def picture_named_by_its_file(document: Document, folder: Path) -> None:
    picture(document, folder)._inline.docPr.set("descr", "dot.png")


def table_without_header_row(document: Document, folder: Path) -> None:
    table = document.add_table(rows=2, cols=2, style="Table Grid")
    table.cell(0, 0).text, table.cell(1, 0).text = "Day", "Monday"


def merged_cells(document: Document, folder: Path) -> None:
    table = document.tables[0]
    table.add_row()
    table.cell(2, 0).merge(table.cell(2, 1)).text = "Both"


def blank_row(document: Document, folder: Path) -> None:
    document.tables[0].add_row()


def heading_gap(document: Document, folder: Path) -> None:
    document.add_paragraph("Detail", "Heading 3")


def first_heading_too_deep(document: Document, folder: Path) -> None:
    document.paragraphs[0].style = document.styles["Heading 2"]


def no_headings(document: Document, folder: Path) -> None:
    document.paragraphs[0].style = document.styles["Normal"]


def no_title(document: Document, folder: Path) -> None:
    document.core_properties.title = ""


def no_language(document: Document, folder: Path) -> None:
    defaults = document.styles.element.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
    defaults.remove(defaults.find(qn("w:lang")))


def grey_text(document: Document, folder: Path) -> None:
    run = document.add_paragraph().add_run("Hard to read")
    run.font.color.rgb = python_docx.shared.RGBColor(0xAA, 0xAA, 0xAA)


def empty_paragraphs(document: Document, folder: Path) -> None:
    document.add_paragraph()
    document.add_paragraph()
    document.add_paragraph("After two empty paragraphs")


def spaces_for_layout(document: Document, folder: Path) -> None:
    document.add_paragraph("Name:      Jane")


def link_saying_here(document: Document, folder: Path) -> None:
    paragraph = document.add_paragraph("See ")
    rid = document.part.relate_to(
        "https://example.com",
        python_docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
        is_external=True,
    )
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships" r:id="{rid}"><w:r><w:t>here</w:t></w:r>'
            "</w:hyperlink>"
        )
    )


def watermark_without_alt(document: Document, folder: Path) -> None:
    header = document.sections[0].header.paragraphs[0]
    header._p.append(parse_xml(WATERMARK))


WATERMARK = (
    f'<w:r xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
    '<v:shape id="PowerPlusWaterMarkObject1" type="#_x0000_t136" style="position:absolute;'
    'width:400pt;height:100pt;rotation:315" fillcolor="silver" stroked="f">'
    '<v:textpath style="font-family:&quot;Calibri&quot;" string="Jane Doe"/></v:shape>'
    "</w:pict></w:r>"
)


def floating_picture(document: Document, folder: Path) -> None:
    shape = picture(document, folder)
    shape._inline.docPr.set("descr", "A dot")
    inline = shape._inline
    anchor = parse_xml(
        '<wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        'wordprocessingDrawing" distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
        '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0'
        "</wp:posOffset></wp:positionV></wp:anchor>"
    )
    for child in list(inline):
        anchor.append(child)
    inline.getparent().replace(inline, anchor)


BREAKAGES: dict[str, tuple[Breakage, str]] = {
    "a picture without alt text": (undescribed_picture, ALT_TEXT),
    "a picture whose alt text is its file's name": (picture_named_by_its_file, ALT_TEXT),
    "a watermark shape without alt text": (watermark_without_alt, ALT_TEXT),
    "a data table without a header row": (table_without_header_row, TABLE_HEADER),
    "merged cells": (merged_cells, SIMPLE_TABLE),
    "a blank table row": (blank_row, BLANK_TABLE_CELLS),
    "a heading 3 right after a heading 1": (heading_gap, HEADING_ORDER),
    "a first heading at level 2": (first_heading_too_deep, HEADING_ORDER),
    "no heading at all": (no_headings, HEADING_STYLES),
    "no title": (no_title, TITLE),
    "no language": (no_language, LANGUAGE),
    "light grey text on white": (grey_text, CONTRAST),
    "two empty paragraphs for space": (empty_paragraphs, BLANK_CHARACTERS),
    "spaces for layout": (spaces_for_layout, BLANK_CHARACTERS),
    "a link that says 'here'": (link_saying_here, LINK_TEXT),
    "a floating picture": (floating_picture, NOT_INLINE),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_the_checker_fails_a_copy_with(breakage: str, tmp_path: Path) -> None:
    breaking, rule = BREAKAGES[breakage]
    document = sound_document(tmp_path)
    breaking(document, tmp_path)
    assert rule in rules(saved(document, tmp_path))


def test_a_picture_marked_decorative_needs_no_alt_text(tmp_path: Path) -> None:
    document = sound_document(tmp_path)
    mark_decorative(picture(document, tmp_path))
    assert word_accessibility_findings(saved(document, tmp_path)) == []


def test_a_watermark_with_alt_text_passes(tmp_path: Path) -> None:
    document = sound_document(tmp_path)
    watermark_without_alt(document, tmp_path)
    shape = document.sections[0].header._element.find(".//{urn:schemas-microsoft-com:vml}shape")
    describe_shape(shape, "Watermark: prepared for Jane Doe")
    assert word_accessibility_findings(saved(document, tmp_path)) == []


def test_a_table_in_table_normal_is_a_layout_table_and_needs_no_header(tmp_path: Path) -> None:
    document = sound_document(tmp_path)
    document.add_table(rows=2, cols=2).cell(0, 0).text = "Beside"
    assert word_accessibility_findings(saved(document, tmp_path)) == []


def test_a_table_s_title_and_description_and_a_decorative_mark_are_valid_ooxml(
    tmp_path: Path,
) -> None:
    document = sound_document(tmp_path)
    table = document.tables[0]
    describe_table(table, "At a glance", "Each session: day, time, speakers")
    describe_table(table, "At a glance")
    names = [child.tag.split("}")[1] for child in table._tbl.tblPr]
    assert names[-1] == "tblCaption"
    assert "tblDescription" not in names
    describe_table(table, "At a glance", "Each session")
    names = [child.tag.split("}")[1] for child in table._tbl.tblPr]
    assert names[-2:] == ["tblCaption", "tblDescription"]
    mark_decorative(picture(document, tmp_path))
    path = saved(document, tmp_path)
    assert word_accessibility_findings(path) == []
    # Valid where Word reads them (python-docx's template has faults of its own elsewhere).
    assert not [finding for finding in docx_findings(path) if "/word/document.xml" in finding]


def test_the_language_must_be_the_one_asked_for(tmp_path: Path) -> None:
    path = saved(sound_document(tmp_path), tmp_path)
    assert rules(path, "en") == set()
    findings = word_accessibility_findings(path, "de")
    assert any(
        f.startswith(f"{LANGUAGE}: word/styles.xml: the language is en-US") for f in findings
    )


def test_an_unreadable_file_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes(b"PK not a zip")
    assert word_accessibility_findings(path) == ["Unreadable file: File is not a zip file"]


def test_contrast_is_wcag_s() -> None:
    assert contrast("000000", "FFFFFF") == pytest.approx(21)
    assert contrast("777777", "FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_a_pending_rule_is_a_rule_and_says_what_it_waits_for() -> None:
    assert set(PENDING_WORD_RULES) <= set(RULES)
    assert all(reason.strip() for reason in PENDING_WORD_RULES.values())
    for rule in PENDING_WORD_RULES:
        assert is_pending(f"{rule}: word/document.xml: something")
    assert not is_pending(f"{ALT_TEXT}: word/document.xml: something")


def test_every_rule_fails_the_suite_when_asked_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFPACK_WORD_RULES", "all")
    assert not any(is_pending(f"{rule}: word/document.xml: something") for rule in RULES)


# ------------------------------------------------------------ briefpack's own copies

PACK = """\
title: Board meeting
organisation: Example Corp
classification: Confidential
attendees:
  - name: Jane Doe
    role: Chief Technology Officer
    photo: jane.png
    bio: Leads **engineering**, see [the plan](https://example.com/plan).
  - name: Omar Haddad
    role: CFO
  - name: Ana Lima
    role: COO
recipients:
  - name: Jane Doe
days:
  - date: 2026-03-02
    sessions:
      - title: Strategy
        start: "09:00"
        end: "10:00"
        speakers:
          - name: José Ñúñez
            role: CEO
        questions:
          - title: Direction
            context: |
              Where we were, in *brief*:

              - growth
              - cost
            question: Where are we going?
          - title: Pace
            question: How fast?
"""


def briefpack_copy(folder: Path, text: str = PACK, **overrides: object) -> Path:
    """Briefpack's Word copy of ``text`` with the settings ``overrides`` change."""
    Image.new("RGB", (60, 80), (90, 120, 200)).save(folder / "jane.png")
    (folder / "pack.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    pack = valid(folder / "pack.yaml")
    values: dict[str, object] = {"created": dt.datetime(2026, 3, 2, tzinfo=dt.UTC)}
    values["theme"] = default_theme()
    chosen = RenderSettings(**{**values, **overrides})  # type: ignore[arg-type]
    if chosen.recipient is not None:
        pack = pack.for_recipient(pack.recipients[0])
    if chosen.changes_since is not None:
        old = folder / "old"
        old.mkdir()
        (old / "pack.yaml").write_text(PACK.replace("How fast?", "How soon?"), encoding="utf-8")
        Image.new("RGB", (60, 80), (90, 120, 200)).save(old / "jane.png")
        pack = compare(valid(old / "pack.yaml"), pack)
    path = folder / "copy.docx"
    path.write_bytes(render_docx(pack, chosen).data)
    return path


def failing(path: Path, language: str | None = None) -> list[str]:
    """Every finding: briefpack's own copies pass every rule, pending ones too."""
    return word_accessibility_findings(path, language)


def test_the_bundled_pack_s_copies_pass(tmp_path: Path) -> None:
    code, _, err = run("build", str(BUNDLED_PACK), "-o", str(tmp_path), "-f", "docx", "-j", "1")
    assert code == 0, err
    copies = sorted(tmp_path.rglob("*.docx"))
    assert len(copies) >= 2
    assert {str(copy): failing(copy) for copy in copies} == {str(copy): [] for copy in copies}


VARIANTS: dict[str, dict[str, object]] = {
    "plain, with notes and answer fields": {"notes": True, "answer_fields": True},
    "a recipient's": {"recipient": "Jane Doe"},
    "a changes": {"changes_since": "old.yaml", "changes_date": dt.date(2026, 2, 1)},
    "a debrief": {"answers": Answers((Answer("strategy--direction", answer="North."),))},
    "a session's": {"session": "strategy"},
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_briefpack_s_copy_passes(variant: str, tmp_path: Path) -> None:
    assert failing(briefpack_copy(tmp_path, **VARIANTS[variant])) == []


def test_a_german_copy_in_the_classic_theme_passes_and_is_in_german(tmp_path: Path) -> None:
    text = PACK + "options:\n  language: de\n"
    path = briefpack_copy(tmp_path, text, theme=choose_theme("classic", tmp_path))
    assert failing(path, "de") == []
    assert LANGUAGE not in rules(path, "de")


def test_the_at_a_glance_header_row_repeats_and_the_attendees_grid_is_a_layout_table(
    tmp_path: Path,
) -> None:
    document = python_docx.Document(io.BytesIO(briefpack_copy(tmp_path).read_bytes()))
    glance, *others = document.tables
    assert glance._tbl.tr_lst[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    attendees = others[-1]
    assert attendees._tbl.tblPr.find(qn("w:tblStyle")) is None


def test_a_company_template_s_header_logo_is_marked_decorative_and_its_empty_shape_dropped(
    tmp_path: Path,
) -> None:
    template = python_docx.Document()
    # Briefpack rewrites the default header's first paragraph, and keeps the others.
    header = template.sections[0].header.add_paragraph()
    png = tmp_path / "house-logo.png"
    Image.new("RGB", (20, 20), (200, 30, 30)).save(png)
    header.add_run().add_picture(str(png), width=Mm(10))
    # A shape whose picture was outside the package: the cleaning leaves it drawing nothing.
    header._p.append(
        parse_xml(
            WATERMARK.replace(
                '<v:textpath style="font-family:&quot;Calibri&quot;" string="Jane Doe"/>',
                "<v:imagedata/>",
            )
        )
    )
    template.save(str(tmp_path / "house.docx"))
    path = briefpack_copy(tmp_path, PACK, reference_docx=tmp_path / "house.docx")
    findings = word_accessibility_findings(path)
    assert not [finding for finding in findings if finding.startswith(ALT_TEXT)]
    assert b"house-logo" in b"".join(part_bytes(path, name) for name in header_parts(path))
    # What is left is the template's own look and structure, pending (tests/checkers.py).
    assert all(is_pending(finding) for finding in findings)


def test_a_company_template_s_watermark_says_its_words(tmp_path: Path) -> None:
    template = python_docx.Document()
    template.sections[0].header.add_paragraph()._p.append(parse_xml(WATERMARK))
    template.save(str(tmp_path / "house.docx"))
    path = briefpack_copy(tmp_path, PACK, reference_docx=tmp_path / "house.docx")
    assert b'alt="Jane Doe"' in b"".join(part_bytes(path, name) for name in header_parts(path))


def header_parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [name for name in archive.namelist() if name.startswith("word/header")]


def part_bytes(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def tracked_deletion(text: str) -> str:
    return (
        f'<w:del xmlns:w="{W}" w:id="90" w:author="a" w:date="2026-03-02T00:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
    )


def test_text_a_copy_tracks_as_deleted_is_text_not_blank(tmp_path: Path) -> None:
    document = sound_document(tmp_path)
    # A row, a link and paragraphs whose words were all deleted: shown struck through.
    table = document.tables[0]
    row = table.add_row()
    for cell in row.cells:
        cell.paragraphs[0]._p.append(parse_xml(tracked_deletion("gone")))
    for _ in range(2):
        document.add_paragraph()._p.append(parse_xml(tracked_deletion("old words")))
    between = document.add_paragraph("a ")
    between._p.append(parse_xml(tracked_deletion("b")))
    between.add_run(" c")
    assert word_accessibility_findings(saved(document, tmp_path)) == []


def test_at_a_glance_has_no_blank_speakers_column(tmp_path: Path) -> None:
    assert word_accessibility_findings(briefpack_copy(tmp_path, TWO_SESSIONS_PACK)) == []


def test_a_copy_on_a_company_template_has_its_headings_in_order(tmp_path: Path) -> None:
    python_docx.Document().save(str(tmp_path / "house.docx"))
    path = briefpack_copy(tmp_path, PACK, reference_docx=tmp_path / "house.docx")
    assert HEADING_ORDER not in rules(path)


def test_what_a_reader_typed_into_a_field_is_not_the_writer_s_blank_space(tmp_path: Path) -> None:
    document = sound_document(tmp_path)
    typed = document.add_paragraph("Follow-up: ")
    typed._p.append(
        parse_xml(
            f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:tag w:val="briefpack:follow-up:x"/></w:sdtPr>'
            '<w:sdtContent><w:r><w:t xml:space="preserve">  Send it.  </w:t></w:r>'
            "</w:sdtContent></w:sdt>"
        )
    )
    assert word_accessibility_findings(saved(document, tmp_path)) == []
    typed.add_run("  and then")
    assert rules(saved(document, tmp_path)) == {BLANK_CHARACTERS}
