"""The Word contents' page numbers: written into a finished copy, from a layout engine's pages.

The writer cannot know on which page a heading lands: only a layout engine
can.  So the copy leaves each entry's ``PAGEREF`` field with an empty result,
and asks the word processor to update its fields when the copy opens.  Where
the build can lay the copy out (:mod:`briefpack.build.word_layout`), it reads
each heading's page and calls :func:`fill_contents_pages`, which writes the
numbers in as the fields' results and drops that request: the contents read
right at once, with no prompt, and the fields stay fields that Word can
update.  Pure functions of the copy's bytes: the zip's entries keep their
order and their stamps, so equal inputs still give equal bytes.  They are
the build's, not the Word writer's: a renderer never reads a finished copy
back (``tests/architecture.py``), and only the build can lay one out.

To turn a layout engine's physical pages into the numbers a page shows (a
changes copy numbers its front matter apart, ECMA-376 17.6.12), the layout
is made of a marked copy (:func:`with_section_marks`): a bookmark at the
start of each section, whose page says where that section's numbering
begins.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT = "word/document.xml"
_SETTINGS = "word/settings.xml"
#: The bookmarks :func:`with_section_marks` sets, numbered from 1; never in a copy we write.
SECTION_MARK = "BpLayoutSection"
#: Bookmark ids that cannot meet the writer's, which count from 1.
_MARK_IDS = 900_000


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


@dataclass(frozen=True, slots=True)
class SectionNumbering:
    """How one section numbers its pages: restarting at ``start`` (or continuing), in ``form``."""

    start: int | None
    form: str


def page_references(docx: bytes) -> list[str]:
    """The bookmarks the copy's ``PAGEREF`` fields point at, in order, each once."""
    root = _read(docx, _DOCUMENT)
    return list(dict.fromkeys(bookmark for bookmark, _ in _page_fields(root)))


def awaits_numbers(docx: bytes) -> bool:
    """Whether ``docx`` has contents numbers still to fill (its layout failed, or never ran)."""
    settings = _read(docx, _SETTINGS)
    return settings.find(_w("updateFields")) is not None and bool(page_references(docx))


def fill_contents_pages(docx: bytes, pages: Mapping[str, str]) -> bytes:
    """``docx`` with each ``PAGEREF`` field's result the page of its bookmark in ``pages``.

    A bookmark ``pages`` lacks (a heading only the earlier version of a
    changes copy has) gets an empty result.  The request to update fields on
    opening goes: the results are right already.
    """
    document = _read(docx, _DOCUMENT)
    for bookmark, texts in _page_fields(document):
        for index, node in enumerate(texts):
            node.text = pages.get(bookmark, "") if index == 0 else ""
    settings = _read(docx, _SETTINGS)
    for request in settings.findall(_w("updateFields")):
        settings.remove(request)
    return _replaced(docx, {_DOCUMENT: _write(document), _SETTINGS: _write(settings)})


def with_section_marks(docx: bytes) -> tuple[bytes, tuple[SectionNumbering, ...]]:
    """A copy to lay out, with a bookmark at each section's start, and each section's numbering.

    Section ``n`` (from 1) starts at bookmark ``BpLayoutSection{n}``; a section
    with no paragraph of its own gets none.
    """
    document = _read(docx, _DOCUMENT)
    body = document.find(_w("body"))
    assert body is not None
    numbering: list[SectionNumbering] = []
    starting = True
    for block in list(body):
        if starting and block.tag in (_w("p"), _w("tbl"), _w("sdt")):
            first = block if block.tag == _w("p") else block.find(f".//{_w('p')}")
            if first is not None:
                _mark(first, len(numbering) + 1)
                starting = False
        properties = (
            block if block.tag == _w("sectPr") else block.find(f"{_w('pPr')}/{_w('sectPr')}")
        )
        if properties is not None:
            numbering.append(_numbering(properties))
            starting = True
    return _replaced(docx, {_DOCUMENT: _write(document)}), tuple(numbering)


