"""The theme's fonts inside the Word copy: each role's faces, subset to the characters it uses.

Word and LibreOffice both load fonts a .docx carries (ECMA-376 Part 1,
17.8.1), so the copy looks like the PDF, and wraps like it, on a machine
without the theme's fonts.  Each role whose family the copy embeds
(:attr:`~briefpack.model.theme.FontFamily.embed`) gives Word's four faces
(regular, bold, italic, bold italic) from the faces the theme has: a bold
from the nearest heavier face when the theme gives no bold.  Each face is
subset by HarfBuzz (through uharfbuzz) to the characters of every part of
the copy (its text, headers, footers, list bullets) and printable ASCII,
keeping every name so that the family's name in the file is the one the
styles give; a font whose ``fsType`` forbids subsetting goes whole.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path
from typing import Any

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from briefpack.model.theme import FontFamily, Theme
from briefpack.render.docx.emoji_runs import set_emoji_font
from briefpack.render.docx.ooxml.font_embedding import (
    FONT_RELATIONSHIP,
    OBFUSCATED_FONT,
    font_key,
    obfuscate,
    set_embedded_faces,
    set_embedding_settings,
)
from briefpack.render.theme_css import emoji_font

#: Always kept: what a reader may type, and the digits of page numbers Word fills in.
ALWAYS_KEPT = frozenset(chr(code) for code in range(0x20, 0x7F)) | {"\u00a0"}
_TEXT_TAGS = (qn("w:t"), qn("w:delText"))
_VML_TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"
_FONT_TABLE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
_FONT_TABLE_XML = (
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
)
_NO_SUBSETTING = 0x100


#: The family Word names for emoji: the emoji font's own name (its name 1).
EMOJI_FAMILY = "Noto Emoji"


def word_faces(family: FontFamily) -> dict[str, Path]:
    """Word's faces of ``family`` (slot -> file): a missing bold is the nearest heavier face."""
    bold = family.bold or family.semibold or family.medium
    faces = {
        "regular": family.regular,
        "bold": bold,
        "italic": family.italic,
        "bold_italic": family.bold_italic,
    }
    return {slot: path for slot, path in faces.items() if path is not None}


def embed_theme_fonts(document: Document, theme: Theme) -> None:
    """Embed in ``document`` each role's faces that its styles name, subset to its text.

    Call once everything is written: the subsets hold only the characters
    present.  A role whose family the copy names but does not embed (the
    theme's ``word:``, or a licence that forbids it) is left to the reader's fonts.
    """
    # Emoji first: their runs name the emoji font, which is then embedded like the rest.
    emoji = set_emoji_font(document, emoji_font(), EMOJI_FAMILY)
    named = _named_fonts(document)
    # Roles of one name (a theme's body in its headings' family) share Word's faces:
    # the first role's, and what it lacks from the next (the body's italics).
    families: dict[str, dict[str, Path]] = {}
    for family in (theme.fonts.heading, theme.fonts.body, theme.fonts.mono):
        if family.embed and family.word in named:
            slots = families.setdefault(family.word, {})
            for slot, path in word_faces(family).items():
                slots.setdefault(slot, path)
    if emoji:
        families[EMOJI_FAMILY] = {"regular": emoji_font()}
    if not families:
        return
    characters = "".join(sorted(_used_characters(document) | ALWAYS_KEPT))
    table_part = _font_table_part(document)
    table = table_part.element
    taken = {str(part.partname) for part in document.part.package.iter_parts()}
    names = (f"/word/fonts/font{number}.odttf" for number in itertools.count(1))
    for name, slots in families.items():
        faces: dict[str, tuple[str, str]] = {}
        for slot, path in slots.items():
            data = as_word_face(subset_face(path, characters), name, slot)
            key = font_key(data)
            partname = next(candidate for candidate in names if candidate not in taken)
            part = Part(
                PackURI(partname), OBFUSCATED_FONT, obfuscate(data, key), document.part.package
            )
            faces[slot] = (table_part.relate_to(part, FONT_RELATIONSHIP), key)
        set_embedded_faces(table, name, faces, fixed_pitch=name == theme.fonts.mono.word)
    set_embedding_settings(document.settings.element)


def subset_face(path: Path, characters: str) -> bytes:
    """The face in ``path`` with only the glyphs of ``characters``, as a TrueType/OpenType file.

    Cached per process, by the file's size and time too (``watch`` rebuilds
    after a theme's font changes): a build's copies share their characters
    but for a recipient's name, and a face is the same for every copy.
    Every name table entry is kept (Word and LibreOffice load the face by
    its family's name); hinting is dropped, as WeasyPrint's subsets drop it.
    """
    status = path.stat()
    return _subset(path, status.st_size, status.st_mtime_ns, characters)


@functools.lru_cache(maxsize=64)
def _subset(path: Path, size: int, modified: int, characters: str) -> bytes:
    import uharfbuzz as hb

    del size, modified  # part of the cache's key only
    data = _sfnt(path.read_bytes())
    face = hb.Face(hb.Blob(data))
    if _fs_type(face) & _NO_SUBSETTING:
        return data
    kept = hb.SubsetInput()
    kept.unicode_set.update(ord(character) for character in characters)
    for every in (kept.name_id_set, kept.name_lang_id_set):
        every.clear()
        every.invert()  # all of them
    kept.flags = hb.SubsetFlags.NO_HINTING
    return bytes(hb.subset(face, kept).blob.data)


