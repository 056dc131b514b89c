"""How a build shows its progress: a live line on a terminal, plain lines elsewhere."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import IO

import click

from briefpack.build.report import Event, Progress

_VERBS: dict[Event, str] = {
    "written": "wrote",
    "up to date": "up to date",
    "failed": "failed",
    "removed": "removed",
}


class PlainProgress(Progress):
    """One line per output, for logs, CI and pipes.

    Quiet shows only failures; verbose also shows outputs that were up to date.
    """

    def __init__(self, verbosity: int, stream: IO[str] | None = None) -> None:
        self.verbosity = verbosity
        self.stream = stream

    def update(self, event: Event, path: Path, seconds: float) -> None:
        """Print one line for ``path``, if the verbosity asks for it."""
        if event == "up to date" and self.verbosity < 1:
            return
        if event != "failed" and self.verbosity < 0:
            return
        timing = f" ({seconds:.1f} s)" if event in ("written", "failed") else ""
        click.echo(f"{_VERBS[event]} {path}{timing}", file=self.stream)


class TerminalProgress(PlainProgress):
    """Plain lines plus a live status line: outputs done of total, and time elapsed."""

    def __init__(self, verbosity: int, stream: IO[str] | None = None) -> None:
        super().__init__(verbosity, stream)
        self._done = 0
        self._total = 0
        self._started = time.perf_counter()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._ticker: threading.Thread | None = None

    def start(self, total: int) -> None:
        """Begin the live line for ``total`` renders."""
        self._total = total
        self._started = time.perf_counter()
        if total and self.verbosity >= 0:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def update(self, event: Event, path: Path, seconds: float) -> None:
        """Print the line for ``path`` above the live line."""
        with self._lock:
            if event in ("written", "failed"):
                self._done += 1
            self._clear()
            super().update(event, path, seconds)
            self._draw()

    def stop(self) -> None:
        """Remove the live line."""
        self._stopped.set()
        if self._ticker is not None:
            self._ticker.join()
        with self._lock:
            self._clear()

    def _tick(self) -> None:
        while not self._stopped.wait(0.2):
            with self._lock:
                self._draw()

    def _draw(self) -> None:
        if self._ticker is None or self._stopped.is_set():
            return
        elapsed = time.perf_counter() - self._started
        line = f"building {self._done}/{self._total} outputs · {elapsed:.1f} s"
        click.echo(f"\r\x1b[2K{line}", file=self.stream, nl=False, color=True)

    def _clear(self) -> None:
        if self._ticker is not None:
            click.echo("\r\x1b[2K", file=self.stream, nl=False, color=True)
