"""build --changes-since: the change-marked PDF and the Word copy with real tracked changes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace as dataclasses_replace
from pathlib import Path

import pytest

from conftest import libreoffice_with_uno, run
from docx_helpers import NS, accept_all, paragraph_texts, part, reject_all
from pdf_helpers import page_texts
from test_changes import SPEAKERS_NEW, SPEAKERS_OLD, version_pair


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The new version built with --changes-since the old one, and each built alone."""
    root = tmp_path_factory.mktemp("changes")
    version_pair(root)
    shutil.copy(root / "old" / "pack.yaml", root / "new" / "pack-v2.yaml")
    pack = root / "new" / "pack.yaml"
    code, _, err = run(
        "build",
        str(pack),
        "-o",
        str(root / "out"),
        "--changes-since",
        str(root / "new" / "pack-v2.yaml"),
    )
    assert code == 0, err
    code, _, err = run(
        "build", str(root / "old" / "pack.yaml"), "-o", str(root / "old-out"), "--no-sessions"
    )
    assert code == 0, err
    return root


#: The footer of a front-matter page: the changes page is numbered i, ii... apart from the pack.
ROMAN = re.compile(r"Page [ivxlc]+$")


def split_changes(data: bytes) -> tuple[list[str], list[str]]:
    """A changes PDF's changes pages, and the pack's pages numbered as in the clean pack.

    The changes page follows the cover and is numbered in roman, so the pack's
    page N is ``pack[N - 1]``, as in the pack built alone.
    """
    pages = page_texts(data)
    front = [page for page in pages if ROMAN.search(page)]
    return front, [page for page in pages if not ROMAN.search(page)]


def test_the_changes_page_follows_the_cover_and_lists_every_change_with_its_page(
    built: Path,
) -> None:
    data = (built / "out" / "pack" / "pack.changes.pdf").read_bytes()
    front, pages = split_changes(data)
    assert page_texts(data)[1] == front[0]  # after the cover
    first = front[0]
    assert first.startswith("What changed since pack-v2.yaml of ")
    # The pack's own pages are numbered from 2, after the cover, as in the pack built alone.
    for number, page in enumerate(pages[1:], start=2):
        assert page.endswith(f"Page {number} of {len(pages)}"), number
    expected = {
        "QUESTION EDITED Observability & Reliability Engineering": "meaningful useful SLIs",
        "QUESTION EDITED Incident Automation at Scale": "Automation at Scale",
        "QUESTION REMOVED Self-Service Environment Provisioning": "Self-Service Environment",
        "SESSION CHANGED Session 2: AgentCore": "Jordan Lee",
        "SESSION CHANGED Session 3: Leveraging AI in the Software Development Lifecycle": "11:30",
        "QUESTION MOVED Deep Agents vs. Shallow Agents (Agents 2.0)": "Deep Agents vs. Shallow",
        "QUESTION ADDED Budget for the Next Fiscal Year": "Budget for the Next Fiscal Year",
    }
    for entry, on_its_page in expected.items():
        assert entry in first, entry
        number = int(first.split(entry, 1)[1].replace(".", " ").split()[0])
        assert on_its_page in pages[number - 1], (entry, number)
    assert (
        "Title changed from Automated Incident Management to Incident Automation at Scale" in first
    )
    assert "Time changed from 11:15 AM – 12:15 PM to 11:30 AM – 12:30 PM" in first
    assert "Speaker added: Jordan Lee" in first
    assert "Moved from AgentCore" in first


def test_the_pdf_shows_old_and_new_words_where_they_changed(built: Path) -> None:
    text = " ".join(page_texts((built / "out" / "pack" / "pack.changes.pdf").read_bytes()))
    assert "defining meaningful useful SLIs" in text
    assert "Automated Incident Management Automation at Scale" in text
    assert "Self-Service Environment Provisioning" in text  # removed, still shown


def test_only_changed_sessions_get_a_change_marked_pack(built: Path) -> None:
    names = sorted(p.name for p in (built / "out" / "pack" / "sessions").glob("*.changes.pdf"))
    assert names == [
        "01-devops-culture-at-amazon.changes.pdf",
        "02-agentcore.changes.pdf",
        "03-leveraging-ai-in-the-software-development-lifecycle.changes.pdf",
        "04-executive-meeting-with-aws-developer-experience.changes.pdf",
    ]


def body_after_changes_page(body: object) -> list[str]:
    return without_changes_page(paragraph_texts(body))


