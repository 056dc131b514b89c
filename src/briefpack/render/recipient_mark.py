"""A recipient's mark: "Prepared for NAME · DATE" across every page, inside the printable area.

The mark is one line turned by :data:`ANGLE` about the page's centre, at the
theme's size.  A long name (a Greek one of forty letters, on A4) would run
off the paper at that size, so the line is laid out once as the theme says,
measured, and, if its turned box would leave the area within the page's
margins, laid out again at the size that just fits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from briefpack.model.theme import Margins
from briefpack.render.internal_pages import page_html

#: How far the mark is turned (counter-clockwise, rising to the right), in degrees.
ANGLE = 35.0
#: The mark's line height, in ems: its box's thickness across the diagonal.
LINE_HEIGHT = 1.2
#: CSS pixels in a millimetre.
PX_PER_MM = 96 / 25.4


def laid_out_mark(
    text: str, language: str, page_size: str, margins: Margins, render: Callable[[str], Any]
) -> tuple[str, Any]:
    """The mark's HTML and its document as ``render`` lays it out, shrunk to fit if need be."""
    html = mark_html(text, language, page_size, None)
    document = render(html)
    size = fitting_size(document, margins)
    if size is not None:
        html = mark_html(text, language, page_size, size)
        document = render(html)
    return html, document


def mark_html(text: str, language: str, page_size: str, font_size_px: float | None) -> str:
    """The mark's one-page document; ``font_size_px`` overrides the theme's size if given."""
    return page_html(
        "recipient_mark.html.j2",
        language=language,
        page_size=page_size,
        text=text,
        font_size_px=font_size_px,
    )


def fitting_size(document: Any, margins: Margins) -> float | None:
    """The font size (CSS px) at which the laid-out mark fits; ``None`` if it fits as it is.

    ``document`` is WeasyPrint's laid-out mark.  Its text's width at its
    size gives its width at any size (letter spacing is in ems, so it scales
    too); the turned box's half extents must stay within the page's half
    width and height, less the margins.
    """
    page = document.pages[0]
    texts = list(_text_boxes(page._page_box))
    if not texts:
        return None
    start = min(box.position_x for box in texts)
    width = max(box.position_x + box.width for box in texts) - start
    size = float(texts[0].style["font_size"])
    per_size = width / size
    turn = math.radians(ANGLE)
    across = (float(page.width) - 2 * max(margins.left, margins.right) * PX_PER_MM) / (
        per_size * math.cos(turn) + LINE_HEIGHT * math.sin(turn)
    )
    up = (float(page.height) - 2 * max(margins.top, margins.bottom) * PX_PER_MM) / (
        per_size * math.sin(turn) + LINE_HEIGHT * math.cos(turn)
    )
    fitting = min(across, up)
    # Rounded down, so that the size written into the page fits as well.
    return None if fitting >= size else math.floor(fitting * 1000) / 1000


def _text_boxes(box: Any) -> Iterator[Any]:
    """The text boxes under ``box``, those of absolutely placed boxes (the mark) included."""
    from weasyprint.formatting_structure.boxes import ParentBox, TextBox

    if isinstance(box, TextBox):
        yield box
    # WeasyPrint leaves an absolutely placed box in its flow as a placeholder around it.
    inner = getattr(box, "_box", None)
    if inner is not None:
        yield from _text_boxes(inner)
    if isinstance(box, ParentBox):
        for child in box.children:
            yield from _text_boxes(child)
