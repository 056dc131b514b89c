"""What the attacker found in round 2: a pre-read changed or swapped for a FIFO after
loading, content that cannot be decoded, a content stream cut short; each refused
at the attachment, at once, with no Python warning.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zlib
from pathlib import Path

import pikepdf
import pytest

from briefpack.model import Attachment

from conftest import run
from pdf_makers import make_pdf
from pre_read_pdfs import line_of, pack_with_pre_read


def one_page_book() -> bytes:
    book = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(book)
    return book.getvalue()


def test_a_pre_read_changed_after_loading_is_refused_not_drawn(tmp_path: Path) -> None:
    """The book opens the bytes checked at load, never the path again: an edit is one line."""
    from briefpack.content.validate import load_pack
    from briefpack.errors import BriefpackError
    from briefpack.model.theme import Margins
    from briefpack.render.book.pre_reads import KeptPage, finish_book

    make_pdf(tmp_path / "memo.pdf", 1)
    pack = pack_with_pre_read(tmp_path, "memo.pdf")
    attachment = load_pack(pack).attachments[0]
    make_pdf(tmp_path / "memo.pdf", 1, text="Swapped in after the check")
    with pytest.raises(BriefpackError) as refused:
        finish_book(one_page_book(), [KeptPage(0, attachment, 0)], Margins(10, 10, 10, 10))
    assert str(refused.value) == (
        f"{pack}:{line_of(pack, 'memo.pdf')}:13: 'memo.pdf' changed since the pack was read; "
        "build again"
    )


#: Loads the pack, puts a FIFO where its pre-read was, and finishes a book with it.
FIFO_SWAP = """
import os, sys
from pathlib import Path
from briefpack.content.validate import load_pack
from briefpack.errors import BriefpackError
from briefpack.model.theme import Margins
from briefpack.render.book.pre_reads import KeptPage, finish_book

attachment = load_pack(Path(sys.argv[1])).attachments[0]
os.remove(attachment.path)
os.mkfifo(attachment.path)
try:
    finish_book(bytes.fromhex(sys.argv[2]), [KeptPage(0, attachment, 0)], Margins(10, 10, 10, 10))
except BriefpackError as error:
    print(error)
"""


def test_a_pre_read_swapped_for_a_fifo_fails_at_once_rather_than_hanging(tmp_path: Path) -> None:
    make_pdf(tmp_path / "memo.pdf", 1)
    pack = pack_with_pre_read(tmp_path, "memo.pdf")
    done = subprocess.run(
        [sys.executable, "-c", FIFO_SWAP, str(pack), one_page_book().hex()],
        capture_output=True,
        text=True,
        timeout=60,  # before the fix, opening the FIFO waited for a writer forever
        check=True,
    )
    assert done.stdout.strip().endswith("'memo.pdf' changed since the pack was read; build again")


def pre_read_drawn_by(path: Path, raw: bytes, parameters: dict[str, int] | None) -> Path:
    """A one-page PDF whose content stream is ``raw``, Flate-encoded with ``parameters``."""
    make_pdf(path, 1)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        stream = pdf.make_stream(b"")
        stream.write(
            raw,
            filter=pikepdf.Name.FlateDecode,
            decode_parms=None if parameters is None else pikepdf.Dictionary(parameters),
        )
        pdf.pages[0].obj.Contents = stream
        pdf.save(path, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return path


#: Content streams no decoder can read: (raw bytes, decoding parameters, why it is refused).
UNREADABLE_CONTENT = {
    "negative columns": (zlib.compress(b"\0" * 100), {"/Predictor": 12, "/Columns": -5}, "-5 col"),
    "huge columns": (
        zlib.compress(b"\0" * 100),
        {"/Predictor": 12, "/Columns": 2147483647, "/Colors": 60},
        "2147483647 columns",
    ),
    "a row of 100 GB": (
        zlib.compress(b"\0" * 100),
        {"/Predictor": 12, "/Columns": 99999999999},
        "99999999999 columns",
    ),
    "3 bits a component": (
        zlib.compress(b"\0" * 100),
        {"/Predictor": 12, "/BitsPerComponent": 3},
        "invalid bits_per_sample",
    ),
    "no colours": (
        zlib.compress(b"\0" * 100),
        {"/Predictor": 2, "/Colors": 0, "/Columns": 1},
        "0 colours",
    ),
    "damaged data": (b"not zlib at all" * 10, None, "incorrect header check"),
}


@pytest.mark.parametrize("case", UNREADABLE_CONTENT)
def test_content_that_cannot_be_decoded_is_refused_at_the_attachment(
    tmp_path: Path, case: str
) -> None:
    from briefpack.errors import BriefpackError
    from briefpack.model.theme import Margins
    from briefpack.render.book.pre_reads import KeptPage, finish_book

    raw, parameters, why = UNREADABLE_CONTENT[case]
    source = pre_read_drawn_by(tmp_path / "memo.pdf", raw, parameters)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    attachment = Attachment(path=source, file="memo.pdf", pages=1, digest=digest)
    with pytest.raises(BriefpackError) as refused:
        finish_book(one_page_book(), [KeptPage(0, attachment, 0)], Margins(10, 10, 10, 10))
    message = str(refused.value)
    assert message.startswith(
        f"{source}: 'file': memo.pdf cannot join the book: its content cannot be read ("
    )
    assert why in message
    assert message.endswith("(page 1); print it to PDF again and attach that copy")


@pytest.mark.parametrize("case", ["negative columns", "damaged data"])
def test_a_build_with_undecodable_content_says_so_at_the_attachment(
    tmp_path: Path, case: str
) -> None:
    raw, parameters, _ = UNREADABLE_CONTENT[case]
    pre_read_drawn_by(tmp_path / "memo.pdf", raw, parameters)
    pack = pack_with_pre_read(tmp_path, "memo.pdf")
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "-f", "pdf")
    assert code == 1
    assert "internal error" not in err
    assert "Traceback" not in err
    refusals = [text for text in err.splitlines() if "memo.pdf" in text and "warning" not in text]
    assert refusals, err
    for text in refusals:
        assert text.startswith(f"{pack}:{line_of(pack, 'memo.pdf')}:"), text


def test_a_content_stream_cut_short_prints_no_python_warning(tmp_path: Path) -> None:
    # A stream that names /JS is parsed to be written again; one cut short made
    # pikepdf warn, and the warning reached the terminal as two lines of its own.
    source = make_pdf(tmp_path / "cut.pdf", 1)
    with pikepdf.open(source, allow_overwriting_input=True) as pdf:
        pdf.pages[0].contents_add(b"q /JS gs [ 1 2 3", prepend=False)
        pdf.save(source)
    pack = pack_with_pre_read(tmp_path, "cut.pdf")
    _, _, err = run("validate", str(pack))
    assert "Warning" not in err
    assert "Traceback" not in err
    assert "internal error" not in err
    _, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "-f", "pdf", "--no-sessions")
    assert "Warning" not in err, err
    assert "internal error" not in err, err
