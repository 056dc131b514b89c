"""The full pack as a book of parts: against the single render, and as the build makes it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from briefpack.build.chosen_settings import resolve_settings
from briefpack.build.files import PARTS
from briefpack.content.validate import load_pack
from briefpack.render.book.join import join_parts
from briefpack.render.book.parts import numbers_part
from briefpack.render.pdf import render_pdf
from briefpack.render.settings import BOOK_MIN_SESSIONS
from briefpack.render.theme_css import font_files

from conftest import BUNDLED_PACK, MINIMAL_PACK, run
from pdf_helpers import outline, page_findings, page_texts

FULL_PDF = "aws-devex-2025/aws-devex-2025.pdf"


@pytest.fixture(scope="module")
def single_and_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """WeasyPrint's render of the whole pack as one document, and the book the build makes."""
    pack = load_pack(BUNDLED_PACK)
    books = []
    for jobs in ("1", "2"):
        out = tmp_path_factory.mktemp(f"book-j{jobs}")
        code, _, err = run("build", str(BUNDLED_PACK), "-o", str(out), "-f", "pdf",
                           "--no-sessions", "-j", jobs)  # fmt: skip
        assert code == 0, err
        books.append((out / FULL_PDF).read_bytes())
    assert books[0] == books[1]  # the same parts, in whatever order, the same bytes
    return render_pdf(pack, resolve_settings(pack, {})).data, books[0]


def destinations(data: bytes) -> dict[str, int]:
    with pikepdf.open(io.BytesIO(data)) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
        return {
            name: pages[destination[0].objgen]
            for name, destination in pikepdf.NameTree(document.Root.Names.Dests).items()
        }


def metadata(data: bytes) -> dict[str, str]:
    with pikepdf.open(io.BytesIO(data)) as document:
        info = {str(key): str(value) for key, value in document.docinfo.items()}
        with document.open_metadata() as xmp:
            info.update({f"xmp {key}": str(value) for key, value in xmp.items()})
        info["language"] = str(document.Root.get("/Lang"))
        return info


def test_every_page_reads_as_in_the_single_render(single_and_book: tuple[bytes, bytes]) -> None:
    single, book = single_and_book
    # Page by page, with the contents' numbers and the "Page X of Y" footers.
    assert page_texts(book) == page_texts(single)
    assert outline(book) == outline(single)
    assert len(book) <= 1.15 * len(single)


def test_the_book_has_the_single_renders_metadata(single_and_book: tuple[bytes, bytes]) -> None:
    single, book = single_and_book
    expected = metadata(single)
    assert expected["/Title"]
    assert expected["/Keywords"]
    assert metadata(book) == expected


