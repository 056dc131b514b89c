"""Harvest against hostile and foreign filled copies: it writes nothing the build would refuse.

Every refusal is one line at the filled copy, with no traceback, and leaves
the answers file exactly as it was.
"""

from __future__ import annotations

import base64
import os
import shutil
import time
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from lxml import etree

from conftest import BUNDLED_PACK, run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIRST = "devops-culture-at-amazon--observability-reliability-engineering"
SECOND = "agentcore--multi-agent-orchestration-at-scale"
FIRST_TITLE = "Observability & Reliability Engineering"
#: Another pack that shares one question's key with the bundled pack (FIRST), and no other.
OTHER_PACK = """\
title: Another offsite
days:
  - date: 2026-03-02
    sessions:
      - title: DevOps Culture at Amazon
        start: "09:00"
        end: "10:00"
        questions:
          - title: Observability & Reliability Engineering
            question: Same key, another pack?
          - title: Budget
            question: How much?
"""
STORED = f"answers:\n  {SECOND}:\n    answer: Stored before\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "content").mkdir()
    shutil.copy(BUNDLED_PACK, root / "content" / "pack.yaml")
    (root / "content" / "other.yaml").write_text(OTHER_PACK, encoding="utf-8")
    code, _, err = run(
        "build", str(root / "content"), "-o", str(root / "out"), "--answer-fields",
        "--no-sessions", "-f", "pdf", "-f", "docx", "-j", "1",
    )  # fmt: skip
    assert code == 0, err
    return root


@pytest.fixture
def pack(built: Path, tmp_path: Path) -> Path:
    """A fresh folder with the pack and an answers file already holding one answer."""
    shutil.copy(built / "content" / "pack.yaml", tmp_path / "pack.yaml")
    (tmp_path / "pack.answers.yaml").write_text(STORED, encoding="utf-8")
    return tmp_path


def fill_pdf(
    source: Path, target: Path, values: dict[str, str], edit: Callable[[Any], None] | None = None
) -> Path:
    """The PDF copy with ``values`` typed in (by field name), then changed by ``edit``."""
    with pikepdf.open(source) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            name = str(field.get("/T"))
            if name in values:
                field.V = pikepdf.String(values[name])
        if edit is not None:
            edit(pdf)
        pdf.save(target)
    return target


def fill_docx(
    source: Path,
    target: Path,
    values: dict[str, str],
    edit: Callable[[str, bytes], bytes] | None = None,
) -> Path:
    """The Word copy with ``values`` typed in (by tag), each part then changed by ``edit``."""
    with zipfile.ZipFile(source) as archive:
        items = [(item.filename, archive.read(item.filename)) for item in archive.infolist()]
    output = []
    for name, data in items:
        if name == "word/document.xml":
            document = etree.fromstring(data)
            for control in document.iter(W + "sdt"):
                tag = control.find(f"{W}sdtPr/{W}tag").get(W + "val")
                if tag in values:
                    control.find(W + "sdtPr").remove(control.find(f"{W}sdtPr/{W}showingPlcHdr"))
                    texts = list(control.iter(W + "t"))
                    texts[0].text = values[tag]
            data = etree.tostring(document)
        output.append((name, edit(name, data) if edit is not None else data))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in output:
            archive.writestr(name, data)
    return target


