"""The contents' dotted leaders: cheaper to draw, never read (issue 29, item 4).

A leader is the title cell's radial-gradient background (templates/pack.css).  Its tile
was transparent between the dots, and WeasyPrint wrote for every row a tiling pattern,
a transparency group, a colour shading, an alpha shading and a soft mask: a 448-row
contents took 521 KB.  The tile is now white between the dots, as the page is: no soft
mask, one shading a row (406 KB).  These tests read the built PDF back: one pattern
and one shading a row and a bound on bytes a row, no dots in the text, the
accent colour on day rows, and the same on the changes page.  That every leader ends at
one x on a whole dot is tests/test_layout.py's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
import yaml

from conftest import BUNDLED_PACK, run

#: Days, sessions a day and questions a session of the generated pack: 60 contents rows.
DAYS, SESSIONS, QUESTIONS = 2, 4, 6
ROWS = DAYS + DAYS * SESSIONS * (1 + QUESTIONS)
#: The theme's colours, as PDF colour values (templates/theme.yaml).
MUTED = (0x5A / 255, 0x64 / 255, 0x72 / 255)
ACCENT = (0x0B / 255, 0x4A / 255, 0x7D / 255)
#: The leader's dots and the white dots that cover every other one (points).
DOT, MASK = 1.25, 2.5
#: What a leader runs into: a run of dots, or a leader character, in the text.
DOTS_IN_TEXT = re.compile(r"\.{3,}|(?:\. ){3,}|…|·|‥")

Build = Callable[..., Path]


def many_rows_pack() -> str:
    """A pack whose contents has :data:`ROWS` rows, each title a different length."""
    days = []
    for day in range(DAYS):
        sessions = []
        for number in range(SESSIONS):
            start = 9 + number * 2
            sessions.append(
                {
                    "title": f"Session {day}.{number}: " + "planning " * (number + 1),
                    "start": f"{start:02d}:00",
                    "end": f"{start + 1:02d}:30",
                    "questions": [
                        {
                            "title": f"Question {index} " + "about the budget " * (index % 4 + 1),
                            "context": "Why it matters.",
                            "question": "What do we ask?",
                        }
                        for index in range(QUESTIONS)
                    ],
                }
            )
        days.append({"date": f"2026-03-{day + 2:02d}", "sessions": sessions})
    pack = {"title": "Contents leaders", "days": days}
    return yaml.safe_dump(pack, sort_keys=False, width=200)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Build a pack once per set of options in this module; the path of its PDF."""
    root = tmp_path_factory.mktemp("leaders")
    built: dict[tuple[str, ...], Path] = {}

    def make(text: str, *options: str, pdf: str = "pack.pdf") -> Path:
        key = (text, pdf, *options)
        if key not in built:
            folder = root / f"build-{len(built)}"
            folder.mkdir()
            source = folder / "pack.yaml"
            source.write_text(text, encoding="utf-8")
            code, _, err = run(
                "build", str(source), "-o", str(folder / "out"), "-f", "pdf", "--no-sessions",
                *options,
            )  # fmt: skip
            assert code == 0, err
            built[key] = folder / "out" / "pack" / pdf
        return built[key]

    return make


def pages_headed(path: Path, heading: str) -> list[int]:
    """The 0-based pages whose running head (top right) reads ``heading``."""
    found = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            head = page.crop((page.width / 2, 0, page.width, 60)).extract_text() or ""
            if head.strip() == heading:
                found.append(index)
    return found


def reachable(thing: Any, seen: set[tuple[int, int]]) -> Iterator[Any]:
    """Every indirect object reachable from ``thing``, each once (its pages' resources)."""
    if isinstance(thing, pikepdf.Object) and thing.is_indirect:
        if thing.objgen in seen:
            return
        seen.add(thing.objgen)
        yield thing
    if isinstance(thing, pikepdf.Dictionary | pikepdf.Stream):
        for key, value in thing.items():
            if key not in ("/Parent", "/P", "/Annots", "/StructParents"):
                yield from reachable(value, seen)
    elif isinstance(thing, pikepdf.Array):
        for item in thing:
            yield from reachable(item, seen)


