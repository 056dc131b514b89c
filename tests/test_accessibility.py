"""Readable by everyone: a tagged PDF/UA structure by default, PDF/A on request.

No PDF/UA validator (veraPDF) is available offline here, so the structure is
checked itself, as assistive technology reads it, through Poppler's pdfinfo.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from briefpack.content.validate import load_pack

from conftest import BUNDLED_PACK, run

pytestmark = pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="needs Poppler's pdfinfo (Debian poppler-utils)"
)


def pdfinfo(*arguments: str) -> str:
    return subprocess.run(
        ["pdfinfo", *arguments], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tagged")
    code, _, err = run("build", str(BUNDLED_PACK), "-o", str(root), "-f", "pdf")
    assert code == 0, err
    return root / "aws-devex-2025"


def built_alone(pack: Path, out: Path, output_format: str, *options: str) -> str:
    """Build ``pack``'s full pack alone in ``output_format`` into ``out``; its messages."""
    code, _, err = run(
        "build", str(pack), "-o", str(out), "-f", output_format, "--no-sessions", *options
    )
    assert code == 0, err
    return err


def structure(pdf: Path) -> list[tuple[str, str]]:
    """Each heading of the structure tree, in reading order, with its text."""
    lines = pdfinfo("-struct-text", str(pdf)).splitlines()
    headings: list[tuple[str, str]] = []
    for number, line in enumerate(lines):
        match = re.fullmatch(r"\s*(H[1-6]) \(block\)", line)
        if match:
            depth = len(line) - len(line.lstrip())
            words = []
            for following in lines[number + 1 :]:
                if len(following) - len(following.lstrip()) <= depth:
                    break
                text = following.strip()
                if text.startswith('"'):
                    words.append(text.strip('"'))
            headings.append((match.group(1), " ".join(words)))
    return headings


def test_every_pdf_is_tagged_and_claims_pdf_ua(built: Path) -> None:
    for pdf in [built / "aws-devex-2025.pdf", *sorted((built / "sessions").glob("*.pdf"))]:
        assert "Tagged:          yes" in pdfinfo(str(pdf)), pdf
        assert 'pdfuaid:part="1"' in pdfinfo("-meta", str(pdf)) or "<pdfuaid:part>1<" in pdfinfo(
            "-meta", str(pdf)
        )
    with pikepdf.open(built / "aws-devex-2025.pdf") as document:
        assert str(document.Root.Lang) == "en"
        assert bool(document.Root.ViewerPreferences.DisplayDocTitle)


def test_headings_are_day_session_question_in_reading_order(built: Path) -> None:
    from briefpack.render.wording import wording_for

    pack = load_pack(BUNDLED_PACK)
    parts = {("H2", "At a glance"), ("H2", "Contents")}
    headings = [item for item in structure(built / "aws-devex-2025.pdf") if item not in parts]
    assert headings[0] == ("H1", "Questions for AWS Developer Experience Sessions")  # the cover
    expected: list[tuple[str, str]] = []
    for day in pack.days:
        for number, session in enumerate(day.sessions):
            if number == 0:
                # The day is set in capitals; the structure carries what is drawn.
                expected.append(("H1", wording_for("en").day_heading(day.date).upper()))
            expected.append(("H2", session.title))
            expected += [("H3", f"{n} {q.title}") for n, q in enumerate(session.questions, 1)]
    assert [(level, " ".join(text.split())) for level, text in headings[1:]] == expected


def test_tables_have_header_cells_and_running_heads_are_artifacts(built: Path) -> None:
    tree = pdfinfo("-struct-text", str(built / "aws-devex-2025.pdf"))
    assert tree.count("TH ") >= 5
    assert "Table (block)" in tree
    assert "Link (inline)" in tree
    assert "Page 4 of" not in tree  # the footer
    assert tree.count("Questions for AWS Developer Experience Sessions") == 0  # the running head


def table_rows(tree: str, after: str) -> list[list[str]]:
    """The text of each row of the first table after the line ``after``, cell by cell."""
    lines = tree[tree.index(after) :].splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == "Table (block)")
    depth = len(lines[start]) - len(lines[start].lstrip())
    rows: list[list[str]] = []
    for line in lines[start + 1 :]:
        if len(line) - len(line.lstrip()) <= depth:
            break
        text = line.strip()
        if text == "TR":
            rows.append([])
        elif re.fullmatch(r"T[HD]( <[^>]*>)?:?", text):
            rows[-1].append("")
        elif text.startswith('"'):
            rows[-1][-1] = " ".join((rows[-1][-1] + " " + text.strip('"')).split())
    return rows


