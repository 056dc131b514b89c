"""The files a job reads, carried to a Dask worker that shares no file system with the build.

Every file a job names (its images and pre-reads, its theme's stylesheet,
fonts and logo, a reference DOCX) travels as bytes through Dask's
content-addressed store.  On the worker, :func:`place_files` writes them
under a folder named by the digest of their contents
(:func:`files_folder`) and :func:`reroot` moves the job's paths there:
same content, same folder, so the renderer's caches stay warm, and an
edited file gets a new one.  Nothing here knows the build: a job is walked
as plain dataclasses, tuples, lists and mappings.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

#: Where a worker keeps the files jobs bring, under its temporary folder.
FILES_FOLDER = "briefpack-files"


def job_files(job: Any, leave_out: Sequence[Path] = (), skip: Iterable[object] = ()) -> list[Path]:
    """Every file ``job`` names (a folder stands for the files in it), except ``leave_out``.

    The objects in ``skip`` are not looked into (their files known already).
    """
    found: set[Path] = set()
    for path in _paths(job, {id(item) for item in skip}):
        if path in leave_out or not path.is_absolute():
            continue
        if path.is_file():
            found.add(path)
        elif path.is_dir():
            found.update(file for file in path.rglob("*") if file.is_file())
    return sorted(found)


def _paths(value: Any, seen: set[int] | None = None) -> Iterator[Path]:
    """Every path inside ``value``: its dataclasses, tuples, lists and mappings, walked."""
    seen = set() if seen is None else seen
    if isinstance(value, Path):
        yield value
        return
    if id(value) in seen or isinstance(value, str | bytes | int | float | bool | type(None)):
        return
    seen.add(id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _paths(getattr(value, item.name), seen)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _paths(key, seen)
            yield from _paths(item, seen)
    elif isinstance(value, tuple | list | set | frozenset):
        for item in value:
            yield from _paths(item, seen)


def reroot(
    value: Any, root: Path, shipped: frozenset[Path], moved_already: Iterable[object] = ()
) -> Any:
    """``value`` with every path to a shipped file, or to a folder of them, moved under ``root``.

    The rest (the pack file's own path, named in messages; the output's
    path) stays as it was, and so do the objects in ``moved_already``
    (rerooted before, and kept: a pack many jobs share).
    """
    folders = frozenset(parent for path in shipped for parent in path.parents)
    memo: dict[int, Any] = {id(item): item for item in moved_already}

    def moved(path: Path) -> Path:
        if path in shipped or (path in folders and path != Path(path.anchor)):
            return root / path.relative_to(path.anchor)
        return path

    def walk(item: Any) -> Any:
        if isinstance(item, PurePath):
            return moved(Path(item))
        if isinstance(item, str | bytes | int | float | bool | type(None)):
            return item
        if id(item) in memo:
            return memo[id(item)]
        result = item
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            changes = {
                field.name: walk(getattr(item, field.name))
                for field in dataclasses.fields(item)
                if field.init
            }
            if any(changes[name] is not getattr(item, name) for name in changes):
                result = dataclasses.replace(item, **changes)
        elif isinstance(item, tuple | list):
            walked = [walk(element) for element in item]
            if any(new is not old for new, old in zip(walked, item, strict=True)):
                result = type(item)(walked)
        elif isinstance(item, dict):
            pairs = [(walk(key), walk(element)) for key, element in item.items()]
            if any(
                new_key is not key or new_element is not element
                for (new_key, new_element), (key, element) in zip(pairs, item.items(), strict=True)
            ):
                result = dict(pairs)
        memo[id(item)] = result
        return result

    return walk(value)


def files_folder(files: Mapping[str, bytes]) -> Path:
    """The folder for ``files`` on this worker, named by their paths and contents.

    It is inside the Dask worker's own folder, which the worker removes when
    it ends, so a long-lived cluster does not keep every build's files.
    """
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode())
        digest.update(hashlib.sha256(files[path]).digest())
    try:
        from distributed import get_worker

        base = Path(get_worker().local_directory)
    except (ImportError, ValueError):
        base = Path(tempfile.gettempdir())
    return base / FILES_FOLDER / digest.hexdigest()[:32]


def place_files(files: Mapping[str, bytes], root: Path) -> None:
    """Write each file under ``root`` at its own absolute path, each written whole or not at all."""
    for name, data in files.items():
        target = root / Path(name).relative_to(Path(name).anchor)
        if target.is_file() and target.stat().st_size == len(data):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
        partial.write_bytes(data)
        partial.replace(target)