def refused(args: list[str], answers: Path, message: str) -> None:
    """Harvest fails with ``message`` as a whole line, no traceback, the answers file untouched."""
    before = answers.read_bytes() if answers.exists() else None
    code, _, err = run("harvest", *args, "--into", str(answers))
    assert code == 1, err
    assert message in err.splitlines(), err
    assert "Traceback" not in err
    assert "<memory>" not in err
    assert (answers.read_bytes() if answers.exists() else None) == before
    leftovers = [p.name for p in answers.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def harvested(answers: Path) -> Any:
    from briefpack.content.answers import load_answers

    return load_answers(answers)


@pytest.mark.parametrize(
    "character",
    ["\x1b", "\x00", "\x07", "\x7f", "\x85", "\ufffe", "\ufdd0", "\ufdef", "\U0001fffe",
     "\U0010ffff"],
)  # fmt: skip
def test_a_control_character_in_a_field_is_refused_at_the_copy_naming_its_question(
    built: Path, pack: Path, character: str
) -> None:
    filled = fill_pdf(
        built / "out" / "pack" / "pack.pdf",
        pack / "filled.pdf",
        {f"answer:{FIRST}": "Fine", f"answer:{SECOND}": f"Before{character}after"},
    )
    kind = "a noncharacter" if unicodedata.category(character) == "Cn" else "a control character"
    refused(
        [str(filled)],
        pack / "pack.answers.yaml",
        f'{filled}: the answer to "Multi-Agent Orchestration at Scale" ({SECOND}) holds '
        f"{kind} (U+{ord(character):04X}); nothing was harvested",
    )
    assert harvested(pack / "pack.answers.yaml").get(FIRST) is None  # not even the sound field


def test_what_harvest_writes_is_what_the_build_reads(built: Path, pack: Path) -> None:
    """Text a reader may type (tabs, line breaks as CR, U+2028, emoji) comes back exactly."""
    text = "Line one\r\nLine\ttwo\rthree \u2028 four 🚀"
    filled = fill_pdf(
        built / "out" / "pack" / "pack.pdf", pack / "filled.pdf", {f"follow-up:{FIRST}": text}
    )
    code, _, err = run("harvest", str(filled), "--into", str(pack / "pack.answers.yaml"))
    assert code == 0, err
    answer = harvested(pack / "pack.answers.yaml").get(FIRST)
    assert answer.follow_up == "Line one\nLine\ttwo\nthree \u2028 four 🚀"
    code, _, err = run("validate", str(pack / "pack.yaml"))
    assert code == 0, err


def test_an_answers_file_holding_a_control_character_is_refused_at_its_line(
    tmp_path: Path,
) -> None:
    from briefpack.content.answers import load_answers
    from briefpack.errors import BriefpackError

    answers = tmp_path / "pack.answers.yaml"
    answers.write_text('answers:\n  key:\n    answer: "a\\x85b"\n', encoding="utf-8")
    with pytest.raises(BriefpackError) as raised:
        load_answers(answers)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{answers}:3:13: 'answer' contains the control character U+0085; remove it"
    ]


def test_a_kids_loop_is_refused_in_one_line(built: Path, pack: Path) -> None:
    def loop(pdf: Any) -> None:
        field = pdf.Root.AcroForm.Fields[0]
        field.Kids = pikepdf.Array([field])

    filled = fill_pdf(built / "out" / "pack" / "pack.pdf", pack / "loop.pdf", {}, loop)
    refused(
        [str(filled)],
        pack / "pack.answers.yaml",
        f"{filled}: refused: its form lists a field twice (a loop in /Kids)",
    )


@pytest.mark.unchecked_outputs("a filled copy made hostile on purpose: fields nested too deep")
def test_fields_nested_deeper_than_any_pack_are_refused_and_parent_chains_are_not_walked(
    built: Path, pack: Path
) -> None:
    def deep(pdf: Any) -> None:
        field = pdf.Root.AcroForm.Fields[0]
        for level in range(5000):
            kid = pdf.make_indirect(pikepdf.Dictionary(T=pikepdf.String(f"l{level}")))
            field.Kids = pikepdf.Array([kid])
            field = kid

    filled = fill_pdf(built / "out" / "pack" / "pack.pdf", pack / "deep.pdf", {}, deep)
    refused(
        [str(filled)],
        pack / "pack.answers.yaml",
        f"{filled}: refused: its form fields nest over 32 levels deep",
    )

    def parents(pdf: Any) -> None:
        parent = pdf.make_indirect(pikepdf.Dictionary())
        pdf.Root.AcroForm.Fields[0].Parent = parent
        for _ in range(5000):
            parent.Parent = pdf.make_indirect(pikepdf.Dictionary())
            parent = parent.Parent
        parent.Parent = pdf.Root.AcroForm.Fields[0]  # and back: a loop

    filled = fill_pdf(
        built / "out" / "pack" / "pack.pdf",
        pack / "parents.pdf",
        {f"answer:{FIRST}": "Kept"},
        parents,
    )
    code, _, err = run("harvest", str(filled), "--into", str(pack / "pack.answers.yaml"))
    assert code == 0, err
    assert harvested(pack / "pack.answers.yaml").get(FIRST).answer == "Kept"


