"""Reading limits without holes: decoded page content, pages per pack, page sizes, git, odd files.

Every limit is refused when the pack is read, by ``validate`` and ``build``
alike, at the attachment's line, naming the option that raises it; and
every message names the file by its path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zlib
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest

from briefpack.content.attachments import AttachmentRefusedError, check_attachment
from briefpack.content.page_content import ContentTooLargeError, decoded_size

from conftest import BUNDLED_PACK, MINIMAL_PACK, run
from pdf_makers import make_pdf

MB = 1024 * 1024


def pack_with(folder: Path, files: list[str]) -> tuple[Path, list[int]]:
    """The bundled pack in ``folder`` with ``files`` attached, one to each session in turn.

    Returns the pack and the line of each attachment's ``file``.
    """
    lines = BUNDLED_PACK.read_text(encoding="utf-8").splitlines(keepends=True)
    sessions = [index for index, line in enumerate(lines) if line.startswith("        questions:")]
    for number, index in reversed(list(enumerate(sessions))):
        given = files[number :: len(sessions)]
        if given:
            items = "".join(
                f"          - file: {name}\n            title: Pre-read\n" for name in given
            )
            lines.insert(index, "        attachments:\n" + items)
    pack = folder / "pack.yaml"
    pack.write_text("".join(lines), encoding="utf-8")
    written = pack.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(written, start=1) if "- file: " in line]
    return pack, found


def with_content(path: Path, streams: list[pikepdf.Stream] | None = None, **page: object) -> Path:
    """A one-page PDF at ``path``; ``page`` sets keys of its page dictionary."""
    pdf = pikepdf.new()
    blank = pdf.add_blank_page(page_size=(595, 842))
    blank.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 760 Td (Pre-read) Tj ET")
    for key, value in page.items():
        blank.obj[f"/{key}"] = value(pdf) if callable(value) else value
    pdf.save(path)
    return path


def deflated(pdf: pikepdf.Pdf, size: int, byte: bytes = b" ") -> pikepdf.Stream:
    """A stream of ``size`` bytes of ``byte``, deflated a megabyte at a time (never held whole)."""
    compressor = zlib.compressobj(9)
    piece = byte * MB
    parts = [compressor.compress(piece) for _ in range(size // MB)]
    parts.append(compressor.compress(byte * (size % MB)) + compressor.flush())
    stream = pikepdf.Stream(pdf, b"")
    stream.write(b"".join(parts), filter=pikepdf.Name.FlateDecode)
    return stream


def bomb(path: Path, size: int) -> Path:
    """A small PDF whose one page's content stream inflates to ``size`` bytes of spaces."""
    return with_content(path, Contents=lambda pdf: deflated(pdf, size))


# ---------------------------------------------------------------- decoded page content


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


# ---------------------------------------------------------------- pages per pack


def test_the_pre_reads_of_a_pack_are_capped_in_all_at_the_one_that_goes_over(
    tmp_path: Path,
) -> None:
    make_pdf(tmp_path / "deck.pdf", 3)
    pack, lines = pack_with(tmp_path, ["deck.pdf", "deck.pdf", "deck.pdf"])
    for command in (["validate"], ["build", "-o", str(tmp_path / "out")]):
        code, _, err = run(*command, str(pack), "--max-pack-attachment-pages", "7")
        assert code == 1, err
        reported = [line for line in err.splitlines() if "--max-pack-attachment-pages" in line]
        assert reported == [
            f"{pack}:{lines[2]}:19: 'file': deck.pdf brings the pack's pre-reads to 9 pages, "
            "more than the limit of 7 (each pre-read counted each time it is attached); "
            "attach fewer, or raise --max-pack-attachment-pages"
        ]
    code, _, err = run("validate", str(pack), "--max-pack-attachment-pages", "9")
    assert code == 0, err


def test_the_default_pack_cap_is_2000_pages(tmp_path: Path) -> None:
    make_pdf(tmp_path / "long.pdf", 500)
    pack, lines = pack_with(tmp_path, ["long.pdf"] * 5)
    started = time.perf_counter()
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert f"{pack}:{lines[4]}:19: 'file': long.pdf brings the pack's pre-reads to 2500" in err
    assert err.count("--max-pack-attachment-pages") == 1
    # One file given five times is read once.
    assert time.perf_counter() - started < 5


