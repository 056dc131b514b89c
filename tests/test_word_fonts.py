"""The theme's fonts inside the Word copy: embedded, subset, named as the styles name them."""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import _h_e_a_d as head_table

from briefpack.build.chosen_settings import choose_theme, default_theme, resolve_settings
from briefpack.content.theme_file import load_theme
from briefpack.content.validate import load_pack
from briefpack.model import Pack
from briefpack.model.theme import Theme
from briefpack.render.docx.embedded_fonts import as_word_face
from briefpack.render.docx.writer import render_docx
from briefpack.render.settings import RenderSettings

from conftest import BUNDLED_PACK, MINIMAL_PACK, WritePack, run, valid
from docx_helpers import NS, W

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SLOTS = {"embedRegular": "regular", "embedBold": "bold", "embedItalic": "italic"}
SLOTS["embedBoldItalic"] = "bold_italic"


def render(pack: Pack, theme: Theme | None = None) -> bytes:
    settings = resolve_settings(pack, {}, theme=theme)
    return render_docx(pack, RenderSettings(created=settings.created, theme=settings.theme)).data


@pytest.fixture(scope="module")
def bundled() -> Pack:
    return load_pack(BUNDLED_PACK)


@pytest.fixture(scope="module")
def bundled_docx(bundled: Pack) -> bytes:
    return render(bundled)


def xml(data: bytes, name: str) -> Any:
    from lxml import etree

    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def deobfuscated(font: bytes, key: str) -> bytes:
    """ECMA-376 17.8.1, written out here apart from briefpack's: the GUID's bytes reversed."""
    digits = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    return bytes(b ^ digits[i % 16] for i, b in enumerate(font[:32])) + font[32:]


def embedded_fonts(data: bytes) -> dict[str, dict[str, TTFont]]:
    """Each font table entry's embedded faces: family -> slot -> the font, opened."""
    package = zipfile.ZipFile(io.BytesIO(data))
    table = xml(data, "word/fontTable.xml")
    targets = {
        rel.get("Id"): posixpath.join("word", rel.get("Target"))
        for rel in xml(data, "word/_rels/fontTable.xml.rels")
    }
    found: dict[str, dict[str, TTFont]] = {}
    for entry in table.findall("w:font", NS):
        for tag, slot in SLOTS.items():
            embedded = entry.find(f"w:{tag}", NS)
            if embedded is None:
                continue
            raw = package.read(targets[embedded.get(f"{{{R}}}id")])
            font = TTFont(io.BytesIO(deobfuscated(raw, embedded.get(f"{{{W}}}fontKey"))))
            found.setdefault(entry.get(f"{{{W}}}name"), {})[slot] = font
    return found


def family(font: TTFont) -> str:
    name = font["name"]
    return str(name.getDebugName(16) or name.getDebugName(1))


def used_characters(data: bytes) -> set[str]:
    package = zipfile.ZipFile(io.BytesIO(data))
    used: set[str] = set()
    for name in package.namelist():
        if name.startswith("word/") and name.endswith(".xml"):
            for node in xml(data, name).iter(f"{{{W}}}t"):
                used.update(node.text or "")
    return used


def style_fonts(data: bytes) -> set[str]:
    styles = xml(data, "word/styles.xml")
    return {fonts.get(f"{{{W}}}ascii") for fonts in styles.iter(f"{{{W}}}rFonts")} - {None}


