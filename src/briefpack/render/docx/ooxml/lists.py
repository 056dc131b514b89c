"""Numbering (ECMA-376 17.9): every list its own definition."""

from __future__ import annotations

from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefpack.render.docx.ooxml.elements import element

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