def test_the_contents_is_a_table_heard_as_entry_then_page_without_leader_dots(
    built: Path,
) -> None:
    from pdf_helpers import outline

    pdf = built / "aws-devex-2025.pdf"
    tree = pdfinfo("-struct-text", str(pdf))
    rows = table_rows(tree, '"Contents"')
    assert rows[0] == ["SECTION", "PAGE"]
    pages = {
        entry.title: str(entry.page)
        for day in outline(pdf.read_bytes())
        for entry in (day, *day.children)
    }
    # A question's number has a cell of its own: the entry is every cell but the page.
    entries = {" ".join(row[:-1]): row[-1] for row in rows[1:]}
    assert entries["Session 2: AgentCore"] == pages["Session 2: AgentCore"] == "7"
    assert entries["THURSDAY, OCTOBER 23, 2025"] == pages["Thursday, October 23, 2025"]
    assert entries["1. Observability & Reliability Engineering"] == "4"
    assert len(rows) == 1 + 2 + 4 + 27  # header, days, sessions, questions
    assert all(re.fullmatch(r"\d+", row[-1]) for row in rows[1:])
    assert '" . "' not in tree  # the leaders are drawn, not read
    # The day is a row header: the cells of its row name it; the entries name their column.
    day = r"TH <[\d-]+>:?\n(\s+/ColSpan \d+\n)?\s+Link \(inline\)\n\s+Object \d+ \d+\n\s+\"THURSDAY"
    assert re.search(day, tree)
    # A title under the second column of the two-column "Section" names it too.
    section = re.search(r"TH <([\d-]+)>:?\n\s+/ColSpan 2\n\s+Span \(inline\)\n\s+\"SECTION", tree)
    assert section is not None
    title = r"/Headers \[\((%s)\)\]\n\s+Link \(inline\)\n\s+Object \d+ \d+\n\s+\"Observ"
    assert re.search(title % re.escape(section.group(1)), tree)


def test_every_link_prints_and_is_described_by_where_it_leads(built: Path) -> None:
    with pikepdf.open(built / "aws-devex-2025.pdf") as document:
        links = [
            annotation
            for page in document.pages
            for annotation in page.obj.get("/Annots", [])
            if annotation.get("/Subtype") == "/Link"
        ]
        assert all(int(link.F) & 4 for link in links)  # the Print flag
        described = {str(link.get("/Dest")): str(link.Contents) for link in links}
    assert described["session-agentcore"] == "Session 2: AgentCore"
    assert described["day-2025-10-24"] == "Friday, October 24, 2025"
    assert described["session-agentcore-q2"] == "Agent Mesh for Lifecycle Management"
    assert not [text for target, text in described.items() if text == target]


def test_pdf_a_keeps_the_tags_and_claims_ua_as_well_and_none_is_untagged(tmp_path: Path) -> None:
    built_alone(BUNDLED_PACK, tmp_path / "a", "pdf", "--pdf-variant", "pdf/a-3b")
    archival = tmp_path / "a" / "aws-devex-2025" / "aws-devex-2025.pdf"
    assert "Tagged:          yes" in pdfinfo(str(archival))
    meta = pdfinfo("-meta", str(archival))
    assert 'pdfaid:part="3"' in meta
    assert 'pdfaid:conformance="B"' in meta
    # Tagged as the PDF/UA variant is, so it says so (with the schema PDF/A asks described).
    assert 'pdfuaid:part="1"' in meta
    assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in meta
    built_alone(BUNDLED_PACK, tmp_path / "n", "pdf", "--pdf-variant", "none")
    untagged = tmp_path / "n" / "aws-devex-2025" / "aws-devex-2025.pdf"
    assert "Tagged:          no" in pdfinfo(str(untagged))


def test_the_word_copy_describes_every_picture(tmp_path: Path) -> None:
    from PIL import Image

    from conftest import MINIMAL_PACK

    Image.new("RGB", (40, 30), (200, 10, 10)).save(tmp_path / "chart.png")
    text = MINIMAL_PACK.replace(
        "question: Where are we going?", 'question: "See ![Revenue by quarter](chart.png)."'
    )
    (tmp_path / "pack.yaml").write_text(text, encoding="utf-8")
    built_alone(tmp_path / "pack.yaml", tmp_path / "out", "docx")
    from docx_helpers import NS, part

    document = part((tmp_path / "out" / "pack" / "pack.docx").read_bytes(), "word/document.xml")
    described = document.xpath(
        "//wp:docPr/@descr",
        namespaces={
            **NS,
            "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
        },
    )
    assert described == ["Revenue by quarter"]


