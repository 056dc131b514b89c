"""briefpack build: outputs in their places, written whole, failures kept to their pack."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefpack.build import write_atomically
from briefpack.cli import cli

from conftest import BUNDLED_PACK, MINIMAL_PACK


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_build_writes_the_pdf_and_the_docx_under_out_name(tmp_path: Path) -> None:
    code, out, _ = run("build", str(BUNDLED_PACK), "-o", str(tmp_path))
    pdf = tmp_path / "aws-devex-2025" / "aws-devex-2025.pdf"
    docx = pdf.with_suffix(".docx")
    assert code == 0
    assert out.splitlines()[:2] == [f"wrote {pdf}", f"wrote {docx}"]
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert docx.read_bytes().startswith(b"PK")
    assert sorted(p.name for p in pdf.parent.iterdir()) == [docx.name, pdf.name]


def test_html_is_self_contained_with_its_fonts_beside_it(tmp_path: Path) -> None:
    code, _, _ = run("build", str(BUNDLED_PACK), "-o", str(tmp_path), "-f", "html")
    folder = tmp_path / "aws-devex-2025"
    html = (folder / "aws-devex-2025.html").read_text(encoding="utf-8")
    assert code == 0
    assert not (folder / "aws-devex-2025.pdf").exists()
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert '@font-face { font-family: "Briefpack Serif"' in style
    assert "&#34;" not in style
    for font_url in ("fonts/NotoSerif-Regular.ttf", "fonts/Inter-SemiBold.otf"):
        assert font_url in style
        assert (folder / font_url).is_file()
    assert "<link" not in html
    assert "<script" not in html


def test_invalid_pack_is_reported_and_the_others_still_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "good.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    (content / "bad.yaml").write_text(MINIMAL_PACK.replace('end: "10:00"', 'end: "08:00"'))
    code, _out, err = run("build", str(content), "-o", str(tmp_path / "out"))
    assert code == 1
    assert (tmp_path / "out" / "good" / "good.pdf").is_file()
    assert not (tmp_path / "out" / "bad").exists()
    assert f"{content / 'bad.yaml'}:7:14: the session ends at 08:00" in err
    assert "2 written, 1 problem" in err


def test_a_failed_rebuild_keeps_the_previous_output(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    assert run("build", str(pack), "-o", str(tmp_path / "out"))[0] == 0
    pdf = tmp_path / "out" / "pack" / "pack.pdf"
    before = pdf.read_bytes()
    pack.write_text(MINIMAL_PACK.replace("title: Offsite", "title: [broken"), encoding="utf-8")
    assert run("build", str(pack), "-o", str(tmp_path / "out"))[0] == 1
    assert pdf.read_bytes() == before


def test_warnings_are_printed_with_the_pack_line(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        MINIMAL_PACK.replace("Where are we going?", "Where? ![chart](../secret.png)"),
        encoding="utf-8",
    )
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"))
    assert code == 0
    assert f"{pack}:10:23: warning: in 'question': image '../secret.png' not embedded" in err


def test_paper_option_is_validated() -> None:
    code, _, err = run("build", "--paper", "a3")
    assert code == 2
    assert "'a3' is not one of 'a4', 'letter'" in err


def test_write_atomically_replaces_a_symlink_instead_of_following_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    target = tmp_path / "out" / "pack.pdf"
    target.parent.mkdir()
    target.symlink_to(victim)
    write_atomically(target, b"new")
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not target.is_symlink()
    assert target.read_bytes() == b"new"


def test_write_atomically_gives_ordinary_permissions_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    previous = os.umask(0o022)
    try:
        write_atomically(tmp_path / "a.pdf", b"data")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "a.pdf").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_write_atomically_cleans_up_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.pdf").write_bytes(b"old")

    def fail(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "a.pdf", b"new")
    assert (tmp_path / "a.pdf").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
