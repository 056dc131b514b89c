"""The minutes (``build --minutes``): who came, and per item what was said, decided and asked.

Built from a board pack whose attendees say whether they attended, its
register (decisions and actions naming their session and dated the meeting,
with entries of an earlier meeting that must stay out) and the answers
harvested for it; read back from both formats, item by item.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import run
from docx_helpers import NS, part
from pdf_helpers import page_texts

BOARD = """\
title: Board meeting
organisation: Acme plc
location: Head office, London
register: board.register.yaml
attendees:
  - name: Dana Kim
    role: CFO
    attended: true
  - name: Lee Park
    role: Chair
    attended: true
  - name: Sam Rivera
    role: Non-executive director
    attended: false
  - name: Alex Moore
days:
  - date: 2026-01-20
    start: "09:00"
    end: "11:00"
    sessions:
      - title: Minutes of the last meeting
        paper: "1.1"
        purpose: noting
        owner: Lee Park
        duration: 15
        questions:
          - title: Accuracy
            id: accuracy
            question: Are the minutes a true record?
      - break: 15
      - title: FY26 budget
        label: Item 2
        paper: "3.2"
        purpose: decision
        owner: Dana Kim
        duration: 25
        questions:
          - title: Headroom
            id: headroom
            question: What headroom does the budget leave?
      - title: Strategy refresh
        paper: "4.1"
        purpose: discussion
        duration: 40
        questions:
          - title: Direction
            id: direction
            question: Where are we going?
"""

REGISTER = """\
actions:
  - id: A-7
    text: Chase the auditor's letter
    owner: Lee Park
    due: 2026-01-10
    raised: 2025-12-02
    session: fy26-budget
  - id: A-12
    text: Circulate the revised forecast
    owner: Dana Kim
    due: 2026-02-15
    raised: 2026-01-20
    session: fy26-budget
  - id: A-13
    text: Draft the strategy paper for March
    raised: 2026-01-20
    session: strategy-refresh
decisions:
  - id: D-3
    text: Approve the FY26 budget envelope
    date: 2025-12-02
    session: fy26-budget
  - id: D-8
    text: Approve the FY26 budget at 4% headroom
    date: 2026-01-20
    session: fy26-budget
  - id: D-9
    text: Keep the three strategic pillars
    date: 2026-01-20
    session: strategy-refresh
"""

ANSWERS = """\
answers:
  headroom:
    answer: Four percent, after the pay round.
    follow_up: Model a downside case.
  direction:
    answer: Grow the services business first.
"""

#: The items' headings, in order, as both formats print them.
ITEMS = (
    "1.1 Minutes of the last meeting",
    "Item 2: 3.2 FY26 budget",
    "4.1 Strategy refresh",
)


def _content(
    tmp_path: Path, pack: str = BOARD, register: bool = True, answers: bool = True
) -> Path:
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / "board.yaml").write_text(pack, encoding="utf-8")
    if register:
        (content / "board.register.yaml").write_text(REGISTER, encoding="utf-8")
    if answers:
        (content / "board.answers.yaml").write_text(ANSWERS, encoding="utf-8")
    return content / "board.yaml"


def _build(pack: Path, *args: str) -> tuple[Path, str]:
    out = pack.parent.parent / "out"
    code, stdout, err = run("build", str(pack), "-o", str(out), "--no-sessions", *args)
    assert code == 0, err
    return out / "board", stdout


def _docx_lines(path: Path) -> list[str]:
    """The Word copy's body in order: each paragraph's text, each table row's cells joined."""
    body = part(path.read_bytes(), "word/document.xml").find("w:body", NS)
    lines = []
    for block in body:
        if block.tag.endswith("}p"):
            lines.append("".join(block.xpath(".//w:t/text()", namespaces=NS)))
        elif block.tag.endswith("}tbl"):
            for row in block.findall("w:tr", NS):
                cells = ["".join(cell.xpath(".//w:t/text()", namespaces=NS)) for cell in row]
                lines.append(" | ".join(cells))
    # No-break spaces keep dates and times whole; the tests read words.
    return [re.sub(r"\s+", " ", line).strip() for line in lines if line.strip()]


def _pdf_text(path: Path) -> str:
    return " ".join(page_texts(path.read_bytes()))


