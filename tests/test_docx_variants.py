"""The Word copy in each of its variants: openxml-audit finds nothing, the proofing
language is the printed one, a debrief invites no answers, and a changes copy keeps
the clean pack's page numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import docx as python_docx
import pdfplumber
import pytest
from PIL import Image

from briefpack.build.chosen_settings import choose_theme, default_theme
from briefpack.model import Pack
from briefpack.model.answers import Answer, Answers
from briefpack.model.changes import compare
from briefpack.render.docx.writer import render_docx
from briefpack.render.settings import RenderSettings

from checkers import docx_findings
from conftest import valid
from docx_helpers import NS, W, body_paragraphs, part, parts
from pdf_helpers import page_texts

#: Unlike the bundled pack: attendees (one with a photo), recipients, accents, an emoji.
PACK = """\
title: Board meeting
organisation: Example Corp
classification: Confidential
attendees:
  - name: Jane Doe
    role: Chief Technology Officer
    photo: jane.png
    bio: Leads **engineering**. 🚀
  - name: Élodie Ñúñez
    role: CFO
recipients:
  - name: Jane Doe
  - name: Omar Haddad
    exclude: [budget]
days:
  - date: 2026-03-02
    sessions:
      - title: Strategy
        start: "09:00"
        end: "10:00"
        speakers:
          - name: José Ñúñez
            role: CEO
        attendees: [Jane Doe, Élodie Ñúñez]
        questions:
          - title: Direction
            context: Where we were, in *brief*.
            question: Where are we going?
          - title: Pace
            question: How fast?
      - title: Budget
        id: budget
        start: "10:30"
        end: "11:00"
        questions:
          - title: Spend
            question: What do we cut?
"""


def write(folder: Path, text: str = PACK, language: str | None = None) -> Pack:
    Image.new("RGB", (60, 80), (90, 120, 200)).save(folder / "jane.png")
    if language is not None:
        text += f"options:\n  language: {language}\n"
    path = folder / "pack.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return valid(path)


def settings(**overrides: object) -> RenderSettings:
    values: dict[str, object] = {
        "created": dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        "theme": default_theme(),
    }
    return RenderSettings(**{**values, **overrides})  # type: ignore[arg-type]


def changes(pack: Pack, earlier: Pack, **overrides: object) -> tuple[Pack, RenderSettings]:
    """The pack the model marks since ``earlier``, and a changes copy's settings."""
    chosen = settings(changes_since="pack-v1.yaml", changes_date=dt.date(2026, 2, 1), **overrides)
    return compare(earlier, pack), chosen


def earlier_of(folder: Path) -> Pack:
    old = folder / "old"
    old.mkdir()
    text = PACK.replace("How fast?", "How fast, and at what cost?").replace("CEO", "COO")
    text = text.replace("Chief Technology Officer", "CTO")
    return write(old, text)


ANSWERS = Answers(
    (
        Answer("strategy--direction", answer="North, then east. 🚀", follow_up="Send the map."),
        Answer("budget--spend", answer="Travel."),
    )
)


def variants(folder: Path) -> dict[str, tuple[Pack, RenderSettings]]:
    pack = write(folder)
    reference = folder / "reference.docx"
    # python-docx's own template, as Word 2010 left it: it carries stylesWithEffects.
    python_docx.Document().save(str(reference))
    classic = choose_theme("classic", folder)
    earlier = earlier_of(folder)
    return {
        "plain": (pack, settings()),
        "fields, notes, letter, classic": (
            pack,
            settings(answer_fields=True, notes=True, paper="letter", theme=classic),
        ),
        "recipient": (pack.for_recipient(pack.recipients[1]), settings(recipient="Omar Haddad")),
        "session": (pack, settings(session="strategy", answer_fields=True)),
        "changes": changes(pack, earlier),
        "session changes": changes(pack, earlier, session="strategy"),
        "debrief": (pack, settings(answers=ANSWERS, notes=True)),
        "reference": (pack, settings(reference_docx=reference)),
    }