# ---------------------------------------------------------------- page sizes


@pytest.mark.parametrize(
    ("box", "said"),
    [
        ({"MediaBox": [0, 0, 1e9, 842]}, "page 1 has a MediaBox of 1,000,000,000 by 842 pt"),
        ({"MediaBox": [0, 0, 0, 0]}, "page 1 has a MediaBox of 0 by 0 pt"),
        ({"MediaBox": [0, 0, 595, 0.5]}, "page 1 has a MediaBox of 595 by 0.5 pt"),
        ({"MediaBox": [0, 0, 14_401, 842]}, "page 1 has a MediaBox of 14,401 by 842 pt"),
        ({"MediaBox": [0, 0, "/Wide", 842]}, "page 1 has a MediaBox that is missing or not"),
        ({"MediaBox": [0, 0, 595]}, "page 1 has a MediaBox that is missing or not four"),
        ({"CropBox": [0, 0, "/Wide", 842]}, "page 1 has a CropBox that is not four numbers"),
        ({"CropBox": [0, 0, 1e9, 1e9]}, "page 1 has a CropBox of 1,000,000,000 by"),
        ({"CropBox": [0, 0, 0, 842]}, "page 1 has a CropBox of 0 by 842 pt"),
        ({"CropBox": [5000, 5000, 5600, 5800]}, "page 1 has a CropBox outside its MediaBox"),
        ({"TrimBox": [0, 0, 1e9, 842]}, "page 1 has a TrimBox of 1,000,000,000 by 842 pt"),
    ],
)
def test_a_page_of_a_size_no_reader_can_show_is_refused(
    tmp_path: Path, box: dict[str, list[object]], said: str
) -> None:
    values = {
        key: pikepdf.Array(
            [pikepdf.Name(item) if isinstance(item, str) else item for item in value]
        )
        for key, value in box.items()
    }
    path = with_content(tmp_path / "odd.pdf", **values)
    with pytest.raises(AttachmentRefusedError) as refused:
        check_attachment(path)
    assert str(refused.value).startswith(f"odd.pdf: {said}")


def test_page_sizes_are_refused_at_the_attachments_line_and_fair_ones_pass(
    tmp_path: Path,
) -> None:
    with_content(tmp_path / "huge.pdf", MediaBox=pikepdf.Array([0, 0, 1e9, 1e9]))
    # 200 in is allowed (a box with its corners reversed is not: see the tests of boxes below).
    with_content(tmp_path / "turned.pdf", MediaBox=pikepdf.Array([0, 0, 14_400, 842]))
    with_content(tmp_path / "tiny.pdf", MediaBox=pikepdf.Array([0, 0, 1, 1]))
    pack, lines = pack_with(tmp_path, ["huge.pdf", "turned.pdf", "tiny.pdf"])
    code, _, err = run("validate", str(pack))
    assert code == 1
    problems = [line for line in err.splitlines() if not line.startswith("1 of")]
    assert len(problems) == 1, err
    assert problems[0].startswith(
        f"{pack}:{lines[0]}:19: 'file': huge.pdf: page 1 has a MediaBox of 1,000,000,000 by "
    )


# ---------------------------------------------------------------- --max-size and git


