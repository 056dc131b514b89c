"""A pack in the reader's language: the bundled pack built in German, and the fallbacks."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefpack.build.chosen_settings import resolve_settings
from briefpack.content.validate import load_pack
from briefpack.render.catalogues import catalogue_languages, printed_language
from briefpack.render.pdf import render_pdf
from briefpack.render.wording import wording_for

from conftest import BUNDLED_PACK, MINIMAL_PACK, run
from pdf_helpers import outline, page_texts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pack_in(folder: Path, options: str) -> Path:
    """The bundled pack, copied into ``folder`` with ``options`` appended."""
    pack = folder / "pack.yaml"
    pack.write_text(BUNDLED_PACK.read_text(encoding="utf-8") + options, encoding="utf-8")
    return pack


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled pack built with ``language: de``: the folder of its outputs."""
    root = tmp_path_factory.mktemp("german")
    pack = pack_in(root, "options:\n  language: de\n")
    code, _, err = run(
        "build", str(pack), "-o", str(root / "out"), "-f", "pdf", "-f", "docx", "-f", "html"
    )
    assert code == 0, err
    assert "warning" not in err  # German has a catalogue: no warning
    return root / "out" / "pack"


def test_the_german_pdf_has_german_dates_labels_and_page_numbers(german: Path) -> None:
    data = (german / "pack.pdf").read_bytes()
    # The front matter's entries (cover, at a glance, contents) in German, then the days.
    assert [entry.title for entry in outline(data)] == [
        "Questions for AWS Developer Experience Sessions",
        "Auf einen Blick",
        "Inhalt",
        "Donnerstag, 23. Oktober 2025",
        "Freitag, 24. Oktober 2025",
    ]
    pages = page_texts(data)
    assert pages[0].startswith("BRIEFING-UNTERLAGEN")
    assert "23.–24. Oktober 2025 2 Tage, 4 Sitzungen und 27 Fragen" in pages[0]
    assert "Auf einen Blick" in pages[1]
    assert "TAG UHRZEIT SITZUNG VORTRAGENDE FRAGEN" in pages[1]
    assert "Donnerstag 23. Oktober 09:00 10:00" in pages[1]
    assert "Inhalt" in pages[2]
    for number, page in enumerate(pages[1:], start=2):
        assert page.endswith(f"Seite {number} von {len(pages)}")
    assert "09:00–10:00 Uhr · 6 Fragen" in pages[3]
    assert "HINTERGRUND" in pages[3]
    assert "FRAGE" in pages[3]
    text = " ".join(pages)
    for english in ("Page ", "Question", "Context", "October", "Thursday", " AM", "questions"):
        assert english not in text.replace("Questions for AWS", ""), english


def test_a_german_session_pack_says_where_it_belongs_in_german(german: Path) -> None:
    cover = page_texts((german / "sessions" / "02-agentcore.pdf").read_bytes())[0]
    assert "Im Rahmen von Questions for AWS Developer Experience Sessions" in cover
    assert "Donnerstag, 23. Oktober 2025 10:00–11:00 Uhr · 7 Fragen" in cover


def test_the_german_word_copy_says_the_same_in_german(german: Path) -> None:
    data = (german / "pack.docx").read_bytes()
    document = docx.Document(io.BytesIO(data))
    by_style: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["Briefing Kicker"] == ["Briefing-Unterlagen"]
    assert by_style["Briefing Cover Detail"] == ["23.–24.\u00a0Oktober 2025"]
    assert "2 Tage, 4 Sitzungen und 27 Fragen" in by_style["Briefing Cover Note"]
    assert by_style["Heading 1"] == ["Donnerstag, 23. Oktober 2025", "Freitag, 24. Oktober 2025"]
    assert by_style["Briefing Part Title"] == ["Auf einen Blick", "Inhalt"]
    assert set(by_style["Briefing Question Label"]) == {"Frage"}
    assert set(by_style["Briefing Label"]) == {"Hintergrund"}
    assert by_style["Briefing Session Meta"][0] == "09:00–10:00\u00a0Uhr · 6 Fragen"
    header_row = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header_row == ["Tag", "Uhrzeit", "Sitzung", "Vortragende", "Fragen"]
    assert document.tables[0].rows[1].cells[0].text == "Donnerstag\n23.\u00a0Oktober"
    # The cover's section has no footer; every part after it has the pack's.
    footer = document.sections[1].footer.paragraphs[0]
    runs = footer._p.iter(f"{W}t", f"{W}instrText")
    assert [node.text.strip() for node in runs if node.text.strip()] == [
        "Seite",
        "PAGE",
        "1",
        "von",
        "NUMPAGES",
        "1",
    ]


