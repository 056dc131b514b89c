"""What runs in a worker process: its limits set once, then job after job rendered.

The parent (:class:`~briefpack.build.workers.WorkerPool`) forks a worker
with :func:`serve` as its whole life.  Kept apart from the pool because it
is the other side of the pipe: everything here runs in the child, under the
memory limit, with signals left to the parent, and sends back each result
(or what stopped it, told apart: the job's error, the memory limit, a bug)
with the warnings logged on the way.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from briefpack.build.lifeline import close_parent_ends, die_with_parent
from briefpack.build.parcels import Receiver
from briefpack.build.signals import STOPPING
from briefpack.errors import BriefpackError
from briefpack.render.rendered import Rendered

#: The recursion limit a worker renders under: CPython's default.
WORKER_RECURSION_LIMIT = 1000


class _Collector(logging.Handler):
    """Keeps each warning with the name of its logger, so the parent can log it there again."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.name, record.getMessage()))


#: What an exception's text says when an allocation failed below Python (C++, C, the kernel).
_ALLOCATION_FAILED = ("bad_alloc", "cannot allocate memory", "out of memory", "memoryerror")


def out_of_memory(error: BaseException) -> bool:
    """Whether ``error`` came of an allocation that failed (the worker's memory limit).

    Python raises ``MemoryError``, C code ``OSError(ENOMEM)``, and C++ code
    ``std::bad_alloc``, which pybind11 turns into ``MemoryError``.  But qpdf
    catches a ``bad_alloc`` while it decodes a stream, keeps it as a warning
    of the PDF, and pikepdf raises only ``PdfError: errors while decoding
    content stream``: so the warnings of every PDF on the way up are read too.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, MemoryError):
            return True
        if isinstance(current, OSError) and current.errno == errno.ENOMEM:
            return True
        if _says_allocation_failed(f"{type(current).__name__}: {current}"):
            return True
        if any(map(_says_allocation_failed, _pdf_warnings(current))):
            return True
        current = current.__cause__ or current.__context__
    return False


def _says_allocation_failed(text: str) -> bool:
    return any(words in text.lower() for words in _ALLOCATION_FAILED)


def capped_memory(memory: int) -> int:
    """The memory limit a worker gets: ``memory``, or the hard limit it inherits if lower."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    return memory if hard == resource.RLIM_INFINITY else min(memory, hard)


def _pdf_warnings(error: BaseException) -> Iterator[str]:
    """The warnings of each PDF (a pikepdf ``Pdf``, or a page of one) in ``error``'s frames."""
    traceback = error.__traceback__
    while traceback is not None:
        for value in list(traceback.tb_frame.f_locals.values()):
            # Read by duck type: this module does not load pikepdf for the other renders.
            with contextlib.suppress(Exception):
                owner = value if hasattr(value, "get_warnings") else value.obj.owner
                yield from (str(warning) for warning in owner.get_warnings())
        traceback = traceback.tb_next


def serve(
    connection: Any, render: Callable[[Any], Rendered], memory: int, temporary: str, parent: int
) -> None:
    """A worker's life: take jobs, render them, send back bytes or the error, and warnings."""
    import resource

    close_parent_ends(keep=(connection.fileno(),))
    # Python's own recursion limit, whatever the parent set (a test runner raises
    # it): above it a template that recurses without end overflows the C stack
    # (SIGSEGV at 100,000) rather than raising the RecursionError it reports.
    sys.setrecursionlimit(WORKER_RECURSION_LIMIT)
    # Ctrl-C, SIGTERM and a closed terminal are the parent's to handle: it stops its workers.
    for parents_to_handle in (signal.SIGINT, *STOPPING):
        signal.signal(parents_to_handle, signal.SIG_IGN)
    # But SIGTERM also comes of the parent's death: then the worker leaves by itself.
    die_with_parent(parent, lambda: shutil.rmtree(temporary, ignore_errors=True))
    # Soft and hard alike, so that a render cannot raise it; never above the hard limit
    # it inherited (ulimit -v), which only root may raise: asking for more is a ValueError.
    memory = capped_memory(memory)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # Everything the renderers put in temporary files goes where the parent cleans up.
    tempfile.tempdir = temporary
    os.environ["TMPDIR"] = temporary
    # Warnings travel back with each result, for the parent to report in order.
    logger = logging.getLogger("briefpack")
    collector = _Collector()
    logger.handlers = [collector]
    logger.propagate = False
    # Each job comes as a parcel: the packs and themes this worker lacks, then the job by key.
    receiver = Receiver()
    while True:
        try:
            parcel = connection.recv()
        except EOFError:  # the parent is gone: nobody else will remove the folder
            shutil.rmtree(temporary, ignore_errors=True)
            return
        if parcel is None:
            return
        job = receiver.open(parcel)
        collector.messages = []
        try:
            result: Any = ("ok", render(job))
        except BriefpackError as error:
            # A renderer may name a PDF it could not read where the reason was the limit.
            result = ("memory", None) if out_of_memory(error) else ("error", error)
        except MemoryError:
            result = ("memory", None)
        except Exception as error:  # a bug: reported with its job, the build goes on
            if out_of_memory(error):
                result = ("memory", None)
            else:
                result = ("bug", f"{type(error).__name__}: {error}")
        try:
            connection.send((*result, collector.messages))
        except MemoryError:
            connection.send(("memory", None, []))
