"""The Word writer: the editable copy, built with python-docx from the model.

It holds the same parts as the PDF, in the same order: cover, at a glance,
contents, then days, sessions and questions.  Everything is set through named
styles (see :mod:`briefpack.render.docx.styles`), so a company template restyles it
all; the raw OOXML it needs lives in :mod:`briefpack.render.docx.ooxml`.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.image.image import Image as DocxImage
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from briefpack import __version__
from briefpack.errors import BriefpackError, Problem
from briefpack.model import Day, Pack, Session
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
from briefpack.render import wording as display
from briefpack.render.docx import ooxml
from briefpack.render.docx.styles import apply_styles
from briefpack.render.formats import Rendered
from briefpack.render.settings import RenderSettings

logger = logging.getLogger("briefpack")
#: Widest an embedded picture is shown: the text column less the block indent.
MAX_IMAGE_WIDTH = Mm(150)
#: Page sizes (width, height) in millimetres.
PAPER = {"a4": (210, 297), "letter": (215.9, 279.4)}
NOTES_LINES = 6


def render_docx(pack: Pack, settings: RenderSettings) -> Rendered:
    """Render ``pack`` as a .docx file.

    ``settings.reference_docx`` names a company template whose styles, page
    setup and header and footer look are used (like pandoc's ``--reference-doc``).
    The theme is not used: the Word copy's look is :mod:`briefpack.render.docx.styles`.
    """
    reference = settings.reference_docx
    document = _open_template(reference)
    _clear_body(document)
    apply_styles(document, restyle_existing=reference is None)
    if reference is None:
        _page_setup(document, settings.paper)
    writer = _DocxWriter(document, pack, settings)
    writer.write()
    _properties(document, pack, settings)
    ooxml.update_fields_on_open(document)
    ooxml.remove_thumbnail(document)
    output = io.BytesIO()
    document.save(output)
    return Rendered(ooxml.normalise_zip(output.getvalue(), settings.created))


def _open_template(reference: Path | None) -> Document:
    """python-docx's own template, or a company template given by the user."""
    if reference is None:
        return docx.Document()
    try:
        return docx.Document(str(reference))
    except Exception as error:  # python-docx raises several kinds for a bad package
        raise BriefpackError(
            [Problem(str(reference), f"not a usable Word document: {error}")]
        ) from None


def _clear_body(document: Document) -> None:
    """Remove a template's body content, keeping its final section properties."""
    document.element.body.clear_content()


def _page_setup(document: Document, paper: str) -> None:
    width, height = PAPER[paper]
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(22), Mm(24)
    section.left_margin = section.right_margin = Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


#: python-docx refuses longer core property values.
CORE_PROPERTY_LIMIT = 255


def _properties(document: Document, pack: Pack, settings: RenderSettings) -> None:
    properties = document.core_properties
    limit = CORE_PROPERTY_LIMIT
    properties.title = display.fit(pack.title, limit)
    properties.subject = display.fit(pack.subtitle or "", limit)
    properties.author = display.fit(pack.author or "", limit)
    properties.keywords = display.fit(", ".join(display.keywords(pack)), limit)
    properties.language = pack.options.language
    properties.comments = f"Made with briefpack {__version__}"
    properties.category = ""
    properties.last_modified_by = display.fit(pack.author or "briefpack", limit)
    properties.revision = 1
    # Never the clock: the same content gives the same file.
    properties.created = properties.modified = properties.last_printed = settings.created.replace(
        tzinfo=None
    )


@dataclass
class _DocxWriter:
    document: Document
    pack: Pack
    settings: RenderSettings
    _bookmark_count: int = 0
    _anchors: dict[str, str] = field(default_factory=dict)
    _style_ids: dict[str, str] = field(default_factory=dict)
    _section_end: Any = None

    def write(self) -> None:
        days, session_pack = self.pack.scope(self.settings.session)
        self._header_and_footer()
        if session_pack is None:
            self._cover()
            self._at_a_glance()
            self._contents()
        else:
            self._session_cover(days[0], session_pack)
        for day_number, day in enumerate(days, start=1):
            for session_number, session in enumerate(day.sessions):
                if session_number == 0:
                    heading = self._paragraph(display.day_heading(day.date), "Heading 1")
                    self._bookmark(heading, f"d{day_number}")
                else:
                    ooxml.add_page_break(self._paragraph("", "Normal"))
                self._session(session)

    # ------------------------------------------------------------ parts

    def _header_and_footer(self) -> None:
        section = self.document.sections[0]
        # The cover has neither header nor footer.
        section.different_first_page_header_footer = True
        header = section.header
        header.is_linked_to_previous = False
        self._reset(header.paragraphs[0], self.pack.title, "Header")
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = self._reset(footer.paragraphs[0], self.pack.classification or "", "Footer")
        ooxml.add_tab(paragraph)
        ooxml.add_tab(paragraph)
        paragraph.add_run("Page ")
        ooxml.add_field(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        ooxml.add_field(paragraph, "NUMPAGES", "1")
        for extra in (section.first_page_header, section.first_page_footer):
            extra.is_linked_to_previous = False
            self._reset(extra.paragraphs[0], "", "Normal")

    def _cover(self) -> None:
        pack = self.pack
        self._paragraph("Briefing pack", "Briefing Kicker")
        self._paragraph(pack.title, "Title")
        if pack.subtitle:
            self._paragraph(pack.subtitle, "Subtitle")
        self._paragraph(display.event_dates(pack), "Briefing Cover Detail")
        self._paragraph(pack.summary(), "Briefing Cover Note")
        for line in (pack.organisation, pack.author):
            if line:
                self._paragraph(line, "Briefing Cover Note")
        if pack.classification:
            self._paragraph(pack.classification, "Briefing Classification")

    def _session_cover(self, day: Day, session: Session) -> None:
        pack = self.pack
        self._paragraph(session.label or "Session briefing", "Briefing Kicker")
        self._paragraph(session.title, "Title")
        part_of = f"Part of {pack.title}" + (f" · {pack.subtitle}" if pack.subtitle else "")
        self._paragraph(part_of, "Subtitle")
        self._paragraph(display.day_heading(day.date), "Briefing Cover Detail")
        questions = display.count(len(session.questions), "question")
        self._paragraph(f"{display.time_range(session)} · {questions}", "Briefing Cover Note")
        self._speakers(session)
        for line in (pack.organisation, pack.author):
            if line:
                self._paragraph(line, "Briefing Cover Note")
        if pack.classification:
            self._paragraph(pack.classification, "Briefing Classification")

    def _at_a_glance(self) -> None:
        self._paragraph("At a glance", "Briefing Part Title")
        headings = ("Day", "Time", "Session", "Speakers", "Questions")
        widths = (26, 22, 62, 40, 20)
        table = self.document.add_table(rows=1, cols=len(headings))
        table.style = self.document.styles["Briefing Table"]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
        header = table.rows[0]
        ooxml.repeat_as_header(header)
        for cell, text, width in zip(header.cells, headings, widths, strict=True):
            cell.width = Mm(width)
            self._reset(cell.paragraphs[0], text, "Briefing Table Heading")
        for day in self.pack.days:
            for number, session in enumerate(day.sessions):
                row = table.add_row()
                ooxml.keep_row_together(row)
                cells = row.cells
                day_text = display.day_heading(day.date) if number == 0 else ""
                time_text = (
                    f"{display.clock_time(session.start)}\u2013{display.clock_time(session.end)}"
                )
                speakers = ", ".join(speaker.name for speaker in session.speakers)
                texts = (day_text, time_text, "", speakers, str(len(session.questions)))
                for cell, text, width in zip(cells, texts, widths, strict=True):
                    cell.width = Mm(width)
                    self._reset(cell.paragraphs[0], text, "Briefing Table Text")
                session_cell = cells[2].paragraphs[0]
                session_cell._p.append(
                    ooxml.internal_link(
                        self._anchor_for(session),
                        ooxml.text_run(display.session_heading(session), self._id("Hyperlink")),
                    )
                )

    def _contents(self) -> None:
        self._paragraph("Contents", "Briefing Part Title")
        entries: list[tuple[str, str, str]] = []
        for day_number, day in enumerate(self.pack.days, start=1):
            entries.append(("toc 1", f"d{day_number}", display.day_heading(day.date)))
            for session in day.sessions:
                anchor = self._anchor_for(session)
                entries.append(("toc 2", anchor, display.session_heading(session)))
                for number, question in enumerate(session.questions, start=1):
                    entries.append(("toc 3", f"{anchor}q{number}", f"{number}. {question.title}"))
        # One field spans the entries: its cached result lists them as links
        # until the word processor refreshes it with page numbers.
        for index, (style, anchor, text) in enumerate(entries):
            paragraph = self._paragraph("", style)
            if index == 0:
                ooxml.begin_field(paragraph, 'TOC \\o "1-3" \\h \\z \\u')
            paragraph._p.append(ooxml.internal_link(anchor, ooxml.text_run(text)))
            if index == len(entries) - 1:
                ooxml.end_field(paragraph)

    def _session(self, session: Session) -> None:
        if session.label:
            self._paragraph(session.label, "Briefing Session Label")
        title = self._paragraph(session.title, "Heading 2")
        anchor = self._anchor_for(session)
        self._bookmark(title, anchor)
        meta = (
            f"{display.time_range(session)} · {display.count(len(session.questions), 'question')}"
        )
        self._paragraph(meta, "Briefing Session Meta")
        self._speakers(session)
        for number, question in enumerate(session.questions, start=1):
            heading = self._paragraph("", "Heading 3")
            self._run(heading, f"{number}.", "Briefing Question Number")
            self._run(heading, f" {question.title}")
            self._bookmark(heading, f"{anchor}q{number}")
            if question.context is not None:
                self._paragraph("Context", "Briefing Label")
                self._markdown(question.context, "Briefing Context")
            self._paragraph("Question", "Briefing Question Label")
            self._markdown(question.question, "Briefing Question")
            if self.settings.notes:
                self._paragraph("Notes", "Briefing Label")
                for _ in range(NOTES_LINES):
                    self._paragraph("", "Briefing Notes Line")

    def _speakers(self, session: Session) -> None:
        for speaker in session.speakers:
            paragraph = self._paragraph("", "Briefing Speakers")
            self._run(paragraph, speaker.name, "Briefing Speaker Name")
            if speaker.role:
                self._run(paragraph, f", {speaker.role}", "Briefing Speaker Role")

    # ------------------------------------------------------------ Markdown

    def _markdown(self, markdown: Markdown, style: str) -> None:
        for block in markdown.blocks:
            self._block(block, style, level=0)

    def _block(self, block: Block, style: str, level: int) -> None:
        if isinstance(block, MarkdownParagraph):
            self._inlines(self._paragraph("", style), block.children)
        elif isinstance(block, BulletList | OrderedList):
            ordered = isinstance(block, OrderedList)
            start = block.start if isinstance(block, OrderedList) else 1
            # List numbering sets its own indentation: start it where the block's text starts.
            left_indent = self.document.styles[style].paragraph_format.left_indent
            indent = left_indent.twips if left_indent is not None else 0
            num_id = ooxml.list_definition(self.document, ordered, start, indent=indent)
            for item in block.items:
                for position, child in enumerate(item):
                    if isinstance(child, MarkdownParagraph) and position == 0:
                        paragraph = self._paragraph("", style)
                        ooxml.set_list_item(paragraph, num_id, level)
                        self._inlines(paragraph, child.children)
                    else:
                        self._block(child, style, level + 1)
        elif isinstance(block, CodeBlock):
            paragraph = self._paragraph("", "Briefing Code Block")
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
                paragraph._p.append(ooxml.text_run(inline.text, style and self._id(style)))
            elif isinstance(inline, Code):
                paragraph._p.append(ooxml.text_run(inline.text, self._id("Briefing Code")))
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
                link_style = self._id("Hyperlink")
                runs = [ooxml.text_run(text, link_style) for text in _link_texts(inline.children)]
                paragraph._p.append(ooxml.external_link(paragraph, inline.href, *runs))

    def _image(self, paragraph: Paragraph, image: Image) -> None:
        if image.path.suffix.lower() == ".svg":
            # Word shows SVG only with a PNG fallback that briefpack cannot draw.
            logger.warning(
                "%s: warning: SVG image %s is in the PDF but not the Word copy; "
                "its description is kept",
                self.pack.source,
                image.path.name,
            )
            if image.alt:
                paragraph._p.append(ooxml.text_run(image.alt))
            return
        natural = DocxImage.from_file(str(image.path)).width
        paragraph.add_run().add_picture(str(image.path), width=min(natural, MAX_IMAGE_WIDTH))

    # ------------------------------------------------------------ helpers

    def _id(self, style_name: str) -> str:
        """The id of a style; a company template may use other ids for the same names.

        Looked up once per name: python-docx searches every style on each lookup,
        which made large packs slow (quadratic in practice).
        """
        if style_name not in self._style_ids:
            self._style_ids[style_name] = str(self.document.styles[style_name].style_id)
        return self._style_ids[style_name]

    def _paragraph(self, text: str, style: str) -> Paragraph:
        """A new body paragraph in ``style``, placed before the final section properties."""
        if self._section_end is None:
            self._section_end = self.document.element.body.find(qn("w:sectPr"))
        element = OxmlElement("w:p")
        self._section_end.addprevious(element)
        paragraph = Paragraph(element, self.document._body)
        if style != "Normal":
            element.get_or_add_pPr().style = self._id(style)
        if text:
            element.append(ooxml.text_run(text))
        return paragraph

    def _reset(self, paragraph: Paragraph, text: str, style: str) -> Paragraph:
        """Empty ``paragraph`` of a template's content, then give it ``text`` and ``style``."""
        for child in list(paragraph._p):
            if not child.tag.endswith("}pPr"):
                paragraph._p.remove(child)
        paragraph._p.get_or_add_pPr().style = None if style == "Normal" else self._id(style)
        if text:
            self._run(paragraph, text)
        return paragraph

    def _run(self, paragraph: Paragraph, text: str, style: str | None = None) -> None:
        paragraph._p.append(ooxml.text_run(text, self._id(style) if style else None))

    def _anchor_for(self, session: Session) -> str:
        # Bookmark names must start with a letter, have no hyphen and at most 40 characters.
        if session.id not in self._anchors:
            self._anchors[session.id] = f"s{len(self._anchors) + 1}"
        return self._anchors[session.id]

    def _bookmark(self, paragraph: Paragraph, name: str) -> None:
        self._bookmark_count += 1
        ooxml.add_bookmark(paragraph, name, self._bookmark_count)


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
