"""Each part's running header and footer, as the PDF's pages have them, and a recipient's mark.

A mixin of the Word writer (:class:`briefpack.render.docx.writer._DocxWriter`),
run once the body is written and split into a section per part
(:mod:`~briefpack.render.docx.sections`).  The header reads as the PDF's: the
pack's title at the left (after the theme's logo), and at the right the part's
own words ("At a glance", "Contents", "Session 1 · Strategy"), both shortened
to one line as the PDF shortens them (:func:`~briefpack.render.theme_css.running_text`);
the cover and a debrief's summary have neither, the changes page only the title.
The footer is the classification and "Page X of Y" (the changes page's, its
roman number), at a right tab on the margin, after the version where there is
one ("Version 3 · issued Oct 21, 2025 · Page 3 of 15").

A recipient's copy carries, in every header, the cover's included, the
watermark Word itself makes (:mod:`~briefpack.render.docx.ooxml.watermark`):
the PDF's mark, "Prepared for NAME · DATE", across the middle of every page at
the PDF's angle, in the theme's ink made light.  The PDF has no name in its
header, so neither has the Word copy: the mark says it on every page.
"""

from __future__ import annotations

import copy
import functools
import itertools
import logging
import math
from importlib.resources import files
from pathlib import Path
from typing import Any

from docx.document import Document
from docx.enum.section import WD_HEADER_FOOTER
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.parts.hdrftr import HeaderPart
from docx.section import Section as WordSection
from docx.shared import Length, Mm
from docx.text.paragraph import Paragraph

from briefpack.model import Pack
from briefpack.render.docx import ooxml, package
from briefpack.render.docx.body import Body
from briefpack.render.docx.ooxml.watermark import watermark_run
from briefpack.render.docx.sections import LAST_PAGE, Part, Section
from briefpack.render.recipient_mark import ANGLE, LINE_HEIGHT
from briefpack.render.settings import RenderSettings
from briefpack.render.theme_css import running_text, text_width
from briefpack.render.view import PackView

logger = logging.getLogger("briefpack")
#: The PDF's mark (pack.css, ``.recipient-mark``): its size in points, weight and opacity.
MARK_SIZE = 26.0
MARK_WEIGHT = 600
MARK_OPACITY = 0.12
#: How much lighter than the ink Word fills the mark, before its own transparency (half):
#: together, the PDF's opacity; without the transparency (a reader that ignores it), still light.
MARK_TINT = 2 * MARK_OPACITY
#: The height of the mark's shape, in ems of its size: Word stretches the text to fill its
#: shape, so the shape is as high as a line of it (ascent and descent), the PDF's line height.
MARK_HEIGHT = LINE_HEIGHT