def test_the_bundled_copy_embeds_each_roles_faces_under_the_name_its_styles_give(
    bundled_docx: bytes, tmp_path: Path
) -> None:
    (tmp_path / "pack.docx").write_bytes(bundled_docx)  # checked by openxml-audit
    fonts = embedded_fonts(bundled_docx)
    assert {name: sorted(faces) for name, faces in fonts.items()} == {
        "Inter": ["bold", "regular"],
        "Noto Serif": ["bold", "bold_italic", "italic", "regular"],
        "Noto Sans Mono": ["regular"],
    }
    assert {"Inter", "Noto Serif", "Noto Sans Mono"} <= style_fonts(bundled_docx)
    assert not {"Calibri", "Cambria", "Consolas"} & style_fonts(bundled_docx)
    used = used_characters(bundled_docx)
    theme = default_theme()
    for name, faces in fonts.items():
        for slot, font in faces.items():
            assert family(font) == name
            whole = TTFont(getattr(getattr(theme.fonts, _role(name)), slot))
            covered = set(map(chr, font.getBestCmap()))
            # Every character of the text that the face has, and no glyph for nothing.
            assert used & set(map(chr, whole.getBestCmap())) <= covered, (name, slot)
            assert len(font.getGlyphOrder()) < len(whole.getGlyphOrder()) / 4
    assert used <= set(map(chr, fonts["Noto Serif"]["regular"].getBestCmap()))
    settings = xml(bundled_docx, "word/settings.xml")
    tags = [child.tag.split("}")[1] for child in settings]
    assert tags.index("embedTrueTypeFonts") + 1 == tags.index("saveSubsetFonts")


def _role(name: str) -> str:
    return {"Inter": "heading", "Noto Serif": "body", "Noto Sans Mono": "mono"}[name]


def test_the_bundled_copy_stays_small_and_the_same_from_build_to_build(
    bundled: Pack, bundled_docx: bytes
) -> None:
    assert len(bundled_docx) < 300 * 1024
    assert render(bundled) == bundled_docx


def theme_with(tmp_path: Path, yaml: str, fonts: dict[str, Path | bytes]) -> Theme:
    folder = tmp_path / "brand"
    (folder / "fonts").mkdir(parents=True)
    for name, font in fonts.items():
        target = folder / "fonts" / name
        if isinstance(font, Path):
            shutil.copy(font, target)
        else:
            target.write_bytes(font)
    (folder / "theme.yaml").write_text(yaml, encoding="utf-8")
    return load_theme(folder, default_theme())


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed (fonts-dejavu-core)")
def test_a_theme_made_outside_the_project_embeds_its_own_font(
    write_pack: WritePack, tmp_path: Path
) -> None:
    theme = theme_with(
        tmp_path, "fonts:\n  body:\n    regular: fonts/Text.ttf\n", {"Text.ttf": DEJAVU}
    )
    data = render(valid(write_pack(MINIMAL_PACK)), theme)
    (tmp_path / "brand.docx").write_bytes(data)
    fonts = embedded_fonts(data)
    assert sorted(fonts["DejaVu Sans"]) == ["regular"]
    assert family(fonts["DejaVu Sans"]["regular"]) == "DejaVu Sans"
    assert "Noto Serif" not in fonts  # no longer the body's, so named nowhere
    assert "DejaVu Sans" in style_fonts(data)
    assert used_characters(data) <= set(map(chr, fonts["DejaVu Sans"]["regular"].getBestCmap()))


def test_roles_of_one_typographic_family_keep_their_own_faces_under_their_own_names(
    write_pack: WritePack, tmp_path: Path
) -> None:
    # A narrow cut sold under the heading's typographic family (name 16) is its
    # own family to Word (name 1), and the body must be set in it, not the heading's.
    font = TTFont(DEJAVU)
    font["name"].setName("DejaVu Sans Narrow", 1, 3, 1, 0x409)
    font["name"].setName("DejaVu Sans", 16, 3, 1, 0x409)
    narrow = io.BytesIO()
    font.save(narrow)
    theme = theme_with(
        tmp_path,
        "fonts:\n  heading:\n    regular: fonts/Sans.ttf\n  body:\n    regular: fonts/Narrow.ttf\n",
        {"Sans.ttf": DEJAVU, "Narrow.ttf": narrow.getvalue()},
    )
    assert (theme.fonts.heading.word, theme.fonts.body.word) == (
        "DejaVu Sans",
        "DejaVu Sans Narrow",
    )
    data = render(valid(write_pack(MINIMAL_PACK)), theme)
    (tmp_path / "narrow.docx").write_bytes(data)
    fonts = embedded_fonts(data)
    assert {"DejaVu Sans", "DejaVu Sans Narrow"} <= set(fonts)
    assert {"DejaVu Sans", "DejaVu Sans Narrow"} <= style_fonts(data)


