"""The build's files: atomic writes, the manifest, and the hashes outputs are judged by.

Every file the build makes goes through :func:`write_atomically`, so a
failed, killed or interrupted build never leaves a half-written file and
never destroys the previous good one, not even across a power cut.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from briefpack.errors import BriefpackError, Problem

#: The file, in each pack's output folder, that lists its outputs.
MANIFEST = "manifest.json"


def read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """The outputs recorded for a pack's folder, by relative path; empty if none or unreadable."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return {entry["path"]: entry for entry in manifest["outputs"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write ``manifest`` as the folder's manifest, unless it already says exactly that."""
    data = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
    target = folder / MANIFEST
    if not (target.is_file() and target.read_bytes() == data):
        write_atomically(target, data)


def remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files left by a build that was killed while writing."""
    # A pack's kept book parts are beside its folder: OUT/.briefpack-parts/NAME.
    parts = folder.parent / PARTS / folder.name
    for directory in (folder, folder / "sessions", folder / "fonts", folder / "images", parts):
        if directory.is_dir():
            for leftover in directory.glob(".*.tmp"):
                if leftover.is_file():
                    leftover.unlink(missing_ok=True)


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that ``target`` is never seen half-written.

    The data goes to a temporary file in the same folder, which replaces
    ``target`` only once complete.  A symbolic link at ``target`` is replaced,
    never followed.  The file gets ordinary permissions (0644 under the usual
    umask), not the 0600 of a temporary file.

    The data is flushed to the disk before the rename, and the rename after
    it: otherwise the file system may record the rename first, and a power
    cut then leaves an empty file where the last good one was.
    """
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise BriefpackError([Problem(str(target), f"cannot write: {error.strerror}")]) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
        _sync_folder(folder)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BriefpackError(
                [Problem(str(target), f"cannot write: {error.strerror}")]
            ) from None
        raise


def _sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries (a rename is one) to the disk, where the system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a folder that cannot be opened (Windows, no read permission): nothing to flush
    try:
        os.fsync(descriptor)
    except OSError as error:
        # Some file systems refuse to flush a folder; the file itself is flushed.
        if error.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP, errno.EROFS):
            raise
    finally:
        os.close(descriptor)


def _umask() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------- hashing


def canonical(value: Any) -> Any:
    """A JSON-ready form of model values; fields that take no part in equality are left out."""
    if is_dataclass(value) and not isinstance(value, type):
        return {
            item.name: canonical(getattr(value, item.name))
            for item in fields(value)
            if item.compare
        }
    if isinstance(value, tuple | list):
        return [canonical(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")


def hash_json(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_hash(folder: Path) -> str:
    """One hash of every file in ``folder`` (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


#: The folder, in the output folder, where each pack's book parts are kept (in a
#: folder named as the pack's): build state, beside the packs' folders rather
#: than in them, so that a pack's folder can be sent on as it is.
PARTS = ".briefpack-parts"


@dataclass(frozen=True)
class FolderPartStore:
    """The full pack's rendered parts, kept in ``folder`` between builds.

    A part's key is made by the renderer from its HTML; ``namespace`` adds
    what the HTML does not show (the theme's files, briefpack's version), so
    a changed font is a new part.  A part that cannot be kept is rendered
    again next time; nothing fails.
    """

    folder: Path
    namespace: str
    #: Render every part again (``--force``): nothing kept is read, all is written.
    fresh: bool = False

    def _path(self, key: str) -> Path:
        stem, _, suffix = key.partition(".")
        name = hashlib.sha256(f"{self.namespace}\0{stem}".encode()).hexdigest()[:40]
        return self.folder / f"{name}.{suffix}"

    def get(self, key: str) -> bytes | None:
        """The part kept under ``key``, if any (none for a fresh build)."""
        if self.fresh:
            return None
        try:
            return self._path(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key``, whole or not at all."""
        with contextlib.suppress(BriefpackError):
            write_atomically(self._path(key), data)

    def keep_only(self, keys: set[str]) -> None:
        """Remove everything kept but ``keys``: the parts of earlier content."""
        kept = {self._path(key).name for key in keys}
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                if path.name not in kept and path.is_file():
                    path.unlink(missing_ok=True)


def output_label(relative: str) -> str:
    """The name an output's own kept facts go under in its pack's part store (not a part's key).

    ``relative`` is the output's path in its pack's folder (``sessions/01-a.pdf``).
    """
    return hashlib.sha256(relative.encode("utf-8")).hexdigest()[:32]


def used_key(relative: str) -> str:
    """The key of the list of parts the output at ``relative`` was last made of."""
    return f"{output_label(relative)}.used"


def keep_used_parts(store: FolderPartStore, relatives: Iterable[str]) -> None:
    """Remove the kept parts that no output at ``relatives`` (a pack's whole plan) is made of.

    Each output's list of parts, its contents' counts and the parts it lists
    are kept, whether the output was made now or is up to date; a part that
    only an output that went (a session removed, a reader gone) used is
    removed, and so is that output's list.  No renderer is loaded: a build
    with every output up to date still tidies.
    """
    # What the outputs list is read even after a --force build, which reads no part.
    store = replace(store, fresh=False)
    keep: set[str] = set()
    for relative in relatives:
        listed = store.get(used_key(relative))
        keep.update((used_key(relative), f"{output_label(relative)}.contents"))
        for key in (listed or b"").decode("ascii", "replace").split():
            keep.update((f"{key}.part", f"{key}.counted"))
    store.keep_only(keep)
