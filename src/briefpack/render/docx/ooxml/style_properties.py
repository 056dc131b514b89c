"""Style properties python-docx has no API for: borders, shading, fonts for every script."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.styles.style import BaseStyle

from briefpack.render.docx.ooxml.elements import add_paragraph_property, element, insert_before


def set_paragraph_border(
    style: BaseStyle, side: str, size_eighths: int, color: str, space: int = 4
) -> None:
    """Give a paragraph style a border on ``side`` (top, left, bottom, right, between)."""
    properties = style.element.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = element("w:pBdr")
        add_paragraph_property(properties, borders)
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
    add_paragraph_property(properties, element("w:shd", val="clear", color="auto", fill=fill))


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
        add_paragraph_property(properties, element("w:outlineLvl", val=str(level)))