def test_every_link_leads_where_it_does_in_the_single_render(
    single_and_book: tuple[bytes, bytes],
) -> None:
    single, book = single_and_book
    expected = destinations(single)
    assert {name: page for name, page in destinations(book).items() if name in expected} == expected


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs Poppler's pdfinfo")
def test_the_book_passes_the_pdf_ua_checker(
    single_and_book: tuple[bytes, bytes], tmp_path: Path
) -> None:
    pytest.importorskip("outloud")
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(single_and_book[1])
    checked = subprocess.run(
        [sys.executable, "-m", "outloud.cli", "--fail-on", "error", "-q", str(pdf)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout


# ---------------------------------------------------------------- as the build makes it


def build(pack_file: Path, out: Path, *options: str) -> None:
    code, _, err = run("build", str(pack_file), "-o", str(out), "-f", "pdf", *options)
    assert code == 0, err


def assert_as_a_clean_build(pack_file: Path, out: Path, clean: Path) -> None:
    """The full pack in ``out`` is the bytes a build into the empty ``clean`` makes."""
    build(pack_file, clean, "--no-sessions", "-j", "1")
    assert (out / FULL_PDF).read_bytes() == (clean / FULL_PDF).read_bytes()


def kept_parts(out: Path) -> set[str]:
    return {path.name for path in (out / PARTS / "aws-devex-2025").iterdir()}


@pytest.fixture
def pack_file(tmp_path: Path) -> Path:
    copy = tmp_path / "content" / BUNDLED_PACK.name
    copy.parent.mkdir()
    shutil.copy(BUNDLED_PACK, copy)
    return copy


def test_an_incremental_book_is_the_clean_builds_byte_for_byte(
    pack_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(pack_file, out, "--no-sessions", "-j", "2")
    before = kept_parts(out)
    text = pack_file.read_text(encoding="utf-8")
    # A word in one question of the second session: only that session's part is new.
    edited = text.replace(
        "prevent\n              bottlenecks", "avoid\n              bottlenecks", 1
    )
    assert edited != text
    pack_file.write_text(edited, encoding="utf-8")
    build(pack_file, out, "--no-sessions", "-j", "2")
    after = kept_parts(out)
    assert len(after - before) == 1  # one part rendered anew...
    assert len(before - after) == 1  # ...and the part it replaces removed
    assert_as_a_clean_build(pack_file, out, tmp_path / "clean")


def test_a_wrong_contents_count_or_a_damaged_part_is_made_good(
    pack_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(pack_file, out, "--no-sessions")
    folder = out / PARTS / "aws-devex-2025"
    counts = [path for path in folder.iterdir() if path.suffix in (".counted", ".contents")]
    assert len(counts) == 2  # the contents' count, and the last one
    for path in folder.iterdir():
        # Every part unreadable, and the contents' counts wrong: the contents is
        # numbered for 7 pages of its own, finds it has 1, and is made again.
        if path.suffix != ".used":
            path.write_bytes(b"7" if path in counts else b"not a part")
    (out / FULL_PDF).unlink()  # made again, from what is kept (--force would read nothing)
    build(pack_file, out, "--no-sessions")
    assert all(path.read_bytes() != b"7" for path in counts)  # counted again, and kept
    assert_as_a_clean_build(pack_file, out, tmp_path / "clean")


def test_an_edit_that_moves_pages_renumbers_the_contents_as_a_clean_build(
    pack_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(pack_file, out, "--no-sessions", "-j", "2")
    contents_before = page_texts((out / FULL_PDF).read_bytes())
    text = pack_file.read_text(encoding="utf-8")
    # A hundred lines more in the first question: every later session starts pages on.
    longer = "until reliability improves." + " Another paragraph of context." * 300
    pack_file.write_text(text.replace("until reliability improves.", longer, 1), encoding="utf-8")
    build(pack_file, out, "--no-sessions", "-j", "2")
    assert_as_a_clean_build(pack_file, out, tmp_path / "clean")
    book = (out / FULL_PDF).read_bytes()
    pages = page_texts(book)
    assert len(pages) > len(contents_before)
    contents = next(index for index, page in enumerate(pages) if page.startswith("Contents"))
    assert pages[contents] != contents_before[contents]  # its numbers moved


def test_a_pack_of_few_sessions_is_one_document(tmp_path: Path) -> None:
    pack_file = tmp_path / "pack.yaml"
    pack_file.write_text(MINIMAL_PACK, encoding="utf-8")
    build(pack_file, tmp_path / "out", "--no-sessions")
    pack = load_pack(pack_file)
    assert len(pack.sessions) < BOOK_MIN_SESSIONS
    # Its parts would cost more than they save: nothing is kept, and the PDF is
    # the single render's.
    assert not (tmp_path / "out" / PARTS).exists()
    written = (tmp_path / "out" / "pack" / "pack.pdf").read_bytes()
    assert written == render_pdf(pack, resolve_settings(pack, {})).data


def test_a_part_whose_font_maps_a_glyph_to_u0000_joins_into_a_book_that_maps_none(
    tmp_path: Path,
) -> None:
    # The join makes one map of every part's copy of a font; a part whose map
    # gives a code U+0000 or U+FEFF (which PDF/UA-1 forbids) must not pass them on.
    pack_file = tmp_path / "pack.yaml"
    pack_file.write_text(MINIMAL_PACK, encoding="utf-8")
    pack = load_pack(pack_file)
    settings = resolve_settings(pack, {})
    with pikepdf.open(io.BytesIO(render_pdf(pack, settings).data)) as part:
        for font in part.objects:
            if isinstance(font, pikepdf.Dictionary) and "/ToUnicode" in font:
                old = font.ToUnicode.read_bytes()
                new = re.sub(rb"(\d+) beginbfchar", rb"1 beginbfchar\n<0001> <0000>\nendbfchar\n"
                             rb"1 beginbfchar\n<0002> <0041feff>\nendbfchar\n\1 beginbfchar", old,
                             count=1)  # fmt: skip
                font.ToUnicode = part.make_stream(new)
        stale = io.BytesIO()
        part.save(stale)
    assert any("U+0000" in finding for finding in page_findings(stale.getvalue()))
    theme_fonts = sorted(font_files(settings.chosen_theme).values())
    book = join_parts([stale.getvalue(), stale.getvalue()], theme_fonts)
    assert page_findings(book) == []


def test_no_stream_of_a_book_ends_in_a_carriage_return_before_endstream() -> None:
    # Data ending in CR, then the LF before endstream, reads as a CR LF end of line:
    # the stream looks a byte short of its /Length, which PDF/A forbids.
    import zlib

    from briefpack.render.stream_ends import unambiguous_stream_ends

    drawing = next(
        data
        for data in (b"q %d Q" % number for number in range(100_000))
        if zlib.compress(data, 9).endswith(b"\r")
    )
    pdf = pikepdf.new()
    pdf.add_blank_page()
    compressed = pdf.make_stream(zlib.compress(drawing, 9), Filter=pikepdf.Name.FlateDecode)
    raw = pdf.make_stream(b"q Q\r")
    pdf.pages[0].obj.Contents = pikepdf.Array([compressed, raw])
    written = io.BytesIO()
    pdf.save(written, compress_streams=False)
    assert written.getvalue().count(b"\r\nendstream") == 2
    mended = unambiguous_stream_ends(written.getvalue())
    assert b"\r\nendstream" not in mended
    with pikepdf.open(io.BytesIO(mended)) as again:
        streams = again.pages[0].obj.Contents
        assert [stream.read_bytes() for stream in streams] == [drawing, b"q Q\r"]
    assert unambiguous_stream_ends(mended) is mended  # nothing to do: the same bytes
    # Written again, the rest stays compressed: object streams included.
    pdf.pages[0].obj.Contents = compressed
    written = io.BytesIO()
    pdf.save(written, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    mended = unambiguous_stream_ends(written.getvalue())
    assert b"\r\nendstream" not in mended
    object_streams = re.findall(rb"<<[^>]*/Type /ObjStm[^>]*>>", mended)
    assert object_streams
    assert all(b"/FlateDecode" in dictionary for dictionary in object_streams)


def test_the_numbers_sheet_is_a_cover_page_then_one_page_per_book_page_in_the_packs_words() -> None:
    """Its HTML is hashed into the part's key: the same book, the same sheet to the byte."""
    pack = load_pack(BUNDLED_PACK)
    german = replace(pack, options=replace(pack.options, language="de"))
    settings = replace(resolve_settings(german, {}), paper="letter")

    sheet = numbers_part(german, settings, 3)

    assert sheet.html == (
        '<!DOCTYPE html><html lang="de"><head><style>@page { size: letter; } '
        ':root { --page-footer: "Seite " counter(page) " von " counter(pages); }</style>'
        '</head><body><div style="page: cover"></div>'
        + '<div style="break-before: page"></div>' * 2
        + "</body></html>"
    )
    assert numbers_part(german, settings, 1).html.count("<div") == 1
