"""OOXML that python-docx lacks: fields, links, bookmarks, lists, tracked changes and more.

Every piece of raw WordprocessingML the Word writer puts in the document's
body and styles lives here, behind a named helper, so that the writer itself
reads as a description of the document (what concerns the file as a whole,
its language and parts, is :mod:`~briefpack.render.docx.package`'s).
References: ECMA-376 Part 1, sections 17.16 (fields), 17.9 (numbering),
17.13.6 (bookmarks) and 17.13.5 (revisions: tracked changes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.table import _Row
from docx.text.paragraph import Paragraph

# ---------------------------------------------------------------- elements

# ECMA-376 CT_PPr: the order in which paragraph properties must appear.
_PARAGRAPH_PROPERTY_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def insert_before(parent: Any, child: Any, successors: tuple[str, ...]) -> None:
    """Insert ``child`` before the first existing child named in ``successors``, else last.

    WordprocessingML fixes the order of child elements; Word refuses files
    that break it.  For the elements python-docx has a class for, its own
    ``insert_element_before`` does this; this is for the others (``w:pBdr``).
    """
    names = {qn(name) for name in successors}
    for existing in parent:
        if existing.tag in names:
            existing.addprevious(child)
            return
    parent.append(child)


def _add_paragraph_property(properties: Any, child: Any) -> None:
    """Insert ``child`` into a ``w:pPr`` where the schema's element order puts it."""
    tag = child.tag.split("}")[1]
    position = _PARAGRAPH_PROPERTY_ORDER.index(f"w:{tag}")
    properties.insert_element_before(child, *_PARAGRAPH_PROPERTY_ORDER[position + 1 :])


def element(tag: str, /, **attributes: str) -> Any:
    """A new ``w:`` element with ``w:`` attributes, e.g. ``element("w:tab", val="right")``."""
    new = OxmlElement(tag)
    for name, value in attributes.items():
        new.set(qn(f"w:{name}"), value)
    return new


def _run(*children: Any, style: str | None = None) -> Any:
    run = element("w:r")
    if style is not None:
        properties = element("w:rPr")
        properties.append(element("w:rStyle", val=style))
        run.append(properties)
    for child in children:
        run.append(child)
    return run


def _text(text: str) -> Any:
    node = element("w:t")
    node.text = text
    if text != text.strip():
        # Without it, Word drops the spaces at either end of a run.
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return node


def text_run(text: str, style: str | None = None) -> Any:
    """A ``w:r`` holding ``text``, with an optional character style id."""
    return _run(_text(text), style=style)


def line_break() -> Any:
    """A ``w:r`` holding a line break, as python-docx's ``add_break`` makes it."""
    return _run(element("w:br"))


# ---------------------------------------------------------------- fields


def begin_field(paragraph: Paragraph, instruction: str) -> None:
    """Open a complex field: its instruction follows, then its cached result."""
    paragraph._p.append(_run(element("w:fldChar", fldCharType="begin")))
    instruction_text = element("w:instrText")
    instruction_text.text = f" {instruction} "
    instruction_text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    paragraph._p.append(_run(instruction_text))
    paragraph._p.append(_run(element("w:fldChar", fldCharType="separate")))


def end_field(paragraph: Paragraph) -> None:
    """Close the complex field opened last (possibly in an earlier paragraph)."""
    paragraph._p.append(_run(element("w:fldChar", fldCharType="end")))


def add_field(
    paragraph: Paragraph, instruction: str, cached: str, style: str | None = None
) -> None:
    """Append a field such as ``PAGE`` with ``cached`` as its result until it is updated."""
    begin_field(paragraph, instruction)
    paragraph._p.append(text_run(cached, style))
    end_field(paragraph)


def update_fields_on_open(document: Document) -> None:
    """Ask the word processor to refresh fields (the table of contents) when opening."""
    settings = document.settings.element
    existing = settings.find(qn("w:updateFields"))
    if existing is None:
        existing = element("w:updateFields")
        settings.insert_element_before(existing, *_SETTINGS_AFTER_UPDATE_FIELDS)
    existing.set(qn("w:val"), "true")


# ---------------------------------------------------------------- links and bookmarks


