"""Answer fields, harvest, and the answers file: prepare, meet, capture."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from lxml import etree
from pypdf import PdfReader, PdfWriter

from conftest import BUNDLED_PACK, libreoffice_with_uno, run
from pdf_helpers import page_texts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIRST = "devops-culture-at-amazon--observability-reliability-engineering"
SECOND = "agentcore--multi-agent-orchestration-at-scale"
TWO_PARAGRAPHS = "Première réponse, déjà validée 🚀\nSecond paragraph: ça marche"


def fill_docx(source: Path, target: Path, values: dict[str, str]) -> Path:
    """Type ``values`` (by tag) into the Word copy's content controls, as Word would."""
    with zipfile.ZipFile(source) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        items = [(item, archive.read(item.filename)) for item in archive.infolist()]
    for control in document.iter(W + "sdt"):
        tag = control.find(f"{W}sdtPr/{W}tag").get(W + "val")
        if tag not in values:
            continue
        properties = control.find(W + "sdtPr")
        properties.remove(properties.find(W + "showingPlcHdr"))
        content = control.find(W + "sdtContent")
        template = content.find(W + "p")
        for paragraph in content.findall(W + "p"):
            content.remove(paragraph)
        for line in values[tag].split("\n"):
            paragraph = etree.SubElement(content, W + "p")
            paragraph.append(template.find(W + "pPr").__copy__())
            text = etree.SubElement(etree.SubElement(paragraph, W + "r"), W + "t")
            text.text = line
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    with zipfile.ZipFile(target, "w") as out:
        for item, data in items:
            out.writestr(
                item, etree.tostring(document) if item.filename == "word/document.xml" else data
            )
    return target


def fill_pdf(source: Path, target: Path, values: dict[str, str]) -> Path:
    writer = PdfWriter(clone_from=str(source))
    for page in writer.pages:
        names = {annotation.get_object().get("/T") for annotation in page.get("/Annots", [])}
        present = {name: value for name, value in values.items() if name in names}
        if present:
            writer.update_page_form_field_values(page, present, auto_regenerate=False)
    writer.write(target)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("answers")
    (root / "content").mkdir()
    shutil.copy(BUNDLED_PACK, root / "content" / "pack.yaml")
    code, _, err = run(
        "build", str(root / "content" / "pack.yaml"), "-o", str(root / "out"), "--answer-fields"
    )
    assert code == 0, err
    return root


def test_the_pdf_has_an_answer_and_a_follow_up_field_per_question(built: Path) -> None:
    fields = PdfReader(built / "out" / "pack" / "pack.pdf").get_fields()
    assert fields is not None
    assert len(fields) == 2 * 27
    assert f"answer:{FIRST}" in fields
    assert f"follow-up:{SECOND}" in fields
    field = fields[f"answer:{FIRST}"]
    assert field["/FT"] == "/Tx"
    assert int(field["/Ff"]) & (1 << 12)  # multi-line


def test_the_word_copy_has_titled_tagged_controls_with_placeholders(built: Path) -> None:
    with zipfile.ZipFile(built / "out" / "pack" / "pack.docx") as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    controls = list(document.iter(W + "sdt"))
    assert len(controls) == 2 * 27
    first = controls[0].find(W + "sdtPr")
    assert first.find(W + "alias").get(W + "val") == "Answer"
    assert first.find(W + "tag").get(W + "val") == f"briefpack:answer:{FIRST}"
    assert first.find(W + "showingPlcHdr") is not None
    assert first.find(W + "text").get(W + "multiLine") == "1"
    assert "Type the answer here." in "".join(controls[0].itertext())
    session = built / "out" / "pack" / "sessions" / "02-agentcore.docx"
    with zipfile.ZipFile(session) as archive:
        tags = etree.fromstring(archive.read("word/document.xml")).iter(f"{W}tag")
        assert f"briefpack:answer:{SECOND}" in {tag.get(W + "val") for tag in tags}


def harvested(built: Path) -> str:
    return (built / "content" / "pack.answers.yaml").read_text(encoding="utf-8")


