"""Worker processes that render with a time limit and a memory limit.

Every render runs in a child process: a pathological pack can exhaust its
own worker, never the build.  Each worker sets its memory limit with
``resource.setrlimit`` when it starts and then renders job after job,
keeping what it has loaded (WeasyPrint, fonts, templates) warm.  The parent
kills a worker whose job outlives the time limit (``future.result(timeout)``
would not stop it) and starts a fresh one for the jobs left.  Ctrl-C is left
to the parent, which kills every worker at once.  What runs in the worker
itself is in :mod:`briefpack.build.worker_process`.  A job goes to a
worker as a parcel (:mod:`briefpack.build.parcels`): its pack and theme only
the first time, then by their key.

Each worker gets a temporary folder of its own, made by the parent and
removed by the parent once the worker has ended, however it ended.
WeasyPrint's font configuration copies the theme's fonts into a
``weasyprint-*`` folder that only its finaliser removes, and a worker that
is killed, or leaves through ``os._exit`` as every forked process does,
never runs finalisers.  A worker whose parent dies removes its own folder
on the way out (see :mod:`briefpack.build.lifeline`), and a folder left
behind anyway (the whole process group killed at once) is removed by the
next pool.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from briefpack.build.lifeline import (
    WORKER_FOLDER_PREFIX,
    Janitor,
    forking,
    keep_from_children,
    release,
)
from briefpack.build.parcels import Definitions, Sender
from briefpack.build.render_limits import Limits
from briefpack.build.worker_process import capped_memory, serve
from briefpack.errors import BriefpackError
from briefpack.render.rendered import Rendered

J = TypeVar("J")
#: A render's result (:class:`~briefpack.render.rendered.Rendered`) or the problem that stopped it.
Outcome = Rendered | BriefpackError


#: Temporary folders of workers are named after the parent: TEMPORARY_PREFIX + PID + "-"
#: (the janitor removes a dead build's by that name).
TEMPORARY_PREFIX = WORKER_FOLDER_PREFIX


class _Worker:
    def __init__(
        self,
        context: Any,
        render: Callable[[Any], Rendered],
        limits: Limits,
        janitor: Janitor,
        definitions: Definitions,
    ) -> None:
        self.temporary = tempfile.mkdtemp(prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-")
        self.janitor = janitor
        with forking():
            self.connection, child = context.Pipe()
            # The child closes its copy of this end too, or its own pipe never reaches EOF.
            keep_from_children(self.connection.fileno())
            self.process = context.Process(
                target=serve,
                args=(child, render, limits.memory, self.temporary, os.getpid()),
                daemon=True,
            )
            self.process.start()
            child.close()
        janitor.watch(self.process.pid, self.temporary)
        self.job: Any = None
        self.started = 0.0
        # Each pack and theme goes to this worker once; later jobs name it by key.
        self.sender = Sender(definitions)

    def kill(self) -> None:
        self.process.kill()
        self.ended()

    def ended(self) -> None:
        """The process has exited or been killed: reap it and remove what it left."""
        self.process.join()
        release(self.connection.fileno())
        self.connection.close()
        shutil.rmtree(self.temporary, ignore_errors=True)
        self.janitor.forget(self.process.pid)

    def death(self) -> str:
        """How the ended process ended, for a message."""
        code = self.process.exitcode
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                return f"killed by {signal.Signals(-code).name}"
        return f"exit status {code}"


def remove_abandoned_temporaries() -> None:
    """Remove the temporary folders of workers whose parent no longer runs (it was killed)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{TEMPORARY_PREFIX}*-*"):
        pid = folder.name.removeprefix(TEMPORARY_PREFIX).split("-", 1)[0]
        try:
            if folder.stat().st_uid != os.getuid() or not pid.isdigit():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # alive under another user, or gone already


class JobQueue(Generic[J]):
    """Jobs waiting for a worker, in order.

    The build adds to it while the pool runs: when a book's parts are in, its
    next steps go to the front, since the rest of the book waits on them.
    """

    def __init__(self, jobs: Iterable[J] = ()) -> None:
        self._jobs: collections.deque[J] = collections.deque(jobs)

    def __len__(self) -> int:
        return len(self._jobs)

    def add_first(self, jobs: Sequence[J]) -> None:
        """Put ``jobs``, in their order, before every job waiting."""
        self._jobs.extendleft(reversed(jobs))

    def take(self) -> J:
        """The next job, removed from the queue."""
        return self._jobs.popleft()


