"""Worker processes end with the build that started them, however it ends.

A worker forked by the build would otherwise outlive a build killed by
SIGTERM or SIGKILL: re-parented to PID 1, blocked for ever on a pipe whose
other end it (or a sibling) still holds, with its temporary folder left in
``$TMPDIR``.  Three things prevent that:

- No child keeps a pipe end that belongs to the parent (:func:`forking`,
  :func:`close_parent_ends`): a fork copies every descriptor, so a worker
  would otherwise hold its own pipe's parent end and its elder siblings',
  and the end-of-file that tells an idle worker its parent is gone would
  never come.
- A worker is told when its parent dies (:func:`die_with_parent`): on Linux
  the kernel sends it SIGTERM (``PR_SET_PDEATHSIG``), elsewhere a thread
  notices that its parent has changed.  Either way it removes its temporary
  folder and exits.
- A worker stuck in C code holding the interpreter's lock cannot run either
  of those until the C code returns, so a small :class:`Janitor` process,
  which only ever waits on a pipe, kills whatever the build left running a
  moment after the build is gone, and removes the folders.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator
from typing import NoReturn

from briefpack.build.signals import STOPPING

#: How often a worker's thread looks at its parent where no parent-death signal exists.
WATCH_INTERVAL = 0.25
#: How long the janitor lets workers end by themselves before it kills them, in seconds.
GRACE = 2.0
#: How long the janitor waits for killed workers to be gone before removing their folders.
REAPED_WITHIN = 5.0

_PR_SET_PDEATHSIG = 1
#: How a worker's temporary folder is named: this, the build's PID and "-"
#: (:data:`briefpack.build.workers.TEMPORARY_PREFIX` is this one).
WORKER_FOLDER_PREFIX = "briefpack-worker-"

# The descriptors of this process that no child may keep, and the lock held
# from making a pipe to forking with it, so that a fork in another thread
# (a Dask worker runs a pool per thread) never sees a pipe not yet listed.
_lock = threading.Lock()
_parent_ends: set[int] = set()


@contextlib.contextmanager
def forking() -> Iterator[None]:
    """Held while pipes are made, a child forked and its ends listed or closed."""
    with _lock:
        yield


def keep_from_children(descriptor: int) -> None:
    """List ``descriptor`` (a parent's pipe end) among those every child closes."""
    _parent_ends.add(descriptor)


def release(descriptor: int) -> None:
    """``descriptor`` is about to be closed: children no longer need to close it."""
    with _lock:
        _parent_ends.discard(descriptor)


def close_parent_ends(keep: Collection[int] = ()) -> None:
    """In a fresh child: let go of every pipe end the parent listed, but ``keep``.

    Each is pointed at ``/dev/null`` rather than closed, so that the
    descriptor number stays taken: the parent's objects copied into the child
    still hold those numbers, and one closed twice could close a file the
    child opened since.
    """
    ends = _parent_ends - set(keep)
    if not ends:
        return
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for descriptor in ends:
            with contextlib.suppress(OSError):
                os.dup2(null, descriptor)
    finally:
        os.close(null)


def die_with_parent(parent: int, on_death: Callable[[], None]) -> None:
    """In a child of ``parent``: run ``on_death`` and exit when ``parent`` ends, however it ends.

    SIGTERM does the same, so that stopping the whole process group leaves
    nothing behind either.
    """

    def leave(signum: int = signal.SIGTERM, frame: object = None) -> NoReturn:
        on_death()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, leave)
    _ask_for_parent_death_signal()
    # The parent may have died before the request took effect: then no signal comes.
    if os.getppid() != parent:
        leave()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_INTERVAL)
        leave()

    threading.Thread(target=watch, name="briefpack-parent-watch", daemon=True).start()


