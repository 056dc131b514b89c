"""The independent checkers themselves: they must be able to fail, and must skip test inputs."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx as python_docx
import pikepdf
import pytest

from briefpack.build.chosen_settings import default_theme
from briefpack.model import Day, Pack
from briefpack.render.docx.writer import render_docx
from briefpack.render.settings import RenderSettings

from checkers import (
    assert_outputs_pass,
    briefpack_outputs,
    claimed_profiles,
    docx_findings,
    pdf_findings,
)
from pdf_makers import make_pdf

XMP_CLAIM = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 {claims} xmp:CreatorTool="{creator}"/>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def pdf_claiming(path: Path, claims: str, creator: str = "briefpack 0.1.0") -> Path:
    """A one-page untagged PDF whose XMP says ``claims`` (XML attributes) and ``creator``."""
    make_pdf(path, 1)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        xmp = XMP_CLAIM.format(claims=claims, creator=creator).encode()
        pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata)
        pdf.Root.Metadata.Subtype = pikepdf.Name.XML
        pdf.docinfo["/Creator"] = creator
        pdf.save(path)
    return path


def briefpack_word_file(path: Path) -> Path:
    """A small Word copy as briefpack writes it."""
    pack = Pack(title="Offsite", days=(Day(date=dt.date(2026, 3, 2), sessions=()),))
    path.write_bytes(render_docx(pack, RenderSettings(theme=default_theme())).data)
    return path


#: For the tests below that make a failing briefpack-signed file on purpose.
DAMAGED = pytest.mark.unchecked_outputs("makes a briefpack-signed file that fails, on purpose")


@DAMAGED
def test_a_pdf_claiming_pdf_ua_that_is_not_tagged_fails(tmp_path: Path) -> None:
    path = pdf_claiming(tmp_path / "false.pdf", 'pdfuaid:part="1"')
    findings = pdf_findings(path)
    assert findings, "an untagged PDF claiming PDF/UA-1 passed"
    assert all(": " in line for line in findings)
    assert any(line.startswith("PDFUA1-") for line in findings)


@DAMAGED
def test_the_claims_are_read_from_the_xmp(tmp_path: Path) -> None:
    path = pdf_claiming(tmp_path / "a.pdf", 'pdfaid:part="3" pdfaid:conformance="U"')
    with pikepdf.open(path) as pdf:
        assert claimed_profiles(pdf) == ["3u"]
    assert any(line.startswith("PDFA3U-") or "3u" in line for line in pdf_findings(path))


def test_an_untagged_pdf_claiming_nothing_is_checked_for_nothing(tmp_path: Path) -> None:
    assert pdf_findings(pdf_claiming(tmp_path / "none.pdf", "")) == []


@DAMAGED
def test_a_tagged_briefpack_pdf_that_drops_its_claim_is_a_finding(tmp_path: Path) -> None:
    path = pdf_claiming(tmp_path / "dropped.pdf", "")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        pdf.save(path)
    findings = pdf_findings(path)
    assert "briefpack PDF is tagged but does not claim PDF/UA-1 in its XMP" in findings
    # Checked against PDF/UA-1 all the same.
    assert any(line.startswith("PDFUA1-") for line in findings)


def test_a_damaged_word_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    document = python_docx.Document()
    document.add_paragraph("text")
    # A paragraph property w:pPr cannot hold a run: schema-invalid.
    document.paragraphs[0]._p.get_or_add_pPr().append(
        python_docx.oxml.parse_xml(
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
        )
    )
    document.save(str(path))
    assert any("/word/document.xml" in line for line in docx_findings(path)), (
        "a schema-invalid Word file passed"
    )


@DAMAGED
def test_only_briefpack_outputs_are_checked(tmp_path: Path) -> None:
    make_pdf(tmp_path / "pre-read.pdf", 1)
    pdf_claiming(tmp_path / "ours.pdf", 'pdfuaid:part="1"')
    pdf_claiming(tmp_path / "theirs.pdf", 'pdfuaid:part="1"', creator="Someone else")
    ours = briefpack_word_file(tmp_path / "ours.docx")
    python_docx.Document().save(str(tmp_path / "reference.docx"))
    # A copy filled in and saved by LibreOffice keeps briefpack's description, not its name.
    resaved = tmp_path / "saved-by-libreoffice.docx"
    with zipfile.ZipFile(ours) as source, zipfile.ZipFile(resaved, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/app.xml":
                data = data.replace(b">briefpack<", b">LibreOffice/7.4.7.2$Linux_X86_64<")
            target.writestr(name, data)
    names = [path.name for path in briefpack_outputs(tmp_path)]
    assert names == ["ours.docx", "ours.pdf"]


@DAMAGED
def test_assert_outputs_pass_names_the_failing_file(tmp_path: Path) -> None:
    pdf_claiming(tmp_path / "ours.pdf", 'pdfuaid:part="1"')
    with pytest.raises(AssertionError, match=r"ours\.pdf:\n  PDFUA1-"):
        assert_outputs_pass(tmp_path)


def test_a_locked_pdf_is_a_test_input_not_an_output(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(pdf_claiming(tmp_path / "open.pdf", "")) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="u"))
    (tmp_path / "open.pdf").unlink()
    assert list(briefpack_outputs(tmp_path)) == []


@DAMAGED
def test_a_briefpack_word_file_with_a_broken_part_is_reported(tmp_path: Path) -> None:
    whole, path = tmp_path / "whole.docx", tmp_path / "cut.docx"
    briefpack_word_file(whole)
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, b"<not-closed" if name == "word/document.xml" else data)
    assert docx_findings(path)


INNER_TESTS = """
import pytest
from test_checkers import pdf_claiming


def test_leaves_a_false_claim(tmp_path):
    pdf_claiming(tmp_path / "ours.pdf", 'pdfuaid:part="1"')


@pytest.mark.unchecked_outputs("made false on purpose")
def test_excused(tmp_path):
    pdf_claiming(tmp_path / "ours.pdf", 'pdfuaid:part="1"')


def test_leaves_nothing_to_check(tmp_path):
    (tmp_path / "note.txt").write_text("nothing to check")
"""


@pytest.mark.unchecked_outputs("the inner suite makes failing PDFs on purpose")
@pytest.mark.parametrize("switch", ["1", "0"])
def test_the_autouse_fixture_fails_a_test_whose_output_fails(switch: str, tmp_path: Path) -> None:
    # Run in a pytest of its own, with this suite's conftest, so that the fixture is what fails.
    tests = Path(__file__).parent
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "conftest.py").write_text(
        f"import sys\nsys.path.insert(0, {str(tests)!r})\n"
        f"exec(open({str(tests / 'conftest.py')!r}, encoding='utf-8').read())\n",
        encoding="utf-8",
    )
    (inner / "test_inner.py").write_text(INNER_TESTS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
         f"--basetemp={tmp_path / 'temporary'}", "-W", "ignore::pytest.PytestUnknownMarkWarning",
         str(inner)],
        capture_output=True, text=True, cwd=inner, timeout=300,
        env={**os.environ, "BRIEFPACK_CHECK_OUTPUTS": switch},
    )  # fmt: skip
    if switch == "1":
        assert "3 passed, 1 error" in result.stdout, result.stdout
        assert "ERROR at teardown of test_leaves_a_false_claim" in result.stdout
        assert "ours.pdf:\n  PDFUA1-" in result.stdout
    else:
        assert "3 passed" in result.stdout, result.stdout