VARIANTS = (
    "plain",
    "fields, notes, letter, classic",
    "recipient",
    "session",
    "changes",
    "session changes",
    "debrief",
    "reference",
)


@pytest.mark.parametrize("variant", VARIANTS)
def test_openxml_audit_finds_nothing_in_any_variant(variant: str, tmp_path: Path) -> None:
    pack, chosen = variants(tmp_path)[variant]
    path = tmp_path / "out.docx"
    path.write_bytes(render_docx(pack, chosen).data)
    assert docx_findings(path) == []


@pytest.mark.parametrize("language", ["de", "fr", "es", "ja"])
def test_openxml_audit_finds_nothing_in_any_language(language: str, tmp_path: Path) -> None:
    pack = write(tmp_path, language=language)
    path = tmp_path / "out.docx"
    path.write_bytes(render_docx(pack, settings(answer_fields=True)).data)
    assert docx_findings(path) == []


def test_no_stale_copy_of_the_styles_for_word_2010(tmp_path: Path) -> None:
    # Word 2010's stylesWithEffects must mirror styles.xml, which briefpack's styles change.
    pack = write(tmp_path)
    reference = tmp_path / "reference.docx"
    python_docx.Document().save(str(reference))
    assert "word/stylesWithEffects.xml" in parts(reference.read_bytes())
    for chosen in (settings(), settings(reference_docx=reference)):
        data = render_docx(pack, chosen).data
        assert "word/stylesWithEffects.xml" not in parts(data)
        relationships = part(data, "word/_rels/document.xml.rels")
        assert not [r for r in relationships if "stylesWithEffects" in r.get("Type")]


def test_the_file_says_briefpack_made_it(tmp_path: Path) -> None:
    # Not python-docx's template's "Microsoft Macintosh Word" 14.0 with one page and no words.
    pack = write(tmp_path)
    reference = tmp_path / "reference.docx"
    python_docx.Document().save(str(reference))
    extended = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    for chosen in (settings(), settings(reference_docx=reference)):
        properties = part(render_docx(pack, chosen).data, "docProps/app.xml")
        assert properties.findtext(f"{extended}Application") == "briefpack"
        assert properties.find(f"{extended}Pages") is None


def proofing_language(data: bytes) -> str:
    styles = part(data, "word/styles.xml")
    return str(styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(f"{{{W}}}val"))


def core_language(data: bytes) -> str:
    core = part(data, "docProps/core.xml")
    return str(core.findtext("{http://purl.org/dc/elements/1.1/}language"))


@pytest.mark.parametrize(
    ("language", "proofing", "core"),
    [("de", "de-DE", "de"), ("fr", "fr-FR", "fr"), ("ja", "en-US", "en"), ("ja-JP", "en-US", "en")],
)
def test_word_proofs_the_language_actually_printed(
    language: str, proofing: str, core: str, tmp_path: Path
) -> None:
    # A pack in a language without a catalogue is written in English: proofing it as
    # Japanese would mark every word as misspelt.
    data = render_docx(write(tmp_path, language=language), settings()).data
    assert proofing_language(data) == proofing
    assert core_language(data) == core


def test_a_debrief_never_writes_new_fields_under_an_answer(tmp_path: Path) -> None:
    pack = write(tmp_path)
    debrief = settings(answers=ANSWERS)
    # Whatever the settings say: a caller that forces fields on still gets none.
    object.__setattr__(debrief, "answer_fields", True)
    assert debrief.answer_fields
    data = render_docx(pack, debrief).data
    document = part(data, "word/document.xml")
    assert document.xpath("//w:sdt", namespaces=NS) == []
    texts = [text for _, text in body_paragraphs(data)]
    assert "North, then east. 🚀" in texts
    assert "Type the answer here." not in texts
    # Nor does it claim to be a copy to fill in and harvest.
    assert "docProps/custom.xml" not in parts(data)


