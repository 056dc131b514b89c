"""Pre-reads are rebuilt from what they draw: nothing that acts reaches any output.

A pre-read hides JavaScript, launch and submit actions, an embedded file and
a second catalogue behind its fonts, pictures, forms and graphics states
(tests/pdf_makers.py, ``make_smuggling_pdf``).  The book, the session's pack
and a recipient's pack are walked object by object, from qpdf's object table
and from the trailer, and none of it may be found; the pages must still read
and look as they did, and the warning must say what was left out.  Names of
media and forms are gone from every object of the book too.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from briefpack.render.book.overlay import place_page
from briefpack.render.preread import DrawingCleaner
from briefpack.render.preread_content import names_in

from conftest import run
from pdf_helpers import page_texts
from pdf_makers import make_pdf, make_smuggling_pdf
from pre_read_pdfs import line_of, pack_with_pre_read, placed

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
