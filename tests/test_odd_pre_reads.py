"""Odd pre-reads: damaged content, predictors, pages the book would draw blank and pages
qpdf cannot parse are one line at their file, in ``validate`` and ``build``; fair ones pass.
"""

from __future__ import annotations

import zlib
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest

from briefpack.content.preread_files import AttachmentRefusedError, check_attachment

from conftest import run
from limit_pdfs import form_stream, pack_with, with_content


def damaged(pdf: pikepdf.Pdf, parameters: dict[str, object] | None = None) -> pikepdf.Stream:
    """A content stream that cannot be decoded: not deflate data, or odd predictor parameters."""
    if parameters is None:
        stream = pikepdf.Stream(pdf, b"not deflated at all")
        stream.Filter = pikepdf.Name.FlateDecode
        return stream
    stream = pikepdf.Stream(pdf, zlib.compress(b"\x00" * 100))
    stream.Filter = pikepdf.Name.FlateDecode
    stream.DecodeParms = pikepdf.Dictionary({f"/{key}": value for key, value in parameters.items()})
    return stream


@pytest.mark.parametrize(
    ("parameters", "said"),
    [
        (None, "FlateDecode: Error -3 while decompressing data: incorrect header check"),
        ({"Predictor": 12, "Columns": -5}, "its /DecodeParms predictor values are out of range"),
        ({"Predictor": 12, "Columns": 2147483647, "Colors": 60}, "a predictor row of 128,849"),
        ({"Predictor": 12, "BitsPerComponent": 3}, "its /DecodeParms predictor values are out"),
        ({"Predictor": 2, "Colors": 0}, "its /DecodeParms predictor values are out of"),
        ({"Predictor": Decimal("12.5")}, "its /DecodeParms /Predictor is not a whole number"),
    ],
)
def test_damaged_page_content_is_refused_naming_the_page(
    tmp_path: Path, parameters: dict[str, object] | None, said: str
) -> None:
    # qpdf fails on each of these when it draws the page (or raises what is no PdfError).
    def contents(pdf: pikepdf.Pdf) -> pikepdf.Array:
        return pikepdf.Array([pdf.make_stream(b"0 0 m"), damaged(pdf, parameters)])

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.save(tmp_path / "first.pdf")
    path = with_content(tmp_path / "bad.pdf", Contents=contents)
    with pikepdf.open(path) as source, pikepdf.open(tmp_path / "first.pdf") as first:
        first.pages.extend(source.pages)
        first.save(tmp_path / "two.pdf")
    with pytest.raises(AttachmentRefusedError) as refused:
        check_attachment(tmp_path / "two.pdf")
    assert str(refused.value).startswith(f"two.pdf: page 2's content is damaged ({said}")
    assert str(refused.value).endswith("; print it to PDF again and attach that copy")


def test_a_damaged_form_is_refused_too(tmp_path: Path) -> None:
    def resources(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        form = form_stream(pdf, damaged(pdf))
        return pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm=form))

    path = with_content(tmp_path / "form.pdf", Resources=resources)
    with pytest.raises(AttachmentRefusedError, match=r"page 1's content is damaged \(Flate"):
        check_attachment(path)


def test_a_sound_predictor_passes_and_is_counted_as_qpdf_decodes_it(tmp_path: Path) -> None:
    def contents(pdf: pikepdf.Pdf) -> pikepdf.Stream:
        rows = b"".join(b"\x00" + b"0 0 m " * 10 for _ in range(1000))  # PNG rows, "None"
        stream = pikepdf.Stream(pdf, zlib.compress(rows))
        stream.Filter = pikepdf.Name.FlateDecode
        stream.DecodeParms = pikepdf.Dictionary(Predictor=12, Columns=60)
        return stream

    path = with_content(tmp_path / "png.pdf", Contents=contents)
    check_attachment(path)
    with pytest.raises(AttachmentRefusedError, match="decodes to more than"):
        check_attachment(path, max_stream_size=59_000)


