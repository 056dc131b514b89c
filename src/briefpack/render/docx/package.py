"""The Word copy's package: its template, page setup, language and document properties.

Everything about the document as a file rather than its body:
:mod:`briefpack.render.docx.writer` writes the body into what these set up.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
from babel import Locale
from babel.core import get_global
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm

from briefpack import __version__
from briefpack.errors import BriefpackError, Problem
from briefpack.model import Pack
from briefpack.model.theme import Theme
from briefpack.render import wording as display
from briefpack.render.docx import ooxml
from briefpack.render.docx.ooxml import pictures
from briefpack.render.docx.reference import clean_reference
from briefpack.render.docx.styles import LINE_SPACING, apply_styles
from briefpack.render.settings import RenderSettings

#: Page sizes (width, height) in millimetres.
PAPER = {"a4": (210, 297), "letter": (215.9, 279.4)}


def word_language(tag: str) -> str:
    """The language and region Word expects (``de-DE``) for a tag that may omit the region (``de``).

    Word picks its spelling and hyphenation dictionaries by region; the
    region a language most likely means comes from the CLDR, through Babel.
    """
    locale = Locale.parse(tag, sep="-")
    territory = locale.territory
    if territory is None:
        likely_subtags = get_global("likely_subtags")
        likely = likely_subtags.get(str(locale)) or likely_subtags.get(locale.language)
        territory = Locale.parse(likely).territory if likely else None
    # A script only when the tag names one: Word knows zh-CN, not zh-Hans-CN.
    return "-".join(part for part in (locale.language, locale.script, territory) if part)


def open_template(reference: Path | None) -> Document:
    """python-docx's own template, or a company template given by the user.

    A company template is cleaned first (:mod:`~briefpack.render.docx.reference`):
    it gives styles and page setup, never objects, macros, outside links or fields.
    """
    if reference is None:
        return docx.Document()
    try:
        document = docx.Document(str(reference))
        clean_reference(document)
        make_template_drawings_accessible(document)
        return document
    except Exception as error:  # python-docx and lxml raise several kinds for a bad package
        raise BriefpackError(
            [Problem(str(reference), f"not a usable Word document: {error}")]
        ) from None


VML = "urn:schemas-microsoft-com:vml"
#: What makes a VML shape draw something: a picture, words, a text box, a filled image.
VML_CONTENT = ("textpath", "textbox", "fill", "imagedata")


def make_template_drawings_accessible(document: Document) -> None:
    """Leave no drawing of a company template's headers and footers without alt text.

    Word's Accessibility Checker reports each ("Missing alternative text").
    A picture there without any (a logo on every page) is marked decorative,
    as Microsoft advises for what the header repeats; a WordArt watermark
    (VML) gets its own words as alt text; a VML shape the cleaning left with
    nothing to draw (its picture was outside the package) is dropped.
    """
    for part in document.part.package.iter_parts():
        if not str(part.partname).startswith(("/word/header", "/word/footer")):
            continue
        root = part.element
        for properties in root.iter(qn("wp:docPr")):
            if not (properties.get("descr") or "").strip() and not _is_decorative(properties):
                pictures.mark_drawing_decorative(properties)
        for picture in list(root.iter(qn("w:pict"))):
            # Only the shapes themselves: v:shapetype defines a shape, and draws nothing.
            for shape in list(picture):
                if (
                    shape.tag != f"{{{VML}}}shapetype"
                    and _namespace(shape) == VML
                    and not (shape.get("alt") or "").strip()
                ):
                    _describe_or_drop(picture, shape)


def _namespace(element: Any) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag[1:].split("}")[0] if tag.startswith("{") else ""


def _is_decorative(properties: Any) -> bool:
    return any(
        extension.get("uri") == pictures.DECORATIVE_EXTENSION
        for extension in properties.iter(f"{{{pictures.DRAWING_NAMESPACE}}}ext")
    )


def _describe_or_drop(picture: Any, shape: Any) -> None:
    words = [path.get("string", "") for path in shape.iter(f"{{{VML}}}textpath")]
    if any(word.strip() for word in words):
        pictures.describe_shape(shape, " ".join(word.strip() for word in words if word.strip()))
        return
    drawn = [
        node
        for node in shape.iter()
        if isinstance(node.tag, str)
        and node.tag.split("}")[-1] in VML_CONTENT
        and any(name.endswith(("}id", "}relid", "}href", "src")) for name in node.attrib)
    ]
    if not drawn and shape.find(f".//{{{VML}}}textbox") is None:
        picture.remove(shape)


def clear_body(document: Document) -> None:
    """Remove a template's body content, keeping its final section properties."""
    document.element.body.clear_content()


