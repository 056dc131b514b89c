"""PDFs that pass ``page``, a PDF/UA and PDF/A validator briefpack did not write.

Each test here is a defect ``page`` found, built as a board secretary would
meet it (archival PDFs of a pack with photos, pictures and a logo), or made
by WeasyPrint from the smallest HTML that shows it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from PIL import Image

from briefpack.render.tagging import head_spanned_columns, links_in_link_elements

from conftest import BUNDLED_PACK, run
from pdf_helpers import page_findings

#: The ``page`` profile of each archival variant.
ARCHIVAL = {"pdf/a-2b": "2b", "pdf/a-3b": "3b"}

ATTENDEES = """\
attendees:
  - name: Jane Doe
    role: Chief Technology Officer
    photo: people/jane.png
  - name: Li Wei
    photo: people/li.jpg
"""


def pictured_pack(folder: Path) -> Path:
    """The bundled pack with attendees' photos (PNG with alpha, JPEG), a picture and a logo."""
    (folder / "people").mkdir()
    Image.new("RGBA", (120, 120), (70, 110, 160, 200)).save(folder / "people" / "jane.png")
    Image.new("RGB", (90, 120), (160, 110, 70)).save(folder / "people" / "li.jpg")
    Image.new("RGB", (60, 40), (20, 140, 60)).save(folder / "chart.png")
    theme = folder / "theme"
    theme.mkdir()
    Image.new("RGB", (80, 30), (10, 10, 90)).save(theme / "logo.png")
    (theme / "theme.yaml").write_text("name: Pictured\nlogo: logo.png\n", encoding="utf-8")
    text = BUNDLED_PACK.read_text(encoding="utf-8").replace("days:", ATTENDEES + "days:", 1)
    text = text.replace(
        "What frameworks and practices", "![Revenue by quarter](chart.png) What frameworks", 1
    )
    pack = folder / "pack.yaml"
    pack.write_text(text, encoding="utf-8")
    return pack


@pytest.mark.parametrize(
    ("variant", "options"),
    [
        ("pdf/a-2b", ()),  # the full pack a book of parts, joined
        # PDF/A wants every field drawn, not NeedAppearances (the full pack one document).
        ("pdf/a-3b", ("--answer-fields",)),
    ],
)
def test_archival_pdfs_with_photos_pictures_and_a_logo_pass_pdf_a_and_pdf_ua(
    variant: str, options: tuple[str, ...], tmp_path: Path
) -> None:
    pack = pictured_pack(tmp_path)
    out = tmp_path / "out"
    code, _, err = run(
        "build", str(pack), "-o", str(out), "-f", "pdf", "--pdf-variant", variant,
        "--theme", str(tmp_path / "theme"), *options,
    )  # fmt: skip
    assert code == 0, err
    book = out / "pack" / "pack.pdf"
    # The book (its parts joined) and a session's pack (one document), which has Jane's photo.
    for pdf in (book, out / "pack" / "sessions" / "01-devops-culture-at-amazon.pdf"):
        assert page_findings(pdf, ARCHIVAL[variant]) == [], pdf
        assert page_findings(pdf, "ua1") == [], pdf


SPANNED_HEADER_TABLE = """<!DOCTYPE html><html lang="en"><head><title>Contents</title></head><body>
<table><thead><tr><th colspan="2">Section</th><th>Page</th></tr></thead>
<tbody><tr><th scope="row" colspan="2">Monday</th><td>3</td></tr>
<tr><td>1.</td><td>Strategy</td><td>4</td></tr></tbody></table></body></html>"""


def test_a_column_header_spanning_two_columns_heads_both() -> None:
    # WeasyPrint names the header for its first column only: "Strategy" had no header.
    data = weasyprint.HTML(string=SPANNED_HEADER_TABLE).write_pdf(pdf_variant="pdf/ua-1")
    assert any("TABLE-HEADERS" in finding for finding in page_findings(data))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert head_spanned_columns(pdf) == 1  # "Strategy"; "Monday"'s row header is left
        repaired = io.BytesIO()
        pdf.save(repaired)
    assert page_findings(repaired.getvalue()) == []


def test_a_link_annotation_of_an_element_inside_a_link_is_held_by_the_link() -> None:
    # WeasyPrint gives <del> inside <a> (a removed question in the contents) its own
    # annotation, held by a NonStruct: PDF/UA wants every link annotation in a Link.
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>Contents</title></head><body>'
        '<p><a href="#q"><del>A removed question</del></a></p><h1 id="q">Q</h1></body></html>'
    )
    data = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    assert any("LINK-LINK-TAG" in finding for finding in page_findings(data))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert links_in_link_elements(pdf) == 1
        repaired = io.BytesIO()
        pdf.save(repaired)
    assert page_findings(repaired.getvalue()) == []
