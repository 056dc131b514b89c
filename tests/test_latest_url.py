"""A link to the latest version (issue 31, item 6): ``options.latest_url`` on the cover.

A small QR code of the address and the address as a real link, on the full pack's cover
(and a reader's) in the PDF and the Word copy, so that a reader of an old print finds the
current one.  No pure-Python QR decoder is installed, so the code drawn is read back into
its matrix of modules (the SVG's path, the PNG's pixels) and compared with segno's matrix
for the address: the same modules are the same code.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
import segno
from PIL import Image
from test_recipients import recipients_pack

from briefpack.render.qr_code import PNG_SCALE, QUIET_ZONE, qr_png, qr_svg

from conftest import MINIMAL_PACK, WritePack, problems, run

URL = "https://example.com/board/latest?pack=offsite&v=3"
ALT = f"QR code: the latest version of this pack at {URL}"


def matrix_of(url: str) -> list[list[bool]]:
    """segno's modules for ``url`` (dark is True), as the cover is meant to draw them."""
    return [[bool(cell) for cell in row] for row in segno.make_qr(url, error="m").matrix]


def svg_matrix(svg: str) -> list[list[bool]]:
    """The modules segno's SVG path draws, its quiet zone left off: one ``h`` a dark run."""
    side = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))  # type: ignore[union-attr]
    cells = [[False] * side for _ in range(side)]
    path = re.search(r' d="([^"]+)"', svg).group(1)  # type: ignore[union-attr]
    x = y = 0.0
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second or 0)
        else:
            for column in range(int(x), int(x) + int(float(first))):
                cells[int(y)][column] = True
            x += float(first)
    inner = range(QUIET_ZONE, side - QUIET_ZONE)
    return [[cells[row][column] for column in inner] for row in inner]


def png_matrix(data: bytes) -> list[list[bool]]:
    """The modules of a PNG drawn at PNG_SCALE pixels a module, read at each module's centre."""
    image = Image.open(io.BytesIO(data)).convert("L")
    side = image.width // PNG_SCALE - 2 * QUIET_ZONE
    centre = PNG_SCALE * QUIET_ZONE + PNG_SCALE // 2
    return [
        [
            image.getpixel((centre + c * PNG_SCALE, centre + r * PNG_SCALE)) < 128
            for c in range(side)
        ]
        for r in range(side)
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack with a latest_url, built as PDF, Word and HTML."""
    root = tmp_path_factory.mktemp("latest")
    pack = root / "pack.yaml"
    pack.write_text(MINIMAL_PACK + f"options:\n  latest_url: {URL}\n", encoding="utf-8")
    code, _, err = run("build", str(pack), "-o", str(root / "out"), "-f", "pdf", "-f", "docx")
    assert code == 0, err
    code, _, err = run("build", str(pack), "-o", str(root / "html"), "-f", "html")
    assert code == 0, err
    return root


def test_the_qr_code_segno_draws_is_the_matrix_of_the_address() -> None:
    assert svg_matrix(qr_svg(URL, ALT)) == matrix_of(URL)
    assert png_matrix(qr_png(URL)) == matrix_of(URL)
    assert svg_matrix(qr_svg(URL + "x", ALT)) != matrix_of(URL)


def test_the_same_address_gives_the_same_bytes() -> None:
    assert qr_png(URL) == qr_png(URL)
    assert qr_svg(URL, ALT) == qr_svg(URL, ALT)


def test_the_cover_draws_the_addresss_qr_code_with_its_alternative_text(built: Path) -> None:
    html = next((built / "html").rglob("*.html")).read_text(encoding="utf-8")
    [svg] = re.findall(r"<svg.*?</svg>", html, flags=re.DOTALL)
    assert f"<title>{ALT}</title>" in svg.replace("&amp;", "&")
    assert svg_matrix(svg) == matrix_of(URL)
    assert f'<a href="{URL.replace("&", "&amp;")}">' in html


def test_the_pdf_cover_links_to_the_address_and_describes_the_qr_code(built: Path) -> None:
    with pikepdf.open(built / "out" / "pack" / "pack.pdf") as pdf:
        cover = pdf.pages[0]
        uris = [str(a.A.URI) for a in cover.obj.get("/Annots", []) if "/A" in a]
        assert uris
        assert set(uris) == {URL}
        alts = [
            str(elem.Alt) for elem in _struct_elements(pdf.Root.StructTreeRoot) if "/Alt" in elem
        ]
        assert ALT in alts


def _struct_elements(node: pikepdf.Object) -> list[pikepdf.Object]:
    """Every structure element under ``node``."""
    found = []
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.append(kid)
            found.extend(_struct_elements(kid))
    return found


def test_the_word_cover_has_the_qr_picture_described_and_the_address_as_a_link(
    built: Path,
) -> None:
    with zipfile.ZipFile(built / "out" / "pack" / "pack.docx") as package:
        body = package.read("word/document.xml").decode("utf-8")
        rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
        pictures = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert f'descr="{ALT.replace("&", "&amp;")}"' in body
    assert any(png_matrix(data) == matrix_of(URL) for data in pictures)
    [link_id] = re.findall(
        rf'Id="(rId\d+)"[^>]*Target="{re.escape(URL.replace("&", "&amp;"))}"', rels
    ) or re.findall(rf'Target="{re.escape(URL.replace("&", "&amp;"))}"[^>]*Id="(rId\d+)"', rels)
    assert f'<w:hyperlink r:id="{link_id}"' in body
    assert f"Latest version: {URL}".replace("&", "&amp;") in body


def test_a_pack_without_latest_url_has_no_qr_code(write_pack: WritePack, tmp_path: Path) -> None:
    pack = write_pack(MINIMAL_PACK)
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "-f", "html")
    assert code == 0, err
    html = next((tmp_path / "out").rglob("*.html")).read_text(encoding="utf-8")
    assert "<svg" not in html
    assert "cover-latest" not in html


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.com/latest", "must be an https:// address"),
        ('"https://example.com/a b"', "must not contain spaces or control characters"),
        ('"https://example.com/a\\u00a0b"', "must not contain spaces or control characters"),
        ('"https://example.com/\\u0007"', "U+0007"),
        ("https://", "has no host name"),
        ("https://example.com/" + "a" * 300, "at most 300 fit a small QR code"),
    ],
)
def test_a_bad_latest_url_is_refused_at_its_line(
    write_pack: WritePack, url: str, message: str
) -> None:
    pack = write_pack(MINIMAL_PACK + f"options:\n  latest_url: {url}\n")
    [problem] = problems(pack)
    assert problem.startswith("pack.yaml:12:15: ")
    assert message in problem


def cover_uris(path: Path) -> set[str]:
    """The addresses the links of a PDF's first page lead to."""
    with pikepdf.open(path) as pdf:
        annotations = pdf.pages[0].obj.get("/Annots", [])
        return {str(a.A.URI) for a in annotations if "/A" in a and "/URI" in a.A}


def test_the_books_and_each_readers_cover_link_to_the_latest_but_not_a_sessions(
    tmp_path: Path,
) -> None:
    pack = recipients_pack(tmp_path, "recipients:\n  - name: Jane Doe\n")
    pack.write_text(
        pack.read_text(encoding="utf-8") + f"options:\n  latest_url: {URL}\n", encoding="utf-8"
    )
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "--per-recipient")
    assert code == 0, err
    out = tmp_path / "out" / "pack"
    assert cover_uris(out / "pack.pdf") == {URL}
    assert cover_uris(out / "recipients" / "jane-doe.pdf") == {URL}
    for session in (out / "sessions").glob("*.pdf"):
        assert URL not in cover_uris(session)
