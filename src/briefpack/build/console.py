"""What the commands that build print: problems, progress, the summary, advice.

Problems go to standard error as ``PATH:LINE:COL: message``; progress is a
line per output, or a live line on a terminal; a build closes with its
summary; advice about the machine is printed once per run.  The commands
themselves (:mod:`briefpack.build.run`, :mod:`briefpack.build.validation`,
:mod:`briefpack.authoring.watch`, :mod:`briefpack.authoring.preview`) print
through these.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from briefpack.errors import ADVICE_LOGGER, Problem

if TYPE_CHECKING:
    # Imported when a build runs: validate does not need the build's machinery.
    from briefpack.build.pipeline import BuildReport, Progress

#: Exit status after Ctrl-C, as a shell reports a process ended by SIGINT.
EXIT_INTERRUPTED = 130
#: Exit status when the reader of the output went away (``briefpack doctor | head -1``):
#: 128 + SIGPIPE, as a shell reports a tool that SIGPIPE stopped.
EXIT_BROKEN_PIPE = 141


def reader_gone() -> int:
    """Stop quietly once whoever read the output closed it, as Unix tools do.

    What is still buffered for standard output can go nowhere; pointing the
    descriptor at the null device lets Python's own flush at exit succeed
    rather than print a second broken pipe (the recipe of the Python
    documentation's signal module page).  Returns the exit status.
    """
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    return EXIT_BROKEN_PIPE


def show_problems(problems: Sequence[Problem]) -> None:
    """Print each problem on its own line on standard error, without a prefix."""
    for problem in problems:
        click.echo(str(problem), err=True)


def show_interrupted(by: str = "") -> None:
    """Say that a build was stopped (``by`` a signal, when one is named), and what is left."""
    click.echo(f"interrupted{by}: finished outputs are in place, nothing half-written", err=True)


def progress_for(quiet: bool, verbose: bool) -> Progress:
    """A live line on a terminal; elsewhere (CI, pipes) a line per output."""
    from briefpack.build.progress import PlainProgress, TerminalProgress

    verbosity = -1 if quiet else 1 if verbose else 0
    interactive = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    return TerminalProgress(verbosity) if interactive else PlainProgress(verbosity)


def summary(result: BuildReport, elapsed: float) -> str:
    """``10 written, 0 up to date, 0 problems, in 1.8 s``."""
    parts = [f"{len(result.written)} written", f"{len(result.up_to_date)} up to date"]
    if result.removed:
        parts.append(f"{len(result.removed)} removed")
    problems = len(distinct(result.failures))
    parts.append(f"{problems} problem{'s' if problems != 1 else ''}")
    return f"{', '.join(parts)}, in {elapsed:.1f} s"


def distinct(problems: Sequence[Problem]) -> list[Problem]:
    """Each problem once, in order: one template error stops every output of its pack alike."""
    return list(dict.fromkeys(problems))


def report(result: BuildReport, elapsed: float) -> None:
    """Print the build's warnings and problems, then its summary."""
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    show_problems(distinct(result.failures))
    click.echo(summary(result, elapsed), err=not result.ok)


class _ClickHandler(logging.Handler):
    """Prints log records on whatever standard error is when they arrive.

    Advice (see :data:`~briefpack.errors.ADVICE_LOGGER`) is printed once per
    run however many renders give it, and not at all with ``quiet``.
    """

    def __init__(self, quiet: bool) -> None:
        super().__init__(level=logging.WARNING)
        self.quiet = quiet
        self.advised: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name == ADVICE_LOGGER:
            if self.quiet or message in self.advised:
                return
            self.advised.add(message)
        click.echo(message, err=True)


def report_warnings_on_stderr(quiet: bool) -> None:
    """Show what the renderers log as warnings, one plain line each."""
    logger = logging.getLogger("briefpack")
    if not any(isinstance(handler, _ClickHandler) for handler in logger.handlers):
        logger.addHandler(_ClickHandler(quiet))
        logger.propagate = False
