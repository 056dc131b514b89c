"""briefpack build: every output in its place, rebuilt only when needed, written whole."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefpack.build.console import EXIT_INTERRUPTED
from briefpack.build.files import PARTS, write_atomically
from briefpack.build.pipeline import Job
from briefpack.errors import BriefpackError

from conftest import BUNDLED_PACK, MINIMAL_PACK, interfere, run
from pdf_helpers import page_texts, reader

SESSION_FILES = [
    "01-devops-culture-at-amazon",
    "02-agentcore",
    "03-leveraging-ai-in-the-software-development-lifecycle",
    "04-executive-meeting-with-aws-developer-experience",
]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its inode and modification time."""
    return {
        str(path.relative_to(folder)): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    pack = content / "aws-devex-2025.yaml"
    pack.write_bytes(BUNDLED_PACK.read_bytes())
    return pack


@pytest.fixture
def built(bundled_build: Path, bundled_copy: Path, tmp_path: Path) -> Path:
    """The copy built with ``-j 2``, from a copy of the run's one build of the pack.

    The outputs (and the book's kept parts beside them) are the bytes a build
    here would write, so this build only rewrites the manifest, which names
    the pack file it was built from.
    """
    shutil.copytree(bundled_build.parent, tmp_path / "out")
    code, out, err = run("build", str(bundled_copy), "-o", str(tmp_path / "out"), "-j", "2")
    assert code == 0, err
    assert out.startswith("0 written, 10 up to date"), out
    return tmp_path / "out" / "aws-devex-2025"


def test_full_pack_and_one_pack_per_session_in_both_formats(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == [
        "aws-devex-2025.docx",
        "aws-devex-2025.pdf",
        "distribution.json",
        "manifest.json",
        "sessions",
    ]
    assert sorted(p.name for p in (built / "sessions").iterdir()) == sorted(
        f"{name}.{suffix}" for name in SESSION_FILES for suffix in ("pdf", "docx")
    )


def test_a_session_pack_has_its_own_cover_its_own_questions_and_pages_from_1(
    built: Path,
) -> None:
    from briefpack.content.validate import load_pack

    pack = load_pack(BUNDLED_PACK)
    pages = page_texts((built / "sessions" / "02-agentcore.pdf").read_bytes())
    cover = pages[0]
    assert "AgentCore" in cover
    assert "Part of Questions for AWS Developer Experience Sessions" in cover
    assert "10:00 – 11:00 AM · 7 questions" in cover
    assert "Amanda Lester, Sr GenAI Specialist, GTM" in cover
    text = " ".join(pages)
    agentcore = pack.sessions[1]
    for question in pack.questions:
        assert (question.title in text) == (question in agentcore.questions)
    assert pages[1].endswith(f"Page 2 of {len(pages)}")


def test_manifest_describes_every_output(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    entries = {entry["path"]: entry for entry in manifest["outputs"]}
    assert len(entries) == 10
    for relative, entry in entries.items():
        data = (built / relative).read_bytes()
        import hashlib

        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
        assert len(entry["inputs"]) == 64
        if relative.endswith(".pdf"):
            assert entry["pages"] == len(reader(data).pages)
    assert entries["sessions/02-agentcore.pdf"]["session"] == "agentcore"
    assert entries["aws-devex-2025.pdf"]["session"] is None


def test_rebuild_with_nothing_changed_writes_nothing(built: Path, bundled_copy: Path) -> None:
    before = snapshot(built)
    code, out, err = run("build", str(bundled_copy), "-o", str(built.parent))
    assert (code, err) == (0, "")
    assert out.startswith("0 written, 10 up to date, 0 problems, in ")
    assert snapshot(built) == before


def test_no_op_rebuild_does_not_import_a_renderer(built: Path, bundled_copy: Path) -> None:
    script = (
        "import sys\n"
        "from briefpack.cli import cli\n"
        f"try: cli(['build', {str(bundled_copy)!r}, '-o', {str(built.parent)!r}])\n"
        "except SystemExit as exit: assert exit.code in (0, None), exit.code\n"
        "renderers = ('weasyprint', 'docx', 'jinja2', 'pikepdf')\n"
        "print(sorted(m for m in renderers if m in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip().splitlines()[-1] == "[]"


def test_an_edit_to_one_question_rebuilds_that_session_and_the_full_pack(
    built: Path, bundled_copy: Path
) -> None:
    before = snapshot(built)
    text = bundled_copy.read_text(encoding="utf-8")
    bundled_copy.write_text(
        text.replace("Agent Mesh for Lifecycle Management", "Agent Mesh for the Agent Lifecycle"),
        encoding="utf-8",
    )
    code, out, _ = run("build", str(bundled_copy), "-o", str(built.parent), "-j", "1")
    assert code == 0
    after = snapshot(built)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert changed == [
        "aws-devex-2025.docx",
        "aws-devex-2025.pdf",
        "distribution.json",
        "manifest.json",
        "sessions/02-agentcore.docx",
        "sessions/02-agentcore.pdf",
    ]
    assert len([line for line in out.splitlines() if line.startswith("wrote ")]) == 4


def test_force_rebuilds_everything(built: Path, bundled_copy: Path) -> None:
    code, out, _ = run("build", str(bundled_copy), "-o", str(built.parent), "--force", "-j", "2")
    assert code == 0
    assert len([line for line in out.splitlines() if line.startswith("wrote ")]) == 10


def test_changed_options_rebuild_what_they_touch(built: Path, bundled_copy: Path) -> None:
    code, out, _ = run("build", str(bundled_copy), "-o", str(built.parent), "--paper", "letter")
    assert code == 0
    assert len([line for line in out.splitlines() if line.startswith("wrote ")]) == 10


def test_parallel_and_serial_builds_give_the_same_bytes(
    built: Path, bundled_copy: Path, tmp_path: Path
) -> None:
    serial = tmp_path / "serial"
    assert run("build", str(bundled_copy), "-o", str(serial), "-j", "1")[0] == 0
    for path in built.rglob("*"):
        if path.is_file():
            assert (
                path.read_bytes()
                == (serial / "aws-devex-2025" / path.relative_to(built)).read_bytes()
            )


def test_outputs_of_a_removed_session_are_removed(tmp_path: Path) -> None:
    pack = tmp_path / "offsite.yaml"
    two_sessions = MINIMAL_PACK + MINIMAL_PACK.split("    sessions:\n", 1)[1].replace(
        "Strategy", "Budget"
    )
    pack.write_text(two_sessions, encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", str(pack), "-o", str(out), "-j", "1")[0] == 0
    sessions = out / "offsite" / "sessions"
    assert sorted(p.name for p in sessions.iterdir()) == [
        "01-strategy.docx",
        "01-strategy.pdf",
        "02-budget.docx",
        "02-budget.pdf",
    ]
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    assert run("build", str(pack), "-o", str(out), "--no-sessions", "-j", "1")[0] == 0
    assert len(list(sessions.iterdir())) == 4  # --no-sessions leaves them alone
    code, output, _ = run("build", str(pack), "-o", str(out), "-j", "1")
    assert code == 0
    assert sorted(p.name for p in sessions.iterdir()) == ["01-strategy.docx", "01-strategy.pdf"]
    assert "0 written, 4 up to date, 2 removed" in output


def test_two_packs_with_the_same_name_are_an_error_before_anything_is_written(
    tmp_path: Path,
) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "offsite.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    code, _, err = run(
        "build", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(tmp_path / "out")
    )
    assert code == 1
    assert f"{tmp_path / 'b' / 'offsite.yaml'}: its outputs would go to" in err
    assert not (tmp_path / "out").exists()


def test_html_is_self_contained_with_its_fonts_beside_it(tmp_path: Path) -> None:
    code, _, _ = run("build", str(BUNDLED_PACK), "-o", str(tmp_path), "-f", "html")
    folder = tmp_path / "aws-devex-2025"
    html = (folder / "aws-devex-2025.html").read_text(encoding="utf-8")
    assert code == 0
    assert not (folder / "aws-devex-2025.pdf").exists()
    assert not (folder / "sessions").exists()
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert '@font-face { font-family: "Briefpack Body"' in style
    assert "&#34;" not in style
    for font_url in ("fonts/NotoSerif-Regular.ttf", "fonts/Inter-SemiBold.ttf"):
        assert font_url in style
        assert (folder / font_url).is_file()
    assert "<link" not in html
    assert "<script" not in html


def test_invalid_pack_is_reported_and_the_others_still_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "good.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    (content / "bad.yaml").write_text(MINIMAL_PACK.replace('end: "10:00"', 'end: "08:00"'))
    code, _, err = run("build", str(content), "-o", str(tmp_path / "out"), "--no-sessions")
    assert code == 1
    assert (tmp_path / "out" / "good" / "good.pdf").is_file()
    assert not (tmp_path / "out" / "bad").exists()
    assert f"{content / 'bad.yaml'}:7:14: the session ends at 08:00" in err
    assert "2 written, 0 up to date, 1 problem" in err


def test_a_failed_render_is_reported_and_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", str(pack), "-o", str(out), "-j", "1")[0] == 0
    pdf = out / "pack" / "pack.pdf"
    before = pdf.read_bytes()

    def fail(job: Job) -> None:
        raise BriefpackError(f"{job.pack.source}: rendering failed: injected")

    interfere(monkeypatch, lambda job: job.target == pdf, fail)
    code, _, err = run("build", str(pack), "-o", str(out), "-j", "1", "--force")
    assert code == 1
    assert "rendering failed: injected" in err
    assert pdf.read_bytes() == before
    assert (out / "pack" / "sessions" / "01-strategy.pdf").is_file()


def test_a_failed_rebuild_keeps_the_previous_output(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    assert run("build", str(pack), "-o", str(tmp_path / "out"))[0] == 0
    pdf = tmp_path / "out" / "pack" / "pack.pdf"
    before = pdf.read_bytes()
    pack.write_text(MINIMAL_PACK.replace("title: Offsite", "title: [broken"), encoding="utf-8")
    assert run("build", str(pack), "-o", str(tmp_path / "out"))[0] == 1
    assert pdf.read_bytes() == before


def test_quiet_and_verbose(built: Path, bundled_copy: Path) -> None:
    _, quiet, _ = run(
        "build", str(bundled_copy), "-o", str(built.parent), "-q", "--force", "-j", "2"
    )
    assert quiet.startswith("10 written, 0 up to date")
    assert len(quiet.splitlines()) == 1
    _, verbose, _ = run("build", str(bundled_copy), "-o", str(built.parent), "-v")
    assert len([line for line in verbose.splitlines() if line.startswith("up to date ")]) == 10


def test_ctrl_c_stops_the_workers_keeps_what_was_finished_and_exits_130(
    tmp_path: Path, bundled_copy: Path
) -> None:
    out = tmp_path / "out"
    # A pack big enough that the build is still rendering when interrupted.
    text = bundled_copy.read_text(encoding="utf-8")
    days = text.split("days:\n", 1)[1]
    big = tmp_path / "big" / "big.yaml"
    big.parent.mkdir()
    copies = [
        days.replace("2025-10-23", f"2025-11-{2 * n + 1:02d}").replace(
            "2025-10-24", f"2025-11-{2 * n + 2:02d}"
        )
        for n in range(3)
    ]
    ids = iter(range(1000))
    renamed = "".join(copies)
    # Sessions need distinct ids across the copies.
    renamed = "\n".join(
        f"{line}\n        id: s{next(ids)}"
        if line.startswith("      - label:") or line.startswith("      - title:")
        else line
        for line in renamed.split("\n")
    )
    big.write_text(text.split("days:\n", 1)[0] + "days:\n" + renamed, encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "briefpack.cli",
            "build",
            str(big),
            "-o",
            str(out),
            "-j",
            "2",
            "--force",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(1.5)
    # As a terminal does: the signal goes to the whole process group.
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERRUPTED, err
    assert "interrupted" in err
    assert "Traceback" not in err
    assert list(out.rglob("*.tmp")) == []
    for path in out.rglob("*.pdf"):
        assert path.read_bytes().rstrip().endswith(b"%%EOF")


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


def test_stale_temporary_files_of_a_killed_build_are_removed(
    built: Path, bundled_copy: Path
) -> None:
    leftover = built / "sessions" / ".02-agentcore.pdf.abc123.tmp"
    leftover.write_bytes(b"half a PDF")
    # The same, of a part of the full pack being kept.
    parts = built.parent / PARTS / built.name
    assert parts.is_dir()
    leftover_part = parts / ".0123abcd.part.abc123.tmp"
    leftover_part.write_bytes(b"half a part")
    assert run("build", str(bundled_copy), "-o", str(built.parent))[0] == 0
    assert not leftover.exists()
    assert not leftover_part.exists()


def test_warnings_are_printed_with_the_pack_line(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        MINIMAL_PACK.replace("Where are we going?", "Where? ![chart](../secret.png)"),
        encoding="utf-8",
    )
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "--no-sessions")
    assert code == 0
    assert f"{pack}:10:23: warning: in 'question': image '../secret.png' not embedded" in err


def test_paper_option_is_validated() -> None:
    code, _, err = run("build", "--paper", "a3")
    assert code == 2
    assert "'a3' is not one of 'a4', 'letter'" in err
