"""The editable Word copy: structure, styles, fields, links, lists, templates, parity."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from docx.shared import Pt

from briefpack.build.chosen_settings import default_theme, resolve_settings
from briefpack.content.validate import load_pack
from briefpack.errors import BriefpackError
from briefpack.model import Pack
from briefpack.model.rich_text import plain_text
from briefpack.render.docx.writer import render_docx
from briefpack.render.pdf import render_pdf
from briefpack.render.settings import RenderSettings
from briefpack.render.wording import wording_for

from conftest import (
    BUNDLED_PACK,
    MINIMAL_PACK,
    RICH_PACK,
    WritePack,
    matches_golden,
    problems,
    valid,
)
from docx_helpers import NS, R, W, body_paragraphs, canonical, part, parts
from pdf_helpers import normalise, page_texts


def render(pack: Pack, **overrides: object) -> bytes:
    settings = resolve_settings(pack, {})
    values = {
        "created": settings.created,
        "reference_docx": settings.reference_docx,
        "theme": default_theme(),
    }
    return render_docx(pack, RenderSettings(**{**values, **overrides})).data  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def bundled() -> Pack:
    return load_pack(BUNDLED_PACK)


@pytest.fixture(scope="module")
def bundled_docx(bundled: Pack) -> bytes:
    return render(bundled)


@pytest.fixture
def rich(write_pack: WritePack) -> Pack:
    return valid(write_pack(RICH_PACK))


def style_names(data: bytes) -> dict[str, str]:
    """Style id -> style name."""
    styles = part(data, "word/styles.xml")
    return {
        style.get(f"{{{W}}}styleId"): style.find("w:name", NS).get(f"{{{W}}}val")
        for style in styles.findall("w:style", NS)
    }


def test_parts_in_order_with_the_named_styles(bundled: Pack, bundled_docx: bytes) -> None:
    names = style_names(bundled_docx)
    paragraphs = [(names.get(style, style), text) for style, text in body_paragraphs(bundled_docx)]
    assert paragraphs[:2] == [("Briefing Kicker", "Briefing pack"), ("Title", bundled.title)]
    kinds = [style for style, _ in paragraphs]
    assert kinds.index("Title") < kinds.index("Briefing Part Title") < kinds.index("toc 1")
    assert [text for style, text in paragraphs if style == "Briefing Part Title"] == [
        "At a glance",
        "Contents",
    ]
    assert [text for style, text in paragraphs if style == "heading 1"] == [
        "Thursday, October 23, 2025",
        "Friday, October 24, 2025",
    ]
    assert [text for style, text in paragraphs if style == "heading 2"] == [
        session.title for session in bundled.sessions
    ]
    assert [text for style, text in paragraphs if style == "heading 3"] == [
        f"{number} {question.title}"
        for session in bundled.sessions
        for number, question in enumerate(session.questions, start=1)
    ]
    assert [text for style, text in paragraphs if style == "Briefing Question"] == [
        question.question.source for question in bundled.questions
    ]
    assert [text for style, text in paragraphs if style == "Briefing Context"] == [
        question.context.source for question in bundled.questions if question.context
    ]
    assert [text for style, text in paragraphs if style == "Briefing Session Label"] == [
        "Session 1",
        "Session 2",
        "Session 3",
    ]
    assert [text for style, text in paragraphs if style == "Briefing Speakers"] == [
        f"{speaker.name}, {speaker.role}"
        for session in bundled.sessions
        for speaker in session.speakers
    ]
    assert {text for style, text in paragraphs if style == "Briefing Label"} == {"Context"}
    assert {text for style, text in paragraphs if style == "Briefing Question Label"} == {
        "Question"
    }


def test_speakers_names_and_roles_have_character_styles(bundled_docx: bytes) -> None:
    names = style_names(bundled_docx)
    document = part(bundled_docx, "word/document.xml")
    runs = [
        (
            names[run.xpath("string(w:rPr/w:rStyle/@w:val)", namespaces=NS)],
            run.xpath("string(w:t)", namespaces=NS),
        )
        for run in document.xpath(
            "//w:p[w:pPr/w:pStyle/@w:val='BriefingSpeakers']/w:r", namespaces=NS
        )
    ]
    assert runs[:2] == [
        ("Briefing Speaker Name", "Ali Maaz"),
        ("Briefing Speaker Role", ", Sr Manager, DevOps GTM"),
    ]


def test_no_direct_formatting_in_the_body(bundled_docx: bytes) -> None:
    document = part(bundled_docx, "word/document.xml")
    for properties in document.iterfind(".//w:body//w:p/w:pPr", NS):
        tags = {etree_name(child) for child in properties}
        # A part's last paragraph ends its section (each part is one, for its running
        # header): pagination, not formatting.
        if properties.getparent().find("w:r", NS) is None and "sectPr" in tags:
            # After a table: a paragraph that only holds the break, one point high.
            assert tags <= {"spacing", "rPr", "sectPr"}, tags
        else:
            assert tags <= {"pStyle", "numPr", "sectPr"}, tags
    for properties in document.iterfind(".//w:body//w:r/w:rPr", NS):
        assert {etree_name(child) for child in properties} <= {"rStyle"}


def etree_name(element: object) -> str:
    return str(element.tag).split("}")[1]  # type: ignore[attr-defined]


def test_each_style_is_defined_once_with_briefpack_look(bundled_docx: bytes) -> None:
    names = list(style_names(bundled_docx).values())
    assert len(names) == len(set(names))
    document = python_docx.Document(io_bytes(bundled_docx))
    question = document.styles["Briefing Question"]
    context = document.styles["Briefing Context"]
    assert question.font.size > context.font.size
    assert document.styles["Heading 2"].font.size == Pt(19)


def io_bytes(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def test_table_of_contents_is_a_field_whose_cached_result_links_to_the_headings(
    bundled: Pack, bundled_docx: bytes
) -> None:
    document = part(bundled_docx, "word/document.xml")
    instructions = [text.strip() for text in document.xpath("//w:instrText/text()", namespaces=NS)]
    assert 'TOC \\o "1-3" \\h \\z' in instructions
    bookmarks = set(document.xpath("//w:bookmarkStart/@w:name", namespaces=NS))
    anchors = document.xpath(
        "//w:p[w:pPr/w:pStyle[starts-with(@w:val, 'toc')]]//w:hyperlink/@w:anchor", namespaces=NS
    )
    entries = len(bundled.days) + len(bundled.sessions) + len(bundled.questions)
    assert len(anchors) == entries
    assert set(anchors) <= bookmarks
    settings = part(bundled_docx, "word/settings.xml")
    assert settings.find("w:updateFields", NS).get(f"{{{W}}}val") == "true"


def test_header_title_and_footer_page_fields(rich: Pack) -> None:
    # Each part is a section: the cover's has an empty header and footer, the last
    # (the session's) the running header and "Page X of Y".
    data = render(rich)
    document = part(data, "word/document.xml")
    relationships = part(data, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): rel.get("Target") for rel in relationships}

    def story(section: object, kind: str) -> object:
        reference = section.find(f"w:{kind}Reference[@w:type='default']", NS)  # type: ignore[attr-defined]
        return part(data, f"word/{targets[reference.get(f'{{{R}}}id')]}")

    cover, *_, last = document.xpath("//w:sectPr", namespaces=NS)
    assert document.xpath("//w:titlePg", namespaces=NS) == []
    footer = story(last, "footer")
    assert [t.strip() for t in footer.xpath("//w:instrText/text()", namespaces=NS)] == [
        "PAGE",
        "NUMPAGES",
    ]
    assert "".join(footer.xpath("//w:t/text()", namespaces=NS)) == "ConfidentialPage 1 of 1"
    assert story(cover, "footer").xpath("//w:t/text()", namespaces=NS) == []
    assert story(cover, "header").xpath("//w:t/text()", namespaces=NS) == []
    header = story(last, "header")
    assert header.xpath("//w:t/text()", namespaces=NS) == [
        "Board Offsite",
        "Session 1: Capital allocation",
    ]


def test_at_a_glance_is_a_table_whose_header_row_repeats(
    bundled: Pack, bundled_docx: bytes
) -> None:
    document = python_docx.Document(io_bytes(bundled_docx))
    (table,) = document.tables
    assert [cell.text for cell in table.rows[0].cells] == [
        "Day",
        "Time",
        "Session",
        "Speakers",
        "Questions",
    ]
    assert table.rows[0]._tr.find("w:trPr/w:tblHeader", NS) is not None
    assert [row.cells[4].text for row in table.rows[1:]] == [
        str(len(session.questions)) for session in bundled.sessions
    ]


def test_markdown_becomes_word_formatting_links_and_lists(rich: Pack) -> None:
    data = render(rich)
    names = style_names(data)
    document = part(data, "word/document.xml")
    runs = {
        ("".join(run.xpath("w:t/text()", namespaces=NS)), names.get(style, style))
        for run in document.iterfind(".//w:r", NS)
        for style in run.xpath("w:rPr/w:rStyle/@w:val", namespaces=NS)
    }
    assert ("this", "Strong") in runs
    assert ("conversion", "Emphasis") in runs
    assert ("maturity", "Briefing Code") in runs
    assert ("both", "Briefing Strong Emphasis") in runs
    (link,) = document.xpath("//w:hyperlink[@r:id]", namespaces=NS)
    assert "".join(link.xpath(".//w:t/text()", namespaces=NS)) == "the memo"
    relationships = part(data, "word/_rels/document.xml.rels")
    (relationship,) = [r for r in relationships if r.get("Id") == link.get(f"{{{R}}}id")]
    assert relationship.get("Target") == "https://example.com/memo"
    assert relationship.get("TargetMode") == "External"

    items = [
        (
            "".join(p.xpath(".//w:t/text()", namespaces=NS)),
            p.find("w:pPr/w:numPr/w:numId", NS).get(f"{{{W}}}val"),
        )
        for p in document.xpath("//w:p[w:pPr/w:numPr]", namespaces=NS)
    ]
    assert [text for text, _ in items] == [
        "Cash conversion",
        "Debt maturity",
        "one",
        "both",
        "restarts at three",
        "four",
    ]
    first, second, third = items[0][1], items[2][1], items[4][1]
    assert len({first, second, third}) == 3
    assert items[1][1] == first
    numbering = part(data, "word/numbering.xml")

    def level_zero(num_id: str) -> tuple[str, str]:
        abstract = numbering.xpath(
            f"w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val", namespaces=NS
        )[0]
        level = numbering.xpath(
            f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='0']", namespaces=NS
        )[0]
        return (
            level.find("w:numFmt", NS).get(f"{{{W}}}val"),
            level.find("w:start", NS).get(f"{{{W}}}val"),
        )

    assert level_zero(first) == ("decimal", "1")
    assert level_zero(second)[0] == "bullet"
    assert level_zero(third) == ("decimal", "3")


def test_core_properties_come_from_the_content(rich: Pack) -> None:
    document = python_docx.Document(io_bytes(render(rich)))
    properties = document.core_properties
    assert properties.title == "Board Offsite"
    assert properties.subject == "Spring planning"
    assert properties.author == "Board Office"
    assert properties.keywords == "Capital allocation, Example Corp"
    assert properties.language == "en"
    assert properties.created.isoformat() == "2026-03-02T00:00:00+00:00"
    assert properties.modified == properties.created


def test_same_content_gives_the_same_bytes(bundled: Pack, bundled_docx: bytes) -> None:
    assert render(bundled) == bundled_docx
    assert "docProps/thumbnail.jpeg" not in parts(bundled_docx)


def test_source_date_epoch_sets_the_dates(bundled: Pack) -> None:
    settings = resolve_settings(bundled, {"SOURCE_DATE_EPOCH": "1767225600"})
    document = python_docx.Document(io_bytes(render_docx(bundled, settings).data))
    assert document.core_properties.created.isoformat() == "2026-01-01T00:00:00+00:00"


def test_document_xml_matches_the_golden_file(rich: Pack) -> None:
    matches_golden("rich-document.xml", canonical(part(render(rich), "word/document.xml")))


def test_reference_docx_gives_its_styles_and_page_setup(rich: Pack, tmp_path: Path) -> None:
    template = python_docx.Document()
    template.styles["Heading 2"].font.name = "Georgia"
    template.styles["Heading 2"].font.size = Pt(30)
    section = template.sections[0]
    section.page_width, section.page_height = section.page_height, section.page_width
    template.add_paragraph("Template body text that must not survive")
    reference = tmp_path / "company.docx"
    template.save(str(reference))

    data = render(rich, reference_docx=reference)
    document = python_docx.Document(io_bytes(data))
    assert document.styles["Heading 2"].font.name == "Georgia"
    assert document.styles["Heading 2"].font.size == Pt(30)
    # Styles the template lacks come from briefpack.
    assert document.styles["Briefing Question"].font.size == Pt(default_theme().sizes.question)
    assert document.sections[0].page_width > document.sections[0].page_height
    text = " ".join(p.text for p in document.paragraphs)
    assert "must not survive" not in text
    assert "Capital allocation" in text


def test_reference_docx_from_the_pack_options(write_pack: WritePack, tmp_path: Path) -> None:
    template = python_docx.Document()
    template.styles["Title"].font.size = Pt(40)
    template.save(str(tmp_path / "house.docx"))
    pack = valid(write_pack(MINIMAL_PACK + "options:\n  reference_docx: house.docx\n"))
    document = python_docx.Document(io_bytes(render(pack)))
    assert document.styles["Title"].font.size == Pt(40)


def test_reference_docx_outside_the_pack_folder_is_refused(write_pack: WritePack) -> None:
    path = write_pack(MINIMAL_PACK + "options:\n  reference_docx: ../elsewhere.docx\n")
    assert problems(path) == [
        "pack.yaml:12:19: 'reference_docx' must be a file in the pack's folder, "
        "not '../elsewhere.docx'"
    ]


def test_a_broken_reference_docx_is_a_clear_error(rich: Pack, tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(BriefpackError, match="not a usable Word document"):
        render(rich, reference_docx=broken)


def docx_words(data: bytes) -> str:
    """The text of the body from the first day heading on, without the block labels."""
    paragraphs = body_paragraphs(data)
    start = next(i for i, (style, _) in enumerate(paragraphs) if style == "Heading1")
    labels = {"Context", "Question"}
    return normalise(" ".join(text for style, text in paragraphs[start:] if text not in labels))


def pdf_words(data: bytes, pack: Pack) -> str:
    """The text of the session pages, without running header, footer and block labels."""
    pages = []
    for page in page_texts(data)[3:]:
        page = page[: page.rfind(pack.title)]
        pages.append(re.sub(r"\b(CONTEXT|QUESTION) ", "", page))
    return normalise(" ".join(pages))


def test_parity_the_docx_says_what_the_pdf_says(bundled: Pack, bundled_docx: bytes) -> None:
    settings = resolve_settings(bundled, {})
    pdf = pdf_words(render_pdf(bundled, settings).data, bundled)
    docx = docx_words(bundled_docx)
    # The only differences allowed are presentation: the PDF sets the day in
    # capitals and numbers questions without a full stop.
    docx_as_pdf = re.sub(r"(?<= )(\d+)\. ", r"\1 ", " " + docx).strip()
    day_heading = wording_for(bundled.options.language).day_heading
    for day in bundled.days:
        docx_as_pdf = docx_as_pdf.replace(day_heading(day.date), day_heading(day.date).upper())
    assert pdf == docx_as_pdf


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_opens_it_and_the_text_survives(
    bundled: Pack, bundled_docx: bytes, tmp_path: Path
) -> None:
    source = tmp_path / "pack.docx"
    source.write_bytes(bundled_docx)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    text = " ".join(page_texts((tmp_path / "pack.pdf").read_bytes()))
    for question in bundled.questions:
        assert question.title in text
        assert normalise(plain_text(question.question.blocks)) in text
    assert "Page 4 of" in text


def test_long_titles_fit_the_core_property_limit(write_pack: WritePack) -> None:
    title = "Strategy " * 40
    pack = valid(write_pack(MINIMAL_PACK.replace("title: Offsite", f"title: {title}")))
    properties = python_docx.Document(io_bytes(render(pack))).core_properties
    assert len(properties.title) <= 255
    assert properties.title.endswith("Strategy…")
    assert title.startswith(properties.title[:-1])


def test_the_word_logo_is_described_by_the_pack_s_owner_never_the_theme_folder(
    write_pack: WritePack, tmp_path: Path
) -> None:
    from briefpack.content.theme_file import load_theme

    folder = tmp_path / "acme-theme-v2"
    folder.mkdir()
    (folder / "logo.png").write_bytes(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        )
    )
    (folder / "theme.yaml").write_text("logo: logo.png\n", encoding="utf-8")
    theme = load_theme(folder, base=default_theme())
    for extra, expected in (("author: Board Office\n", "Board Office"), ("", "Offsite")):
        pack = valid(write_pack(MINIMAL_PACK + extra, f"p{len(extra)}.yaml"))
        data = render_docx(pack, RenderSettings(theme=theme)).data
        descriptions = {
            found
            for name in parts(data)
            if name.startswith(("word/document", "word/header"))
            for found in re.findall(r'descr="([^"]*)"', _xml(data, name))
        }
        assert descriptions == {expected}


def test_a_session_s_word_copy_is_titled_by_its_session_as_its_pdf_is() -> None:
    pack = load_pack(BUNDLED_PACK)
    session = pack.sessions[1]
    settings = RenderSettings(theme=default_theme(), session=session.id)
    core = _xml(render_docx(pack, settings).data, "docProps/core.xml")
    assert f"<dc:title>Session 2: AgentCore \u2013 {pack.title}</dc:title>" in core
    whole = _xml(render_docx(pack, RenderSettings(theme=default_theme())).data, "docProps/core.xml")
    assert f"<dc:title>{pack.title}</dc:title>" in whole


def _xml(data: bytes, name: str) -> str:
    """The text of one part of a Word file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")