def test_the_built_in_themes_read_at_4_5_to_1_and_a_pale_theme_is_reported(tmp_path: Path) -> None:
    from briefpack.build.chosen_settings import choose_theme
    from briefpack.model.theme import contrast

    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    for name in ("executive", "classic"):
        assert choose_theme(name, tmp_path).colours.contrast_failures() == [], name
    (tmp_path / "pale").mkdir()
    (tmp_path / "pale" / "theme.yaml").write_text(
        'colours:\n  muted: "#aaaaaa"\n', encoding="utf-8"
    )
    (tmp_path / "pack.yaml").write_text(
        BUNDLED_PACK.read_text(encoding="utf-8") + "options:\n  theme: pale\n", "utf-8"
    )
    err = built_alone(tmp_path / "pack.yaml", tmp_path / "out", "docx")
    assert (
        "theme.yaml: warning: muted text on page has a contrast of 2.32:1, below the 4.5:1" in err
    )


def test_lists_and_pictures_are_in_the_structure_with_their_alt_text(tmp_path: Path) -> None:
    from PIL import Image

    from conftest import MINIMAL_PACK

    Image.new("RGB", (40, 30), (200, 10, 10)).save(tmp_path / "chart.png")
    question = (
        "question: |-\n              See ![Revenue by quarter](chart.png).\n\n"
        "              - first step\n              - second step\n\n"
        "              1. one\n              2. two"
    )
    loose_item = "- loose\n\n                second paragraph\n                - nested"
    question += f"\n            context: |-\n              {loose_item}\n"
    text = MINIMAL_PACK.replace("question: Where are we going?", question)
    (tmp_path / "pack.yaml").write_text(text, encoding="utf-8")
    built_alone(tmp_path / "pack.yaml", tmp_path / "out", "pdf")
    pdf = tmp_path / "out" / "pack" / "pack.pdf"
    tree = pdfinfo("-struct-text", str(pdf))
    # Each item holds its label, then its body, as a screen reader announces them.
    items = re.findall(
        r'LI \(block\)\n\s+Lbl \(block\)\n\s+Span \(inline\)\n\s+"(.+)"\n'
        r'\s+LBody \(block\)\n\s+P \(block\)\n\s+Span \(inline\)\n\s+"(.+)"',
        tree,
    )
    assert items == [
        ("•", "loose"),  # a loose item: its paragraphs and its list in one body
        ("•", "nested"),
        ("•", "first step"),
        ("•", "second step"),
        ("1.", "one"),
        ("2.", "two"),
    ]
    assert tree.count("Lbl (block)") == 6  # the six items, and nothing else
    # The bullets are still drawn in the flow, so a copy keeps them with their items.
    copied = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "• first step\n• second step\n1. one\n2. two" in copied
    with pikepdf.open(pdf) as document:
        # Every list holds only items (the nested one inside its item's body), and every
        # item a label and a body, as ISO 32000-1 14.8.4.3.3 asks.
        shapes = set()
        for thing in document.objects:
            if isinstance(thing, pikepdf.Dictionary) and thing.get("/S") in ("/L", "/LI"):
                kids = [str(kid.get("/S")) for kid in thing.K]
                shapes.add((str(thing.S), tuple(sorted(set(kids)))))
        assert shapes == {("/L", ("/LI",)), ("/LI", ("/LBody", "/Lbl"))}
        nested = next(
            thing
            for thing in document.objects
            if isinstance(thing, pikepdf.Dictionary)
            and thing.get("/S") == "/L"
            and thing.P.get("/S") == "/LBody"
        )
        assert len(nested.K) == 1
        figures = [
            thing
            for thing in document.objects
            if isinstance(thing, pikepdf.Dictionary) and thing.get("/S") == "/Figure"
        ]
        assert [str(figure.get("/Alt")) for figure in figures] == ["Revenue by quarter"]


