"""``briefpack validate``: check packs as a build would read them, and report each one.

A pack is checked as the build reads it: its file, its answers file and its
theme (see :mod:`briefpack.build.trial`), so that a pack that validates
builds.  The content format itself is checked by
:mod:`briefpack.content.validate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from briefpack.build.console import show_problems
from briefpack.build.request import pack_paths, read_limits
from briefpack.content.register_file import REGISTER_SUFFIX, is_register_file, load_register
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
    given = pack_paths(paths)
    registers = [Path(given_path) for given_path in given if is_register_file(Path(given_path))]
    files = find_packs([path for path in given if not is_register_file(Path(path))] or ())
    # A register in a folder given is checked with the packs that name it, else alone.
    registers += [
        child
        for folder in (Path(path) for path in given)
        if folder.is_dir()
        for child in sorted(folder.glob(f"*{REGISTER_SUFFIX}"))
    ]
    named: set[str] = set()
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
        if pack.register is not None:
            named.add(pack.register.source)
        click.echo(f"{path}: ok: {pack.summary()}")
    for path in registers:
        if str(path) in named:
            continue
        files.append(path)
        failed += not _register_ok(path, reading.max_size)
    if failed:
        click.echo(
            f"{failed} of {len(files)} pack{'s' if len(files) > 1 else ''} invalid", err=True
        )
        return 1
    return 0


def _register_ok(path: Path, max_size: int) -> bool:
    """Check a register on its own: a line saying what it holds, or its problems."""
    try:
        register = load_register(path, str(path), max_size)
    except BriefpackError as error:
        show_problems(error.problems)
        return False
    opened = len(register.open_actions())
    click.echo(
        f"{path}: ok: {len(register.actions)} actions ({opened} open), "
        f"{len(register.decisions)} decisions"
    )
    return True
