"""Layout rules read back from a built PDF, as a reader would see its pages (issue 26, part 3).

Each rule returns readable violations rather than raising, so a test can show
every broken page at once, and so a test can prove that a rule catches a bad
PDF.  The rules read only the PDF, through pdfplumber's positions and the
PDF's outline, so they hold for any theme and any language:

* **Where things are** comes from the outline: WeasyPrint writes each
  bookmark as an ``/XYZ`` destination at its element's top.  A question's
  bookmark reads ``N. Title`` (a dash for the number of a question a
  change-marked pack shows as removed); a pre-read's is its title (pass the titles when a pre-read
  may itself be titled like a question); every other one (cover, at a glance,
  attendees, contents, changes, debrief, day, session) starts a part.
* **The body area** is where the text goes, between the running header and
  the footer.  Its top is the highest bookmark's top (every part and day starts
  there); the bottom is taken as far from the page's foot as the top is
  from its head (the themes' margins differ by a few millimetres, which moves a
  page's fill by 1 %).  Text above the body is the running header, text below it
  the footer.
* **Pages without a running header or footer** (the cover) may bleed: their
  accent bar is meant to run off the paper's edge, and a printer trims it.  No
  other page may draw within :data:`PRINTABLE_INSET` of the edge.
* **Pre-read pages** are the author's own pages, scaled in: their fill and the
  overlaps within them are the author's; only the stamped header and footer are
  checked against them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pypdf import PdfReader

#: 1 mm in points.
MM = 72 / 25.4
#: How far from the paper's edge a printer can print: nothing but a cover's bleed comes closer.
PRINTABLE_INSET = 4 * MM
#: A page less filled than this (of its body area) is sparse, unless it ends a part.
MIN_FILL = 1 / 3
#: What a question loses at a page break and needs back on one page (the gap between its
#: blocks at the break, a paragraph's margin): within this of the body's height, a split
#: question is taken not to fit.
SPLIT_SLACK = 24.0
#: A question's bookmark: its number (or a dash for a removed one) and title.
_QUESTION = re.compile(r"^(?:\d+|–)\.\s")
ELLIPSIS = "…"

Obj = dict[str, Any]


@dataclass(frozen=True)
class Violation:
    """One broken rule on one page (1-based), in words."""

    rule: str
    page: int
    message: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class Entry:
    """A bookmark: its title, depth (1 = top), page (0-based), top (from the page's head)."""

    title: str
    level: int
    page: int
    top: float
    kind: str  # "question", "pre-read" or "part"


@dataclass
class Layout:
    """What the rules read of one PDF, once."""

    pdf: Any
    entries: list[Entry]
    body_top: float

    def body_bottom(self, page: Any) -> float:
        return float(page.height) - self.body_top

    def header_chars(self, page: Any) -> list[Obj]:
        return [c for c in upright_chars(page) if c["bottom"] <= self.body_top + 0.5]

    def footer_chars(self, page: Any) -> list[Obj]:
        return [c for c in upright_chars(page) if c["top"] >= self.body_bottom(page) - 0.5]

    def has_running_lines(self, index: int) -> bool:
        page = self.pdf.pages[index]
        return bool(self.header_chars(page) or self.footer_chars(page))

    def body_objects(self, index: int) -> list[Obj]:
        """Everything drawn in the body of a page: text, shapes, pictures, form fields."""
        page = self.pdf.pages[index]
        top, bottom = self.body_top + 0.5, self.body_bottom(page) - 0.5
        chars = [c for c in upright_chars(page) if c["bottom"] > top and c["top"] < bottom]
        drawn = [*page.rects, *page.lines, *page.curves, *page.images, *widgets(page)]
        return chars + [o for o in drawn if visible(o) and o["bottom"] > top and o["top"] < bottom]

    def pre_read_pages(self) -> set[int]:
        """The pages of each pre-read (its divider included), from its bookmark to the next one."""
        pages: set[int] = set()
        for index, entry in enumerate(self.entries):
            if entry.kind == "pre-read":
                end = next_page(self.entries, index, len(self.pdf.pages))
                pages.update(range(entry.page, end))
        return pages


def next_page(entries: Sequence[Entry], index: int, pages: int) -> int:
    """The page the bookmark after ``entries[index]`` is on (``pages`` after the last)."""
    later = [entry.page for entry in entries[index + 1 :] if entry.page > entries[index].page]
    return later[0] if later else pages


def upright_chars(page: Any) -> list[Obj]:
    """A page's visible characters set level, less a recipient's diagonal mark.

    The mark is drawn over every page on purpose, light enough to read
    through: it is the one text a book draws turned by an angle that is not a
    multiple of 90°.  pdfplumber's ``upright`` does not tell it (a line turned
    by 35° counts as upright), its text matrix does.  :func:`_drawn` still
    holds the mark to the paper.
    """
    return [c for c in page.chars if c["text"].strip() and not _slanted(c)]


def _slanted(char: Obj) -> bool:
    """True for a character drawn turned by an angle that is not a multiple of 90°.

    Its baseline (the matrix's first row) has both an x and a y part; a
    synthetic italic's skew leaves the baseline level, so it still counts.
    """
    a, b = (abs(float(value)) for value in char["matrix"][:2])
    return min(a, b) > 0.01 * max(a, b)


def widgets(page: Any) -> list[Obj]:
    with warnings.catch_warnings():
        # pdfplumber reads an annotation's text strings as UTF-8 or UTF-16 only, and warns
        # of a PDFDocEncoding one (valid PDF: a link's "miércoles"); only the subtype counts.
        warnings.filterwarnings("ignore", "Could not decode", UserWarning)
        annots = page.annots
    return [a for a in annots if (a.get("data") or {}).get("Subtype") in ("/Widget", "Widget")]


def visible(obj: Obj) -> bool:
    """A shape that puts ink on paper: not a white fill (the contents' leader masks)."""
    if obj.get("object_type") in ("rect", "curve") and obj.get("fill") and not obj.get("stroke"):
        colour = obj.get("non_stroking_color")
        if isinstance(colour, tuple | list) and colour and all(v == 1 for v in colour):
            return False
    return obj["x1"] - obj["x0"] > 0.01 or obj["bottom"] - obj["top"] > 0.01


def read_layout(path: Path, pre_reads: Collection[str] = ()) -> Layout:
    """Open ``path`` for the rules; ``pre_reads``: the pre-reads' titles, if known."""
    entries = list(_entries(path, pre_reads))
    # A text string in PDFDocEncoding is valid PDF that pdfplumber's annotations misread.
    pdf = pdfplumber.open(path, raise_unicode_errors=False)
    # Every part and day starts a page at the body's top; nothing is bookmarked above it.
    tops = [entry.top for entry in entries if entry.top > 1]
    body_top = min(tops) if tops else 20 * MM
    return Layout(pdf, entries, body_top)


def _entries(path: Path, pre_reads: Collection[str]) -> Iterator[Entry]:
    reader = PdfReader(path)

    def walk(items: list[Any], level: int) -> Iterator[Entry]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item, level + 1)
                continue
            page = reader.get_destination_page_number(item)
            height = float(reader.pages[page].mediabox.height)
            top = height - float(item.top) if item.top is not None else 0.0
            title = str(item.title)
            if title in pre_reads:
                kind = "pre-read"
            elif _QUESTION.match(title):
                kind = "question"
            else:
                kind = "pre-read" if level >= 3 else "part"
            yield Entry(title, level, page, top, kind)

    yield from walk(reader.outline, 1)