def git(repository: Path, *arguments: str) -> str:
    identity = ("-c", "user.name=T", "-c", "user.email=t@example.com")
    return subprocess.run(
        ["git", "-C", str(repository), *identity, *arguments],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_an_earlier_version_from_git_over_max_size_is_refused_unread(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    pack.write_text(text + "# padding\n" * 20_000, encoding="utf-8")  # about 220 KB
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "pack.yaml")
    git(tmp_path, "commit", "-q", "-m", "large")
    pack.write_text(text, encoding="utf-8")
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "-f", "docx", "--no-sessions",
        "--changes-since", "git:HEAD", "--max-size", "100k",
    )  # fmt: skip
    assert code == 1
    assert (
        f"HEAD:{pack}: the file is 0.2 MB, over the limit of 0.1 MB for a pack "
        "(--max-size raises it)"
    ) in err
    assert "Traceback" not in err
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "-f", "docx", "--no-sessions",
        "--changes-since", "git:HEAD", "--max-size", "1MB",
    )  # fmt: skip
    assert code == 0, err


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_an_earlier_version_from_git_that_is_not_utf8_is_an_error_at_its_byte(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_bytes(b"title: Caf\xe9\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "pack.yaml")
    git(tmp_path, "commit", "-q", "-m", "latin-1")
    shutil.copy(BUNDLED_PACK, pack)
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "--changes-since", "git:HEAD"
    )
    assert code == 1
    assert f"HEAD:{pack}:1:11: the file is not UTF-8 text (byte 0xe9)" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------- messages name the file


def test_a_damaged_pre_read_is_named_by_its_path_not_by_a_buffer(tmp_path: Path) -> None:
    (tmp_path / "pre-reads").mkdir()
    whole = make_pdf(tmp_path / "whole.pdf", 2).read_bytes()
    (tmp_path / "pre-reads" / "cut.pdf").write_bytes(whole[: len(whole) // 2])
    pack, lines = pack_with(tmp_path, ["pre-reads/cut.pdf"])
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert f"{pack}:{lines[0]}:19: 'file': pre-reads/cut.pdf is damaged or truncated (" in err
    assert "BytesIO" not in err
    assert "object at 0x" not in err
    assert "<memory>" not in err


def validate_elsewhere(*arguments: str) -> subprocess.CompletedProcess[str]:
    """``briefpack validate`` in its own process: a test of what must not block cannot block."""
    return subprocess.run(
        [sys.executable, "-m", "briefpack.cli", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_or_folder_named_pdf_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.pdf")
    (tmp_path / "folder.pdf").mkdir()
    pack, lines = pack_with(tmp_path, ["pipe.pdf", "folder.pdf"])
    result = validate_elsewhere("validate", str(pack))
    assert result.returncode == 1
    assert (
        f"{pack}:{lines[0]}:19: 'file': 'pipe.pdf' is not a regular file (a named pipe)"
    ) in result.stderr
    assert (
        f"{pack}:{lines[1]}:19: 'file': 'folder.pdf' is not a regular file (a folder)"
    ) in result.stderr
    assert "no such file" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_given_where_a_pre_read_is_read_is_refused_unopened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.pdf")
    with pytest.raises(AttachmentRefusedError, match=r"pipe\.pdf cannot be read: not a regular"):
        check_attachment(tmp_path / "pipe.pdf")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_given_as_the_earlier_version_is_refused_unopened(tmp_path: Path) -> None:
    shutil.copy(BUNDLED_PACK, tmp_path / "pack.yaml")
    os.mkfifo(tmp_path / "old.yaml")
    result = validate_elsewhere(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"),
        "--changes-since", str(tmp_path / "old.yaml"),
    )  # fmt: skip
    assert result.returncode == 1
    assert f"--changes-since: '{tmp_path / 'old.yaml'}' is not a regular file (a named pipe)" in (
        result.stderr
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_given_as_a_pack_or_a_photo_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    result = validate_elsewhere("validate", str(tmp_path / "pipe.yaml"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tmp_path / 'pipe.yaml'}: not a regular file (a named pipe)")
    os.mkfifo(tmp_path / "face.png")
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        MINIMAL_PACK + "attendees:\n  - name: Dana Ruiz\n    photo: face.png\n", encoding="utf-8"
    )
    result = validate_elsewhere("validate", str(pack))
    assert result.returncode == 1
    assert f"{pack}:13:12: 'photo' 'face.png': not a regular file (a named pipe)" in result.stderr


# ---------------------------------------------------------------- pre-read content, issue 25


def form_stream(pdf: pikepdf.Pdf, stream: pikepdf.Stream, **keys: object) -> pikepdf.Stream:
    """``stream`` made a form XObject (or given ``keys``), as an indirect object."""
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    stream.BBox = pikepdf.Array([0, 0, 100, 100])
    for key, value in keys.items():
        stream[f"/{key}"] = value
    return pdf.make_indirect(stream)


def type3_font(pdf: pikepdf.Pdf, glyph: pikepdf.Stream, **keys: object) -> pikepdf.Dictionary:
    """A Type 3 font drawing ``glyph`` for ``A``, as an indirect object."""
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type3,
        FontBBox=pikepdf.Array([0, 0, 1, 1]),
        FontMatrix=pikepdf.Array([0.001, 0, 0, 0.001, 0, 0]),
        CharProcs=pikepdf.Dictionary(a=pdf.make_indirect(glyph)),
        Encoding=pikepdf.Dictionary(Differences=pikepdf.Array([65, pikepdf.Name.a])),
        FirstChar=65,
        LastChar=65,
        Widths=pikepdf.Array([500]),
        Resources=pikepdf.Dictionary(),
    )
    for key, value in keys.items():
        font[f"/{key}"] = value
    return pdf.make_indirect(font)


def hidden_bomb(pdf: pikepdf.Pdf, where: str) -> pikepdf.Dictionary:
    """Page resources hiding 8 MB of content where a walk of known places did not look."""
    bomb = deflated(pdf, 8 * MB)
    if where == "graphics state font":
        state = pikepdf.Dictionary(Font=pikepdf.Array([type3_font(pdf, bomb), 12]))
        return pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS0=state))
    if where == "descendant font":
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name.X,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([type3_font(pdf, bomb)]),
        )
        return pikepdf.Dictionary(Font=pikepdf.Dictionary(F0=font))
    if where == "shading pattern's soft mask":
        mask = pikepdf.Dictionary(S=pikepdf.Name.Luminosity, G=form_stream(pdf, bomb))
        pattern = pikepdf.Dictionary(
            Type=pikepdf.Name.Pattern,
            PatternType=2,
            Shading=pikepdf.Dictionary(ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB),
            ExtGState=pikepdf.Dictionary(SMask=mask),
        )
        return pikepdf.Dictionary(Pattern=pikepdf.Dictionary(P0=pattern))
    if where == "form in a glyph's resources":
        glyph = pdf.make_stream(b"500 0 d0 /B Do")
        font = type3_font(pdf, glyph)
        font.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(B=form_stream(pdf, bomb)))
        state = pikepdf.Dictionary(Font=pikepdf.Array([font, 12]))
        return pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS0=state))
    if where == "glyph calling itself a picture":
        bomb.Subtype = pikepdf.Name.Image
        return pikepdf.Dictionary(Font=pikepdf.Dictionary(F0=type3_font(pdf, bomb)))
    assert where == "page group's colour space"
    profile = bomb
    profile.N = 3
    return pikepdf.Dictionary(
        XObject=pikepdf.Dictionary(
            G=form_stream(
                pdf,
                pdf.make_stream(b""),
                Group=pikepdf.Dictionary(
                    S=pikepdf.Name.Transparency,
                    CS=pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_indirect(profile)]),
                ),
            )
        )
    )


