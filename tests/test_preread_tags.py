"""Pre-reads a screen reader reads: a tagged pre-read's structure kept, an untagged one described.

Checked as assistive technology reads the book: the structure tree as
Poppler's ``pdfinfo -struct-text`` prints it (types, titles, alt texts and
the text each element holds, in reading order), and by two PDF/UA checkers
we did not write, ``page`` (PyPI page-validation) and outloud.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from conftest import BUNDLED_PACK, run
from pdf_makers import (
    make_hostile_tagged_pdf,
    make_pdf,
    make_standard_fonts_pdf,
    make_tagged_pdf,
    make_untagged_pdf,
)

pytestmark = pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="needs Poppler's pdfinfo (Debian poppler-utils)"
)

TAGGED = "Chiffres du trimestre"
UNTAGGED = "Q3 figures"


def pack_with_pre_reads(folder: Path, tagged: str = "tagged.pdf") -> Path:
    """The bundled pack in ``folder`` with a tagged and an untagged pre-read under Session 2."""
    (folder / "pre-reads").mkdir(parents=True, exist_ok=True)
    if tagged == "tagged.pdf":
        make_tagged_pdf(folder / "pre-reads" / tagged)
    make_untagged_pdf(folder / "pre-reads" / "q3.pdf")
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    text = text.replace(
        "days:",
        "recipients:\n  - name: Jane Doe\n    exclude: [devops-culture-at-amazon]\ndays:",
        1,
    )
    at = text.index("        questions:", text.index("      - label: Session 2"))
    lines = (
        f"        attachments:\n          - file: pre-reads/{tagged}\n            title: {TAGGED}\n"
        f"          - file: pre-reads/q3.pdf\n            title: {UNTAGGED}\n"
        "            divider: false\n"
    )
    pack = folder / "pack.yaml"
    pack.write_text(text[:at] + lines + text[at:], encoding="utf-8")
    return pack


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack with both pre-reads built as PDF, per session and per recipient: its folder."""
    root = tmp_path_factory.mktemp("pre-read-tags")
    pack = pack_with_pre_reads(root)
    code, _, err = run("build", str(pack), "-o", str(root / "out"), "-f", "pdf", "--per-recipient")
    assert code == 0, err
    return root / "out" / "pack"


def struct_lines(pdf: Path) -> list[str]:
    """``pdfinfo -struct-text``: each element (indented by depth) and the text it holds."""
    return subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()


def section(lines: list[str], title: str) -> list[str]:
    """The lines of the section titled ``title``, dedented to it."""
    start = next(n for n, line in enumerate(lines) if line.strip() == f'Sect "{title}"')
    depth = len(lines[start]) - len(lines[start].lstrip())
    found = []
    for line in lines[start + 1 :]:
        if len(line) - len(line.lstrip()) <= depth:
            break
        found.append(line[depth + 2 :])
    return found


def page_failures(pdf: Path) -> list[str]:
    """What ``page`` finds: PDF/UA-1, and the PDF/A part the file claims (tests/checkers.py)."""
    from checkers import pdf_findings

    return pdf_findings(pdf)