def test_every_kind_of_output_is_tagged(tmp_path: Path) -> None:
    text = BUNDLED_PACK.read_text(encoding="utf-8").replace(
        "days:", "recipients:\n  - name: Jane Doe\n    exclude: [agentcore]\ndays:", 1
    )
    (tmp_path / "pack.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "earlier.yaml").write_text(BUNDLED_PACK.read_text(encoding="utf-8"), "utf-8")
    (tmp_path / "pack.answers.yaml").write_text(
        "answers:\n  agentcore--agent-mesh-for-lifecycle-management:\n    answer: Yes.\n", "utf-8"
    )
    code, _, err = run(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"), "-f", "pdf",
        "--per-recipient", "--changes-since", str(tmp_path / "earlier.yaml"),
    )  # fmt: skip
    assert code == 0, err
    out = tmp_path / "out" / "pack"
    outputs = [
        "pack.changes.pdf",
        "pack.debrief.pdf",
        "recipients/jane-doe.pdf",
        "sessions/02-agentcore.pdf",
    ]
    for name in outputs:
        assert "Tagged:          yes" in pdfinfo(str(out / name)), name
    assert "H3 (block)" in pdfinfo("-struct-text", str(out / "recipients" / "jane-doe.pdf"))


@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime")
def test_an_archival_pdf_is_the_same_bytes_whatever_the_clock(tmp_path: Path) -> None:
    outputs = []
    for name, clock in (("now", []), ("later", ["faketime", "-f", "+3d"])):
        arguments = ["-o", str(tmp_path / name), "-f", "pdf", "--no-sessions"]
        variant = ["--pdf-variant", "pdf/a-3b"]
        command = [sys.executable, "-m", "briefpack.cli", "build", str(BUNDLED_PACK)]
        subprocess.run(
            [*clock, *command, *arguments, *variant],
            check=True,
            capture_output=True,
        )
        outputs.append((tmp_path / name / "aws-devex-2025" / "aws-devex-2025.pdf").read_bytes())
    assert outputs[0] == outputs[1]


def outline_levels(docx: bytes) -> list[tuple[int, str]]:
    """Each body paragraph that is a heading to Word (an outline level), with its text.

    The level comes from the paragraph's style or the styles it is based on;
    a level set on a paragraph itself would be a heading made by hand.
    """
    from docx_helpers import NS, W, part

    styles = part(docx, "word/styles.xml")
    based_on: dict[str, str] = {}
    level_of: dict[str, int] = {}
    for style in styles.findall("w:style", NS):
        name = style.get(f"{{{W}}}styleId")
        parent = style.find("w:basedOn", NS)
        if parent is not None:
            based_on[name] = parent.get(f"{{{W}}}val")
        level = style.find("w:pPr/w:outlineLvl", NS)
        if level is not None:
            level_of[name] = int(level.get(f"{{{W}}}val"))

    def level(style: str | None) -> int | None:
        while style is not None:
            if style in level_of:
                return level_of[style]
            style = based_on.get(style)
        return None

    body = part(docx, "word/document.xml").find("w:body", NS)
    assert not body.xpath(".//w:pPr/w:outlineLvl", namespaces=NS)
    headings = []
    for paragraph in body.findall("w:p", NS):
        style = paragraph.find("w:pPr/w:pStyle", NS)
        found = level(style.get(f"{{{W}}}val") if style is not None else None)
        if found is not None and found < 9:
            text = "".join(paragraph.xpath(".//w:t/text()", namespaces=NS))
            headings.append((found + 1, " ".join(text.split())))
    return headings


def blank_paragraphs(docx: bytes) -> list[str]:
    """Paragraphs outside table cells with nothing in them: spacing made by hand.

    One that holds a section break (after a table, where a part ends) is no spacing:
    Word itself makes that paragraph, and its checker counts it as no blank one.
    """
    from docx_helpers import NS, part

    body = part(docx, "word/document.xml").find("w:body", NS)
    blank = []
    for paragraph in body.iter(f"{{{NS['w']}}}p"):
        if paragraph.xpath("ancestor::w:tc", namespaces=NS):
            continue  # a cell must hold a paragraph, empty or not
        content = paragraph.xpath(
            ".//w:t | .//w:tab | .//w:drawing | .//w:fldChar | .//w:sdt | .//w:bookmarkStart"
            " | w:pPr/w:sectPr",
            namespaces=NS,
        )
        if not content:
            blank.append(paragraph.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS))
    return blank


