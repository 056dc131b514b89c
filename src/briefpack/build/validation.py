"""``briefpack validate``: check packs as a build would read them, and report each one.

A pack is checked as the build reads it: its file, its answers file and its
theme (see :mod:`briefpack.build.trial`), so that a pack that validates
builds.  The content format itself is checked by
:mod:`briefpack.content.validate`.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from briefpack.build.console import show_problems
from briefpack.build.request import pack_paths, read_limits
from briefpack.errors import BriefpackError


def run_validate(paths: Sequence[str], **limits: int) -> int:
    """Check each pack in ``paths``: a line for a valid one, every problem of an invalid one.

    ``limits`` are the limits on reading a pack, by their options' names.
    Returns the exit status: 1 if any pack has a problem.
    """
    from briefpack.build.discover import find_packs
    from briefpack.build.trial import check_as_built
    from briefpack.content.validate import load_pack
    from briefpack.render.catalogues import pack_warnings

    reading = read_limits(**limits)
    files = find_packs(pack_paths(paths))
    failed = 0
    for path in files:
        try:
            pack = load_pack(path, limits=reading)
            for warning in pack_warnings(pack):
                click.echo(str(warning), err=True)
            for warning in check_as_built(path, pack, reading.max_size):
                click.echo(str(warning), err=True)
        except BriefpackError as error:
            show_problems(error.problems)
            failed += 1
            continue
        click.echo(f"{path}: ok: {pack.summary()}")
    if failed:
        click.echo(
            f"{failed} of {len(files)} pack{'s' if len(files) > 1 else ''} invalid", err=True
        )
        return 1
    return 0
