"""Reading time (issue 30, item 2): each session's pre-reading, and the pack's on its cover.

The words of a session's kept questions and of its pre-reads' pages (read from
the PDFs once per file, by digest) at ``options.reading_rate``, rounded up to
whole minutes; only in a pack that reads as an agenda, so that the bundled pack
prints what it always printed.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from docx import Document

from briefpack.build.chosen_settings import default_theme
from briefpack.content import preread_words
from briefpack.content.preread_words import spread
from briefpack.render.settings import RenderSettings
from briefpack.render.view import build_view
from briefpack.render.wording import wording_for

from conftest import BUNDLED_PACK, run, valid
from pdf_helpers import page_texts
from pdf_makers import make_weasyprint_pdf

#: 690 words over three pages: three minutes at the default 230 words a minute.
PRE_READ_WORDS = 690


def _pre_read(path: Path) -> Path:
    """A tagged pre-read of :data:`PRE_READ_WORDS` words on three pages, the last 230 on one."""
    first = " ".join(f"budget{n}" for n in range(PRE_READ_WORDS - 230))
    second = " ".join(f"plan{n}" for n in range(230))
    body = f'<p>{first}</p><p style="break-before: page">{second}</p>'
    return make_weasyprint_pdf(path, body)


def _pack(folder: Path, options: str = "", purpose: str = "        purpose: decision\n") -> Path:
    """A board meeting: an item with 150 words of questions, one with the pre-read (twice)."""
    context = " ".join(["word"] * 140)
    _pre_read(folder / "paper.pdf")
    text = f"""\
title: Board meeting
days:
  - date: 2026-01-20
    sessions:
      - title: Minutes
        paper: "1.1"
        start: "09:00"
        end: "09:15"
        questions:
          - title: Accuracy
            context: {context}
            question: Are the minutes a true record of what was said?
      - title: Budget
        paper: "3.2"
{purpose}        start: "09:15"
        end: "09:45"
        attachments:
          - file: paper.pdf
            title: The budget paper
          - file: paper.pdf
            title: The same paper again
        questions:
          - title: Headroom
            question: What headroom does the budget leave us for next year?
{options}"""
    path = folder / "board.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _settings() -> RenderSettings:
    created = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    return RenderSettings(created=created, theme=default_theme())


@pytest.fixture(autouse=True)
def _fresh_word_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test reads its pre-reads afresh: the process-wide cache starts empty."""
    monkeypatch.setattr(preread_words, "_WORDS", {})


def test_a_pre_reads_words_are_read_from_its_pages(tmp_path: Path) -> None:
    pack = valid(_pack(tmp_path))
    assert [a.words for a in pack.attachments] == [PRE_READ_WORDS, PRE_READ_WORDS]
    assert [a.pages for a in pack.attachments] == [3, 3]


def test_each_sessions_minutes_are_its_words_at_the_packs_rate_rounded_up(
    tmp_path: Path,
) -> None:
    # Minutes: 140 + 10 words; Budget: 10 + 2 x 690. At 100 a minute: 2 and 14 minutes.
    pack = valid(_pack(tmp_path, "options:\n  reading_rate: 100\n"))
    view = build_view(pack, _settings())
    assert view.glance is not None
    rows = [row for day in view.glance.days for row in day]
    assert [row.reading_minutes for row in rows] == [2, 14]
    assert [row.reading for row in rows] == ["2 min", "14 min"]
    # The cover adds up the column, and counts the pre-reads' pages each time attached.
    assert view.cover.reading == "Pre-reading: 16 min, 6 pages"


def test_times_over_an_hour_read_in_hours_and_minutes_in_each_language() -> None:
    assert wording_for("en").reading_time(100) == "1 h 40 min"
    assert wording_for("en").reading_time(120) == "2 h"
    assert wording_for("en").reading_time(12) == "12 min"
    assert wording_for("de").reading_time(100) == "1 Std. 40 Min."
    assert wording_for("fr").pre_reading(100, 84) == "Lecture préalable : 1 h 40 min, 84 pages"
    assert wording_for("es").pre_reading(5, 0) == "Lectura previa: 5 min"


def test_a_session_packs_cover_gives_its_own_reading(tmp_path: Path) -> None:
    pack = valid(_pack(tmp_path))
    budget = pack.sessions[1]
    view = build_view(pack, replace(_settings(), session=budget.id))
    # 10 + 1380 words at 230 a minute: 7 minutes (6.04, rounded up).
    assert view.cover.reading == "Pre-reading: 7 min, 6 pages"


def test_a_pack_that_reads_as_no_agenda_shows_no_reading_time(tmp_path: Path) -> None:
    path = _pack(tmp_path, purpose="")
    path.write_text(path.read_text(encoding="utf-8").replace('        paper: "1.1"\n', "")
                    .replace('        paper: "3.2"\n', ""), encoding="utf-8")  # fmt: skip
    view = build_view(valid(path), _settings())
    assert view.glance is not None
    assert not view.glance.reading
    assert view.cover.reading is None
    # Its own reading rate is asking for it.
    path.write_text(path.read_text(encoding="utf-8") + "options:\n  reading_rate: 200\n")
    assert build_view(valid(path), _settings()).cover.reading == "Pre-reading: 8 min, 6 pages"