def test_a_copy_of_another_pack_that_shares_a_key_is_refused_naming_both(
    built: Path, pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = fill_pdf(
        built / "out" / "other" / "other.pdf", pack / "other.pdf", {f"answer:{FIRST}": "Theirs"}
    )
    refused(
        [str(other)],
        pack / "pack.answers.yaml",
        f"{other}: is a copy of 'other' of 2026-03-02, not of 'pack' of 2025-10-23 "
        f"({pack / 'pack.yaml'}); nothing was harvested",
    )
    word = fill_docx(
        built / "out" / "other" / "other.docx",
        pack / "other.docx",
        {f"briefpack:answer:{FIRST}": "Theirs"},
    )
    refused(
        [str(word)],
        pack / "pack.answers.yaml",
        f"{word}: is a copy of 'other' of 2026-03-02, not of 'pack' of 2025-10-23 "
        f"({pack / 'pack.yaml'}); nothing was harvested",
    )
    # Without --into, the pack the copy names is looked for, and this folder has none.
    (pack / "content").mkdir()
    shutil.copy(pack / "pack.yaml", pack / "content" / "pack.yaml")
    monkeypatch.chdir(pack)
    code, _, err = run("harvest", str(other))
    assert code == 1
    assert (
        f"no pack other.yaml (named by the copies) in content/, nor in {pack} or any folder "
        "above it, nor in their content/ folders; name its answers file with --into "
        "content/other.answers.yaml; nothing was harvested"
    ) in err.splitlines()
    assert not (pack / "content" / "pack.answers.yaml").exists()


def test_without_into_the_pack_the_copy_names_is_found_above_the_copy(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy filled where the build put it finds the project's content/, run from anywhere."""
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    shutil.copy(built / "content" / "pack.yaml", project / "content" / "pack.yaml")
    # A same-named pack of another event nearer the copy is passed over for the right one.
    other_event = built.joinpath("content", "pack.yaml").read_text(encoding="utf-8")
    (project / "build" / "pack").mkdir(parents=True)
    (project / "build" / "pack.yaml").write_text(
        other_event.replace("2025-10-23", "2024-10-23").replace("2025-10-24", "2024-10-24"),
        encoding="utf-8",
    )
    sessions = project / "build" / "pack" / "sessions"
    sessions.mkdir()
    copy = fill_pdf(built / "out" / "pack" / "pack.pdf", sessions / "filled.pdf", {
        f"answer:{FIRST}": "Found it",
    })  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no content/ here
    code, out, err = run("harvest", str(copy))
    assert code == 0, err
    answers = project / "content" / "pack.answers.yaml"
    assert out.startswith(f"{answers}: 1 filled field read from 1 file; written")
    assert harvested(answers).get(FIRST).answer == "Found it"
    assert not (project / "build" / "pack.answers.yaml").exists()


def test_a_conflict_between_two_copies_without_into_is_at_the_later_copy(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "content").mkdir()
    shutil.copy(built / "content" / "pack.yaml", tmp_path / "content" / "pack.yaml")
    one = fill_pdf(built / "out" / "pack" / "pack.pdf", tmp_path / "one.pdf", {
        f"answer:{FIRST}": "One", f"follow-up:{SECOND}": "Call",
    })  # fmt: skip
    two = fill_docx(built / "out" / "pack" / "pack.docx", tmp_path / "two.docx", {
        f"briefpack:answer:{FIRST}": "Two", f"briefpack:follow-up:{SECOND}": "Write",
    })  # fmt: skip
    monkeypatch.chdir(tmp_path)
    code, _, err = run("harvest", str(one), str(two))
    assert code == 1
    assert "<memory>" not in err
    assert err.splitlines()[:2] == [
        f"{two}: '{FIRST}': its answer 'Two' differs from {one}'s 'One'",
        f"{two}: '{SECOND}': its follow-up 'Write' differs from {one}'s 'Call'",
    ]
    assert not (tmp_path / "content" / "pack.answers.yaml").exists()


NO_IDENTITY = (
    "has no briefpack pack identity: it was made by an earlier briefpack or its document "
    "properties were removed; fill a copy built by this briefpack; nothing was harvested"
)


def _anonymous(pdf: Any) -> None:
    del pdf.trailer.Info["/BriefpackPack"]
    del pdf.trailer.Info["/BriefpackAnswerFields"]


def _no_info(pdf: Any) -> None:
    del pdf.trailer["/Info"]


def _identity_as_a_name(pdf: Any) -> None:
    pdf.trailer.Info.BriefpackPack = pikepdf.Name("/pack@2025-10-23")


def _identity_without_a_day(pdf: Any) -> None:
    pdf.trailer.Info.BriefpackPack = pikepdf.String("pack")


@pytest.mark.parametrize(
    "strip", [_anonymous, _no_info, _identity_as_a_name, _identity_without_a_day]
)
def test_a_pdf_copy_without_a_sound_identity_is_refused_even_with_only_this_packs_fields(
    built: Path, pack: Path, strip: Callable[[Any], None]
) -> None:
    """Its keys all being this pack's proves nothing: another pack may share them."""
    theirs = fill_pdf(
        built / "out" / "other" / "other.pdf",
        pack / "old-other.pdf",
        {f"answer:{FIRST}": "X"},
        strip,
    )
    ours = fill_pdf(
        built / "out" / "pack" / "pack.pdf", pack / "old-pack.pdf", {f"answer:{FIRST}": "Y"}, strip
    )
    for copy in (theirs, ours):
        refused([str(copy)], pack / "pack.answers.yaml", f"{copy}: {NO_IDENTITY}")


def test_a_word_copy_without_its_identity_is_refused(built: Path, pack: Path) -> None:
    def anonymous(name: str, data: bytes) -> bytes:
        return (
            data.replace(b"BriefpackPack", b"SomethingElse")
            if name == "docProps/custom.xml"
            else data
        )

    word = fill_docx(
        built / "out" / "pack" / "pack.docx",
        pack / "old-pack.docx",
        {f"briefpack:answer:{FIRST}": "Ours"},
        anonymous,
    )
    refused([str(word)], pack / "pack.answers.yaml", f"{word}: {NO_IDENTITY}")


def test_a_copy_with_answer_fields_of_another_version_is_refused(built: Path, pack: Path) -> None:
    def newer(pdf: Any) -> None:
        pdf.trailer.Info.BriefpackAnswerFields = pikepdf.String("2")

    filled = fill_pdf(built / "out" / "pack" / "pack.pdf", pack / "v2.pdf", {}, newer)
    refused(
        [str(filled)],
        pack / "pack.answers.yaml",
        f"{filled}: its answer fields are of version '2', made by another briefpack; this one "
        "reads version 1; nothing was harvested",
    )


def test_the_identity_is_in_copies_with_answer_fields_and_survives_filling_in(
    built: Path,
) -> None:
    from test_answers import fill_pdf as fill_with_pypdf

    from briefpack.content.filled import read_filled

    copy = read_filled(built / "out" / "pack" / "pack.docx")
    assert (copy.pack, copy.version) == ("pack@2025-10-23", "1")
    filled = fill_with_pypdf(
        built / "out" / "pack" / "pack.pdf", built / "pypdf.pdf", {f"answer:{FIRST}": "Typed"}
    )
    copy = read_filled(filled)
    assert (copy.pack, copy.version) == ("pack@2025-10-23", "1")
    assert {(field.key, field.text) for field in copy.fields if field.text} == {(FIRST, "Typed")}


@pytest.mark.parametrize(
    "rename", ["answr:KEY", "answer:KEY:extra", "briefpack:answer:KEY", "answer:no-such-question"]
)
def test_a_forged_pdf_field_name_is_refused_naming_it(built: Path, pack: Path, rename: str) -> None:
    name = rename.replace("KEY", FIRST)

    def forge(pdf: Any) -> None:
        field = pdf.Root.AcroForm.Fields[1]
        field.T = pikepdf.String(name)
        field.V = pikepdf.String("Forged")

    filled = fill_pdf(built / "out" / "pack" / "pack.pdf", pack / "forged.pdf", {}, forge)
    if rename == "answer:no-such-question":
        message = (
            f"the field '{name}' answers no question of pack.yaml: a copy of another pack, or "
            "of this one before the question was removed (restore it to harvest this copy); "
            "nothing was harvested"
        )
    else:
        message = f"refused: the form field '{name}' is not one briefpack wrote"
    refused([str(filled)], pack / "pack.answers.yaml", f"{filled}: {message}")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (f"briefpack:answer:{FIRST}", "briefpack:reply:x",
         "refused: the content control 'briefpack:reply:x' is not one briefpack wrote"),
        (f"briefpack:answer:{FIRST}", f"answer:{FIRST}",
         f"refused: the content control 'answer:{FIRST}' is not one briefpack wrote"),
        (f"briefpack:answer:{SECOND}", f" briefpack:answer:{SECOND}",
         f"refused: the content control ' briefpack:answer:{SECOND}' is not one briefpack wrote"),
        (f"briefpack:answer:{SECOND}", f"\u200bbriefpack:answer:{SECOND}",
         f"refused: the content control '\\u200bbriefpack:answer:{SECOND}' is not one "
         "briefpack wrote"),
        (f"briefpack:answer:{SECOND}", f"BRIEFPACK:answer:{SECOND}",
         f"refused: the content control 'BRIEFPACK:answer:{SECOND}' is not one briefpack wrote"),
        (f"briefpack:answer:{SECOND}", f"briefpack\uff1aanswer\uff1a{SECOND}",
         f"refused: the content control 'briefpack\uff1aanswer\uff1a{SECOND}' is not one "
         "briefpack wrote"),
        (f"briefpack:answer:{SECOND}", "my-briefpack-notes",
         "refused: the content control 'my-briefpack-notes' is not one briefpack wrote"),
        ('w:name="bpa_', 'w:name="bpa_zz',
         "refused: the bookmark 'bpa_zz"),
    ],
)  # fmt: skip
def test_a_forged_word_tag_or_bookmark_is_refused_naming_it(
    built: Path, pack: Path, old: str, new: str, message: str
) -> None:
    def forge(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        return data.replace(old.encode(), new.encode(), 1)

    filled = fill_docx(built / "out" / "pack" / "pack.docx", pack / "forged.docx", {}, forge)
    before = (pack / "pack.answers.yaml").read_bytes()
    code, _, err = run("harvest", str(filled), "--into", str(pack / "pack.answers.yaml"))
    assert code == 1
    assert err.startswith(f"{filled}: {message}"), err
    assert len(err.splitlines()) == 1
    assert (pack / "pack.answers.yaml").read_bytes() == before


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "docProps/custom.xml"])
def test_a_doctype_in_any_part_of_a_word_copy_is_refused_naming_the_part(
    built: Path, pack: Path, part: str
) -> None:
    doctype = b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/hostname">]>'

    def declare(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
        return data[:end] + doctype + data[end:]

    filled = fill_docx(
        built / "out" / "pack" / "pack.docx",
        pack / "doctype.docx",
        {f"briefpack:answer:{FIRST}": "Typed"},
        declare,
    )
    refused(
        [str(filled)],
        pack / "pack.answers.yaml",
        f"{filled}: refused: its part '{part}' declares a DOCTYPE",
    )


def test_two_answers_to_one_question_are_reported_at_the_filled_copy(
    built: Path, pack: Path
) -> None:
    def twice(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        document = etree.fromstring(data)
        control = next(
            c
            for c in document.iter(W + "sdt")
            if c.find(f"{W}sdtPr/{W}tag").get(W + "val") == f"briefpack:answer:{FIRST}"
        )
        copy = etree.fromstring(etree.tostring(control))
        next(iter(copy.iter(W + "t"))).text = "Second"
        control.addnext(copy)
        return bytes(etree.tostring(document))

    word = fill_docx(
        built / "out" / "pack" / "pack.docx",
        pack / "twice.docx",
        {f"briefpack:answer:{FIRST}": "First"},
        twice,
    )
    refused(
        [str(word)],
        pack / "pack.answers.yaml",
        f"{word}: '{FIRST}': two fields 'briefpack:answer:{FIRST}' of this copy hold different "
        "answers: 'First' and 'Second'",
    )
    pdf = fill_pdf(
        built / "out" / "pack" / "pack.pdf", pack / "second.pdf", {f"answer:{FIRST}": "Other"}
    )
    one = fill_docx(
        built / "out" / "pack" / "pack.docx",
        pack / "one.docx",
        {f"briefpack:answer:{FIRST}": "One"},
    )
    refused(
        [str(one), str(pdf)],
        pack / "pack.answers.yaml",
        f"{pdf}: '{FIRST}': its answer 'Other' differs from {one}'s 'One'",
    )
    code, _, err = run(
        "harvest", str(one), str(pdf), "--into", str(pack / "pack.answers.yaml"), "--force"
    )
    assert code == 0, err
    assert harvested(pack / "pack.answers.yaml").get(FIRST).answer == "Other"


def test_answers_too_large_for_the_build_to_read_are_not_written(built: Path, pack: Path) -> None:
    """Far larger than the answers file a build reads: refused as the field it is, at the copy."""
    text = base64.b64encode(os.urandom(5 * 1024 * 1024)).decode("ascii")
    filled = fill_docx(
        built / "out" / "pack" / "pack.docx",
        pack / "large.docx",
        {f"briefpack:answer:{FIRST}": text},
    )
    refused(
        [str(filled)],
        pack / "pack.answers.yaml",
        f'{filled}: the answer to "{FIRST_TITLE}" ({FIRST}) is {len(text):,} characters long, '
        "over the 10,000 an answer may be; shorten it; nothing was harvested",
    )


#: Prose exactly as long as an answer may be, with a word exactly as long as a word may be.
AT_THE_CAP = ("x" * 2000 + " " + "Words of an answer. " * 500)[:10_000]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (AT_THE_CAP + "y",
         "is 10,001 characters long, over the 10,000 an answer may be; shorten it"),
        ("A link: " + "x" * 2001, "holds 2,001 characters without a space a line may break at, "
         "over the 2,000 a word of an answer may be; break it up"),
        ("x" * 1000 + "\u00a0" + "x" * 1000, "holds 2,001 characters without a space a line may "
         "break at, over the 2,000 a word of an answer may be; break it up"),
    ],
)  # fmt: skip
def test_an_answer_longer_than_the_debrief_renders_in_seconds_is_refused_at_the_copy(
    built: Path, pack: Path, text: str, why: str
) -> None:
    """40,000 characters ran past the build's 300 s time limit; harvest must not write them."""
    filled = fill_pdf(
        built / "out" / "pack" / "pack.pdf", pack / "long.pdf", {f"follow-up:{FIRST}": text}
    )
    refused(
        [str(filled)],
        pack / "pack.answers.yaml",
        f'{filled}: the follow-up to "{FIRST_TITLE}" ({FIRST}) {why}; nothing was harvested',
    )


