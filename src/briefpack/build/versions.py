"""An earlier version of a pack, for ``build --changes-since OLD``.

OLD is an earlier copy of the pack file, or ``git:REV``: the same file at a
git revision, read with ``git cat-file`` from the pack's own folder (so it
works from any folder inside the repository).  The earlier version is read and
validated like the pack itself, within the same :class:`ReadLimits` (its size
asked of git before a byte of it is read: a 60 MB old version once took
200 MB), against the pack's folder, so its pictures and pre-reads resolve
where the author keeps them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from briefpack.content.read_limits import ReadLimits, megabytes, not_a_regular_file
from briefpack.errors import BriefpackError, Mark, Problem
from briefpack.model import Pack

#: How ``--changes-since`` names a git revision.
GIT_PREFIX = "git:"


@dataclass(frozen=True)
class Version:
    """An earlier version of a pack: its content, what to call it, and its date."""

    pack: Pack
    #: ``pack-v2.yaml`` or ``git 3f2a9c1``.
    name: str
    date: dt.date


def earlier_version(spec: str, pack_path: Path, limits: ReadLimits | None = None) -> Version:
    """Read the version of ``pack_path`` that ``spec`` names; raise a clear error if it can't."""
    from briefpack.content.loader import load_file, parse_yaml
    from briefpack.content.validate import validate_pack

    limits = limits or ReadLimits()
    folder = pack_path.parent
    if spec.startswith(GIT_PREFIX):
        revision = spec[len(GIT_PREFIX) :] or "HEAD"
        text, short, date = _from_git(revision, pack_path, limits.max_size)
        label = f"{revision}:{pack_path}"
        pack = validate_pack(
            parse_yaml(text, label), label, name=pack_path.stem, folder=folder, limits=limits
        )
        return Version(pack, f"git {short}", date)
    old = Path(spec)
    if (kind := not_a_regular_file(old)) is not None:
        raise BriefpackError([Problem(None, f"--changes-since: {spec!r} is {kind}")])
    if not old.is_file():
        raise BriefpackError([Problem(None, f"--changes-since: no such file {spec!r}")])
    pack = validate_pack(
        load_file(old, str(old), limits.max_size),
        str(old),
        name=pack_path.stem,
        folder=folder,
        limits=limits,
    )
    modified = dt.datetime.fromtimestamp(old.stat().st_mtime, tz=dt.UTC).date()
    return Version(pack, old.name, modified)


def _from_git(revision: str, pack_path: Path, max_size: int) -> tuple[str, str, dt.date]:
    """The pack file's text at ``revision``, the revision's short name and its commit date.

    The file's size is asked of git first: one over ``max_size`` is never read.
    """
    git = shutil.which("git")
    where = str(pack_path)
    if git is None:
        raise BriefpackError(
            [Problem(where, "--changes-since git:...: git is not installed; install it")]
        )
    folder = str(pack_path.parent)

    def run(*arguments: str) -> bytes:
        result = subprocess.run([git, "-C", folder, *arguments], capture_output=True, check=False)
        if result.returncode != 0:
            lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
            reason = (lines or ["git failed"])[-1].removeprefix("fatal: ")
            raise BriefpackError([Problem(where, f"--changes-since git:{revision}: {reason}")])
        return result.stdout

    try:
        commit = run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except BriefpackError as error:
        if "git failed" not in str(error):
            raise
        raise BriefpackError(
            [Problem(where, f"--changes-since git:{revision}: no such revision in the repository")]
        ) from None
    label = f"{revision}:{pack_path}"
    blob = f"{commit}:./{pack_path.name}"
    if run("cat-file", "-t", blob).decode().strip() != "blob":
        raise BriefpackError([Problem(label, "not a file at that revision")])
    size = int(run("cat-file", "-s", blob))
    if size > max_size:
        raise BriefpackError(
            [
                Problem(
                    label,
                    f"the file is {size / 1024**2:.1f} MB, over the limit of "
                    f"{megabytes(max_size)} for a pack (--max-size raises it)",
                )
            ]
        )
    text = _text(run("cat-file", "blob", blob)[: max_size + 1], label)
    short = run("rev-parse", "--short", commit).decode().strip()
    date = dt.date.fromisoformat(run("log", "-1", "--format=%cs", commit).decode().strip())
    return text, short, date


def _text(data: bytes, label: str) -> str:
    """The file's bytes as UTF-8 text, as a pack file on disk must be."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BriefpackError(
            [
                Problem(
                    Mark(label, line, error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1),
                    f"the file is not UTF-8 text (byte 0x{data[error.start]:02x}); "
                    "save it with UTF-8 encoding",
                )
            ]
        ) from None