def _ask_for_parent_death_signal() -> None:
    """On Linux, have the kernel send SIGTERM when the parent's forking thread ends.

    The signal comes when the *thread* that forked ends, not the process:
    workers are forked by the thread that runs their pool, which lives as
    long as the pool (the main thread, or a Dask worker's thread).
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


class Janitor:
    """A process that stops a pool's workers and removes their folders once the pool is gone.

    The pool tells it each worker it starts and each it has ended itself.
    When its pipe reaches end-of-file (the pool closed, or the build died,
    however) it gives the workers still running :data:`GRACE` seconds to end
    on their own, kills the rest, and removes their folders.  It ignores the
    signals that stop a build, so that it is there to do this.
    """

    def __init__(self) -> None:
        with forking():
            read, self._write = os.pipe()
            build = os.getpid()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child, which never returns
                # Its own session, so that a kill of the build's process group
                # (a terminal's, a supervisor's) does not reach it: it is there
                # precisely for when the build and its workers are killed.
                os.setsid()
                os.close(self._write)  # or its own copy keeps end-of-file from ever coming
                _clean_up_after(read, build)
            os.close(read)
            keep_from_children(self._write)
        self.pid = pid

    def watch(self, pid: int, folder: str) -> None:
        """Worker ``pid`` started, with its temporary ``folder``."""
        self._tell(f"{pid} {folder}\n")

    def forget(self, pid: int) -> None:
        """Worker ``pid`` has ended and its folder is removed."""
        self._tell(f"-{pid}\n")

    def _tell(self, line: str) -> None:
        with contextlib.suppress(OSError):
            os.write(self._write, line.encode("utf-8", "surrogateescape"))

    def close(self) -> None:
        """Every worker has ended: let the janitor go, and reap it."""
        release(self._write)
        with contextlib.suppress(OSError):
            os.close(self._write)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _clean_up_after(read: int, build: int) -> NoReturn:
    """The janitor's life: note workers until end-of-file, then end what is left of them.

    It also ends when the ``build`` process is gone, even if some other
    process still holds the pipe open: in its own session nothing else would
    ever stop it, and a janitor must never outlive the build it cleans up after.
    """
    status = 0
    try:
        for stopping in (signal.SIGINT, *STOPPING):
            signal.signal(stopping, signal.SIG_IGN)
        close_parent_ends()
        # It never prints, and must not keep the build's output open for whoever reads it.
        null = os.open(os.devnull, os.O_RDWR)
        for standard in (0, 1, 2):
            os.dup2(null, standard)
        os.close(null)
        workers = _listen(read, build)
        _end(workers)
        if os.getppid() != build:
            _remove_leftovers(build)
    except BaseException:
        status = 1
    os._exit(status)


def _listen(read: int, build: int) -> dict[int, str]:
    """The workers still running, as the pipe ``read`` told them, once it ends or ``build`` does."""
    import select

    workers: dict[int, str] = {}
    pending = b""
    gone = False
    while True:
        ready, _, _ = select.select([read], [], [], WATCH_INTERVAL)
        if not ready:
            if gone:
                break  # the build is gone and everything it wrote has been read
            gone = os.getppid() != build
            continue
        chunk = os.read(read, 65536)
        if not chunk:
            break
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            pid, _, folder = line.decode("utf-8", "surrogateescape").partition(" ")
            if pid.startswith("-"):
                workers.pop(int(pid[1:]), None)
            elif pid:
                workers[int(pid)] = folder
    os.close(read)
    return workers


def _remove_leftovers(build: int) -> None:
    """Remove every worker folder of the dead ``build``, even one made before the janitor heard.

    A build killed between making a worker's folder and telling the janitor
    would otherwise leave it.  Only once the build is gone: while it runs, its
    other pools (a Dask worker's threads each have one) own folders of that name.
    """
    import glob
    import tempfile

    pattern = os.path.join(tempfile.gettempdir(), f"{WORKER_FOLDER_PREFIX}{build}-*")
    for folder in glob.glob(glob.escape(pattern[: -len("*")]) + "*"):
        shutil.rmtree(folder, ignore_errors=True)


def _end(workers: dict[int, str]) -> None:
    """Give ``workers`` a moment, kill those still running, then remove every folder."""
    _wait_until_gone(workers, GRACE)
    for pid in workers:
        if _running(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    _wait_until_gone(workers, REAPED_WITHIN)
    for folder in workers.values():
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_gone(workers: dict[int, str], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)


def _running(pid: int) -> bool:
    """Whether ``pid`` is a process still running (a zombie has ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True
