"""Where the Word copy's paragraphs go, and how they are styled.

Every paragraph is set through a named style, looked up once, in the
document's style index (:mod:`~briefpack.render.docx.style_index`): python-docx
searches every style on each lookup, which made large packs slow
(quadratic in practice), and a company template may use other style ids
for the same names.  Paragraphs are placed before the body's final section
properties directly, rather than by ``add_paragraph``, which searches the
body for them each time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from docx.document import Document
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle, ParagraphStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from briefpack.model.both_versions import Side
from briefpack.model.rich_text import RevisionKind
from briefpack.render.docx import ooxml
from briefpack.render.docx.style_index import style_index
from briefpack.render.docx.tracking import Tracker


class Body:
    """Makes the document's paragraphs and runs, by style name."""

    def __init__(self, document: Document, tracker: Tracker | None = None) -> None:
        self.document = document
        #: Marks what only one version has, in a changes copy; ``None`` in any other.
        self.tracker = tracker
        self._style_ids: dict[str, str] = {}
        self._section_end: Any = None
        self._bookmarks = 0

    def last_block(self) -> Any:
        """The body's last block so far (``None`` if none): a new part starts after it.

        The parts' sections (:mod:`~briefpack.render.docx.sections`) start on
        new pages; no paragraph asks for a page break of its own.
        """
        return self._end().getprevious()

    def style(self, style_name: str) -> BaseStyle:
        """The style named ``style_name``, from the document's index (not python-docx's scan)."""
        return style_index(self.document)[style_name]

    def paragraph_style(self, style_name: str) -> ParagraphStyle:
        """The paragraph style named ``style_name``, from the document's index."""
        return style_index(self.document).paragraph_style(style_name)

    def style_id(self, style_name: str) -> str:
        """The id of a style, looked up once per name."""
        if style_name not in self._style_ids:
            self._style_ids[style_name] = style_index(self.document).style_id(style_name)
        return self._style_ids[style_name]

    def paragraph(self, text: str, style: str) -> Paragraph:
        """A new body paragraph in ``style``, placed before the final section properties."""
        element = ooxml.element("w:p")
        self._end().addprevious(element)
        paragraph = Paragraph(element, self.document._body)
        if style != "Normal":
            # What python-docx's ``get_or_add_pPr().style`` makes, without its search of
            # the schema's order for where each goes: the paragraph is new and empty.
            properties = ooxml.child(element, "w:pPr")
            ooxml.child(properties, "w:pStyle", val=self.style_id(style))
        if text:
            element.append(ooxml.text_run(text))
        return paragraph

    def block(self, element: Any) -> None:
        """Place a ready-made block element (a content control) before the section properties."""
        self._end().addprevious(element)

    def _end(self) -> Any:
        """What new blocks are placed before: the body's section properties, or a cell's end."""
        if self._section_end is None:
            self._section_end = self.document.element.body.find(qn("w:sectPr"))
        return self._section_end

    @contextmanager
    def tracked(self, side: Side, move: str | None = None) -> Iterator[None]:
        """Mark the blocks made meanwhile as only the ``side`` version has them.

        Nothing is marked where both versions have them, nor outside a changes copy.
        """
        end = self._end()
        before = end.getprevious()
        yield
        if self.tracker is None or side == "both":
            return
        blocks = []
        node = end.getprevious()
        while node is not None and node is not before:
            blocks.append(node)
            node = node.getprevious()
        self.tracker.blocks(blocks[::-1], side, move)

    def track_row(self, row: Any, side: Side) -> None:
        """Mark a table row (``w:tr``) as only the ``side`` version has it."""
        if self.tracker is not None:
            self.tracker.row(row, side)

    def paragraph_pair(self, old: str, new: str, style: str) -> Paragraph | None:
        """A paragraph as it was and as it is (empty where a version has none); the new one.

        One only one version has is tracked whole; one that changed is tracked
        as :meth:`text_pair` tracks it.
        """
        if old == new or self.tracker is None:
            return self.paragraph(new, style) if new else None
        if not old or not new:
            with self.tracked("new" if new else "old"):
                paragraph = self.paragraph(new or old, style)
            return paragraph if new else None
        paragraph = self.paragraph("", style)
        self.text_pair(paragraph._p, old, new)
        return paragraph

    def run_pair(self, paragraph: Paragraph, old: str, new: str, style: str | None = None) -> None:
        """Add the text as it was and as it is to ``paragraph``, in character style ``style``."""
        self.text_pair(paragraph._p, old, new, self.style_id(style) if style else None)

    def text_pair(self, parent: Any, old: str, new: str, style_id: str | None = None) -> None:
        """Add the text as it was and as it is to ``parent``: if it changed, both, tracked.

        These are the view's worded values (a time, a count, a heading, a line
        of names), each as its version words it: the earlier one deleted and the
        new one inserted, nothing compared here.  The words that changed in the
        pack's own text are the model's ``Revision`` nodes, which
        :mod:`~briefpack.render.docx.markdown_writer` writes.
        """
        if old == new or self.tracker is None:
            parent.append(ooxml.text_run(new, style_id))
            return
        versions: tuple[tuple[RevisionKind, str], ...] = (("delete", old), ("insert", new))
        for kind, text in versions:
            if text:
                mark = self.tracker.inline(kind)
                mark.append(ooxml.text_run(text, style_id))
                parent.append(ooxml.as_deleted(mark) if kind == "delete" else mark)

    def lines_pair(
        self, paragraph: Paragraph, old: Sequence[str], new: Sequence[str], style: str | None = None
    ) -> None:
        """Lines as they were and as they are, with breaks between: changed ones tracked whole."""
        if list(old) == list(new) or self.tracker is None:
            self._lines(paragraph._p, new, style)
            return
        for kind, lines in (("delete", old), ("insert", new)):
            if lines:
                mark = self.tracker.inline(kind)  # type: ignore[arg-type]
                paragraph._p.append(mark)
                self._lines(mark, lines, style)
                if kind == "delete":
                    ooxml.as_deleted(mark)

    def _lines(self, parent: Any, lines: Sequence[str], style: str | None) -> None:
        style_id = self.style_id(style) if style else None
        for index, line in enumerate(lines):
            if index:
                parent.append(ooxml.line_break())
            parent.append(ooxml.text_run(line, style_id))

    @contextmanager
    def inside(self, cell: _Cell) -> Iterator[None]:
        """Put the paragraphs made meanwhile into ``cell`` (replacing its empty first one)."""
        saved, placeholder = self._end(), cell.paragraphs[0]._p
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
        ooxml.set_paragraph_style(paragraph._p, None if style == "Normal" else self.style_id(style))
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
