"""The seal step: after the outputs are written, record what was issued, in ``distribution.json``.

A step of its own, after the render and the manifest, so that what is
issued (the file's hash, whose copy it is, which version) is derived from
the files as they are, never from the render's cache: a recipient's copy
that is later signed or encrypted is recorded with the bytes that went out.
The record is deterministic (sorted, no clock) and, like the manifest, is
only rewritten when it would say something else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefpack.build.files import MANIFEST, file_hash, write_atomically

#: The file, in each pack's output folder, that lists what was issued.
DISTRIBUTION = "distribution.json"


def distribution_entry(folder: Path, entry: dict[str, Any]) -> dict[str, Any] | None:
    """What the record says of the manifest's ``entry``; None if its file is gone."""
    target = folder / entry["path"]
    if not target.is_file() or target.is_symlink():
        return None
    copy = entry.get("copy")
    return {
        "path": entry["path"],
        "format": entry.get("format"),
        "sha256": file_hash(target),
        "recipient": entry.get("recipient"),
        "copy": {"number": copy[0], "of": copy[1]} if copy else None,
        "version": entry.get("version"),
        "signed": bool(entry.get("signed")),
        "encrypted": bool(entry.get("encrypted")),
    }


def write_distribution(folder: Path, pack_name: str) -> None:
    """Write ``folder``'s ``distribution.json`` from its manifest, unless it already says that.

    Every output the manifest lists and that is in place is in the record,
    with the hash of its bytes as they are now.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        outputs = list(manifest["outputs"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    files = [
        item
        for item in (distribution_entry(folder, entry) for entry in outputs)
        if item is not None
    ]
    record = {"pack": pack_name, "files": sorted(files, key=lambda item: item["path"])}
    data = (json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    target = folder / DISTRIBUTION
    if not (target.is_file() and not target.is_symlink() and target.read_bytes() == data):
        write_atomically(target, data)


def read_distribution(path: Path) -> dict[str, dict[str, Any]]:
    """The files a ``distribution.json`` records, by their path in the pack's folder."""
    record = json.loads(path.read_text(encoding="utf-8"))
    return {item["path"]: item for item in record["files"]}