def test_harvest_brings_every_answer_back_word_for_word(built: Path, tmp_path: Path) -> None:
    word = fill_docx(
        built / "out" / "pack" / "pack.docx",
        tmp_path / "filled.docx",
        {
            f"briefpack:answer:{FIRST}": TWO_PARAGRAPHS,
            f"briefpack:follow-up:{FIRST}": "  Send the workbook.  ",
        },
    )
    pdf = fill_pdf(
        built / "out" / "pack" / "sessions" / "02-agentcore.pdf",
        tmp_path / "filled.pdf",
        {f"answer:{SECOND}": "Use a supervisor agent.\r\nThen measure."},
    )
    code, out, err = run(
        "harvest", str(word), str(pdf), "--into", str(built / "content" / "pack.answers.yaml")
    )
    assert code == 0, err
    from briefpack.content.answers_file import load_answers

    answers = load_answers(built / "content" / "pack.answers.yaml")
    first, second = answers.get(FIRST), answers.get(SECOND)
    assert first is not None
    assert second is not None
    assert first.answer == TWO_PARAGRAPHS
    assert first.follow_up == "Send the workbook."  # only the spaces around it trimmed
    assert first.source == "filled.docx"
    assert second.answer == "Use a supervisor agent.\nThen measure."
    assert second.source == "filled.pdf"
    assert "pack.yaml" in harvested(built).splitlines()[0]
    # The pack file is never rewritten.
    assert (built / "content" / "pack.yaml").read_bytes() == BUNDLED_PACK.read_bytes()

    # A differently filled copy: every conflict reported, nothing written.
    before = harvested(built)
    other = fill_docx(
        built / "out" / "pack" / "pack.docx",
        tmp_path / "other.docx",
        {f"briefpack:answer:{FIRST}": "Something else"},
    )
    code, _, err = run(
        "harvest", str(other), "--into", str(built / "content" / "pack.answers.yaml")
    )
    assert code == 1
    assert f"pack.answers.yaml:5:13: '{FIRST}': the stored answer differs from other.docx's" in err
    assert "Something else" in err
    assert "Première réponse" in err
    assert harvested(built) == before
    code, _, err = run(
        "harvest", str(other), "--into", str(built / "content" / "pack.answers.yaml"), "--force"
    )
    assert code == 0, err
    assert (
        load_answers(built / "content" / "pack.answers.yaml").get(FIRST).answer == "Something else"
    )  # type: ignore[union-attr]

    # Reordered questions keep their keys: the same copy is nothing new.
    text = (built / "content" / "pack.yaml").read_text(encoding="utf-8")
    block_start = text.index("          - title: Observability & Reliability Engineering")
    block_end = text.index("          - title: Automated Incident Management")
    moved = text[:block_start] + text[block_end:]
    at = moved.index("          - title: Fast Feedback Loops")
    moved = moved[:at] + text[block_start:block_end] + moved[at:]
    (built / "content" / "pack.yaml").write_text(moved, encoding="utf-8")
    after = harvested(built)
    code, out, err = run(
        "harvest", str(other), "--into", str(built / "content" / "pack.answers.yaml")
    )
    assert code == 0, err
    assert "nothing new" in out
    assert harvested(built) == after


def test_copies_not_of_this_pack_and_hostile_files_are_refused(built: Path, tmp_path: Path) -> None:
    answers = built / "content" / "elsewhere.answers.yaml"
    shutil.copy(built / "content" / "pack.yaml", built / "content" / "elsewhere.yaml")
    blank = tmp_path / "blank.docx"
    docx.Document().save(str(blank))
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (300 * 1024 * 1024) + b">")
    hostile = tmp_path / "hostile.pdf"
    with pikepdf.open(built / "out" / "pack" / "sessions" / "02-agentcore.pdf") as pdf:
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
        )
        pdf.save(hostile)
    cases = {
        blank: "has no answer fields of a briefpack pack",
        bomb: "refused: it would unpack to far more than a Word file holds",
        hostile: "refused: it carries an open action",
    }
    for path, message in cases.items():
        code, _, err = run("harvest", str(path), "--into", str(answers))
        assert code == 1, path
        assert f"{path}: {message}" in err
        assert "Traceback" not in err
        assert not answers.exists()


def test_two_questions_with_one_key_are_an_error_at_the_second_where_answers_are_asked_for(
    tmp_path: Path,
) -> None:
    text = BUNDLED_PACK.read_text(encoding="utf-8").replace(
        "- title: Automated Incident Management", "- title: Observability & Reliability Engineering"
    )
    line = (
        text.splitlines().index("          - title: Observability & Reliability Engineering", 20)
        + 1
    )
    message = f"pack.yaml:{line}:13: this question's answers would be filed under '{FIRST}'"
    (tmp_path / "pack.yaml").write_text(
        text + "options:\n  answer_fields: true\n", encoding="utf-8"
    )
    code, _, err = run("validate", str(tmp_path / "pack.yaml"))
    assert code == 1
    assert message in err
    # A pack that asks for no answers still builds: a warning, and the second key numbered.
    (tmp_path / "pack.yaml").write_text(text, encoding="utf-8")
    code, _, err = run("validate", str(tmp_path / "pack.yaml"))
    assert code == 0
    assert message.replace(f"{line}:13: ", f"{line}:13: warning: ") in err
    from briefpack.content.validate import load_pack

    keys = [question.key for question in load_pack(tmp_path / "pack.yaml").questions]
    assert keys[:2] == [FIRST, f"{FIRST}-2"]


