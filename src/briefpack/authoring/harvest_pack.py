"""Which pack filled copies belong to: the one they name, found where a secretary keeps it.

A copy carries its pack's identity (file stem and first day); harvest looks
for ``NAME.yaml`` in ``./content``, then in each copy's folder and every
folder above it (each with its ``content/``), and takes the first that holds
the copy's first day; a copy without an identity is matched by its fields'
keys.  Split from :mod:`briefpack.authoring.harvest`, which merges what the
copies hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from briefpack.content.filled import FilledCopy, shown
from briefpack.errors import BriefpackError, Problem
from briefpack.model import Pack
from briefpack.model.answers import DIGEST_PREFIX, key_digest, parse_identity

#: The end of every refusal: harvest writes all of a run or none of it.
NOTHING = "nothing was harvested"


def pack_for(copies: Sequence[FilledCopy], into: Path | None, content: str) -> tuple[Path, Pack]:
    """The pack the copies belong to: the one beside ``into``, else the one they name or match.

    Without ``into``: ``NAME.yaml`` of the copies' identity (``NAME@DAY``) where
    :func:`pack_folders` looks; a copy without one is matched by its keys in
    ``content``, then refused for want of an identity by :func:`checked_fields`.
    """
    from briefpack.content.answers_file import ANSWERS_SUFFIX
    from briefpack.content.validate import load_pack

    if into is not None:
        if not into.name.endswith(ANSWERS_SUFFIX):
            raise BriefpackError(
                [Problem(str(into), f"an answers file is named NAME{ANSWERS_SUFFIX}")]
            )
        stem = into.name[: -len(ANSWERS_SUFFIX)]
        for suffix in (".yaml", ".yml"):
            candidate = into.with_name(stem + suffix)
            if candidate.is_file():
                return candidate, load_pack(candidate)
        raise BriefpackError([Problem(str(into), f"no pack {stem}.yaml beside it")])
    identities = {copy.pack: copy for copy in copies if copy.pack is not None}
    if len(identities) > 1:
        raise BriefpackError(
            [
                Problem(copy.where, f"is a copy of the pack {shown(name)}")
                for name, copy in identities.items()
            ]
            + [
                Problem(
                    None, f"copies of different packs: harvest each pack's on its own; {NOTHING}"
                )
            ]
        )
    named = [parsed for parsed in map(parse_identity, identities) if parsed is not None]
    if named:
        return _named_pack(named[0], copies, content)
    return _pack_by_keys(copies, content)


def pack_folders(copies: Sequence[FilledCopy], content: str) -> list[Path]:
    """Where harvest looks for a copy's pack, in order: ``content``, then each copy's
    folder and every folder above it, each with its ``content/``, so that a copy
    filled where the build put it (``build/NAME/sessions/``) finds the project's
    ``content/`` wherever harvest is run from.
    """
    folders: dict[Path, Path] = {Path(content).resolve(): Path(content)}
    for copy in copies:
        here = Path(copy.where).resolve().parent
        for folder in (here, *here.parents):
            for candidate in (folder, folder / "content"):
                folders.setdefault(candidate, candidate)
    return list(folders.values())


def _named_pack(
    identity: tuple[str, dt.date], copies: Sequence[FilledCopy], content: str
) -> tuple[Path, Pack]:
    """The pack ``identity`` names: the first ``NAME.yaml`` found that holds its day.

    A same-named pack of another event is passed over; if none holds the day,
    the first found is taken and the identity check refuses it naming both.
    """
    from briefpack.build.discover import PACK_SUFFIXES
    from briefpack.content.validate import load_pack

    name, day = identity
    folders = pack_folders(copies, content)
    found: list[tuple[Path, Pack]] = []
    broken: list[BriefpackError] = []
    for folder in folders:
        for suffix in PACK_SUFFIXES:
            path = folder / (name + suffix)
            if not path.is_file():
                continue
            try:
                pack = load_pack(path)
            except BriefpackError as error:
                broken.append(error)
                continue
            if day in {d.date for d in pack.days}:
                return path, pack
            found.append((path, pack))
    if found:
        return found[0]
    if broken:
        raise broken[0]
    first = Path(copies[0].where).resolve().parent
    raise BriefpackError(
        [
            Problem(
                None,
                f"no pack {name}.yaml (named by the copies) in {content}/, nor in {first} or "
                "any folder above it, nor in their content/ folders; name its answers file "
                f"with --into content/{name}.answers.yaml; {NOTHING}",
            )
        ]
    )


def _pack_by_keys(copies: Sequence[FilledCopy], content: str) -> tuple[Path, Pack]:
    """The pack in ``content`` whose questions' keys the copies carry most of."""
    from briefpack.build.discover import find_packs
    from briefpack.content.validate import load_pack

    keys = {field.key for copy in copies for field in copy.fields}
    best: tuple[int, Path, Pack] | None = None
    for path in find_packs([content]):
        try:
            pack = load_pack(path)
        except BriefpackError:
            continue
        known = {question.key for question in pack.questions}
        known |= {DIGEST_PREFIX + key_digest(key) for key in known}
        matched = len(keys & known)
        if matched and (best is None or matched > best[0]):
            best = (matched, path, pack)
    if best is None:
        raise BriefpackError(
            [
                Problem(
                    None,
                    f"no pack in {content} has these questions; name its answers file "
                    "with --into content/NAME.answers.yaml",
                )
            ]
        )
    return best[1], best[2]
