"""Versions and numbered copies (issue 31, items 1 and 2): which issue a page is, and whose copy.

"Version 3 · issued Oct 23, 2025" in the footer of every page after the cover (pre-read
pages included) and on the cover, in the PDF and the Word copy, and in both files'
properties; a recipient's cover says "Copy 2 of 3 · Prepared for ..." in the order of
the pack's recipients.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from test_recipients import recipients_pack

from briefpack.build.chosen_settings import resolve_settings
from briefpack.content.validate import load_pack
from briefpack.render.book.parts import numbers_part, plan_book
from briefpack.render.html import html_document
from briefpack.render.wording import wording_for

from conftest import BUNDLED_PACK, WritePack, run
from pdf_helpers import page_texts, reader

RECIPIENTS = """\
recipients:
  - name: Jane Doe
  - name: Omar Haddad
    exclude: [agentcore]
  - name: Li Wei
"""
VERSION = "Version 3 · issued Oct 23, 2025"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled pack (a book: four sessions) at version 3, with three readers and a pre-read."""
    root = tmp_path_factory.mktemp("versions")
    pack = recipients_pack(root, RECIPIENTS)
    pack.write_text(pack.read_text(encoding="utf-8") + 'options:\n  version: "3"\n', "utf-8")
    code, _, err = run("build", str(pack), "-o", str(root / "out"), "--per-recipient")
    assert code == 0, err
    return root / "out" / "pack"


def assert_versioned(data: bytes, version: str = VERSION) -> list[str]:
    """Every page after the cover ends with "VERSION · Page N of M"; the cover says it too."""
    pages = page_texts(data)
    assert version in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"{version} · Page {number} of {len(pages)}" in page, (number, page)
    return pages


def footer_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return " ".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if re.fullmatch(r"word/footer\d+\.xml", name)
        )


def test_every_page_of_the_full_pack_shows_the_version(built: Path) -> None:
    assert_versioned((built / "pack.pdf").read_bytes())


def test_every_page_of_a_session_pack_shows_the_version(built: Path) -> None:
    sessions = sorted((built / "sessions").glob("*.pdf"))
    assert len(sessions) == 4
    for path in sessions:
        assert_versioned(path.read_bytes())


def test_a_recipients_pages_and_its_pre_read_show_the_version(built: Path) -> None:
    pages = assert_versioned((built / "recipients" / "jane-doe.pdf").read_bytes())
    memo = next(page for page in pages if "AgentCore memo 1" in page)
    assert VERSION + " · Page " in memo


def test_recipients_copies_are_numbered_in_the_recipients_order(built: Path) -> None:
    for copy, slug, name in (
        (1, "jane-doe", "Jane Doe"),
        (2, "omar-haddad", "Omar Haddad"),
        (3, "li-wei", "Li Wei"),
    ):
        line = f"Copy {copy} of 3 · Prepared for {name} · Oct 23, 2025"
        cover = page_texts((built / "recipients" / f"{slug}.pdf").read_bytes())[0]
        assert line in cover
        paragraphs = [
            p.text for p in docx.Document(str(built / "recipients" / f"{slug}.docx")).paragraphs
        ]
        assert line in paragraphs
    # The full pack and a session's are nobody's copy.
    assert "Copy " not in page_texts((built / "pack.pdf").read_bytes())[0]


def test_the_word_copies_footers_and_covers_show_the_version(built: Path) -> None:
    for path in (built / "pack.docx", built / "recipients" / "omar-haddad.docx"):
        assert f"{VERSION} · " in footer_xml(path)
        document = docx.Document(str(path))
        assert VERSION in [paragraph.text for paragraph in document.paragraphs]
    for path in (built / "sessions").glob("*.docx"):
        assert f"{VERSION} · " in footer_xml(path)


def test_the_version_is_in_both_files_properties(built: Path) -> None:
    pdf = reader((built / "pack.pdf").read_bytes())
    assert pdf.metadata["/BriefpackVersion"] == "3"
    assert VERSION in pdf.metadata["/Subject"]
    assert VERSION.encode("utf-8") in pdf.xmp_metadata.stream.get_data()
    document = docx.Document(str(built / "pack.docx"))
    assert document.core_properties.version == "3"
    with zipfile.ZipFile(built / "pack.docx") as package:
        custom = package.read("docProps/custom.xml").decode("utf-8")
    assert 'name="BriefpackVersion"' in custom
    assert "<vt:lpwstr>3</vt:lpwstr>" in custom


