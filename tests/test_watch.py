"""briefpack watch: every save rebuilt, an invalid save reported, Ctrl-C a clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from conftest import MINIMAL_PACK
from pdf_helpers import page_texts, pdf_colours


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_watch_rebuilds_each_save_reports_bad_ones_and_stops_cleanly(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    pack = content / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    pdf = tmp_path / "out" / "pack" / "pack.pdf"
    stdout, stderr = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "briefpack.cli",
                "watch",
                str(content),
                "-o",
                str(tmp_path / "out"),
                "-f",
                "pdf",
                "--no-sessions",
                "-j",
                "1",
            ],
            stdout=out,
            stderr=err,
            start_new_session=True,
            env={**os.environ, "TMPDIR": str(temporary)},
        )
    try:
        wait_for(lambda: "watching" in stdout.read_text(), "the first build")
        assert "Where are we going?" in " ".join(page_texts(pdf.read_bytes()))

        pack.write_text(MINIMAL_PACK.replace("Where are we going?", "What changed?"), "utf-8")
        wait_for(lambda: "What changed?" in " ".join(page_texts(pdf.read_bytes())), "a rebuild")

        good = pdf.read_bytes()
        pack.write_text(MINIMAL_PACK.replace('end: "10:00"', 'end: "08:00"'), "utf-8")
        wait_for(lambda: f"{pack}:7:14:" in stderr.read_text(), "the problem to be reported")
        assert pdf.read_bytes() == good
        assert process.poll() is None, "watch stopped after an invalid save"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    assert process.returncode == 130, stderr.read_text()  # Ctrl-C, as a shell reports it
    assert "stopped watching" in stdout.read_text()
    assert "Traceback" not in stderr.read_text()
    assert list(temporary.iterdir()) == [], "the workers left temporary files"


#: The first render waits, after telling the test, until the test has saved an edit.
FIRST_RENDER_WAITS_FOR_A_SAVE = """
import os, time
from pathlib import Path
import briefpack.build.pipeline as build
real = build.render_job
started, saved = Path(os.environ["TEST_STARTED"]), Path(os.environ["TEST_SAVED"])
def render(job):
    if not started.exists():
        started.touch()
        deadline = time.monotonic() + 60
        while not saved.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return real(job)
build.render_job = render
from briefpack.cli import main
main()
"""


def test_a_save_made_during_the_first_build_is_built_next(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    pack = content / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    pdf = tmp_path / "out" / "pack" / "pack.pdf"
    started, saved = tmp_path / "started", tmp_path / "saved"
    stdout = tmp_path / "stdout.txt"
    with stdout.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                FIRST_RENDER_WAITS_FOR_A_SAVE,
                "watch",
                str(content),
                "-o",
                str(tmp_path / "out"),
                "-f",
                "pdf",
                "--no-sessions",
                "-j",
                "1",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "TEST_STARTED": str(started), "TEST_SAVED": str(saved)},
        )
    try:
        wait_for(started.exists, "the first build to start rendering")
        pack.write_text(MINIMAL_PACK.replace("Where are we going?", "Saved meanwhile"), "utf-8")
        saved.touch()
        wait_for(lambda: "watching" in stdout.read_text(), "the first build")
        assert "Where are we going?" in " ".join(page_texts(pdf.read_bytes()))
        wait_for(
            lambda: "Saved meanwhile" in " ".join(page_texts(pdf.read_bytes())),
            "the save made during the first build to be built",
            seconds=30,
        )
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    assert process.returncode == 130, stdout.read_text()


def test_a_theme_folder_outside_the_content_is_watched_too(tmp_path: Path) -> None:
    content, brand = tmp_path / "content", tmp_path / "brand"
    content.mkdir()
    brand.mkdir()
    (brand / "theme.yaml").write_text('colours:\n  accent: "#b00020"\n', encoding="utf-8")
    pack = content / "pack.yaml"
    pack.write_text(MINIMAL_PACK + "options:\n  theme: ../brand\n", encoding="utf-8")
    pdf = tmp_path / "out" / "pack" / "pack.pdf"
    stdout = tmp_path / "stdout.txt"
    with stdout.open("w") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "briefpack.cli", "watch", str(content)),
                *("-o", str(tmp_path / "out"), "-f", "pdf", "--no-sessions", "-j", "1"),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: "watching" in stdout.read_text(), "the first build")
        assert str(brand) in stdout.read_text().split("watching", 1)[1]
        assert "#b00020" in pdf_colours(pdf.read_bytes())
        (brand / "theme.yaml").write_text('colours:\n  accent: "#006400"\n', encoding="utf-8")
        wait_for(lambda: "#006400" in pdf_colours(pdf.read_bytes()), "a rebuild after the edit")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    assert process.returncode == 130, stdout.read_text()


def test_an_edited_pre_read_is_rebuilt_and_the_outputs_do_not_trigger_builds(
    tmp_path: Path,
) -> None:
    from pdf_makers import make_pdf

    content = tmp_path / "content"
    content.mkdir()
    make_pdf(content / "memo.pdf", 1, text="First memo")
    pack = content / "pack.yaml"
    attachment = "        attachments:\n          - file: memo.pdf\n            title: Memo\n"
    pack.write_text(MINIMAL_PACK.replace("        questions:", attachment + "        questions:"))
    out = content / "out"  # inside the watched folder: its PDFs must not trigger builds
    pdf = out / "pack" / "pack.pdf"
    stdout = tmp_path / "stdout.txt"
    with stdout.open("w") as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "briefpack.cli", "watch", str(content)),
                *("-o", str(out), "-f", "pdf", "--no-sessions", "-j", "1"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: "watching" in stdout.read_text(), "the first build")
        assert "First memo 1" in " ".join(page_texts(pdf.read_bytes()))
        make_pdf(content / "memo.pdf", 1, text="Second memo")
        wait_for(lambda: "Second memo 1" in " ".join(page_texts(pdf.read_bytes())), "a rebuild")
        time.sleep(1)
        assert stdout.read_text().count("changed:") == 1, stdout.read_text()
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    assert process.returncode == 130, stdout.read_text()
