"""Renders on a Dask distributed cluster: ``build --executor tcp://HOST:PORT``.

Only the rendering moves: the build still loads, plans, skips and writes on
this machine, so a render that fails or a worker that dies can never leave
a half-written file in the output folder.  Dask is the engine (``pip install
'briefpack[dask]'``); briefpack adds three things it needs from it.

**No shared file system.**  Every file a job reads travels through Dask's
content-addressed store: :meth:`ClusterPool.run` scatters each file's bytes
once with ``hash=True``, so a theme's fonts go to a worker once however many
jobs use them; on the worker, :func:`render_shipped` puts them in place and
moves the job's paths there (:mod:`briefpack.build.shipping`).  A job's
pack and theme travel the same way, pickled once on their own
(:mod:`briefpack.build.parcels`): a worker unpickles and moves each once,
and keeps it for the jobs after.

**The same limits.**  On the worker the render runs in briefpack's own
:class:`~briefpack.build.workers.WorkerPool` (one warm child per worker
thread), so ``--time-limit`` and ``--memory-limit`` hold there as they do
locally.  A child process needs a worker that is not daemonic: start workers
with ``DASK_DISTRIBUTED__WORKER__DAEMON=False``.

**Retries.**  A worker that dies mid-job loses nothing: the scheduler gives
its jobs to another worker (Dask's ``allowed-failures``), and only a result
that arrives in full is written.
"""

from __future__ import annotations

import collections
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from briefpack.build.jobs import describe_job
from briefpack.build.parcels import Definitions, unpickle
from briefpack.build.render_limits import Limits
from briefpack.build.scheduler import DEFAULT_CONNECT_TIMEOUT, connect, discard, quiet_dask
from briefpack.build.shipping import files_folder, job_files, place_files, reroot
from briefpack.build.workers import JobQueue, Outcome, WorkerPool
from briefpack.errors import BriefpackError
from briefpack.render.rendered import Rendered

#: How many times a job is sent when the cluster loses it or the files it needs.
ATTEMPTS = 3
#: What a worker must be started with for briefpack to apply its limits there.
NON_DAEMONIC = "DASK_DISTRIBUTED__WORKER__DAEMON=False"


_local = threading.local()