SMALL = """\
title: Vorstandssitzung
days:
  - date: 2025-10-23
    sessions:
      - title: Budget
        start: "09:00"
        end: "10:00"
        questions:
          - title: Kürzungen
            question: Was kürzen wir?
recipients:
  - name: Jane Doe
  - name: Li Wei
options:
  language: de
  version: "3"
"""


def test_issue_overrides_the_packs_version_in_the_readers_language(
    write_pack: WritePack, tmp_path: Path
) -> None:
    # One session: one document, not a book, whose footers its own stylesheet sets.
    pack = write_pack(SMALL)
    out = tmp_path / "out"
    code, _, err = run("build", str(pack), "-o", str(out), "--per-recipient", "--issue", "4.1")
    assert code == 0, err
    version = "Version 4.1 · ausgegeben am 23.10.2025"
    for path in (out / "pack" / "pack.pdf", out / "pack" / "recipients" / "li-wei.pdf"):
        pages = page_texts(path.read_bytes())
        assert version in pages[0]
        assert all(f"{version} · Seite" in page for page in pages[1:])
        assert "Version 3" not in " ".join(pages)
    cover = page_texts((out / "pack" / "recipients" / "li-wei.pdf").read_bytes())[0]
    assert "Exemplar 2 von 2 · Erstellt für Li Wei · 23.10.2025" in cover
    assert f"{version} · " in footer_xml(out / "pack" / "recipients" / "li-wei.docx")
    assert reader((out / "pack" / "pack.pdf").read_bytes()).metadata["/BriefpackVersion"] == "4.1"


def test_the_issue_date_is_the_packs_own_even_under_source_date_epoch(
    write_pack: WritePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")  # 2025-10-09
    pack = write_pack(SMALL.replace('  version: "3"\n', '  version: "3"\n  issued: 2025-10-21\n'))
    out = tmp_path / "out"
    code, _, err = run("build", str(pack), "-o", str(out), "--per-recipient")
    assert code == 0, err
    version = "Version 3 · ausgegeben am 21.10.2025"
    pages = page_texts((out / "pack" / "recipients" / "li-wei.pdf").read_bytes())
    assert "Exemplar 2 von 2 · Erstellt für Li Wei · 21.10.2025" in pages[0]
    assert all(f"{version} · Seite" in page for page in pages[1:])
    assert (
        reader((out / "pack" / "pack.pdf").read_bytes())
        .metadata["/CreationDate"]
        .startswith("D:20251021")
    )
    assert f"{version} · " in footer_xml(out / "pack" / "pack.docx")
    document = docx.Document(str(out / "pack" / "pack.docx"))
    assert document.core_properties.created.date().isoformat() == "2025-10-21"


def test_an_issue_date_that_is_not_a_date_is_refused_at_its_line(write_pack: WritePack) -> None:
    pack = write_pack(SMALL.replace('  version: "3"\n', '  version: "3"\n  issued: 21/10/2025\n'))
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = pack.read_text(encoding="utf-8").splitlines().index("  issued: 21/10/2025") + 1
    assert err.startswith(f"{pack}:{line}:11: 'issued' ")


def test_a_long_version_is_cut_to_keep_the_footer_one_line() -> None:
    wording = wording_for("en", None)
    issued = load_pack(BUNDLED_PACK).days[0].date
    line = wording.version_line("board draft for the audit committee, third pass", issued)
    assert line == "Version board draft for the… · issued Oct 23, 2025"


def test_a_pack_without_a_version_or_recipients_renders_as_before() -> None:
    # No version, no copy line, no footer prefix: the HTML (and so the PDF's bytes and
    # identifier) is what it was; tests/golden holds it whole.
    pack = load_pack(BUNDLED_PACK)
    settings = resolve_settings(pack, {})
    assert settings.version is None
    html = html_document(pack, settings)
    for trace in ("version-line", "cover-version", "Copy "):
        assert trace not in html


def test_a_sessions_shared_part_is_the_same_in_every_version_and_copy() -> None:
    # The version is the output's (its front, its sheet of numbers), never a shared part's:
    # the full pack, the session packs and every reader keep sharing one render per session.
    pack = load_pack(BUNDLED_PACK)
    plain = resolve_settings(pack, {})
    versioned = replace(plain, version="3", recipient="Jane Doe")
    assert [part.key for part in plan_book(pack, plain).sessions] == [
        part.key for part in plan_book(pack, versioned).sessions
    ]
    assert plan_book(pack, plain).front.key != plan_book(pack, versioned).front.key
    # The sheet's CSS string escapes the "·" (theme_css.css_string).
    assert r"Version 3 \b7  issued Oct 23" in numbers_part(pack, versioned, 15).html
    assert "Version" not in numbers_part(pack, plain, 15).html


def test_a_reader_added_before_others_renumbers_their_copies_on_the_next_build(
    write_pack: WritePack, tmp_path: Path
) -> None:
    pack = write_pack(SMALL)
    out = tmp_path / "out"
    args = ("build", str(pack), "-o", str(out), "--per-recipient", "-f", "pdf")
    assert run(*args)[0] == 0
    li_wei = out / "pack" / "recipients" / "li-wei.pdf"
    assert "Exemplar 2 von 2 · Erstellt für Li Wei" in page_texts(li_wei.read_bytes())[0]
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace("recipients:\n", "recipients:\n  - name: Ada Ng\n"), "utf-8")
    assert run(*args)[0] == 0
    assert "Exemplar 3 von 3 · Erstellt für Li Wei" in page_texts(li_wei.read_bytes())[0]


