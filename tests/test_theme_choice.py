"""Choosing a theme: a built-in name or a folder, from the pack's options or --theme."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_theme_parity import pdf_colours

from briefpack.render.builtin_themes import BUILT_IN_THEMES

from conftest import MINIMAL_PACK, run
from pdf_helpers import fonts


def pack_with(tmp_path: Path, options: str) -> Path:
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK + textwrap.dedent(options), encoding="utf-8")
    return pack


def red_theme(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "theme.yaml").write_text('colours:\n  accent: "#b00020"\n', encoding="utf-8")
    return folder


def built_pdf(tmp_path: Path, *args: str) -> tuple[int, str, bytes | None]:
    out = tmp_path / "out"
    code, _, err = run("build", *args, "-o", str(out), "-f", "pdf", "--no-sessions")
    pdf = out / "pack" / "pack.pdf"
    return code, err, pdf.read_bytes() if pdf.is_file() else None


def test_two_built_in_themes_ship() -> None:
    assert set(BUILT_IN_THEMES) >= {"executive", "classic"}


def test_a_built_in_theme_by_name_in_the_pack(tmp_path: Path) -> None:
    pack = pack_with(tmp_path, "options:\n  theme: classic\n")
    code, err, pdf = built_pdf(tmp_path, str(pack))
    assert code == 0, err
    assert pdf is not None
    assert "#222222" in pdf_colours(pdf)
    assert "#0b4a7d" not in pdf_colours(pdf)


def test_a_theme_folder_relative_to_the_pack(tmp_path: Path) -> None:
    red_theme(tmp_path / "brand")
    pack = pack_with(tmp_path, "options:\n  theme: brand\n")
    code, err, pdf = built_pdf(tmp_path, str(pack))
    assert code == 0, err
    assert pdf is not None
    assert "#b00020" in pdf_colours(pdf)


def test_the_command_line_theme_overrides_the_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    red_theme(tmp_path / "cli-theme")
    pack = pack_with(tmp_path, "options:\n  theme: classic\n")
    monkeypatch.chdir(tmp_path)
    code, err, pdf = built_pdf(tmp_path, str(pack), "--theme", "cli-theme")
    assert code == 0, err
    assert pdf is not None
    assert "#b00020" in pdf_colours(pdf)


def test_editing_a_theme_file_rebuilds_the_outputs_that_use_it(tmp_path: Path) -> None:
    theme = red_theme(tmp_path / "brand")
    pack = pack_with(tmp_path, "options:\n  theme: brand\n")
    assert built_pdf(tmp_path, str(pack))[0] == 0
    code, out, _ = run("build", str(pack), "-o", str(tmp_path / "out"), "-f", "pdf",
                       "--no-sessions")  # fmt: skip
    assert code == 0
    assert out.startswith("0 written, 1 up to date")
    (theme / "theme.yaml").write_text('colours:\n  accent: "#006400"\n', encoding="utf-8")
    code, err, pdf = built_pdf(tmp_path, str(pack))
    assert code == 0, err
    assert pdf is not None
    assert "#006400" in pdf_colours(pdf)


def test_an_unknown_theme_is_reported_at_its_line(tmp_path: Path) -> None:
    pack = pack_with(tmp_path, "options:\n  theme: corporate\n")
    code, err, pdf = built_pdf(tmp_path, str(pack))
    assert code == 1
    assert pdf is None
    assert f"{pack}:12:10: no built-in theme 'corporate' (executive, classic)" in err


def test_a_broken_theme_is_reported_in_its_file_and_builds_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "theme.yaml").write_text("colours:\n  accent: red\n", encoding="utf-8")
    pack = pack_with(tmp_path, "options:\n  theme: brand\n")
    code, err, pdf = built_pdf(tmp_path, str(pack))
    assert code == 1
    assert pdf is None
    assert f"{folder / 'theme.yaml'}:2:11: 'accent' must be a colour written #rrggbb" in err


def test_a_theme_uses_only_its_own_fonts(tmp_path: Path) -> None:
    pack = pack_with(tmp_path, "options:\n  theme: classic\n")
    code, err, pdf = built_pdf(tmp_path, str(pack))
    assert code == 0, err
    assert pdf is not None
    used = dict(fonts(pdf))
    assert all(used.values())
    assert {name.split("-")[1] for name in used} <= {"Heading", "Body", "Mono"}


@pytest.mark.parametrize("source", ["executive", "classic"])
def test_theme_init_starts_a_theme_that_builds_as_it_is(tmp_path: Path, source: str) -> None:
    code, out, err = run("theme", "init", str(tmp_path / "brand"), "--from", source)
    assert code == 0, err
    written = tmp_path / "brand" / "theme.yaml"
    assert out.startswith(f"wrote {written}")
    text = written.read_text(encoding="utf-8")
    assert "name: brand" in text
    assert "#" in text.split("colours:", 1)[1].splitlines()[1]  # keys keep their comments
    pack = pack_with(tmp_path, "options:\n  theme: brand\n")
    code, err, pdf = built_pdf(tmp_path, str(pack))
    assert code == 0, err
    assert pdf is not None


def test_theme_init_never_overwrites_and_knows_its_themes(tmp_path: Path) -> None:
    folder = tmp_path / "brand"
    assert run("theme", "init", str(folder))[0] == 0
    (folder / "theme.yaml").write_text("name: mine\n", encoding="utf-8")
    code, _, err = run("theme", "init", str(folder))
    assert code == 1
    assert "already exists; nothing was overwritten" in err
    assert (folder / "theme.yaml").read_text(encoding="utf-8") == "name: mine\n"
    code, _, err = run("theme", "init", str(tmp_path / "other"), "--from", "neon")
    assert code == 1
    assert "no built-in theme 'neon'; choose one of executive, classic" in err
