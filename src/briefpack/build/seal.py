"""The seal step: sign the PDFs that were written, and record what was issued.

A step of its own, after the render and the manifest, so that the render
stays as it was (and cached): a signature is an incremental update appended
to the rendered bytes, so the manifest keeps the rendered file's hash and
size (``rendered``) beside the signed file's, and a new key, or a build
without ``--sign``, re-seals from those bytes without rendering again.  A
seal is keyed by the key's certificate fingerprint, the rendered bytes' hash
and the signature's reason, never by the key or its password.

``distribution.json`` then records what was issued, from the files as they
are: deterministic (sorted, no clock), written atomically, and only when it
would say something else.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpack.build.files import MANIFEST, file_hash, hash_json, write_atomically, write_manifest
from briefpack.errors import BriefpackError, Problem

if TYPE_CHECKING:
    from briefpack.build.signing import SigningKey

#: The file, in each pack's output folder, that lists what was issued.
DISTRIBUTION = "distribution.json"


def seal_pack(folder: Path, pack_name: str, key: SigningKey | None) -> list[Problem]:
    """Sign (or unsign) the folder's PDFs as ``key`` says, then write its distribution record.

    Returns the problems of the PDFs that could not be signed; those keep
    their rendered bytes and are recorded as unsigned.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        outputs: list[dict[str, Any]] = list(manifest["outputs"])
    except (OSError, ValueError, KeyError, TypeError):
        return []
    problems: list[Problem] = []
    for entry in outputs:
        if entry.get("format") == "pdf" and (folder / entry["path"]).is_file():
            try:
                _seal_pdf(folder / entry["path"], entry, key)
            except BriefpackError as error:
                problems.extend(error.problems)
    write_manifest(folder, manifest)
    write_distribution(folder, pack_name, outputs)
    return problems


def signature_reason(entry: dict[str, Any], key: SigningKey) -> str:
    """The signature's reason: who issued the file, and which version."""
    version = entry.get("version")
    issued = f"Version {version} issued" if version else "Issued"
    return f"{issued} by {key.name}"


def _seal_pdf(target: Path, entry: dict[str, Any], key: SigningKey | None) -> None:
    """Bring ``target`` to the seal ``key`` asks for, from its rendered bytes; update ``entry``."""
    rendered = entry.get("rendered") or {"sha256": entry["sha256"], "size": entry["size"]}
    wanted = None
    if key is not None:
        wanted = hash_json([key.fingerprint, rendered["sha256"], signature_reason(entry, key)])
    if entry.get("seal") == wanted and file_hash(target) == entry["sha256"]:
        return
    base = target.read_bytes()[: rendered["size"]]
    if hashlib.sha256(base).hexdigest() != rendered["sha256"]:
        return  # not the file the manifest knows: the next build renders it again
    if key is None:
        data = base
        for name in ("rendered", "seal", "signed"):
            entry.pop(name, None)
    else:
        from briefpack.build.signing import sign_pdf

        data = sign_pdf(base, key, signature_reason(entry, key))
        entry.update(rendered=rendered, seal=wanted, signed=True)
    if data != target.read_bytes():
        write_atomically(target, data)
    entry.update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))


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


def write_distribution(folder: Path, pack_name: str, outputs: list[dict[str, Any]]) -> None:
    """Write ``folder``'s ``distribution.json`` for the manifest's ``outputs`` in place."""
    files = [item for item in (distribution_entry(folder, e) for e in outputs) if item]
    record = {"pack": pack_name, "files": sorted(files, key=lambda item: item["path"])}
    data = (json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    target = folder / DISTRIBUTION
    if not (target.is_file() and not target.is_symlink() and target.read_bytes() == data):
        write_atomically(target, data)


def read_distribution(path: Path) -> dict[str, dict[str, Any]]:
    """The files a ``distribution.json`` records, by their path in the pack's folder."""
    record = json.loads(path.read_text(encoding="utf-8"))
    return {item["path"]: item for item in record["files"]}