def text_width(document: Document) -> float:
    """The width between the first section's margins, in millimetres (A4's if unset)."""
    return section_text_width(document.sections[0])


def section_text_width(section: Section) -> float:
    """The width between ``section``'s margins, in millimetres (A4's if unset)."""
    width, left, right = section.page_width, section.left_margin, section.right_margin
    if width is None or left is None or right is None:
        return PAPER["a4"][0] - 2 * 25.4
    return float(width.mm - left.mm - right.mm)


def page_setup(document: Document, paper: str, theme: Theme) -> None:
    margins = theme.margins
    width, height = PAPER[paper]
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
    section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
    # Word places the header from the page's edge, the PDF from the text: the
    # same gap to the text, from the theme's spacing and the line's height.
    section.header_distance = Mm(
        edge_distance(margins.top, theme.spacing.header, theme.sizes.header)
    )
    section.footer_distance = Mm(
        edge_distance(margins.bottom, theme.spacing.footer, theme.sizes.footer)
    )


def edge_distance(margin: float, gap: float, size: float) -> float:
    """Millimetres from the page's edge to a running line of ``size`` points ``gap`` points
    from the text, inside a margin of ``margin`` millimetres; never nearer the edge than 5 mm."""
    line = size * LINE_SPACING
    return max(5.0, margin - (gap + line) * MM_PER_POINT)


#: Millimetres in a point.
MM_PER_POINT = 25.4 / 72

#: python-docx refuses longer core property values.
CORE_PROPERTY_LIMIT = 255


def set_properties(
    document: Document,
    pack: Pack,
    settings: RenderSettings,
    title: str,
    keywords: Sequence[str],
    language: str,
) -> None:
    """The core properties: ``title``, ``keywords`` and the printed ``language`` as the view
    has them, and never the clock."""
    properties = document.core_properties
    limit = CORE_PROPERTY_LIMIT
    properties.title = display.fit(title, limit)
    properties.subject = display.fit(pack.subtitle or "", limit)
    properties.author = display.fit(pack.author or "", limit)
    properties.keywords = display.fit(", ".join(keywords), limit)
    # The words printed: English for a language without a catalogue (ja).
    properties.language = language
    properties.comments = f"Made with briefpack {__version__}"
    properties.category = ""
    properties.last_modified_by = display.fit(pack.author or "briefpack", limit)
    properties.revision = 1
    # Never the clock: the same content gives the same file.
    properties.created = properties.modified = properties.last_printed = settings.created.replace(
        tzinfo=None
    )


#: The extended properties briefpack writes: who made the file, and no statistics.
APPLICATION_PROPERTIES = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"><Application>briefpack</Application><DocSecurity>0</DocSecurity>'
    b"<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    b"<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def set_application(document: Document) -> None:
    """Say that briefpack made the file (``docProps/app.xml``), not the template's maker.

    python-docx's template says "Microsoft Macintosh Word" 14.0 with one page
    and no words, and a company template says whatever made it: both false
    of this file.  Word and LibreOffice write their own name here when they
    save a copy, so the name also tells a file briefpack wrote from one
    edited since.
    """
    package = document.part.package
    for relationship in package.rels.values():
        if relationship.reltype == RELATIONSHIP_TYPE.EXTENDED_PROPERTIES:
            relationship.target_part._blob = APPLICATION_PROPERTIES
            return
    part = Part(
        PackURI("/docProps/app.xml"), CONTENT_TYPE.OFC_EXTENDED_PROPERTIES,
        APPLICATION_PROPERTIES, package,
    )  # fmt: skip
    package.relate_to(part, RELATIONSHIP_TYPE.EXTENDED_PROPERTIES)


#: A drawing's id attribute (``wp:docPr``, with the prefix python-docx gives it).
_DRAWING_ID = re.compile(rb'(<wp:docPr\b[^>]*?\bid=")(\d+)(")')
#: The parts that hold drawings, in the order Word reads them.
_DRAWING_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


#: Word 2010's copy of styles.xml with its text effects (MS-DOCX 2.3.3).
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def remove_styles_with_effects(document: Document) -> None:
    """Drop the ``stylesWithEffects`` part that python-docx's template (Word 2010's) carries.

    It is an optional copy of styles.xml that only Word 2010 reads, and it
    must match styles.xml: once briefpack adds its styles and sets the
    document's language it no longer does, and Word may then call the file
    unreadable.  Word 2013 and later never write it and read styles.xml
    alone; without it Word 2010 does too.  Dropping the relationship drops
    the part and its content type when python-docx saves.
    """
    rels = document.part.rels
    for relationship_id, relationship in list(rels.items()):
        if relationship.reltype == STYLES_WITH_EFFECTS:
            del rels[relationship_id]
            rels._target_parts_by_rId.pop(relationship_id, None)