def test_an_answers_file_is_checked_at_its_lines_and_is_not_a_pack(tmp_path: Path) -> None:
    from briefpack.content.answers_file import load_answers
    from briefpack.errors import BriefpackError

    shutil.copy(BUNDLED_PACK, tmp_path / "pack.yaml")
    bad = tmp_path / "pack.answers.yaml"
    bad.write_text(
        "answers:\n  some-key:\n    answr: typo\n    harvested: yesterday\n", encoding="utf-8"
    )
    with pytest.raises(BriefpackError) as raised:
        load_answers(bad)
    messages = [str(problem) for problem in raised.value.problems]
    assert messages[0].startswith(f"{bad}:3:5: unknown key 'answr'")
    assert messages[1].startswith(f"{bad}:4:16: 'harvested' must be a date")
    # validate reads it as the pack's answers, as build does, not as a pack of its own.
    code, out, err = run("validate", str(tmp_path))
    assert code == 1
    assert "pack.answers.yaml" not in out
    assert err.count(f"{bad}:3:5: unknown key 'answr'") == 1
    assert "1 of 1 pack invalid" in err


def test_the_debrief_shows_each_answer_under_its_question(tmp_path: Path) -> None:
    from briefpack.authoring.harvest import answers_yaml
    from briefpack.model.answers import Answer

    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(BUNDLED_PACK, content / "pack.yaml")
    # No emoji here: whether a machine can draw one depends on its fonts (harvest keeps it).
    debriefed = "Première réponse, déjà validée\nSecond paragraph: ça marche"
    answers = [
        Answer(FIRST, answer=debriefed, follow_up="Send the workbook."),
        Answer(SECOND, answer="Use a supervisor agent."),
    ]
    (content / "pack.answers.yaml").write_text(
        answers_yaml(content / "pack.yaml", answers), "utf-8"
    )
    out = tmp_path / "out"
    code, _, err = run("build", str(content / "pack.yaml"), "-o", str(out), "--no-sessions")
    assert code == 0, err
    pages = page_texts((out / "pack" / "pack.debrief.pdf").read_bytes())
    first = pages[0]
    assert first.startswith("Debrief SESSION ANSWERED UNANSWERED FOLLOW-UPS")
    assert "Session 1: DevOps Culture at Amazon 1 5 1" in first
    assert "Session 2: AgentCore 1 6 0" in first
    assert "Observability & Reliability Engineering Send the workbook." in first
    text = " ".join(pages)
    question = "reliability over feature velocity?"
    assert f"{question} ANSWER Première réponse, déjà validée" in text
    assert "Second paragraph: ça marche FOLLOW-UP Send the workbook." in text
    assert text.count("NOT ANSWERED") == 25
    document = docx.Document(str(out / "pack" / "pack.debrief.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert debriefed in paragraphs
    assert paragraphs.count("Not answered") == 25
    assert [c.text for c in document.tables[0].rows[1].cells] == [
        "Session 1: DevOps Culture at Amazon", "1", "5", "1",
    ]  # fmt: skip

    # The answers are an input: editing them rebuilds the debrief, and only it.
    answers[1] = Answer(SECOND, answer="Use a supervisor agent, then measure.")
    (content / "pack.answers.yaml").write_text(
        answers_yaml(content / "pack.yaml", answers), "utf-8"
    )
    code, stdout, err = run("build", str(content / "pack.yaml"), "-o", str(out), "--no-sessions")
    assert code == 0, err
    written = sorted(
        Path(line.split()[1]).name for line in stdout.splitlines() if line.startswith("wrote")
    )
    assert written == ["pack.debrief.docx", "pack.debrief.pdf"]


def test_a_debrief_offers_no_fields_to_answer_again(tmp_path: Path) -> None:
    from briefpack.authoring.harvest import answers_yaml
    from briefpack.model.answers import Answer

    content = tmp_path / "content"
    content.mkdir()
    # Answer fields asked for by the pack and by the command line: the pack has them, the
    # debrief, which shows the answers already given, does not.
    text = BUNDLED_PACK.read_text(encoding="utf-8") + "options:\n  answer_fields: true\n"
    (content / "pack.yaml").write_text(text, encoding="utf-8")
    answers = [Answer(FIRST, answer="Yes.", follow_up="Send the workbook.")]
    (content / "pack.answers.yaml").write_text(
        answers_yaml(content / "pack.yaml", answers), "utf-8"
    )
    out = tmp_path / "out" / "pack"
    code, _, err = run(
        "build", str(content / "pack.yaml"), "-o", str(out.parent), "--no-sessions",
        "--answer-fields",
    )  # fmt: skip
    assert code == 0, err
    assert len(PdfReader(out / "pack.pdf").get_fields() or {}) == 2 * 27
    debrief = PdfReader(out / "pack.debrief.pdf")
    assert not debrief.get_fields()
    assert "/AcroForm" not in debrief.trailer["/Root"]
    assert not [page for page in debrief.pages if page.get("/Annots") and any(
        annotation.get_object().get("/Subtype") == "/Widget" for annotation in page["/Annots"]
    )]  # fmt: skip
    with zipfile.ZipFile(out / "pack.debrief.docx") as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    assert list(document.iter(W + "sdt")) == []
    assert "Type the answer here." not in "".join(document.itertext())
    assert "Yes." in "".join(document.itertext())


def test_the_controls_survive_a_company_template(tmp_path: Path) -> None:
    template = docx.Document()
    template.styles["Heading 3"].font.name = "Georgia"
    template.add_paragraph("Template body text")
    template.save(str(tmp_path / "company.docx"))
    shutil.copy(BUNDLED_PACK, tmp_path / "pack.yaml")
    code, _, err = run(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"), "--no-sessions",
        "-f", "docx", "--answer-fields", "--reference-docx", str(tmp_path / "company.docx"),
    )  # fmt: skip
    assert code == 0, err
    copy = tmp_path / "out" / "pack" / "pack.docx"
    filled = fill_docx(copy, tmp_path / "filled.docx", {f"briefpack:answer:{FIRST}": "Kept"})
    code, _, err = run("harvest", str(filled), "--into", str(tmp_path / "pack.answers.yaml"))
    assert code == 0, err
    assert "answer: Kept" in (tmp_path / "pack.answers.yaml").read_text(encoding="utf-8")


@pytest.mark.skipif(
    not libreoffice_with_uno(), reason="needs LibreOffice and its python3-uno (Debian packages)"
)
def test_a_copy_filled_then_saved_by_libreoffice_is_harvested(built: Path, tmp_path: Path) -> None:
    import subprocess

    filled = fill_docx(
        built / "out" / "pack" / "pack.docx",
        tmp_path / "filled.docx",
        {
            f"briefpack:answer:{SECOND}": "Accents é, à and 🚀",
            f"briefpack:follow-up:{SECOND}": "Call back",
        },
    )
    saved = tmp_path / "saved.docx"
    script = Path(__file__).with_name("lo_accept.py")
    subprocess.run(
        ["/usr/bin/python3", str(script), "save", str(filled), str(saved)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    into = tmp_path / "pack.answers.yaml"
    shutil.copy(built / "content" / "pack.yaml", tmp_path / "pack.yaml")
    code, _, err = run("harvest", str(saved), "--into", str(into))
    assert code == 0, err
    from briefpack.content.answers_file import load_answers

    answers = load_answers(into)
    assert [answer.key for answer in answers.answers] == [SECOND]  # placeholders are no answers
    assert answers.answers[0].answer == "Accents é, à and 🚀"
    assert answers.answers[0].follow_up == "Call back"


def test_a_stored_key_the_pack_no_longer_has_is_reported_and_kept(
    built: Path, tmp_path: Path
) -> None:
    shutil.copy(built / "content" / "pack.yaml", tmp_path / "pack.yaml")
    into = tmp_path / "pack.answers.yaml"
    into.write_text("answers:\n  a-question-since-removed:\n    answer: Kept\n", encoding="utf-8")
    filled = fill_docx(
        built / "out" / "pack" / "pack.docx",
        tmp_path / "f.docx",
        {f"briefpack:answer:{FIRST}": "New"},
    )
    code, _, err = run("harvest", str(filled), "--into", str(into))
    assert code == 0, err
    assert (
        f"{into}:2:3: warning: the pack has no question 'a-question-since-removed' any more" in err
    )
    text = into.read_text(encoding="utf-8")
    assert "a-question-since-removed" in text
    assert "answer: Kept" in text
    assert "answer: New" in text
