"""``briefpack verify``: is each file the one that was issued?

A file is looked up in the ``distribution.json`` of its pack's output
folder, found by walking up from the file, and its SHA-256 compared with
the one recorded when it was issued.  A copy that came back from elsewhere
(a download, a leak) is checked against a record named with ``--record``
and found by its hash, which names whose copy it is.  A signed PDF's
signature is checked as well (:mod:`briefpack.build.signing`), an encrypted
one's with its reader's password when ``--passwords`` gives it.  One line
per file; the exit status is 1 when any file fails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
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


def verdict(
    path: Path, record: Path | None = None, passwords: Mapping[str, str] | None = None
) -> tuple[bool, str]:
    """Whether ``path`` is as issued, and what was found, in a few words.

    ``record`` is the ``distribution.json`` to check against, else the one
    above the file; ``passwords`` open encrypted copies to check their signatures.
    """
    if not path.is_file():
        return False, "no such file"
    record_path = record or find_record(path)
    if record_path is None:
        return False, f"no {DISTRIBUTION} found above it; name one with --record"
    try:
        files = read_distribution(record_path)
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return False, f"{record_path} cannot be read"
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    relative = _relative(path, record_path)
    entry = files.get(relative) if relative else None
    if entry is None or entry.get("sha256") != digest:
        issued = next((item for item in files.values() if item.get("sha256") == digest), None)
        if issued is not None:
            good, line = _issued(data, issued, passwords)
            return good, f"{line}; issued as {one_line(str(issued['path']))}{_whose(issued)}"
    if entry is None:
        return False, "not in the distribution record, and no file in it has its SHA-256"
    if digest != entry.get("sha256"):
        return False, "changed since it was issued" + _signature_note(data, entry)
    return _issued(data, entry, passwords)


def _relative(path: Path, record_path: Path) -> str | None:
    """``path`` relative to the record's folder, as the record names files; None if outside."""
    try:
        return path.resolve().relative_to(record_path.resolve().parent).as_posix()
    except ValueError:
        return None


def one_line(text: str) -> str:
    """``text`` from a record with its control characters and line breaks shown as spaces."""
    import unicodedata

    return "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in text
    )


def _whose(entry: dict[str, Any]) -> str:
    """Whose copy a record's entry is, if a reader's: `` (Jane Doe, copy 1 of 3)``.

    The record may have been edited, or not be briefpack's: what is not as
    briefpack writes it (no reader's name, a copy without its numbers) is
    left unsaid rather than trusted, and a control character in the name is
    shown as a space, so that the file's line stays one line that says no more.
    """
    reader = entry.get("recipient")
    if not isinstance(reader, str) or not reader.strip():
        return ""
    reader = one_line(reader)
    copy = entry.get("copy")
    numbers = (copy.get("number"), copy.get("of")) if isinstance(copy, dict) else ()
    if len(numbers) == 2 and all(type(value) is int and value > 0 for value in numbers):
        return f" ({reader}, copy {numbers[0]} of {numbers[1]})"
    return f" ({reader})"


def _issued(
    data: bytes, entry: dict[str, Any], passwords: Mapping[str, str] | None
) -> tuple[bool, str]:
    """The line for a file whose hash is the one recorded: its signature's state too."""
    password = _password_of(entry.get("recipient"), passwords)
    if entry.get("encrypted") and password is None:
        # Its signature can only be read with the reader's password, which verify has not.
        return True, "ok, encrypted" + (" and signed" if entry.get("signed") else "")
    if not entry.get("signed"):
        if entry.get("encrypted") and password is not None and not _opens_with(data, password):
            return False, "encrypted, and the password does not open it"
        return True, "ok, encrypted" if entry.get("encrypted") else "ok"
    from briefpack.build.signing import signature_state

    good, state = signature_state(data, password)
    prefix = "ok, encrypted, " if entry.get("encrypted") else "ok, "
    return good, f"{prefix}{state}" if good else state


def _password_of(reader: object, passwords: Mapping[str, str] | None) -> str | None:
    """The password of the record's ``reader`` (a name as the pack spells it), if given."""
    if not isinstance(reader, str) or not passwords:
        return None
    from briefpack.build.encryption import reader_password

    return reader_password(passwords, reader)


def _opens_with(data: bytes, password: str) -> bool:
    """Whether the encrypted PDF or Word copy ``data`` opens with ``password``."""
    from briefpack.build.encryption import copy_opens_with

    return copy_opens_with(data, password, pdf=data.startswith(b"%PDF"))


def _signature_note(data: bytes, entry: dict[str, Any]) -> str:
    """For a changed signed PDF: what its signature says, which tells how it was changed."""
    if not entry.get("signed") or entry.get("encrypted"):
        return ""
    from briefpack.build.signing import signature_state

    return f" ({signature_state(data)[1]})"


def run_verify(
    paths: Sequence[Path], record: Path | None = None, passwords: Mapping[str, str] | None = None
) -> int:
    """Print one line per file, ``PATH: what was found``; 1 if any is not as issued."""
    status = 0
    for path in paths:
        good, line = verdict(path, record, passwords)
        click.echo(f"{path}: {line}")
        if not good:
            status = EXIT_FAILED
    return status


def run_verify_command(paths: Sequence[Path], record: Path | None, passwords: Path | None) -> int:
    """``briefpack verify``: the passwords file read and checked first, then :func:`run_verify`."""
    readers = None
    if passwords is not None:
        from briefpack.build.request import reader_passwords

        readers = reader_passwords(passwords)
    return run_verify(paths, record, readers)