def sections_of(data: bytes) -> list[tuple[str | None, str | None, bool, list[str]]]:
    """Each section's page number format, start, whether its first page differs, footers."""
    document = part(data, "word/document.xml")
    found = []
    for section in document.xpath("//w:sectPr", namespaces=NS):
        numbers = section.find("w:pgNumType", NS)
        found.append(
            (
                numbers.get(f"{{{W}}}fmt") if numbers is not None else None,
                numbers.get(f"{{{W}}}start") if numbers is not None else None,
                section.find("w:titlePg", NS) is not None,
                [ref.get(f"{{{W}}}type") for ref in section.findall("w:footerReference", NS)],
            )
        )
    return found


def shown_paragraphs(data: bytes) -> list[str]:
    """The body's paragraphs' texts (no-break spaces as spaces), without those that only
    end a section after a table: what a reader meets."""
    document = part(data, "word/document.xml")
    texts = []
    for paragraph in document.xpath("/w:document/w:body/w:p", namespaces=NS):
        text = "".join(paragraph.xpath(".//w:t/text()", namespaces=NS)).replace("\xa0", " ")
        if text or paragraph.find("w:pPr/w:sectPr", NS) is None:
            texts.append(text)
    return texts


def test_the_changes_page_follows_the_cover_as_front_matter(tmp_path: Path) -> None:
    pack = write(tmp_path)
    data = render_docx(*changes(pack, earlier_of(tmp_path))).data
    texts = shown_paragraphs(data)
    title = texts.index("What changed since pack-v1.yaml of February 1, 2026")
    assert texts[:2] == ["Briefing pack", "Board meeting"]
    assert title < texts.index("At a glance")
    # No empty paragraph made for layout: the cover's last line ends its section, and
    # the changes page's end the front matter's (its last line, or after its table a
    # paragraph that only holds the break).
    assert "" not in texts
    document = part(data, "word/document.xml")
    ends = document.xpath("//w:p[w:pPr/w:sectPr]", namespaces=NS)
    assert "".join(ends[0].xpath(".//w:t/text()", namespaces=NS)) == "Confidential"
    assert texts[title - 1] == "Confidential"
    following = ["".join(end.getnext().xpath(".//w:t/text()", namespaces=NS)) for end in ends[:2]]
    assert [text.replace("\xa0", " ") for text in following] == [texts[title], "At a glance"]
    # Cover page 1, changes i, ii…, then the pack from page 2, numbered on through the
    # sections of its parts (at a glance, attendees, contents, each session).
    numbers = [section[:3] for section in sections_of(data)]
    assert numbers[:3] == [
        ("decimal", "1", False),
        ("lowerRoman", "1", False),
        ("decimal", "2", False),
    ]
    assert numbers[3:] == [("decimal", None, False)] * 4
    # Each section says which footer it has: the cover's, the front matter's, then the pack's.
    assert [section[3] for section in sections_of(data)] == [["default"]] * 7
    instructions = "".join(
        "".join(part(data, name).xpath("//w:instrText/text()", namespaces=NS))
        for name in parts(data)
        if name.startswith("word/footer")
    )
    # Three footers: the pack's ("Page 2 of 30", 30 its last page's number), the front
    # matter's (the classification and "i") and the cover's, empty.
    assert sorted(instructions.split()) == ["PAGE", "PAGE", "PAGEREF", "_BpLastPage"]
    assert len([name for name in parts(data) if name.startswith("word/footer")]) == 3
    last = document.xpath("/w:document/w:body/w:p[last()]", namespaces=NS)[0]
    assert last.xpath("w:bookmarkStart/@w:name", namespaces=NS) == ["_BpLastPage"]


def test_the_changes_page_says_what_changed_about_people_in_words(tmp_path: Path) -> None:
    pack = write(tmp_path)
    data = render_docx(*changes(pack, earlier_of(tmp_path))).data
    texts = [text for _, text in body_paragraphs(data)]
    assert "What changed since pack-v1.yaml of February 1, 2026" in texts
    page = changes_table(data)
    assert "José Ñúñez: role changed from COO to CEO" in page
    assert not [line for line in page if line.endswith("− José Ñúñez")]
    assert page[page.index("Attendee changed: Jane Doe") + 1] == (
        "Jane Doe: role changed from CTO to Chief Technology Officer"
    )


