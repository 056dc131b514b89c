"""The Word copy's sections: one per part, so that each page's header names its part.

The PDF's running header names the part a page belongs to: "At a glance",
"Contents", or the session ("Session 1 · Strategy").  A Word header is a
section's (ECMA-376 Part 1, 17.6), so each part the PDF names is a section
of its own, begun on a new page (``w:type`` next page, the default): the
writer records where each part starts (:class:`Parts`), and once the body is
written :meth:`Parts.split` ends a section at each part's last paragraph.  A
part that ends in a table or a content control gets a paragraph for its
section break, one point high (Word does the same: a section break after a
table is a paragraph of its own).

Pages are numbered through the sections without a restart, so "Page 7 of 30"
reads as in a copy of one section.  A changes copy's changes page follows the
cover, as in the PDF, without moving any page of the pack: the cover is page
1, the changes page is front matter numbered in lower-case roman numerals
(i, ii…), and the pack resumes at page 2, so that "page 6" in the contents,
on the changes page or in the margin of a printed copy is the same page in
both copies.  A section break on a paragraph that only one version has is
tracked with it (it goes when its part goes); a part that both versions
have ends on a paragraph that is never tracked, so that neither Accept All
nor Reject All joins it to the next part.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Literal

from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefpack.model.both_versions import Side
from briefpack.render.docx import ooxml
from briefpack.render.docx.body import Body

#: The hidden bookmark on the pack's last paragraph: "of N" in the footer is its page,
#: as the front matter's pages are not the pack's.
LAST_PAGE = "_BpLastPage"
#: CT_SectPr's children after ``w:pgNumType``, in the schema's order.
_AFTER_PAGE_NUMBERS = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)
#: What a part is, for its header, footer and page numbers: the debrief's summary and the
#: cover show no running header, the changes page is front matter, the rest is the pack.
PartKind = Literal["debrief", "cover", "front", "pack"]


@dataclass(frozen=True)
class Part:
    """A part of the document, which a section of its own holds."""

    kind: PartKind
    #: What the running header says at the right on the part's pages (the PDF's words).
    words: str
    #: Which versions have the part, in a changes copy: a section break only one has is tracked.
    side: Side
    #: The body's block before the part's first one (``None`` at the body's start).
    after: Any


@dataclass(frozen=True)
class Section:
    """A part, and the section properties (``w:sectPr``) that end it."""

    part: Part
    properties: Any


class Parts:
    """Where each part starts, recorded as the writer writes; then the sections that hold them."""

    def __init__(self, body: Body) -> None:
        self.body = body
        self._parts: list[Part] = []

    def start(self, kind: PartKind, words: str = "", side: Side = "both") -> None:
        """The next block the body gets starts a part (an empty part is dropped)."""
        self._parts.append(Part(kind, words, side, self.body.last_block()))

    def split(self, document: Document) -> list[Section]:
        """End a section at each part's end: the parts, each with its ``w:sectPr``, in order.

        Each section is set up as the body's final one (page size and margins,
        a template's even-page header), without its header and footer and
        first-page setting, which :mod:`~briefpack.render.docx.running_heads`
        gives each part; the last part keeps the final section properties.
        """
        body = document.element.body
        final = body.find(qn("w:sectPr"))
        _remove_all(final, "w:titlePg")
        _remove_all(final, "w:type")
        model = final.clone()
        for reference in (qn("w:headerReference"), qn("w:footerReference")):
            for child in model.findall(reference):
                if child.get(qn("w:type")) in ("default", "first"):
                    model.remove(child)
        parts = [
            part
            for part, following in zip(self._parts, [*self._parts[1:], None], strict=True)
            if following is None or following.after is not part.after
        ]
        sections = []
        for part, following in itertools.pairwise(parts):
            paragraph = self._section_end(following.after, part)
            properties = model.clone()
            properties_of = paragraph.get_or_add_pPr()
            # w:sectPr comes after every other paragraph property but w:pPrChange.
            change = properties_of.find(qn("w:pPrChange"))
            if change is not None:
                change.addprevious(properties)
            else:
                properties_of.append(properties)
            sections.append(Section(part, properties))
        sections.append(Section(parts[-1], final))
        return sections

    def _section_end(self, block: Any, part: Part) -> Any:
        """The paragraph that ends ``part``'s section: its last, or one made after its last."""
        if (
            block.tag == qn("w:p")
            and (part.side != "both" or not ooxml.is_tracked(block))
            and not _ends_a_field(block)
        ):
            return block
        paragraph = ooxml.element("w:p")
        properties = paragraph.get_or_add_pPr()
        # One point high: the break takes no room, so the part's last page is not pushed on.
        ooxml.add_paragraph_property(
            properties,
            ooxml.element("w:spacing", before="0", after="0", line="20", lineRule="exact"),
        )
        marks = ooxml.element("w:rPr")
        marks.append(ooxml.element("w:sz", val="2"))
        ooxml.add_paragraph_property(properties, marks)
        block.addnext(paragraph)
        if self.body.tracker is not None:
            self.body.tracker.blocks([paragraph], part.side)
        return paragraph


def _ends_a_field(paragraph: Any) -> bool:
    """Whether a field begun in an earlier paragraph (the contents) ends in ``paragraph``.

    LibreOffice lays out the footer of a section whose break shares a paragraph
    with the contents' end without its page numbers.
    """
    kinds = [mark.get(qn("w:fldCharType")) for mark in paragraph.iter(qn("w:fldChar"))]
    return kinds.count("end") > kinds.count("begin")


def last_paragraph(document: Document) -> Paragraph:
    """The body's last paragraph: where the pack ends, for "of N" in a changes copy's footer."""
    return Paragraph(document.element.body.findall(qn("w:p"))[-1], document._body)


def number_pages(sections: list[Section], changes: bool) -> None:
    """Number the pages through every section; a changes copy's as the clean pack's.

    Outside a changes copy only the first section may say where numbering
    starts (a company template's setting).  In a changes copy the cover is
    page 1, the front matter i, ii…, and the pack's first part page 2.
    """
    previous: PartKind | None = None
    for index, section in enumerate(sections):
        properties, kind = section.properties, section.part.kind
        if not changes:
            numbers = properties.find(qn("w:pgNumType"))
            if index and numbers is not None and numbers.get(qn("w:start")) is not None:
                del numbers.attrib[qn("w:start")]
        elif kind == "front":
            _number(properties, 1, "lowerRoman")
        elif index == 0:
            _number(properties, 1, "decimal")
        else:
            _number(properties, 2 if previous == "front" else None, "decimal")
        previous = kind


def _number(section: Any, start: int | None, form: str) -> None:
    _remove_all(section, "w:pgNumType")
    numbers = ooxml.element("w:pgNumType", fmt=form)
    if start is not None:
        numbers.set(qn("w:start"), str(start))
    section.insert_element_before(numbers, *_AFTER_PAGE_NUMBERS)


def _remove_all(section: Any, tag: str) -> None:
    for child in section.findall(qn(tag)):
        section.remove(child)
