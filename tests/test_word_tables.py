"""The at-a-glance table fits its words, with the same columns in the PDF and the Word copy.

Its columns used to be fixed millimetres: Word broke "10:00 / AM", "Donnersta / g" and
"23. / Oktober".  Now each is measured from its words (:mod:`briefpack.render.column_widths`);
these tests measure again, another way (HarfBuzz, with kerning), and look at both files.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import shutil
import subprocess
from functools import cache
from pathlib import Path

import docx
import pdfplumber
import pytest
import uharfbuzz as hb
from test_docx_variants import ANSWERS, write
from test_docx_variants import settings as debrief_settings

from briefpack.build.chosen_settings import choose_theme, resolve_settings
from briefpack.content.validate import load_pack
from briefpack.model import Pack
from briefpack.render.column_widths import GAP_MM, glance_widths, words
from briefpack.render.docx.writer import render_docx
from briefpack.render.pdf import render_pdf
from briefpack.render.settings import RenderSettings
from briefpack.render.view import build_view

from conftest import BUNDLED_PACK, TWO_SESSIONS_PACK

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NBSP = "\u00a0"
MM = 72 / 25.4
CASES = [("en", "executive"), ("de", "executive"), ("de", "classic"), ("es", "classic")]


@cache
def case(language: str, theme: str) -> tuple[Pack, RenderSettings]:
    """The bundled pack in ``language``, with the built-in ``theme``."""
    pack = load_pack(BUNDLED_PACK)
    pack = dataclasses.replace(pack, options=dataclasses.replace(pack.options, language=language))
    chosen = choose_theme(theme, BUNDLED_PACK.parent)
    return pack, resolve_settings(pack, {}, theme=chosen)


@cache
def outputs(language: str, theme: str) -> tuple[bytes, bytes]:
    """The case's PDF and Word copy."""
    pack, settings = case(language, theme)
    return render_pdf(pack, settings).data, render_docx(pack, settings).data


def word_grid(data: bytes) -> list[float]:
    """The at-a-glance table's column widths in the Word copy, in points."""
    table = docx.Document(io.BytesIO(data)).tables[0]
    return [int(col.get(f"{W}w")) / 20 for col in table._tbl.tblGrid.iter(f"{W}gridCol")]


@cache
def _font(path: Path) -> hb.Font:
    return hb.Font(hb.Face(path.read_bytes()))


def shaped_width(text: str, path: Path, size: float) -> float:
    """``text``'s width in points as HarfBuzz sets it (kerning included) at ``size``."""
    font = _font(path)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {"kern": True, "liga": True})
    return sum(p.x_advance for p in buffer.glyph_positions) * size / font.face.upem


@pytest.mark.parametrize(("language", "theme"), CASES)
def test_each_glance_column_is_wide_enough_for_its_longest_word(language: str, theme: str) -> None:
    pack, settings = case(language, theme)
    view = build_view(pack, settings)
    assert view.glance is not None
    faces = {weight: path for weight, style, path in settings.chosen_theme.fonts.heading.faces()}
    bold, regular = faces.get(700, faces[400]), faces[400]
    grid = word_grid(outputs(language, theme)[1])
    room = [width - GAP_MM * MM for width in grid]
    rows = [row for day in view.glance.days for row in day]
    columns = {
        0: ([line for row in rows for line in row.day], bold),
        1: ([line for row in rows for line in row.times], regular),
        3: ([name for row in rows for name in row.speakers], regular),
        4: ([str(row.questions) for row in rows], regular),
    }
    for index, (cells, face) in columns.items():
        for cell in cells:
            for word in words(cell):
                assert shaped_width(word, face, 8.5) <= room[index], (word, index)
    labels = view.labels
    headings = [labels.day, labels.time, labels.session, labels.speakers, labels.questions]
    for index, heading in enumerate(headings):
        for word in words(heading, hyphens=False):
            tracked = shaped_width(word.upper(), bold, 7.5) + 0.06 * 7.5 * len(word)
            assert tracked <= room[index], (word, index)


@pytest.mark.parametrize(("language", "theme"), CASES)
def test_the_pdf_and_the_word_copy_have_the_same_glance_columns(language: str, theme: str) -> None:
    pdf, word = outputs(language, theme)
    pack, settings = case(language, theme)
    view = build_view(pack, settings)
    assert view.glance is not None
    expected = glance_widths([view.glance], view.labels, settings.chosen_theme, settings.paper)
    grid = word_grid(word)
    assert grid == pytest.approx([w * MM for w in expected.columns], abs=0.1)
    # The PDF's headings start where its columns start (left-aligned, no padding before).
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[1]
        found = page.extract_words()
    labels = view.labels
    starts = {}
    for heading in (labels.day, labels.time, labels.session, labels.speakers):
        first = heading.split()[0].upper()
        starts[heading] = min(w["x0"] for w in found if w["text"] == first)
    lefts = list(starts.values())
    assert lefts == sorted(lefts)
    gaps = [b - a for a, b in itertools.pairwise(lefts)]
    assert gaps == pytest.approx(grid[:3], abs=0.6)
    # The counts end at the margin, as the Word table does.
    count = max(w["x1"] for w in found if w["text"] == labels.questions.upper())
    assert count == pytest.approx(lefts[0] + sum(grid), abs=0.6)


