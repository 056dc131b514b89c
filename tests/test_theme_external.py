"""A theme made outside the project, with its own font, colour and logo, in both formats."""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from conftest import BUNDLED_PACK, run

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FACES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
}

pytestmark = pytest.mark.skipif(
    not (DEJAVU / "DejaVuSans.ttf").is_file(),
    reason="DejaVu Sans is not installed (Debian package fonts-dejavu-core)",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The bundled pack built with a theme of DejaVu Sans, a red accent and a PNG logo."""
    root = tmp_path_factory.mktemp("external")
    theme = root / "brand"
    (theme / "fonts").mkdir(parents=True)
    for name in FACES.values():
        shutil.copy(DEJAVU / name, theme / "fonts" / name)
    logo = Image.new("RGB", (300, 100), (176, 0, 32))
    logo.save(theme / "logo.png")
    faces = "\n".join(f"    {face}: fonts/{name}" for face, name in FACES.items())
    roles = "\n".join(f"  {role}:\n{faces}" for role in ("heading", "body", "mono"))
    (theme / "theme.yaml").write_text(
        f'colours:\n  accent: "#b00020"\nfonts:\n{roles}\nlogo: logo.png\n', encoding="utf-8"
    )
    pack = root / "pack.yaml"
    pack.write_text(
        BUNDLED_PACK.read_text(encoding="utf-8") + "options:\n  theme: brand\n", encoding="utf-8"
    )
    out = root / "out"
    code, _, err = run("build", str(pack), "-o", str(out), "--no-sessions")
    assert code == 0, err
    return out / "pack", theme


def embedded_families(pdf: Path) -> set[str]:
    families = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = descriptor["/FontFile2"].get_object().get_data()
            families.add(str(TTFont(io.BytesIO(program))["name"].getDebugName(1)))
    return families


def test_the_pdf_embeds_only_the_themes_font(built: tuple[Path, Path]) -> None:
    folder, _ = built
    assert embedded_families(folder / "pack.pdf") == {"DejaVu Sans"}


def test_the_logo_is_drawn_on_the_cover_and_in_the_running_head(
    built: tuple[Path, Path],
) -> None:
    folder, _ = built
    pages = PdfReader(folder / "pack.pdf").pages
    for number in (0, 3):
        xobjects = pages[number]["/Resources"].get("/XObject", {})
        images = [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"]
        assert images, f"no picture on page {number + 1}"


def test_the_word_copy_uses_the_themes_font_colour_and_logo(built: tuple[Path, Path]) -> None:
    folder, theme = built
    with zipfile.ZipFile(folder / "pack.docx") as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
        media = [
            archive.read(name) for name in archive.namelist() if name.startswith("word/media/")
        ]
    assert 'w:ascii="DejaVu Sans"' in styles
    assert "B00020" in styles
    logo = hashlib.sha256((theme / "logo.png").read_bytes()).hexdigest()
    assert logo in {hashlib.sha256(data).hexdigest() for data in media}