def drawing(path: Path, pages: list[int]) -> tuple[dict[str, int], int]:
    """Patterns and shadings, and the bytes of all but fonts, the ``pages`` draw with."""
    counts = dict.fromkeys(("/PatternType", "/ShadingType"), 0)
    size = 0
    seen: set[tuple[int, int]] = set()
    with pikepdf.open(path) as pdf:
        for index in pages:
            page = pdf.pages[index].obj
            for thing in reachable(page.get("/Resources"), seen):
                if not isinstance(thing, pikepdf.Dictionary | pikepdf.Stream):
                    continue
                for key in counts:
                    counts[key] += key in thing
                if thing.get("/Type") in ("/Font", "/FontDescriptor") or "/Length1" in thing:
                    continue
                if isinstance(thing, pikepdf.Stream):
                    size += len(thing.read_raw_bytes()) + len(thing.stream_dict.unparse())
                else:
                    size += len(thing.unparse())
            contents = page.get("/Contents")
            for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
                size += len(stream.read_raw_bytes())
    return counts, size


def dot_colours(path: Path, pages: list[int]) -> list[tuple[float, ...]]:
    """The dots' colour of each leader the ``pages`` draw: its shading's first colour."""
    colours = []
    seen: set[tuple[int, int]] = set()
    with pikepdf.open(path) as pdf:
        for index in pages:
            for thing in reachable(pdf.pages[index].obj.get("/Resources"), seen):
                if isinstance(thing, pikepdf.Dictionary | pikepdf.Stream) and (
                    "/ShadingType" in thing
                ):
                    function = thing.Function
                    first = function.Functions[0] if "/Functions" in function else function
                    colours.append(rounded(tuple(float(value) for value in first.C0)))
    return colours


def rounded(colour: tuple[float, ...]) -> tuple[float, ...]:
    """A colour to three places, as the PDF writes it."""
    return tuple(round(value, 3) for value in colour)


def test_a_contents_leader_costs_one_pattern_and_one_shading_a_row(build: Build) -> None:
    path = build(many_rows_pack())
    pages = pages_headed(path, "Contents")
    assert len(pages) >= 2
    counts, size = drawing(path, pages)
    # A tile transparent between its dots cost each row an alpha shading, a soft mask and a
    # transparency group besides its pattern and colour shading (830 bytes a row on the
    # 40 x 10 pack); an opaque tile, none of these (610 bytes).
    assert counts["/ShadingType"] == counts["/PatternType"] == ROWS
    assert size < ROWS * 700, (size, ROWS)


def test_the_contents_text_has_no_leader_dots(build: Build) -> None:
    path = build(many_rows_pack())
    pages = pages_headed(path, "Contents")
    with pdfplumber.open(path) as pdf:
        text = "\n".join(pdf.pages[index].extract_text() or "" for index in pages)
    assert "Question 5 about the budget" in text
    assert DOTS_IN_TEXT.search(text) is None, DOTS_IN_TEXT.search(text)


def test_day_rows_leaders_are_in_the_accent_colour_and_others_muted(build: Build) -> None:
    path = build(many_rows_pack())
    colours = dot_colours(path, pages_headed(path, "Contents"))
    assert colours.count(rounded(ACCENT)) == DAYS
    assert colours.count(rounded(MUTED)) == ROWS - DAYS


def test_the_changes_page_draws_the_same_leaders(build: Build, tmp_path: Path) -> None:
    earlier = tmp_path / "earlier.yaml"
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    earlier.write_text(text.replace("What frameworks", "Which frameworks"), encoding="utf-8")
    path = build(text, "--changes-since", str(earlier), pdf="pack.changes.pdf")
    assert dot_colours(path, [1]) == [rounded(MUTED)]
    counts = drawing(path, [1])[0]
    assert counts["/ShadingType"] == counts["/PatternType"] == 1
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[1].extract_text() or ""
    assert "Observability & Reliability Engineering" in text
    assert DOTS_IN_TEXT.search(text) is None