def test_a_family_without_a_bold_lends_its_next_heavier_face_named_as_its_bold(
    write_pack: WritePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fonts = default_theme().fonts.heading
    assert fonts.semibold is not None
    theme = theme_with(
        tmp_path,
        "fonts:\n  heading:\n    regular: fonts/Inter-Regular.ttf\n"
        "    semibold: fonts/Inter-SemiBold.ttf\n",
        {"Inter-Regular.ttf": fonts.regular, "Inter-SemiBold.ttf": fonts.semibold},
    )
    data = render(valid(write_pack(MINIMAL_PACK)), theme)
    (tmp_path / "semibold.docx").write_bytes(data)
    bold = embedded_fonts(data)["Inter"]["bold"]
    # Windows groups faces by name 1 and tells them apart by name 2 and the style bits.
    assert (bold["name"].getDebugName(1), bold["name"].getDebugName(2)) == ("Inter", "Bold")
    assert bold["OS/2"].fsSelection & 0b100000
    assert bold["head"].macStyle & 1
    assert bold["OS/2"].usWeightClass == 600  # the semibold's outlines, kept
    # Renamed by fontTools, which would stamp the time it saves the font.
    as_word_face.cache_clear()
    monkeypatch.setattr(head_table, "timestampNow", lambda: 3_000_000_000)
    assert render(valid(write_pack(MINIMAL_PACK)), theme) == data


def test_roles_in_one_family_share_its_faces_each_giving_what_the_other_lacks(
    write_pack: WritePack, tmp_path: Path
) -> None:
    fonts = default_theme().fonts
    assert fonts.body.italic is not None
    theme = theme_with(
        tmp_path,
        "fonts:\n  body:\n    regular: fonts/Inter-Regular.ttf\n"
        "    italic: fonts/NotoSerif-Italic.ttf\n",
        {"Inter-Regular.ttf": fonts.heading.regular, "NotoSerif-Italic.ttf": fonts.body.italic},
    )
    data = render(valid(write_pack(MINIMAL_PACK)), theme)
    (tmp_path / "one-family.docx").write_bytes(data)
    inter = embedded_fonts(data)["Inter"]
    assert sorted(inter) == ["bold", "italic", "regular"]
    assert (inter["italic"]["name"].getDebugName(1), inter["italic"]["name"].getDebugName(2)) == (
        "Inter",
        "Italic",
    )


def test_a_role_that_names_an_installed_font_embeds_nothing_of_that_role(
    write_pack: WritePack, tmp_path: Path
) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "theme.yaml").write_text("fonts:\n  body:\n    word: Georgia\n", encoding="utf-8")
    theme = choose_theme(str(folder), tmp_path)
    assert theme.fonts.body.word == "Georgia"
    assert not theme.fonts.body.embed
    data = render(valid(write_pack(MINIMAL_PACK)), theme)
    (tmp_path / "georgia.docx").write_bytes(data)
    assert "Georgia" in style_fonts(data)
    assert sorted(embedded_fonts(data)) == ["Inter", "Noto Sans Mono"]


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed (fonts-dejavu-core)")
def test_a_font_whose_licence_forbids_embedding_is_named_with_a_warning_at_its_line(
    write_pack: WritePack, tmp_path: Path
) -> None:
    font = TTFont(DEJAVU)
    font["OS/2"].fsType = 0x0002  # restricted licence embedding
    restricted = io.BytesIO()
    font.save(restricted)
    theme = theme_with(
        tmp_path,
        "name: brand\nfonts:\n  body:\n    regular: fonts/Locked.ttf\n",
        {"Locked.ttf": restricted.getvalue()},
    )
    assert theme.fonts.body.word == "DejaVu Sans"
    assert not theme.fonts.body.embed
    [warning] = [str(problem) for problem in theme.warnings]
    assert warning.startswith(f"{tmp_path / 'brand' / 'theme.yaml'}:4:14: warning: 'regular'")
    assert "fsType 0x0002: restricted licence" in warning
    data = render(valid(write_pack(MINIMAL_PACK)), theme)
    (tmp_path / "locked.docx").write_bytes(data)
    assert "DejaVu Sans" in style_fonts(data)
    assert sorted(embedded_fonts(data)) == ["Inter", "Noto Sans Mono"]


