"""Every picture in a theme's folder is checked as its logo is, whatever draws it."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from briefpack.content.theme_file import MAX_THEME_FILES

from conftest import run

PACK = """\
title: Pictures
days:
  - date: 2026-03-02
    sessions:
      - title: One
        start: "09:00"
        end: "10:00"
        questions:
          - title: Q1
            question: What?
options:
  theme: brand
"""
#: An SVG whose ten levels of ten <use> each draw ten billion rectangles.
USE_BOMB = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="20"><defs>'
    '<rect id="a0" width="1" height="1"/>'
    + "".join(f'<g id="a{n}">' + f'<use href="#a{n - 1}"/>' * 10 + "</g>" for n in range(1, 11))
    + '</defs><use href="#a10"/></svg>'
)
TEMPLATE = """\
<!DOCTYPE html>
<html lang="en"><head><title>{{ pack.title }}</title></head><body><h1>{{ pack.title }}</h1>
<img src="file://{{ settings.chosen_theme.folder }}/pic.svg" alt="">
</body></html>
"""


def png(width: int, height: int) -> bytes:
    """A PNG's header declaring ``width`` x ``height`` grey pixels (no need of its data)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def theme(tmp_path: Path, files: dict[str, bytes | str], yaml: str = "name: brand\n") -> Path:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "theme.yaml").write_text(yaml, encoding="utf-8")
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        (folder / name).write_bytes(payload)
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    return folder


def refused_by_validate_and_build(tmp_path: Path, where: Path, words: str) -> None:
    pack = str(tmp_path / "pack.yaml")
    out = ["-o", str(tmp_path / "out"), "--no-sessions"]
    for arguments in (["validate", pack], ["build", pack, *out, "-f", "pdf", "-f", "html"]):
        code, _, err = run(*arguments)
        assert code == 1, err
        assert f"{where}: {words}" in err, err
        assert "Traceback" not in err
        assert "Warning" not in err  # Pillow's DecompressionBombWarning never prints
    assert not (tmp_path / "out" / "pack").exists()


SVG_DRAWN = "the SVG's <use>, marker and pattern references draw over"


def test_an_svg_bomb_the_template_draws_is_refused_at_its_path(tmp_path: Path) -> None:
    files = {"pack.html.j2": TEMPLATE, "pic.svg": USE_BOMB}
    folder = theme(tmp_path, files, "name: brand\ntemplate: pack.html.j2\n")
    refused_by_validate_and_build(tmp_path, folder / "pic.svg", SVG_DRAWN)


def test_an_svg_bomb_the_stylesheet_draws_is_refused_at_its_path(tmp_path: Path) -> None:
    files = {"s.css": ".cover { background-image: url(pic.svg); }\n", "pic.svg": USE_BOMB}
    folder = theme(tmp_path, files, "name: brand\nstylesheet: s.css\n")
    refused_by_validate_and_build(tmp_path, folder / "pic.svg", SVG_DRAWN)


def test_an_svg_under_another_name_in_a_subfolder_is_checked_by_its_bytes(tmp_path: Path) -> None:
    folder = theme(tmp_path, {"img/pic.dat": USE_BOMB})
    refused_by_validate_and_build(tmp_path, folder / "img" / "pic.dat", SVG_DRAWN)


@pytest.mark.parametrize("side", [12_000, 20_000])
def test_a_png_declaring_too_many_pixels_is_refused_without_pillows_warning(
    tmp_path: Path, side: int
) -> None:
    folder = theme(tmp_path, {"big.png": png(side, side)})
    refused_by_validate_and_build(
        tmp_path, folder / "big.png", f"image too large: {side} x {side} pixels"
    )


def test_fonts_and_small_pictures_of_a_theme_are_accepted(tmp_path: Path) -> None:
    small = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'
    files = {"pic.svg": small, "small.png": png(100, 100), "fonts/odd.ttf": b"\x89PNG not one"}
    theme(tmp_path, files)
    code, _, err = run("validate", str(tmp_path / "pack.yaml"))
    assert code == 0, err


def test_a_theme_folder_of_over_a_thousand_files_is_refused(tmp_path: Path) -> None:
    folder = theme(tmp_path, {f"f/{n}.txt": "x" for n in range(MAX_THEME_FILES + 1)})
    code, _, err = run("validate", str(tmp_path / "pack.yaml"))
    assert code == 1, err
    assert f"{folder}: the theme's folder holds over 1,000 files" in err
