"""Decoded page content without holes: a bomb in a page, a form, a filter or a stream listed
again and again is counted as decoded and refused at the attachment's line, by
``validate`` and ``build`` alike, naming the option that raises the limit.
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path

import pikepdf
import pytest

from briefpack.content.page_content import ContentTooLargeError, decoded_size
from briefpack.content.preread_files import AttachmentRefusedError, check_attachment

from conftest import run
from limit_pdfs import MB, bomb, deflated, pack_with, with_content


def test_a_content_stream_bomb_is_refused_at_its_line_by_validate_and_build(
    tmp_path: Path,
) -> None:
    bomb(tmp_path / "bomb.pdf", 20 * MB)
    assert (tmp_path / "bomb.pdf").stat().st_size < 100_000
    pack, lines = pack_with(tmp_path, ["bomb.pdf"])
    expected = f"{pack}:{lines[0]}:19: 'file': bomb.pdf decodes to more than 5 MB of page content; "
    started = time.perf_counter()
    code, _, err = run("validate", str(pack), "--max-attachment-stream-size", "5MB")
    assert time.perf_counter() - started < 5
    assert code == 1
    assert expected in err
    assert "raise --max-attachment-stream-size" in err
    assert "Traceback" not in err
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "--max-attachment-stream-size", "5MB"
    )
    assert code == 1
    assert expected in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "pack" / "pack.pdf").exists()
    code, _, err = run("validate", str(pack), "--max-attachment-stream-size", "30MB")
    assert code == 0, err


def test_a_gigabyte_class_bomb_is_refused_by_the_default_limit_without_decoding_it(
    tmp_path: Path,
) -> None:
    path = bomb(tmp_path / "bomb.pdf", 300 * MB)
    started = time.perf_counter()
    with pytest.raises(AttachmentRefusedError, match="more than 100 MB of page content"):
        check_attachment(path)
    # Decoding stops at the limit: a third of the stream, in chunks, well under a render.
    assert time.perf_counter() - started < 3


def test_a_bomb_in_a_form_the_page_draws_is_found(tmp_path: Path) -> None:
    def form(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        drawing = deflated(pdf, 8 * MB)
        drawing.Type = pikepdf.Name.XObject
        drawing.Subtype = pikepdf.Name.Form
        drawing.BBox = pikepdf.Array([0, 0, 595, 842])
        inner = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=pdf.make_indirect(drawing)))
        outer = pdf.make_stream(b"/Fm1 Do")
        outer.Type, outer.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        outer.BBox, outer.Resources = pikepdf.Array([0, 0, 595, 842]), inner
        return pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm0=pdf.make_indirect(outer)))

    path = with_content(tmp_path / "form.pdf", Resources=form)
    with pytest.raises(AttachmentRefusedError, match=r"form\.pdf decodes to more than 5 MB"):
        check_attachment(path, max_stream_size=5 * MB)
    check_attachment(path, max_stream_size=10 * MB)


@pytest.mark.parametrize("depth", [40, 2000])
def test_a_bomb_hidden_under_forms_nested_deeper_than_any_walk_limit_is_found(
    tmp_path: Path, depth: int
) -> None:
    # Content left uncounted below a depth limit would slip past the size limit,
    # and a deep chain must not exhaust Python's recursion either.
    def forms(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        drawing = deflated(pdf, 8 * MB)
        drawing.Type, drawing.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        drawing.BBox = pikepdf.Array([0, 0, 595, 842])
        inner = pdf.make_indirect(drawing)
        for _ in range(depth):
            outer = pdf.make_stream(b"/Fm Do")
            outer.Type, outer.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
            outer.BBox = pikepdf.Array([0, 0, 595, 842])
            outer.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm=inner))
            inner = pdf.make_indirect(outer)
        return pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm=inner))

    path = with_content(tmp_path / "deep.pdf", Resources=forms)
    with pytest.raises(AttachmentRefusedError, match=r"deep\.pdf decodes to more than 5 MB"):
        check_attachment(path, max_stream_size=5 * MB)


def test_one_stream_listed_again_and_again_is_counted_each_time(tmp_path: Path) -> None:
    def contents(pdf: pikepdf.Pdf) -> pikepdf.Array:
        once = pdf.make_indirect(deflated(pdf, MB))
        return pikepdf.Array([once] * 8)

    path = with_content(tmp_path / "repeat.pdf", Contents=contents)
    with pytest.raises(AttachmentRefusedError, match="more than 5 MB of page content"):
        check_attachment(path, max_stream_size=5 * MB)
    check_attachment(path, max_stream_size=9 * MB)


def test_run_length_and_hex_wrapped_streams_are_counted_as_decoded(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    runs = pikepdf.Stream(pdf, b"")
    runs.write(bytes([129, 32]) * 60_000 + bytes([128]), filter=pikepdf.Name.RunLengthDecode)
    assert decoded_size(runs, 10 * MB) == 128 * 60_000
    hexed = pikepdf.Stream(pdf, b"")
    deflated_spaces = zlib.compress(b" " * 3 * MB)
    hexed.write(
        deflated_spaces.hex().encode() + b">",
        filter=pikepdf.Array([pikepdf.Name.ASCIIHexDecode, pikepdf.Name.FlateDecode]),
    )
    assert decoded_size(hexed, 10 * MB) == 3 * MB
    with pytest.raises(ContentTooLargeError):
        decoded_size(hexed, 2 * MB)


def lzw(data: bytes) -> bytes:
    """``data`` LZW-encoded as PDF writes it (early change), for checking the decoder."""
    table = {bytes([value]): value for value in range(256)}
    codes, next_code, word = [(256, 9)], 258, b""

    def width() -> int:
        return min(12, max(9, next_code.bit_length()))

    for value in data:
        longer = word + bytes([value])
        if longer in table:
            word = longer
            continue
        codes.append((table[word], width()))
        table[longer], next_code, word = next_code, next_code + 1, bytes([value])
        if next_code >= 4094:
            codes.append((256, width()))
            table, next_code = {bytes([value]): value for value in range(256)}, 258
    codes += [(table[word], width()), (257, width())]
    buffer, bits, out = 0, 0, bytearray()
    for code, size in codes:
        buffer, bits = (buffer << size) | code, bits + size
        while bits >= 8:
            bits -= 8
            out.append((buffer >> bits) & 255)
            buffer &= (1 << bits) - 1
    return bytes(out) + (bytes([(buffer << (8 - bits)) & 255]) if bits else b"")


def test_the_lzw_decoder_agrees_with_qpdf_and_stops_at_the_limit() -> None:
    text = b"".join(
        b"BT /F1 12 Tf 72 %d Td (Line %d of the pre-read) Tj ET\n" % (n, n) for n in range(3000)
    )
    pdf = pikepdf.new()
    stream = pikepdf.Stream(pdf, b"")
    stream.write(lzw(text), filter=pikepdf.Name.LZWDecode)
    assert bytes(stream.read_bytes()) == text
    assert decoded_size(stream, 10 * MB) == len(text)
    with pytest.raises(ContentTooLargeError):
        decoded_size(stream, len(text) // 2)


def test_page_content_in_a_filter_that_cannot_be_bounded_is_refused(tmp_path: Path) -> None:
    def contents(pdf: pikepdf.Pdf) -> pikepdf.Stream:
        stream = pikepdf.Stream(pdf, b"")
        stream.write(b"\xff\xd8\xff", filter=pikepdf.Name.DCTDecode)
        return stream

    path = with_content(tmp_path / "odd.pdf", Contents=contents)
    with pytest.raises(AttachmentRefusedError, match=r"odd\.pdf compresses its page content with"):
        check_attachment(path)


def test_a_real_looking_500_page_pre_read_passes_the_defaults_quickly(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont="/Times")
    )
    for number in range(500):
        lines = b"".join(
            b"BT /F1 10 Tf 56 %d Td (Page %d, line %d: the quarter's figures, by region.) Tj ET\n"
            % (800 - 14 * row, number, row)
            for row in range(55)
        )
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pikepdf.Stream(pdf, zlib.compress(lines))
        page.obj.Contents.Filter = pikepdf.Name.FlateDecode
    pdf.save(tmp_path / "report.pdf")
    started = time.perf_counter()
    facts = check_attachment(tmp_path / "report.pdf")
    assert facts.pages == 500
    assert time.perf_counter() - started < 3
