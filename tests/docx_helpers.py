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
