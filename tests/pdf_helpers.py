"""Reading PDFs back in tests: text per page, outline, fonts, as a reader's tools see them."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

# A line may end after a hyphen, dash or slash without a space: join those
# without one, every other line break is a space. Hyphenation is off, so a
# hyphen at the end of a line is always the author's.
_JOINING_BREAK = re.compile(r"(?<=[-\u2010\u2013\u2014/])\n")


def normalise(text: str) -> str:
    """Collapse the line structure of extracted text into running text."""
    return re.sub(r"\s+", " ", _JOINING_BREAK.sub("", text)).strip()


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    """The text of every page, normalised; index 0 is page 1."""
    return [normalise(page.extract_text()) for page in reader(data).pages]


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    page: int  # 1-based
    children: tuple[OutlineEntry, ...]


def outline(data: bytes) -> tuple[OutlineEntry, ...]:
    """The PDF bookmarks as a tree, each with the page it lands on."""
    pdf = reader(data)

    def walk(items: list[object]) -> tuple[OutlineEntry, ...]:
        entries: list[OutlineEntry] = []
        for item in items:
            if isinstance(item, list):
                last = entries.pop()
                entries.append(OutlineEntry(last.title, last.page, walk(item)))
            else:
                page = pdf.get_destination_page_number(item) + 1  # type: ignore[arg-type]
                entries.append(OutlineEntry(item.title, page, ()))  # type: ignore[attr-defined]
        return tuple(entries)

    return walk(pdf.outline)


def fonts(data: bytes) -> Iterator[tuple[str, bool]]:
    """Each font used on any page: its name without subset prefix, and whether it is embedded."""
    seen: set[int] = set()
    for page in reader(data).pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        font_dict = resources.get_object().get("/Font")
        if font_dict is None:
            continue
        for reference in font_dict.get_object().values():
            key = reference.idnum if isinstance(reference, IndirectObject) else id(reference)
            if key in seen:
                continue
            seen.add(key)
            font = reference.get_object()
            yield _base_name(font), _embedded(font)


def _base_name(font: DictionaryObject) -> str:
    name = str(font.get("/BaseFont", ""))
    return re.sub(r"^/?[A-Z]{6}\+", "", name).lstrip("/")


def _embedded(font: DictionaryObject) -> bool:
    descendants = font.get("/DescendantFonts")
    if descendants is not None:
        font = descendants.get_object()[0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def pdf_colours(data: bytes) -> set[str]:
    """Every fill and stroke colour drawn on any page, as #rrggbb."""
    colours = set()
    for page in reader(data).pages:
        stream = page.get_contents().get_data()
        for match in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)", stream):
            colours.add("#" + "".join(f"{round(float(c) * 255):02x}" for c in match.groups()))
    return colours


def page_findings(pdf: Path | bytes, profile: str = "ua1") -> list[str]:
    """What ``page``, an independent PDF/UA and PDF/A validator, finds wrong with ``pdf``.

    Each finding as ``RULE: message (object)``; none for a conforming file.
    """
    import page

    if isinstance(pdf, bytes):
        report = page.validate_pdf_bytes(pdf, profile=profile)
    else:
        report = page.validate_pdf(str(pdf), profile=profile)
    return [
        f"{failure.rule_id}: {failure.message} ({failure.object_id})" for failure in report.failures
    ]
