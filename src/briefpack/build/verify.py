"""``briefpack verify``: is each file the one that was issued?

A file is looked up in the ``distribution.json`` of its pack's output
folder, found by walking up from the file, and its SHA-256 compared with
the one recorded when it was issued.  A signed PDF's signature is checked
as well (:mod:`briefpack.build.signing`).  One line per file; the exit
status is 1 when any file fails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from briefpack.build.seal import DISTRIBUTION, read_distribution

#: Exit status when a file is not the one issued (or cannot be checked).
EXIT_FAILED = 1


def find_record(path: Path) -> Path | None:
    """The ``distribution.json`` of the output folder ``path`` is in, nearest first."""
    for folder in path.resolve().parents:
        if (folder / DISTRIBUTION).is_file():
            return folder / DISTRIBUTION
    return None


def verdict(path: Path) -> tuple[bool, str]:
    """Whether ``path`` is as issued, and what was found, in a few words."""
    if not path.is_file():
        return False, "no such file"
    record_path = find_record(path)
    if record_path is None:
        return False, f"no {DISTRIBUTION} found above it"
    try:
        record = read_distribution(record_path)
    except (OSError, ValueError, KeyError, TypeError):
        return False, f"{record_path} cannot be read"
    relative = path.resolve().relative_to(record_path.parent).as_posix()
    entry = record.get(relative)
    if entry is None:
        return False, "not in the distribution record"
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        return False, "changed since it was issued" + _signature_note(data, entry)
    return _issued(data, entry)


def _issued(data: bytes, entry: dict[str, Any]) -> tuple[bool, str]:
    """The line for a file whose hash is the one recorded: its signature's state too."""
    if entry.get("encrypted"):
        # Its signature can only be read with the reader's password, which verify has not.
        return True, "ok, encrypted" + (" and signed" if entry.get("signed") else "")
    if not entry.get("signed"):
        return True, "ok"
    from briefpack.build.signing import signature_state

    good, state = signature_state(data)
    return good, f"ok, {state}" if good else state


def _signature_note(data: bytes, entry: dict[str, Any]) -> str:
    """For a changed signed PDF: what its signature says, which tells how it was changed."""
    if not entry.get("signed") or entry.get("encrypted"):
        return ""
    from briefpack.build.signing import signature_state

    return f" ({signature_state(data)[1]})"


def run_verify(paths: Sequence[Path]) -> int:
    """Print one line per file, ``PATH: what was found``; 1 if any is not as issued."""
    status = 0
    for path in paths:
        good, line = verdict(path)
        click.echo(f"{path}: {line}")
        if not good:
            status = EXIT_FAILED
    return status
