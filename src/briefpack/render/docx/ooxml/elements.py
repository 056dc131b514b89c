"""The raw elements every other helper builds from: runs, text and ordered properties."""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# ECMA-376 CT_PPr: the order in which paragraph properties must appear.
PARAGRAPH_PROPERTY_ORDER = (
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


def add_paragraph_property(properties: Any, child: Any) -> None:
    """Insert ``child`` into a ``w:pPr`` where the schema's element order puts it."""
    tag = child.tag.split("}")[1]
    position = PARAGRAPH_PROPERTY_ORDER.index(f"w:{tag}")
    properties.insert_element_before(child, *PARAGRAPH_PROPERTY_ORDER[position + 1 :])


def element(tag: str, /, **attributes: str) -> Any:
    """A new ``w:`` element with ``w:`` attributes, e.g. ``element("w:tab", val="right")``."""
    new = OxmlElement(tag)
    for name, value in attributes.items():
        new.set(qn(f"w:{name}"), value)
    return new


def make_run(*children: Any, style: str | None = None) -> Any:
    run = element("w:r")
    if style is not None:
        properties = element("w:rPr")
        properties.append(element("w:rStyle", val=style))
        run.append(properties)
    for child in children:
        run.append(child)
    return run


def text_node(text: str) -> Any:
    node = element("w:t")
    node.text = text
    if text != text.strip():
        # Without it, Word drops the spaces at either end of a run.
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return node


def text_run(text: str, style: str | None = None) -> Any:
    """A ``w:r`` holding ``text``, with an optional character style id."""
    return make_run(text_node(text), style=style)


def line_break() -> Any:
    """A ``w:r`` holding a line break, as python-docx's ``add_break`` makes it."""
    return make_run(element("w:br"))
