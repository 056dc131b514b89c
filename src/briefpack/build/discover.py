"""Find the pack files named on the command line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from briefpack.content.answers_file import is_answers_file
from briefpack.content.read_limits import not_a_regular_file
from briefpack.content.register_file import is_register_file
from briefpack.errors import BriefpackError, Problem

PACK_SUFFIXES = (".yaml", ".yml")


def find_packs(paths: Iterable[str]) -> list[Path]:
    """Expand files and folders into the pack files they name.

    A folder stands for every ``*.yaml`` and ``*.yml`` file directly in it.
    Each file appears once, in the order named (a folder's files sorted by
    name).  Raises :class:`BriefpackError` naming every path that does not
    exist or holds no pack.
    """
    found: list[Path] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            packs = sorted(
                child
                for child in path.iterdir()
                if child.suffix.lower() in PACK_SUFFIXES
                and child.is_file()
                # A pack's answers and registers live beside it; they are not packs.
                and not is_answers_file(child)
                and not is_register_file(child)
            )
            if not packs:
                problems.append(Problem(given, "no pack files (*.yaml, *.yml) in this folder"))
            found.extend(packs)
        elif path.is_file():
            found.append(path)
        elif path.exists():
            what = not_a_regular_file(path) or "not a regular file"
            problems.append(Problem(given, f"{what}; name a pack file or a folder of them"))
        else:
            problems.append(Problem(given, "no such file or folder"))
    if problems:
        raise BriefpackError(problems)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())