# ------------------------------------------------------------------ rule a


def split_questions(layout: Layout) -> list[Violation]:
    """A question (title, text, fields, notes) on more than one page, though it fits on one.

    A session's first question keeps its session's band on its page (a band never ends
    a page alone): it must fit there with the band, from the top of the page.
    """
    found = []
    for index, entry in enumerate(layout.entries):
        if entry.kind != "question":
            continue
        after = layout.entries[index + 1] if index + 1 < len(layout.entries) else None
        before = layout.entries[index - 1] if index else None
        opens = before is not None and before.kind == "part" and before.page == entry.page
        spread = _question_spread(layout, entry, after, opens)
        if len(spread) > 1:
            height = sum(bottom - top for top, bottom in spread.values())
            body = layout.body_bottom(layout.pdf.pages[entry.page]) - layout.body_top
            if height <= body - SPLIT_SLACK:
                shown = ", ".join(str(page + 1) for page in sorted(spread))
                found.append(
                    Violation(
                        "question split",
                        entry.page + 1,
                        f"{entry.title!r} runs over pages {shown}, though it fits on one",
                    )
                )
    return found


def _question_spread(
    layout: Layout, entry: Entry, after: Entry | None, opens: bool
) -> dict[int, tuple[float, float]]:
    """The pages a question's content is on, each with the span (top, bottom) it takes there.

    It runs to the next question's top; a part or pre-read after it starts a page of
    its own, so the question ends with the page before that one.
    """
    if after is None:
        last = len(layout.pdf.pages) - 1
    elif after.kind == "question" or after.page == entry.page:
        last = after.page
    else:
        last = after.page - 1
    spread: dict[int, tuple[float, float]] = {}
    for page in range(entry.page, last + 1):
        start = entry.top - 0.5 if page == entry.page and not opens else 0.0
        stop = after.top - 0.5 if after and page == after.page else float("inf")
        objects = [o for o in layout.body_objects(page) if start <= o["top"] < stop]
        if objects:
            spread[page] = (max(start, layout.body_top), max(o["bottom"] for o in objects))
    return spread


