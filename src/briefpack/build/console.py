"""What ``validate``, ``build``, ``watch`` and ``preview`` print, and their exit statuses.

The command line only declares commands and options; each command calls one
function, and the functions that report to a person live here: problems on
standard error as ``PATH:LINE:COL: message``, a line per output or a live
line on a terminal, the closing summary, and advice about the machine once
per run.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from briefpack.errors import ADVICE_LOGGER, BriefpackError, Problem

if TYPE_CHECKING:
    # Imported when a build runs: validate does not need the build's machinery.
    from briefpack.build.pipeline import BuildOptions, BuildReport, Progress
    from briefpack.content.limits import ReadLimits

#: Exit status after Ctrl-C, as a shell reports a process ended by SIGINT.
EXIT_INTERRUPTED = 130


def run_validate(paths: Sequence[str], limits: ReadLimits) -> int:
    """Check each pack in ``paths``: a line for a valid one, every problem of an invalid one.

    A pack is checked as the build reads it: its file, its answers file and
    its theme (see :mod:`briefpack.build.trial`).
    """
    from briefpack.build.discover import find_packs
    from briefpack.build.trial import check_as_built
    from briefpack.content.validate import load_pack
    from briefpack.render.catalogues import pack_warnings

    files = find_packs(paths)
    failed = 0
    for path in files:
        try:
            pack = load_pack(path, limits=limits)
            for warning in pack_warnings(pack):
                click.echo(str(warning), err=True)
            for warning in check_as_built(path, pack, limits.max_size):
                click.echo(str(warning), err=True)
        except BriefpackError as error:
            error.show()
            failed += 1
            continue
        click.echo(f"{path}: ok: {pack.summary()}")
    if failed:
        click.echo(
            f"{failed} of {len(files)} pack{'s' if len(files) > 1 else ''} invalid", err=True
        )
        return 1
    return 0


def run_build(paths: Sequence[str], options: BuildOptions, quiet: bool, verbose: bool) -> int:
    """Build the packs in ``paths``, showing progress; the exit status."""
    from briefpack.build.discover import find_packs
    from briefpack.build.pipeline import build
    from briefpack.build.signals import Stopped, stopped_like_ctrl_c

    started = time.perf_counter()
    report_warnings_on_stderr(quiet)
    files = find_packs(paths)
    try:
        # SIGTERM and SIGHUP unwind as Ctrl-C does: workers stopped, nothing half-written.
        with stopped_like_ctrl_c():
            result = build(files, options, os.environ, progress_for(quiet, verbose))
    except KeyboardInterrupt as interruption:
        by, status = "", EXIT_INTERRUPTED
        if isinstance(interruption, Stopped):
            by, status = f" by {interruption.name}", interruption.exit_status
        click.echo(
            f"interrupted{by}: finished outputs are in place, nothing half-written", err=True
        )
        return status
    report(result, time.perf_counter() - started)
    return 0 if result.ok else 1


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
    if result.failures:
        BriefpackError(distinct(result.failures)).show()
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
