"""Fields (ECMA-376 17.16), bookmarks (17.13.6), links and tabs."""

from __future__ import annotations

from typing import Any

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefpack.render.docx.ooxml.elements import element, make_run, text_run

SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def begin_field(paragraph: Paragraph, instruction: str) -> None:
    """Open a complex field: its instruction follows, then its cached result."""
    paragraph._p.append(make_run(element("w:fldChar", fldCharType="begin")))
    instruction_text = element("w:instrText")
    instruction_text.text = f" {instruction} "
    instruction_text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    paragraph._p.append(make_run(instruction_text))
    paragraph._p.append(make_run(element("w:fldChar", fldCharType="separate")))


def end_field(paragraph: Paragraph) -> None:
    """Close the complex field opened last (possibly in an earlier paragraph)."""
    paragraph._p.append(make_run(element("w:fldChar", fldCharType="end")))


def add_field(
    paragraph: Paragraph, instruction: str, cached: str, style: str | None = None
) -> None:
    """Append a field such as ``PAGE`` with ``cached`` as its result until it is updated."""
    begin_field(paragraph, instruction)
    paragraph._p.append(text_run(cached, style))
    end_field(paragraph)


#: What a page reference shows until a layout engine (or the word processor) numbers it:
#: nothing, rather than a number that would be wrong.
PAGE_PLACEHOLDER = ""


def page_reference(bookmark: str, cached: str = PAGE_PLACEHOLDER) -> list[Any]:
    """The runs of a ``PAGEREF`` field: the page ``bookmark`` is on, ``cached`` until updated.

    Runs, not a paragraph, so that a contents entry can hold them inside its
    link, after its tab, as Word writes its own contents (ECMA-376 17.16.5.45).
    """
    instruction = element("w:instrText")
    instruction.text = f" PAGEREF {bookmark} \\h "
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return [
        make_run(element("w:fldChar", fldCharType="begin")),
        make_run(instruction),
        make_run(element("w:fldChar", fldCharType="separate")),
        text_run(cached),
        make_run(element("w:fldChar", fldCharType="end")),
    ]


def update_fields_on_open(document: Document) -> None:
    """Ask the word processor to refresh fields (the table of contents) when opening."""
    settings = document.settings.element
    existing = settings.find(qn("w:updateFields"))
    if existing is None:
        existing = element("w:updateFields")
        settings.insert_element_before(existing, *SETTINGS_AFTER_UPDATE_FIELDS)
    existing.set(qn("w:val"), "true")


# ---------------------------------------------------------------- links and bookmarks


def add_bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Mark the whole of ``paragraph`` as bookmark ``name`` (a link target)."""
    start = element("w:bookmarkStart", id=str(number), name=name)
    end = element("w:bookmarkEnd", id=str(number))
    properties = paragraph._p.find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def internal_link(anchor: str, *runs: Any) -> Any:
    """A ``w:hyperlink`` to bookmark ``anchor`` holding ``runs``."""
    link = element("w:hyperlink", anchor=anchor, history="1")
    for run in runs:
        link.append(run)
    return link


def external_link(paragraph: Paragraph, url: str, *runs: Any) -> Any:
    """A ``w:hyperlink`` to ``url`` (through a relationship of the paragraph's part)."""
    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    link.set(qn("w:history"), "1")
    for run in runs:
        link.append(run)
    return link


def add_tab(paragraph: Paragraph, style: str | None = None) -> None:
    """Append a tab character."""
    paragraph._p.append(tab_run(style))


def tab_run(style: str | None = None) -> Any:
    """A run holding a tab character, for a paragraph or a link."""
    return make_run(element("w:tab"), style=style)