def test_validate_and_build_say_at_its_line_that_a_font_may_not_be_embedded(
    tmp_path: Path,
) -> None:
    font = TTFont(DEJAVU)
    font["OS/2"].fsType = 0x0002
    restricted = io.BytesIO()
    font.save(restricted)
    theme_with(
        tmp_path,
        "name: brand\nfonts:\n  body:\n    regular: fonts/Locked.ttf\n",
        {"Locked.ttf": restricted.getvalue()},
    )
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK + "options:\n  theme: brand\n", encoding="utf-8")
    line = f"{tmp_path / 'brand' / 'theme.yaml'}:4:14: warning: 'regular'"
    code, _, err = run("validate", str(pack))
    assert code == 0, err
    assert line in err
    out = tmp_path / "out"
    code, _, err = run("build", str(pack), "-o", str(out), "-f", "docx")
    assert code == 0, err
    assert line in err


@pytest.mark.parametrize("fs_type", [0x0000, 0x0008, 0x0100, 0x0004, 0x0200])
def test_only_installable_and_editable_licences_may_be_embedded(
    tmp_path: Path, fs_type: int
) -> None:
    from briefpack.content.theme_file import embedding_refusal

    font = TTFont(default_theme().fonts.mono.regular)
    font["OS/2"].fsType = fs_type
    path = tmp_path / "font.ttf"
    font.save(path)
    assert (embedding_refusal(path) is None) == (fs_type in (0x0000, 0x0008, 0x0100))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_sets_the_copy_in_the_embedded_fonts(
    bundled_docx: bytes, tmp_path: Path
) -> None:
    source = tmp_path / "pack.docx"
    source.write_bytes(bundled_docx)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    with pikepdf.open(tmp_path / "pack.pdf") as pdf:
        names = {
            str(font.get("/BaseFont")).lstrip("/").split("+", 1)[-1]
            for page in pdf.pages
            for font in page.Resources.get("/Font", {}).values()
        }
    assert any(name.startswith("Inter") for name in names), names
    assert any(name.startswith("NotoSerif") or name.startswith("Noto Serif") for name in names)
    assert not any(
        name.startswith(("Carlito", "Caladea", "DejaVu", "Liberation")) for name in names
    )


def test_emoji_are_set_in_the_emoji_font_the_copy_embeds(
    write_pack: WritePack, tmp_path: Path
) -> None:
    text = MINIMAL_PACK.replace("Where are we going?", "Where are we going? 🚀 Up 📈, ok 👩‍💻!")
    data = render(valid(write_pack(text)))
    (tmp_path / "emoji.docx").write_bytes(data)
    document = xml(data, "word/document.xml")
    runs = {
        "".join(node.text or "" for node in run.iter(f"{{{W}}}t")): run
        for run in document.iter(f"{{{W}}}r")
    }
    for emoji in ("🚀", "📈", "👩\u200d💻"):
        fonts = runs[emoji].find("w:rPr/w:rFonts", NS)
        assert fonts is not None, emoji
        assert fonts.get(f"{{{W}}}ascii") == "Noto Emoji", emoji
    assert "Where are we going? " in runs  # the words keep the style's font
    fonts = embedded_fonts(data)
    assert {"🚀", "📈", "💻"} <= set(map(chr, fonts["Noto Emoji"]["regular"].getBestCmap()))


def test_a_copy_without_emoji_embeds_no_emoji_font(write_pack: WritePack) -> None:
    assert "Noto Emoji" not in embedded_fonts(render(valid(write_pack(MINIMAL_PACK))))