def test_an_answer_at_the_cap_is_harvested_and_its_debrief_built_within_seconds(
    built: Path, pack: Path
) -> None:
    assert len(AT_THE_CAP) == 10_000
    filled = fill_pdf(
        built / "out" / "pack" / "pack.pdf",
        pack / "long.pdf",
        {f"answer:{FIRST}": AT_THE_CAP, f"follow-up:{FIRST}": AT_THE_CAP},
    )
    code, _, err = run("harvest", str(filled), "--into", str(pack / "pack.answers.yaml"))
    assert code == 0, err
    assert harvested(pack / "pack.answers.yaml").get(FIRST).follow_up == AT_THE_CAP.strip()
    started = time.monotonic()
    code, _, err = run(
        "build", str(pack / "pack.yaml"), "-o", str(pack / "out"), "-f", "pdf", "--no-sessions",
        "-j", "1", "--time-limit", "120",
    )  # fmt: skip
    assert code == 0, err
    assert (pack / "out" / "pack" / "pack.debrief.pdf").is_file()
    assert time.monotonic() - started < 120


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"a\\uFDD0b"', "'answer' contains the noncharacter U+FDD0; remove it"),
        ('"a\\U0001FFFEb"', "'answer' contains the noncharacter U+1FFFE; remove it"),
        ("x" * 10_001, "'answer' is 10,001 characters long, over the 10,000 an answer may be; "
         "shorten it"),
        ("x" * 2_001, "'answer' holds 2,001 characters without a space a line may break at, "
         "over the 2,000 a word of an answer may be; break it up"),
        *[
            ('"' + ("x" * 99 + joiner) * 20 + 'x"', "'answer' holds 2,001 characters without a "
             "space a line may break at, over the 2,000 a word of an answer may be; break it up")
            for joiner in ("\\u00A0", "\\u2007", "\\u202F", "\\u2060", "\\uFEFF")
        ],
    ],
)  # fmt: skip
def test_an_answers_file_refuses_what_harvest_refuses_at_its_line(
    tmp_path: Path, value: str, message: str
) -> None:
    """So that validate and build agree with harvest, whoever edited the file."""
    from briefpack.content.answers import load_answers
    from briefpack.errors import BriefpackError

    answers = tmp_path / "pack.answers.yaml"
    answers.write_text(f"answers:\n  key:\n    answer: {value}\n", encoding="utf-8")
    with pytest.raises(BriefpackError) as raised:
        load_answers(answers)
    assert [str(problem) for problem in raised.value.problems] == [f"{answers}:3:13: {message}"]