def add_bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Mark the whole of ``paragraph`` as bookmark ``name`` (a link target)."""
    start = element("w:bookmarkStart", id=str(number), name=name)
    end = element("w:bookmarkEnd", id=str(number))
    properties = paragraph._p.find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def internal_link(anchor: str, *runs: Any) -> Any:
    """A ``w:hyperlink`` to bookmark ``anchor`` holding ``runs``."""
    link = element("w:hyperlink", anchor=anchor, history="1")
    for run in runs:
        link.append(run)
    return link


def external_link(paragraph: Paragraph, url: str, *runs: Any) -> Any:
    """A ``w:hyperlink`` to ``url`` (through a relationship of the paragraph's part)."""
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    link.set(qn("w:history"), "1")
    for run in runs:
        link.append(run)
    return link


def add_tab(paragraph: Paragraph, style: str | None = None) -> None:
    """Append a tab character."""
    paragraph._p.append(_run(element("w:tab"), style=style))


# ---------------------------------------------------------------- pictures


def describe_picture(shape: Any, description: str) -> None:
    """Give an inline picture its alt text (``wp:docPr/@descr``), which screen readers speak."""
    properties = shape._inline.docPr
    properties.set("descr", description)


# ---------------------------------------------------------------- content controls

#: What every content control briefpack writes is tagged with, before its kind and key.
CONTROL_TAG_PREFIX = "briefpack"


def text_control(
    number: int,
    title: str,
    tag: str,
    placeholder: str,
    paragraph_style: str,
    placeholder_style: str,
) -> Any:
    """A block-level plain-text content control (``w:sdt``, ECMA-376 17.5.2) for typing in.

    Multi-line (Enter makes a new line inside it), titled ``title`` where Word
    shows the control's name, tagged ``tag`` for harvesting, and showing
    ``placeholder`` until the reader types, which replaces it.
    """
    control = element("w:sdt")
    properties = element("w:sdtPr")
    properties.append(element("w:alias", val=title))
    properties.append(element("w:tag", val=tag))
    properties.append(element("w:id", val=str(number)))
    properties.append(element("w:showingPlcHdr"))
    properties.append(element("w:text", multiLine="1"))
    control.append(properties)
    content = element("w:sdtContent")
    paragraph = element("w:p")
    paragraph_properties = element("w:pPr")
    paragraph_properties.append(element("w:pStyle", val=paragraph_style))
    paragraph.append(paragraph_properties)
    paragraph.append(text_run(placeholder, placeholder_style))
    content.append(paragraph)
    control.append(content)
    return control


# ---------------------------------------------------------------- lists

BULLET_GLYPHS = ("\u2022", "\u2013", "\u25e6")


def list_definition(document: Document, ordered: bool, start: int = 1, indent: int = 0) -> int:
    """Define a new list and return its ``numId``.

    Every list gets its own abstract definition, so a numbered list always
    starts at ``start`` and never continues an earlier list.  ``indent`` (in
    twentieths of a point) is where the list's paragraphs would start without
    numbering: the numbering's own indentation replaces the style's.
    """
    numbering = document.part.numbering_part.element
    abstract_ids = [
        int(n.get(qn("w:abstractNumId"))) for n in numbering.findall(qn("w:abstractNum"))
    ]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id = max(abstract_ids, default=0) + 1
    num_id = max(num_ids, default=0) + 1

    abstract = element("w:abstractNum", abstractNumId=str(abstract_id))
    abstract.append(element("w:multiLevelType", val="hybridMultilevel"))
    for level in range(9):
        level_indent = indent + 360 * (level + 1)
        definition = element("w:lvl", ilvl=str(level))
        definition.append(element("w:start", val=str(start if level == 0 else 1)))
        if ordered:
            definition.append(element("w:numFmt", val="decimal"))
            definition.append(element("w:lvlText", val=f"%{level + 1}."))
        else:
            definition.append(element("w:numFmt", val="bullet"))
            definition.append(element("w:lvlText", val=BULLET_GLYPHS[level % 3]))
        definition.append(element("w:lvlJc", val="left"))
        paragraph_properties = element("w:pPr")
        paragraph_properties.append(element("w:ind", left=str(level_indent), hanging="360"))
        definition.append(paragraph_properties)
        abstract.append(definition)
    # abstractNum elements must all precede the num elements.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)

    num = element("w:num", numId=str(num_id))
    num.append(element("w:abstractNumId", val=str(abstract_id)))
    numbering.append(num)
    return num_id


def set_list_item(paragraph: Paragraph, num_id: int, level: int) -> None:
    """Make ``paragraph`` an item of list ``num_id`` at ``level`` (0-based)."""
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = level
    numbering.get_or_add_numId().val = num_id


# ---------------------------------------------------------------- tables


def repeat_as_header(row: _Row) -> None:
    """Repeat ``row`` at the top of every page the table runs onto, and never split it."""
    properties = row._tr.get_or_add_trPr()
    properties.append(element("w:cantSplit"))
    properties.append(element("w:tblHeader"))


def keep_row_together(row: _Row) -> None:
    """Never split ``row`` across pages."""
    row._tr.get_or_add_trPr().append(element("w:cantSplit"))


# ---------------------------------------------------------------- tracked changes

#: The revision elements: inserted, deleted, moved away (the old place), moved here.
REVISIONS = tuple(qn(f"w:{kind}") for kind in ("ins", "del", "moveFrom", "moveTo"))


def revision(kind: str, number: int, author: str, date: str) -> Any:
    """An empty ``w:ins``, ``w:del``, ``w:moveFrom`` or ``w:moveTo`` (``kind``) to hold runs."""
    return element(f"w:{kind}", id=str(number), author=author, date=date)


def as_deleted(container: Any) -> Any:
    """Turn the text under ``container`` into deleted text, which Word keeps in ``w:delText``."""
    renamed = {qn("w:t"): qn("w:delText"), qn("w:instrText"): qn("w:delInstrText")}
    for node in container.iter(*renamed):
        node.tag = renamed[node.tag]
    return container


def is_tracked(paragraph: Any) -> bool:
    """Whether ``paragraph`` is already wholly a revision (its paragraph mark is one)."""
    marks = paragraph.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    return marks is not None and any(child.tag in REVISIONS for child in marks)


def track_paragraph(paragraph: Any, mark: Callable[[], Any], deleting: bool) -> None:
    """Make the whole of ``paragraph`` one revision: its runs, in links too, and its mark.

    ``mark`` makes a revision element; runs already inside one are left as they are.
    """
    properties = paragraph.get_or_add_pPr()
    marks = properties.find(qn("w:rPr"))
    if marks is None:
        marks = element("w:rPr")
        _add_paragraph_property(properties, marks)
    # In CT_ParaRPr the revision marks come before any formatting.
    marks.insert(0, mark())
    _wrap_runs(paragraph, mark, deleting)


def _wrap_runs(parent: Any, mark: Callable[[], Any], deleting: bool) -> None:
    group = None
    for child in list(parent):
        if child.tag == qn("w:hyperlink"):
            # A hyperlink holds revisions, never the other way round.
            _wrap_runs(child, mark, deleting)
            group = None
        elif child.tag == qn("w:r"):
            if group is None:
                group = mark()
                child.addprevious(group)
            group.append(child)
            if deleting:
                as_deleted(child)
        else:
            group = None


def track_row(row: Any, mark: Any) -> None:
    """Mark a table row (``w:tr``) inserted or deleted as a whole."""
    row.get_or_add_trPr().append(mark)


def move_range(
    paragraphs: list[Any], kind: str, number: int, name: str, author: str, date: str
) -> None:
    """Enclose ``paragraphs`` in a move's range, named ``name`` in both its halves."""
    start = element(f"w:{kind}RangeStart", id=str(number), name=name, author=author, date=date)
    properties = paragraphs[0].find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        paragraphs[0].insert(0, start)
    paragraphs[-1].append(element(f"w:{kind}RangeEnd", id=str(number)))


# ---------------------------------------------------------------- style properties


def set_paragraph_border(
    style: BaseStyle, side: str, size_eighths: int, color: str, space: int = 4
) -> None:
    """Give a paragraph style a border on ``side`` (top, left, bottom, right, between)."""
    properties = style.element.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = element("w:pBdr")
        _add_paragraph_property(properties, borders)
    # Within w:pBdr the sides come in a fixed order; "between" separates
    # consecutive paragraphs that share the border, which would otherwise merge.
    order = ("top", "left", "bottom", "right", "between", "bar")
    successors = order[order.index(side) + 1 :]
    insert_before(
        borders,
        element(f"w:{side}", val="single", sz=str(size_eighths), space=str(space), color=color),
        tuple(f"w:{later}" for later in successors),
    )


def clear_paragraph_decoration(style: BaseStyle) -> None:
    """Remove a paragraph style's borders and background fill."""
    style.element.get_or_add_pPr().remove_all("w:pBdr", "w:shd")


def set_style_font(style: BaseStyle, name: str) -> None:
    """Name the font of a style for every script, overriding the document theme's fonts."""
    properties = style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = element("w:rFonts")
        properties.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{script}"), name)


def set_paragraph_shading(style: BaseStyle, fill: str) -> None:
    """Give a paragraph style a background fill (hex RGB)."""
    properties = style.element.get_or_add_pPr()
    _add_paragraph_property(properties, element("w:shd", val="clear", color="auto", fill=fill))


def set_table_borders(style: BaseStyle, color: str, size_eighths: int = 4) -> None:
    """Give a table style hairlines between rows and above and below the table."""
    properties = style.element.find(qn("w:tblPr"))
    if properties is None:
        properties = element("w:tblPr")
        style.element.append(properties)
    borders = element("w:tblBorders")
    for side in ("top", "bottom", "insideH"):
        borders.append(
            element(f"w:{side}", val="single", sz=str(size_eighths), space="0", color=color)
        )
    properties.append(borders)
    margins = element("w:tblCellMar")
    for side in ("top", "bottom"):
        margins.append(element(f"w:{side}", w="60", type="dxa"))
    properties.append(margins)


def set_outline_level(style: BaseStyle, level: int | None) -> None:
    """Set (or with ``None`` remove) the outline level that shows a style in navigation."""
    properties = style.element.get_or_add_pPr()
    properties.remove_all("w:outlineLvl")
    if level is not None:
        _add_paragraph_property(properties, element("w:outlineLvl", val=str(level)))
