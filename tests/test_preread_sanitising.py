"""Pre-reads are rebuilt from what they draw: nothing that acts reaches any output.

A pre-read hides JavaScript, launch and submit actions, an embedded file and
a second catalogue behind its fonts, pictures, forms and graphics states
(tests/pdf_makers.py, ``make_smuggling_pdf``).  The book, the session's pack
and a recipient's pack are walked object by object, from qpdf's object table
and from the trailer, and none of it may be found; the pages must still read
and look as they did, and the warning must say what was left out.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from briefpack.model import Attachment
from briefpack.render.overlay import place_page
from briefpack.render.preread import MAX_DEPTH, DrawingCleaner, TooDeepError
from briefpack.render.preread_content import names_in

from conftest import BUNDLED_PACK, run
from pdf_helpers import page_texts
from pdf_makers import make_deep_pdf, make_pdf, make_smuggling_pdf

#: Keys that only an action, a script, a file or a form would have.
FORBIDDEN_KEYS = {
    "/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/AF",
    "/OpenAction", "/AA", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/AcroForm",
    "/Ref", "/OPI",
}  # fmt: skip
#: Action types (``/S``) and object types (``/Type``) that must not be found.
FORBIDDEN_NAMES = {
    "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
    "/EmbeddedFile", "/Filespec",
}  # fmt: skip
#: Strings only the smuggled objects hold.
SMUGGLED_TEXT = ("app.alert", "calc.exe", "payload", "evil.example", "other.pdf")
OUTPUTS = ("pack.pdf", "sessions/02-agentcore.pdf", "recipients/jane-doe.pdf")


def pack_with_pre_read(folder: Path, file: str) -> Path:
    """The bundled pack, with a recipient and the pre-read ``file`` under Session 2."""
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    text = text.replace("days:", "recipients:\n  - name: Jane Doe\ndays:", 1)
    at = text.index("        questions:", text.index("      - label: Session 2"))
    lines = f"        attachments:\n          - file: {file}\n            title: The memo\n"
    pack = folder / "pack.yaml"
    pack.write_text(text[:at] + lines + text[at:], encoding="utf-8")
    return pack


def line_of(pack: Path, file: str) -> int:
    return pack.read_text(encoding="utf-8").splitlines().index(f"          - file: {file}") + 1


@pytest.fixture(scope="module")
def smuggled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The smuggling pre-read built into every output: (output folder, warning prefix, stderr)."""
    root = tmp_path_factory.mktemp("smuggled")
    make_smuggling_pdf(root / "memo.pdf")
    pack = pack_with_pre_read(root, "memo.pdf")
    code, _, err = run("build", str(pack), "-o", str(root / "out"), "-f", "pdf", "--per-recipient")
    assert code == 0, err
    return root / "out" / "pack", f"{pack}:{line_of(pack, 'memo.pdf')}:19: warning: ", err


def everything(pdf: pikepdf.Pdf) -> Iterator[object]:
    """Every object in ``pdf``: its object table and all that the trailer leads to, once each."""
    pending: list[object] = [*pdf.objects, pdf.trailer]
    seen: set[tuple[int, int]] = set()
    while pending:
        thing = pending.pop()
        if isinstance(thing, pikepdf.Object) and thing.is_indirect:
            if thing.objgen in seen:
                continue
            seen.add(thing.objgen)
        yield thing
        if isinstance(thing, pikepdf.Dictionary | pikepdf.Stream):
            pending += [thing[key] for key in thing.keys()]  # noqa: SIM118 - pikepdf
        elif isinstance(thing, pikepdf.Array):
            pending += list(thing)


def drawn_names(pdf: pikepdf.Pdf) -> set[str]:
    """Every name the content streams of ``pdf``'s pages and forms use, inline dictionaries too."""
    streams = [page.obj.get("/Contents") for page in pdf.pages] + [
        thing for thing in pdf.objects if isinstance(thing, pikepdf.Stream)
        and thing.get("/Subtype") == pikepdf.Name.Form
    ]  # fmt: skip
    names = set()
    for stream in streams:
        for part in stream if isinstance(stream, pikepdf.Array) else [stream]:
            names |= names_in(part.read_bytes())
    return names


