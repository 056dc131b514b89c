"""Style properties a :class:`~briefpack.render.docx.style_specs.StyleSpec` cannot say yet.

A right-aligned count or page number, and the padding of the question's
band, are properties of briefpack's styles (the body has no direct
formatting), but :func:`briefpack.render.docx.styles.apply_styles` knows no
alignment, right border or border spacing.  The writers that use those
styles finish them here, once per document, until the specs can say it.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.styles.style import BaseStyle, ParagraphStyle

from briefpack.render.docx import ooxml
from briefpack.render.docx.likeness_styles import BAND_PADDING_PT, band_bottom_pt
from briefpack.render.docx.style_index import style_index

#: The styles of the question's band: its label and its text (their list items inherit).
BAND_STYLES = ("Briefing Question Label", "Briefing Question")
#: The hairline, in eighths of a point, of the band's borders in its own fill colour:
#: what gives Word's shading its padding (a border's space is shaded too).
_PAD_BORDER = 2


def right_aligned(style: BaseStyle) -> None:
    """Right-align a paragraph style (a page number's, a count's), unless a company template
    aligned it already."""
    assert isinstance(style, ParagraphStyle)
    if style.paragraph_format.alignment is None:
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def pad_band(document: Document) -> None:
    """Pad the question's band as the PDF's box (``.ask``): its text 4.5 mm from the bar and
    the right edge, 3 mm below the top and 2.5 mm above the bottom (less the space its
    paragraphs keep after them, inside the band, as the PDF's do).

    Word and LibreOffice shade a border's spacing with the paragraph, and draw one box
    around consecutive paragraphs whose borders and indents agree: borders in the band's
    fill on the top, right and bottom, with the padding as their spacing, make it.  A
    style that has no fill and left bar (a company template's own) is left as it is.
    """
    styles = style_index(document)
    if "Briefing Question" not in styles:
        return
    size = styles.paragraph_style("Briefing Question").font.size
    padding = {**BAND_PADDING_PT, "bottom": band_bottom_pt(size.pt if size else 11.5)}
    for name in BAND_STYLES:
        if name not in styles:
            continue
        style = styles[name]
        properties = style.element.get_or_add_pPr()
        shading = properties.find(qn("w:shd"))
        borders = properties.find(qn("w:pBdr"))
        bar = borders.find(qn("w:left")) if borders is not None else None
        if shading is None or bar is None or borders.find(qn("w:top")) is not None:
            continue
        fill = shading.get(qn("w:fill"))
        bar.set(qn("w:space"), str(round(padding["left"])))
        for side in ("top", "right", "bottom"):
            spacing = round(padding[side])
            ooxml.set_paragraph_border(style, side, _PAD_BORDER, fill, spacing)
        assert isinstance(style, ParagraphStyle)
        # The right border and its spacing stand outside the text: inside the margin.
        style.paragraph_format.right_indent = Pt(padding["right"] + _PAD_BORDER / 8)
