"""Images in content: files in the pack's folder are embedded, everything else is refused."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image as PillowImage

from briefpack.content.images import ImageRefusedError, check_svg, raster_size, resolve_image

from conftest import MINIMAL_PACK, run
from pdf_helpers import page_texts, reader

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
    '<rect width="200" height="60" fill="#0b4a7d"/>'
    '<text x="10" y="40" font-size="20" fill="white">Chart label</text></svg>'
)


def png(path: Path, size: tuple[int, int] = (120, 80)) -> Path:
    PillowImage.new("RGB", size, (11, 74, 125)).save(path)
    return path


def bomb(path: Path, width: int = 30000, height: int = 30000) -> Path:
    """A tiny PNG that declares an enormous picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\0" * 5000, 9)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    return path


def pack_with(folder: Path, question: str) -> Path:
    pack = folder / "pack.yaml"
    pack.write_text(
        MINIMAL_PACK.replace("question: Where are we going?", f"question: '{question}'"),
        encoding="utf-8",
    )
    return pack


def test_header_sizes_are_read_without_decoding(tmp_path: Path) -> None:
    assert raster_size(png(tmp_path / "a.png", (321, 123))) == (321, 123)
    PillowImage.new("RGB", (64, 48)).save(tmp_path / "b.jpg")
    assert raster_size(tmp_path / "b.jpg") == (64, 48)
    assert raster_size(bomb(tmp_path / "bomb.png")) == (30000, 30000)


@pytest.mark.parametrize(
    ("src", "reason"),
    [
        ("http://127.0.0.1/x.png", "only image files in the pack's folder are embedded, not URLs"),
        ("file:///etc/x.png", "only image files in the pack's folder are embedded, not URLs"),
        ("/etc/x.png", "only image files in the pack's folder are embedded, not URLs"),
        ("../outside.png", "the image is outside the pack's folder"),
        ("notes.txt", "only PNG, JPEG and SVG images are embedded"),
        ("missing.png", "no such file"),
        ("bomb.png", "image too large: 30000 x 30000 pixels, the limit is 40 megapixels"),
        ("fake.png", "the file is not a PNG or JPEG image"),
    ],
)
def test_refused_images(tmp_path: Path, src: str, reason: str) -> None:
    content = tmp_path / "content"
    content.mkdir()
    png(tmp_path / "outside.png")
    bomb(content / "bomb.png")
    (content / "notes.txt").write_text("x", encoding="utf-8")
    (content / "fake.png").write_text("not a png", encoding="utf-8")
    with pytest.raises(ImageRefusedError) as refused:
        resolve_image(src, content)
    assert str(refused.value) == reason


def test_a_decompression_bomb_is_refused_at_its_line_and_the_build_goes_on(tmp_path: Path) -> None:
    bomb(tmp_path / "bomb.png")
    assert (tmp_path / "bomb.png").stat().st_size < 600
    pack = pack_with(tmp_path, "Look: ![huge](bomb.png)")
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "--no-sessions", "-j", "1")
    assert code == 0
    assert (
        f"{pack}:10:23: warning: in 'question': image 'bomb.png' not embedded, its description "
        "kept: image too large: 30000 x 30000 pixels"
    ) in err


def test_local_images_are_embedded_in_the_pdf_and_the_word_copy(tmp_path: Path) -> None:
    png(tmp_path / "chart.png")
    PillowImage.new("RGB", (50, 50), (200, 30, 30)).save(tmp_path / "photo.jpg")
    (tmp_path / "diagram.svg").write_text(SVG, encoding="utf-8")
    pack = pack_with(
        tmp_path, "See ![chart](chart.png) ![photo](photo.jpg) ![diagram](diagram.svg)"
    )
    out = tmp_path / "out"
    code, _, err = run("build", str(pack), "-o", str(out), "--no-sessions", "-j", "1")
    assert code == 0, err
    pdf = (out / "pack" / "pack.pdf").read_bytes()
    images = {image.data for page in reader(pdf).pages for image in page.images}
    assert len(images) == 2
    assert "Chart label" in " ".join(page_texts(pdf))
    with zipfile.ZipFile(out / "pack" / "pack.docx") as archive:
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
    assert len(media) == 2
    assert "SVG image diagram.svg is in the PDF but not the Word copy" in err


