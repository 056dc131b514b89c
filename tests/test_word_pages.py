"""The Word contents' page numbers: written in from LibreOffice's layout, equal to its pages."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from test_recipients import RECIPIENTS

from briefpack.build.contents_pages import (
    SectionNumbering,
    fill_contents_pages,
    page_labels,
    page_references,
    with_section_marks,
)
from briefpack.build.word_layout import find_libreoffice, run_program

from conftest import BUNDLED_PACK, MINIMAL_PACK, libreoffice_with_uno, run
from pdf_makers import make_pdf
from test_changes import version_pair

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
#: The footer's page number: "Page 5 of 15", "Seite 5 von 15", "Page ii".
FOOTER_NUMBER = re.compile(r"(?:Page|Seite)\s+(\S+)")


def entries(docx: Path) -> list[tuple[str, str]]:
    """Each contents entry's ``PAGEREF`` bookmark and the number its result shows, in order.

    Only those inside the contents' ``TOC`` field: a changes copy's list of
    changes, before it, has page references of its own.
    """
    with zipfile.ZipFile(docx) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    found: list[tuple[str, str]] = []
    reading: list[str] | None = None
    in_contents = False
    names = ("instrText", "delInstrText", "t", "delText", "fldChar")
    for node in root.iter(*(f"{W}{name}" for name in names)):
        text = node.text or ""
        if node.tag in (f"{W}instrText", f"{W}delInstrText"):
            in_contents = in_contents or text.split()[:1] == ["TOC"]
            if in_contents and text.split()[:1] == ["PAGEREF"]:
                found.append((text.split()[1], ""))
                reading = None
        elif node.tag == f"{W}fldChar" and found and not found[-1][1]:
            kind = node.get(f"{W}fldCharType")
            reading = [] if kind == "separate" else reading
            if kind == "end" and reading is not None:
                found[-1] = (found[-1][0], "".join(reading))
                reading = None
        elif reading is not None and node.tag in (f"{W}t", f"{W}delText"):
            reading.append(text)
    return found


def settings_xml(docx: Path | bytes) -> str:
    source = io.BytesIO(docx) if isinstance(docx, bytes) else docx
    with zipfile.ZipFile(source) as archive:
        return archive.read("word/settings.xml").decode()


def convert(copies: dict[str, Path], folder: Path) -> dict[str, Path]:
    """Each copy converted to PDF by a plain ``soffice --convert-to pdf``, as a reader would."""
    assert SOFFICE is not None
    folder.mkdir()
    for name, docx in copies.items():
        shutil.copy(docx, folder / f"{name}.docx")
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
         "--outdir", str(folder), *(str(folder / f"{name}.docx") for name in copies)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {name: folder / f"{name}.pdf" for name in copies}


def linked_pages(pdf_path: Path, contents_title: str) -> list[str]:
    """The number printed in the footer of each page the contents' links lead to, in order.

    The links are read from the contents' pages top to bottom; an entry that
    wraps gives two links to one place, counted once.  The footer's number
    is LibreOffice's own: its ``PAGE`` field, as the section numbers it.
    """
    footers = [
        FOOTER_NUMBER.findall(text)[-1] if FOOTER_NUMBER.findall(text) else ""
        for text in page_texts(pdf_path)
    ]
    titles = [text.splitlines() for text in page_texts(pdf_path)]
    start = next(n for n, lines in enumerate(titles) if contents_title in lines[:6])
    numbers: list[str] = []
    with pikepdf.open(pdf_path) as pdf:
        index = {page.objgen: number for number, page in enumerate(pdf.pages)}
        previous = None
        for page in list(pdf.pages)[start:]:
            links = [
                annotation
                for annotation in page.get("/Annots", [])
                if annotation.get("/Subtype") == "/Link"
                and "/Dest" in annotation
                # Not the footer's "of 15", which links to the last page.
                and float(annotation.Rect[2]) - float(annotation.Rect[0]) > 100
            ]
            if not links:
                break
            for link in sorted(links, key=lambda item: -float(item.Rect[3])):
                target = (index[link.Dest[0].objgen], [float(x) for x in link.Dest[2:4]])
                if target != previous:
                    numbers.append(footers[target[0]])
                previous = target
    return numbers


def page_texts(pdf_path: Path) -> list[str]:
    """Each page's text, its lines with their spaces collapsed."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [
        "\n".join(" ".join(line.split()) for line in page.splitlines())
        for page in text.split("\f")[:-1]
    ]


# ---------------------------------------------------------------- without LibreOffice