def test_a_field_of_a_question_the_pack_does_not_have_is_refused_even_empty(
    built: Path, pack: Path
) -> None:
    """A pack of the same name elsewhere carries the same identity: its other keys give it away."""

    def removed(pdf: Any) -> None:
        pdf.Root.AcroForm.Fields[1].T = pikepdf.String("follow-up:a-question-since-removed")

    filled = fill_pdf(
        built / "out" / "pack" / "pack.pdf", pack / "old.pdf", {f"answer:{FIRST}": "Kept"}, removed
    )
    refused(
        [str(filled)],
        pack / "pack.answers.yaml",
        f"{filled}: the field 'follow-up:a-question-since-removed' answers no question of "
        "pack.yaml: a copy of another pack, or of this one before the question was removed "
        "(restore it to harvest this copy); nothing was harvested",
    )


def test_a_same_named_pack_of_another_event_is_refused_naming_both(built: Path, pack: Path) -> None:
    """Another ``pack.yaml`` whose keys are all this pack's: its first day gives it away."""
    copy = fill_pdf(
        built / "out" / "pack" / "pack.pdf",
        pack / "elsewhere.pdf",
        {f"answer:{FIRST}": "Theirs"},
        lambda pdf: setattr(pdf.trailer.Info, "BriefpackPack", pikepdf.String("pack@2026-03-02")),
    )
    refused(
        [str(copy)],
        pack / "pack.answers.yaml",
        f"{copy}: is a copy of 'pack' of 2026-03-02, not of 'pack' of 2025-10-23 "
        f"({pack / 'pack.yaml'}); nothing was harvested",
    )


