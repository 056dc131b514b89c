"""Nothing survives a build: SIGTERM stops it as Ctrl-C does, SIGKILL takes its workers along.

Each test that starts ``briefpack`` points ``TMPDIR`` at an empty folder of
its own, records the processes the build has started, stops the build, and
then expects every one of them gone and the folder empty within seconds.
A zombie counts as gone: it has ended, and only waits for PID 1 to reap it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefpack.build.render_limits import Limits
from briefpack.build.workers import WorkerPool

from conftest import MINIMAL_PACK

RUN_CLI = "from briefpack.cli import main; main()\n"
#: The full pack's PDF renders, then never returns; every other output finishes.
#: ``STALL`` is replaced by what the worker does meanwhile.
STALL_ON_THE_FULL_PDF = (
    "import itertools, time, briefpack.build.pipeline as build\n"
    "real = build.render_job\n"
    "def render(job):\n"
    "    result = real(job)\n"
    "    if job.target.name == 'pack.pdf':\n"
    "        STALL\n"
    "    return result\n"
    "build.render_job = render\n"
)
#: Waiting in Python: a signal is handled at once.
SLEEPS = STALL_ON_THE_FULL_PDF.replace("STALL", "time.sleep(300)")
#: Stuck in C code that holds the interpreter's lock: no signal handler or thread runs.
STUCK_IN_C = STALL_ON_THE_FULL_PDF.replace("STALL", "sum(itertools.repeat(1, 10**12))")
FINISHED = ("pack.docx", "sessions/01-strategy.pdf", "sessions/01-strategy.docx")
INTERRUPTED = "finished outputs are in place, nothing half-written"


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid``, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.add(int(entry.name))
    return found


def descendants(pid: int) -> set[int]:
    found = children(pid)
    for child in list(found):
        found |= descendants(child)
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` still runs: it exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture
def temporary(tmp_path: Path) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts; whatever is left of their groups is killed at the end."""
    processes: list[subprocess.Popen[str]] = []
    yield processes
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def start_build(
    tmp_path: Path, temporary: Path, code: str, started: list[subprocess.Popen[str]]
) -> subprocess.Popen[str]:
    """``briefpack build`` on a one-session pack, -j2, stalled on the full PDF."""
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", code + RUN_CLI, "build", str(pack), "-j", "2",
         "-o", str(tmp_path / "out")],
        env={**os.environ, "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    started.append(process)
    return process


def stalled_workers(process: subprocess.Popen[str], tmp_path: Path, temporary: Path) -> set[int]:
    """Wait until every output but the stalled one is written; the build's descendants."""
    out = tmp_path / "out" / "pack"
    wait_for(lambda: all((out / name).is_file() for name in FINISHED), "the other outputs")
    wait_for(lambda: len(list(temporary.glob("briefpack-worker-*"))) == 2, "two workers")
    workers = descendants(process.pid)
    assert len(workers) >= 2, workers
    return workers


def assert_nothing_left(workers: set[int], temporary: Path, seconds: float = 10) -> None:
    wait_for(lambda: not any(running(pid) for pid in workers), "the workers to end", seconds)
    wait_for(lambda: list(temporary.iterdir()) == [], "the temporary folder to empty", seconds)


@pytest.mark.parametrize(("stop", "status"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_sigterm_stops_a_build_as_ctrl_c_does_with_one_line_and_128_plus_the_signal(
    tmp_path: Path,
    temporary: Path,
    started: list[subprocess.Popen[str]],
    stop: signal.Signals,
    status: int,
) -> None:
    process = start_build(tmp_path, temporary, SLEEPS, started)
    workers = stalled_workers(process, tmp_path, temporary)
    os.kill(process.pid, stop)  # the build alone, as a service manager or `kill` does
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    assert stderr.splitlines() == [f"interrupted by {stop.name}: {INTERRUPTED}"]
    out = tmp_path / "out" / "pack"
    assert all((out / name).is_file() for name in FINISHED)
    assert not (out / "pack.pdf").exists()
    assert [path.name for path in out.rglob("*") if path.name.endswith(".tmp")] == []
    assert_nothing_left(workers, temporary)


def test_sigterm_to_the_whole_process_group_leaves_nothing(
    tmp_path: Path, temporary: Path, started: list[subprocess.Popen[str]]
) -> None:
    process = start_build(tmp_path, temporary, SLEEPS, started)
    workers = stalled_workers(process, tmp_path, temporary)
    os.killpg(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert "Traceback" not in stderr
    assert_nothing_left(workers, temporary)


def test_a_build_killed_outright_takes_its_workers_and_their_folders_with_it(
    tmp_path: Path, temporary: Path, started: list[subprocess.Popen[str]]
) -> None:
    process = start_build(tmp_path, temporary, SLEEPS, started)
    # One worker stalls mid-render, the other waits idle for a job.
    workers = stalled_workers(process, tmp_path, temporary)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert_nothing_left(workers, temporary)


def test_a_worker_stuck_in_c_code_is_killed_and_its_folder_removed_after_the_build_is_killed(
    tmp_path: Path, temporary: Path, started: list[subprocess.Popen[str]]
) -> None:
    process = start_build(tmp_path, temporary, STUCK_IN_C, started)
    workers = stalled_workers(process, tmp_path, temporary)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert_nothing_left(workers, temporary, seconds=15)


@pytest.mark.parametrize("command", [["watch"], ["preview", "--port", "0"]])
def test_sigterm_stops_watch_and_preview_cleanly_with_status_143(
    tmp_path: Path, temporary: Path, started: list[subprocess.Popen[str]], command: list[str]
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "pack.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    stdout = tmp_path / "stdout.txt"
    with stdout.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", RUN_CLI, *command, str(content), "-o", str(tmp_path / "out"),
             "-f", "pdf", "--no-sessions", "-j", "1"],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            env={**os.environ, "TMPDIR": str(temporary)},
        )  # fmt: skip
    started.append(process)
    wait_for(lambda: "watching" in stdout.read_text(), "the first build")
    workers = descendants(process.pid)
    assert workers
    os.kill(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert "stopped watching" in stdout.read_text()
    assert "Traceback" not in stderr
    assert "KeyboardInterrupt" not in stderr
    assert_nothing_left(workers, temporary)


def _socket_inodes(pid: int) -> set[str]:
    """What ``pid``'s descriptors point at: ``socket:[123]``, ``pipe:[456]``."""
    found = set()
    for link in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            found.add(os.readlink(link))
    return found


def _nothing(job: int) -> tuple[bytes, None]:
    return b"", None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_no_worker_holds_a_pipe_end_of_its_parent() -> None:
    """Else a worker never sees its own pipe's end-of-file when the build dies."""
    with WorkerPool(2, _nothing, Limits(), describe=str) as pool:
        assert len(list(pool.run([1, 2]))) == 2
        assert len(pool.workers) == 2
        assert pool.janitor is not None
        ends = {f"socket:[{os.fstat(w.connection.fileno()).st_ino}]" for w in pool.workers}
        janitor_end = os.readlink(f"/proc/self/fd/{pool.janitor._write}")
        for worker in pool.workers:
            held = _socket_inodes(worker.process.pid)
            assert ends.isdisjoint(held)
            assert janitor_end not in held


def test_sigkill_to_the_whole_process_group_leaves_no_process_not_even_the_janitor(
    tmp_path: Path, temporary: Path, started: list[subprocess.Popen[str]]
) -> None:
    """As a terminal or a supervisor kills a job: the janitor, in its own session, cleans up."""
    process = start_build(tmp_path, temporary, SLEEPS, started)
    processes = stalled_workers(process, tmp_path, temporary)  # the workers and the janitor
    assert len(processes) >= 3, processes
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert_nothing_left(processes, temporary, seconds=5)


#: A build whose janitor's pipe another process (``sleep``) keeps open, and
#: that made a worker's folder it never told the janitor of.
PIPE_HELD_OPEN = (
    "import os, subprocess, tempfile, time\n"
    "from briefpack.build.lifeline import Janitor\n"
    "janitor = Janitor()\n"
    "tempfile.mkdtemp(prefix=f'briefpack-worker-{os.getpid()}-')\n"
    "holder = subprocess.Popen(['sleep', '120'], pass_fds=(janitor._write,))\n"
    "print(janitor.pid, holder.pid, flush=True)\n"
    "time.sleep(120)\n"
)


def test_the_janitor_ends_with_the_build_even_while_its_pipe_is_held_open(
    temporary: Path, started: list[subprocess.Popen[str]]
) -> None:
    """In its own session nothing else would stop it: it must not wait for ever."""
    process = subprocess.Popen(
        [sys.executable, "-c", PIPE_HELD_OPEN],
        env={**os.environ, "TMPDIR": str(temporary)},
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    started.append(process)
    assert process.stdout is not None
    janitor, holder = (int(pid) for pid in process.stdout.readline().split())
    assert len(list(temporary.iterdir())) == 1
    process.kill()
    process.wait(timeout=60)
    assert_nothing_left({janitor}, temporary, seconds=5)
    assert running(holder)  # the pipe is still held: the janitor went without its end-of-file


@pytest.fixture
def ctrl_c_pack(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / "pack.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    return content


def test_ctrl_c_stops_a_build_with_one_line_and_status_130(
    tmp_path: Path, temporary: Path, started: list[subprocess.Popen[str]]
) -> None:
    process = start_build(tmp_path, temporary, SLEEPS, started)
    workers = stalled_workers(process, tmp_path, temporary)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal sends Ctrl-C: to the whole group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.splitlines() == [f"interrupted: {INTERRUPTED}"]
    assert_nothing_left(workers, temporary)


@pytest.mark.parametrize("moment", ["mid-build", "between builds"])
@pytest.mark.parametrize("command", [["watch"], ["preview", "--port", "0"]])
def test_ctrl_c_stops_watch_and_preview_with_one_line_and_status_130(
    tmp_path: Path,
    temporary: Path,
    started: list[subprocess.Popen[str]],
    ctrl_c_pack: Path,
    command: list[str],
    moment: str,
) -> None:
    """Not click's "Aborted!" with status 1 mid-build, nor status 0 between builds."""
    stdout = tmp_path / "stdout.txt"
    with stdout.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", (SLEEPS if moment == "mid-build" else "") + RUN_CLI, *command,
             str(ctrl_c_pack),
             "-o", str(tmp_path / "out"), "-f", "pdf", "-f", "docx", "--no-sessions", "-j", "1"],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            env={**os.environ, "TMPDIR": str(temporary)},
        )  # fmt: skip
    started.append(process)
    if moment == "mid-build":  # the full PDF never finishes; the Word copy does
        wait_for(lambda: (tmp_path / "out" / "pack" / "pack.docx").is_file(), "the Word copy")
        wait_for(lambda: list(temporary.glob("briefpack-worker-*")) != [], "a worker")
        time.sleep(0.5)
        assert "watching" not in stdout.read_text()
    else:
        wait_for(lambda: "watching" in stdout.read_text(), "the first build")
    workers = descendants(process.pid)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stdout.read_text().splitlines()[-1] == "stopped watching"
    assert "Aborted!" not in stderr
    assert "Traceback" not in stderr
    assert_nothing_left(workers, temporary)
