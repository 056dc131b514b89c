"""Harvest into the register (issue 30, item 3): actions and decisions typed into filled copies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_register import PACK, REGISTER, _write

from briefpack.content.register_file import load_register

from conftest import run
from harvest_copies import fill_docx, fill_pdf

BUDGET = "fy26-budget--headroom"
PACK_WITH_FIELDS = PACK + "options:\n  answer_fields: true\n"


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The board pack, built with answer fields: its PDF and Word copies, to fill in."""
    root = tmp_path_factory.mktemp("register-copies")
    path = _write(root / "content", PACK_WITH_FIELDS)
    code, _, err = run("build", str(path), "-o", str(root / "out"), "--no-sessions", "-q")
    assert code == 0, err
    return root / "out" / "board"


def _fresh(tmp_path: Path) -> Path:
    """A content folder with the pack and the register as they were before the meeting."""
    return _write(tmp_path / "content", PACK_WITH_FIELDS)


def _harvest(*files: Path, force: bool = False) -> tuple[int, str]:
    code, out, err = run("harvest", *map(str, files), *(["--force"] if force else []))
    return code, out + err


def test_a_harvest_adds_exactly_the_action_and_decision_typed_into_a_pdf(
    copies: Path, tmp_path: Path
) -> None:
    pack = _fresh(tmp_path)
    filled = fill_pdf(copies / "board.pdf", pack.parent / "filled.pdf", {
        f"answer:{BUDGET}": "Ample headroom.",
        f"action:{BUDGET}": "Model a 5 % downside case",
        f"action-owner:{BUDGET}": "Dana Kim",
        f"action-due:{BUDGET}": "2026-02-28",
        "decision:fy26-budget": "The board approved the FY26 budget.",
    })  # fmt: skip
    before = load_register(pack.parent / "board.register.yaml", "register")
    code, text = _harvest(filled)
    assert code == 0, text
    after = load_register(pack.parent / "board.register.yaml", "register")
    assert after.actions[: len(before.actions)] == before.actions
    assert after.decisions[: len(before.decisions)] == before.decisions
    [action] = after.actions[len(before.actions) :]
    [decision] = after.decisions[len(before.decisions) :]
    assert (action.id, action.text, action.owner, action.due, action.status) == (
        "A-13", "Model a 5 % downside case", "Dana Kim", dt.date(2026, 2, 28), "open"
    )  # fmt: skip
    assert (action.raised, action.item, action.session) == (
        dt.date(2026, 1, 20), "3.2 FY26 budget", "fy26-budget"
    )  # fmt: skip
    assert (decision.id, decision.text, decision.date, decision.session) == (
        "D-9", "The board approved the FY26 budget.", dt.date(2026, 1, 20), "fy26-budget"
    )  # fmt: skip
    # The answer went to the answers file, as before.
    assert "Ample headroom." in (pack.parent / "board.answers.yaml").read_text(encoding="utf-8")
    # Harvesting the same copy again adds nothing.
    code, text = _harvest(filled)
    assert code == 0, text
    assert load_register(pack.parent / "board.register.yaml", "register") == after


def test_a_word_copy_files_its_action_in_the_register_too(copies: Path, tmp_path: Path) -> None:
    pack = _fresh(tmp_path)
    filled = fill_docx(copies / "board.docx", pack.parent / "filled.docx", {
        f"briefpack:action:{BUDGET}": "Circulate the board paper",
        f"briefpack:action-owner:{BUDGET}": "Company Secretary",
    })  # fmt: skip
    code, text = _harvest(filled)
    assert code == 0, text
    register = load_register(pack.parent / "board.register.yaml", "register")
    assert [(a.text, a.owner, a.due) for a in register.actions[3:]] == [
        ("Circulate the board paper", "Company Secretary", None)
    ]
    assert len(register.decisions) == 3


def test_a_different_decision_for_the_same_item_is_a_conflict_unless_forced(
    copies: Path, tmp_path: Path
) -> None:
    pack = _fresh(tmp_path)
    register_path = pack.parent / "board.register.yaml"
    first = fill_pdf(copies / "board.pdf", pack.parent / "first.pdf",
                     {"decision:fy26-budget": "Approved."})  # fmt: skip
    assert _harvest(first)[0] == 0
    written = register_path.read_bytes()
    second = fill_pdf(copies / "board.pdf", pack.parent / "second.pdf",
                      {"decision:fy26-budget": "Deferred to March."})  # fmt: skip
    code, text = _harvest(second)
    assert code == 1
    assert "decision D-9: the register says otherwise than the copy" in text
    assert register_path.read_bytes() == written  # nothing lost, nothing half-written
    code, text = _harvest(second, force=True)
    assert code == 0, text
    decisions = load_register(register_path, "register").decisions
    assert [d.text for d in decisions if d.id == "D-9"] == ["Deferred to March."]


def test_a_due_date_that_is_no_date_is_refused_at_the_copy_and_nothing_is_written(
    copies: Path, tmp_path: Path
) -> None:
    pack = _fresh(tmp_path)
    before = (pack.parent / "board.register.yaml").read_bytes()
    filled = fill_pdf(copies / "board.pdf", pack.parent / "filled.pdf", {
        f"answer:{BUDGET}": "Some.",
        f"action:{BUDGET}": "Model a downside case",
        f"action-due:{BUDGET}": "end of February",
    })  # fmt: skip
    code, text = _harvest(filled)
    assert code == 1
    assert (
        f"filled.pdf: '{BUDGET}': the action's due date 'end of February' is not a date written "
        "YYYY-MM-DD" in text
    )
    assert "Traceback" not in text
    assert (pack.parent / "board.register.yaml").read_bytes() == before
    assert not (pack.parent / "board.answers.yaml").exists()


def test_the_fields_appear_only_for_a_pack_that_names_a_register(tmp_path: Path) -> None:
    without = PACK_WITH_FIELDS.replace("register: board.register.yaml\n", "")
    path = _write(tmp_path / "content", without, REGISTER)
    code, _, err = run("build", str(path), "-o", str(tmp_path / "out"), "--no-sessions", "-q",
                       "-f", "pdf")  # fmt: skip
    assert code == 0, err
    import pikepdf

    with pikepdf.open(tmp_path / "out" / "board" / "board.pdf") as pdf:
        names = [str(field.T) for field in pdf.Root.AcroForm.Fields]
    assert names == [f"answer:{BUDGET}", f"follow-up:{BUDGET}"]