def without_changes_page(texts: list[str]) -> list[str]:
    """The Word copy's texts without its changes page, which follows the cover.

    The page runs from the empty paragraph that ends the cover's section to
    the one that ends its own, before "At a glance"; the clean pack has neither.
    """
    title = next(n for n, text in enumerate(texts) if text.startswith("What changed since"))
    start = title - 1 if title and not texts[title - 1] else title
    end = texts.index("At a glance", title)
    return texts[:start] + texts[end:]


def test_accept_all_gives_the_new_text_and_reject_all_the_old(built: Path) -> None:
    changes = (built / "out" / "pack" / "pack.changes.docx").read_bytes()
    new = (built / "out" / "pack" / "pack.docx").read_bytes()
    old = (built / "old-out" / "pack" / "pack.docx").read_bytes()
    new_body = part(new, "word/document.xml").find("w:body", NS)
    old_body = part(old, "word/document.xml").find("w:body", NS)
    assert body_after_changes_page(accept_all(changes)) == paragraph_texts(new_body)
    assert body_after_changes_page(reject_all(changes)) == paragraph_texts(old_body)


def test_the_word_changes_are_real_revisions_by_the_author(built: Path) -> None:
    document = part(
        (built / "out" / "pack" / "pack.changes.docx").read_bytes(), "word/document.xml"
    )
    insertions = document.xpath("//w:ins", namespaces=NS)
    deletions = document.xpath("//w:del", namespaces=NS)
    assert insertions
    assert deletions
    authors = {element.get(f"{{{NS['w']}}}author") for element in insertions + deletions}
    assert authors == {"briefpack"}
    deleted_words = " ".join(document.xpath("//w:delText/text()", namespaces=NS))
    assert "meaningful" in deleted_words
    # In a table cell (at a glance: Session 3's new times), as a revision of its own.
    assert document.xpath("//w:tbl//w:del/w:r/w:delText", namespaces=NS)
    assert document.xpath("//w:tbl//w:ins/w:r/w:t", namespaces=NS)
    ids = [element.get(f"{{{NS['w']}}}id") for element in insertions + deletions]
    assert len(ids) == len(set(ids))


def test_no_change_says_so_and_marks_nothing(tmp_path: Path) -> None:
    from conftest import BUNDLED_PACK

    shutil.copy(BUNDLED_PACK, tmp_path / "pack.yaml")
    shutil.copy(BUNDLED_PACK, tmp_path / "earlier.yaml")
    code, _, err = run(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"),
        "--changes-since", str(tmp_path / "earlier.yaml"), "--no-sessions",
    )  # fmt: skip
    assert code == 0, err
    front, _ = split_changes((tmp_path / "out" / "pack" / "pack.changes.pdf").read_bytes())
    assert "No changes" in front[0]
    document = part(
        (tmp_path / "out" / "pack" / "pack.changes.docx").read_bytes(), "word/document.xml"
    )
    assert not document.xpath("//w:ins | //w:del", namespaces=NS)
    assert "No changes" in paragraph_texts(document)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changes_since_a_git_revision(tmp_path: Path) -> None:
    version_pair(tmp_path)
    repository = tmp_path / "repo"
    (repository / "content").mkdir(parents=True)
    pack = repository / "content" / "pack.yaml"
    shutil.copy(tmp_path / "old" / "pack.yaml", pack)

    def git(*arguments: str) -> str:
        moment = "2025-10-20T10:00:00Z"
        environment = {**os.environ, "GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment}
        identity = ("-c", "user.name=T", "-c", "user.email=t@example.com")
        return subprocess.run(
            ["git", "-C", str(repository), *identity, *arguments],
            check=True,
            capture_output=True,
            text=True,
            env=environment,
        ).stdout

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "version 2")
    shutil.copy(tmp_path / "new" / "pack.yaml", pack)
    short = git("rev-parse", "--short", "HEAD").strip()
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "--changes-since", "git:HEAD",
        "--no-sessions", "-f", "pdf",
    )  # fmt: skip
    assert code == 0, err
    front, _ = split_changes((tmp_path / "out" / "pack" / "pack.changes.pdf").read_bytes())
    first = front[0]
    assert first.startswith(f"What changed since git {short} of October 20, 2025")
    assert "QUESTION ADDED Budget for the Next Fiscal Year" in first
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "--changes-since", "git:nope"
    )
    assert code == 1
    assert f"{pack}: --changes-since git:nope: no such revision in the repository" in err