class WorkerPool(Generic[J]):
    """Renders jobs on up to ``size`` worker processes, each job within ``limits``.

    Workers outlive a call to :meth:`run`, so that ``watch`` renders every
    save on warm workers; :meth:`close` (or leaving the ``with`` block) ends them.
    """

    #: How a job stopped at a limit may be let go further: by the command's
    #: option; a pool for a command without it (validate) says what it has.
    time_advice = "--time-limit raises it"
    memory_advice = "--memory-limit raises it"

    def __init__(
        self,
        size: int,
        render: Callable[[J], Rendered],
        limits: Limits,
        describe: Callable[[J], str],
    ) -> None:
        self.size = size
        self.render = render
        self.limits = limits
        self.describe = describe
        # fork: workers start at once and inherit what the parent has loaded.
        self.context = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []
        # Started with the first worker: a build with nothing to render forks nothing.
        self.janitor: Janitor | None = None
        #: Each shared object of the jobs (a pack, a theme) pickled once, for every worker.
        self.definitions = Definitions()
        remove_abandoned_temporaries()

    def __enter__(self) -> WorkerPool[J]:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()

    def run(self, jobs: Sequence[J] | JobQueue[J]) -> Iterator[tuple[J, Outcome, float]]:
        """Render ``jobs`` in the order given, yielding each as it completes.

        Jobs added to a :class:`JobQueue` while it runs are rendered too.
        """
        queue = jobs if isinstance(jobs, JobQueue) else JobQueue(jobs)
        workers = self.workers
        try:
            while queue or any(worker.job is not None for worker in workers):
                self._assign(queue, workers)
                yield from self._collect(workers)
        except BaseException:
            # Ctrl-C, or the caller stopped listening: no worker may go on rendering.
            for worker in workers:
                worker.kill()
            workers.clear()
            raise

    def close(self) -> None:
        """Let every worker finish and exit."""
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.kill()
            else:
                worker.ended()
        self.workers.clear()
        self.definitions.clear()
        if self.janitor is not None:
            self.janitor.close()
            self.janitor = None

    def _assign(self, queue: JobQueue[J], workers: list[_Worker]) -> None:
        idle = [worker for worker in workers if worker.job is None]
        while queue and (idle or len(workers) < self.size):
            if idle:
                worker = idle.pop()
            else:
                if self.janitor is None:
                    self.janitor = Janitor()
                worker = _Worker(
                    self.context, self.render, self.limits, self.janitor, self.definitions
                )
                workers.append(worker)
            worker.job = queue.take()
            worker.started = time.monotonic()
            worker.connection.send(worker.sender.parcel(worker.job))

    def _collect(self, workers: list[_Worker]) -> Iterator[tuple[J, Outcome, float]]:
        busy = [worker for worker in workers if worker.job is not None]
        deadline = min(worker.started for worker in busy) + self.limits.seconds
        ready = multiprocessing.connection.wait(
            [worker.connection for worker in busy], timeout=max(0.0, deadline - time.monotonic())
        )
        now = time.monotonic()
        for worker in busy:
            job = worker.job
            elapsed = now - worker.started
            if worker.connection in ready:
                try:
                    kind, value, warnings = worker.connection.recv()
                except (EOFError, OSError):
                    kind, value, warnings = "died", None, []
                for name, warning in warnings:
                    logging.getLogger(name).warning("%s", warning)
                if kind == "died":
                    worker.kill()
                    workers.remove(worker)
                    value = worker.death()
                else:
                    worker.job = None
                outcome = self._outcome(job, kind, value)
                yield job, outcome, elapsed
            elif elapsed >= self.limits.seconds:
                worker.kill()
                workers.remove(worker)
                yield (
                    job,
                    self._failure(
                        job,
                        f"took longer than the time limit of {self.limits.seconds:g} s "
                        f"({self.time_advice})",
                    ),
                    elapsed,
                )

    def _outcome(self, job: J, kind: str, value: Any) -> Outcome:
        if kind == "ok":
            data, pages = value
            return Rendered(bytes(data), pages)
        if kind == "error":
            assert isinstance(value, BriefpackError)
            return value
        if kind == "memory":
            return self._failure(
                job,
                f"needed more memory than the limit of {self._memory()}",
            )
        if kind == "bug":
            return self._failure(job, f"internal error in the renderer: {value}")
        # A failed allocation in C code can end the process before Python sees it.
        return self._failure(
            job,
            f"the renderer stopped unexpectedly ({value}), most likely at the memory limit "
            f"of {self._memory()}",
        )

    def _memory(self) -> str:
        """The memory limit the workers had, ``700 MB``, ``4.0 GB``, and what raises it."""
        memory = capped_memory(self.limits.memory)
        size = f"{memory / 1024**3:.1f} GB" if memory >= 1024**3 else f"{memory / 1024**2:.0f} MB"
        if memory < self.limits.memory:
            # The workers inherit this process's hard limit: --memory-limit cannot pass it.
            return (
                f"{size}, the hard limit (ulimit -v) briefpack was started under, "
                "below --memory-limit (only the shell that set it can raise it)"
            )
        return f"{size} ({self.memory_advice})"

    def _failure(self, job: J, message: str) -> BriefpackError:
        return BriefpackError(f"{self.describe(job)}: {message}")
