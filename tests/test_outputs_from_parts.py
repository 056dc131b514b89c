"""Session and reader packs made from the full pack's parts: the same pages, the same bytes.

Each session's part is rendered once per build and shared by the full pack,
the session's own pack and every reader's pack that shows it.  These tests
hold the result against the earlier way (``--single-documents``: each PDF
one WeasyPrint document), on the board pack (three days, pre-reads, photos,
Greek names, readers with exclusions) in German on Letter paper.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from briefpack.build.chosen_settings import resolve_settings
from briefpack.content.validate import load_pack
from briefpack.model.changes import compare, session_changed
from briefpack.render.book.parts import plan_book

import board_pack
from conftest import run
from pdf_helpers import outline, page_texts

#: German on Letter paper: words and page sizes other than the bundled pack's.
OPTIONS = {"language": "de", "paper": "letter"}
#: The reader who does not get the audit session, and the session they do not get.
READER, LEFT_OUT = "jose-nunez", "audit"


def build(pack: Path, out: Path, *extra: str) -> None:
    """Build ``pack``'s PDFs, session packs and readers' packs into ``out``."""
    code, _, err = run("build", str(pack), "-o", str(out), "-f", "pdf", "--per-recipient", *extra)
    assert code == 0, err


def pdfs(out: Path) -> dict[str, bytes]:
    """Every PDF of the board pack's folder, by its path in it."""
    folder = out / board_pack.NAME
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*.pdf")
    }


def destinations(data: bytes) -> dict[str, int]:
    """Each named destination and the page it leads to."""
    with pikepdf.open(io.BytesIO(data)) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
        names = document.Root.get("/Names")
        if names is None or "/Dests" not in names:
            return {}
        return {
            name: pages[destination[0].objgen]
            for name, destination in pikepdf.NameTree(names.Dests).items()
        }


def links(data: bytes) -> list[list[str]]:
    """Each page's links: the URI or the named destination each leads to."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as document:
        for page in document.pages:
            here = []
            for annotation in page.obj.get("/Annots", []):
                action = annotation.get("/A")
                target = annotation.get("/Dest")
                if action is not None:
                    target = action.get("/URI", action.get("/D"))
                here.append(str(target))
            found.append(here)
    return found


@pytest.fixture(scope="module")
def ways(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The board pack's PDFs made from parts with -j1 and -j2, and as single documents."""
    folder = tmp_path_factory.mktemp("board")
    pack = board_pack.write_board_pack(folder, OPTIONS)
    made = {}
    for name, extra in {
        "parts-j1": ("-j", "1"),
        "parts-j2": ("-j", "2"),
        "single": ("-j", "2", "--single-documents"),
    }.items():
        out = folder / name
        build(pack, out, *extra)
        made[name] = pdfs(out)
    return made


def test_every_output_is_made_in_both_ways(ways: dict[str, dict[str, bytes]]) -> None:
    names = set(ways["single"])
    assert {name.split("/")[0] for name in names} == {"board.pdf", "sessions", "recipients"}
    assert set(ways["parts-j1"]) == names
    assert set(ways["parts-j2"]) == names


def test_session_and_reader_packs_are_the_same_bytes_with_one_worker_or_two(
    ways: dict[str, dict[str, bytes]],
) -> None:
    for name, data in ways["parts-j1"].items():
        assert ways["parts-j2"][name] == data, name


@pytest.mark.parametrize("part", ["sessions", "recipients", "board.pdf"])
def test_every_page_reads_as_in_the_single_document(
    ways: dict[str, dict[str, bytes]], part: str
) -> None:
    compared = 0
    for name, single in ways["single"].items():
        if not name.startswith(part):
            continue
        made = ways["parts-j2"][name]
        # Page for page, the "Seite X von Y" footers included.
        assert page_texts(made) == page_texts(single), name
        assert outline(made) == outline(single), name
        assert links(made) == links(single), name
        assert destinations(made) == destinations(single), name
        compared += 1
    assert compared >= 1


def test_a_session_pack_has_the_pages_of_its_session_in_the_full_pack(
    ways: dict[str, dict[str, bytes]],
) -> None:
    made = ways["parts-j2"]
    book = page_texts(made["board.pdf"])
    for name, data in made.items():
        if not name.startswith("sessions/"):
            continue
        # After its cover (and attendees), every page is the full pack's, but its footer.
        pages = [_without_footer(text) for text in page_texts(data)]
        body = pages[-1]
        assert any(body == _without_footer(page) for page in book), name