# ------------------------------------------------------------------ rule b


def sparse_pages(layout: Layout) -> list[Violation]:
    """A page less than a third filled that ends no part, session or pre-read."""
    found = []
    pages = len(layout.pdf.pages)
    ends = _part_ends(layout)
    pre_read = layout.pre_read_pages()
    for index in range(pages):
        if index in ends or index in pre_read or not layout.has_running_lines(index):
            continue
        objects = layout.body_objects(index)
        page = layout.pdf.pages[index]
        body = layout.body_bottom(page) - layout.body_top
        lowest = max((o["bottom"] for o in objects), default=layout.body_top)
        fill = (min(lowest, layout.body_bottom(page)) - layout.body_top) / body
        if fill < MIN_FILL:
            found.append(
                Violation("sparse page", index + 1, f"only {fill:.0%} filled, and ends no part")
            )
    return found


def _part_ends(layout: Layout) -> set[int]:
    """The last page of the document and every page whose next page opens a part or pre-read."""
    pages = len(layout.pdf.pages)
    ends = {pages - 1}
    for page in range(1, pages):
        first = min(
            (entry for entry in layout.entries if entry.page == page),
            key=lambda entry: entry.top,
            default=None,
        )
        if first is not None and first.kind != "question":
            ends.add(page - 1)
    return ends


# ------------------------------------------------------------------ rule c


def running_lines(layout: Layout) -> list[Violation]:
    """A running header or footer on more than one line; a shortened title not in the outline."""
    found = []
    titles = [entry.title for entry in layout.entries]
    for index, page in enumerate(layout.pdf.pages):
        for where, chars in (
            ("running header", layout.header_chars(page)),
            ("footer", layout.footer_chars(page)),
        ):
            lines = text_lines(chars)
            if len(lines) > 1:
                shown = " / ".join(lines)
                found.append(Violation(where, index + 1, f"on {len(lines)} lines: {shown}"))
            for piece in (p for line in lines for p in pieces(line)):
                if piece.endswith(ELLIPSIS) and not any(
                    t.startswith(piece[:-1].rstrip()) for t in titles
                ):
                    found.append(
                        Violation(where, index + 1, f"{piece!r} shortens no title of the outline")
                    )
    return found