def test_an_svg_cannot_pull_in_files_from_elsewhere(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    png(secret, (10, 10))
    (tmp_path / "secret.txt").write_text("TOPSECRET", encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "sneaky.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="100" height="100">'
        f'<image href="{secret.as_uri()}" width="10" height="10"/>'
        '<image xlink:href="../secret.png" width="10" height="10"/>'
        "</svg>",
        encoding="utf-8",
    )
    pack = pack_with(content, "![sneaky](sneaky.svg)")
    out = tmp_path / "out"
    code, _, err = run("build", str(pack), "-o", str(out), "--no-sessions", "-f", "pdf", "-j", "1")
    assert code == 0, err
    assert err.count("warning: not fetched:") == 2
    pdf = (out / "pack" / "pack.pdf").read_bytes()
    assert [image for page in reader(pdf).pages for image in page.images] == []


def test_html_gets_its_images_beside_it(tmp_path: Path) -> None:
    png(tmp_path / "chart.png")
    pack = pack_with(tmp_path, "![chart](chart.png)")
    out = tmp_path / "out"
    assert run("build", str(pack), "-o", str(out), "-f", "html", "-j", "1")[0] == 0
    html = (out / "pack" / "pack.html").read_text(encoding="utf-8")
    (image,) = (out / "pack" / "images").iterdir()
    assert f'<img src="images/{image.name}" alt="chart">' in html
    assert image.read_bytes() == (tmp_path / "chart.png").read_bytes()


def test_an_edited_image_rebuilds_the_outputs_that_show_it(tmp_path: Path) -> None:
    chart = png(tmp_path / "chart.png")
    pack = pack_with(tmp_path, "![chart](chart.png)")
    out = tmp_path / "out"
    assert run("build", str(pack), "-o", str(out), "-j", "1")[0] == 0
    png(chart, (300, 100))
    code, output, _ = run("build", str(pack), "-o", str(out), "-j", "1")
    assert code == 0
    assert output.splitlines()[-1].startswith("4 written, 0 up to date")


def test_a_symbolic_link_out_of_the_pack_folder_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "chart.png").symlink_to(png(tmp_path / "outside.png"))
    with pytest.raises(ImageRefusedError, match="outside the pack's folder"):
        resolve_image("chart.png", content)


# Marker and pattern bombs (attacker A2 #5): no <use>, yet a billion paths drawn.
_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="20">'
_LONG_PATH = "M0 0" + " l0.01 0" * 1000


def _marker_bomb(levels: int) -> str:
    """Markers nested ``levels`` deep on 1,000-vertex paths (the attacker's markers.py)."""
    markers = f'<marker id="m0"><path d="{_LONG_PATH}"/></marker>' + "".join(
        f'<marker id="m{i}"><path d="{_LONG_PATH}" marker-mid="url(#m{i - 1})"/></marker>'
        for i in range(1, levels)
    )
    last = levels - 1
    return f'{_OPEN}<defs>{markers}</defs><path d="{_LONG_PATH}" marker-mid="url(#m{last})"/></svg>'


HOSTILE_MARKERS = {
    "markers nested three deep": _marker_bomb(3),
    "marker named in a style attribute": _marker_bomb(2).replace(
        'marker-mid="url(#m1)"/></svg>', 'style="marker-mid: url(#m1)"/></svg>'
    ),
    "marker inherited from a group": _OPEN
    + f'<marker id="m"><path d="{_LONG_PATH}"/></marker>'
    + '<g marker="url(#m)">'
    + f'<path d="{_LONG_PATH}"/>' * 11
    + "</g></svg>",
    "markers set by a style sheet": _marker_bomb(2)
    .replace(' marker-mid="url(#m0)"', ' class="a"')
    .replace(' marker-mid="url(#m1)"', ' class="b"')
    .replace(
        "<defs>", "<style>.a { marker-mid: url(#m0) } .b { marker-mid: url('#m1') }</style><defs>"
    ),
    "patterns painted with patterns": _OPEN
    + '<pattern id="p0" width="1" height="1">'
    + '<rect width="1" height="1"/>' * 100
    + "</pattern>"
    + "".join(
        f'<pattern id="p{i}" width="1" height="1">'
        + f'<rect width="1" height="1" fill="url(#p{i - 1})"/>' * 100
        + "</pattern>"
        for i in (1, 2)
    )
    + '<rect width="9" height="9" fill="url(#p2)"/></svg>',
}


@pytest.mark.parametrize("svg", HOSTILE_MARKERS.values(), ids=HOSTILE_MARKERS.keys())
def test_an_svg_whose_markers_or_patterns_draw_without_end_is_refused(svg: str) -> None:
    with pytest.raises(ImageRefusedError, match="marker and pattern references draw over 10000"):
        check_svg(svg.encode())


def test_a_marker_whose_path_draws_the_marker_itself_is_a_loop() -> None:
    svg = _OPEN + '<marker id="m"><path d="M0 0 L1 1" marker-end="url(#m)"/></marker>'
    with pytest.raises(ImageRefusedError, match="form a loop"):
        check_svg((svg + '<path d="M0 0 L9 9" marker-end="url(#m)"/></svg>').encode())


def test_arrows_dots_and_patterns_as_charts_use_them_pass_and_are_drawn(tmp_path: Path) -> None:
    # 50 arrowed lines, a 200-point line with a dot at each vertex, a hatched bar.
    arrows = "".join(f'<path d="M0 {n} L90 {n}" marker-end="url(#arrow)"/>' for n in range(50))
    line = "M0 0" + "".join(f" L{n / 2} {n % 7}" for n in range(200))
    svg = (
        _OPEN + '<defs><marker id="arrow" markerWidth="4" markerHeight="4" orient="auto">'
        '<path d="M0 0 L4 2 L0 4 z" fill="black"/></marker>'
        '<marker id="dot" markerWidth="2" markerHeight="2"><circle cx="1" cy="1" r="1"/></marker>'
        '<pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse">'
        '<path d="M0 4 L4 0" stroke="black"/></pattern></defs>'
        f'{arrows}<path d="{line}" fill="none" stroke="black" marker-mid="url(#dot)"/>'
        '<rect width="20" height="10" fill="url(#hatch)"/></svg>'
    )
    check_svg(svg.encode())
    (tmp_path / "chart.svg").write_text(svg, encoding="utf-8")
    code, _, err = run("validate", str(pack_with(tmp_path, "![chart](chart.svg)")))
    assert (code, err) == (0, "")