def changes_table(data: bytes) -> list[str]:
    """The changes page's table as lines: each entry as "What changed: entry", then its details."""
    table = part(data, "word/document.xml").xpath("//w:tbl", namespaces=NS)[0]
    lines = []
    for row in table.xpath("w:tr", namespaces=NS)[1:]:
        kind, entry, _ = (
            [
                "".join(p.xpath(".//w:t/text()", namespaces=NS))
                for p in cell.xpath("w:p", namespaces=NS)
            ]
            for cell in row.xpath("w:tc", namespaces=NS)
        )
        lines.append(f"{kind[0]}: {entry[0].rstrip(chr(0x200B))}")
        lines.extend(entry[1:])
    return lines


def test_a_pack_without_changes_numbers_its_pages_on_through_its_sections(
    tmp_path: Path,
) -> None:
    data = render_docx(write(tmp_path), settings()).data
    # Cover, at a glance, attendees, contents, two sessions: a section each, none
    # restarting the page numbers, each with its footer (the cover's empty).
    assert sections_of(data) == [(None, None, False, ["default"])] * 6
    assert "" not in shown_paragraphs(data)


def laid_out_by_libreoffice(data: bytes, folder: Path, name: str) -> list[str]:
    """The text of each page as LibreOffice lays out (and numbers) the Word file."""
    source = folder / f"{name}.docx"
    source.write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(folder)},
    )
    return page_texts((folder / f"{name}.pdf").read_bytes())


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_a_word_processor_numbers_the_changes_copy_as_the_clean_pack(tmp_path: Path) -> None:
    pack = write(tmp_path)
    clean = laid_out_by_libreoffice(render_docx(pack, settings()).data, tmp_path, "clean")
    marked = render_docx(*changes(pack, earlier_of(tmp_path))).data
    pages = laid_out_by_libreoffice(marked, tmp_path, "changes")
    total = len(clean)
    assert pages[0].startswith("Briefing pack Board meeting")
    assert pages[1].startswith("Board meeting What changed since pack-v1.yaml")
    assert pages[1].endswith("Confidential i")
    # Every page after it: the clean pack's page, by its number and its count.
    assert len(pages) == total + 1
    for number, (page, same) in enumerate(zip(pages[2:], clean[1:], strict=True), start=2):
        assert page.endswith(f"Page {number} of {total}")
        assert same.endswith(f"Page {number} of {total}")
    # The changes page's "where" is the page the change is on in the clean pack: on the
    # entry's line, in the page column of its table.
    where = next(n for n, text in enumerate(clean, start=1) if "How fast?" in text)
    with pdfplumber.open(tmp_path / "changes.pdf") as laid_out:
        words = laid_out.pages[1].extract_words()
    pace = next(word for word in words if word["text"].startswith("Pace"))
    line = [
        w["text"] for w in words if abs(w["bottom"] - pace["bottom"]) < 2 and w["x0"] > pace["x0"]
    ]
    assert line[-1] == str(where)


def test_every_picture_has_an_id_of_its_own_across_the_parts(tmp_path: Path) -> None:
    # The theme's logo is in the header and on the cover, and a photo in the body:
    # python-docx numbers each part's pictures from 1.
    pack = write(tmp_path)
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), (20, 60, 120)).save(logo)
    theme = dataclasses.replace(default_theme(), logo=logo)
    for shown, chosen in (
        (pack, settings(theme=theme)),
        changes(pack, earlier_of(tmp_path), theme=theme),
    ):
        data = render_docx(shown, chosen).data
        ids = [
            drawing.get("id")
            for name in parts(data)
            if name.startswith(("word/document", "word/header", "word/footer"))
            for drawing in part(data, name).iter(
                "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
            )
        ]
        assert len(ids) >= 3
        assert len(ids) == len(set(ids))
        path = tmp_path / "out.docx"
        path.write_bytes(data)
        assert docx_findings(path) == []
