"""An earlier version of a pack, for ``build --changes-since OLD``.

OLD is an earlier copy of the pack file, or ``git:REV``: the same file at a
git revision, read with ``git show`` from the pack's own folder (so it works
from any folder inside the repository).  The earlier version is read and
validated like the pack itself, against the pack's folder, so its pictures
and pre-reads resolve where the author keeps them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from briefpack.errors import BriefpackError, Problem
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


def earlier_version(spec: str, pack_path: Path, max_size: int, max_pages: int) -> Version:
    """Read the version of ``pack_path`` that ``spec`` names; raise a clear error if it can't."""
    from briefpack.content.loader import load_file, parse_yaml
    from briefpack.content.validate import validate_pack

    folder = pack_path.parent
    if spec.startswith(GIT_PREFIX):
        revision = spec[len(GIT_PREFIX) :] or "HEAD"
        text, short, date = _from_git(revision, pack_path)
        label = f"{revision}:{pack_path}"
        pack = validate_pack(
            parse_yaml(text, label),
            label,
            name=pack_path.stem,
            folder=folder,
            max_attachment_pages=max_pages,
        )
        return Version(pack, f"git {short}", date)
    old = Path(spec)
    if not old.is_file():
        raise BriefpackError([Problem(None, f"--changes-since: no such file {spec!r}")])
    pack = validate_pack(
        load_file(old, str(old), max_size),
        str(old),
        name=pack_path.stem,
        folder=folder,
        max_attachment_pages=max_pages,
    )
    modified = dt.datetime.fromtimestamp(old.stat().st_mtime, tz=dt.UTC).date()
    return Version(pack, old.name, modified)


def _from_git(revision: str, pack_path: Path) -> tuple[str, str, dt.date]:
    """The pack file's text at ``revision``, the revision's short name and its commit date."""
    git = shutil.which("git")
    where = str(pack_path)
    if git is None:
        raise BriefpackError(
            [Problem(where, "--changes-since git:...: git is not installed; install it")]
        )
    folder = str(pack_path.parent)

    def run(*arguments: str) -> str:
        result = subprocess.run(
            [git, "-C", folder, *arguments], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            reason = (result.stderr.strip().splitlines() or ["git failed"])[-1]
            raise BriefpackError(
                [
                    Problem(
                        where, f"--changes-since git:{revision}: {reason.removeprefix('fatal: ')}"
                    )
                ]
            )
        return result.stdout

    try:
        commit = run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").strip()
    except BriefpackError as error:
        if "git failed" not in str(error):
            raise
        raise BriefpackError(
            [Problem(where, f"--changes-since git:{revision}: no such revision in the repository")]
        ) from None
    text = run("show", f"{commit}:./{pack_path.name}")
    short = run("rev-parse", "--short", commit).strip()
    date = dt.date.fromisoformat(run("log", "-1", "--format=%cs", commit).strip())
    return text, short, date
