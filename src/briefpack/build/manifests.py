"""Each pack's ``manifest.json``: what was written, from which inputs, and what is stale.

The manifest is how a later build knows an output is up to date without
rendering it: an entry holds the hash of the output's inputs and of its
bytes.  It is also how outputs the content no longer makes (a session
removed, a recipient gone) are found and removed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from briefpack import __version__
from briefpack.build.files import file_hash, write_manifest
from briefpack.build.jobs import Job, content_slice
from briefpack.build.report import BuildReport, Notify
from briefpack.model import Pack

#: A manifest's entries, by the output's path in the pack's folder.
Entries = dict[str, dict[str, Any]]


def manifest_entry(job: Job, data: bytes, pages: int | None) -> dict[str, Any]:
    """What the manifest records of an output just written from ``job``."""
    entry: dict[str, Any] = {
        "path": job.relative,
        "format": job.output_format,
        "session": job.settings.session,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "inputs": job.inputs,
    }
    if pages is not None:
        entry["pages"] = pages
    # Whose copy and which issue: for the distribution record (build/seal.py).
    for key, value in (
        ("recipient", job.settings.recipient),
        ("copy", job.settings.copy),
        ("version", job.settings.version),
    ):
        if value is not None:
            entry[key] = list(value) if isinstance(value, tuple) else value
    attachments = content_slice(job.pack, job.settings.session).attachments
    if attachments:
        # The pre-reads it was made from, by content: what changed is findable.
        entry["attachments"] = {item.file: item.digest for item in attachments}
    return entry


def is_up_to_date(job: Job, entry: dict[str, Any] | None) -> bool:
    """Whether ``entry`` has the job's inputs and its file is still the one that was written."""
    if entry is None or entry.get("inputs") != job.inputs:
        return False
    try:
        if job.target.is_symlink() or job.target.stat().st_size != entry.get("size"):
            return False
        return file_hash(job.target) == entry.get("sha256")
    except OSError:
        return False


def finish_manifest(
    pack: Pack,
    folder: Path,
    jobs: list[Job],
    old: Entries,
    results: dict[Path, dict[str, Any]],
    prune: bool,
    report: BuildReport,
    notify: Notify,
) -> None:
    """Write the pack's manifest and, when ``prune``, remove outputs its content no longer makes.

    ``old`` is the manifest as it was read before the build; ``results`` the
    entries of the outputs written, by their path.
    """
    entries = dict(old)
    planned = {job.relative for job in jobs}
    kinds = {(job.output_format, output_kind(job.relative)) for job in jobs}
    for relative, entry in old.items():
        kind = (entry.get("format"), output_kind(relative))
        # Only outputs of the kinds this build makes can be stale; others were
        # merely not asked for this time (a format not requested, --no-sessions,
        # --no-per-recipient).
        if prune and relative not in planned and kind in kinds:
            stale = folder / relative
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()
                report.removed.append(stale)
                notify("removed", stale, 0.0)
            del entries[relative]
    for job in jobs:
        if job.target in results:
            entries[job.relative] = results[job.target]
    manifest = {
        "briefpack": __version__,
        "source": pack.source,
        "outputs": [entries[key] for key in sorted(entries)],
    }
    write_manifest(folder, manifest)


def output_kind(relative: str) -> str:
    """What an output is a pack of: ``sessions``, ``recipients``, or the whole (``""``).

    Change-marked packs are a kind of their own: a build without
    ``--changes-since`` leaves them in place.
    """
    folder, _, name = relative.rpartition("/")
    return f"{folder} changes" if ".changes." in name else folder
