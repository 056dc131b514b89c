"""A pack per recipient: addressed to them, marked on every page, without what they must not see."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from briefpack.content.validate import load_pack

from conftest import BUNDLED_PACK, run
from pdf_helpers import outline, page_texts
from pdf_makers import make_pdf

RECIPIENTS = """\
recipients:
  - name: Jane Doe
  - name: Omar Haddad
    exclude: [agentcore]
"""
OMAR = "Prepared for Omar Haddad · Oct 23, 2025"


def recipients_pack(folder: Path, recipients: str = RECIPIENTS) -> Path:
    """The bundled pack with two recipients, and a one-page pre-read under AgentCore."""
    make_pdf(folder / "memo.pdf", 1, text="AgentCore memo")
    text = BUNDLED_PACK.read_text(encoding="utf-8").replace("days:", recipients + "days:", 1)
    at = text.index("        questions:", text.index("      - label: Session 2"))
    attachment = "        attachments:\n          - file: memo.pdf\n            title: The memo\n"
    pack = folder / "pack.yaml"
    pack.write_text(text[:at] + attachment + text[at:], encoding="utf-8")
    return pack


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("recipients")
    pack = recipients_pack(root)
    code, _, err = run("build", str(pack), "-o", str(root / "out"), "--per-recipient")
    assert code == 0, err
    return root / "out" / "pack"


def docx_text(path: Path) -> str:
    """Every piece of text in a .docx: body, tables, headers and footers."""
    with zipfile.ZipFile(path) as package:
        parts = [name for name in package.namelist() if name.startswith("word/")]
        return " ".join(
            package.read(name).decode("utf-8") for name in parts if name.endswith(".xml")
        )


def test_each_recipient_gets_a_pdf_and_a_word_copy(built: Path) -> None:
    assert sorted(path.name for path in (built / "recipients").iterdir()) == [
        "jane-doe.docx",
        "jane-doe.pdf",
        "omar-haddad.docx",
        "omar-haddad.pdf",
    ]


def test_an_excluded_session_appears_nowhere_in_the_readers_pack(built: Path) -> None:
    data = (built / "recipients" / "omar-haddad.pdf").read_bytes()
    pages = page_texts(data)
    text = " ".join(pages)
    for trace in ("AgentCore", "Amanda Lester", "Multi-Agent Orchestration", "The memo", "memo"):
        assert trace not in text, trace
    titles = [entry.title for day in outline(data) for entry in day.children]
    assert titles == [
        "Session 1: DevOps Culture at Amazon",
        "Session 3: Leveraging AI in the Software Development Lifecycle",
        "Executive Meeting with AWS Developer Experience",
    ]
    assert "2 days, 3 sessions, and 20 questions" in pages[0]
    assert "PRE-READS" not in pages[1]  # no pre-read left, so no column for them
    assert "AgentCore" not in docx_text(built / "recipients" / "omar-haddad.docx")
    assert "Amanda Lester" not in docx_text(built / "recipients" / "omar-haddad.docx")


def test_page_numbers_run_on_without_a_gap(built: Path) -> None:
    pages = page_texts((built / "recipients" / "omar-haddad.pdf").read_bytes())
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in page


def test_every_page_of_the_pdf_is_marked_for_its_reader(built: Path) -> None:
    pages = page_texts((built / "recipients" / "jane-doe.pdf").read_bytes())
    assert all("Prepared for Jane Doe · Oct 23, 2025" in page for page in pages)
    memo = next(page for page in pages if "AgentCore memo 1" in page)  # a pre-read page too
    assert "Prepared for Jane Doe" in memo
    assert pages[0].count("Prepared for Jane Doe") == 2  # the cover's line and the mark
    full = page_texts((built / "pack.pdf").read_bytes())
    assert not any("Prepared for" in page for page in full)


def test_the_word_copy_carries_the_readers_name_as_a_watermark_on_every_page(
    built: Path,
) -> None:
    document = docx.Document(str(built / "recipients" / "omar-haddad.docx"))
    textpath = "{urn:schemas-microsoft-com:vml}textpath"
    # As the PDF's mark: in every section's header, the cover's too; not as header text.
    for section in document.sections:
        header = section.header._element
        words = [shape.get("string") for shape in header.iter(textpath)]
        assert [text for text in words if text] == [OMAR]
        assert OMAR not in section.header.paragraphs[0].text
    assert any(OMAR in paragraph.text for paragraph in document.paragraphs)


def test_the_pack_can_ask_for_recipients_and_the_command_line_can_decline(tmp_path: Path) -> None:
    pack = recipients_pack(tmp_path)
    text = pack.read_text(encoding="utf-8") + "options:\n  per_recipient: true\n"
    pack.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run("build", str(pack), "-o", str(out), "--no-sessions", "-f", "pdf")
    assert code == 0, err
    assert (out / "pack" / "recipients" / "omar-haddad.pdf").is_file()
    code, stdout, err = run(
        "build", str(pack), "-o", str(out), "--no-sessions", "-f", "pdf", "--no-per-recipient"
    )
    assert code == 0, err
    assert "recipients" not in stdout  # not asked for this time: neither built nor removed
    assert (out / "pack" / "recipients" / "omar-haddad.pdf").is_file()
    # A recipient taken out of the pack loses their outputs at the next build of recipients.
    pack.write_text(text.replace("  - name: Omar Haddad\n    exclude: [agentcore]\n", ""), "utf-8")
    code, stdout, err = run("build", str(pack), "-o", str(out), "--no-sessions", "-f", "pdf")
    assert code == 0, err
    assert not (out / "pack" / "recipients" / "omar-haddad.pdf").exists()
    assert (out / "pack" / "recipients" / "jane-doe.pdf").is_file()


def test_an_edit_to_an_excluded_session_leaves_that_readers_pack_alone(tmp_path: Path) -> None:
    pack = recipients_pack(tmp_path)
    out = tmp_path / "out"
    arguments = ("-o", str(out), "--no-sessions", "-f", "pdf", "--per-recipient")
    code, _, err = run("build", str(pack), *arguments)
    assert code == 0, err
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace("Multi-Agent Orchestration", "Multi-Agent Coordination"), "utf-8")
    code, stdout, err = run("build", str(pack), *arguments)
    assert code == 0, err
    written = sorted(
        Path(line.split()[1]).name for line in stdout.splitlines() if line.startswith("wrote")
    )
    assert written == ["jane-doe.pdf", "pack.pdf"]


def test_recipient_problems_are_reported_at_their_lines(tmp_path: Path) -> None:
    pack = recipients_pack(
        tmp_path,
        "recipients:\n  - name: Jane Doe\n    exclude: [agentcor, nothing-like-it]\n"
        "  - name: jane doe\n"
        "  - name: Nobody\n    exclude: [devops-culture-at-amazon, agentcore,\n"
        "      leveraging-ai-in-the-software-development-lifecycle,\n"
        "      executive-meeting-with-aws-developer-experience]\n",
    )
    lines = pack.read_text(encoding="utf-8").splitlines()
    code, _, err = run("validate", str(pack))
    assert code == 1
    exclude = lines.index("    exclude: [agentcor, nothing-like-it]") + 1
    second = lines.index("  - name: jane doe") + 1
    assert (
        f"{pack}:{exclude}:15: no session has the id 'agentcor'; did you mean 'agentcore'?" in err
    )
    assert f"{pack}:{exclude}:25: no session has the id 'nothing-like-it'; the ids are " in err
    assert f"{pack}:{second}:5: recipient 'jane doe' would share the file name 'jane-doe'" in err
    nobody = lines.index("  - name: Nobody") + 1
    assert f"{pack}:{nobody}:5: recipient 'Nobody' is excluded from every session" in err


ATTENDEES = """\
attendees:
  - name: Jane Doe
    role: Chief Technology Officer
  - name: Li Wei
    role: Head of Security Engineering
  - name: Ada Ng
    role: Board Secretary
