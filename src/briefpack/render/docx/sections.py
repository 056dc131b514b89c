"""The sections of a changes copy: its pages numbered as the clean pack's.

The changes page follows the cover, as in the PDF, without moving any page of
the pack: the cover is page 1, the changes page is front matter numbered in
lower-case roman numerals (i, ii…), and the pack resumes at page 2, so that
"page 6" in the contents, on the changes page or in the margin of a printed
copy is the same page in both copies.  Three sections do it (ECMA-376 Part 1,
17.6): the cover's ends at its last paragraph, the changes page's at its own
last (no empty paragraph made for layout, which a screen reader reads as
"blank").  Both versions of a changes copy share these breaks: they are never
tracked (:mod:`~briefpack.render.docx.tracking`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

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


@dataclass(frozen=True)
class FrontMatterEnds:
    """Where the cover and the changes page end, in the body being written."""

    cover_end: Paragraph
    changes_end: Paragraph


def last_paragraph(document: Document) -> Paragraph:
    """The body's last paragraph so far: where a section is to end (see :func:`number_pages`)."""
    return Paragraph(document.element.body.findall(qn("w:p"))[-1], document._body)


def number_pages(
    document: Document, body: Body, front: FrontMatterEnds, classification: str
) -> None:
    """Split the document into cover, front matter and pack, each numbered as the clean pack.

    Called once the body is written: the body's own section properties (page
    setup, header and footer, a cover without either) are copied to the
    cover's and the front matter's ends.  The front matter keeps the running
    header and gets a footer of its own, ``classification`` and the roman page
    number, as "Page ii of 30" would count pages that are not the pack's.
    """
    final = document.element.body.find(qn("w:sectPr"))
    cover = _end_section_at(front.cover_end, final)
    _number(cover, start=1, form="decimal")
    changes = _end_section_at(front.changes_end, final)
    for reference in changes.findall(qn("w:headerReference")) + changes.findall(
        qn("w:footerReference")
    ):
        changes.remove(reference)
    _remove_all(changes, "w:titlePg")
    _number(changes, start=1, form="lowerRoman")
    _remove_all(final, "w:titlePg")
    _number(final, start=2, form="decimal")
    footer = document.sections[1].footer
    footer.is_linked_to_previous = False
    paragraph = body.reset(footer.paragraphs[0], classification, "Footer")
    ooxml.add_tab(paragraph)
    ooxml.add_tab(paragraph)
    ooxml.add_field(paragraph, "PAGE", "i")
    body.bookmark(last_paragraph(document), LAST_PAGE)


def _end_section_at(paragraph: Paragraph, final: Any) -> Any:
    """Make ``paragraph`` end a section set up as the body's last one; its ``w:sectPr``."""
    properties = paragraph._p.get_or_add_pPr()
    section = final.clone()
    # w:sectPr comes after every other paragraph property but w:pPrChange.
    change = properties.find(qn("w:pPrChange"))
    if change is not None:
        change.addprevious(section)
    else:
        properties.append(section)
    return section


def _number(section: Any, start: int, form: str) -> None:
    _remove_all(section, "w:pgNumType")
    numbers = ooxml.element("w:pgNumType", fmt=form, start=str(start))
    section.insert_element_before(numbers, *_AFTER_PAGE_NUMBERS)


def _remove_all(section: Any, tag: str) -> None:
    for child in section.findall(qn(tag)):
        section.remove(child)
