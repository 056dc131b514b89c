"""Which font subsetter WeasyPrint finds changes nothing but speed.

Without Debian's ``libharfbuzz-subset0``, WeasyPrint subsets fonts with
fontTools.  Each test runs briefpack in a subprocess, where that fallback is
forced by hiding HarfBuzz's subsetter from WeasyPrint (the library itself
stays installed); the build's workers are forked from it and inherit that.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.misc.timeTools import epoch_diff
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefpack.render.pdf import SUBSETTER_ADVICE

from conftest import BUNDLED_PACK, MINIMAL_PACK, WITHOUT_HARFBUZZ_SUBSET
from pdf_helpers import page_findings

RUN_CLI = "from briefpack.cli import main; main()"
#: Python code run before the CLI, for each subsetter.
SUBSETTERS = {
    "harfbuzz": "",
    "fonttools": WITHOUT_HARFBUZZ_SUBSET,
}


def harfbuzz_subset_installed() -> bool:
    import weasyprint.pdf.fonts

    return weasyprint.pdf.fonts.harfbuzz_subset is not None


def briefpack(
    subsetter: str, *args: str, clock_ahead: str | None = None, epoch: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``briefpack ARGS`` with ``subsetter``, optionally with the wall clock moved ahead."""
    if subsetter == "harfbuzz" and not harfbuzz_subset_installed():
        pytest.skip("HarfBuzz's subsetter is not installed (Debian package libharfbuzz-subset0)")
    environ = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        environ["SOURCE_DATE_EPOCH"] = epoch
    command = [sys.executable, "-c", SUBSETTERS[subsetter] + RUN_CLI, *args]
    if clock_ahead is not None:
        faketime = shutil.which("faketime")
        if faketime is None:
            pytest.skip("faketime is not installed (Debian package faketime)")
        command = [faketime, "-f", clock_ahead, *command]
    return subprocess.run(command, capture_output=True, text=True, env=environ, timeout=300)


def embedded_fonts(pdf: Path) -> dict[str, TTFont]:
    """Every font program embedded in ``pdf``, by its PDF name."""
    fonts = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = descriptor["/FontFile2"].get_object().get_data()
            fonts[str(font["/BaseFont"])] = TTFont(io.BytesIO(program))
    return fonts


def font_date(font: TTFont) -> dt.datetime:
    return dt.datetime.fromtimestamp(font["head"].modified + epoch_diff, tz=dt.UTC)