def test_the_word_copy_has_headings_only_from_styles_and_no_blank_paragraphs(
    tmp_path: Path,
) -> None:
    from briefpack.render.wording import wording_for

    text = BUNDLED_PACK.read_text(encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "earlier.yaml").write_text(text.replace("AgentCore", "Agent Core"), "utf-8")
    (tmp_path / "pack.answers.yaml").write_text(
        "answers:\n  agentcore--agent-mesh-for-lifecycle-management:\n    answer: Yes.\n", "utf-8"
    )
    code, _, err = run(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"), "-f", "docx",
        "--notes", "--changes-since", str(tmp_path / "earlier.yaml"),
    )  # fmt: skip
    assert code == 0, err
    out = tmp_path / "out" / "pack"
    outputs = sorted(out.rglob("*.docx"))
    assert {path.name for path in outputs} >= {
        "pack.docx",
        "pack.changes.docx",
        "pack.debrief.docx",
        "02-agentcore.docx",
    }
    for path in outputs:
        assert blank_paragraphs(path.read_bytes()) == [], path.name
        levels = [level for level, _ in outline_levels(path.read_bytes())]
        assert levels[0] == 1, path.name
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), path.name  # none skipped

    pack = load_pack(BUNDLED_PACK)
    expected = [(1, pack.title), (2, "At a glance"), (2, "Contents")]
    for day in pack.days:
        expected.append((1, wording_for("en").day_heading(day.date)))
        for session in day.sessions:
            expected.append((2, session.title))
            expected += [(3, f"{n} {q.title}") for n, q in enumerate(session.questions, 1)]
    assert outline_levels((out / "pack.docx").read_bytes()) == expected
    changes = outline_levels((out / "pack.changes.docx").read_bytes())
    # The cover, then the changes page (front matter, after the cover), then the pack's own.
    assert changes[0] == (1, pack.title)
    assert changes[1] == (2, "What changed since earlier.yaml of " + changes[1][1].split(" of ")[1])
    assert changes[2:4] == [(2, "At a glance"), (2, "Contents")]
    debrief = outline_levels((out / "pack.debrief.docx").read_bytes())
    assert debrief[:2] == [(1, "Debrief"), (2, "Follow-ups")]


def test_the_outloud_checker_finds_no_pdf_ua_error_in_any_kind_of_output(tmp_path: Path) -> None:
    """The machine-checkable part of PDF/UA-1 (Matterhorn), by a checker that runs offline.

    outloud's one warning left is its guess that a line repeated at the same
    place on three pages is a running head: here a question's "CONTEXT" label
    when questions start at the top of their pages, which is content.
    """
    pytest.importorskip("outloud")
    from conftest import RICH_PACK

    text = BUNDLED_PACK.read_text(encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(
        text.replace(
            "days:", "recipients:\n  - name: Jane Doe\n    exclude: [agentcore]\ndays:", 1
        ),
        "utf-8",
    )
    (tmp_path / "earlier.yaml").write_text(text.replace("AgentCore", "Agent Core"), "utf-8")
    (tmp_path / "pack.answers.yaml").write_text(
        "answers:\n  agentcore--agent-mesh-for-lifecycle-management:\n    answer: Yes.\n"
        "    follow_up: Send the pricing.\n",
        "utf-8",
    )
    (tmp_path / "rich").mkdir()
    (tmp_path / "rich" / "rich.yaml").write_text(RICH_PACK, "utf-8")
    for arguments in (
        [str(tmp_path / "pack.yaml"), "--per-recipient", "--notes", "--answer-fields"],
        ["--changes-since", str(tmp_path / "earlier.yaml"), str(tmp_path / "pack.yaml")],
        [str(tmp_path / "rich" / "rich.yaml")],
    ):
        code, _, err = run("build", *arguments, "-o", str(tmp_path / "out"), "-f", "pdf")
        assert code == 0, err
    pdfs = sorted((tmp_path / "out").rglob("*.pdf"))
    names = {pdf.name for pdf in pdfs}
    assert {"pack.pdf", "jane-doe.pdf", "02-agentcore.pdf", "pack.changes.pdf"} <= names
    assert {"02-agentcore.changes.pdf", "pack.debrief.pdf", "rich.pdf"} <= names
    checked = subprocess.run(
        [sys.executable, "-m", "outloud.cli", "--json", "-", "--fail-on", "never", *map(str, pdfs)],
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    findings = [
        (Path(result["path"]).name, finding["rule"], finding["severity"], finding["message"])
        for result in json.loads(checked.stdout)["results"]
        for finding in result["findings"]
        if finding["severity"] in ("error", "warning")
    ]
    assert [finding for finding in findings if finding[2] == "error"] == []
    assert {finding[1] for finding in findings} <= {"PAG-001"}
    assert not [finding for finding in findings if "page numbers" in finding[3]]