@pytest.fixture(scope="module")
def plain_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal pack's Word copy, built as the tests build it: no layout engine."""
    root = tmp_path_factory.mktemp("plain")
    (root / "pack.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    code, _, err = run("build", str(root / "pack.yaml"), "-o", str(root / "out"), "-f", "docx")
    assert code == 0, err
    return root / "out" / "pack" / "pack.docx"


def test_each_contents_entry_holds_a_tab_and_a_page_reference_to_its_heading(
    plain_copy: Path,
) -> None:
    with zipfile.ZipFile(plain_copy) as archive:
        document = archive.read("word/document.xml").decode()
    assert entries(plain_copy) == [("d1", ""), ("s1", ""), ("s1q1", "")]
    # Inside the link, as Word writes its own contents; the whole contents one TOC field.
    link = re.search(r'<w:hyperlink w:anchor="s1q1".*?</w:hyperlink>', document)
    assert link is not None
    assert "<w:tab/>" in link.group()
    assert "PAGEREF s1q1 \\h" in link.group()
    assert document.count('TOC \\o "1-3" \\h \\z') == 1
    assert "w:updateFields" in settings_xml(plain_copy)  # unnumbered: Word numbers it


def test_filling_the_numbers_writes_them_in_and_drops_the_update_prompt(plain_copy: Path) -> None:
    data = plain_copy.read_bytes()
    assert page_references(data) == ["d1", "s1", "s1q1"]
    filled = fill_contents_pages(data, {"d1": "3", "s1": "3", "s1q1": "4"})
    copy = plain_copy.parent / "filled.docx"
    copy.write_bytes(filled)
    assert entries(copy) == [("d1", "3"), ("s1", "3"), ("s1q1", "4")]
    assert "updateFields" not in settings_xml(filled)
    # The field stays a field, and the zip keeps its order and its stamps.
    with zipfile.ZipFile(io.BytesIO(data)) as before, zipfile.ZipFile(io.BytesIO(filled)) as after:
        assert [(i.filename, i.date_time) for i in before.infolist()] == [
            (i.filename, i.date_time) for i in after.infolist()
        ]
        assert 'TOC \\o "1-3" \\h \\z' in after.read("word/document.xml").decode()
    assert fill_contents_pages(data, {"d1": "3", "s1": "3", "s1q1": "4"}) == filled


def test_a_changes_copy_numbers_its_pages_as_its_sections_say() -> None:
    numbering = (
        SectionNumbering(1, "decimal"),
        SectionNumbering(1, "lowerRoman"),
        SectionNumbering(2, "decimal"),
    )
    assert page_labels({1: 1, 2: 2, 3: 4}, numbering, 6) == ["1", "i", "ii", "2", "3", "4"]
    assert page_labels({1: 1}, (SectionNumbering(None, "decimal"),), 3) == ["1", "2", "3"]


def test_the_layout_copy_marks_where_each_section_starts(plain_copy: Path) -> None:
    marked, numbering = with_section_marks(plain_copy.read_bytes())
    assert len(numbering) >= 1
    with zipfile.ZipFile(io.BytesIO(marked)) as archive:
        assert 'w:name="BpLayoutSection1"' in archive.read("word/document.xml").decode()


def test_without_libreoffice_the_build_says_once_how_to_get_the_numbers(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    pack.write_text(text.replace("days:", RECIPIENTS + "days:", 1), encoding="utf-8")
    empty = tmp_path / "bin"
    empty.mkdir()
    command = ["build", str(pack), "-o", str(tmp_path / "out"), "-f", "docx", "--per-recipient"]
    result = subprocess.run(
        [sys.executable, "-c", "from briefpack.cli import main; main()", *command,
         "--word-page-numbers"],
        capture_output=True, text=True, timeout=300, env={"PATH": str(empty)},
    )  # fmt: skip
    # Two copies have a contents (the pack, a recipient's): one line, not one per copy.
    assert (tmp_path / "out" / "pack" / "recipients" / "jane-doe.docx").is_file()
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("apt-get install libreoffice-writer-nogui") == 1
    copy = tmp_path / "out" / "pack" / "pack.docx"
    assert {number for _, number in entries(copy)} == {""}
    assert "w:updateFields" in settings_xml(copy)


# ---------------------------------------------------------------- with LibreOffice


@pytest.fixture(scope="module")
def numbered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Word copies built with page numbers: the pack, a recipient's, a changes copy, German."""
    root = tmp_path_factory.mktemp("numbered")
    version_pair(root)
    new = root / "new" / "pack.yaml"
    new.write_text(
        new.read_text(encoding="utf-8").replace("days:", RECIPIENTS + "days:", 1), encoding="utf-8"
    )
    # German, with a pre-read under Session 2: the contents lists it too.
    german = root / "de" / "pack-de.yaml"
    german.parent.mkdir()
    make_pdf(german.parent / "memo.pdf", 2, text="AgentCore memo")
    text = BUNDLED_PACK.read_text(encoding="utf-8") + "options:\n  language: de\n"
    at = text.index("        questions:", text.index("      - label: Session 2"))
    attachment = "        attachments:\n          - file: memo.pdf\n            title: The memo\n"
    german.write_text(text[:at] + attachment + text[at:], encoding="utf-8")
    out = root / "out"
    old = str(root / "old" / "pack.yaml")
    for pack, more in ((new, ["--per-recipient", "--changes-since", old]), (german, [])):
        code, _, err = run(
            "build", str(pack), "-o", str(out), "-f", "docx", "--no-sessions",
            "--word-page-numbers", "-j", "2", *more,
        )  # fmt: skip
        assert code == 0, err
    return {
        "pack": out / "pack" / "pack.docx",
        "changes": out / "pack" / "pack.changes.docx",
        "recipient": out / "pack" / "recipients" / "omar-haddad.docx",
        "german": out / "pack-de" / "pack-de.docx",
    }


@needs_libreoffice
def test_every_contents_number_is_the_page_libreoffice_puts_its_heading_on(
    numbered: dict[str, Path], tmp_path: Path
) -> None:
    pdfs = convert(numbered, tmp_path / "converted")
    for name, docx in numbered.items():
        ours = [number for _, number in entries(docx)]
        assert ours, name
        assert all(ours), name
        title = "Inhalt" if name == "german" else "Contents"
        assert linked_pages(pdfs[name], title) == ours, name
        assert "updateFields" not in settings_xml(docx), name
        with zipfile.ZipFile(docx) as archive:
            document = archive.read("word/document.xml").decode()
        assert document.count('TOC \\o "1-3" \\h \\z') == 1, name
    assert "s2p1" in dict(entries(numbered["german"]))  # the pre-read's entry


@needs_libreoffice
def test_numbered_copies_are_the_same_bytes_on_one_worker_or_two(tmp_path: Path) -> None:
    pack = BUNDLED_PACK.read_text(encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(pack, encoding="utf-8")
    copies = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        code, _, err = run(
            "build", str(tmp_path / "pack.yaml"), "-o", str(out), "-f", "docx",
            "--no-sessions", "--word-page-numbers", "-j", jobs,
        )  # fmt: skip
        assert code == 0, err
        copies.append((out / "pack" / "pack.docx").read_bytes())
    assert copies[0] == copies[1]
    assert all(number for _, number in entries(tmp_path / "out1" / "pack" / "pack.docx"))


@needs_libreoffice
def test_a_copy_is_numbered_the_same_whatever_was_laid_out_before_it(tmp_path: Path) -> None:
    # An English pack, then one whose Greek letters the English copy's fonts lack:
    # each layout must use the copy's own embedded fonts, not the previous one's.
    english = BUNDLED_PACK.read_text(encoding="utf-8")
    greek = re.sub(
        r"^(\s+- title: )([\"']?)", r"\1\2Ωμέγα Ψυχή Ξένος Φως ", english, flags=re.MULTILINE
    )
    (tmp_path / "aa.yaml").write_text(english, encoding="utf-8")
    (tmp_path / "zz.yaml").write_text(greek, encoding="utf-8")
    built = []
    for packs in (["aa.yaml", "zz.yaml"], ["zz.yaml"]):
        out = tmp_path / f"out{len(packs)}"
        code, _, err = run(
            "build", *(str(tmp_path / pack) for pack in packs), "-o", str(out), "-f", "docx",
            "--no-sessions", "--word-page-numbers", "-j", "1",
        )  # fmt: skip
        assert code == 0, err
        built.append(out / "zz" / "zz.docx")
    assert built[0].read_bytes() == built[1].read_bytes()
    pdfs = convert({"zz": built[0]}, tmp_path / "converted")
    assert linked_pages(pdfs["zz"], "Contents") == [number for _, number in entries(built[0])]


def failing_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], Path]:
    """A ``soffice`` first on PATH that tells its version and fails every layout.

    Returns the command that builds a one-session pack's Word copies, and its output folder.
    """
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\n[ "$1" = --version ] && echo "LibreOffice 0.0" && exit 0\nexit 1\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "pack.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    return ["build", str(tmp_path / "pack.yaml"), "-o", str(out), "-f", "docx"], out


def test_a_libreoffice_that_fails_costs_the_copy_its_numbers_not_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command, out = failing_libreoffice(tmp_path, monkeypatch)
    code, _, err = run(*command, "--word-page-numbers")
    assert code == 0, err
    assert "the contents keep no page numbers: LibreOffice could not lay the copy out" in err
    assert "w:updateFields" in settings_xml(out / "pack" / "pack.docx")
    # LibreOffice's version is an input of the copy with a contents, and only of it.
    code, _, err = run(*command, "--no-word-page-numbers", "-v")
    assert "wrote " + str(out / "pack" / "pack.docx") in err + _
    assert "up to date " + str(out / "pack" / "sessions" / "01-strategy.docx") in err + _


def test_a_copy_left_unnumbered_is_laid_out_again_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command, out = failing_libreoffice(tmp_path, monkeypatch)
    command += ["--word-page-numbers", "-v", "--cache", str(tmp_path / "cache")]
    code, _, err = run(*command)
    assert code == 0, err
    # The same LibreOffice, the same inputs: the copy without numbers is neither
    # up to date nor taken from the cache, but laid out (and failing) again.
    code, out_text, err = run(*command)
    assert code == 0, err
    assert "wrote " + str(out / "pack" / "pack.docx") in err + out_text
    assert "the contents keep no page numbers" in err
    assert "up to date " + str(out / "pack" / "sessions" / "01-strategy.docx") in err + out_text


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="reads /proc")
def test_a_program_that_overstays_is_killed_with_all_it_started(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        run_program(["sh", "-c", "sleep 30 & echo $! > child; sleep 30"], tmp_path, 0.5)
    assert time.monotonic() - started < 10
    child = Path("/proc", (tmp_path / "child").read_text().strip(), "stat")
    time.sleep(0.2)
    # Gone, or dead and waiting for init to reap it.
    assert not child.exists() or child.read_text().split(")")[-1].split()[0] == "Z"


def test_libreoffices_version_is_read_from_its_files_without_running_it(tmp_path: Path) -> None:
    program = tmp_path / "libreoffice" / "program"
    program.mkdir(parents=True)
    for name in ("soffice", "soffice.bin"):
        (program / name).write_text("#!/bin/sh\nexit 1\n")  # running it would fail
        (program / name).chmod(0o755)
    (program / "bootstraprc").write_text("[Bootstrap]\nProductKey=LibreOffice 9.9\n")
    (program / "versionrc").write_text("[Version]\nbuildid=1(Build:1)\n")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "soffice").symlink_to(program / "soffice")
    environ = {"PATH": str(tmp_path / "bin")}
    found = find_libreoffice(environ)
    assert found is not None
    assert found.program == str(program / "soffice.bin")
    assert found.version.startswith("ProductKey=LibreOffice 9.9 buildid=1(Build:1) soffice.bin=")
    (program / "versionrc").write_text("[Version]\nbuildid=2(Build:1)\n")
    upgraded = find_libreoffice(environ)
    assert upgraded is not None
    assert upgraded.version != found.version  # an input of the copy: it is laid out again
    assert find_libreoffice(environ, exact=True) is None  # asked, the program fails