def test_the_changes_page_names_the_version_it_compares_with_and_its_own(
    write_pack: WritePack, tmp_path: Path
) -> None:
    write_pack(SMALL.replace('version: "3"', 'version: "2"'), "pack-v2.yaml")
    pack = write_pack(SMALL.replace("Was kürzen wir?", "Was kürzen wir zuerst?"))
    out = tmp_path / "out"
    args = ("build", str(pack), "-o", str(out), "--changes-since", str(tmp_path / "pack-v2.yaml"))
    code, _, err = run(*args, "--no-sessions")
    assert code == 0, err
    changes = out / "pack" / "pack.changes.pdf"
    page = page_texts(changes.read_bytes())[1]
    assert "Version 2 (pack-v2.yaml)" in page
    assert "Version 3 · ausgegeben am 23.10.2025 · Seite i" in page
    paragraphs = [p.text for p in docx.Document(str(out / "pack" / "pack.changes.docx")).paragraphs]
    assert any("Version 2 (pack-v2.yaml)" in text for text in paragraphs)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ('"3\\n4"', "must be one line, without line breaks or control characters"),
        ('"3\\u20284"', "must be one line, without line breaks or control characters"),
        ('"3\\x854"', "must be one line, without line breaks or control characters"),
        ('"3\\u202e4"', "must not contain a direction control (such as a right-to-left override)"),
        ('""', "must not be empty; leave it out"),
        ("~", "must not be empty; leave it out"),
    ],
)
def test_a_version_that_is_empty_or_more_than_one_line_is_refused_at_its_line(
    write_pack: WritePack, written: str, message: str
) -> None:
    pack = write_pack(SMALL.replace('  version: "3"\n', f"  version: {written}\n"))
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = pack.read_text(encoding="utf-8").splitlines().index(f"  version: {written}") + 1
    assert err.splitlines() == [f"{pack}:{line}:12: 'version' {message}", "1 of 1 pack invalid"]


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("3\n4", "must be one line, without line breaks or control characters"),
        ("3\t4", "must be one line, without line breaks or control characters"),
        ("3\u202e4", "must not contain a direction control (such as a right-to-left override)"),
        ("3\u20674", "must not contain a direction control (such as a right-to-left override)"),
        ("", "must not be empty"),
        ("  ", "must not be empty"),
    ],
)
def test_an_issue_label_that_is_empty_or_more_than_one_line_is_refused_before_building(
    write_pack: WritePack, tmp_path: Path, label: str, message: str
) -> None:
    pack = write_pack(SMALL)
    out = tmp_path / "out"
    code, _, err = run("build", str(pack), "-o", str(out), "--issue", label)
    assert code == 1
    assert err.splitlines() == [f"--issue {message}"]
    assert not out.exists()
