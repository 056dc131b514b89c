"""The pack's own limits: pages per pack, page sizes, ``--max-size`` and git, and files
that are not regular files; every message names the file by its path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from briefpack.content.preread_files import AttachmentRefusedError, check_attachment

from conftest import BUNDLED_PACK, MINIMAL_PACK, run
from limit_pdfs import pack_with, with_content
from pdf_makers import make_pdf


def test_the_pre_reads_of_a_pack_are_capped_in_all_at_the_one_that_goes_over(
    tmp_path: Path,
) -> None:
    make_pdf(tmp_path / "deck.pdf", 3)
    pack, lines = pack_with(tmp_path, ["deck.pdf", "deck.pdf", "deck.pdf"])
    for command in (["validate"], ["build", "-o", str(tmp_path / "out")]):
        code, _, err = run(*command, str(pack), "--max-pack-attachment-pages", "7")
        assert code == 1, err
        reported = [line for line in err.splitlines() if "--max-pack-attachment-pages" in line]
        assert reported == [
            f"{pack}:{lines[2]}:19: 'file': deck.pdf brings the pack's pre-reads to 9 pages, "
            "more than the limit of 7 (each pre-read counted each time it is attached); "
            "attach fewer, or raise --max-pack-attachment-pages"
        ]
    code, _, err = run("validate", str(pack), "--max-pack-attachment-pages", "9")
    assert code == 0, err


def test_the_default_pack_cap_is_2000_pages(tmp_path: Path) -> None:
    make_pdf(tmp_path / "long.pdf", 500)
    pack, lines = pack_with(tmp_path, ["long.pdf"] * 5)
    started = time.perf_counter()
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert f"{pack}:{lines[4]}:19: 'file': long.pdf brings the pack's pre-reads to 2500" in err
    assert err.count("--max-pack-attachment-pages") == 1
    # One file given five times is read once.
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    ("box", "said"),
    [
        ({"MediaBox": [0, 0, 1e9, 842]}, "page 1 has a MediaBox of 1,000,000,000 by 842 pt"),
        ({"MediaBox": [0, 0, 0, 0]}, "page 1 has a MediaBox of 0 by 0 pt"),
        ({"MediaBox": [0, 0, 595, 0.5]}, "page 1 has a MediaBox of 595 by 0.5 pt"),
        ({"MediaBox": [0, 0, 14_401, 842]}, "page 1 has a MediaBox of 14,401 by 842 pt"),
        ({"MediaBox": [0, 0, "/Wide", 842]}, "page 1 has a MediaBox that is missing or not"),
        ({"MediaBox": [0, 0, 595]}, "page 1 has a MediaBox that is missing or not four"),
        ({"CropBox": [0, 0, "/Wide", 842]}, "page 1 has a CropBox that is not four numbers"),
        ({"CropBox": [0, 0, 1e9, 1e9]}, "page 1 has a CropBox of 1,000,000,000 by"),
        ({"CropBox": [0, 0, 0, 842]}, "page 1 has a CropBox of 0 by 842 pt"),
        ({"CropBox": [5000, 5000, 5600, 5800]}, "page 1 has a CropBox outside its MediaBox"),
        ({"TrimBox": [0, 0, 1e9, 842]}, "page 1 has a TrimBox of 1,000,000,000 by 842 pt"),
    ],
)
def test_a_page_of_a_size_no_reader_can_show_is_refused(
    tmp_path: Path, box: dict[str, list[object]], said: str
) -> None:
    values = {
        key: pikepdf.Array(
            [pikepdf.Name(item) if isinstance(item, str) else item for item in value]
        )
        for key, value in box.items()
    }
    path = with_content(tmp_path / "odd.pdf", **values)
    with pytest.raises(AttachmentRefusedError) as refused:
        check_attachment(path)
    assert str(refused.value).startswith(f"odd.pdf: {said}")


def test_page_sizes_are_refused_at_the_attachments_line_and_fair_ones_pass(
    tmp_path: Path,
) -> None:
    with_content(tmp_path / "huge.pdf", MediaBox=pikepdf.Array([0, 0, 1e9, 1e9]))
    # 200 in is allowed (a box with its corners reversed is not: see the tests of boxes below).
    with_content(tmp_path / "turned.pdf", MediaBox=pikepdf.Array([0, 0, 14_400, 842]))
    with_content(tmp_path / "tiny.pdf", MediaBox=pikepdf.Array([0, 0, 1, 1]))
    pack, lines = pack_with(tmp_path, ["huge.pdf", "turned.pdf", "tiny.pdf"])
    code, _, err = run("validate", str(pack))
    assert code == 1
    problems = [line for line in err.splitlines() if not line.startswith("1 of")]
    assert len(problems) == 1, err
    assert problems[0].startswith(
        f"{pack}:{lines[0]}:19: 'file': huge.pdf: page 1 has a MediaBox of 1,000,000,000 by "
    )


def git(repository: Path, *arguments: str) -> str:
    identity = ("-c", "user.name=T", "-c", "user.email=t@example.com")
    return subprocess.run(
        ["git", "-C", str(repository), *identity, *arguments],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_an_earlier_version_from_git_over_max_size_is_refused_unread(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    text = BUNDLED_PACK.read_text(encoding="utf-8")
    pack.write_text(text + "# padding\n" * 20_000, encoding="utf-8")  # about 220 KB
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "pack.yaml")
    git(tmp_path, "commit", "-q", "-m", "large")
    pack.write_text(text, encoding="utf-8")
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "-f", "docx", "--no-sessions",
        "--changes-since", "git:HEAD", "--max-size", "100k",
    )  # fmt: skip
    assert code == 1
    assert (
        f"HEAD:{pack}: the file is 0.2 MB, over the limit of 0.1 MB for a pack "
        "(--max-size raises it)"
    ) in err
    assert "Traceback" not in err
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "-f", "docx", "--no-sessions",
        "--changes-since", "git:HEAD", "--max-size", "1MB",
    )  # fmt: skip
    assert code == 0, err


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_an_earlier_version_from_git_that_is_not_utf8_is_an_error_at_its_byte(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_bytes(b"title: Caf\xe9\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "pack.yaml")
    git(tmp_path, "commit", "-q", "-m", "latin-1")
    shutil.copy(BUNDLED_PACK, pack)
    code, _, err = run(
        "build", str(pack), "-o", str(tmp_path / "out"), "--changes-since", "git:HEAD"
    )
    assert code == 1
    assert f"HEAD:{pack}:1:11: the file is not UTF-8 text (byte 0xe9)" in err
    assert "Traceback" not in err


def test_a_damaged_pre_read_is_named_by_its_path_not_by_a_buffer(tmp_path: Path) -> None:
    (tmp_path / "pre-reads").mkdir()
    whole = make_pdf(tmp_path / "whole.pdf", 2).read_bytes()
    (tmp_path / "pre-reads" / "cut.pdf").write_bytes(whole[: len(whole) // 2])
    pack, lines = pack_with(tmp_path, ["pre-reads/cut.pdf"])
    code, _, err = run("validate", str(pack))
    assert code == 1
    assert f"{pack}:{lines[0]}:19: 'file': pre-reads/cut.pdf is damaged or truncated (" in err
    assert "BytesIO" not in err
    assert "object at 0x" not in err
    assert "<memory>" not in err


def validate_elsewhere(*arguments: str) -> subprocess.CompletedProcess[str]:
    """``briefpack validate`` in its own process: a test of what must not block cannot block."""
    return subprocess.run(
        [sys.executable, "-m", "briefpack.cli", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_or_folder_named_pdf_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.pdf")
    (tmp_path / "folder.pdf").mkdir()
    pack, lines = pack_with(tmp_path, ["pipe.pdf", "folder.pdf"])
    result = validate_elsewhere("validate", str(pack))
    assert result.returncode == 1
    assert (
        f"{pack}:{lines[0]}:19: 'file': 'pipe.pdf' is not a regular file (a named pipe)"
    ) in result.stderr
    assert (
        f"{pack}:{lines[1]}:19: 'file': 'folder.pdf' is not a regular file (a folder)"
    ) in result.stderr
    assert "no such file" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_given_where_a_pre_read_is_read_is_refused_unopened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.pdf")
    with pytest.raises(AttachmentRefusedError, match=r"pipe\.pdf cannot be read: not a regular"):
        check_attachment(tmp_path / "pipe.pdf")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_given_as_the_earlier_version_is_refused_unopened(tmp_path: Path) -> None:
    shutil.copy(BUNDLED_PACK, tmp_path / "pack.yaml")
    os.mkfifo(tmp_path / "old.yaml")
    result = validate_elsewhere(
        "build", str(tmp_path / "pack.yaml"), "-o", str(tmp_path / "out"),
        "--changes-since", str(tmp_path / "old.yaml"),
    )  # fmt: skip
    assert result.returncode == 1
    assert f"--changes-since: '{tmp_path / 'old.yaml'}' is not a regular file (a named pipe)" in (
        result.stderr
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_given_as_a_pack_or_a_photo_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    result = validate_elsewhere("validate", str(tmp_path / "pipe.yaml"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tmp_path / 'pipe.yaml'}: not a regular file (a named pipe)")
    os.mkfifo(tmp_path / "face.png")
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        MINIMAL_PACK + "attendees:\n  - name: Dana Ruiz\n    photo: face.png\n", encoding="utf-8"
    )
    result = validate_elsewhere("validate", str(pack))
    assert result.returncode == 1
    assert f"{pack}:13:12: 'photo' 'face.png': not a regular file (a named pipe)" in result.stderr
