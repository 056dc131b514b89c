"""The seal step: encrypt and sign the outputs that were written, and record what was issued.

A step of its own, after the render and the manifest, so that the render
stays as it was (and cached): a signature is an incremental update appended
to the rendered bytes, so the manifest keeps the rendered file's hash and
size (``rendered``) beside the signed file's, and a new key, or a build
without ``--sign``, re-seals from those bytes without rendering again.  A
seal is keyed by the key's certificate fingerprint, the rendered bytes' hash
and the signature's reason, never by the key or its password.  The readers'
Word copies are encrypted the same way, and never signed.

``distribution.json`` then records what was issued, from the files as they
are: deterministic (sorted, no clock), written atomically, and only when it
would say something else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpack.build.files import MANIFEST, file_hash, hash_json, write_atomically, write_manifest
from briefpack.errors import BriefpackError, Problem

if TYPE_CHECKING:
    from briefpack.build.signing import SigningKey
    from briefpack.model import Permissions

#: The file, in each pack's output folder, that lists what was issued.
DISTRIBUTION = "distribution.json"


@dataclass(frozen=True)
class Seal:
    """What the seal step is asked for: its repr shows no key and no password."""

    #: ``--sign``: every PDF is signed with it.
    key: SigningKey | None = field(default=None, repr=False)
    #: ``--passwords``: each reader's copies are encrypted with theirs.
    passwords: Mapping[str, str] | None = field(default=None, repr=False)
    #: ``options.permissions`` of the pack, for the readers' encrypted PDFs.
    permissions: Permissions | None = None
    #: The outputs the previous build issued encrypted: one now in the clear is said,
    #: whether or not it was rendered again.
    was_encrypted: frozenset[str] = frozenset()


def seal_pack(folder: Path, pack_name: str, seal: Seal) -> tuple[list[Problem], list[Problem]]:
    """Seal the folder's outputs as ``seal`` says, then record what was issued.

    Each reader's PDF is encrypted with their password and the pack's
    permissions, then every PDF signed with the key; each reader's Word copy
    is encrypted with the same password.  Returns the problems of the files
    that could not be sealed (a reader's copy that could not be encrypted is
    not put in place, nor recorded), and warnings.
    The manifest and the record are written even when the build is stopped
    half-way, so that they always describe the files as they are.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        outputs: list[dict[str, Any]] = list(manifest["outputs"])
    except (OSError, ValueError, KeyError, TypeError):
        return [], []
    from briefpack.build.encryption import kept_render, prune_kept_renders, reader_password

    passwords = seal.passwords
    problems: list[Problem] = []
    warnings: list[Problem] = []
    try:
        for entry in outputs:
            target, kept = folder / entry["path"], kept_render(folder, entry["path"])
            if entry.get("format") not in SEALED or not (target.is_file() or kept.is_file()):
                continue
            reader = entry.get("recipient")
            password = reader_password(passwords, reader) if passwords and reader else None
            try:
                _seal_file(folder, entry, seal.key, password, seal.permissions)
            except BriefpackError as error:
                problems.extend(Problem(str(target), item.message) for item in error.problems)
                continue
            if password is None and entry["path"] in seal.was_encrypted:
                warnings.append(Problem(str(target), BACK_IN_THE_CLEAR))
        prune_kept_renders(folder, {entry["path"] for entry in outputs if entry.get("encrypted")})
    finally:
        write_manifest(folder, manifest)
        write_distribution(folder, pack_name, outputs)
    return problems, warnings


#: What is said of a reader's copy issued encrypted before and now in the clear: it is
#: what a build without --passwords does, and a copy that then leaks can be read.
BACK_IN_THE_CLEAR = "warning: encrypted before, now issued without a password (no --passwords)"

#: The formats the seal step signs or encrypts: the PDFs (the minutes' too) and Word copies.
SEALED = ("pdf", "minutes-pdf", "docx")


def signature_reason(entry: dict[str, Any], key: SigningKey) -> str:
    """The signature's reason: who issued the file, and which version."""
    version = entry.get("version")
    issued = f"Version {version} issued" if version else "Issued"
    return f"{issued} by {key.name}"