@pytest.mark.slow
@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_the_same_content_gives_the_same_pdfs_on_any_day(subsetter: str, tmp_path: Path) -> None:
    first, later = tmp_path / "first", tmp_path / "later"
    built = briefpack(subsetter, "build", str(BUNDLED_PACK), "-o", str(first), "-f", "pdf")
    assert built.returncode == 0, built.stderr
    rebuilt = briefpack(
        subsetter, "build", str(BUNDLED_PACK), "-o", str(later), "-f", "pdf", clock_ahead="+3d"
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    pdfs = sorted(path.relative_to(first) for path in first.rglob("*.pdf"))
    assert len(pdfs) == 5
    for pdf in pdfs:
        assert (first / pdf).read_bytes() == (later / pdf).read_bytes(), pdf


@pytest.mark.parametrize(
    ("epoch", "expected"),
    [
        (None, dt.datetime(2026, 3, 2, tzinfo=dt.UTC)),  # the pack's first day
        ("1767225600", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
    ],
)
def test_a_single_documents_fonts_keep_their_files_dates_whatever_the_document_date(
    tmp_path: Path, epoch: str | None, expected: dt.datetime
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    built = briefpack("fonttools", "build", str(pack), "-o", str(out), "-f", "pdf", epoch=epoch)
    assert built.returncode == 0, built.stderr
    # A pack of one session is one WeasyPrint document, its fonts subset by fontTools,
    # which dates them (the document's date), then again by HarfBuzz, which keeps the
    # font file's own: the same bytes with either subsetter.
    fonts = embedded_fonts(out / "pack" / "sessions" / "01-strategy.pdf")
    assert fonts
    dates = {font_date(font) for font in fonts.values()}
    assert expected not in dates
    assert all(date.year < 2025 for date in dates)


def test_the_full_pack_is_the_same_bytes_with_either_subsetter(tmp_path: Path) -> None:
    outputs = {}
    for subsetter in SUBSETTERS:
        out = tmp_path / subsetter
        args = ("build", str(BUNDLED_PACK), "-o", str(out), "-f", "pdf", "--no-sessions")
        built = briefpack(subsetter, *args, clock_ahead="+3d" if subsetter == "fonttools" else None)
        assert built.returncode == 0, built.stderr
        outputs[subsetter] = out / "aws-devex-2025" / "aws-devex-2025.pdf"
    # Its parts' fonts are subset once more by HarfBuzz when they are joined; each
    # keeps its file's own date.
    assert outputs["harfbuzz"].read_bytes() == outputs["fonttools"].read_bytes()
    dates = {font_date(font) for font in embedded_fonts(outputs["fonttools"]).values()}
    assert dates
    assert all(date.year < 2025 for date in dates)


def test_every_output_is_the_same_bytes_with_either_subsetter(tmp_path: Path) -> None:
    # Session, readers' and change-marked packs of the bundled pack (from parts),
    # and a pack of one session with answer fields (one document).
    folder = tmp_path / "content"
    folder.mkdir()
    earlier = folder / "earlier.yaml"
    earlier.write_text(BUNDLED_PACK.read_text(encoding="utf-8"), encoding="utf-8")
    text = earlier.read_text(encoding="utf-8").replace("Observability &", "Observability and", 1)
    pack = folder / "pack.yaml"
    pack.write_text(text + "recipients:\n  - name: Ada Byron\n    exclude: [agentcore]\n")
    small = folder / "small.yaml"
    small.write_text(MINIMAL_PACK, encoding="utf-8")
    outputs: dict[str, dict[str, bytes]] = {}
    for subsetter in SUBSETTERS:
        out = tmp_path / subsetter
        clock = "+3d" if subsetter == "fonttools" else None
        for args in (
            (str(pack), "--per-recipient", "--changes-since", str(earlier)),
            (str(small), "--answer-fields"),
        ):
            built = briefpack(subsetter, "build", *args, "-o", str(out), "-f", "pdf",
                              clock_ahead=clock)  # fmt: skip
            assert built.returncode == 0, built.stderr
        outputs[subsetter] = {
            path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*.pdf")
        }
    names = set(outputs["harfbuzz"])
    assert {"pack/pack.changes.pdf", "pack/recipients/ada-byron.pdf", "small/small.pdf"} <= names
    assert set(outputs["fonttools"]) == names
    differ = [name for name in names if outputs["harfbuzz"][name] != outputs["fonttools"][name]]
    assert differ == []


def test_without_harfbuzz_one_line_of_advice_instead_of_a_warning_per_font(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    built = briefpack("fonttools", "build", str(BUNDLED_PACK), "-o", str(out), "-f", "pdf")
    assert built.returncode == 0, built.stderr
    assert built.stderr.splitlines() == [SUBSETTER_ADVICE]
    assert "libharfbuzz-subset0" in SUBSETTER_ADVICE
    assert built.stdout.splitlines()[-1].startswith("5 written")


def test_quiet_hides_the_advice(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("build", str(BUNDLED_PACK), "-o", str(out), "-f", "pdf", "--no-sessions", "-q")
    built = briefpack("fonttools", *args)
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    assert built.stdout.startswith("1 written")


def test_with_harfbuzz_there_is_no_advice(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("build", str(BUNDLED_PACK), "-o", str(out), "-f", "pdf", "--no-sessions")
    built = briefpack("harfbuzz", *args)
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""


@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_answer_fields_font_maps_no_glyph_to_a_null_or_byte_order_mark(
    subsetter: str, tmp_path: Path
) -> None:
    # A font that fills in form fields is embedded whole, with a map of every
    # glyph its cmap names: U+0000 among them, which PDF/UA-1 forbids (7.21.7).
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    built = briefpack(subsetter, "build", str(pack), "-o", str(out), "-f", "pdf", "--answer-fields")
    assert built.returncode == 0, built.stderr
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) == 2  # the book (parts joined) and the session's pack (one document)
    for pdf in pdfs:
        # The fonts' rules: the rest of PDF/UA is every test's (conftest.py's checkers).
        assert [finding for finding in page_findings(pdf) if "-FONT-" in finding] == [], pdf


@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_answer_fields_font_maps_the_glyphs_shaping_chose_to_their_text(
    subsetter: str, tmp_path: Path
) -> None:
    """Inter draws "¿" before capitals as an alternate no character names (its ``case``
    feature); in a font embedded whole for the answer fields, WeasyPrint's map from the
    font's cmap left that glyph without text (page: PDFUA1-FONT-UNICODE-MAPPING-001)."""
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "theme.yaml").write_text(
        "fonts:\n  body:\n    regular: fonts/Inter-Regular.ttf\n", encoding="utf-8"
    )
    pack = tmp_path / "pack.yaml"
    text = MINIMAL_PACK.replace("Where are we going?", "¿QUIÉN DECIDE? ¡SÍ! «A-B» (C)")
    pack.write_text(text + "options:\n  language: es\n", encoding="utf-8")
    out = tmp_path / "out"
    built = briefpack(
        subsetter, "build", str(pack), "-o", str(out), "-f", "pdf", "--answer-fields",
        "--no-sessions", "--theme", str(theme),
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (pdf,) = sorted(out.rglob("*.pdf"))
    assert [finding for finding in page_findings(pdf) if "-FONT-" in finding] == []
    assert "¿QUIÉN DECIDE?" in " ".join(PdfReader(pdf).pages[-1].extract_text().split())