def outloud_errors(*pdfs: Path) -> list[tuple[str, str, str]]:
    checked = subprocess.run(
        [sys.executable, "-m", "outloud.cli", "--json", "-", "--fail-on", "never", *map(str, pdfs)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        (Path(result["path"]).name, finding["rule"], finding["message"])
        for result in json.loads(checked.stdout)["results"]
        for finding in result["findings"]
        if finding["severity"] == "error"
    ]


def test_a_tagged_pre_reads_structure_is_grafted_under_its_session_in_order(built: Path) -> None:
    for pdf in (built / "pack.pdf", built / "sessions" / "02-agentcore.pdf"):
        lines = struct_lines(pdf)
        text = "\n".join(lines)
        # Under Session 2, after its questions and its pre-read's divider, before Session 3
        # (named first in the contents, last by its own heading).
        assert text.rindex("Session 2") < text.index(f'Sect "{TAGGED}"')
        if pdf.name == "pack.pdf":
            assert text.index(f'Sect "{UNTAGGED}"') < text.rindex("Session 3")
        grafted = section(lines, TAGGED)
        kinds = [line.split()[0] for line in grafted if not line.startswith(" ")]
        # The pre-read's H1 and H2 sit below the divider's H3.
        assert kinds == ["H4", "P", "P", "H5", "P", "H5", "P"]
        words = [line.strip().strip('"') for line in grafted if line.strip().startswith('"')]
        assert words[:2] == [TAGGED, "Les ventes ont augmenté de dix pour cent."]
        assert words[-4:] == ["Détails", "Le deuxième paragraphe.", "Annexe", "La deuxième page."]
        assert any(line.strip().startswith("Figure") for line in grafted)
    with pikepdf.open(built / "sessions" / "02-agentcore.pdf") as document:
        sect = _element(document, TAGGED)
        assert str(sect.Lang) == "fr"
        figures = [kid for kid in _descendants(sect) if kid.get("/S") == pikepdf.Name.Figure]
        assert [str(figure.Alt) for figure in figures] == ["Un graphique des ventes"]
        # The figure's box moved with the page, inside the book page.
        x1, y1, x2, y2 = (float(value) for value in figures[0].A.BBox)
        assert 0 < x1 < x2 < 595
        assert 0 < y1 < y2 < 842


def test_an_untagged_pre_reads_pages_are_figures_described_in_words(built: Path) -> None:
    with pikepdf.open(built / "pack.pdf") as document:
        sect = _element(document, UNTAGGED)
        figures = list(sect.K)
        assert [str(figure.S) for figure in figures] == ["/Figure", "/Figure"]
        assert [str(figure.Alt) for figure in figures] == [
            f"Pre-read: {UNTAGGED} (q3.pdf). Page 1 of 2",
            f"Pre-read: {UNTAGGED} (q3.pdf). Page 2 of 2",
        ]
        pages = {page.objgen: number for number, page in enumerate(document.pages)}
        first, second = (pages[figure.Pg.objgen] for figure in figures)
        assert second == first + 1
    assert "Untagged page 2" in _drawn_text(built / "pack.pdf", second)


def test_no_pre_read_page_is_an_artifact_any_more(built: Path) -> None:
    drawn_as_artifact = re.compile(rb"/Artifact BMC\s*q[^Q]*/BriefpackPreRead\d+ Do")
    with pikepdf.open(built / "sessions" / "02-agentcore.pdf") as document:
        contents = [_content(page) for page in document.pages]
        assert sum(b"BriefpackPreRead" in content for content in contents) == 4
    assert not [content for content in contents if drawn_as_artifact.search(content)]


def test_page_and_outloud_pass_every_output_with_pre_reads(built: Path) -> None:
    pdfs = [
        built / "pack.pdf",
        built / "sessions" / "02-agentcore.pdf",
        built / "recipients" / "jane-doe.pdf",
    ]
    for pdf in pdfs:
        assert page_failures(pdf) == [], pdf
    assert outloud_errors(*pdfs) == []


def test_archival_and_changed_copies_with_pre_reads_pass_both_checkers(tmp_path: Path) -> None:
    pack = pack_with_pre_reads(tmp_path)
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text(pack.read_text(encoding="utf-8").replace("AgentCore", "Agent Core"), "utf-8")
    out = tmp_path / "out"
    for options in (
        ["--pdf-variant", "pdf/a-2b", "-o", str(out / "archival")],
        ["--changes-since", str(earlier), "-o", str(out / "changes")],
    ):
        code, _, err = run("build", str(pack), "-f", "pdf", "--no-sessions", *options)
        assert code == 0, err
    archival = out / "archival" / "pack" / "pack.pdf"
    changes = out / "changes" / "pack" / "pack.changes.pdf"
    with pikepdf.open(archival) as document:
        assert b"pdfaid" in document.Root.Metadata.read_bytes()
    for pdf in (archival, changes):
        assert page_failures(pdf) == [], pdf
    # Out of tag order (ORD-001) was reported on a changes PDF with pre-reads.
    assert outloud_errors(archival, changes) == []


def test_an_untagged_pre_read_is_a_warning_once_at_its_line(tmp_path: Path) -> None:
    pack = pack_with_pre_reads(tmp_path)
    lines = pack.read_text(encoding="utf-8").splitlines()
    line = lines.index("          - file: pre-reads/q3.pdf") + 1
    code, _, err = run("validate", str(pack))
    assert code == 0, err
    warning = f"{pack}:{line}:19: warning: q3.pdf is not a tagged PDF"
    assert err.count(warning) == 1, err
    assert "tagged.pdf is not a tagged" not in err


def test_a_pre_read_says_whether_it_is_tagged_when_the_pack_is_read(tmp_path: Path) -> None:
    from briefpack.content.preread_files import check_attachment

    assert check_attachment(make_tagged_pdf(tmp_path / "t.pdf")).tagged
    assert not check_attachment(make_untagged_pdf(tmp_path / "u.pdf")).tagged


def test_a_pre_read_names_the_fonts_it_does_not_embed_when_the_pack_is_read(
    tmp_path: Path,
) -> None:
    from briefpack.content.preread_files import check_attachment

    # Helvetica, named and not embedded, as office and report tools leave it: the
    # book stands in for it (tests/test_preread_fonts.py); Symbol it cannot.
    assert check_attachment(make_pdf(tmp_path / "h.pdf", 2)).unembedded_fonts == ()
    both = make_standard_fonts_pdf(tmp_path / "s.pdf", ("Helvetica", "Symbol"))
    assert check_attachment(both).unembedded_fonts == ("Symbol",)
    assert check_attachment(make_untagged_pdf(tmp_path / "u.pdf")).unembedded_fonts == ()
    assert check_attachment(make_tagged_pdf(tmp_path / "t.pdf")).unembedded_fonts == ()


def test_a_hostile_structure_tree_is_read_bounded_and_copied_only_as_structure(
    tmp_path: Path,
) -> None:
    (tmp_path / "pre-reads").mkdir()
    make_hostile_tagged_pdf(tmp_path / "pre-reads" / "h.pdf")
    pack = pack_with_pre_reads(tmp_path, tagged="h.pdf")
    started = time.perf_counter()
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "-f", "pdf", "--no-sessions"
    )
    assert code == 0, err
    assert time.perf_counter() - started < 60
    pdf = tmp_path / "out" / "pack" / "pack.pdf"
    data = pdf.read_bytes()
    assert b"app.alert" not in data
    with pikepdf.open(io.BytesIO(data)) as document:
        catalogues = [
            thing
            for thing in document.objects
            if isinstance(thing, pikepdf.Dictionary) and thing.get("/Type") == pikepdf.Name.Catalog
        ]
        assert len(catalogues) == 1
        sect = _element(document, TAGGED)
        elements = list(_descendants(sect))
        kinds = [str(element.S) for element in elements]
        # The chain's paragraph is read (flattened below the depth limit), its marks kept.
        assert "/P" in kinds
        assert len(elements) < 200
        assert "/Link" not in kinds
        assert "/Paragraphe" not in kinds
        assert "/Boucle" not in kinds
        for element in elements:
            assert set(element.keys()) <= {
                "/Type",
                "/S",
                "/P",
                "/K",
                "/Pg",
                "/Alt",
                "/A",
                "/T",
                "/Lang",
            }
            for kid in element.get("/K", []):
                assert not isinstance(kid, pikepdf.Dictionary) or kid.get("/Type") in (
                    pikepdf.Name.StructElem,
                    pikepdf.Name.MCR,
                    None,
                )
        assert _depth(sect) <= 101
        keys = {
            str(key)
            for thing in document.objects
            if isinstance(thing, pikepdf.Dictionary)
            for key in thing.keys()  # noqa: SIM118 - a pikepdf Dictionary
        }
        assert "/ClassMap" not in keys
        assert "/JS" not in keys
    assert page_failures(pdf) == []
    assert outloud_errors(pdf) == []