class RunningHeads:
    """Headers and footers of every section, and the logo they share with the cover."""

    document: Document
    pack: Pack
    body: Body
    settings: RenderSettings
    view: PackView
    #: Whether this is a changes copy, whose footer counts the pack's pages only.
    changes: bool
    _logo_warned: bool
    #: The first section (its page and margins), and the width between its margins.
    _first_section: WordSection
    _margin: Length
    #: The pack's title as the header's left box shows it.
    _running_title: str

    def _running_heads(self, sections: list[Section]) -> None:
        """Give each section its header and footer; the last one's are a company template's."""
        # python-docx finds a section by searching the body: once, then by index.
        word_sections = list(self.document.sections)
        self._first_section = word_sections[0]
        self._margin = Mm(package.section_text_width(word_sections[0]))
        # The same title in every header: shortened once.
        theme, paper = self.settings.chosen_theme, self.settings.paper
        self._running_title = running_text(self.view.cover.event_title, theme, paper, "left")
        final = word_sections[-1]
        # A template's own header and footer: copied into each part's, their first line ours.
        prototype = None if final.header.is_linked_to_previous else final.header.part
        footer = None
        if not final.footer.is_linked_to_previous:
            footer = _footer_id(final._sectPr)
            self._page_footer(final.footer.paragraphs[0])
        headers = _NewHeaders(self.document)
        for index, (section, word) in enumerate(zip(sections, word_sections, strict=True)):
            kind = section.part.kind
            header = word.header
            if header.is_linked_to_previous:
                headers.add(word)
                if prototype is not None and kind in ("front", "pack"):
                    _copy_story(prototype, header.part)
            self._header(header.paragraphs[0], section.part, index + 1)
            if kind in ("cover", "front"):
                word.footer.is_linked_to_previous = False
                paragraph = word.footer.paragraphs[0]
                if kind == "cover":
                    self.body.reset(paragraph, "", "Normal")
                else:
                    self._front_footer(paragraph)
            elif footer is None:
                word.footer.is_linked_to_previous = False
                self._page_footer(word.footer.paragraphs[0])
                footer = _footer_id(word._sectPr)
            elif word.footer.is_linked_to_previous:
                word._sectPr.add_footerReference(WD_HEADER_FOOTER.PRIMARY, footer)

    def _header(self, paragraph: Paragraph, part: Part, number: int) -> None:
        """A part's header: the title and the part's words; a recipient's mark behind them."""
        view = self.view
        self.body.reset(paragraph, "", "Header")
        if view.prepared_for:
            paragraph._p.append(self._watermark(view.prepared_for, number))
        if part.kind in ("cover", "debrief"):
            return
        self._tab_at_margin(paragraph, "Header")
        logo = self._logo()
        if logo is not None:
            shape = paragraph.add_run().add_picture(str(logo), height=Mm(4.5))
            ooxml.describe_picture(shape, view.logo_alt)
            self.body.run(paragraph, " ")
        self.body.run(paragraph, self._running_title)
        if part.words:
            ooxml.add_tab(paragraph)
            self.body.run(paragraph, part.words)

    def _page_footer(self, paragraph: Paragraph) -> None:
        """The classification, and "Page X of Y" in the pack's language, the numbers as fields.

        A changes copy counts the pack's pages only, not its front matter's.
        """
        self.body.reset(paragraph, self.view.cover.classification or "", "Footer")
        self._tab_at_margin(paragraph, "Footer")
        ooxml.add_tab(paragraph)
        pages = "NUMPAGES" if not self.changes else f"PAGEREF {LAST_PAGE}"
        fields = {"{page}": "PAGE", "{pages}": pages}
        self._version(paragraph)
        for piece in self.view.page_footer:
            if piece in fields:
                ooxml.add_field(paragraph, fields[piece], "1")
            else:
                paragraph.add_run(piece)

    def _front_footer(self, paragraph: Paragraph) -> None:
        """The front matter's footer: the classification and the page's roman number alone."""
        self.body.reset(paragraph, self.view.cover.classification or "", "Footer")
        self._tab_at_margin(paragraph, "Footer")
        ooxml.add_tab(paragraph)
        self._version(paragraph)
        ooxml.add_field(paragraph, "PAGE", "i")

    def _version(self, paragraph: Paragraph) -> None:
        """ "Version 3 · issued Oct 21, 2025 · " before the page's number, as the PDF's footer."""
        if self.view.cover.version:
            paragraph.add_run(f"{self.view.cover.version} · ")

    def _tab_at_margin(self, paragraph: Paragraph, style: str) -> None:
        """One right tab at the right margin, for the line's right half, as the PDF's box."""
        stops = paragraph.paragraph_format.tab_stops
        margin = self._margin
        for stop in self.body.paragraph_style(style).paragraph_format.tab_stops:
            if abs(stop.position - margin) > Mm(1):
                stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
        stops.add_tab_stop(margin, WD_TAB_ALIGNMENT.RIGHT)

    def _watermark(self, text: str, number: int) -> Any:
        """The recipient's mark at the PDF's size, angle and lightness; smaller if it must fit.

        As :mod:`~briefpack.render.recipient_mark` does for the PDF: a long name
        is set at the size at which the turned line stays within the margins.
        """
        theme = self.settings.chosen_theme
        section = self._first_section
        width, height = _points(section.page_width, 595.3), _points(section.page_height, 841.9)
        across = width - 2 * max(_points(section.left_margin), _points(section.right_margin))
        up = height - 2 * max(_points(section.top_margin), _points(section.bottom_margin))
        face = min(
            (abs(weight - MARK_WEIGHT), path)
            for weight, style, path in theme.fonts.heading.faces()
            if style == "normal"
        )[1]
        per_size = text_width(text, face, 1.0)
        turn = math.radians(ANGLE)
        size = min(
            MARK_SIZE,
            across / (per_size * math.cos(turn) + LINE_HEIGHT * math.sin(turn)),
            up / (per_size * math.sin(turn) + LINE_HEIGHT * math.cos(turn)),
        )
        return watermark_run(
            text,
            number=number,
            font=theme.fonts.heading.word,
            colour=_lighter(theme.colours.ink, MARK_TINT),
            opacity=0.5,
            size_pt=(per_size * size, MARK_HEIGHT * size),
            rotation=360 - ANGLE,
            bold=MARK_WEIGHT >= 600,
        )

    def _logo(self) -> Path | None:
        """The theme's logo, if the Word copy can show it: Word needs a PNG fallback for SVG."""
        logo = self.settings.chosen_theme.logo
        if logo is None or logo.suffix.lower() != ".svg":
            return logo
        if not self._logo_warned:
            self._logo_warned = True
            logger.warning(
                "%s: warning: the theme's SVG logo is in the PDF but not the Word copy; "
                "give the theme a PNG logo for both",
                self.pack.source,
            )
        return None


