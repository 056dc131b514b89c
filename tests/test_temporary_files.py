"""No leftovers: the system's temporary folder is as empty after a build as before it.

WeasyPrint copies the theme's fonts into a ``weasyprint-*`` folder for each
font configuration, and only its finaliser removes it.  Each test points
``TMPDIR`` at an empty folder of its own and checks it is empty again after
a build ends: normally, interrupted, with a worker killed at the time limit,
or after the whole build, workers and all, was killed (tests/test_signals.py
has the build killed alone).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import BUNDLED_PACK, MINIMAL_PACK

RUN_CLI = "from briefpack.cli import main; main()\n"
#: Each render finishes, then hangs: the worker has made its temporary files by then.
HANG_AFTER_RENDERING = (
    "import time, briefpack.build.pipeline as build\n"
    "real = build.render_job\n"
    "def render(job):\n"
    "    result = real(job)\n"
    "    time.sleep(120)\n"
    "    return result\n"
    "build.render_job = render\n"
)


@pytest.fixture
def temporary(tmp_path: Path) -> Path:
    """An empty folder for ``TMPDIR``."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def environ_with(temporary: Path) -> dict[str, str]:
    return {**os.environ, "TMPDIR": str(temporary)}


def build(temporary: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``briefpack build ARGS`` to the end, with ``TMPDIR`` at ``temporary``."""
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI, "build", *args],
        env=environ_with(temporary),
        capture_output=True,
        text=True,
        timeout=300,
    )


def start(temporary: Path, code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=environ_with(temporary),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts; whatever is left of their groups is killed at the end."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def wait_for_font_copies(temporary: Path, seconds: float = 60) -> None:
    """Wait until a worker's WeasyPrint has copied the theme's fonts into the temporary folder."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if list(temporary.rglob("weasyprint-*")):
            return
        time.sleep(0.05)
    raise AssertionError("no worker made its temporary files")


def pack_in(tmp_path: Path) -> Path:
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    return pack


def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path: Path, temporary: Path) -> None:
    result = build(temporary, str(BUNDLED_PACK), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "aws-devex-2025" / "aws-devex-2025.pdf").is_file()
    assert list(temporary.iterdir()) == []


def test_an_interrupted_build_leaves_nothing(
    tmp_path: Path, temporary: Path, processes: list[subprocess.Popen[str]]
) -> None:
    process = start(
        temporary, HANG_AFTER_RENDERING + RUN_CLI, "build", str(pack_in(tmp_path)), "-j", "2",
        "-o", str(tmp_path / "out"),
    )  # fmt: skip
    processes.append(process)
    wait_for_font_copies(temporary)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert list(temporary.iterdir()) == []


def test_a_worker_killed_at_the_time_limit_leaves_nothing(
    tmp_path: Path, temporary: Path, processes: list[subprocess.Popen[str]]
) -> None:
    process = start(
        temporary, HANG_AFTER_RENDERING + RUN_CLI, "build", str(pack_in(tmp_path)), "-j", "1",
        "-f", "pdf", "--no-sessions", "--time-limit", "5", "-o", str(tmp_path / "out"),
    )  # fmt: skip
    processes.append(process)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    assert "took longer than the time limit of 5 s" in stderr
    assert list(temporary.iterdir()) == []


def test_the_next_build_removes_what_a_killed_build_left(
    tmp_path: Path, temporary: Path, processes: list[subprocess.Popen[str]]
) -> None:
    pack = pack_in(tmp_path)
    killed = start(
        temporary, HANG_AFTER_RENDERING + RUN_CLI, "build", str(pack), "-j", "1",
        "-o", str(tmp_path / "killed"),
    )  # fmt: skip
    processes.append(killed)
    wait_for_font_copies(temporary)
    # The whole group at once, and first the janitor (in a session of its own, a group
    # kill does not reach it): no worker, nor the janitor, lives to remove its folder.
    for child in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int((child / "stat").read_text().rsplit(")", 1)[1].split()[1]) == killed.pid:
                os.kill(int(child.name), signal.SIGKILL)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    assert list(temporary.iterdir()) != []
    result = build(temporary, str(pack), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert list(temporary.iterdir()) == []