def test_the_bundled_pack_shows_no_reading_time() -> None:
    view = build_view(valid(BUNDLED_PACK), _settings())
    assert view.glance is not None
    assert not view.glance.reading
    assert view.cover.reading is None


@pytest.mark.parametrize(
    ("language", "heading", "cover", "budget"),
    [
        ("en", "READING", "Pre-reading: 8 min, 6 pages", "7 min"),
        ("de", "LESEZEIT", "Lektüre vorab: 8 Min., 6 Seiten", "7 Min."),
    ],
)
def test_reading_times_are_on_the_pages_of_both_formats(
    tmp_path: Path, language: str, heading: str, cover: str, budget: str
) -> None:
    pack = _pack(tmp_path, f"options:\n  language: {language}\n")
    out = tmp_path / "out"
    code, _, err = run("build", str(pack), "-o", str(out), "-q")
    assert code == 0, err
    pages = page_texts((out / "board" / "board.pdf").read_bytes())
    assert cover in pages[0]
    glance = pages[1]
    assert heading in glance
    one = "1 min" if language == "en" else "1 Min."
    assert re.search(rf"Minutes .*{one} .*Budget .*{re.escape(budget)}", glance), glance
    document = Document(str(out / "board" / "board.docx"))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert cover in paragraphs
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert [row[-1] for row in rows] == [heading.capitalize(), one, budget]
    session = next((out / "board" / "sessions").glob("02-*.pdf"))
    assert cover.replace("8", "7") in page_texts(session.read_bytes())[0]


def test_a_file_is_read_once_however_often_it_is_attached_or_the_pack_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    real = preread_words._read_words

    def counted(data: bytes) -> int | None:
        reads.append(len(data))
        return real(data)

    monkeypatch.setattr(preread_words, "_read_words", counted)
    path = _pack(tmp_path)
    first = valid(path)
    second = valid(path)
    assert len(reads) == 1
    assert [a.words for a in first.attachments + second.attachments] == [PRE_READ_WORDS] * 4


def test_a_pre_read_whose_text_cannot_be_read_counts_no_words_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdf

    def broken(*_: object, **__: object) -> None:
        raise pypdf.errors.PdfReadError("a damaged cross-reference table")

    monkeypatch.setattr(pypdf, "PdfReader", broken)
    pack = valid(_pack(tmp_path))
    assert [a.words for a in pack.attachments] == [0, 0]
    warnings = [str(w) for w in pack.warnings if "cannot be read" in str(w)]
    assert len(warnings) == 2
    assert re.match(
        r"board\.yaml:\d+:\d+: warning: the text of paper\.pdf cannot be read", warnings[0]
    )


def test_bytes_that_are_no_pdf_count_as_unreadable_without_raising() -> None:
    assert preread_words.preread_words(b"%PDF-1.7\n garbage", "garbage") is None


def test_a_form_drawn_a_billion_times_is_read_within_the_budget(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                           BaseFont=pikepdf.Name.Helvetica)
    )  # fmt: skip
    form = pdf.make_stream(b"BT /F1 12 Tf 10 10 Td (hello world) Tj ET")
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 9, 9]
    form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    for _ in range(3):
        outer = pdf.make_stream(b"/X Do " * 1000)
        outer.Type, outer.Subtype, outer.BBox = (
            pikepdf.Name.XObject,
            pikepdf.Name.Form,
            [0, 0, 9, 9],
        )
        outer.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=form))
        form = outer
    pdf.pages[0].obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=form))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"/X Do " * 1000)
    pdf.save(path)
    data = path.read_bytes()
    started = time.process_time()
    words = preread_words.preread_words(data, "bomb")
    assert time.process_time() - started < 20
    assert words is not None
    assert 0 < words <= 2 * preread_words.MAX_OPERATIONS


def test_a_long_pre_read_is_sampled_across_its_pages_and_the_rest_counted_at_their_average(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preread_words, "MAX_CONTENT", 1)
    monkeypatch.setattr(preread_words, "MAX_PAGE_CONTENT", 10**6)
    # A budget of one byte reads no page: nothing to count by.
    assert preread_words._read_words(_pre_read(tmp_path / "p.pdf").read_bytes()) is None
    assert spread(5)[:3] == [0, 2, 1]
    assert sorted(spread(7)) == list(range(7))


def test_a_rebuild_in_a_new_process_reads_no_pre_reads_text_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "content").mkdir()
    path = _pack(tmp_path / "content")
    out = tmp_path / "out"
    code, _, err = run("build", str(path), "-o", str(out), "-q", "--no-sessions", "-f", "html")
    assert code == 0, err
    kept = out / ".briefpack-parts" / "preread-words.json"
    assert kept.is_file()
    # A new process knows nothing: the counts come from the file the build kept.
    monkeypatch.setattr(preread_words, "_WORDS", {})
    reads: list[int] = []
    monkeypatch.setattr(preread_words, "_read_words", lambda data: reads.append(1) or 0)
    code, _, err = run("build", str(path), "-o", str(out), "-q", "--no-sessions", "-f", "html")
    assert code == 0, err
    assert reads == []
    # A damaged record is counted again, never trusted or fatal.
    kept.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(preread_words, "_WORDS", {})
    code, _, err = run("build", str(path), "-o", str(out), "-q", "--no-sessions", "-f", "html")
    assert code == 0, err
    assert reads == [1]