def test_a_same_named_pack_elsewhere_that_shares_a_key_is_refused(built: Path, pack: Path) -> None:
    """Even one of the same first day: its other keys give it away."""
    identity = "pack@2025-10-23"

    def same_name(pdf: Any) -> None:
        pdf.trailer.Info.BriefpackPack = pikepdf.String(identity)

    theirs = fill_pdf(
        built / "out" / "other" / "other.pdf",
        pack / "namesake.pdf",
        {f"answer:{FIRST}": "Theirs"},
        same_name,
    )
    refused(
        [str(theirs)],
        pack / "pack.answers.yaml",
        f"{theirs}: the field 'answer:devops-culture-at-amazon--budget' answers no question of "
        "pack.yaml: a copy of another pack, or of this one before the question was removed "
        "(restore it to harvest this copy); nothing was harvested",
    )


def test_a_copy_of_a_later_day_of_this_pack_is_harvested(built: Path, pack: Path) -> None:
    """A recipient's copy without the first day's sessions names the first day it shows."""
    copy = fill_pdf(
        built / "out" / "pack" / "pack.pdf",
        pack / "recipient.pdf",
        {f"answer:{FIRST}": "Theirs"},
        lambda pdf: setattr(pdf.trailer.Info, "BriefpackPack", pikepdf.String("pack@2025-10-24")),
    )
    code, _, err = run("harvest", str(copy), "--into", str(pack / "pack.answers.yaml"))
    assert code == 0, err
    assert harvested(pack / "pack.answers.yaml").get(FIRST).answer == "Theirs"


