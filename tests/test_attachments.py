"""Pre-reads: attached PDFs follow their session's questions in one book, numbered through."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import docx
import pikepdf
import pytest

from conftest import BUNDLED_PACK, run
from pdf_helpers import outline, page_texts
from pdf_makers import make_pdf

TITLE = "AgentCore architecture overview"


def pack_with(folder: Path, attachments: str, session: str = "      - label: Session 2") -> Path:
    """The bundled pack in ``folder``, with ``attachments`` (YAML lines) under a session."""
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    start = text.index(session)
    at = text.index("        questions:", start)
    pack = folder / "pack.yaml"
    pack.write_text(text[:at] + attachments + text[at:], encoding="utf-8")
    return pack


def attachment_lines(file: str, title: str = TITLE, divider: bool = True) -> str:
    lines = f"        attachments:\n          - file: {file}\n            title: {title}\n"
    return lines if divider else lines + "            divider: false\n"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled pack with a three-page pre-read under Session 2, built: its output folder."""
    root = tmp_path_factory.mktemp("book")
    (root / "pre-reads").mkdir()
    make_pdf(root / "pre-reads" / "agentcore.pdf", 3)
    pack = pack_with(root, attachment_lines("pre-reads/agentcore.pdf"))
    code, _, err = run("build", str(pack), "-o", str(root / "out"))
    assert code == 0, err
    return root / "out" / "pack"


def test_the_pre_read_follows_its_sessions_questions_with_continuous_pages(book: Path) -> None:
    pages = page_texts((book / "pack.pdf").read_bytes())
    assert len(pages) == 15 + 1 + 3  # the pack, a divider, three attachment pages
    divider = next(n for n, page in enumerate(pages) if page.startswith(f"PRE-READ {TITLE}"))
    assert "Amanda Lester" not in pages[divider]
    assert "3 pages · pre-reads/agentcore.pdf" in pages[divider]
    # Session 2's last question comes just before; Session 3 just after.
    assert "Observability and Cost Tracking for Multi-Agent Systems" in pages[divider - 1]
    assert "Session 3" in pages[divider + 4]
    for number in range(1, 4):
        page = pages[divider + number]
        assert f"Attachment page {number}" in page
        # Stamped with the book's running header and footer, drawn over the page.
        assert "Questions for AWS Developer Experience Sessions Session 2: AgentCore" in page
        assert page.endswith(f"Page {divider + number + 1} of {len(pages)}")


def test_the_contents_and_the_outline_lead_to_the_pre_read(book: Path) -> None:
    data = (book / "pack.pdf").read_bytes()
    pages = page_texts(data)
    divider = next(n for n, page in enumerate(pages) if page.startswith(f"PRE-READ {TITLE}")) + 1
    entry = pages[2].split(f"Pre-read: {TITLE}", 1)[1].split()[0]
    assert entry == str(divider)
    sessions = [session for day in outline(data) for session in day.children]
    agentcore = next(session for session in sessions if session.title == "Session 2: AgentCore")
    assert agentcore.children[-1].title == TITLE
    assert agentcore.children[-1].page == divider


def test_the_session_pack_carries_its_pre_read_and_the_others_do_not(book: Path) -> None:
    own = page_texts((book / "sessions" / "02-agentcore.pdf").read_bytes())
    assert "Attachment page 3" in own[-1]
    assert own[-1].endswith(f"Page {len(own)} of {len(own)}")
    other = page_texts((book / "sessions" / "01-devops-culture-at-amazon.pdf").read_bytes())
    assert "Attachment page" not in " ".join(other)


def test_at_a_glance_counts_the_pre_reads_of_each_session(book: Path) -> None:
    glance = page_texts((book / "pack.pdf").read_bytes())[1]
    assert "QUESTIONS PRE-READS" in glance
    assert "Amanda Lester 7 1" in glance


def test_the_word_copy_lists_the_pre_read_and_where_its_pages_are(book: Path) -> None:
    document = docx.Document(str(book / "pack.docx"))
    texts = [paragraph.text for paragraph in document.paragraphs]
    at = texts.index(TITLE)
    assert document.paragraphs[at].style.name == "Heading 3"
    assert texts[at + 1] == (
        "Pre-read · pre-reads/agentcore.pdf · 3 pages. The pages are in the PDF copy of this pack."
    )
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header[-1] == "Pre-reads"


