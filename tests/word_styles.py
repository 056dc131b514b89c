"""Reading a Word file's styles as Word applies them, for the accessibility checker.

A paragraph's look and outline level come from a chain: its direct
properties, its character style and paragraph style (each with the styles it
is based on), the table style around it, and the document's defaults.
:mod:`word_accessibility` and :mod:`word_contrast` ask this module, rather
than each walking the chain its own way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
#: Word's built-in heading styles are headings by name, whatever their properties say.
HEADING_NAME = re.compile(r"heading ([1-9])", re.IGNORECASE)


def qn(name: str) -> str:
    """``w:val`` as lxml spells it, ``{namespace}val``."""
    prefix, local = name.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def is_on(element: etree._Element) -> bool:
    """Whether a toggle (``w:b``, ``w:tblHeader``…) is on: present, and not ``0`` or ``false``."""
    return element.get(qn("w:val"), "true").lower() not in {"0", "false", "off"}


#: What a reader meets in place of a picture or an object, in :func:`text_of`'s text.
OBJECT = "\ufffc"


def text_of(element: etree._Element, tabs: bool = False, deleted: bool = False) -> str:
    """The text under ``element``; with ``tabs``, tabs, breaks and pictures too.

    With ``deleted``, the text of tracked deletions too: a copy that tracks
    changes shows them, struck through, where they were.
    """
    pieces = []
    wanted = {qn("w:t")} | ({qn("w:delText")} if deleted else set())
    blanks = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"} if tabs else {}
    if tabs:
        blanks |= {qn("w:drawing"): OBJECT, qn("w:pict"): OBJECT, qn("w:object"): OBJECT}
    for node in element.iter(*wanted, *blanks):
        if node.tag == qn("w:tab") and node.getparent().tag != qn("w:r"):
            continue  # a tab stop in w:tabs, not a tab character
        if node.tag in wanted:
            pieces.append(node.text or "")
        elif node.tag in blanks:
            pieces.append(blanks[node.tag])
    return "".join(pieces)


class Styles:
    """The styles part: each style by id, each type's default, the document's defaults."""

    def __init__(self, root: etree._Element | None) -> None:
        self.root = root
        self.by_id: dict[str, etree._Element] = {}
        self.defaults: dict[str, str] = {}
        if root is None:
            return
        for style in root.iterfind("w:style", NAMESPACES):
            style_id = style.get(qn("w:styleId"))
            if style_id is None:
                continue
            self.by_id[style_id] = style
            if is_on_attribute(style.get(qn("w:default"))):
                self.defaults.setdefault(style.get(qn("w:type"), "paragraph"), style_id)

    def chain(self, style_id: str | None) -> Iterator[etree._Element]:
        """The style and those it is based on, nearest first."""
        seen: set[str] = set()
        while style_id is not None and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find("w:basedOn", NAMESPACES)
            style_id = based.get(qn("w:val")) if based is not None else None

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or "")
        found = style.find("w:name", NAMESPACES) if style is not None else None
        return found.get(qn("w:val"), style_id or "") if found is not None else style_id or ""

    def paragraph_style(self, paragraph: etree._Element) -> str | None:
        chosen = paragraph.find("w:pPr/w:pStyle", NAMESPACES)
        if chosen is not None:
            return chosen.get(qn("w:val"))
        return self.defaults.get("paragraph")

    def table_style(self, table: etree._Element) -> str | None:
        chosen = table.find("w:tblPr/w:tblStyle", NAMESPACES)
        if chosen is not None:
            return chosen.get(qn("w:val"))
        return self.defaults.get("table")

    def is_default_table_style(self, style_id: str | None) -> bool:
        """Table Normal, Word's default table style: what its checker takes for a layout table."""
        if style_id is None or style_id == self.defaults.get("table"):
            return True
        return self.name(style_id).lower() in {"normal table", "table normal"}

    def outline_level(self, paragraph: etree._Element) -> int | None:
        """The paragraph's heading level from 0 (Heading 1), or None for body text."""
        direct = paragraph.find("w:pPr/w:outlineLvl", NAMESPACES)
        if direct is not None:
            return _level(direct)
        for style in self.chain(self.paragraph_style(paragraph)):
            found = style.find("w:pPr/w:outlineLvl", NAMESPACES)
            if found is not None:
                return _level(found)
            named = HEADING_NAME.fullmatch(self.name(style.get(qn("w:styleId"))))
            if named:
                return int(named.group(1)) - 1
        return None

    def default_run_properties(self) -> etree._Element | None:
        if self.root is None:
            return None
        return self.root.find("w:docDefaults/w:rPrDefault/w:rPr", NAMESPACES)

    def default_language(self) -> str | None:
        properties = self.default_run_properties()
        found = properties.find("w:lang", NAMESPACES) if properties is not None else None
        return found.get(qn("w:val")) if found is not None else None

    def paragraph_language(self) -> str | None:
        """The language the default paragraph style (Normal) sets, if it sets one."""
        for style in self.chain(self.defaults.get("paragraph")):
            found = style.find("w:rPr/w:lang", NAMESPACES)
            if found is not None and found.get(qn("w:val")):
                return found.get(qn("w:val"))
        return None


def is_on_attribute(value: str | None) -> bool:
    return value is not None and value.lower() in {"1", "true", "on"}


def _level(element: etree._Element) -> int | None:
    try:
        level = int(element.get(qn("w:val"), "9"))
    except ValueError:
        return None
    return level if 0 <= level <= 8 else None