def _seal_file(
    folder: Path,
    entry: dict[str, Any],
    key: SigningKey | None,
    password: str | None,
    permissions: Permissions | None = None,
) -> None:
    """Bring the entry's file to the seal asked for, from its rendered bytes; update ``entry``.

    A reader's copy is encrypted for their ``password`` (a PDF with the
    pack's ``permissions``), then a PDF is signed with ``key``; a Word copy is
    never signed.  The seal is keyed by the certificate's fingerprint and the
    reason, the rendered bytes, and whether it is encrypted and with which
    permissions; a changed password is found by trying it on the file, so
    that no password is ever hashed or stored.
    """
    from briefpack.build.encryption import copy_opens_with, kept_render

    target = folder / entry["path"]
    is_pdf = _is_pdf(entry)
    key = key if is_pdf else None
    rendered = entry.get("rendered") or {"sha256": entry["sha256"], "size": entry["size"]}
    wanted = _seal_key(entry, rendered["sha256"], key, password, permissions)
    if (
        entry.get("seal") == wanted
        and target.is_file()
        and file_hash(target) == entry["sha256"]
        and (password is None or copy_opens_with(target, password, is_pdf))
    ):
        return
    kept = kept_render(folder, entry["path"])
    data = _rendered_bytes(target, rendered, kept)
    if password is not None:
        if not (kept.is_file() and kept.read_bytes() == data):
            write_atomically(kept, data)
        data = _encrypted(data, password, is_pdf, permissions)
    else:
        kept.unlink(missing_ok=True)
    if key is not None:
        from briefpack.build.signing import sign_pdf

        data = sign_pdf(data, key, signature_reason(entry, key), password)
    for name in ("rendered", "seal", "signed", "encrypted"):
        entry.pop(name, None)
    if wanted is not None:
        entry.update(rendered=rendered, seal=wanted)
        entry.update(signed=key is not None, encrypted=password is not None)
    if not (target.is_file() and data == target.read_bytes()):
        write_atomically(target, data)
    entry.update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _is_pdf(entry: dict[str, Any]) -> bool:
    """Whether the manifest's ``entry`` is a PDF (the pack's, a session's, a reader's, minutes)."""
    return str(entry["path"]).endswith(".pdf")


def _seal_key(
    entry: dict[str, Any],
    rendered: str,
    key: SigningKey | None,
    password: str | None,
    permissions: Permissions | None,
) -> str | None:
    """What the seal of an entry is made from, hashed; ``None`` for a file left as rendered."""
    if key is None and password is None:
        return None
    signer = None if key is None else [key.fingerprint, signature_reason(entry, key)]
    if not _is_pdf(entry):
        return hash_json([entry["format"], rendered])
    from briefpack.build.encryption import granted

    allowed = None if password is None else granted(permissions)
    return hash_json([signer, rendered, password is not None, allowed])


def _encrypted(data: bytes, password: str, is_pdf: bool, permissions: Permissions | None) -> bytes:
    """The rendered PDF or Word copy ``data`` encrypted for ``password``."""
    if is_pdf:
        from briefpack.build.encryption import encrypt_pdf

        return encrypt_pdf(data, password, permissions)
    from briefpack.build.word_encryption import encrypt_docx

    return encrypt_docx(data, password)


def _rendered_bytes(target: Path, rendered: dict[str, Any], kept: Path) -> bytes:
    """``target``'s rendered bytes: the file, its start (before a signature), or a kept copy."""
    data = target.read_bytes() if target.is_file() else b""
    for candidate in (data, data[: rendered["size"]]):
        if candidate and hashlib.sha256(candidate).hexdigest() == rendered["sha256"]:
            return candidate
    if kept.is_file():
        data = kept.read_bytes()
        if hashlib.sha256(data).hexdigest() == rendered["sha256"]:
            return data
    raise BriefpackError("the rendered bytes it was sealed from are gone; build again with --force")


def distribution_entry(folder: Path, entry: dict[str, Any]) -> dict[str, Any] | None:
    """What the record says of the manifest's ``entry``; None if it was not issued.

    A file is issued when it is the one the build wrote or sealed: one gone,
    or not yet sealed (a stopped build, a copy that could not be encrypted),
    is not recorded, so ``verify`` never calls it issued.
    """
    target = folder / entry["path"]
    if not target.is_file() or target.is_symlink() or file_hash(target) != entry.get("sha256"):
        return None
    copy = entry.get("copy")
    return {
        "path": entry["path"],
        "format": entry.get("format"),
        "sha256": entry["sha256"],
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
