"""``briefpack actions``: the open actions of registers, for the secretary's chase-up.

A terminal list, one action a line, overdue ones said so with how long; read
from the register files named, or from every ``*.register.yaml`` in the
content folder.  "Overdue" is as of a day: today unless ``--on`` says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import click

from briefpack.content.register_file import REGISTER_SUFFIX, load_register
from briefpack.errors import BriefpackError, Problem
from briefpack.model.register import Action


def register_files(paths: Sequence[Path], content: Path) -> list[Path]:
    """The registers named, or every register in ``content``; raise when there are none."""
    if paths:
        missing = [Problem(str(path), "no such file") for path in paths if not path.is_file()]
        if missing:
            raise BriefpackError(missing)
        return list(paths)
    found = sorted(content.glob(f"*{REGISTER_SUFFIX}")) if content.is_dir() else []
    if not found:
        raise BriefpackError(
            [Problem(str(content), f"no register files (*{REGISTER_SUFFIX}) here; name one")]
        )
    return found


def action_lines(
    actions: Sequence[Action], on: dt.date, overdue_only: bool, owner: str | None
) -> list[str]:
    """One line per open action that the filters keep, in the order the register lists them."""
    wanted = owner.casefold() if owner else None
    kept = [
        action
        for action in actions
        if action.status == "open"
        and (not overdue_only or action.overdue(on))
        and (wanted is None or (action.owner or "").casefold() == wanted)
    ]
    width = max((len(action.id) for action in kept), default=0)
    owners = max((len(action.owner or "-") for action in kept), default=0)
    lines = []
    for action in kept:
        due = f"due {action.due.isoformat()}" if action.due else "no due date"
        late = ""
        if action.overdue(on):
            assert action.due is not None
            days = (on - action.due).days
            late = f"  OVERDUE by {days} day{'s' if days != 1 else ''}"
        lines.append(
            f"{action.id:<{width}}  {action.owner or '-':<{owners}}  {due}{late}  {action.text}"
        )
    return lines


def run_actions(
    paths: Sequence[Path], content: Path, overdue_only: bool, owner: str | None, on: dt.date
) -> None:
    """Print each register's open actions, then a line that counts them."""
    for path in register_files(paths, content):
        register = load_register(path, str(path))
        lines = action_lines(register.actions, on, overdue_only, owner)
        for line in lines:
            click.echo(line)
        overdue = sum(1 for action in register.open_actions() if action.overdue(on))
        what = "overdue action" if overdue_only else "open action"
        shown = f"{len(lines)} {what}{'' if len(lines) == 1 else 's'}"
        if not overdue_only:
            shown += f", {overdue} overdue"
        click.echo(f"{path}: {shown} on {on.isoformat()}", err=not lines)