def _answers_totalling(total: int) -> str:
    """An answers file whose texts hold ``total`` characters of prose, 10,000 to a text."""
    prose = ("Words of an answer. " * 500)[:10_000]
    lines = ["answers:"]
    number = 0
    while total > 0:
        text = prose[: min(total, 10_000)].strip() or "x"
        lines += [f"  earlier-{number}:", f"    answer: {text}"]
        total -= len(text)
        number += 1
    return "\n".join(lines) + "\n"


def test_an_answers_file_over_the_total_the_debrief_sets_in_time_is_refused(
    tmp_path: Path,
) -> None:
    from briefpack.content.answers import MAX_ANSWERS_TOTAL, load_answers
    from briefpack.errors import BriefpackError

    answers = tmp_path / "pack.answers.yaml"
    answers.write_text(_answers_totalling(MAX_ANSWERS_TOTAL), encoding="utf-8")
    load_answers(answers)
    answers.write_text(_answers_totalling(MAX_ANSWERS_TOTAL + 1), encoding="utf-8")
    with pytest.raises(BriefpackError) as raised:
        load_answers(answers)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{answers}:1:1: the answers hold {MAX_ANSWERS_TOTAL + 1:,} characters in all (a word "
        f"over 100 counting more), over the {MAX_ANSWERS_TOTAL:,} one pack's debrief may set "
        "within the build's time limit; shorten them"
    ]


