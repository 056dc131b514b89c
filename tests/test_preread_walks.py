"""The walks over a pre-read's resources and the book's structure tree: each object once,
loops and deep nesting one line not a crash, only the named resources of the right
type kept; a cleaned page looks exactly as the copied one.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pikepdf
import pytest

from briefpack.model import Attachment
from briefpack.render.preread import MAX_DEPTH, DrawingCleaner, TooDeepError

from conftest import run
from pdf_makers import make_deep_pdf, make_pdf, make_smuggling_pdf
from pre_read_pdfs import line_of, pack_with_pre_read, placed


def test_a_drawing_nested_too_deep_is_refused_at_its_line_by_validate_and_build(
    tmp_path: Path,
) -> None:
    make_deep_pdf(tmp_path / "deep.pdf", 1000)
    pack = pack_with_pre_read(tmp_path, "deep.pdf")
    line = line_of(pack, "deep.pdf")
    refusal = f"deep.pdf cannot join the book: its drawing nests more than {MAX_DEPTH} levels deep"
    code, _, err = run("validate", str(pack))
    assert code == 1
    # Its warnings (untagged; its text unreadable for the reading time) aside, one refusal.
    assert [text for text in err.splitlines() if "deep.pdf" in text and "warning:" not in text] == [
        f"{pack}:{line}:13: 'file': {refusal} (page 1); print it to PDF again and attach that copy"
    ]
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "-f", "pdf")
    assert code == 1
    assert "Traceback" not in err
    assert "internal error" not in err
    refusals = [text for text in err.splitlines() if "deep.pdf" in text and "warning" not in text]
    assert refusals, err
    for text in refusals:
        assert text.startswith(f"{pack}:{line}:"), text
        assert refusal in text
    assert not (tmp_path / "out" / "pack" / "pack.pdf").exists()


def test_a_loop_among_resources_is_walked_once(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "loop.pdf", 1)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        first = pdf.make_stream(b"% /Second", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
        second = pdf.make_stream(b"% /First", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
        first.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Second=second))
        second.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(First=first))
        pdf.pages[0].obj.Resources.XObject = pikepdf.Dictionary(First=first)
        pdf.pages[0].contents_add(b"% /First\n")
        pdf.save(path)
    with pikepdf.open(path) as pdf:
        page = DrawingCleaner(pdf).page(0)
        first = page.obj.Resources.XObject.First
        assert first.Resources.XObject.Second.Resources.XObject.First.objgen == first.objgen


def test_a_chain_of_forms_within_the_limit_is_kept_whole(tmp_path: Path) -> None:
    with pikepdf.open(make_deep_pdf(tmp_path / "deep.pdf", 50)) as pdf:
        form = DrawingCleaner(pdf).page(0).obj.Resources.XObject.D
        depth = 1
        while "/Resources" in form:
            form = form.Resources.XObject.N
            depth += 1
        assert depth == 50


def test_only_the_named_resources_stay_each_with_its_kinds_keys(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "plain.pdf", 1)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        resources = pdf.pages[0].obj.Resources
        resources.Font.F1.Unknown = pikepdf.Dictionary(S=pikepdf.Name.URI)
        resources.Font.F2 = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, BaseFont=pikepdf.Name.Courier
        )
        resources.XObject = pikepdf.Dictionary(
            Im1=pdf.make_stream(
                b"\x00", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=1, Height=1,
                BitsPerComponent=8, ColorSpace=pikepdf.Name.DeviceGray,
                Metadata=pdf.make_stream(b""), Alternates=pikepdf.Array(), StructParent=3,
            )
        )  # fmt: skip
        pdf.pages[0].contents_add(b"q 10 0 0 10 0 0 cm /Im1 Do Q\n")
        pdf.save(path)
    with pikepdf.open(path) as pdf:
        kept = DrawingCleaner(pdf).page(0).obj.Resources
        assert sorted(kept.Font.keys()) == ["/F1"]
        assert sorted(kept.Font.F1.keys()) == ["/BaseFont", "/Subtype", "/Type"]
        picture = set(kept.XObject.Im1.keys())
        assert {"/Width", "/Height", "/ColorSpace", "/BitsPerComponent", "/Subtype"} <= picture
        assert not picture & {"/Metadata", "/Alternates", "/StructParent"}


def test_a_resource_of_the_wrong_type_is_dropped_not_followed(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "plain.pdf", 1)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Resources.XObject = pikepdf.Dictionary(Cat=pdf.Root, Page=pdf.pages[0].obj)
        pdf.pages[0].contents_add(b"% /Cat /Page\n")
        pdf.save(path)
    with pikepdf.open(path) as pdf:
        kept = DrawingCleaner(pdf).page(0).obj.Resources
        assert "/XObject" not in kept or len(kept.XObject) == 0
        assert "/Pages" in pdf.Root  # the source's own catalogue is left alone


def pixels(data: bytes) -> bytes:
    """The first page of ``data`` as poppler draws it, as PNG."""
    drawn = subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-singlefile", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return drawn.stdout


@pytest.mark.parametrize("maker", ["plain", "smuggling", "deep"])
def test_a_cleaned_page_looks_exactly_as_the_copied_one(tmp_path: Path, maker: str) -> None:
    source = tmp_path / "source.pdf"
    {"plain": lambda: make_pdf(source, 1), "smuggling": lambda: make_smuggling_pdf(source),
     "deep": lambda: make_deep_pdf(source, 40)}[maker]()  # fmt: skip
    assert pixels(placed(source, clean=True)) == pixels(placed(source, clean=False))


def test_a_clean_pre_read_is_placed_byte_for_byte_as_before(tmp_path: Path) -> None:
    source = make_pdf(tmp_path / "plain.pdf", 1)
    assert placed(source, clean=True) == placed(source, clean=False)


def test_an_attachment_without_a_line_is_named_by_its_path(tmp_path: Path) -> None:
    from briefpack.errors import BriefpackError
    from briefpack.model.theme import Margins
    from briefpack.render.book.pre_reads import KeptPage, finish_book

    source = make_deep_pdf(tmp_path / "deep.pdf", MAX_DEPTH)
    book = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(book)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()  # as the pack's loader takes it
    kept = [KeptPage(0, Attachment(path=source, file="deep.pdf", pages=1, digest=digest), 0)]
    with pytest.raises(BriefpackError) as refused:
        finish_book(book.getvalue(), kept, Margins(10, 10, 10, 10))
    assert str(refused.value).startswith(f"{source}: 'file': deep.pdf cannot join the book")
    with pytest.raises(TooDeepError), pikepdf.open(source) as pdf:
        DrawingCleaner(pdf).page(0)


def tagged(depth: int, loop: bool) -> pikepdf.Pdf:
    """A PDF whose structure tree is a list ``depth`` items deep, back to the top if ``loop``."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    top = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.L))
    root.K = pikepdf.Array([top])
    element = top
    for _ in range(depth):
        kid = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.LI, P=element)
        )
        element.K = pikepdf.Array([kid])
        element = kid
    element.K = pikepdf.Array([top] if loop else [])
    pdf.Root.StructTreeRoot = root
    return pdf