@pytest.mark.parametrize(
    ("page", "said"),
    [
        ({"MediaBox": [0, 0, -612, -792]}, "has a MediaBox [0 0 -612 -792] whose corners are"),
        ({"MediaBox": [612, 792, 0, 0]}, "has a MediaBox [612 792 0 0] whose corners are"),
        ({"CropBox": [595, 0, 0, 842]}, "has a CropBox [595 0 0 842] whose corners are"),
        (
            {"TrimBox": [100_000, 100_000, 100_612, 100_792]},
            "has a TrimBox outside the part of it shown, so nothing of it is drawn",
        ),
        (
            {"CropBox": [0, 0, 300, 300], "TrimBox": [400, 400, 500, 500]},
            "has a TrimBox outside the part of it shown",
        ),
        ({"BleedBox": [5000, 5000, 5600, 5800]}, "has a BleedBox outside the part of it shown"),
        ({"ArtBox": [0, 0, "/Wide", 842]}, "has a ArtBox that is not four numbers"),
        ({"UserUnit": 0}, "has a /UserUnit of 0, outside 0.1 to 75,000"),
        ({"UserUnit": -1}, "has a /UserUnit of -1, outside 0.1 to 75,000"),
        ({"UserUnit": Decimal("75000.5")}, "has a /UserUnit of 75000.5, outside"),
        ({"UserUnit": "/Big"}, "has a /UserUnit of /Big, outside"),
        ({"Rotate": 45}, "has a /Rotate of 45, not 0, 90, 180 or 270"),
        ({"Rotate": 900}, "has a /Rotate of 900, not 0, 90, 180 or 270"),
        ({"Rotate": Decimal("90.5")}, "has a /Rotate of 90.5, not 0"),
    ],
)
def test_a_page_the_book_would_draw_blank_is_refused(
    tmp_path: Path, page: dict[str, object], said: str
) -> None:
    def value(item: object) -> object:
        if isinstance(item, list):
            return pikepdf.Array([value(member) for member in item])
        return pikepdf.Name(item) if isinstance(item, str) else item

    path = with_content(tmp_path / "odd.pdf", **{key: value(item) for key, item in page.items()})
    with pytest.raises(AttachmentRefusedError) as refused:
        check_attachment(path)
    assert str(refused.value).startswith(f"odd.pdf: page 1 {said}")
    assert str(refused.value).endswith("; print it to PDF again at a paper size")


def test_fair_turns_units_and_boxes_pass(tmp_path: Path) -> None:
    for number, page in enumerate(
        [
            {"Rotate": 90},
            {"Rotate": -270},
            {"UserUnit": Decimal("2.5")},
            {"CropBox": pikepdf.Array([10, 10, 500, 800])},
            {"TrimBox": pikepdf.Array([20, 20, 580, 820]), "ArtBox": pikepdf.Array([0, 0, 9, 9])},
        ]
    ):
        check_attachment(with_content(tmp_path / f"fair{number}.pdf", **page))


def raw_pdf(path: Path, page: bytes, content: bytes, box: bytes = b"[0 0 612 792]") -> Path:
    """A one-page PDF written by hand: ``page`` goes into the page dictionary as it is."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + box + b" /Contents 4 0 R " + page + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % table
    path.write_bytes(out)
    return path


def test_a_page_qpdf_cannot_parse_is_refused_for_what_it_is_not_as_no_pages(
    tmp_path: Path,
) -> None:
    path = raw_pdf(tmp_path / "turned.pdf", b"/Rotate 99999999999999999999", b"0 0 m")
    with pytest.raises(AttachmentRefusedError) as refused:
        check_attachment(path)
    assert str(refused.value) == (
        "turned.pdf is damaged: a page cannot be read (overflow/underflow converting "
        "99999999999999999999 to 64-bit integer); print it to PDF again and attach that copy"
    )


def test_odd_pre_reads_are_one_line_at_their_file_in_validate_and_build(tmp_path: Path) -> None:
    raw_pdf(tmp_path / "negative.pdf", b"", b"0 0 1 rg 0 0 9 9 re f", b"[0 0 -612 -792]")
    with_content(tmp_path / "damaged.pdf", Contents=damaged)
    with_content(
        tmp_path / "predicted.pdf",
        Contents=lambda pdf: damaged(pdf, {"Predictor": 12, "Columns": -5}),
    )
    with_content(tmp_path / "unit.pdf", UserUnit=0)
    names = ["negative.pdf", "damaged.pdf", "predicted.pdf", "unit.pdf"]
    pack, lines = pack_with(tmp_path, names)
    for command in (["validate"], ["build", "-o", str(tmp_path / "out")]):
        code, _, err = run(*command, str(pack))
        assert code == 1, err
        assert "Traceback" not in err
        assert "internal error" not in err
        assert "Warning" not in err
        problems = [line for line in err.splitlines() if line.startswith(f"{pack}:")]
        # One line each, then the summary line: nothing else reaches the terminal.
        assert len(err.splitlines()) == len(problems) + 1, err
        for line, name in zip(lines, names, strict=True):
            assert any(
                problem.startswith(f"{pack}:{line}:19: 'file': {name}") for problem in problems
            ), (name, err)