def test_the_word_copy_spells_and_hyphenates_in_the_packs_language(german: Path) -> None:
    with zipfile.ZipFile(german / "pack.docx") as package:
        styles = package.read("word/styles.xml").decode("utf-8")
        core = package.read("docProps/core.xml").decode("utf-8")
    defaults = styles[styles.index("<w:docDefaults>") : styles.index("</w:docDefaults>")]
    assert 'w:lang w:val="de-DE"' in defaults
    assert "<dc:language>de</dc:language>" in core
    # WeasyPrint hyphenates by the HTML's lang, wherever a stylesheet asks for it.
    assert '<html lang="de">' in (german / "pack.html").read_text(encoding="utf-8")


def test_a_language_without_labels_is_built_in_english_with_one_warning(tmp_path: Path) -> None:
    pack = pack_in(tmp_path, "options:\n  language: it\n")
    line = pack.read_text(encoding="utf-8").splitlines().index("  language: it") + 1
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"))
    assert code == 0, err
    warnings = [text for text in err.splitlines() if "warning" in text]
    assert warnings == [
        f"{pack}:{line}:13: warning: briefpack has no labels in Italian (it) yet, so the pack's "
        "labels and dates are in English; it has de, en, es, fr"
    ]
    pages = page_texts((tmp_path / "out" / "pack" / "pack.pdf").read_bytes())
    assert pages[1].endswith(f"Page 2 of {len(pages)}")
    code, _, err = run("validate", str(pack))
    assert code == 0
    assert err.count("warning") == 1


def test_time_format_overrides_the_languages_clock_in_both_formats(tmp_path: Path) -> None:
    pack = pack_in(tmp_path, "options:\n  time_format: 24h\n")
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "--no-sessions")
    assert code == 0, err
    pages = page_texts((tmp_path / "out" / "pack" / "pack.pdf").read_bytes())
    assert "09:00 – 10:00 · 6 questions" in pages[3]
    document = docx.Document(str(tmp_path / "out" / "pack" / "pack.docx"))
    meta = [p.text for p in document.paragraphs if p.style.name == "Briefing Session Meta"]
    assert meta[0] == "09:00\u202f–\u200910:00 · 6 questions"


def test_a_bad_time_format_is_an_error_at_its_line(tmp_path: Path) -> None:
    pack = pack_in(tmp_path, "options:\n  time_format: 24\n")
    line = len(pack.read_text(encoding="utf-8").splitlines())
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert f"{pack}:{line}:16: 'time_format' must be 12h or 24h, not '24'" in err


@pytest.mark.parametrize("language", catalogue_languages())
def test_every_shipped_language_fits_the_at_a_glance_headings_unbroken(
    language: str, tmp_path: Path
) -> None:
    # A speaker, so that the table has its column of speakers (none without).
    speaker = '        end: "10:00"\n        speakers:\n          - name: Dana Ruiz\n'
    text = MINIMAL_PACK.replace('        end: "10:00"\n', speaker)
    (tmp_path / "pack.yaml").write_text(
        text + f"options:\n  language: {language}\n", encoding="utf-8"
    )
    pack = load_pack(tmp_path / "pack.yaml")
    pdf = render_pdf(pack, resolve_settings(pack, {})).data
    wording = wording_for(language)
    headings = [wording.gettext(name) for name in ("Day", "Time", "Session", "Speakers")]
    headings.append(wording.gettext("Questions"))
    lines = PdfReader(io.BytesIO(pdf)).pages[1].extract_text().splitlines()
    assert " ".join(headings).upper() in lines


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("en", "en"),
        ("en-GB", "en-GB"),  # the English catalogue, British dates: British English
        ("de", "de"),
        ("de-CH", "de-CH"),  # the German catalogue, Swiss dates: the region is right
        ("fr-CA", "fr-CA"),
        ("ja", "en"),  # no catalogue: built in English, so tagged as English
        ("ja-JP", "en"),
        ("it", "en"),
        ("tlh", "en"),
    ],
)
def test_the_language_a_pack_is_tagged_with_is_that_of_the_words_it_prints(
    written: str, printed: str
) -> None:
    assert printed_language(written) == printed
    assert wording_for(written).printed_language == printed
