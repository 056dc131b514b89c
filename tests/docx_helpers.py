"""Reading .docx files back in tests: the XML inside, not the bytes."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


def part(data: bytes, name: str) -> Any:
    """The parsed XML of one part, e.g. ``word/document.xml``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def parts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def body_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """Each body paragraph outside tables as (style id, text)."""
    body = part(data, "word/document.xml").find("w:body", NS)
    result = []
    for paragraph in body.findall("w:p", NS):
        style = paragraph.find("w:pPr/w:pStyle", NS)
        text = "".join(paragraph.xpath(".//w:t/text()", namespaces=NS))
        result.append((style.get(f"{{{W}}}val") if style is not None else "", text))
    return result


def canonical(element: Any) -> str:
    """XML text with stable formatting, for comparison with a golden file."""
    return etree.tostring(element, pretty_print=True, encoding="unicode")


def accept_all(data: bytes) -> Any:
    """The body of ``data`` as Word's Accept All leaves it: insertions kept, deletions gone.

    A move's new place is kept, as an insertion is, and its old place goes.
    """
    return _resolve(
        part(data, "word/document.xml"), keep=("ins", "moveTo"), drop=("del", "moveFrom")
    )


def reject_all(data: bytes) -> Any:
    """The body of ``data`` as Word's Reject All leaves it: deletions kept, insertions gone.

    A move's old place is kept, as a deletion is, and its new place goes.
    """
    return _resolve(
        part(data, "word/document.xml"), keep=("del", "moveFrom"), drop=("ins", "moveTo")
    )


def _resolve(root: Any, keep: tuple[str, ...], drop: tuple[str, ...]) -> Any:
    body = root.find("w:body", NS)
    dropped = " | ".join(f".//w:{kind}" for kind in drop)
    kept = " | ".join(f".//w:{kind}" for kind in keep)
    # A paragraph or row whose mark was dropped goes (its content was dropped with it).
    for kind in drop:
        for marked in body.xpath(f".//w:pPr/w:rPr/w:{kind}/../../..", namespaces=NS):
            marked.getparent().remove(marked)
        for marked in body.xpath(f".//w:trPr/w:{kind}/../..", namespaces=NS):
            marked.getparent().remove(marked)
    for element in body.xpath(dropped, namespaces=NS):
        element.getparent().remove(element)
    # A move's range marks say where its halves are; they hold no text.
    ranges = ".//w:moveFromRangeStart | .//w:moveFromRangeEnd"
    for element in body.xpath(
        f"{ranges} | .//w:moveToRangeStart | .//w:moveToRangeEnd", namespaces=NS
    ):
        element.getparent().remove(element)
    for element in body.xpath(kept, namespaces=NS):
        if element.getparent().tag in (f"{{{W}}}rPr", f"{{{W}}}trPr"):
            element.getparent().remove(element)
            continue
        parent, index = element.getparent(), element.getparent().index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
        parent.remove(element)
    for text in body.xpath(".//w:delText", namespaces=NS):
        text.tag = f"{{{W}}}t"
    # A table cell keeps its last paragraph mark, which Word never removes: one
    # whose paragraphs all went is left with an empty paragraph.
    for cell in body.xpath(".//w:tc[not(w:p)]", namespaces=NS):
        etree.SubElement(cell, f"{{{W}}}p")
    return body


def paragraph_texts(body: Any) -> list[str]:
    """Every paragraph's text in document order, tables included."""
    return ["".join(p.xpath(".//w:t/text()", namespaces=NS)) for p in body.iter(f"{{{W}}}p")]
