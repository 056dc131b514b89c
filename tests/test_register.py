"""The running record (issue 30, item 3): a register of actions and decisions, matters arising."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from briefpack.content.register_file import load_register
from briefpack.errors import BriefpackError

from conftest import run
from pdf_helpers import page_texts

PACK = """\
title: Board meeting
register: board.register.yaml
days:
  - date: 2026-01-20
    start: "09:00"
    sessions:
      - title: FY26 budget
        paper: "3.2"
        purpose: decision
        duration: 30
        questions:
          - title: Headroom
            question: What headroom does the budget leave?
"""

REGISTER = """\
actions:
  - id: A-11
    text: Circulate the revised risk appetite statement
    owner: Dana Kim
    due: 2026-01-10
    raised: 2025-12-02
    item: 4.1 Risk appetite
  - id: A-12
    text: Bring the supplier review to the January meeting
    owner: Company Secretary
    due: 2026-02-15
    raised: 2025-12-02
  - id: A-9
    text: Appoint the new auditor
    owner: Chair
    status: done
    raised: 2025-10-01
    closed: 2025-11-20
decisions:
  - id: D-6
    text: Approve the FY25 accounts
    date: 2025-10-01
  - id: D-7
    text: Approve the FY26 budget envelope
    item: 3.2 FY26 budget
    date: 2025-12-02
  - id: D-8
    text: Adopt the committee's new terms of reference
    date: 2025-12-02
