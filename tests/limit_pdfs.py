"""Packs and PDFs made to meet the reading limits: pre-reads with given page content, bombs, forms.

Shared by the limits tests (``test_content_bombs``, ``test_hidden_content``,
``test_odd_pre_reads``, ``test_pack_limits``), so that each makes its hostile
PDF the same way.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf

from conftest import BUNDLED_PACK

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


def form_stream(pdf: pikepdf.Pdf, stream: pikepdf.Stream, **keys: object) -> pikepdf.Stream:
    """``stream`` made a form XObject (or given ``keys``), as an indirect object."""
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    stream.BBox = pikepdf.Array([0, 0, 100, 100])
    for key, value in keys.items():
        stream[f"/{key}"] = value
    return pdf.make_indirect(stream)
