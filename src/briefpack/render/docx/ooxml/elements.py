"""The raw elements every other helper builds from: runs, text and ordered properties."""

from __future__ import annotations

from functools import cache
from typing import Any

from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser
from lxml.etree import SubElement  # type: ignore[import-untyped]

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


_PARAGRAPH_PROPERTIES = qn("w:pPr")
_PARAGRAPH_STYLE = qn("w:pStyle")
#: What comes after ``w:pStyle`` in a ``w:pPr``, ranked in the schema's order.
_AFTER_STYLE = {qn(name): rank for rank, name in enumerate(PARAGRAPH_PROPERTY_ORDER[1:])}


def set_paragraph_style(paragraph: Any, style_id: str | None) -> None:
    """Give the ``w:p`` ``paragraph`` the style ``style_id`` (``None``: no style of its own).

    The XML python-docx's ``get_or_add_pPr().style = style_id`` writes (a ``w:pPr``
    even for ``None``), found in one pass over the properties: python-docx
    searches them once for each of the 35 properties that may follow the style.
    """
    properties = paragraph.find(_PARAGRAPH_PROPERTIES)
    if properties is None:
        properties = element("w:pPr")
        paragraph.insert(0, properties)
    if style_id is None:
        for style in properties.findall(_PARAGRAPH_STYLE):
            properties.remove(style)
        return
    style = properties.find(_PARAGRAPH_STYLE)
    if style is None:
        style = element("w:pStyle")
        # Before the successor first in the schema's order, as python-docx places it.
        ranked = [
            (_AFTER_STYLE[each.tag], position)
            for position, each in enumerate(properties)
            if each.tag in _AFTER_STYLE
        ]
        if ranked:
            properties[min(ranked)[1]].addprevious(style)
        else:
            properties.append(style)
    style.set(_attribute("val"), style_id)


def element(tag: str, /, **attributes: str) -> Any:
    """A new ``w:`` element with ``w:`` attributes, e.g. ``element("w:tab", val="right")``.

    python-docx's ``OxmlElement`` makes it, less its parsing of the tag on every call
    (a large pack's copy makes a hundred thousand elements).
    """
    clark, namespaces = _tag(tag)
    new = oxml_parser.makeelement(clark, nsmap=namespaces)
    for name, value in attributes.items():
        new.set(_attribute(name), value)
    return new


@cache
def _tag(tag: str) -> tuple[str, dict[str, str]]:
    """A prefixed tag's Clark name and the one namespace ``OxmlElement`` declares for it."""
    prefix = tag.split(":")[0]
    return qn(tag), {prefix: nsmap[prefix]}


@cache
def _attribute(name: str) -> str:
    return qn(f"w:{name}")


def child(parent: Any, tag: str, /, **attributes: str) -> Any:
    """A new ``w:`` element made inside ``parent``, last: the XML of :func:`element` appended
    there, made in half the time (it declares no namespace of its own to drop later)."""
    new = SubElement(parent, _tag(tag)[0])
    for name, value in attributes.items():
        new.set(_attribute(name), value)
    return new


def make_run(*children: Any, style: str | None = None) -> Any:
    run = element("w:r")
    if style is not None:
        child(child(run, "w:rPr"), "w:rStyle", val=style)
    for each in children:
        run.append(each)
    return run


def text_node(text: str) -> Any:
    node = element("w:t")
    _set_text(node, text)
    return node


def _set_text(node: Any, text: str) -> None:
    node.text = text
    if text != text.strip():
        # Without it, Word drops the spaces at either end of a run.
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def text_run(text: str, style: str | None = None) -> Any:
    """A ``w:r`` holding ``text``, with an optional character style id."""
    run = make_run(style=style)
    _set_text(child(run, "w:t"), text)
    return run


def line_break() -> Any:
    """A ``w:r`` holding a line break, as python-docx's ``add_break`` makes it."""
    return make_run(element("w:br"))