# ---------------------------------------------------------------- helpers


def _element(document: pikepdf.Pdf, title: str) -> pikepdf.Dictionary:
    for element in _descendants(document.Root.StructTreeRoot):
        if str(element.get("/T", "")) == title:
            return element
    raise AssertionError(f"no section titled {title!r}")


def _descendants(element: pikepdf.Object) -> list[pikepdf.Object]:
    found = []
    pending = [element]
    seen = set()
    while pending:
        current = pending.pop()
        kids = current.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in reversed(items):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                found.append(kid)
                pending.append(kid)
    return found


def _depth(element: pikepdf.Object) -> int:
    deepest = 0
    pending = [(element, 0)]
    while pending:
        current, depth = pending.pop()
        deepest = max(deepest, depth)
        kids = current.get("/K")
        for kid in list(kids) if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                pending.append((kid, depth + 1))
    return deepest


def _content(page: pikepdf.Page) -> bytes:
    streams = page.obj.Contents
    if not isinstance(streams, pikepdf.Array):
        streams = [streams]
    return b"\n".join(stream.read_bytes() for stream in streams)


def _drawn_text(pdf: Path, page: int) -> str:
    text = subprocess.run(
        ["pdftotext", "-f", str(page + 1), "-l", str(page + 1), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return re.sub(r"\s+", " ", text).strip()


def test_what_a_tagged_pre_read_paints_outside_its_tags_is_an_artifact_in_the_book(
    tmp_path: Path,
) -> None:
    # LibreOffice draws the rule under a title outside any marked content: the
    # pre-read fails PDF/UA-1 itself, and the book must not inherit it.
    (tmp_path / "pre-reads").mkdir()
    source = make_tagged_pdf(tmp_path / "pre-reads" / "ruled.pdf")
    with pikepdf.open(source, allow_overwriting_input=True) as pdf:
        pdf.pages[0].contents_add(b"q 0 0 1 RG 72 700 m 500 700 l S 10 10 50 50 re f Q\n")
        pdf.save(source)
    pack = pack_with_pre_reads(tmp_path, tagged="ruled.pdf")
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "-f", "pdf")
    assert code == 0, err
    book = tmp_path / "out" / "pack" / "pack.pdf"
    assert page_failures(book) == []
    with pikepdf.open(book) as pdf:
        drawn = b"".join(page.Contents.read_bytes() for page in pdf.pages if "/Contents" in page)
    assert b"/Artifact BMC\n72 700 m\n500 700 l\nS\nEMC" in drawn.replace(b" \n", b"\n")
