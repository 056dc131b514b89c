"""``briefpack build``: build the packs once, showing progress, and say how it went.

A build stopped by Ctrl-C, SIGTERM or SIGHUP unwinds the same way (workers
stopped, nothing half-written) and exits as a shell expects of a process
ended by that signal.  What is printed is :mod:`briefpack.build.console`'s.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

from briefpack.build.console import (
    EXIT_INTERRUPTED,
    progress_for,
    report,
    report_warnings_on_stderr,
    show_interrupted,
)
from briefpack.build.request import build_options_from, pack_paths


def run_build(paths: Sequence[str], quiet: bool, verbose: bool, **options: Any) -> int:
    """Build the packs in ``paths`` with the command line's ``options``; the exit status."""
    from briefpack.build.discover import find_packs
    from briefpack.build.pipeline import build
    from briefpack.build.signals import Stopped, stopped_like_ctrl_c

    started = time.perf_counter()
    report_warnings_on_stderr(quiet)
    chosen = build_options_from(**options)
    files = find_packs(pack_paths(paths))
    try:
        # SIGTERM and SIGHUP unwind as Ctrl-C does: workers stopped, nothing half-written.
        with stopped_like_ctrl_c():
            result = build(files, chosen, os.environ, progress_for(quiet, verbose))
    except KeyboardInterrupt as interruption:
        if isinstance(interruption, Stopped):
            show_interrupted(f" by {interruption.name}")
            return interruption.exit_status
        show_interrupted()
        return EXIT_INTERRUPTED
    report(result, time.perf_counter() - started)
    return 0 if result.ok else 1