"""


def attendees_pack(folder: Path) -> Path:
    """The recipients' pack with three attendees: in Sessions 1 and 2, in 2 only, in none."""
    pack = recipients_pack(folder)
    text = pack.read_text(encoding="utf-8").replace("days:", ATTENDEES + "days:", 1)
    for label, names in (("Session 1", "Jane Doe"), ("Session 2", "Jane Doe, Li Wei")):
        at = text.index("        speakers:", text.index(f"      - label: {label}"))
        text = text[:at] + f"        attendees: [{names}]\n" + text[at:]
    pack.write_text(text, encoding="utf-8")
    return pack


def test_an_attendee_of_only_excluded_sessions_is_not_in_the_readers_pack(tmp_path: Path) -> None:
    pack = load_pack(attendees_pack(tmp_path))
    omar = next(reader for reader in pack.recipients if reader.name == "Omar Haddad")
    names = [attendee.name for attendee in pack.for_recipient(omar).attendees]
    # Li Wei attends only AgentCore; Ada Ng attends nothing, in the full pack as well.
    assert names == ["Jane Doe", "Ada Ng"]
    jane = next(reader for reader in pack.recipients if reader.name == "Jane Doe")
    assert len(pack.for_recipient(jane).attendees) == 3


def test_neither_format_lists_an_attendee_hidden_with_their_sessions(tmp_path: Path) -> None:
    pack = attendees_pack(tmp_path)
    out = tmp_path / "out"
    code, _, err = run("build", str(pack), "-o", str(out), "--no-sessions", "--per-recipient")
    assert code == 0, err
    readers = out / "pack" / "recipients"
    omar_pdf = " ".join(page_texts((readers / "omar-haddad.pdf").read_bytes()))
    omar_docx = docx_text(readers / "omar-haddad.docx")
    for text in (omar_pdf, omar_docx):
        assert "Li Wei" not in text
        assert "Head of Security Engineering" not in text
        assert "Jane Doe" in text
        assert "Ada Ng" in text
    assert "Li Wei" in " ".join(page_texts((readers / "jane-doe.pdf").read_bytes()))
    assert "Li Wei" in docx_text(readers / "jane-doe.docx")


def test_a_recipient_named_in_any_script_finds_their_file_by_their_name(tmp_path: Path) -> None:
    recipients = (
        "recipients:\n  - name: Νικόλαος Παπαδόπουλος\n  - name: Анна Каренина\n"
        "  - name: 山田 太郎\n  - name: José Ñúñez\n"
    )
    pack = recipients_pack(tmp_path, recipients)
    # The Word copy: no font of the themes has the Japanese name's characters, so
    # its PDF would print boxes (warned of at its line), which PDF/UA forbids.
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "-f", "docx", "--per-recipient",
        "--no-sessions",
    )  # fmt: skip
    assert code == 0, err
    assert sorted(path.name for path in (tmp_path / "out" / "pack" / "recipients").iterdir()) == [
        "jose-nunez.docx",
        "νικόλαος-παπαδόπουλος.docx",
        "анна-каренина.docx",
        "山田-太郎.docx",
    ]