@pytest.mark.skipif(
    not libreoffice_with_uno(), reason="needs LibreOffice and its python3-uno (Debian packages)"
)
@pytest.mark.parametrize(("action", "version"), [("accept", "new"), ("reject", "old")])
def test_libreoffice_accept_all_gives_the_new_text_and_reject_all_the_old(
    built: Path, tmp_path: Path, action: str, version: str
) -> None:
    # Whole paragraphs inserted are tracked with their own paragraph marks, and a
    # moved question is a move, so LibreOffice's Reject All gives the old text too.
    script = Path(__file__).with_name("lo_accept.py")
    result = tmp_path / f"{action}.docx"
    changes = built / "out" / "pack" / "pack.changes.docx"
    subprocess.run(
        ["/usr/bin/python3", str(script), action, str(changes), str(result)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    plain = built / ("out" if version == "new" else "old-out") / "pack" / "pack.docx"
    expected = paragraph_texts(part(plain.read_bytes(), "word/document.xml").find("w:body", NS))
    texts = paragraph_texts(part(result.read_bytes(), "word/document.xml").find("w:body", NS))
    assert body_after_changes_page_texts(texts) == expected


def body_after_changes_page_texts(texts: list[str]) -> list[str]:
    return without_changes_page(texts)


def test_links_and_list_items_keep_their_structure_when_changed(tmp_path: Path) -> None:
    from conftest import MINIMAL_PACK

    before = MINIMAL_PACK.replace(
        "question: Where are we going?",
        "question: |-\n              See [the old plan](https://example.com/plan).\n\n"
        "              - first step\n              - second step",
    )
    after = before.replace("the old plan", "the new plan").replace("second step", "next step")
    (tmp_path / "earlier.yaml").write_text(before, encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(after, encoding="utf-8")
    code, _, err = run(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"), "--no-sessions",
        "-f", "docx", "--changes-since", str(tmp_path / "earlier.yaml"),
    )  # fmt: skip
    assert code == 0, err
    document = part(
        (tmp_path / "out" / "pack" / "pack.changes.docx").read_bytes(), "word/document.xml"
    )
    link = document.xpath("//w:hyperlink[.//w:ins]", namespaces=NS)
    assert len(link) == 1
    assert "".join(link[0].xpath(".//w:delText/text()", namespaces=NS)) == "old"
    assert "".join(link[0].xpath(".//w:ins//w:t/text()", namespaces=NS)) == "new"
    item = document.xpath("//w:p[w:pPr/w:numPr][.//w:ins]", namespaces=NS)
    assert len(item) == 1  # the list item stays one numbered paragraph
    assert "".join(item[0].xpath(".//w:delText/text()", namespaces=NS)) == "second"
    assert "".join(item[0].xpath(".//w:ins//w:t/text()", namespaces=NS)) == "next"


def test_a_missing_git_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import MINIMAL_PACK

    (tmp_path / "pack.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    code, _, err = run(
        "build",
        str(tmp_path / "pack.yaml"),
        "-o",
        str(tmp_path / "out"),
        "--changes-since",
        "git:HEAD",
    )
    assert code == 1
    assert "--changes-since git:...: git is not installed; install it" in err


def test_the_word_changes_page_refers_to_the_pages_of_what_changed(built: Path) -> None:
    document = part(
        (built / "out" / "pack" / "pack.changes.docx").read_bytes(), "word/document.xml"
    )
    # The changes page's table, the document's first.
    instructions = [
        text.strip() for text in document.xpath("(//w:tbl)[1]//w:instrText/text()", namespaces=NS)
    ]
    targets = [text.split()[1] for text in instructions if text.startswith("PAGEREF")]
    bookmarks = set(document.xpath("//w:bookmarkStart/@w:name", namespaces=NS))
    assert len(targets) == 6  # seven changes; the removed question has no page of its own
    assert set(targets) <= bookmarks


def test_both_formats_say_what_changed_about_a_speaker_or_an_attendee(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(SPEAKERS_NEW, encoding="utf-8")
    (tmp_path / "earlier.yaml").write_text(SPEAKERS_OLD, encoding="utf-8")
    code, _, err = run(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"),
        "--changes-since", str(tmp_path / "earlier.yaml"), "--no-sessions",
    )  # fmt: skip
    assert code == 0, err
    said = [
        "José Ñúñez: role changed from Chief Technology Officer to Chief Executive Officer",
        "Dana Ruiz: role set to COO",
        "Speaker removed: Kim Park",
        "Speaker added: Ana Costa",
        "Zoë Ångström: organisation changed from Nordic Holdings to Baltic Partners",
        "Li Wei: role set to Secretary",
    ]
    front, _ = split_changes((tmp_path / "out" / "pack" / "pack.changes.pdf").read_bytes())
    first = front[0]
    document = part(
        (tmp_path / "out" / "pack" / "pack.changes.docx").read_bytes(), "word/document.xml"
    )
    paragraphs = paragraph_texts(document)
    for line in said:
        assert line in first, line
        assert line in paragraphs, line
    for entry in ("ATTENDEE REMOVED Omar Haddad", "ATTENDEE ADDED Ines Moreau"):
        assert entry in first
    # Each entry a row of the changes page's table: what changed, then the entry.
    rows = [
        [cell.xpath("string(w:p[1])", namespaces=NS) for cell in row.xpath("w:tc", namespaces=NS)]
        for row in document.xpath("(//w:tbl)[1]/w:tr", namespaces=NS)
    ]
    entries = {f"{row[0]}: {row[1].rstrip(chr(0x200B))}" for row in rows}
    assert {"Attendee removed: Omar Haddad", "Attendee added: Ines Moreau"} <= entries
    # The person is not shown removed and added again.
    assert "José Ñúñez" not in " ".join(line for line in paragraphs if "Speaker" in line)
    assert "+ José" not in first
    assert "\u2212 José" not in first


def _sessions_of(text: str) -> tuple[str, list[str], str]:
    """The bundled pack's text cut at its sessions: what comes before, each session, the rest."""
    pieces = re.split(r"(?m)^(?=      - (?:label|title): )|^(?=  - date: )", text)
    head, blocks = pieces[0], pieces[1:]
    return head, blocks, ""


def _reordered(text: str) -> str:
    """Session 2 before Session 1, and Session 3 moved to the second day."""
    head, blocks, _ = _sessions_of(text)
    # blocks: day 1 heading, S1, S2, S3, day 2 heading, S4
    day1, s1, s2, s3, day2, s4 = blocks
    return head + day1 + s2 + s1 + day2 + s3 + s4


def _moves_and_renames() -> dict[str, tuple[str, str]]:
    from conftest import BUNDLED_PACK

    text = BUNDLED_PACK.read_text(encoding="utf-8")
    return {
        "sessions moved": (text, _reordered(text)),
        # A session's id is made from its title: retitled, it is another session.
        "session retitled": (text.replace("AgentCore", "Agent Core"), text),
        "speakers and attendees": (SPEAKERS_OLD, SPEAKERS_NEW),
    }


@pytest.mark.parametrize("case", ["sessions moved", "session retitled", "speakers and attendees"])
def test_accept_all_and_reject_all_give_each_version_whatever_moved_or_was_renamed(
    case: str, tmp_path: Path
) -> None:
    import datetime as dt

    from briefpack.build.chosen_settings import default_theme
    from briefpack.content.validate import load_pack
    from briefpack.model.changes import compare
    from briefpack.render.docx.writer import render_docx
    from briefpack.render.settings import RenderSettings

    old_text, new_text = _moves_and_renames()[case]
    (tmp_path / "old.yaml").write_text(old_text, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new_text, encoding="utf-8")
    old, new = load_pack(tmp_path / "old.yaml"), load_pack(tmp_path / "new.yaml")
    base = RenderSettings(theme=default_theme(), created=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    marked = dataclasses_replace(base, changes_since="old.yaml", changes_date=dt.date(2026, 3, 1))
    files = {
        "changes": render_docx(compare(old, new), marked).data,
        "old": render_docx(old, base).data,
        "new": render_docx(new, base).data,
    }
    for name, data in files.items():
        (tmp_path / f"{name}.docx").write_bytes(data)  # checked by openxml-audit
    bodies = {
        name: part(data, "word/document.xml").find("w:body", NS) for name, data in files.items()
    }
    changes = files["changes"]
    assert body_after_changes_page(accept_all(changes)) == paragraph_texts(bodies["new"])
    assert body_after_changes_page(reject_all(changes)) == paragraph_texts(bodies["old"])
    if case == "sessions moved":
        document = part(changes, "word/document.xml")
        names = document.xpath("//w:moveFromRangeStart/@w:name", namespaces=NS)
        assert sorted(names) == sorted(
            document.xpath("//w:moveToRangeStart/@w:name", namespaces=NS)
        )
        assert len(names) == 2  # Session 1 (or 2) moved within its day, Session 3 to the next