"""


def _write(folder: Path, pack: str = PACK, register: str = REGISTER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "board.register.yaml").write_text(register, encoding="utf-8")
    path = folder / "board.yaml"
    path.write_text(pack, encoding="utf-8")
    return path


def _docx_text(path: Path) -> str:
    body = Document(str(path)).element.body
    return " ".join(node.text or "" for node in body.iter() if node.tag.endswith("}t"))


def _build(path: Path, out: Path, *extra: str) -> None:
    code, _, err = run("build", str(path), "-o", str(out), "-q", "--no-sessions", *extra)
    assert code == 0, err


def test_matters_arising_lists_open_actions_with_the_overdue_one_marked_in_both_formats(
    tmp_path: Path,
) -> None:
    _build(_write(tmp_path / "content"), tmp_path / "out")
    folder = tmp_path / "out" / "board"
    texts = page_texts((folder / "board.pdf").read_bytes())
    [matters] = [text for text in texts if "Matters arising" in text and "Open actions" in text]
    docx = _docx_text(folder / "board.docx")
    for text in (matters, docx):
        assert "2 open actions, 1 overdue" in text
        # Overdue in words, on the action past its due date (10 January, before the meeting).
        assert re.search(r"A-11 Circulate the revised risk appetite statement.*?Overdue", text)
        assert re.search(r"A-12 Bring the supplier review.*?February 15, 2026 Open", text), text
        assert "Appoint the new auditor" not in text  # done: not a matter arising
        # The last meeting's decisions (2 December), not the earlier ones.
        assert "Decisions of the last meeting, December 2, 2025" in text
        assert "Approve the FY26 budget envelope" in text
        assert "terms of reference" in text
        assert "Approve the FY25 accounts" not in text
    assert matters.count("Overdue") == 1


def test_matters_arising_is_worded_in_the_packs_language(tmp_path: Path) -> None:
    german = PACK + "options:\n  language: de\n"
    _build(_write(tmp_path / "content", german), tmp_path / "out")
    folder = tmp_path / "out" / "board"
    pdf = " ".join(page_texts((folder / "board.pdf").read_bytes()))
    for text in (pdf, _docx_text(folder / "board.docx")):
        assert "Offene Punkte aus früheren Sitzungen" in text
        assert "2 offene Maßnahmen, 1 überfällig" in text
        assert "Überfällig" in text
        assert "Beschlüsse der letzten Sitzung, 2. Dezember 2025" in text


def test_a_readers_pack_and_a_later_meeting_share_the_register(tmp_path: Path) -> None:
    content = tmp_path / "content"
    reader = "recipients:\n  - name: Ada Brennan\n"
    path = _write(content, PACK + reader)
    later = PACK.replace("2026-01-20", "2026-03-10")
    (content / "march.yaml").write_text(later, encoding="utf-8")
    code, _, err = run("build", str(content), "-o", str(tmp_path / "out"), "-q", "--no-sessions",
                       "--per-recipient")  # fmt: skip
    assert code == 0, err
    out = tmp_path / "out"
    ada = " ".join(page_texts((out / "board" / "recipients" / "ada-brennan.pdf").read_bytes()))
    assert "2 open actions, 1 overdue" in ada
    # By 10 March both actions are past due.
    march = " ".join(page_texts((out / "march" / "march.pdf").read_bytes()))
    assert "2 open actions, 2 overdue" in march
    assert path.exists()


def test_an_edited_register_rebuilds_the_packs_that_name_it(tmp_path: Path) -> None:
    path = _write(tmp_path / "content")
    out = tmp_path / "out"
    _build(path, out)
    code, out_text, err = run("build", str(path), "-o", str(out), "--no-sessions")
    assert "0 written" in out_text + err
    closed = REGISTER.replace(
        "    due: 2026-01-10\n", "    due: 2026-01-10\n    status: done\n    closed: 2026-01-08\n"
    )
    (path.parent / "board.register.yaml").write_text(closed, encoding="utf-8")
    code, out_text, err = run("build", str(path), "-o", str(out), "--no-sessions")
    assert code == 0, err
    assert "0 written" not in out_text + err
    text = " ".join(page_texts((out / "board" / "board.pdf").read_bytes()))
    assert "1 open action" in text
    assert "Overdue" not in text


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("    status: done\n", "    status: finished\n"),
         "board.register.yaml:16:13: 'status' must be open or done, not 'finished'"),
        (("    closed: 2025-11-20\n", ""),
         "board.register.yaml:16:13: action A-9 is done but has no 'closed:' date; "
         "add the date it was done"),
        (("    status: done\n", ""),
         "board.register.yaml:17:13: action A-9 is open but has a 'closed:' date; set "
         "'status: done', or remove the date"),
        (("    closed: 2025-11-20\n", "    closed: 2025-09-20\n"),
         "board.register.yaml:18:13: action A-9: 'closed' 2025-09-20 is before it was raised "
         "on 2025-10-01"),
        (("  - id: A-12\n", "  - id: A-11\n"),
         "board.register.yaml:8:5: duplicate id 'A-11' (also at line 2); give each action "
         "and decision its own"),
        (("    due: 2026-02-15\n", "    due: next week\n"),
         "board.register.yaml:11:10: 'due' must be a date written YYYY-MM-DD, not 'next week'"),
        (("    raised: 2025-12-02\n    item", "    raised: 2025-12-02\n    where: board\n    item"),
         "board.register.yaml:7:5: unknown key 'where' in an action; did you mean 'owner'?"),
    ],
)  # fmt: skip
def test_a_register_edited_into_a_wrong_state_is_reported_at_its_line(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    old, new = edit
    assert old in REGISTER
    path = _write(tmp_path, register=REGISTER.replace(old, new, 1))
    code, _, err = run("validate", str(path))
    assert code == 1
    lines = [line for line in err.splitlines() if "register.yaml:" in line]
    assert [line.split("/")[-1] for line in lines] == [expected]
    with pytest.raises(BriefpackError):
        load_register(path.parent / "board.register.yaml", "board.register.yaml")


def test_a_register_is_named_beside_the_pack_as_a_register_file(tmp_path: Path) -> None:
    path = _write(tmp_path, PACK.replace("board.register.yaml", "actions.yaml"))
    code, _, err = run("validate", str(path))
    assert code == 1
    assert (
        "board.yaml:2:11: 'register' must name a file NAME.register.yaml, not 'actions.yaml'" in err
    )
    missing = _write(tmp_path, PACK.replace("board.register", "other.register"))
    code, _, err = run("validate", str(missing))
    assert "'register': no such file 'other.register.yaml'" in err


def test_validate_checks_a_register_alone_and_a_folder_does_not_take_it_for_a_pack(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path / "content")
    code, out, err = run("validate", str(path.parent / "board.register.yaml"))
    assert code == 0, err
    assert out.strip().endswith("board.register.yaml: ok: 3 actions (2 open), 3 decisions")
    code, out, err = run("validate", str(path.parent))
    assert code == 0, err
    assert "board.yaml: ok" in out
    _build(path.parent, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["board"]


def test_actions_lists_open_actions_for_the_chase_up(tmp_path: Path) -> None:
    register = _write(tmp_path).parent / "board.register.yaml"
    code, out, err = run("actions", str(register), "--on", "2026-01-20")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:6] == ["A-11", "Dana", "Kim", "due", "2026-01-10", "OVERDUE"]
    assert "OVERDUE by 10 days  Circulate the revised risk appetite statement" in lines[0]
    assert lines[1].startswith("A-12  Company Secretary  due 2026-02-15  Bring the supplier")
    assert lines[2].endswith("2 open actions, 1 overdue on 2026-01-20")
    code, out, _ = run("actions", str(register), "--on", "2026-01-20", "--overdue")
    assert [line.split()[0] for line in out.splitlines()[:-1]] == ["A-11"]
    code, out, _ = run(
        "actions", str(register), "--on", "2026-03-01", "--owner", "company secretary"
    )
    assert [line.split()[0] for line in out.splitlines()[:-1]] == ["A-12"]
    assert "OVERDUE by 14 days" in out


def test_actions_reports_a_broken_register_at_its_line(tmp_path: Path) -> None:
    register = _write(tmp_path, register="actions:\n  - id: A-1\n").parent / "board.register.yaml"
    code, _, err = run("actions", str(register))
    assert code == 1
    assert err.strip().endswith("board.register.yaml:2:5: an action is missing required key 'text'")