@pytest.mark.parametrize(("language", "theme"), CASES)
def test_no_word_of_the_pdfs_glance_table_breaks(language: str, theme: str) -> None:
    pdf, _ = outputs(language, theme)
    pack, settings = case(language, theme)
    view = build_view(pack, settings)
    assert view.glance is not None
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        lines = [line["text"] for line in document.pages[1].extract_text_lines()]
    text = "\n".join(lines).replace(NBSP, " ")
    for row in (row for day in view.glance.days for row in day):
        for line in (*row.day, *row.times):
            assert line.replace(NBSP, " ") in text, line


def test_times_and_dates_hold_together_with_no_break_spaces() -> None:
    pack, settings = case("de", "executive")
    view = build_view(pack, settings)
    assert view.glance is not None
    first = view.glance.days[0][0]
    assert first.day == ("Donnerstag", f"23.{NBSP}Oktober")
    english = build_view(*case("en", "executive"))
    assert english.glance is not None
    assert english.glance.days[0][0].times == (f"9:00{NBSP}AM", f"10:00{NBSP}AM")
    assert english.glance.days[0][0].day == ("Thursday", f"October{NBSP}23")
    # The session's line and the cover: a range breaks after its dash, and nowhere else.
    session = english.days[0].sessions[0]
    assert session.time_range == f"9:00\u202f\u2013\u200910:00{NBSP}AM"
    assert english.cover.dates == f"October{NBSP}23\u202f\u2013\u200924, 2025"
    # In the Word copy too, which writes the view's words.
    data = outputs("de", "executive")[1]
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert table.rows[1].cells[0].text == f"Donnerstag\n23.{NBSP}Oktober"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_lays_the_word_glance_table_out_without_breaking_a_word(
    tmp_path: Path,
) -> None:
    _, data = outputs("de", "executive")
    source = tmp_path / "pack.docx"
    source.write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless"]
    subprocess.run(
        [*command, "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    source.unlink()  # a renderer's copy, before the build finishes it: not one to audit
    with pdfplumber.open(tmp_path / "pack.pdf") as document:
        page = next(p for p in document.pages if "Auf einen Blick" in (p.extract_text() or ""))
        text = (page.extract_text() or "").replace(NBSP, " ")
    for whole in ("Donnerstag", "23. Oktober", "24. Oktober", "09:00", "VORTRAGENDE"):
        assert whole in text or whole.title() in text, whole


def test_a_pack_without_speakers_has_no_speakers_column_in_either_format(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(TWO_SESSIONS_PACK, encoding="utf-8")
    pack = load_pack(tmp_path / "pack.yaml")
    settings = resolve_settings(pack, {})
    view = build_view(pack, settings)
    assert view.glance is not None
    assert not view.glance.speakers
    widths = glance_widths([view.glance], view.labels, settings.chosen_theme, settings.paper)
    assert widths.speakers is None
    assert len(widths.columns) == 4
    data = render_docx(pack, settings).data
    header = docx.Document(io.BytesIO(data)).tables[0].rows[0].cells
    assert [cell.text for cell in header] == ["Day", "Time", "Session", "Questions"]
    assert word_grid(data) == pytest.approx([w * MM for w in widths.columns], abs=0.1)
    with pdfplumber.open(io.BytesIO(render_pdf(pack, settings).data)) as document:
        text = document.pages[1].extract_text() or ""
    assert "DAY TIME SESSION QUESTIONS" in text
    assert "SPEAKERS" not in text


def test_the_debriefs_tables_have_the_pdfs_columns(tmp_path: Path) -> None:
    data = render_docx(write(tmp_path), debrief_settings(answers=ANSWERS)).data
    tally, follow_ups = docx.Document(io.BytesIO(data)).tables[:2]
    grid = word_grid(data)
    # The counts 28 mm each (pack.css, .debrief-table .col-count), the session the rest.
    assert grid[1:] == pytest.approx([28 * MM] * 3, abs=0.1)
    assert sum(grid) == pytest.approx((210 - 20 - 20) * MM, abs=0.5)
    styles = [cell.paragraphs[0].style.name for cell in tally.rows[1].cells]
    assert styles == ["Briefing Table Text"] + ["Briefing Table Count"] * 3
    widths = [cell.width.mm for cell in follow_ups.rows[0].cells]
    assert widths[0] / sum(widths) == pytest.approx(0.35, abs=0.01)


def test_the_word_glance_table_is_ruled_as_the_pdfs() -> None:
    table = docx.Document(io.BytesIO(outputs("en", "executive")[1])).tables[0]
    borders = table._tbl.tblPr.find(f"{W}tblBorders")
    assert borders.find(f"{W}top").get(f"{W}val") == "nil"  # no line above the headings
    assert borders.find(f"{W}insideH").get(f"{W}color") == "D5DBE3"  # the theme's rule
    for cell in table.rows[0].cells:
        under = cell._tc.tcPr.find(f"{W}tcBorders/{W}bottom")
        assert (under.get(f"{W}sz"), under.get(f"{W}color")) == ("8", "1B1F24")  # 1 pt, ink