def test_the_manifest_records_each_outputs_pre_reads(book: Path) -> None:
    manifest = json.loads((book / "manifest.json").read_text(encoding="utf-8"))
    outputs = manifest["outputs"]
    listed = outputs if isinstance(outputs, list) else list(outputs.values())
    with_pre_read = sorted(
        entry["path"]
        for entry in listed
        if "pre-reads/agentcore.pdf" in entry.get("attachments", {})
    )
    assert with_pre_read == [
        "pack.docx",
        "pack.pdf",
        "sessions/02-agentcore.docx",
        "sessions/02-agentcore.pdf",
    ]


def test_without_a_divider_the_pages_follow_at_once_and_carry_the_bookmark(tmp_path: Path) -> None:
    make_pdf(tmp_path / "memo.pdf", 2, text="Memo page")
    pack = pack_with(tmp_path, attachment_lines("memo.pdf", "The memo", divider=False))
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "--no-sessions")
    assert code == 0, err
    data = (tmp_path / "out" / "pack" / "pack.pdf").read_bytes()
    pages = page_texts(data)
    assert len(pages) == 15 + 2
    first = next(n for n, page in enumerate(pages) if "Memo page 1" in page)
    assert "Pre-read" not in " ".join(pages[3:])
    sessions = [session for day in outline(data) for session in day.children]
    bookmark = sessions[1].children[-1]
    assert (bookmark.title, bookmark.page) == ("The memo", first + 1)


def test_editing_a_pre_read_rebuilds_exactly_the_outputs_that_contain_it(tmp_path: Path) -> None:
    attachment = make_pdf(tmp_path / "memo.pdf", 1)
    pack = pack_with(tmp_path, attachment_lines("memo.pdf"))
    out = tmp_path / "out"
    code, _, err = run("build", str(pack), "-o", str(out))
    assert code == 0, err
    first = (out / "pack" / "pack.pdf").read_bytes()
    make_pdf(attachment, 1, text="Edited page")
    code, stdout, err = run("build", str(pack), "-o", str(out))
    assert code == 0, err
    written = sorted(line.split()[1] for line in stdout.splitlines() if line.startswith("wrote"))
    assert [Path(path).relative_to(out / "pack").as_posix() for path in written] == [
        "pack.docx",
        "pack.pdf",
        "sessions/02-agentcore.docx",
        "sessions/02-agentcore.pdf",
    ]
    assert (out / "pack" / "pack.pdf").read_bytes() != first
    assert "Edited page 1" in " ".join(page_texts((out / "pack" / "pack.pdf").read_bytes()))


def test_a_rebuild_gives_the_same_bytes(book: Path, tmp_path: Path) -> None:
    root = book.parent.parent
    code, _, err = run(
        "build", str(root / "pack.yaml"), "-o", str(tmp_path), "--no-sessions", "-f", "pdf"
    )
    assert code == 0, err
    assert (tmp_path / "pack" / "pack.pdf").read_bytes() == (book / "pack.pdf").read_bytes()


# ---------------------------------------------------------------- hostile and broken files


