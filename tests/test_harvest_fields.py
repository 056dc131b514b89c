"""Harvest against hostile fields and parts: control characters, loops, deep nesting, forged
field names, tags and bookmarks, a DOCTYPE, two answers to one question.

Every refusal is one line at the filled copy, with no traceback, and leaves
the answers file exactly as it was; what harvest writes is what the build reads.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from lxml import etree

from conftest import run
from harvest_copies import (
    FIRST,
    SECOND,
    W,
    answered_folder,
    build_copies,
    fill_docx,
    fill_pdf,
    harvested,
    refused,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The copies every test fills in, built once for the module."""
    return build_copies(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def pack(built: Path, tmp_path: Path) -> Path:
    """A fresh folder with the pack and an answers file already holding one answer."""
    return answered_folder(built, tmp_path)


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
    from briefpack.content.answers_file import load_answers
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