def _without_footer(text: str) -> str:
    return re.sub(r"Seite \d+ von \d+", "", text)


def _all_objects(data: bytes) -> bytes:
    """Every object of the PDF, streams inflated, as one run of bytes to search."""
    with pikepdf.open(io.BytesIO(data)) as document:
        chunks = []
        for item in document.objects:
            chunks.append(repr(item).encode("utf-8", "replace"))
            if isinstance(item, pikepdf.Stream):
                try:
                    chunks.append(item.read_bytes())
                except pikepdf.PdfError:
                    chunks.append(item.read_raw_bytes())
        return b"\n".join(chunks)


def test_a_readers_pack_keeps_no_trace_of_a_session_left_out(
    ways: dict[str, dict[str, bytes]],
) -> None:
    data = ways["parts-j2"][f"recipients/{READER}.pdf"]
    everything = _all_objects(data)
    # The search finds what is there: a session the reader gets, by its anchor.
    assert b"session-" in everything
    # Its anchors (destinations, links, structure), its title in any string of the file.
    assert f"session-{LEFT_OUT}".encode() not in everything
    title = next(
        session["title"]
        for day in board_pack.board_pack()["days"]
        for session in day["sessions"]
        if session["id"] == LEFT_OUT
    )
    for encoded in (title.encode("latin-1", "ignore"), title.encode("utf-16-be")):
        assert encoded not in everything
    assert all(title not in page for page in page_texts(data))
    assert all(title not in entry.title for entry in _flat(outline(data)))
    # Nothing the file does not use: every object is reachable from its trailer.
    assert _unreachable(data) == 0


def _flat(entries: tuple[object, ...]) -> list[object]:
    flat = []
    for entry in entries:
        flat.append(entry)
        flat += _flat(getattr(entry, "children", ()))
    return flat