def test_every_unusable_attachment_is_an_error_at_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "notes.pdf").write_text("just some text, not a PDF\n", encoding="utf-8")
    whole = make_pdf(folder / "whole.pdf", 2).read_bytes()
    (folder / "truncated.pdf").write_bytes(whole[: len(whole) // 2])
    with pikepdf.open(io.BytesIO(whole)) as pdf:
        pdf.save(folder / "locked.pdf", encryption=pikepdf.Encryption(owner="o", user="secret"))
        pdf.save(folder / "owner-only.pdf", encryption=pikepdf.Encryption(owner="o", user=""))
    make_pdf(folder / "long.pdf", 4)
    with (folder / "huge.pdf").open("wb") as huge:
        huge.truncate(51 * 1024 * 1024)
    make_pdf(tmp_path / "outside.pdf", 1)
    (folder / "link.pdf").symlink_to(tmp_path / "outside.pdf")
    cases = {
        "notes.pdf": "notes.pdf is not a PDF; export or print it to PDF and attach that",
        "truncated.pdf": "truncated.pdf is damaged or truncated (",
        "locked.pdf": "locked.pdf needs a password to open; save a copy without one",
        "owner-only.pdf": "owner-only.pdf is encrypted; save a copy without encryption",
        "long.pdf": "long.pdf has 4 pages, more than the limit of 3; attach the part that",
        "huge.pdf": "huge.pdf is too large: 51.0 MB, the limit is 50 MB",
        "../outside.pdf": "'file' must be a file in the pack's folder, not '../outside.pdf'",
        "link.pdf": "'file' must be a file in the pack's folder, not 'link.pdf'",
        "https://example.com/deck.pdf": "not a URL ('https://example.com/deck.pdf'); download",
        "missing.pdf": "no such file 'missing.pdf'",
    }
    items = "".join(f"          - file: {name}\n            title: {name}\n" for name in cases)
    pack = pack_with(folder, "        attachments:\n" + items)
    lines = pack.read_text(encoding="utf-8").splitlines()
    code, _, err = run("validate", str(pack), "--max-attachment-pages", "3")
    assert code == 1
    assert "Traceback" not in err
    for name, message in cases.items():
        line = lines.index(f"          - file: {name}") + 1
        assert f"{pack}:{line}:19: " in err, name
        reported = next(text for text in err.splitlines() if text.startswith(f"{pack}:{line}:19:"))
        assert message in reported, reported
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"))
    assert code == 1
    assert not (tmp_path / "out" / "pack" / "pack.pdf").exists()


def hostile_pdf(path: Path) -> Path:
    """A PDF that runs JavaScript when opened, launches a program, carries a file and a form."""
    make_pdf(path, 2, text="Hostile page")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.Root.OpenAction = pdf.make_indirect(script)
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["run", pdf.make_indirect(script)])),
            EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([])),
        )
        launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([0, 0, 100, 100]),
            A=launch,
        )
        field = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("name"),
            Rect=pikepdf.Array([0, 100, 100, 120]),
        )
        pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(link), pdf.make_indirect(field)])
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([pdf.pages[0].obj.Annots[1]]))
        pdf.save(path)
    return path


def test_active_content_is_removed_with_a_warning_and_the_pages_kept(tmp_path: Path) -> None:
    hostile_pdf(tmp_path / "hostile.pdf")
    pack = pack_with(tmp_path, attachment_lines("hostile.pdf"))
    line = pack.read_text(encoding="utf-8").splitlines().index("          - file: hostile.pdf") + 1
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"))
    assert code == 0, err
    warning = f"{pack}:{line}:19: warning: hostile.pdf carries "
    assert warning in err
    for what in ("JavaScript", "an open action", "embedded files", "form fields", "launch"):
        assert what in err, what
    for output in ("pack.pdf", "sessions/02-agentcore.pdf"):
        data = (tmp_path / "out" / "pack" / output).read_bytes()
        assert "Hostile page 2" in " ".join(page_texts(data))
        with pikepdf.open(io.BytesIO(data)) as pdf:
            keys = {
                str(key)
                for thing in pdf.objects
                if isinstance(thing, pikepdf.Dictionary)
                for key in thing.keys()  # noqa: SIM118 - a pikepdf Dictionary
            }
            names = pdf.Root.get("/Names", pikepdf.Dictionary())
            assert "/JavaScript" not in names
            assert "/EmbeddedFiles" not in names
            assert "/OpenAction" not in pdf.Root
            assert "/AcroForm" not in pdf.Root
        assert not keys & {"/JS", "/JavaScript", "/Launch", "/EmbeddedFiles", "/OpenAction"}
        assert b"app.alert" not in data
        assert b"calc.exe" not in data


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_symlinked_folder_out_of_the_pack_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    make_pdf(outside / "deck.pdf", 1)
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pre-reads").symlink_to(outside)
    pack = pack_with(folder, attachment_lines("pre-reads/deck.pdf"))
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert "'file' must be a file in the pack's folder, not 'pre-reads/deck.pdf'" in err


def test_the_stamps_use_the_books_fonts_embedded_once(book: Path) -> None:
    with pikepdf.open(book / "pack.pdf") as pdf:
        names = [
            str(thing.FontName).split("+", 1)[-1]
            for thing in pdf.objects
            if isinstance(thing, pikepdf.Dictionary) and thing.get("/Type") == "/FontDescriptor"
        ]
    assert names, "no embedded fonts found"
    assert len(names) == len(set(names)), names
    assert not [name for name in names if "Helvetica" in name]  # the pre-read's own, not embedded


def test_an_open_action_that_only_opens_at_a_page_is_no_warning(tmp_path: Path) -> None:
    from briefpack.content.preread_files import active_content

    path = make_pdf(tmp_path / "opens.pdf", 2)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        # What LibreOffice writes: open at page 1, a destination rather than an action.
        pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.XYZ, None, None, 0])
        assert active_content(pdf) == []
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")
        assert "an open action" in active_content(pdf)
