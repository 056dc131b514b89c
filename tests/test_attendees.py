"""Attendees: a grid of photos and biographies in the full pack, each session's own in its pack."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import BUNDLED_PACK, run
from pdf_helpers import page_texts

ATTENDEES = """\
attendees:
  - name: Jane Doe
    role: Chief Technology Officer
    organisation: Example Corp
    photo: people/jane.png
    bio: Leads engineering for **1,200** developers.
  - name: Li Wei
    role: Head of Security Engineering
"""


def pack_with_attendees(folder: Path, session_one: str, session_two: str) -> Path:
    """The bundled pack with two attendees, naming some of them in Sessions 1 and 2."""
    (folder / "people").mkdir(exist_ok=True)
    Image.new("RGB", (120, 120), (70, 110, 160)).save(folder / "people" / "jane.png")
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    text = text.replace("days:", ATTENDEES + "days:", 1)
    for label, names in (("Session 1", session_one), ("Session 2", session_two)):
        at = text.index("        speakers:", text.index(f"      - label: {label}"))
        text = text[:at] + f"        attendees: [{names}]\n" + text[at:]
    pack = folder / "pack.yaml"
    pack.write_text(text, encoding="utf-8")
    return pack


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("attendees")
    pack = pack_with_attendees(root, "Jane Doe, Li Wei", "Li Wei")
    code, _, err = run("build", str(pack), "-o", str(root / "out"))
    assert code == 0, err
    return root / "out" / "pack"


def test_the_full_pack_has_an_attendees_page_after_at_a_glance(built: Path) -> None:
    data = (built / "pack.pdf").read_bytes()
    pages = page_texts(data)
    assert "At a glance" in pages[1]
    page = pages[2]
    assert page.startswith("Attendees") or "Attendees Jane Doe" in page
    assert "Jane Doe Chief Technology Officer · Example Corp" in page
    assert "Leads engineering for 1,200 developers." in page
    assert "DevOps Culture at Amazon" in page  # the sessions Jane takes part in
    assert "LW" in page  # Li Wei has no photo: initials stand in
    assert len(PdfReader(io.BytesIO(data)).pages[2].images) == 1  # Jane's photo
    assert "Contents" in pages[3]


def test_each_session_band_names_its_attendees(built: Path) -> None:
    pages = page_texts((built / "pack.pdf").read_bytes())
    devops = next(page for page in pages[4:] if "DevOps Culture at Amazon" in page)
    assert "ATTENDEES Jane Doe, Li Wei" in devops


def test_a_session_pack_shows_only_its_own_attendees(built: Path) -> None:
    pages = page_texts((built / "sessions" / "02-agentcore.pdf").read_bytes())
    grid = pages[1]
    assert "Li Wei" in grid
    assert "Jane Doe" not in " ".join(pages)
    other = page_texts(
        (
            built / "sessions" / "03-leveraging-ai-in-the-software-development-lifecycle.pdf"
        ).read_bytes()
    )
    assert "Attendees" not in " ".join(other)


def test_the_word_copy_has_the_same_attendees(built: Path) -> None:
    document = docx.Document(str(built / "pack.docx"))
    names = [p.text for p in document.paragraphs if p.style.name == "Briefing Part Title"]
    assert names == ["At a glance", "Attendees", "Contents"]
    grid = document.tables[1]
    jane, li = grid.cell(0, 0), grid.cell(0, 1)
    assert [p.text for p in jane.paragraphs][1:] == [
        "Jane Doe",
        "Chief Technology Officer · Example Corp",
        "Leads engineering for 1,200 developers.",
        "DevOps Culture at Amazon",
    ]
    assert jane.paragraphs[0]._p.xpath(".//pic:pic")  # the photo
    assert [p.text for p in li.paragraphs] == [
        "Li Wei",
        "Head of Security Engineering",
        "DevOps Culture at Amazon · AgentCore",
    ]
    speakers = [p.text for p in document.paragraphs if p.style.name == "Briefing Speakers"]
    assert "Attendees: Jane Doe, Li Wei" in speakers
    session = docx.Document(str(built / "sessions" / "02-agentcore.docx"))
    cells = [p.text for p in session.tables[0].cell(0, 0).paragraphs]
    assert cells[0] == "Li Wei"


def test_attendee_problems_are_reported_at_their_lines(tmp_path: Path) -> None:
    pack = pack_with_attendees(tmp_path, "Jane Do", "Nobody Known")
    text = pack.read_text(encoding="utf-8")
    text = text.replace("  - name: Li Wei\n", "  - name: Li Wei\n  - name: Li Wei\n", 1)
    text = text.replace("photo: people/jane.png", "photo: ../jane.png", 1)
    pack.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    code, _, err = run("validate", str(pack))
    assert code == 1
    photo = lines.index("    photo: ../jane.png") + 1
    duplicate = lines.index("  - name: Li Wei", lines.index("  - name: Li Wei") + 1) + 1
    typo = next(n for n, line in enumerate(lines, start=1) if "attendees: [Jane Do]" in line)
    unknown = next(n for n, line in enumerate(lines, start=1) if "[Nobody Known]" in line)
    assert (
        f"{pack}:{photo}:12: 'photo' '../jane.png': the image is outside the pack's folder" in err
    )
    assert f"{pack}:{duplicate}:5: attendee 'Li Wei' is already listed at line" in err
    assert (
        f"{pack}:{typo}:21: 'Jane Do' is not one of the pack's attendees; did you mean 'Jane Doe'?"
        in err
    )
    assert f"{pack}:{unknown}:21: 'Nobody Known' is not one of the pack's attendees" in err