def _unreachable(data: bytes) -> int:
    """How many objects of the file nothing refers to: qpdf writes only what is reached."""
    with pikepdf.open(io.BytesIO(data)) as document:
        total = len(_content_objects(document))
        output = io.BytesIO()
        document.save(output, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    with pikepdf.open(io.BytesIO(output.getvalue())) as saved:
        return total - len(_content_objects(saved))


def _content_objects(document: pikepdf.Pdf) -> list[object]:
    """The file's objects but the containers of its layout (object and xref streams)."""
    layout = (pikepdf.Name.ObjStm, pikepdf.Name.XRef)
    return [
        item
        for item in document.objects
        if item.is_indirect
        and not (isinstance(item, pikepdf.Stream) and item.get("/Type") in layout)
    ]


def test_a_readers_mark_is_one_drawing_that_every_page_names(
    ways: dict[str, dict[str, bytes]],
) -> None:
    data = ways["parts-j2"][f"recipients/{READER}.pdf"]
    with pikepdf.open(io.BytesIO(data)) as document:
        marks = set()
        for page in document.pages:
            for name, drawing in page.obj.Resources.XObject.items():
                if name.startswith("/BriefpackMark"):
                    marks.add(drawing.objgen)
        assert len(document.pages) > 3
    assert len(marks) == 1


def test_force_renders_every_part_again(tmp_path: Path) -> None:
    pack = board_pack.write_board_pack(tmp_path / "pack", OPTIONS)
    out = tmp_path / "out"
    build(pack, out, "--no-per-recipient")
    clean = pdfs(out)
    # A kept part swapped for another (still a readable part): only a render sees it.
    parts = sorted((out / ".briefpack-parts" / board_pack.NAME).glob("*.part"))
    largest, smallest = max(parts, key=_size), min(parts, key=_size)
    largest.write_bytes(smallest.read_bytes())
    build(pack, out, "--no-per-recipient", "--force")
    assert pdfs(out) == clean


def _size(path: Path) -> int:
    return path.stat().st_size


def test_an_edit_rebuilds_the_same_bytes_as_a_clean_build(tmp_path: Path) -> None:
    pack = board_pack.write_board_pack(tmp_path / "pack", OPTIONS)
    out = tmp_path / "out"
    build(pack, out)
    text = pack.read_text(encoding="utf-8")
    edited = text.replace("refinancing", "refinancing and disposal", 1)
    assert edited != text
    pack.write_text(edited, encoding="utf-8")
    build(pack, out)
    clean = tmp_path / "clean"
    build(pack, clean)
    assert pdfs(out) == pdfs(clean)


def test_the_parts_of_a_session_removed_from_the_pack_are_removed(tmp_path: Path) -> None:
    pack = board_pack.write_board_pack(tmp_path / "pack", OPTIONS)
    out = tmp_path / "out"
    build(pack, out, "--no-per-recipient")
    kept = out / ".briefpack-parts" / board_pack.NAME
    before = {path.name for path in kept.glob("*.part")}
    data = board_pack.board_pack()
    data["recipients"] = [
        {**reader, "exclude": [name for name in reader.get("exclude", []) if name != LEFT_OUT]}
        for reader in data["recipients"]
    ]
    for day in data["days"]:
        day["sessions"] = [s for s in day["sessions"] if s["id"] != LEFT_OUT]
    data["days"] = [day for day in data["days"] if day["sessions"]]
    pack.write_text(board_pack.dump(data, OPTIONS), encoding="utf-8")
    build(pack, out, "--no-per-recipient")
    after = {path.name for path in kept.glob("*.part")}
    assert after < before | after
    assert before - after  # the left-out session's part, its pack's front and numbers
    # What is kept is what a rebuild needs: nothing is rendered again.
    code, stdout, err = run("build", str(pack), "-o", str(out), "-f", "pdf", "--no-per-recipient")
    assert code == 0, err
    assert "0 written" in stdout + err


def test_a_changes_pack_reuses_the_part_of_every_session_that_did_not_change(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "pack"
    pack = load_pack(board_pack.write_board_pack(folder, OPTIONS))
    earlier = load_pack(board_pack.write_earlier_copy(folder, OPTIONS))
    settings = resolve_settings(pack, {})
    marked = compare(earlier, pack)
    since = replace(settings, changes_since="board-earlier.yaml", changes_date=dt.date(2026, 5, 1))
    clean = {spec.name: spec.key for spec in plan_book(pack, settings).sessions}
    changes = {spec.name: spec.key for spec in plan_book(marked, since).sessions}
    changed = {session.id for session in marked.sessions if session_changed(session)}
    assert changed  # the earlier copy differs in some sessions, not all
    assert changed < set(changes)
    kept = {name for name, key in changes.items() if clean.get(name) == key}
    assert kept == set(changes) - changed


@pytest.fixture(scope="module")
def changes_ways(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The board pack's change-marked PDFs from parts, and as single documents."""
    folder = tmp_path_factory.mktemp("changes")
    pack = board_pack.write_board_pack(folder, OPTIONS)
    earlier = board_pack.write_earlier_copy(folder, OPTIONS)
    made = {}
    for name, extra in {"parts": (), "single": ("--single-documents",)}.items():
        out = folder / name
        build(pack, out, "--no-per-recipient", "--changes-since", str(earlier), *extra)
        made[name] = {key: data for key, data in pdfs(out).items() if ".changes." in key}
    return made


def test_a_changes_pack_reads_as_the_single_document(
    changes_ways: dict[str, dict[str, bytes]],
) -> None:
    single = changes_ways["single"]
    assert "board.changes.pdf" in single
    assert any(name.startswith("sessions/") for name in single)
    assert set(changes_ways["parts"]) == set(single)
    for name, data in changes_ways["parts"].items():
        # Its changes page numbered in roman, the pack's pages as the clean pack's.
        assert page_texts(data) == page_texts(single[name]), name
        assert outline(data) == outline(single[name]), name
        assert links(data) == links(single[name]), name
        # One document marks the end of the pack's pages to count them; a book needs not.
        places = destinations(single[name])
        places.pop("pack-end", None)
        assert destinations(data) == places, name


def test_a_readers_exclusions_edited_rebuild_their_pack_alone(tmp_path: Path) -> None:
    pack = board_pack.write_board_pack(tmp_path / "pack", OPTIONS)
    out = tmp_path / "out"
    build(pack, out)
    before = pdfs(out)
    data = board_pack.board_pack()
    data["recipients"] = [
        {**reader, "exclude": ["opening", "digital"]} if "digital" in reader.get("exclude", ())
        else reader
        for reader in data["recipients"]
    ]  # fmt: skip
    pack.write_text(board_pack.dump(data, OPTIONS), encoding="utf-8")
    code, stdout, err = run("build", str(pack), "-o", str(out), "-f", "pdf", "--per-recipient")
    assert code == 0, err
    assert "1 written" in stdout + err
    after = pdfs(out)
    assert [name for name in after if after[name] != before[name]] == [
        "recipients/zoe-bronte-lukasiewicz.pdf"
    ]