class _ThreadWarnings(logging.Handler):
    """Collects the warnings logged by one thread, as the local workers send theirs back."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append((record.name, record.getMessage()))


#: How many shared objects (packs, themes), unpickled and moved to their files, a Dask
#: worker keeps for the jobs after: those of one build, or two.
KEPT_SHARED = 8
_kept: collections.OrderedDict[tuple[str, Path], object] = collections.OrderedDict()
_kept_lock = threading.Lock()


def _shared_objects(
    shared: Mapping[str, bytes], root: Path, shipped: frozenset[Path]
) -> dict[str, object]:
    """Each shared object by key: unpickled and rerooted once per worker, then kept."""
    objects: dict[str, object] = {}
    with _kept_lock:
        for key, data in shared.items():  # those a definition names come before it
            found = _kept.get((key, root))
            if found is None:
                found = reroot(unpickle(data, objects), root, shipped, objects.values())
                _kept[(key, root)] = found
                while len(_kept) > KEPT_SHARED:
                    _kept.popitem(last=False)
            else:
                _kept.move_to_end((key, root))
            objects[key] = found
    return objects


def render_shipped(
    job: bytes,
    shared: Mapping[str, bytes],
    files: Mapping[str, bytes],
    limits: Limits,
    render: Callable[[Any], Rendered],
) -> tuple[Outcome, list[tuple[str, str]], float]:
    """Render ``job`` with ``render`` on a Dask worker, with the files it brought; runs there.

    ``job`` comes pickled by reference (:mod:`briefpack.build.parcels`), each
    pack and theme it names in ``shared``, which Dask sends a worker once.
    ``render`` travels by name (the build's own function), so the worker
    renders as a local build would without this module importing the build.
    Returns the outcome (bytes and pages, or the error), the warnings, and
    the seconds the render took.
    """
    if multiprocessing.current_process().daemon:
        raise BriefpackError(
            f"the Dask worker is daemonic, so briefpack cannot render in a child process "
            f"within the time and memory limits: start workers with {NON_DAEMONIC}"
        )
    root = files_folder(files)
    place_files(files, root)
    shipped = frozenset(Path(name) for name in files)
    objects = _shared_objects(shared, root, shipped)
    moved = reroot(unpickle(job, objects), root, shipped, objects.values())
    pool = getattr(_local, "pool", None)
    if pool is None or pool.limits != limits or pool.render is not render:
        pool = _local.pool = WorkerPool(1, render, limits, describe=describe_job)
    collector = _ThreadWarnings()
    logger = logging.getLogger("briefpack")
    logger.addHandler(collector)
    try:
        ((_, outcome, seconds),) = list(pool.run([moved]))
    finally:
        logger.removeHandler(collector)
    # A message names the worker's copy of a file by the path it has on this machine.
    warnings = [(name, text.replace(str(root), "")) for name, text in collector.messages]
    return outcome, warnings, seconds


class ClusterPool:
    """Renders jobs on the Dask cluster whose scheduler is at ``address``.

    Used like :class:`~briefpack.build.workers.WorkerPool`: :meth:`run` yields
    each job with its outcome and the seconds it took, as they complete.
    """

    def __init__(
        self,
        address: str,
        limits: Limits,
        render: Callable[[Any], Rendered],
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> None:
        self.limits = limits
        #: What renders a job on a worker (see :func:`render_shipped`).
        self.render = render
        self.address = address
        self._stored: dict[Path, Any] = {}
        #: Each pack and theme pickled once (:mod:`briefpack.build.parcels`), and in Dask's store.
        self.definitions = Definitions()
        self._stored_shared: dict[str, Any] = {}
        self._files_of: dict[str, list[Path]] = {}
        started = time.monotonic()
        # Checked, and asked who it is, before Dask's client is let near it.
        self.client = connect(address, connect_timeout)
        try:
            # Without a worker, Dask holds the jobs for ever, and its scatter fails
            # after its own timeout: a cluster still starting has what is left of ours.
            waited = max(connect_timeout - (time.monotonic() - started), 1.0)
            with quiet_dask():
                self.client.wait_for_workers(1, timeout=waited)
        except TimeoutError:
            self.close()
            raise self._no_workers(f"none joined within {connect_timeout:g} s") from None
        except BaseException:
            self.close()
            raise

    def _no_workers(self, why: str) -> BriefpackError:
        return BriefpackError(
            f"the Dask scheduler at {self.address} has no workers ({why}): "
            f"start some with {NON_DAEMONIC} dask worker {self.address}"
        )

    def __enter__(self) -> ClusterPool:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()

    def _scatter(self, data: bytes) -> Any:
        """``data`` in Dask's store, once however many jobs need it."""
        # hash=True: the key is the content's, so the same bytes travel once;
        # broadcast: every worker keeps a copy, so one dying loses none.
        try:
            return self.client.scatter(data, hash=True, broadcast=True)
        except TimeoutError as error:
            if "No valid workers" not in str(error):
                raise
            # Every worker left mid-build, and none came back within Dask's wait.
            raise self._no_workers("the last one left") from None

    def _submit(self, job: Any, again: bool = False, priority: int = 0) -> Any:
        """Send ``job`` to the cluster with its packs and files; ``again`` sends them anew."""
        split = self.definitions.split(job)
        shared = {}
        for definition in split.needs:
            if again or definition.key not in self._stored_shared:
                self._stored_shared[definition.key] = self._scatter(definition.data)
            shared[definition.key] = self._stored_shared[definition.key]
        # The files of a pack are looked for once, not in each job that names it.
        paths = set(job_files(job, leave_out=(job.target,), skip=split.named.values()))
        for key, named in split.named.items():
            if key not in self._files_of:
                self._files_of[key] = job_files(named)
            paths.update(self._files_of[key])
        files = {}
        for path in sorted(paths - {job.target}):
            if again or path not in self._stored:
                self._stored[path] = self._scatter(path.read_bytes())
            files[str(path)] = self._stored[path]
        return self.client.submit(
            render_shipped,
            split.job,
            shared,
            files,
            self.limits,
            self.render,
            pure=False,
            priority=priority,
        )

    def close(self) -> None:
        """Disconnect from the scheduler; the cluster goes on serving others."""
        discard(self.client)
        self.definitions.clear()

    def run(self, jobs: Sequence[Any] | JobQueue[Any]) -> Iterator[tuple[Any, Outcome, float]]:
        """Render ``jobs`` on the cluster, yielding each as it completes.

        Jobs added to a :class:`~briefpack.build.workers.JobQueue` while it
        runs are sent as soon as the caller has taken the result before, and
        ahead of those waiting: a book's next step holds the book up.
        """
        from distributed import as_completed

        queue = jobs if isinstance(jobs, JobQueue) else JobQueue(jobs)
        self._stored, self._stored_shared, self._files_of = {}, {}, {}
        pending: list[Any] = []
        job_of: dict[str, tuple[Any, int]] = {}
        started = time.monotonic()
        completed = as_completed(loop=self.client.loop)

        def send(job: Any, attempt: int, priority: int) -> None:
            future = self._submit(job, again=attempt > 1, priority=priority)
            pending.append(future)
            job_of[future.key] = (job, attempt)
            completed.add(future)

        # Dask runs the jobs in the order they are sent, a higher priority first:
        # the jobs added later, and retries, go before those waiting.
        while queue:
            send(queue.take(), 1, 0)
        try:
            for future in completed:
                job, attempt = job_of[future.key]
                try:
                    outcome, warnings, seconds = future.result()
                except BriefpackError as error:
                    outcome, warnings, seconds = error, [], time.monotonic() - started
                except Exception as error:
                    if attempt < ATTEMPTS:
                        # The files it needed were on a worker that died: send them again.
                        send(job, attempt + 1, 1)
                        continue
                    outcome = BriefpackError(
                        f"{describe_job(job)}: the cluster could not render it: "
                        f"{type(error).__name__}: {error}"
                    )
                    warnings, seconds = [], time.monotonic() - started
                for name, message in warnings:
                    logging.getLogger(name).warning("%s", message)
                yield job, outcome, seconds
                while queue:
                    send(queue.take(), 1, 1)
        except BaseException:
            self.client.cancel(pending)
            raise
