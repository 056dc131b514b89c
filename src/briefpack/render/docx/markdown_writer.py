"""The rich-text tree in Word: paragraphs, lists, runs, links and pictures.

Bold, italic and code are character styles, lists are Word numbering that
restarts where the Markdown does, links are real hyperlinks, and pictures
are embedded at their natural size up to the text column's width.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from docx.image.image import Image as DocxImage
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from briefpack.model.both_versions import Side
from briefpack.model.rich_text import (
    Block,
    BulletList,
    Code,
    CodeBlock,
    Emphasis,
    Image,
    Inline,
    LineBreak,
    Link,
    Markdown,
    OrderedList,
    Quote,
    RevisedBlock,
    Revision,
    RevisionKind,
    Strong,
    Text,
)
from briefpack.model.rich_text import Paragraph as MarkdownParagraph
from briefpack.render.docx import ooxml
from briefpack.render.docx.body import Body
from briefpack.render.docx.likeness_styles import LIST_END_STYLES, LIST_ITEM_STYLES
from briefpack.render.docx.style_finish import pad_band

logger = logging.getLogger("briefpack")
#: Widest an embedded picture is shown: the text column less the block indent.
MAX_IMAGE_WIDTH = Mm(150)


class RichText:
    """Writes rich-text fields into the body; ``source`` names the pack in warnings."""

    def __init__(self, body: Body, source: str) -> None:
        self.body = body
        self.source = source
        # The question's band padded as the PDF's box (style_finish.py).
        pad_band(body.document)

    def markdown(self, markdown: Markdown, style: str) -> None:
        """Add the blocks of ``markdown`` as paragraphs in ``style``."""
        for block in markdown.blocks:
            self._block(block, style, level=0)

    def _block(self, block: Block, style: str, level: int) -> None:
        if isinstance(block, MarkdownParagraph):
            self.inlines(self.body.paragraph("", style), block.children)
        elif isinstance(block, RevisedBlock):
            # A whole block one version has: its paragraphs tracked whole.
            if self.body.tracker is not None or block.kind == "insert":
                with self.body.tracked(_side(block.kind)):
                    self._block(block.block, style, level)
        elif isinstance(block, BulletList | OrderedList):
            ordered = isinstance(block, OrderedList)
            start = block.start if isinstance(block, OrderedList) else 1
            # List numbering sets its own indentation: start it where the block's text starts.
            left_indent = self.body.paragraph_style(style).paragraph_format.left_indent
            indent = left_indent.twips if left_indent is not None else 0
            num_id = ooxml.list_definition(self.body.document, ordered, start, indent=indent)
            # Items follow each other without a gap, as the PDF's; the list's margin after
            # the last.
            item_style = LIST_ITEM_STYLES.get(style, style)
            end_style = LIST_END_STYLES.get(style, style)
            for number, item in enumerate(block.items, start=1):
                last = number == len(block.items)
                for position, child in enumerate(item):
                    # An item one version has is still an item: its paragraph tracked whole.
                    revised = child if isinstance(child, RevisedBlock) else None
                    first = revised.block if revised is not None else child
                    if isinstance(first, MarkdownParagraph) and position == 0:
                        side = "both" if revised is None else _side(revised.kind)
                        with self.body.tracked(side):
                            shown = end_style if last and len(item) == 1 else item_style
                            paragraph = self.body.paragraph("", shown)
                            ooxml.set_list_item(paragraph, num_id, level)
                            self.inlines(paragraph, first.children)
                    else:
                        self._block(child, style, level + 1)
        elif isinstance(block, CodeBlock):
            paragraph = self.body.paragraph("", "Briefing Code Block")
            for number, line in enumerate(block.text.split("\n")):
                if number:
                    paragraph.add_run().add_break()
                paragraph.add_run(line)
        else:
            assert isinstance(block, Quote)
            for child in block.children:
                self._block(child, style, level)

    def inlines(
        self, paragraph: Paragraph, inlines: tuple[Inline, ...], parent: Any = None
    ) -> None:
        """Add ``inlines`` (a title with its changes marked, say) to ``paragraph``.

        ``parent`` is where in it they go (an internal link), if not the paragraph.
        """
        self._inlines(paragraph, paragraph._p if parent is None else parent, inlines)

    def _inlines(
        self,
        paragraph: Paragraph,
        parent: Any,
        inlines: tuple[Inline, ...],
        styles: frozenset[str] = frozenset(),
    ) -> None:
        """Add ``inlines`` to ``parent``: the paragraph, or a revision or link in it."""
        for inline in inlines:
            if isinstance(inline, Text):
                style = _character_style(styles)
                text = collapsed(inline.text)
                parent.append(ooxml.text_run(text, style and self.body.style_id(style)))
            elif isinstance(inline, Code):
                code = collapsed(inline.text)
                parent.append(ooxml.text_run(code, self.body.style_id("Briefing Code")))
            elif isinstance(inline, LineBreak):
                parent.append(ooxml.line_break())
            elif isinstance(inline, Strong):
                self._inlines(paragraph, parent, inline.children, styles | {"strong"})
            elif isinstance(inline, Emphasis):
                self._inlines(paragraph, parent, inline.children, styles | {"emphasis"})
            elif isinstance(inline, Image):
                self._image(paragraph, parent, inline)
            elif isinstance(inline, Revision):
                self._revision(paragraph, parent, inline, styles)
            else:
                assert isinstance(inline, Link)
                link = ooxml.external_link(paragraph, inline.href)
                parent.append(link)
                self._link_inlines(link, inline.children)

    def _revision(
        self, paragraph: Paragraph, parent: Any, revision: Revision, styles: frozenset[str]
    ) -> None:
        """Text one version has and the other not: tracked, in a changes copy."""
        tracker = self.body.tracker
        if tracker is None:
            # Not a changes copy: the text as it is now.
            if revision.kind == "insert":
                self._inlines(paragraph, parent, revision.children, styles)
            return
        mark = tracker.inline(revision.kind)
        parent.append(mark)
        self._inlines(paragraph, mark, revision.children, styles)
        if revision.kind == "delete":
            ooxml.as_deleted(mark)

    def _link_inlines(self, parent: Any, inlines: tuple[Inline, ...]) -> None:
        """A link's text, all in the link style; its pictures and breaks are left out."""
        link_style = self.body.style_id("Hyperlink")
        for inline in inlines:
            if isinstance(inline, Text | Code):
                text = collapsed(inline.text)
                parent.append(ooxml.text_run(text, link_style))
            elif isinstance(inline, Revision) and self.body.tracker is not None:
                mark = self.body.tracker.inline(inline.kind)
                parent.append(mark)
                self._link_inlines(mark, inline.children)
                if inline.kind == "delete":
                    ooxml.as_deleted(mark)
            elif isinstance(inline, Revision):
                if inline.kind == "insert":
                    self._link_inlines(parent, inline.children)
            elif isinstance(inline, Strong | Emphasis | Link):
                self._link_inlines(parent, inline.children)

    def _image(self, paragraph: Paragraph, parent: Any, image: Image) -> None:
        if image.path.suffix.lower() == ".svg":
            # Word shows SVG only with a PNG fallback that briefpack cannot draw.
            logger.warning(
                "%s: warning: SVG image %s is in the PDF but not the Word copy; "
                "its description is kept",
                self.source,
                image.path.name,
            )
            if image.alt:
                parent.append(ooxml.text_run(image.alt))
            return
        natural = DocxImage.from_file(str(image.path)).width
        run = paragraph.add_run()
        shape = run.add_picture(str(image.path), width=min(natural, MAX_IMAGE_WIDTH))
        ooxml.describe_picture(shape, image.alt)
        # Made at the paragraph's end by python-docx: moved to where it belongs.
        parent.append(run._r)


def collapsed(text: str) -> str:
    """``text`` with each run of spaces, tabs and line ends one space, as HTML shows it.

    Two spaces typed after a full stop print as one in the PDF; in Word they
    would stay two, which Word's accessibility checker reports as blank
    characters used for spacing.  Inline code too (a code block keeps its lines).
    """
    return _WHITESPACE.sub(" ", text)


_WHITESPACE = re.compile(r"[ \t\r\n]+")


def _side(kind: RevisionKind) -> Side:
    """The version that has a block the model marks ``kind``."""
    return "new" if kind == "insert" else "old"


def _character_style(styles: frozenset[str]) -> str | None:
    if styles >= {"strong", "emphasis"}:
        return "Briefing Strong Emphasis"
    if "strong" in styles:
        return "Strong"
    if "emphasis" in styles:
        return "Emphasis"
    return None
