"""The rich-text tree in Word: paragraphs, lists, runs, links and pictures.

Bold, italic and code are character styles, lists are Word numbering that
restarts where the Markdown does, links are real hyperlinks, and pictures
are embedded at their natural size up to the text column's width.
"""

from __future__ import annotations

import logging

from docx.image.image import Image as DocxImage
from docx.shared import Mm
from docx.text.paragraph import Paragraph

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
    Strong,
    Text,
)
from briefpack.model.rich_text import Paragraph as MarkdownParagraph
from briefpack.render.docx import ooxml
from briefpack.render.docx.body import Body

logger = logging.getLogger("briefpack")
#: Widest an embedded picture is shown: the text column less the block indent.
MAX_IMAGE_WIDTH = Mm(150)


class RichText:
    """Writes rich-text fields into the body; ``source`` names the pack in warnings."""

    def __init__(self, body: Body, source: str) -> None:
        self.body = body
        self.source = source

    def markdown(self, markdown: Markdown, style: str) -> None:
        """Add the blocks of ``markdown`` as paragraphs in ``style``."""
        for block in markdown.blocks:
            self._block(block, style, level=0)

    def _block(self, block: Block, style: str, level: int) -> None:
        if isinstance(block, MarkdownParagraph):
            self._inlines(self.body.paragraph("", style), block.children)
        elif isinstance(block, BulletList | OrderedList):
            ordered = isinstance(block, OrderedList)
            start = block.start if isinstance(block, OrderedList) else 1
            # List numbering sets its own indentation: start it where the block's text starts.
            left_indent = self.body.document.styles[style].paragraph_format.left_indent
            indent = left_indent.twips if left_indent is not None else 0
            num_id = ooxml.list_definition(self.body.document, ordered, start, indent=indent)
            for item in block.items:
                for position, child in enumerate(item):
                    if isinstance(child, MarkdownParagraph) and position == 0:
                        paragraph = self.body.paragraph("", style)
                        ooxml.set_list_item(paragraph, num_id, level)
                        self._inlines(paragraph, child.children)
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

    def _inlines(
        self,
        paragraph: Paragraph,
        inlines: tuple[Inline, ...],
        styles: frozenset[str] = frozenset(),
    ) -> None:
        for inline in inlines:
            if isinstance(inline, Text):
                style = _character_style(styles)
                paragraph._p.append(
                    ooxml.text_run(inline.text, style and self.body.style_id(style))
                )
            elif isinstance(inline, Code):
                paragraph._p.append(
                    ooxml.text_run(inline.text, self.body.style_id("Briefing Code"))
                )
            elif isinstance(inline, LineBreak):
                paragraph.add_run().add_break()
            elif isinstance(inline, Strong):
                self._inlines(paragraph, inline.children, styles | {"strong"})
            elif isinstance(inline, Emphasis):
                self._inlines(paragraph, inline.children, styles | {"emphasis"})
            elif isinstance(inline, Image):
                self._image(paragraph, inline)
            else:
                assert isinstance(inline, Link)
                link_style = self.body.style_id("Hyperlink")
                runs = [ooxml.text_run(text, link_style) for text in _link_texts(inline.children)]
                paragraph._p.append(ooxml.external_link(paragraph, inline.href, *runs))

    def _image(self, paragraph: Paragraph, image: Image) -> None:
        if image.path.suffix.lower() == ".svg":
            # Word shows SVG only with a PNG fallback that briefpack cannot draw.
            logger.warning(
                "%s: warning: SVG image %s is in the PDF but not the Word copy; "
                "its description is kept",
                self.source,
                image.path.name,
            )
            if image.alt:
                paragraph._p.append(ooxml.text_run(image.alt))
            return
        natural = DocxImage.from_file(str(image.path)).width
        shape = paragraph.add_run().add_picture(
            str(image.path), width=min(natural, MAX_IMAGE_WIDTH)
        )
        ooxml.describe_picture(shape, image.alt)


def _character_style(styles: frozenset[str]) -> str | None:
    if styles >= {"strong", "emphasis"}:
        return "Briefing Strong Emphasis"
    if "strong" in styles:
        return "Strong"
    if "emphasis" in styles:
        return "Emphasis"
    return None


def _link_texts(inlines: tuple[Inline, ...]) -> list[str]:
    texts: list[str] = []
    for inline in inlines:
        if isinstance(inline, Text | Code):
            texts.append(inline.text)
        elif isinstance(inline, Strong | Emphasis | Link):
            texts.extend(_link_texts(inline.children))
    return texts