def text_lines(chars: Iterable[Obj]) -> list[str]:
    """Characters grouped into lines (by their tops), each read left to right."""
    lines: list[list[Obj]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and abs(char["top"] - lines[-1][0]["top"]) < 0.5 * char["size"]:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [_read(line) for line in lines]


def _read(line: list[Obj]) -> str:
    """A line's text, with a space for a gap, and `` | `` between boxes far apart."""
    text = ""
    previous: Obj | None = None
    for char in sorted(line, key=lambda c: c["x0"]):
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            if gap > 3 * char["size"]:
                text += " | "
            elif gap > 0.15 * char["size"]:
                text += " "
        text += char["text"]
        previous = char
    return text


def pieces(line: str) -> list[str]:
    return [piece.strip() for piece in line.split(" | ")]


# ------------------------------------------------------------------ rule d


def outside_or_overlapping(layout: Layout) -> list[Violation]:
    """Anything drawn beyond the printable area (a cover's bleed aside); text over text."""
    found = []
    pre_read = layout.pre_read_pages()
    for index, page in enumerate(layout.pdf.pages):
        bleeds = not layout.has_running_lines(index)
        for obj in _drawn(page):
            if bleeds and obj.get("object_type") in ("rect", "image", "curve"):
                continue
            if _outside(obj, float(page.width), float(page.height)):
                what = repr(obj["text"]) if "text" in obj else obj.get("object_type", "a shape")
                found.append(
                    Violation(
                        "outside the printable area",
                        index + 1,
                        f"{what} at x {obj['x0']:.0f}–{obj['x1']:.0f}, "
                        f"y {obj['top']:.0f}–{obj['bottom']:.0f} pt",
                    )
                )
        chars = upright_chars(page)
        if index in pre_read:
            # The pre-read's own text may overlap as its author made it; the stamps may not.
            stamps = layout.header_chars(page) + layout.footer_chars(page)
            pairs = _overlaps(chars, among=stamps)
        else:
            pairs = _overlaps(chars)
        for first, second in pairs[:5]:
            found.append(
                Violation(
                    "text over text",
                    index + 1,
                    f"{first['text']!r} at ({first['x0']:.0f}, {first['top']:.0f}) and "
                    f"{second['text']!r} at ({second['x0']:.0f}, {second['top']:.0f})",
                )
            )
    return found


def _drawn(page: Any) -> list[Obj]:
    """Everything that puts ink on a page, a recipient's diagonal mark included."""
    shapes = [*page.rects, *page.lines, *page.curves, *page.images]
    chars = [c for c in page.chars if c["text"].strip()]
    return [*chars, *(o for o in shapes if visible(o)), *widgets(page)]


def _outside(obj: Obj, width: float, height: float) -> bool:
    return (
        obj["x0"] < PRINTABLE_INSET
        or obj["top"] < PRINTABLE_INSET
        or obj["x1"] > width - PRINTABLE_INSET
        or obj["bottom"] > height - PRINTABLE_INSET
    )


def _box(char: Obj) -> tuple[float, float, float, float]:
    """A character's box, shrunk to its ink's likely core: neighbours' boxes touch, kerned ones
    overlap a little, and tight lines' ascenders and descenders share a band."""
    width = char["x1"] - char["x0"]
    height = char["bottom"] - char["top"]
    return (
        char["x0"] + 0.25 * width,
        char["top"] + 0.3 * height,
        char["x1"] - 0.25 * width,
        char["bottom"] - 0.3 * height,
    )


def _overlaps(chars: Sequence[Obj], among: Sequence[Obj] | None = None) -> list[tuple[Obj, Obj]]:
    """Pairs of characters whose cores overlap (at least one of them from ``among``, if given)."""
    boxes = sorted(((_box(c), c) for c in chars), key=lambda item: item[0][0])
    marked = None if among is None else {id(c) for c in among}
    pairs = []
    active: list[tuple[tuple[float, float, float, float], Obj]] = []
    for box, char in boxes:
        active = [(b, c) for b, c in active if b[2] > box[0]]
        for other_box, other in active:
            overlap = other_box[1] < box[3] and box[1] < other_box[3]
            if overlap and (marked is None or id(char) in marked or id(other) in marked):
                pairs.append((other, char))
        active.append((box, char))
    return pairs


# ------------------------------------------------------------------ all rules


def layout_violations(path: Path, pre_reads: Collection[str] = ()) -> list[Violation]:
    """Every rule's violations for the PDF at ``path``, page by page."""
    layout = read_layout(path, pre_reads)
    try:
        found = [
            *split_questions(layout),
            *sparse_pages(layout),
            *running_lines(layout),
            *outside_or_overlapping(layout),
        ]
    finally:
        layout.pdf.close()
    return sorted(found, key=lambda violation: (violation.page, violation.rule))


def assert_layout(path: Path, pre_reads: Collection[str] = ()) -> None:
    """Fail with every violation of the PDF at ``path``, one a line."""
    found = layout_violations(path, pre_reads)
    assert not found, f"{path.name}:\n" + "\n".join(str(violation) for violation in found)