def page_labels(
    first_pages: Mapping[int, int], numbering: tuple[SectionNumbering, ...], count: int
) -> list[str]:
    """The number each of ``count`` physical pages shows, from 1.

    ``first_pages`` gives the physical page on which each section (from 1)
    starts, as the layout put its mark there; a section without a mark
    shares its page with the next.
    """
    starts = sorted((page, section) for section, page in first_pages.items())
    labels: list[str] = []
    number = 0
    current = 0
    for page in range(1, count + 1):
        entering = [section for first, section in starts if first == page]
        if entering and numbering:
            current = entering[-1]
            start = _section_start(numbering, entering[0], current)
            number = start if start is not None else number + 1
        else:
            number += 1
        form = numbering[current - 1].form if numbering and current else "decimal"
        labels.append(formatted(number, form))
    return labels


def _section_start(numbering: tuple[SectionNumbering, ...], first: int, last: int) -> int | None:
    """Where a page that begins sections ``first``..``last`` restarts, if one of them does."""
    restarts = [numbering[n - 1].start for n in range(first, last + 1) if n <= len(numbering)]
    chosen = [start for start in restarts if start is not None]
    return chosen[-1] if chosen else None


def formatted(number: int, form: str) -> str:
    """``number`` as a page shows it in ``form`` (``decimal``, ``lowerRoman``, ``upperRoman``)."""
    if form in ("lowerRoman", "upperRoman") and number > 0:
        roman = _roman(number)
        return roman if form == "upperRoman" else roman.lower()
    return str(number)


def _roman(number: int) -> str:
    digits = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    text = ""
    for value, letters in digits:
        while number >= value:
            text += letters
            number -= value
    return text


def _numbering(properties: Any) -> SectionNumbering:
    numbers = properties.find(_w("pgNumType"))
    if numbers is None:
        return SectionNumbering(None, "decimal")
    start = numbers.get(_w("start"))
    return SectionNumbering(int(start) if start else None, numbers.get(_w("fmt"), "decimal"))


def _mark(paragraph: Any, number: int) -> None:
    identifier = str(_MARK_IDS + number)
    start = etree.Element(_w("bookmarkStart"), {_w("id"): identifier})
    start.set(_w("name"), f"{SECTION_MARK}{number}")
    end = etree.Element(_w("bookmarkEnd"), {_w("id"): identifier})
    properties = paragraph.find(_w("pPr"))
    at = 0 if properties is None else list(paragraph).index(properties) + 1
    paragraph.insert(at, start)
    paragraph.insert(at + 1, end)


def _page_fields(root: Any) -> Iterator[tuple[str, list[Any]]]:
    """Each ``PAGEREF`` field: its bookmark and the text nodes of its result.

    Fields nest (the contents' ``TOC`` holds them all), so a stack follows
    the field characters in document order; deleted text counts as text.
    """
    stack: list[tuple[list[str], list[Any], bool]] = []
    names = {_w(name) for name in ("fldChar", "instrText", "delInstrText", "t", "delText")}
    for node in root.iter(*names):
        if node.tag == _w("fldChar"):
            kind = node.get(_w("fldCharType"))
            if kind == "begin":
                stack.append(([], [], False))
            elif kind == "separate" and stack:
                instruction, texts, _ = stack[-1]
                stack[-1] = (instruction, texts, True)
            elif kind == "end" and stack:
                instruction, texts, _ = stack.pop()
                words = "".join(instruction).split()
                if len(words) >= 2 and words[0].upper() == "PAGEREF":
                    yield words[1], texts
        elif stack and node.tag in (_w("instrText"), _w("delInstrText")):
            if not stack[-1][2]:
                stack[-1][0].append(node.text or "")
        elif stack and stack[-1][2]:
            stack[-1][1].append(node)


def _read(docx: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return etree.fromstring(archive.read(name))


def _write(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _replaced(docx: bytes, parts: Mapping[str, bytes]) -> bytes:
    """``docx`` with ``parts`` replaced: every entry in its place, with its stamp and attributes."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, parts.get(info.filename, source.read(info.filename)))
    return output.getvalue()
