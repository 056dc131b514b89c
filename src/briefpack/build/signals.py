"""SIGTERM and SIGHUP stop a command the way Ctrl-C does.

Python turns Ctrl-C into ``KeyboardInterrupt`` wherever the main thread is,
and the build already unwinds cleanly from it: workers killed, their
folders removed, a half-written file deleted, finished outputs kept.  By
default SIGTERM (a service manager, ``kill``, a CI job cancelled) and SIGHUP
(a closed terminal) end the process on the spot instead, leaving all of
that undone.  Here they raise :class:`Stopped`, a ``KeyboardInterrupt``, so
they take the same path, and the command exits as a shell reports the
signal (128 + its number).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

#: The signals that stop a command as Ctrl-C does (Windows has no SIGHUP).
STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """A stopping signal arrived; raised wherever the main thread was."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def name(self) -> str:
        """``SIGTERM``."""
        return signal.Signals(self.signum).name

    @property
    def exit_status(self) -> int:
        """As a shell reports a process ended by the signal: 143 for SIGTERM."""
        return 128 + self.signum


@contextlib.contextmanager
def stopped_like_ctrl_c() -> Iterator[list[Stopped]]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Stopped`.

    Yields a list that holds the :class:`Stopped` raised, if any, for callers
    whose code swallows ``KeyboardInterrupt`` on the way (watchfiles stops
    iterating instead of raising).  After the first signal, later ones are
    ignored until the block ends, so that the clean-up they started is not
    cut short.  Outside the main thread, where Python cannot handle signals,
    nothing changes.
    """
    raised: list[Stopped] = []
    if threading.current_thread() is not threading.main_thread():
        yield raised
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        for stopping in STOPPING:
            signal.signal(stopping, signal.SIG_IGN)
        raised.append(Stopped(signum))
        raise raised[-1]

    previous = {stopping: signal.signal(stopping, stop) for stopping in STOPPING}
    try:
        yield raised
    finally:
        for stopping, handler in previous.items():
            signal.signal(stopping, handler)
