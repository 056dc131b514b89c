"""Starting a pack: briefpack new, and briefpack import of a Markdown agenda."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefpack.authoring.agenda_lines import parse_date, parse_session, parse_speakers
from briefpack.authoring.importer import import_markdown
from briefpack.content.schema import RECORDS
from briefpack.content.validate import load_pack

from conftest import BUNDLED_PACK, BUNDLED_SOURCE, run

# ---------------------------------------------------------------- new


def test_new_writes_a_pack_that_validates_and_builds(tmp_path: Path) -> None:
    code, out, _ = run("new", "q3-board-offsite", "--folder", str(tmp_path))
    path = tmp_path / "q3-board-offsite.yaml"
    assert code == 0
    assert out.startswith(f"wrote {path}")
    pack = load_pack(path)
    assert pack.title == "Q3 board offsite"
    code, _, err = run("build", str(path), "-o", str(tmp_path / "out"), "-j", "1")
    assert code == 0, err
    assert (tmp_path / "out" / "q3-board-offsite" / "q3-board-offsite.docx").is_file()


def test_new_shows_every_key_of_the_format(tmp_path: Path) -> None:
    run("new", "example", "--folder", str(tmp_path))
    text = (tmp_path / "example.yaml").read_text(encoding="utf-8")
    for keys in RECORDS.values():
        for key in keys:
            assert f"{key.name}:" in text, key.name


def test_new_never_overwrites(tmp_path: Path) -> None:
    existing = tmp_path / "mine.yaml"
    existing.write_text("title: precious\n", encoding="utf-8")
    code, _, err = run("new", "mine", "--folder", str(tmp_path))
    assert code == 1
    assert err == f"{existing}: already exists; nothing was overwritten\n"
    assert existing.read_text(encoding="utf-8") == "title: precious\n"


def test_new_refuses_a_name_that_cannot_name_a_folder(tmp_path: Path) -> None:
    code, _, err = run("new", "../escape", "--folder", str(tmp_path))
    assert code == 1
    assert "cannot name a pack's output folder" in err


# ---------------------------------------------------------------- import


def test_importing_the_seed_gives_the_bundled_pack(tmp_path: Path) -> None:
    target = tmp_path / "aws-devex-2025.yaml"
    code, out, err = run("import", str(BUNDLED_SOURCE), "-o", str(target), "--strict")
    assert (code, err) == (0, "")
    assert out == f"wrote {target}\n"
    assert load_pack(target) == load_pack(BUNDLED_PACK)


def test_imported_yaml_is_for_people(tmp_path: Path) -> None:
    target = tmp_path / "pack.yaml"
    run("import", str(BUNDLED_SOURCE), "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert '        start: "09:00"\n        end: "10:00"\n' in text
    assert "  - date: 2025-10-23\n" in text
    assert "            context: >-\n              Organizations like Google" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    assert text.index("title:") < text.index("days:")


def test_unknown_lines_are_reported_and_strict_makes_them_an_error(tmp_path: Path) -> None:
    source = tmp_path / "agenda.md"
    source.write_text(
        "# Offsite\n"
        "## 2 March 2026\n"
        "Bring a laptop.\n"
        "### Strategy (9:00 - 10:00)\n"
        "#### 1. Direction\n"
        "**Question:** Where are we going?\n"
        "##### A deep heading\n",
        encoding="utf-8",
    )
    code, _, err = run("import", str(source), "-o", str(tmp_path / "a.yaml"))
    assert code == 0
    assert err.splitlines() == [
        f"{source}:3:1: skipped: not part of the agenda format: Bring a laptop.",
        f"{source}:7:1: skipped: a heading of a level this format does not use: "
        "##### A deep heading",
    ]
    code, _, err = run("import", str(source), "-o", str(tmp_path / "b.yaml"), "--strict")
    assert code == 1
    assert err.splitlines()[-1] == "nothing written (--strict)"
    assert not (tmp_path / "b.yaml").exists()


def test_an_import_that_is_not_a_valid_pack_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "agenda.md"
    source.write_text("# Offsite\n## 2 March 2026\n### Strategy (9:00 - 10:00)\n", encoding="utf-8")
    code, _, err = run("import", str(source), "-o", str(tmp_path / "a.yaml"))
    assert code == 1
    assert "'questions' needs at least one question" in err or "missing required key" in err
    assert "nothing written" in err
    assert not (tmp_path / "a.yaml").exists()


def test_import_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "pack.yaml"
    target.write_text("title: mine\n", encoding="utf-8")
    code, _, err = run("import", str(BUNDLED_SOURCE), "-o", str(target))
    assert code == 1
    assert "already exists" in err
    assert run("import", str(BUNDLED_SOURCE), "-o", str(target), "--force")[0] == 0


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("23rd October 2025", dt.date(2025, 10, 23)),
        ("24 October 2025", dt.date(2025, 10, 24)),
        ("2025-10-24", dt.date(2025, 10, 24)),
        ("Thursday 23 October 2025", dt.date(2025, 10, 23)),
        ("October 24, 2025", dt.date(2025, 10, 24)),
        ("Fri, 1st Nov 2024", dt.date(2024, 11, 1)),
        ("Day 2: 2nd of March 2026", dt.date(2026, 3, 2)),
        ("30 February 2026", None),
        ("Sometime soon", None),
    ],
)
def test_dates_as_people_write_them(written: str, date: dt.date | None) -> None:
    assert parse_date(written) == date


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        (
            "Session 1: DevOps Culture at Amazon (9:00 AM - 10:00 AM)",
            ("Session 1", "DevOps Culture at Amazon", "09:00", "10:00"),
        ),
        (
            "Executive Meeting with AWS Developer Experience (11:15 AM - 12:15 PM)",
            (None, "Executive Meeting with AWS Developer Experience", "11:15", "12:15"),
        ),
        (
            "Keynote: AI: the next decade (14:00 – 15:30)",
            ("Keynote", "AI: the next decade", "14:00", "15:30"),
        ),
        ("Lunch (12 PM to 1 PM)", (None, "Lunch", "12:00", "13:00")),
        ("Wrap-up (4:30 - 5:00 pm)", (None, "Wrap-up", "16:30", "17:00")),
        ("Strategy: where next (9:00 - 10:00)", (None, "Strategy: where next", "09:00", "10:00")),
    ],
)
def test_session_headings(heading: str, expected: tuple[str | None, str, str, str]) -> None:
    session = parse_session(heading)
    assert session is not None
    assert (session.get("label"), session["title"], session["start"], session["end"]) == expected


def test_speakers_with_commas_in_their_roles() -> None:
    assert parse_speakers("Ali Maaz (Sr Manager, DevOps GTM), Ben Coburn (Principal), Dana") == [
        {"name": "Ali Maaz", "role": "Sr Manager, DevOps GTM"},
        {"name": "Ben Coburn", "role": "Principal"},
        {"name": "Dana"},
    ]


def test_fields_may_run_over_several_lines_and_paragraphs() -> None:
    result = import_markdown(
        "# T\n## 2026-03-02\n### S (9:00 - 10:00)\n#### 1. Q\n"
        "**Context:** First line\ncontinues here.\n\nA second paragraph.\n"
        "**Question:** Ask this?\n",
        "agenda.md",
    )
    question = result.pack["days"][0]["sessions"][0]["questions"][0]
    assert question == {
        "title": "Q",
        "context": "First line\ncontinues here.\n\nA second paragraph.",
        "question": "Ask this?",
    }
    assert result.skipped == []