def _sections(text: str, headings: tuple[str, ...]) -> list[str]:
    """``text`` cut at each of ``headings`` (in order): what comes before each, then each's."""
    cuts = []
    start = 0
    for heading in headings:
        start = text.index(heading, start)
        cuts.append(start)
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def test_minutes_say_who_came_and_under_each_item_its_discussion_decisions_and_actions(
    tmp_path: Path,
) -> None:
    folder, stdout = _build(_content(tmp_path), "--minutes")
    assert "board.minutes.pdf" in stdout
    assert "board.minutes.docx" in stdout
    docx = "\n".join(_docx_lines(folder / "board.minutes.docx"))
    pdf = _pdf_text(folder / "board.minutes.pdf")
    for text in (docx, pdf):
        front, minutes_item, budget, strategy = _sections(text, ITEMS)
        assert "Minutes: Board meeting" in front
        assert "January 20, 2026" in front
        assert "Head office, London" in front
        present, apologies = _sections(front, ("Present", "Apologies"))[1:]
        assert "Dana Kim, CFO" in present
        assert "Lee Park, Chair" in present
        assert "Sam Rivera" not in present
        assert "Sam Rivera, Non-executive director" in apologies
        assert "Attendance not recorded" in apologies
        assert "Alex Moore" in apologies
        assert "For noting" in minutes_item
        assert "Owner: Lee Park" in minutes_item
        assert "No discussion recorded." in minutes_item
        assert "No decisions recorded." in minutes_item
        assert "No actions recorded." in minutes_item
        assert "For decision" in budget
        assert "Owner: Dana Kim" in budget
        assert "Headroom" in budget
        assert "Four percent, after the pay round." in budget
        assert "Follow-ups" in budget
        assert "Model a downside case." in budget
        assert "D-8" in budget
        assert "Approve the FY26 budget at 4% headroom" in budget
        assert "A-12" in budget
        assert "Circulate the revised forecast" in budget
        assert "February 15, 2026" in budget
        # The register's entries of the earlier meeting are not this meeting's.
        assert "D-3" not in text
        assert "A-7" not in text
        assert "For discussion" in strategy
        assert "Grow the services business first." in strategy
        assert "D-9" in strategy
        assert "Keep the three strategic pillars" in strategy
        assert "A-13" in strategy
        assert "Draft the strategy paper for March" in strategy
        for other in ("D-8", "A-12", "Four percent"):
            assert other not in strategy
            assert other not in minutes_item
        for other in ("D-9", "A-13", "Grow the services"):
            assert other not in budget
    # An action without an owner or a due date shows a dash in each, not a blank column.
    assert "A-13 | Draft the strategy paper for March | \u2014 | \u2014" in docx
    assert "A-12 | Circulate the revised forecast | Dana Kim | February 15, 2026" in docx
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry["format"] for entry in manifest["outputs"]}
    assert listed["board.minutes.pdf"] == "minutes-pdf"
    assert listed["board.minutes.docx"] == "minutes-docx"


def test_the_word_minutes_are_editable_paragraphs_and_tables_in_the_themes_styles(
    tmp_path: Path,
) -> None:
    folder, _ = _build(_content(tmp_path), "--minutes", "-f", "docx")
    data = (folder / "board.minutes.docx").read_bytes()
    body = part(data, "word/document.xml").find("w:body", NS)
    assert body.find(".//w:sdt", NS) is None
    styles = [
        (style.get(f"{{{NS['w']}}}val"), "".join(paragraph.xpath(".//w:t/text()", namespaces=NS)))
        for paragraph in body.findall("w:p", NS)
        for style in paragraph.findall("w:pPr/w:pStyle", NS)
    ]
    assert ("Title", "Minutes: Board meeting") in styles
    assert [text for style, text in styles if style == "Heading2"] == [
        "Present", "Apologies", "Attendance not recorded", *ITEMS,
    ]  # fmt: skip
    assert [text for style, text in styles if style == "Heading3"] == [
        "Discussion", "Decisions", "Actions",
    ] * 3  # fmt: skip
    # The same styles as the pack's own Word copy: the theme's, set up once.
    pack_styles = part((folder / "board.docx").read_bytes(), "word/styles.xml")
    minutes_styles = part(data, "word/styles.xml")
    fonts = "w:style[@w:styleId='Heading2']/w:rPr/w:rFonts/@w:ascii"
    assert minutes_styles.xpath(fonts, namespaces=NS) == pack_styles.xpath(fonts, namespaces=NS)
    assert not (folder / "board.minutes.pdf").exists()


def test_minutes_are_worded_in_the_packs_language(tmp_path: Path) -> None:
    german = BOARD.replace(
        "title: Board meeting\n", "title: Vorstandssitzung\noptions:\n  language: de\n"
    )
    folder, _ = _build(_content(tmp_path, german), "--minutes")
    docx = "\n".join(_docx_lines(folder / "board.minutes.docx"))
    pdf = _pdf_text(folder / "board.minutes.pdf")
    for text in (docx, pdf):
        assert "Protokoll: Vorstandssitzung" in text
        assert "20. Januar 2026" in text
        for words in (
            "Anwesend",
            "Entschuldigt",
            "Anwesenheit nicht vermerkt",
            "Diskussion",
            "Zur Entscheidung",
            "Verantwortlich: Dana Kim",
            "Keine Diskussion vermerkt.",
        ):
            assert words in text, words
        assert "Present" not in text
        assert "No discussion recorded." not in text
    assert "Beschlüsse" in docx
    assert "Maßnahmen" in docx


