"""Harvest against foreign copies: a copy is harvested only into the pack and version it is
of, by its identity, and is refused, naming both, when it is another pack's.

Every refusal is one line at the filled copy, with no traceback, and leaves
the answers file exactly as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from conftest import run
from harvest_copies import (
    FIRST,
    SECOND,
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
