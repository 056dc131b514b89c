"""Word's "Hard-to-read text contrast": each run of text against what lies behind it.

A run's colour, size and weight come from its direct properties, then its
character style, its paragraph style, the table style around it and the
document's defaults; what lies behind it from its own shading or highlight,
the paragraph's shading, the cell's, the table style's, the page's background,
and else white.  Contrast is WCAG 2.x's: 4.5:1, or 3:1 for large text
(18 pt, or 14 pt bold).  Text in Word's automatic colour is left out: Word
picks black or white for it against its background.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree
from word_styles import NAMESPACES, Styles, is_on, qn, text_of

#: Word's highlight colours (``w:highlight``), ECMA-376 17.18.40.
HIGHLIGHTS = {
    "yellow": "FFFF00", "green": "00FF00", "cyan": "00FFFF", "magenta": "FF00FF",
    "blue": "0000FF", "red": "FF0000", "darkBlue": "000080", "darkCyan": "008080",
    "darkGreen": "008000", "darkMagenta": "800080", "darkRed": "800000",
    "darkYellow": "808000", "darkGray": "808080", "lightGray": "C0C0C0", "black": "000000",
    "white": "FFFFFF",
}  # fmt: skip
NORMAL_TEXT, LARGE_TEXT = 4.5, 3.0


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``RRGGBB``."""
    channels = []
    for index in (0, 2, 4):
        value = int(colour[index : index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two ``RRGGBB`` colours, from 1 to 21."""
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _hex(value: str | None) -> str | None:
    if value is None or len(value) != 6:
        return None
    try:
        int(value, 16)
    except ValueError:
        return None
    return value.upper()


def _shading(properties: etree._Element | None) -> str | None:
    """The colour a ``w:shd`` paints, if it paints one."""
    shading = properties.find("w:shd", NAMESPACES) if properties is not None else None
    if shading is None:
        return None
    if shading.get(qn("w:val")) == "solid":
        return _hex(shading.get(qn("w:color")))
    return _hex(shading.get(qn("w:fill")))


class _Table:
    """Where a paragraph sits in a table: its cell, and the table style's parts that apply."""

    def __init__(self, paragraph: etree._Element, styles: Styles) -> None:
        self.cell = next(paragraph.iterancestors(qn("w:tc")), None)
        self.style: list[etree._Element] = []
        if self.cell is None:
            return
        row = self.cell.getparent()
        table = row.getparent()
        chain = list(styles.chain(styles.table_style(table)))
        rows = table.findall("w:tr", NAMESPACES)
        header = rows.index(row) == 0 or row.find("w:trPr/w:tblHeader", NAMESPACES) is not None
        look = table.find("w:tblPr/w:tblLook", NAMESPACES)
        first_row = look is None or look.get(qn("w:firstRow"), "1") in {"1", "true", "on"}
        for style in chain:
            if header and first_row:
                self.style += style.xpath("w:tblStylePr[@w:type='firstRow']", namespaces=NAMESPACES)
        self.style += chain

    def run_properties(self) -> list[etree._Element]:
        return [found for part in self.style for found in part.findall("w:rPr", NAMESPACES)]

    def backgrounds(self) -> Iterator[str | None]:
        if self.cell is not None:
            yield _shading(self.cell.find("w:tcPr", NAMESPACES))
        for part in self.style:
            yield _shading(part.find("w:tcPr", NAMESPACES))


def _run_sources(
    run: etree._Element, paragraph: etree._Element, styles: Styles, table: _Table
) -> list[etree._Element]:
    """The run properties that may set the run's look, the strongest first."""
    sources = []
    direct = run.find("w:rPr", NAMESPACES)
    if direct is not None:
        sources.append(direct)
        character = direct.find("w:rStyle", NAMESPACES)
        if character is not None:
            for style in styles.chain(character.get(qn("w:val"))):
                sources += style.findall("w:rPr", NAMESPACES)
    for style in styles.chain(styles.paragraph_style(paragraph)):
        sources += style.findall("w:rPr", NAMESPACES)
    sources += table.run_properties()
    defaults = styles.default_run_properties()
    if defaults is not None:
        sources.append(defaults)
    return sources


def _first(sources: list[etree._Element], tag: str) -> etree._Element | None:
    for properties in sources:
        found = properties.find(tag, NAMESPACES)
        if found is not None:
            return found
    return None


def _background(
    sources: list[etree._Element],
    paragraph: etree._Element,
    styles: Styles,
    table: _Table,
    page: str | None,
) -> str:
    highlight = _first(sources, "w:highlight")
    candidates = [_shading(_first_with(sources, "w:shd"))]
    if highlight is not None:
        candidates.insert(0, HIGHLIGHTS.get(highlight.get(qn("w:val"), "")))
    candidates.append(_shading(paragraph.find("w:pPr", NAMESPACES)))
    for style in styles.chain(styles.paragraph_style(paragraph)):
        candidates.append(_shading(style.find("w:pPr", NAMESPACES)))
    candidates += table.backgrounds()
    candidates.append(page)
    return next((colour for colour in candidates if colour), "FFFFFF")


def _first_with(sources: list[etree._Element], tag: str) -> etree._Element | None:
    return next((found for found in sources if found.find(tag, NAMESPACES) is not None), None)


def contrast_findings(root: etree._Element, styles: Styles) -> Iterator[str]:
    """Every text colour too close to what lies behind it, once per style, colour and background."""
    document = root.find("w:background", NAMESPACES)
    page = _hex(document.get(qn("w:color"))) if document is not None else None
    seen: set[tuple[str, ...]] = set()
    for paragraph in root.iter(qn("w:p")):
        table = _Table(paragraph, styles)
        for run in paragraph.iter(qn("w:r")):
            if run.getparent().tag == qn("w:del") or not text_of(run).strip():
                continue
            sources = _run_sources(run, paragraph, styles, table)
            hidden = _first(sources, "w:vanish")
            colour = _first(sources, "w:color")
            foreground = _hex(colour.get(qn("w:val"))) if colour is not None else None
            if foreground is None or (hidden is not None and is_on(hidden)):
                continue  # automatic colour, or not shown
            background = _background(sources, paragraph, styles, table, page)
            size = _first(sources, "w:sz")
            points = int(size.get(qn("w:val"), "20")) / 2 if size is not None else 10.0
            bold = _first(sources, "w:b")
            large = points >= 18 or (points >= 14 and bold is not None and is_on(bold))
            needed = LARGE_TEXT if large else NORMAL_TEXT
            ratio = contrast(foreground, background)
            paragraph_style = styles.name(styles.paragraph_style(paragraph))
            key = (paragraph_style, foreground, background, str(needed))
            if ratio >= needed or key in seen:
                continue
            seen.add(key)
            yield (
                f"text {text_of(run).strip()[:30]!r} in style {paragraph_style!r}: "
                f"#{foreground} on #{background} is {ratio:.2f}:1, needs {needed}:1"
            )