def test_a_harvest_that_would_pass_the_total_is_refused_with_nothing_written(
    built: Path, pack: Path
) -> None:
    from briefpack.content.answers import MAX_ANSWERS_TOTAL

    answers = pack / "pack.answers.yaml"
    answers.write_text(_answers_totalling(MAX_ANSWERS_TOTAL - 5), encoding="utf-8")
    copy = fill_pdf(
        built / "out" / "pack" / "pack.pdf", pack / "more.pdf", {f"answer:{FIRST}": "Ten words"}
    )
    total = MAX_ANSWERS_TOTAL - 5 + len("Ten words") + len("more.pdf")
    refused(
        [str(copy)],
        answers,
        f"{copy}: with its answers in {answers}, the answers hold {total:,} characters in all "
        f"(a word over 100 counting more), over the {MAX_ANSWERS_TOTAL:,} one pack's debrief "
        "may set within the build's time limit; shorten them; nothing was harvested",
    )


def test_long_words_count_more_towards_the_total_as_they_cost_the_debrief_more(
    tmp_path: Path,
) -> None:
    """600,000 characters of 2,000-character words ran past 300 s; as much prose takes 18 s."""
    from briefpack.content.answers import MAX_ANSWERS_TOTAL, load_answers
    from briefpack.errors import BriefpackError

    words = " ".join(["x" * 2_000] * 5)
    answers = tmp_path / "pack.answers.yaml"
    entries = "".join(f"  q-{number}:\n    answer: {words}\n" for number in range(60))
    answers.write_text("answers:\n" + entries, encoding="utf-8")
    assert len(words) * 60 < MAX_ANSWERS_TOTAL
    with pytest.raises(BriefpackError) as raised:
        load_answers(answers)
    assert "characters in all (a word over 100 counting more)" in str(raised.value.problems[0])