@pytest.mark.parametrize(
    "where",
    [
        "graphics state font",
        "descendant font",
        "shading pattern's soft mask",
        "form in a glyph's resources",
        "glyph calling itself a picture",
        "page group's colour space",
    ],
)
def test_content_hidden_anywhere_under_a_pages_resources_is_counted(
    tmp_path: Path, where: str
) -> None:
    # Each of these slipped past a counter that looked only where forms and glyphs usually are.
    path = with_content(tmp_path / "hidden.pdf", Resources=lambda pdf: hidden_bomb(pdf, where))
    with pytest.raises(AttachmentRefusedError, match=r"hidden\.pdf decodes to more than 5 MB"):
        check_attachment(path, max_stream_size=5 * MB)
    check_attachment(path, max_stream_size=10 * MB)


def test_the_streams_of_a_pages_own_transparency_group_are_counted(tmp_path: Path) -> None:
    def group(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        profile = deflated(pdf, 8 * MB)
        profile.N = 3
        return pikepdf.Dictionary(
            S=pikepdf.Name.Transparency,
            CS=pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_indirect(profile)]),
        )

    path = with_content(tmp_path / "group.pdf", Group=group)
    with pytest.raises(AttachmentRefusedError, match="more than 5 MB of page content"):
        check_attachment(path, max_stream_size=5 * MB)
    check_attachment(path, max_stream_size=10 * MB)


def test_a_picture_is_not_counted_as_page_content(tmp_path: Path) -> None:
    def picture(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        image = deflated(pdf, 8 * MB, b"\x00")
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = 2048, 4096, 8
        image.ColorSpace = pikepdf.Name.DeviceGray
        return pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=pdf.make_indirect(image)))

    # A scanned pre-read's pictures decode to far more than its drawing: never charged.
    check_attachment(with_content(tmp_path / "scan.pdf", Resources=picture), max_stream_size=MB)


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