#: Word's four faces by the style name a font file gives (name 2), and their style bits.
_STYLES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "Bold Italic"}
_ALSO_REGULAR = frozenset({"Book", "Normal", "Roman"})


@functools.lru_cache(maxsize=64)
def as_word_face(font: bytes, family: str, slot: str) -> bytes:
    """``font`` named as face ``slot`` of ``family``, as Word finds embedded faces.

    Word (and Windows) groups the faces of a family by their name 1 and tells
    them apart by name 2 and the style bits: a semibold file standing in for
    the bold, or a face named for another family, is renamed (names 1, 2, 4
    and 6; the typographic names dropped; ``fsSelection`` and ``macStyle``
    set) so that it is the family's bold.  A face already so named is kept as
    it is, without loading fontTools.  Cached, as the subsets are.
    """
    import uharfbuzz as hb

    face = hb.Face(hb.Blob(font))
    own_family = face.get_name(hb.OTNameIdPredefined.FONT_FAMILY)
    own_style = str(face.get_name(hb.OTNameIdPredefined.FONT_SUBFAMILY) or "")
    style = _STYLES[slot]
    if own_family == family and (
        own_style == style or (slot == "regular" and own_style in _ALSO_REGULAR)
    ):
        return font
    return _renamed(font, family, slot)


def _renamed(font: bytes, family: str, slot: str) -> bytes:
    import io

    from fontTools.ttLib import TTFont

    opened = TTFont(io.BytesIO(font), recalcTimestamp=False)  # the same bytes every build
    style = _STYLES[slot]
    names = opened["name"]
    for typographic in (16, 17, 21, 22):
        names.removeNames(nameID=typographic)
    full = family if slot == "regular" else f"{family} {style}"
    given = {1: family, 2: style, 4: full, 6: f"{family}-{style}".replace(" ", "")}
    for record in names.names:
        if record.nameID in given:
            record.string = given[record.nameID]
    bold, italic = slot in ("bold", "bold_italic"), slot in ("italic", "bold_italic")
    os2 = opened["OS/2"]
    # fsSelection: italic (bit 0), bold (5), regular (6); macStyle: bold (0), italic (1).
    selection = os2.fsSelection & ~0b1100001
    os2.fsSelection = selection | italic | (bold << 5) | ((not bold and not italic) << 6)
    opened["head"].macStyle = (opened["head"].macStyle & ~0b11) | bold | (italic << 1)
    output = io.BytesIO()
    opened.save(output, reorderTables=False)
    return output.getvalue()


def _sfnt(data: bytes) -> bytes:
    """``data`` as a plain TrueType/OpenType file: a WOFF or WOFF2 font decompressed."""
    if data[:4] not in (b"wOFF", b"wOF2"):
        return data
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    font.flavor = None
    output = io.BytesIO()
    font.save(output, reorderTables=False)
    return output.getvalue()


def _fs_type(face: Any) -> int:
    """The face's OS/2 ``fsType`` (bytes 8-9 of the table), 0 without one."""
    table = bytes(face.reference_table("OS/2").data)
    return int.from_bytes(table[8:10], "big") if len(table) >= 10 else 0


def _used_characters(document: Document) -> set[str]:
    """Every character of the text of every part: body, headers, footers, notes, bullets, marks."""
    # Gathered as strings and joined, in one walk of each part: a large copy has
    # tens of thousands of text nodes.
    texts: list[str] = []
    level_text, value = qn("w:lvlText"), qn("w:val")
    for part in document.part.package.iter_parts():
        if not isinstance(part, XmlPart):
            continue
        for node in part.element.iter(*_TEXT_TAGS, level_text, _VML_TEXTPATH):
            if node.tag == level_text:
                texts.append(node.get(value, ""))
            elif node.tag == _VML_TEXTPATH:
                # A watermark's words are an attribute of its WordArt, in the heading font.
                texts.append(node.get("string", ""))
            else:
                texts.append(node.text or "")
    return set("".join(texts))


def _named_fonts(document: Document) -> set[str]:
    """Every font that a style or a run of ``document`` names."""
    named: set[str] = set()
    attributes = [qn(f"w:{script}") for script in ("ascii", "hAnsi", "cs", "eastAsia")]
    for part in document.part.package.iter_parts():
        if isinstance(part, XmlPart):
            for fonts in part.element.iter(qn("w:rFonts")):
                named.update(fonts.get(attribute) or "" for attribute in attributes)
    return named


def _font_table_part(document: Document) -> XmlPart:
    """The document's font table as a part whose XML can be changed (python-docx reads bytes)."""
    main = document.part
    for relationship_id, relationship in list(main.rels.items()):
        if relationship.reltype != RELATIONSHIP_TYPE.FONT_TABLE or relationship.is_external:
            continue
        old = relationship.target_part
        if isinstance(old, XmlPart):
            return old
        new = XmlPart(old.partname, old.content_type, parse_xml(old.blob), old.package)
        for kept in old.rels.values():  # a company template's own embedded fonts
            target = kept.target_ref if kept.is_external else kept.target_part
            new.load_rel(kept.reltype, target, kept.rId, kept.is_external)
        main.drop_rel(relationship_id)
        main.load_rel(RELATIONSHIP_TYPE.FONT_TABLE, new, relationship_id)
        return new
    table = XmlPart(
        PackURI("/word/fontTable.xml"), _FONT_TABLE_TYPE, parse_xml(_FONT_TABLE_XML), main.package
    )
    main.relate_to(table, RELATIONSHIP_TYPE.FONT_TABLE)
    return table