def test_a_loop_in_a_structure_tree_is_walked_once() -> None:
    from briefpack.render.book.join import drop_empty_elements
    from briefpack.render.tagging import label_list_items

    with tagged(5, loop=True) as pdf:
        assert label_list_items(pdf) == 5  # each item once, though the last leads to the first
        assert drop_empty_elements(pdf) == 0


def test_a_structure_tree_too_deep_is_one_line_not_a_crash() -> None:
    from briefpack.errors import BriefpackError
    from briefpack.render.book.join import drop_empty_elements
    from briefpack.render.tagging import MAX_STRUCTURE_DEPTH, label_list_items

    message = f"the PDF's structure tree nests more than {MAX_STRUCTURE_DEPTH} levels deep"
    for repair in (label_list_items, drop_empty_elements):
        with (
            tagged(MAX_STRUCTURE_DEPTH + 10, loop=False) as pdf,
            pytest.raises(BriefpackError) as refused,
        ):
            repair(pdf)
        assert str(refused.value).startswith(message)
        assert "\n" not in str(refused.value)


def test_a_glyph_named_javascript_is_renamed_and_still_drawn(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "glyphs.pdf", 1)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        glyph = pdf.make_stream(b"1000 0 0 0 750 750 d1 0 0 750 750 re f")
        pdf.pages[0].obj.Resources.Font.T3 = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3, FirstChar=65, LastChar=65,
            FontBBox=pikepdf.Array([0, 0, 750, 750]), Widths=pikepdf.Array([1000]),
            FontMatrix=pikepdf.Array([0.001, 0, 0, 0.001, 0, 0]),
            CharProcs=pikepdf.Dictionary({"/JS": glyph}),
            Encoding=pikepdf.Dictionary(Differences=pikepdf.Array([65, pikepdf.Name("/JS")])),
        )  # fmt: skip
        pdf.pages[0].contents_add(b"BT /T3 40 Tf 72 500 Td (AAA) Tj ET\n")
        pdf.save(path)
    with pikepdf.open(path) as pdf:
        font = DrawingCleaner(pdf).page(0).obj.Resources.Font.T3
        assert "/JS" not in font.CharProcs
        assert [str(name) for name in font.CharProcs] == [str(font.Encoding.Differences[1])]
    assert pixels(placed(path, clean=True)) == pixels(placed(path, clean=False))
