"""A pre-read's unembedded standard fonts: the book embeds a metric-compatible face for each."""

from __future__ import annotations

from pathlib import Path

import page
import pdfplumber
import pikepdf
import pytest

from briefpack.content.preread_facts import standard_name, unembedded_warning
from briefpack.content.preread_files import check_attachment
from briefpack.render.preread_fonts import FontSubstituter, has_program, substitute_face

from conftest import BUNDLED_PACK, run
from pdf_makers import STANDARD_FONTS, STANDARD_FONTS_LINE, make_pdf, make_standard_fonts_pdf

VARIANTS = ("none", "pdf/ua-1", "pdf/a-2b")


def pack_with(folder: Path, files: dict[str, Path]) -> Path:
    """The bundled pack in ``folder``, with the pre-reads ``files`` (by title) under Session 2."""
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    at = text.index("        questions:", text.index("      - label: Session 2"))
    lines = "        attachments:\n" + "".join(
        f"          - file: {path.relative_to(folder)}\n            title: {title}\n"
        for title, path in files.items()
    )
    pack = folder / "pack.yaml"
    pack.write_text(text[:at] + lines + text[at:], encoding="utf-8")
    return pack


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The pack with a Helvetica pre-read (``make_pdf``) and one of six standard fonts, built
    untagged (``none``, nothing stood in for), as PDF/UA-1 and as PDF/A-2b: each book's path."""
    root = tmp_path_factory.mktemp("preread-fonts")
    (root / "pre-reads").mkdir()
    files = {
        "Helvetica": make_pdf(root / "pre-reads" / "helvetica.pdf", 2),
        "Standard fonts": make_standard_fonts_pdf(root / "pre-reads" / "standard.pdf"),
    }
    pack = pack_with(root, files)
    built = {}
    for variant in VARIANTS:
        out = root / variant.replace("/", "-")
        code, _, err = run(
            "build", str(pack), "-o", str(out), "-f", "pdf", "--no-sessions",
            "--pdf-variant", variant,
        )  # fmt: skip
        assert code == 0, err
        built[variant] = out / "pack" / "pack.pdf"
    return built


def failures(path: Path, profile: str) -> list[str]:
    return [f"{f.rule_id}: {f.message}" for f in page.validate_pdf(path, profile=profile).failures]


@pytest.mark.parametrize(("variant", "profiles"), [("pdf/ua-1", ["ua1"]), ("pdf/a-2b", ["2b"])])
def test_a_book_with_unembedded_standard_fonts_in_its_pre_reads_passes_page(
    books: dict[str, Path], variant: str, profiles: list[str]
) -> None:
    for profile in profiles:
        assert failures(books[variant], profile) == []


def test_every_font_of_a_tagged_book_is_embedded(books: dict[str, Path]) -> None:
    for variant in ("pdf/ua-1", "pdf/a-2b"):
        with pikepdf.open(books[variant]) as pdf:
            for thing in pdf.objects:
                if isinstance(thing, pikepdf.Dictionary) and thing.get("/Type") == "/Font":
                    simple = thing.get("/Subtype") in ("/Type1", "/TrueType", "/MMType1")
                    assert not simple or has_program(thing), thing.get("/BaseFont")


def pre_read_pages(path: Path) -> dict[int, tuple[list[str], list[tuple[str, float, float]]]]:
    """Each pre-read page of a book: its words, and its characters with their origins."""
    found = {}
    with pdfplumber.open(path) as pdf:
        for number, sheet in enumerate(pdf.pages):
            words = [word["text"] for word in sheet.extract_words()]
            if "Café" in words or "Attachment" in words:
                # Where each glyph starts, on its baseline: not its box, which is
                # drawn from the descriptor's ascent and descent.
                found[number] = (
                    words,
                    [(char["text"], char["matrix"][4], char["matrix"][5]) for char in sheet.chars],
                )
    return found


def test_the_pre_reads_words_are_the_same_words_in_the_same_places(
    books: dict[str, Path],
) -> None:
    # The untagged book draws the fonts unembedded: pdfminer places them by
    # Adobe's own metrics for Helvetica, Times and Courier.
    before = pre_read_pages(books["none"])
    assert len(before) == 4
    for variant in ("pdf/ua-1", "pdf/a-2b"):
        after = pre_read_pages(books[variant])
        assert after.keys() == before.keys()
        for number, (words, chars) in after.items():
            was_words, was_chars = before[number]
            assert words == was_words
            if "Café" in words:
                assert words.count("Zürich") == len(STANDARD_FONTS)
                assert "“naïve”" in words
                assert "Œuvre" in words
                assert "€" in words
            # The standard 14's lines; the Arial line has no widths to be placed by.
            placed = list(zip(chars, was_chars, strict=True))[: len(STANDARD_FONTS_LINE) * 5]
            assert [now[0] for now, _ in placed] == [was[0] for _, was in placed]
            for (text, x, y), (_, was_x, was_y) in placed:
                assert abs(x - was_x) <= 0.5, (text, x, was_x)
                assert abs(y - was_y) <= 0.5, (text, y, was_y)


@pytest.mark.parametrize(
    ("name", "face"),
    [
        ("Helvetica", "BriefpackSans-Regular"),
        ("Helvetica-Bold", "BriefpackSans-Bold"),
        ("Helvetica-Oblique", "BriefpackSans-Italic"),
        ("Helvetica-BoldOblique", "BriefpackSans-BoldItalic"),
        ("Arial,BoldItalic", "BriefpackSans-BoldItalic"),
        ("ArialMT", "BriefpackSans-Regular"),
        ("Arial-BoldMT", "BriefpackSans-Bold"),
        ("ABCDEF+Arial-ItalicMT", "BriefpackSans-Italic"),
        ("Times-Roman", "BriefpackSerif-Regular"),
        ("Times-BoldItalic", "BriefpackSerif-BoldItalic"),
        ("TimesNewRoman,Bold", "BriefpackSerif-Bold"),
        ("TimesNewRomanPS-ItalicMT", "BriefpackSerif-Italic"),
        ("Courier", "BriefpackMono-Regular"),
        ("Courier-Oblique", "BriefpackMono-Italic"),
        ("CourierNewPS-BoldMT", "BriefpackMono-Bold"),
        ("Courier New,BoldItalic", "BriefpackMono-BoldItalic"),
        ("Symbol", None),
        ("ZapfDingbats", None),
        ("Arial-Black", None),
        ("ArialNarrow", None),
        ("Helvetica-Condensed-Bold", None),
        ("Calibri", None),
    ],
)
def test_the_name_chooses_the_face_and_the_reading_of_the_pack_agrees(
    name: str, face: str | None
) -> None:
    assert substitute_face(name) == face
    assert standard_name(name) == (face is not None)


def test_bold_and_italic_fonts_are_drawn_by_bold_and_italic_faces(books: dict[str, Path]) -> None:
    with pikepdf.open(books["pdf/ua-1"]) as pdf:
        names = {
            str(thing.BaseFont)
            for thing in pdf.objects
            if isinstance(thing, pikepdf.Dictionary)
            and thing.get("/Type") == "/Font"
            and str(thing.get("/BaseFont", "")).startswith(("/BriefpackS", "/BriefpackM"))
        }
    assert names == {
        "/BriefpackSans-Regular",
        "/BriefpackSans-BoldItalic",
        "/BriefpackSerif-Regular",
        "/BriefpackSerif-Italic",
        "/BriefpackMono-Bold",
    }


def substituted(path: Path) -> pikepdf.Pdf:
    """The PDF at ``path`` with its fonts seen to, every page, as a tagged book does."""
    pdf = pikepdf.open(path)
    substituter = FontSubstituter(pdf)
    for sheet in pdf.pages:
        substituter.page(sheet)
    return pdf


def test_a_font_shared_by_pages_is_stood_in_for_once_the_same_way_every_time(
    tmp_path: Path,
) -> None:
    source = make_standard_fonts_pdf(tmp_path / "s.pdf", pages=3)
    saved = []
    for _ in range(2):
        with substituted(source) as pdf:
            programs = [
                thing
                for thing in pdf.objects
                if isinstance(thing, pikepdf.Stream) and "/Length1" in thing
            ]
            # Five faces: Helvetica-Oblique and Arial,BoldItalic share one.
            assert len(programs) == 5
            target = tmp_path / f"saved{len(saved)}.pdf"
            pdf.save(target, deterministic_id=True)
            saved.append(target.read_bytes())
    assert saved[0] == saved[1]


def test_a_lying_descriptor_is_replaced_by_the_faces_own(tmp_path: Path) -> None:
    with substituted(make_standard_fonts_pdf(tmp_path / "s.pdf", ("Arial,BoldItalic",))) as pdf:
        font = pdf.pages[0].Resources.Font.F1
        descriptor = font.FontDescriptor
        assert font.Subtype == "/TrueType"
        assert descriptor.Flags == 32 + 64  # non-symbolic, italic
        assert [int(value) for value in descriptor.FontBBox] != [0, 0, 0, 0]
        assert int(descriptor.Ascent) > 0 > int(descriptor.Descent)
        assert font.FirstChar == 32
        assert font.LastChar == 255
        assert len(font.Widths) == 224
        assert font.Widths[ord("a") - 32] == 556  # Helvetica's, as Liberation draws it


def test_a_symbol_font_is_left_as_it_is_and_warned_of(tmp_path: Path) -> None:
    source = make_standard_fonts_pdf(tmp_path / "s.pdf", ("Helvetica", "Symbol"))
    assert check_attachment(source).unembedded_fonts == ("Symbol",)
    assert check_attachment(make_pdf(tmp_path / "h.pdf", 1)).unembedded_fonts == ()
    with substituted(source) as pdf:
        fonts = pdf.pages[0].Resources.Font
        assert has_program(fonts.F1)
        assert fonts.F2.BaseFont == "/Symbol"
        assert not has_program(fonts.F2)
    warning = unembedded_warning("s.pdf", ("Symbol",))
    assert "(Symbol)" in warning
    assert "no substitute" in warning


def test_validate_warns_only_of_the_fonts_the_book_cannot_embed(tmp_path: Path) -> None:
    (tmp_path / "pre-reads").mkdir()
    files = {
        "Standard": make_standard_fonts_pdf(tmp_path / "pre-reads" / "standard.pdf"),
        "With symbols": make_standard_fonts_pdf(
            tmp_path / "pre-reads" / "symbols.pdf", ("Times-Bold", "Symbol", "ZapfDingbats")
        ),
    }
    code, _, err = run("validate", str(pack_with(tmp_path, files)))
    assert code == 0, err
    assert "standard.pdf does not embed" not in err
    warnings = [line for line in err.splitlines() if "symbols.pdf does not embed" in line]
    assert len(warnings) == 1
    named = warnings[0].partition("it uses (")[2].partition(")")[0]
    assert sorted(named.split(", ")) == ["Symbol", "ZapfDingbats"]
