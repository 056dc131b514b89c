"""One theme drives both formats: the PDF and the Word copy agree, and follow a changed value.

What they print comes from one view of the page (:mod:`briefpack.render.view`):
the last test reads the view's words in both.

The PDF's sizes are read from its text (WeasyPrint sets type in CSS pixels,
three quarters of a point); the Word copy's from its styles.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from briefpack.build.chosen_settings import default_theme, resolve_settings
from briefpack.content.theme_file import load_theme
from briefpack.content.validate import load_pack
from briefpack.model import Pack
from briefpack.model.theme import Theme
from briefpack.render.docx.styles import UNAVOIDABLE_DIFFERENCES
from briefpack.render.docx.writer import render_docx
from briefpack.render.pdf import render_pdf
from briefpack.render.view import build_view

from conftest import BUNDLED_PACK
from pdf_helpers import pdf_colours

#: For each sized role: a page of the bundled pack's PDF, the start of a text
#: set in that role there, and the Word style of the same role.
ROLES = {
    "title": (0, "Questions for AWS", "Title"),
    "day": (3, "THURSDAY, OCTOBER 23, 2025", "Heading 1"),
    "session": (3, "DevOps Culture at Amazon", "Heading 2"),
    "question_heading": (3, "Observability & Reliability", "Heading 3"),
    "context": (3, "Organizations like Google", "Briefing Context"),
    "question": (3, "What frameworks and practices", "Briefing Question"),
    "label": (3, "CONTEXT", "Briefing Label"),
    "header": (3, "Questions for AWS Developer", "Header"),
    "footer": (3, "Page 4 of 15", "Footer"),
}
#: Word styles drawn in each colour.
COLOURED = {"accent": "Hyperlink", "muted": "Briefing Context", "ink": "Briefing Question"}


@pytest.fixture(scope="module")
def bundled() -> Pack:
    return load_pack(BUNDLED_PACK)


def outputs(pack: Pack, theme: Theme) -> tuple[bytes, bytes]:
    settings = resolve_settings(pack, {}, theme=theme)
    return render_pdf(pack, settings).data, render_docx(pack, settings).data


def pdf_size(pdf: bytes, page: int, starts: str) -> float:
    """The size, in points, of the first text on ``page`` that starts with ``starts``."""
    found: list[float] = []

    def visit(text: str, cm: object, tm: object, font: object, size: float) -> None:
        if text.strip().startswith(starts):
            found.append(size * 0.75)

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    assert found, f"{starts!r} not on page {page + 1}"
    return round(found[0], 2)


def word_size(docx: bytes, style: str) -> float:
    size = WordDocument(io.BytesIO(docx)).styles[style].font.size
    assert size is not None, style
    return float(size.pt)


def word_colour(docx: bytes, style: str) -> str:
    colour = WordDocument(io.BytesIO(docx)).styles[style].font.color.rgb
    return f"#{colour}".lower()


def test_the_two_formats_agree_on_every_size_and_colour(bundled: Pack) -> None:
    theme = default_theme()
    pdf, docx = outputs(bundled, theme)
    for role, (page, text, style) in ROLES.items():
        expected = getattr(theme.sizes, role)
        assert pdf_size(pdf, page, text) == pytest.approx(expected, abs=0.01), role
        # Word sets type in half points: the one difference, listed with its reason.
        assert word_size(docx, style) == round(expected * 2) / 2, role
        assert "type sizes" in UNAVOIDABLE_DIFFERENCES
    drawn = pdf_colours(pdf)
    for colour, style in COLOURED.items():
        value = getattr(theme.colours, colour)
        assert word_colour(docx, style) == value, colour
    assert {theme.colours.accent, theme.colours.surface, theme.colours.rule} <= drawn


def test_a_changed_value_reaches_both_formats(bundled: Pack, tmp_path: Path) -> None:
    (tmp_path / "theme.yaml").write_text(
        textwrap.dedent(
            """\
            colours:
              accent: "#b00020"
            sizes:
              question: 14
            """
        ),
        encoding="utf-8",
    )
    theme = load_theme(tmp_path, default_theme())
    pdf, docx = outputs(bundled, theme)
    assert pdf_size(pdf, 3, "What frameworks and practices") == 14
    assert word_size(docx, "Briefing Question") == 14
    assert "#b00020" in pdf_colours(pdf)
    assert default_theme().colours.accent not in pdf_colours(pdf)
    assert word_colour(docx, "Hyperlink") == "#b00020"
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert "B00020" in styles
    assert "0B4A7D" not in styles


def pdf_baseline(pdf: bytes, page: int, starts: str) -> float:
    """How far down ``page`` (in points) the first text starting with ``starts`` sits."""
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip().startswith(starts):
            # The text's origin in page space: the text matrix, then the CTM.
            found.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    reader = PdfReader(io.BytesIO(pdf))
    reader.pages[page].extract_text(visitor_text=visit)
    assert found, f"{starts!r} not on page {page + 1}"
    return float(reader.pages[page].mediabox.height) - found[0]


def word_space_after(docx: bytes, style: str) -> float:
    space = WordDocument(io.BytesIO(docx)).styles[style].paragraph_format.space_after
    assert space is not None, style
    return float(space.pt)


def test_a_changed_spacing_reaches_both_formats(bundled: Pack, tmp_path: Path) -> None:
    (tmp_path / "theme.yaml").write_text("spacing:\n  question_heading: 30\n", encoding="utf-8")
    default = default_theme()
    changed = load_theme(tmp_path, default)
    assert changed.spacing.question_heading - default.spacing.question_heading == 23
    gaps = []
    for theme in (default, changed):
        pdf, docx = outputs(bundled, theme)
        heading = pdf_baseline(pdf, 3, "Observability & Reliability")
        gaps.append(pdf_baseline(pdf, 3, "CONTEXT") - heading)
        assert word_space_after(docx, "Heading 3") == theme.spacing.question_heading
    assert gaps[1] - gaps[0] == pytest.approx(23, abs=0.1)


def word_texts(docx: bytes) -> list[str]:
    """The Word copy's paragraphs, then its tables' rows (cells joined by `` | ``)."""
    document = WordDocument(io.BytesIO(docx))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return texts


def test_both_formats_print_the_view_s_words(bundled: Pack) -> None:
    theme = default_theme()
    settings = resolve_settings(bundled, {}, theme=theme)
    view = build_view(bundled, settings)
    pdf, docx = outputs(bundled, theme)
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    word = word_texts(docx)
    for day in view.days:
        for session in day.sessions:
            # The line under each session's title: its times and how many questions it keeps.
            assert session.meta in pdf_text, session.meta
            assert session.meta in word, session.meta
            for question in session.questions:
                assert question.title in pdf_text
                assert f"{question.number_text} {question.title}" in word
    assert view.cover.summary in pdf_text
    assert view.cover.summary in word
    assert view.glance is not None
    for rows in view.glance.days:
        for row in rows:
            # The at-a-glance row: day, times, session (its label over its title, as in the
            # PDF), speakers and questions (a line each).
            session = (row.label, row.title) if row.label else (row.title,)
            cells = (row.day, row.times, session, row.speakers, (str(row.questions),))
            assert " | ".join("\n".join(lines) for lines in cells) in word