def test_a_pack_without_register_or_answers_still_gets_minutes_to_fill_in(
    tmp_path: Path,
) -> None:
    plain = BOARD.replace("register: board.register.yaml\n", "")
    folder, _ = _build(_content(tmp_path, plain, register=False, answers=False), "--minutes")
    for text in (
        "\n".join(_docx_lines(folder / "board.minutes.docx")),
        _pdf_text(folder / "board.minutes.pdf"),
    ):
        assert text.count("No discussion recorded.") == 3
        assert text.count("No decisions recorded.") == 3
        assert text.count("No actions recorded.") == 3
        for heading in ITEMS:
            assert heading in text


def test_minutes_up_to_date_are_skipped_and_an_edited_input_writes_them_again(
    tmp_path: Path,
) -> None:
    pack = _content(tmp_path)
    folder, _ = _build(pack, "--minutes", "-f", "docx")
    _, stdout = _build(pack, "--minutes", "-f", "docx", "-v")
    assert "up to date" in stdout
    assert "wrote" not in stdout
    # A decision added to the register: the minutes are written again, with it.
    register = pack.parent / "board.register.yaml"
    register.write_text(
        REGISTER.replace("  - id: D-9\n", "  - id: D-10\n    text: Hire a COO\n"
                         "    date: 2026-01-20\n    session: fy26-budget\n  - id: D-9\n"),
        encoding="utf-8",
    )  # fmt: skip
    _, stdout = _build(pack, "--minutes", "-f", "docx")
    written = sorted(
        Path(line.split()[1]).name for line in stdout.splitlines() if line.startswith("wrote")
    )
    assert written == ["board.debrief.docx", "board.docx", "board.minutes.docx"]
    budget = _sections("\n".join(_docx_lines(folder / "board.minutes.docx")), ITEMS)[2]
    assert "D-10 | Hire a COO" in budget


def test_minutes_are_written_only_when_asked_for(tmp_path: Path) -> None:
    folder, stdout = _build(_content(tmp_path), "-f", "docx")
    assert ".minutes." not in stdout
    assert not list(folder.glob("*.minutes.*"))
    code, out, _ = run("build", "--help")
    assert code == 0
    assert "--minutes" in out
    # --minutes is not a format of its own.
    code, _, err = run("build", "-f", "minutes-docx", str(folder))
    assert code != 0
    assert "minutes-docx" in err


def test_the_minutes_pdf_is_titled_as_the_minutes(tmp_path: Path) -> None:
    from pypdf import PdfReader

    folder, _ = _build(_content(tmp_path), "--minutes", "-f", "pdf")
    reader = PdfReader(folder / "board.minutes.pdf")
    assert reader.metadata is not None
    assert reader.metadata.title == "Minutes: Board meeting"
    assert not (folder / "board.minutes.docx").exists()


def test_an_action_and_a_decision_harvested_from_a_filled_copy_are_minuted_under_their_item(
    tmp_path: Path,
) -> None:
    from harvest_copies import fill_docx

    pack = _content(tmp_path, BOARD + "options:\n  answer_fields: true\n", False, False)
    # Before the meeting: only the last meeting's entries.
    earlier = "actions:\n" + REGISTER.split("actions:\n")[1].split("  - id: A-12")[0]
    (pack.parent / "board.register.yaml").write_text(earlier + "decisions: []\n", "utf-8")
    folder, _ = _build(pack, "-f", "docx")
    filled = fill_docx(folder / "board.docx", tmp_path / "filled.docx", {
        "briefpack:answer:direction": "Services first, then platforms.",
        "briefpack:action:direction": "Cost the services plan",
        "briefpack:action-owner:direction": "Lee Park",
        "briefpack:action-due:direction": "2026-03-01",
        # Only an item for decision has a decision field: the budget.
        "briefpack:decision:fy26-budget": "The board approved the budget as presented.",
    })  # fmt: skip
    code, out, err = run("harvest", str(filled))
    assert code == 0, out + err
    folder, _ = _build(pack, "-f", "docx", "--minutes")
    budget, strategy = _sections("\n".join(_docx_lines(folder / "board.minutes.docx")), ITEMS)[2:]
    assert "Services first, then platforms." in strategy
    assert "Cost the services plan | Lee Park | March 1, 2026" in strategy
    assert "The board approved the budget as presented." in budget
    assert "Cost the services plan" not in budget
    assert "approved the budget as presented" not in strategy