def smuggled_things(data: bytes) -> list[str]:
    """What in ``data`` would act, or came only from the smuggled objects."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found += sorted(drawn_names(pdf) & FORBIDDEN_KEYS)
        catalogues = 0
        for thing in everything(pdf):
            if isinstance(thing, pikepdf.Dictionary | pikepdf.Stream):
                keys = set(thing.keys())
                found += sorted(keys & FORBIDDEN_KEYS)
                for key in ("/S", "/Type", "/Subtype"):
                    if str(thing.get(key)) in FORBIDDEN_NAMES:
                        found.append(f"{key} {thing.get(key)}")
                catalogues += thing.get("/Type") == pikepdf.Name.Catalog
            elif isinstance(thing, pikepdf.String):
                found += [text for text in SMUGGLED_TEXT if text in str(thing)]
        if catalogues != 1:
            found.append(f"{catalogues} catalogues")
    return found


@pytest.mark.parametrize("output", OUTPUTS)
def test_no_action_script_file_or_second_catalogue_reaches_an_output(
    smuggled: tuple[Path, str, str], output: str
) -> None:
    folder, _, _ = smuggled
    assert smuggled_things((folder / output).read_bytes()) == []


@pytest.mark.parametrize("output", OUTPUTS)
def test_the_smuggling_pages_still_read_with_their_forms_text(
    smuggled: tuple[Path, str, str], output: str
) -> None:
    folder, _, _ = smuggled
    text = " ".join(page_texts((folder / output).read_bytes()))
    for expected in ("Smuggled page 1", "Smuggled page 2", "A form", "Named JavaScript"):
        assert expected in text


def test_the_warning_names_everything_that_was_left_out(smuggled: tuple[Path, str, str]) -> None:
    _, prefix, err = smuggled
    # The one warning about what was left out; the smuggler is also untagged, which
    # has a warning of its own (tests/test_preread_tags.py).
    warnings = [
        line
        for line in err.splitlines()
        if line.startswith(prefix) and "is not a tagged PDF" not in line
    ]
    assert len(warnings) == 1, err
    warning = warnings[0]
    assert warning.endswith("the book keeps its pages and leaves those out")
    for what in (
        "JavaScript", "an open action", "page actions", "automatic actions", "launch actions",
        "actions that send or load form data", "links into other files", "embedded files",
        "a second catalog", "form fields",
    ):  # fmt: skip
        assert what in warning, what


def test_the_walk_checker_sees_what_the_old_copy_let_through(tmp_path: Path) -> None:
    """The check is not blind: the page copied whole, as before, carries all of it."""
    source = make_smuggling_pdf(tmp_path / "memo.pdf")
    with pikepdf.open(source) as pdf:
        book = pikepdf.new()
        book.add_blank_page()
        place_page(book.pages[0], pdf.pages[0], pikepdf.Rectangle(0, 0, 612, 792), "P", True)
        output = io.BytesIO()
        book.save(output)
    found = set(smuggled_things(output.getvalue()))
    assert {
        "/JS",
        "/EF",
        "/AA",
        "/OpenAction",
        "/JavaScript",
        "/S /Launch",
        "2 catalogues",
    } <= found


def test_a_drawing_nested_too_deep_is_refused_at_its_line_by_validate_and_build(
    tmp_path: Path,
) -> None:
    make_deep_pdf(tmp_path / "deep.pdf", 1000)
    pack = pack_with_pre_read(tmp_path, "deep.pdf")
    line = line_of(pack, "deep.pdf")
    refusal = f"deep.pdf cannot join the book: its drawing nests more than {MAX_DEPTH} levels deep"
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert [
        text for text in err.splitlines() if "deep.pdf" in text and "not a tagged PDF" not in text
    ] == [
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


def placed(source: Path, clean: bool) -> bytes:
    with pikepdf.open(source) as pdf:
        page = DrawingCleaner(pdf).page(0) if clean else pdf.pages[0]
        book = pikepdf.new()
        book.add_blank_page(page_size=(595, 842))
        place_page(book.pages[0], page, pikepdf.Rectangle(0, 0, 595, 842), "P", True)
        output = io.BytesIO()
        book.save(output, deterministic_id=True)
        return output.getvalue()


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
    from briefpack.render.attachments import KeptPage, finish_book

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


# ---------------------------------------------------------------- the book's own structure walks


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
    from briefpack.render.book import drop_empty_elements
    from briefpack.render.tagging import label_list_items

    with tagged(5, loop=True) as pdf:
        assert label_list_items(pdf) == 5  # each item once, though the last leads to the first
        assert drop_empty_elements(pdf) == 0


def test_a_structure_tree_too_deep_is_one_line_not_a_crash() -> None:
    from briefpack.errors import BriefpackError
    from briefpack.render.book import drop_empty_elements
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


# ---------------------------------------------------------------- round 2: what the attacker found


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
    from briefpack.render.attachments import KeptPage, finish_book

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
from briefpack.render.attachments import KeptPage, finish_book

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
    from briefpack.render.attachments import KeptPage, finish_book

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


#: Names of media, forms and actions that must not survive anywhere in the book.
ODD_NAMES = {
    "/RichMedia", "/3D", "/XFA", "/Sound", "/Rendition", "/Movie", "/Hide", "/Trans",
    "/GoTo3DView", "/Named", "/ResetForm", "/Thread", "/EmbeddedFiles", "/SetOCGState",
}  # fmt: skip


def make_odd_names_pdf(path: Path) -> Path:
    """A page whose picture, glyphs, glyph names, colorants and fonts are named like media."""
    make_pdf(path, 1)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        name = pikepdf.Name
        resources = pdf.pages[0].obj.Resources
        resources.XObject = pikepdf.Dictionary(
            {"/RichMedia": pdf.make_stream(b"0 0 1 1 re f", Type=name.XObject,
             Subtype=name.Form, BBox=[0, 0, 1, 1])}
        )  # fmt: skip
        glyph = pdf.make_stream(b"1000 0 0 0 750 750 d1 0 0 750 750 re f")
        resources.Font.T3 = pikepdf.Dictionary(
            Type=name.Font, Subtype=name.Type3, FirstChar=65, LastChar=68,
            FontBBox=[0, 0, 750, 750], Widths=[1000] * 4, FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
            CharProcs=pikepdf.Dictionary({"/XFA": glyph, "/Sound": glyph, "/3D": glyph}),
            Encoding=pikepdf.Dictionary(
                Differences=[65, name("/XFA"), name("/Sound"), name("/3D"), name("/Rendition")]
            ),
        )  # fmt: skip
        resources.Font.F2 = pikepdf.Dictionary(
            Type=name.Font, Subtype=name.Type1, BaseFont=name("/Movie")
        )
        resources.Font.F3 = pikepdf.Dictionary(
            Type=name.Font, Subtype=name("/RichMedia"), BaseFont=name("/RichMedia")
        )
        tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0], C1=[1, 1, 1], N=1)
        separation = pikepdf.Array([name.Separation, name("/Hide"), name.DeviceRGB, tint])
        resources.ColorSpace = pikepdf.Dictionary(
            CS0=pikepdf.Array([
                name.DeviceN, [name("/RichMedia"), name("/Trans")], name.DeviceRGB, tint,
                pikepdf.Dictionary(Colorants=pikepdf.Dictionary({"/Named": separation})),
            ])
        )  # fmt: skip
        pdf.pages[0].contents_add(
            b"q /CS0 cs 1 1 scn 0 0 10 10 re f Q /RichMedia Do "
            b"BT /T3 40 Tf 72 500 Td (ABCD) Tj /F2 9 Tf (x) Tj /F3 9 Tf (y) Tj ET\n"
        )
        pdf.save(path)
    return path


def odd_names_in(data: bytes) -> set[str]:
    """The names of :data:`ODD_NAMES` anywhere in ``data``: keys, values, content streams."""
    found = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found |= drawn_names(pdf) & ODD_NAMES
        for thing in everything(pdf):
            if isinstance(thing, pikepdf.Dictionary | pikepdf.Stream):
                found |= set(thing.keys()) & ODD_NAMES
            elif isinstance(thing, pikepdf.Name) and str(thing) in ODD_NAMES:
                found.add(str(thing))
    return found


def test_names_of_media_and_forms_are_absent_from_every_object_of_the_book(
    tmp_path: Path,
) -> None:
    source = make_odd_names_pdf(tmp_path / "odd.pdf")
    assert odd_names_in(placed(source, clean=False)) == ODD_NAMES - {
        "/GoTo3DView", "/ResetForm", "/Thread", "/EmbeddedFiles", "/SetOCGState",
    }  # fmt: skip
    assert odd_names_in(placed(source, clean=True)) == set()


def test_a_font_of_a_subtype_no_font_has_is_dropped(tmp_path: Path) -> None:
    source = make_odd_names_pdf(tmp_path / "odd.pdf")
    with pikepdf.open(source) as pdf:
        fonts = DrawingCleaner(pdf).page(0).obj.Resources.Font
        assert set(fonts.keys()) == {"/F1", "/F2", "/T3"}
        assert fonts.F2.BaseFont != pikepdf.Name("/Movie")


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