def remove_thumbnail(document: Document) -> None:
    """Drop the template's thumbnail image, which would show another document."""
    package = document.part.package
    for relationship_id, relationship in list(package.rels.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[relationship_id]


def normalise_zip(data: bytes, moment: dt.datetime) -> bytes:
    """Rewrite a .docx with every entry stamped ``moment``, so equal content gives equal bytes,
    and every picture (``wp:docPr``) of the package numbered once: 1, 2, 3…

    python-docx numbers a header's pictures apart from the body's, so a logo
    in both is id 1 twice (and a changes copy shows a moved question's pictures
    twice, where it was and where it is); Word may then repair the file
    (openxml-audit's Sem_DuplicateDocPrId).  Both in one pass over the package:
    each pass inflates and deflates every part again.
    """
    stamp = max(moment.astimezone(dt.UTC), dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    counter = 0

    def number(match: re.Match[bytes]) -> bytes:
        nonlocal counter
        counter += 1
        return match.group(1) + str(counter).encode() + match.group(3)

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if _DRAWING_PARTS.fullmatch(info.filename):
                content = _DRAWING_ID.sub(number, content)
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return output.getvalue()


#: Languages Word proofs and speaks by their script's own attribute of ``w:lang``
#: (ECMA-376 17.3.2.20): East Asian text by ``w:eastAsia``, right-to-left text by ``w:bidi``.
EAST_ASIAN = frozenset({"ja", "ko", "zh"})
RIGHT_TO_LEFT = frozenset({"ar", "dv", "fa", "he", "ps", "sd", "syr", "ug", "ur", "yi"})


def set_document_language(document: Document, tag: str, content: str | None = None) -> None:
    """Make ``tag`` (``de-DE``) the language of all text: spelling, grammar, hyphenation, speech.

    Set on the default run properties (``w:docDefaults``), which every style
    inherits unless it names a language of its own, and as the language of
    the theme's fonts (``w:themeFontLang``), which Word shows as the
    document's language and screen readers take to choose a voice.  With
    ``content``, the language the pack's own text is in (``ja``), text in an
    East Asian or right-to-left script is in that language while the printed
    words stay in ``tag``: Word picks the attribute by each character's script.
    """
    attributes = {"w:val": tag}
    if content is not None:
        language = word_language(content)
        primary = language.split("-")[0].lower()
        if primary in EAST_ASIAN:
            attributes["w:eastAsia"] = language
        elif primary in RIGHT_TO_LEFT:
            attributes["w:bidi"] = language
    for name, value in attributes.items():
        _run_defaults_language(document).set(qn(name), value)
        _theme_font_language(document).set(qn(name), value)


def _run_defaults_language(document: Document) -> Any:
    """The default run properties' ``w:lang`` (styles.xml), made if missing."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = ooxml.element("w:docDefaults")
        styles.insert(0, defaults)
    run_default = defaults.find(qn("w:rPrDefault"))
    if run_default is None:
        run_default = ooxml.element("w:rPrDefault")
        defaults.insert(0, run_default)
    properties = run_default.find(qn("w:rPr"))
    if properties is None:
        properties = ooxml.element("w:rPr")
        run_default.append(properties)
    language = properties.find(qn("w:lang"))
    if language is None:
        # w:lang is last but for w:eastAsianLayout, w:specVanish and w:oMath in CT_RPr.
        language = ooxml.element("w:lang")
        ooxml.insert_before(properties, language, ("w:eastAsianLayout", "w:specVanish", "w:oMath"))
    return language


def _theme_font_language(document: Document) -> Any:
    """The settings' ``w:themeFontLang``, made if missing (a company template may lack it)."""
    settings = document.settings.element
    language = settings.find(qn("w:themeFontLang"))
    if language is None:
        language = ooxml.element("w:themeFontLang")
        order = ooxml.SETTINGS_AFTER_UPDATE_FIELDS
        successors = order[order.index("w:themeFontLang") + 1 :]
        ooxml.insert_before(settings, language, successors)
    return language


def styled_document(settings: RenderSettings) -> Document:
    """A document to write into: the company template's (or python-docx's), emptied, its
    page set up from the theme when there is no template, and briefpack's styles applied.

    The pack's copy and the minutes both start so, and so look alike.
    """
    reference = settings.reference_docx
    document = open_template(reference)
    clear_body(document)
    theme = settings.chosen_theme
    if reference is None:
        page_setup(document, settings.paper, theme)
    apply_styles(
        document,
        theme,
        restyle_existing=reference is None,
        text_width_mm=text_width(document),
    )
    return document
