"""Watch mode: build, then rebuild what each save touched, on warm workers."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from briefpack.build.console import EXIT_INTERRUPTED, show_problems
from briefpack.build.discover import find_packs
from briefpack.build.pipeline import BuildOptions, BuildReport, Job, Progress, build, make_pool
from briefpack.build.request import build_options_from, pack_paths
from briefpack.build.signals import stopped_like_ctrl_c
from briefpack.build.workers import WorkerPool
from briefpack.errors import BriefpackError
from briefpack.render.builtin_themes import templates_dir

#: How long a burst of saves is awaited before building, in milliseconds.
DEBOUNCE_MS = 150
#: How often the watcher wakes when nothing changes, in milliseconds.
WAKE_MS = 100
#: Files whose change can matter to a build; editors' temporary files are not among them.
_RELEVANT = (
    ".yaml",
    ".yml",
    ".png",
    ".jpg",
    ".jpeg",
    ".svg",
    ".docx",
    ".css",
    ".j2",
    ".ttf",
    ".otf",
    ".pdf",
)


def run_watch(paths: Sequence[str], quiet: bool, verbose: bool, **options: Any) -> None:
    """``briefpack watch``: build, then rebuild after every relevant save, until Ctrl-C.

    ``options`` are the command line's build options, as for ``briefpack build``.
    """
    from briefpack.build.console import progress_for, report, report_warnings_on_stderr

    report_warnings_on_stderr(quiet)
    watch_and_build(
        pack_paths(paths),
        replace(build_options_from(**options), shortest_first=True),
        progress=lambda: progress_for(quiet, verbose),
        report=report,
    )


def watch_and_build(
    paths: Sequence[str],
    options: BuildOptions,
    progress: Callable[[], Progress],
    report: Callable[[BuildReport, float], None],
    after_build: Callable[[], None] = lambda: None,
) -> None:
    """Build ``paths``, then again after every relevant save, until Ctrl-C.

    Problems (an invalid save, a missing file) are reported and watching goes
    on; the outputs of the last good build stay in place.  ``after_build``
    runs after each build (preview reloads its pages).

    It runs until stopped, so it never returns: Ctrl-C (SIGINT) exits with
    130, SIGTERM and SIGHUP stop it as Ctrl-C does, workers and all, and exit
    with 128 + the signal's number, as a shell reports it; each after the one
    line "stopped watching", mid-build or between builds alike.
    """
    watched = {_folder_of(path) for path in paths} | {templates_dir()}
    if options.theme is not None and Path(options.theme).is_dir():
        # A --theme folder outside the packs' folders: its edits rebuild too.
        watched.add(Path(options.theme).resolve())
    with stopped_like_ctrl_c() as stopped:
        try:
            with make_pool(options) as pool:
                to_watch: set[Path] | None = watched
                while to_watch is not None:
                    to_watch = _watch(to_watch, paths, options, progress, report, after_build, pool)
        except KeyboardInterrupt:
            pass  # stopped mid-build: the pool has stopped its workers on the way out
    click.echo("stopped watching")
    # Raised while watchfiles waited, a signal was swallowed there (its
    # iteration just ends): the status tells it still.  Only a signal ends it.
    sys.exit(stopped[0].exit_status if stopped else EXIT_INTERRUPTED)


def _watch(
    watched: set[Path],
    paths: Sequence[str],
    options: BuildOptions,
    progress: Callable[[], Progress],
    report: Callable[[BuildReport, float], None],
    after_build: Callable[[], None],
    pool: WorkerPool[Job],
) -> set[Path] | None:
    """Build after each relevant save in ``watched`` until Ctrl-C (then ``None``).

    A pack may name a theme folder outside every watched folder
    (``options: {theme: ../brand}``): then the larger set of folders to watch
    is returned, and watching starts again with it.
    """
    import watchfiles

    # Its "KeyboardInterrupt caught, stopping watch" would follow our own line, and
    # name the wrong signal after SIGTERM.
    logging.getLogger("watchfiles.main").setLevel(logging.ERROR)

    # Watching starts before the build, so that a save made while it runs is
    # seen and built next.  The watcher is running once it has first
    # answered: with changes, or with nothing after WAKE_MS.
    saves = watchfiles.watch(
        *sorted(watched),
        raise_interrupt=False,
        debounce=DEBOUNCE_MS,
        rust_timeout=WAKE_MS,
        yield_on_timeout=True,
    )
    outputs = options.out_dir.resolve()
    with contextlib.closing(saves):
        next(saves, None)
        announced = False
        while True:
            themes = _build_once(paths, options, progress, report, pool)
            after_build()
            unwatched = {folder for folder in themes if not _inside_any(folder, watched)}
            if unwatched:
                return watched | unwatched
            if not announced:
                click.echo(
                    f"watching {', '.join(str(f) for f in sorted(watched))} (Ctrl-C to stop)"
                )
                announced = True
            for changes in saves:
                changed = sorted(
                    {
                        Path(path)
                        for _, path in changes
                        if Path(path).suffix.lower() in _RELEVANT
                        # The build's own outputs (PDFs among them) are not edits.
                        and not Path(path).resolve().is_relative_to(outputs)
                    }
                )
                if changed:
                    names = ", ".join(str(path) for path in changed[:3])
                    click.echo(f"changed: {names}{' …' if len(changed) > 3 else ''}")
                    break
            else:
                return None  # Ctrl-C ends the watcher's iteration


def _inside_any(folder: Path, folders: set[Path]) -> bool:
    return any(folder.is_relative_to(watched) for watched in folders)


def _build_once(
    paths: Sequence[str],
    options: BuildOptions,
    progress: Callable[[], Progress],
    report: Callable[[BuildReport, float], None],
    pool: WorkerPool[Job],
) -> set[Path]:
    """Build once and report; the theme folders the packs used."""
    started = time.perf_counter()
    try:
        files = find_packs(paths)
        result = build(files, options, os.environ, progress(), pool)
    except BriefpackError as error:
        show_problems(error.problems)
        return set()
    report(result, time.perf_counter() - started)
    return {folder.resolve() for folder in result.theme_folders}


def _folder_of(path: str) -> Path:
    given = Path(path)
    return (given if given.is_dir() else given.parent).resolve()