class _NewHeaders:
    """Each section's own header part, made as python-docx makes one (``is_linked_to_previous
    = False``): the first free ``/word/headerN.xml``, its default XML, the next relationship.

    python-docx walks every part of the package to find the free name, and
    reads its default header from disk, for each: a 1,400-question copy has 200 sections.
    """

    def __init__(self, document: Document) -> None:
        self._main = document.part
        self._taken = {str(part.partname) for part in document.part.package.iter_parts()}

    def add(self, section: WordSection) -> None:
        """Give ``section`` a new, empty header of its own."""
        name = next(
            name
            for name in (f"/word/header{number}.xml" for number in itertools.count(1))
            if name not in self._taken
        )
        self._taken.add(name)
        part = HeaderPart(
            PackURI(name), CONTENT_TYPE.WML_HEADER, parse_xml(_default_header()), self._main.package
        )
        relationship = self._main.relate_to(part, RELATIONSHIP_TYPE.HEADER)
        section._sectPr.add_headerReference(WD_HEADER_FOOTER.PRIMARY, relationship)


@functools.cache
def _default_header() -> bytes:
    """python-docx's XML of a new header part (its ``templates/default-header.xml``)."""
    return (files("docx") / "templates" / "default-header.xml").read_bytes()


def _footer_id(properties: Any) -> str:
    """The relationship id of a section's default footer, which later sections share."""
    reference = properties.get_footerReference(WD_HEADER_FOOTER.PRIMARY)
    assert reference is not None
    return str(reference.rId)


def _points(length: Any, default: float = 72.0) -> float:
    """A python-docx length in points; ``default`` where a template leaves it unset."""
    return float(length.pt) if length is not None else default


def _lighter(colour: str, share: float) -> str:
    """``colour`` (``#rrggbb``) mixed into white: ``share`` of it, the rest white."""
    channels = [int(colour[index : index + 2], 16) for index in (1, 3, 5)]
    mixed = [round(255 - (255 - channel) * share) for channel in channels]
    return "#" + "".join(f"{channel:02x}" for channel in mixed)


def _copy_story(source: Any, target: Any) -> None:
    """Copy a template's header (``source``, a part) into a new one, with its relationships."""
    target_root = target.element
    for child in list(target_root):
        target_root.remove(child)
    relationships = {}
    for rel_id, relationship in source.rels.items():
        if relationship.is_external:
            relationships[rel_id] = target.relate_to(
                relationship.target_ref, relationship.reltype, is_external=True
            )
        else:
            relationships[rel_id] = target.relate_to(relationship.target_part, relationship.reltype)
    relationship_namespace = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    for child in source.element:
        duplicate = copy.deepcopy(child)
        for node in duplicate.iter():
            for name, value in node.attrib.items():
                if name.startswith(relationship_namespace) and value in relationships:
                    node.set(name, relationships[value])
        target_root.append(duplicate)
