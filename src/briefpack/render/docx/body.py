"""Where the Word copy's paragraphs go, and how they are styled.

Every paragraph is set through a named style, looked up once: python-docx
searches every style on each lookup, which made large packs slow
(quadratic in practice), and a company template may use other style ids
for the same names.  Paragraphs are placed before the body's final section
properties directly, rather than by ``add_paragraph``, which searches the
body for them each time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from briefpack.render.docx import ooxml


class Body:
    """Makes the document's paragraphs and runs, by style name."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._style_ids: dict[str, str] = {}
        self._section_end: Any = None
        self._bookmarks = 0
        self._new_page = False

    def new_page(self) -> None:
        """Start the next paragraph on a new page.

        The paragraph carries "page break before": an empty paragraph holding
        a page break would be read aloud as a blank line, and Word's
        accessibility checker flags blank paragraphs used for layout.
        """
        self._new_page = True

    def style_id(self, style_name: str) -> str:
        """The id of a style, looked up once per name."""
        if style_name not in self._style_ids:
            self._style_ids[style_name] = str(self.document.styles[style_name].style_id)
        return self._style_ids[style_name]

    def paragraph(self, text: str, style: str) -> Paragraph:
        """A new body paragraph in ``style``, placed before the final section properties."""
        if self._section_end is None:
            self._section_end = self.document.element.body.find(qn("w:sectPr"))
        element = OxmlElement("w:p")
        self._section_end.addprevious(element)
        paragraph = Paragraph(element, self.document._body)
        if style != "Normal":
            element.get_or_add_pPr().style = self.style_id(style)
        if self._new_page:
            paragraph.paragraph_format.page_break_before = True
            self._new_page = False
        if text:
            element.append(ooxml.text_run(text))
        return paragraph

    def block(self, element: Any) -> None:
        """Place a ready-made block element (a content control) before the section properties."""
        if self._section_end is None:
            self._section_end = self.document.element.body.find(qn("w:sectPr"))
        self._section_end.addprevious(element)

    @contextmanager
    def inside(self, cell: _Cell) -> Iterator[None]:
        """Put the paragraphs made meanwhile into ``cell`` (replacing its empty first one)."""
        if self._section_end is None:
            self._section_end = self.document.element.body.find(qn("w:sectPr"))
        saved, placeholder = self._section_end, cell.paragraphs[0]._p
        self._section_end = placeholder
        try:
            yield
        finally:
            self._section_end = saved
            # A cell must end with a paragraph: keep the empty one if nothing came.
            if len(cell.paragraphs) > 1:
                placeholder.getparent().remove(placeholder)

    def reset(self, paragraph: Paragraph, text: str, style: str) -> Paragraph:
        """Empty ``paragraph`` of a template's content, then give it ``text`` and ``style``."""
        for child in list(paragraph._p):
            if not child.tag.endswith("}pPr"):
                paragraph._p.remove(child)
        paragraph._p.get_or_add_pPr().style = None if style == "Normal" else self.style_id(style)
        if text:
            self.run(paragraph, text)
        return paragraph

    def run(self, paragraph: Paragraph, text: str, style: str | None = None) -> None:
        """Add ``text`` to ``paragraph`` as a run, in the character style ``style`` if given."""
        paragraph._p.append(ooxml.text_run(text, self.style_id(style) if style else None))

    def bookmark(self, paragraph: Paragraph, name: str) -> None:
        """Mark ``paragraph`` as the bookmark ``name``, for internal links and the contents."""
        self._bookmarks += 1
        ooxml.add_bookmark(paragraph, name, self._bookmarks)