def contents_lines(docx: Path) -> list[tuple[str, str]]:
    """Each contents entry as a reader sees it: its text before the tab, and its number."""
    with zipfile.ZipFile(docx) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    lines = []
    for paragraph in root.iter(f"{W}p"):
        links = paragraph.findall(f"{W}hyperlink")
        if not any("PAGEREF" in "".join(link.itertext()) for link in links):
            continue
        pieces = []
        for node in paragraph.iter(f"{W}t", f"{W}tab"):
            pieces.append("\t" if node.tag == f"{W}tab" else node.text or "")
        text, _, number = "".join(pieces).partition("\t")
        lines.append((text, number))
    return lines


@pytest.mark.skipif(
    not libreoffice_with_uno(), reason="needs LibreOffice and its python3-uno (Debian packages)"
)
def test_libreoffice_updates_the_contents_to_the_same_numbers(
    numbered: dict[str, Path],
) -> None:
    # The field is still a contents LibreOffice regenerates (its own lines, from the
    # headings: the part titles too, a session by its title alone); each entry of
    # ours is among them, in order, with the same page.
    script = Path(__file__).with_name("lo_update_contents.py")
    result = subprocess.run(
        ["/usr/bin/python3", str(script), str(numbered["pack"])],
        check=True, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    (regenerated,) = json.loads(result.stdout)
    theirs = [tuple(line.rsplit("\t", 1)) for line in regenerated]
    ours = contents_lines(numbered["pack"])
    assert len(ours) == len(entries(numbered["pack"]))
    position = 0
    for text, number in ours:
        while not text.endswith(theirs[position][0]):
            position += 1  # raises IndexError if an entry of ours is not there
        assert theirs[position][1] == number, text
        position += 1
