"""One LibreOffice per worker, kept running, so that a layout does not pay its start-up.

A conversion by ``soffice --convert-to`` starts LibreOffice each time: about
1 s of the 1.2 s the bundled pack's Word copy takes.  Here each worker
process starts, on its first layout, LibreOffice's own Python running
:mod:`briefpack.build.office_bridge`, which keeps one LibreOffice open and
converts each copy it is sent in 0.2 to 0.4 s.  Both run in a process group
of their own, with a profile in the worker's temporary folder, and die with
the worker (a parent-death signal on each).  Where that Python or its
``uno`` module is missing, or the bridge fails in any way, the worker goes
back to one ``soffice --convert-to`` per layout
(:func:`briefpack.build.word_layout.convert`): the numbers are the same.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

#: Seconds LibreOffice may take to start and answer.
START_TIMEOUT = 60.0
#: Where LibreOffice's own Python may be: beside the program (its own builds), or the
#: system's, which Debian's python3-uno gives ``uno``.
_PYTHONS = ("python", "python.bin", "/usr/bin/python3")
_PR_SET_PDEATHSIG = 1


class WarmOffice:
    """A LibreOffice kept open behind :mod:`~briefpack.build.office_bridge`."""

    def __init__(self, program: str, python: str) -> None:
        #: Where its LibreOffice keeps its profile; removed when it closes.
        self.folder = Path(tempfile.mkdtemp(prefix="briefpack-office-"))
        self._lock = threading.Lock()
        bridge = Path(__file__).with_name("office_bridge.py")
        self._process = subprocess.Popen(  # LibreOffice's Python, no shell
            [python, str(bridge), program, str(self.folder)],
            cwd=self.folder,
            env={**os.environ, "HOME": str(self.folder)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_term_with_parent,  # workers are single-threaded
        )
        # Not waited for here: LibreOffice starts while the worker renders the copy.
        self._ready = False

    def convert(self, source: Path, target: Path, timeout: float) -> None:
        """Convert ``source`` to the PDF ``target``, or raise why not."""
        with self._lock:
            if not self._ready:
                if self._read(START_TIMEOUT).get("ready") is not True:
                    raise RuntimeError("LibreOffice did not start behind the bridge")
                self._ready = True
            stdin = self._process.stdin
            assert stdin is not None
            request = {"source": str(source.resolve()), "target": str(target.resolve())}
            stdin.write((json.dumps(request) + "\n").encode())
            stdin.flush()
            reply = self._read(timeout)
        if "error" in reply or not target.is_file():
            raise RuntimeError(f"LibreOffice could not convert the copy: {reply.get('error')}")

    def _read(self, timeout: float) -> dict[str, Any]:
        output: IO[bytes] | None = self._process.stdout
        assert output is not None
        ready, _, _ = select.select([output], [], [], timeout)
        if not ready:
            raise TimeoutError(f"LibreOffice did not answer in {timeout:.0f} s")
        line = output.readline()
        if not line:
            raise RuntimeError("LibreOffice's bridge ended")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        """End the bridge and LibreOffice, and remove their folder.

        Closing its input ends the bridge, which closes LibreOffice properly (a
        killed one leaves its pipes in /tmp); killed only if that takes too long.
        """
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


#: Each process's office, by process and program; ``None`` once it failed (never again).
_OFFICES: dict[tuple[int, str], WarmOffice | None] = {}


def warm_office(program: str) -> WarmOffice | None:
    """This process's LibreOffice for ``program``, started on first use; ``None`` if it cannot.

    Returns at once: the first conversion waits for LibreOffice to be ready.
    """
    key = (os.getpid(), program)
    if key not in _OFFICES:
        _OFFICES[key] = None
        python = _python_of(program)
        if python is not None:
            with contextlib.suppress(Exception):
                office = WarmOffice(program, python)
                _OFFICES[key] = office
                atexit.register(office.close)
    return _OFFICES[key]


def give_up(program: str) -> None:
    """Stop this process's office for ``program`` after a failure, and use it no more."""
    office = _OFFICES.get((os.getpid(), program))
    _OFFICES[(os.getpid(), program)] = None
    if office is not None:
        office.close()


def office_python(program: str) -> str | None:
    """LibreOffice's Python for ``program``, if it can drive LibreOffice (has ``uno``)."""
    python = _python_of(program)
    if python is None:
        return None
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        probe = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return python
    return None


def _term_with_parent() -> None:
    """In the bridge, before exec: SIGTERM when the worker dies, which it ends properly on."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _python_of(program: str) -> str | None:
    folder = Path(program).parent
    for name in _PYTHONS:
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None
