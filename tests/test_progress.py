"""Progress output: plain lines for logs, a live line on a terminal."""

from __future__ import annotations

import io
from pathlib import Path

from briefpack.build.progress import PlainProgress, TerminalProgress


def test_plain_progress_prints_one_line_per_output() -> None:
    stream = io.StringIO()
    progress = PlainProgress(verbosity=0, stream=stream)
    progress.start(2)
    progress.update("written", Path("out/a.pdf"), 1.23)
    progress.update("up to date", Path("out/a.docx"), 0.0)
    progress.update("failed", Path("out/b.pdf"), 0.5)
    progress.stop()
    assert stream.getvalue() == "wrote out/a.pdf (1.2 s)\nfailed out/b.pdf (0.5 s)\n"


def test_quiet_shows_failures_only_and_verbose_shows_everything() -> None:
    quiet, verbose = io.StringIO(), io.StringIO()
    for stream, verbosity in ((quiet, -1), (verbose, 1)):
        progress = PlainProgress(verbosity, stream)
        progress.update("written", Path("a.pdf"), 1.0)
        progress.update("up to date", Path("b.pdf"), 0.0)
        progress.update("failed", Path("c.pdf"), 1.0)
    assert quiet.getvalue() == "failed c.pdf (1.0 s)\n"
    assert verbose.getvalue().splitlines() == [
        "wrote a.pdf (1.0 s)",
        "up to date b.pdf",
        "failed c.pdf (1.0 s)",
    ]


def test_terminal_progress_keeps_a_live_count_and_clears_it() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(verbosity=0, stream=stream)
    progress.start(2)
    progress.update("written", Path("a.pdf"), 1.0)
    progress.stop()
    output = stream.getvalue()
    assert "wrote a.pdf (1.0 s)\n" in output
    assert "building 1/2 outputs" in output
    assert output.endswith("\r\x1b[2K")
