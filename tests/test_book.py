"""A book from parts (work in progress, issue 18): tagged parts joined into one PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from briefpack.build.settings import resolve_settings
from briefpack.content.validate import load_pack
from briefpack.render.book import join_parts
from briefpack.render.pdf import render_pdf

from conftest import BUNDLED_PACK
from pdf_helpers import outline


@pytest.fixture(scope="module")
def joined() -> bytes:
    pack = load_pack(BUNDLED_PACK)
    settings = resolve_settings(pack, {})
    parts = [render_pdf(pack, replace(settings, session=s.id)).data for s in pack.sessions]
    fonts = sorted(settings.chosen_theme.folder.rglob("*.ttf"))
    book = join_parts(parts, fonts)
    assert join_parts(parts, fonts) == book  # the same parts, the same bytes
    return book


def test_the_parts_share_one_program_per_font(joined: bytes) -> None:
    with pikepdf.open(io.BytesIO(joined)) as book:
        programs = {
            descriptor.FontFile2.objgen
            for thing in book.objects
            if isinstance(thing, pikepdf.Dictionary) and thing.get("/Type") == "/FontDescriptor"
            for descriptor in [thing]
            if "/FontFile2" in descriptor
        }
        assert len(book.pages) == 16
    assert len(programs) == 5


def test_the_book_has_one_structure_tree_and_one_outline(joined: bytes) -> None:
    pack = load_pack(BUNDLED_PACK)
    with pikepdf.open(io.BytesIO(joined)) as book:
        document = book.Root.StructTreeRoot.K
        document = document[0] if isinstance(document, pikepdf.Array) else document
        assert str(document.S) == "/Document"
        keys = [
            int(key) for key, _ in pikepdf.NumberTree(book.Root.StructTreeRoot.ParentTree).items()
        ]
        assert len(keys) == len(set(keys))
        parents = sorted(int(page.obj.StructParents) for page in book.pages)
        assert len(parents) == len(set(parents))
    titles = [entry.title for entry in outline(joined)]
    assert len(titles) == len(pack.sessions)


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs Poppler's pdfinfo")
def test_the_book_passes_the_pdf_ua_checker(joined: bytes, tmp_path: Path) -> None:
    pytest.importorskip("outloud")
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(joined)
    tree = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert tree.index('"DevOps Culture at Amazon"') < tree.index('"AgentCore"')
    checked = subprocess.run(
        [sys.executable, "-m", "outloud.cli", "--fail-on", "error", "-q", str(pdf)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout
