"""Each reader's PDF encrypted with their own password (``build --passwords FILE``).

AES-256 (PDF 2.0's R6) through pikepdf, with the permissions PDF/UA needs
kept: screen readers may always extract the text; the reader may fill in
the answer fields and add comments, and may print and copy unless
``options.permissions`` says otherwise; changing the pages is for its owner
password, which is random and thrown away.  Encryption comes before
signing, so the signature covers the encrypted bytes; and since an encrypted
file cannot give back its render, the rendered bytes are kept beside the
outputs (``OUT/.briefpack-rendered``) so that a new password re-encrypts
without rendering again.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Mapping
from pathlib import Path

from briefpack.build.jobs import Job
from briefpack.errors import Problem
from briefpack.model import Pack, Permissions

#: Where the rendered bytes of encrypted outputs are kept, under the output folder.
RENDERED = ".briefpack-rendered"


def kept_render(folder: Path, relative: str) -> Path:
    """Where the rendered bytes of the output ``relative`` of the pack in ``folder`` are kept."""
    return folder.parent / RENDERED / folder.name / relative


def granted(permissions: Permissions | None) -> dict[str, bool]:
    """What a reader's encrypted PDF allows, by pikepdf's names: the seal is keyed by it too.

    ``permissions`` may forbid copying the text and printing (or printing in
    full); the accessibility permission is always granted, as PDF/UA requires.
    """
    permissions = permissions or Permissions()
    return {
        "accessibility": True,
        "extract": permissions.copy,
        "print_lowres": permissions.print != "none",
        "print_highres": permissions.print == "full",
        # The reader fills in their answer fields and adds their own comments: both are
        # what a reader's copy is for, and neither changes a page.
        "modify_annotation": True,
        "modify_assembly": False,
        "modify_form": True,
        "modify_other": False,
    }


def encrypt_pdf(data: bytes, password: str, permissions: Permissions | None = None) -> bytes:
    """``data`` encrypted with AES-256 for ``password``, as :func:`granted` allows."""
    import pikepdf

    allow = pikepdf.Permissions(**granted(permissions))
    encryption = pikepdf.Encryption(user=password, owner=secrets.token_hex(32), R=6, allow=allow)
    output = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(output, encryption=encryption, static_id=True)
    return output.getvalue()


def opens_with(source: Path | bytes, password: str) -> bool:
    """Whether the PDF ``source`` (a path, or bytes) is encrypted and opens with ``password``."""
    import pikepdf

    try:
        with pikepdf.open(
            io.BytesIO(source) if isinstance(source, bytes) else source, password=password
        ) as pdf:
            return bool(pdf.is_encrypted)
    except (pikepdf.PasswordError, pikepdf.PdfError, OSError):
        return False


def copy_opens_with(source: Path | bytes, password: str, pdf: bool) -> bool:
    """Whether a reader's encrypted copy (a ``pdf``, else a Word copy) opens with ``password``."""
    if pdf:
        return opens_with(source, password)
    from briefpack.build.word_encryption import docx_opens_with

    return docx_opens_with(source, password)


def missing_passwords(jobs: list[Job], passwords: Mapping[str, str], source: str) -> list[Problem]:
    """A problem at each recipient with a PDF or Word copy and no password in the passwords file."""
    problems: dict[str, Problem] = {}
    for job in jobs:
        reader = job.settings.recipient
        encrypted = job.output_format in ENCRYPTED_FORMATS
        if encrypted and reader is not None and reader_password(passwords, reader) is None:
            mark = next((r.mark for r in job.pack.recipients if r.name == reader), None)
            problems[reader] = Problem(mark, f"'{reader}' has no password in {source}")
    return list(problems.values())


def reader_password(passwords: Mapping[str, str], reader: str) -> str | None:
    """``reader``'s password: the passwords file's names are in NFC, a pack's as written."""
    import unicodedata

    return passwords.get(unicodedata.normalize("NFC", reader))


#: The formats a reader's copy is encrypted in (their calendar is not).
ENCRYPTED_FORMATS = ("pdf", "docx")


def archival_conflict(jobs: list[Job]) -> Problem | None:
    """The one problem of encrypting a PDF/A reader's copy: PDF/A forbids encryption.

    Dropping the claim quietly would issue a file that is not what was
    asked for; so the build asks for one or the other, before rendering.
    """
    for job in jobs:
        variant = job.settings.pdf_variant
        if job.output_format == "pdf" and job.settings.recipient and variant.startswith("pdf/a"):
            return Problem(
                None,
                f"{variant.upper()} forbids encryption: build the readers' copies with "
                "--passwords or as PDF/A, not both",
            )
    return None


def password_notes(pack: Pack, jobs: list[Job], source: str) -> list[Problem]:
    """A warning at the passwords file if it encrypts nothing of ``pack``.

    A pack with readers but no reader's copy built (``--per-recipient`` was
    forgotten) would otherwise go out with no copy encrypted and not a word said.
    """
    if pack.recipients and not any(job.settings.recipient for job in jobs):
        return [
            Problem(
                source,
                f"warning: no reader's copy of {pack.name} is built, so none is encrypted; "
                "build the readers' packs with --per-recipient",
            )
        ]
    return []


def permission_notes(pack: Pack, jobs: list[Job], encrypted: bool) -> list[Problem]:
    """Where ``options.permissions`` restricts a reader but cannot hold: one warning each.

    Only an encrypted PDF holds a reader to its permissions, so a build
    without ``--passwords`` and the readers' Word copies are named.
    """
    permissions = pack.options.permissions
    readers = {job.output_format for job in jobs if job.settings.recipient}
    if not permissions.restricted or not readers:
        return []
    notes = []
    if "pdf" in readers and not encrypted:
        notes.append(
            "warning: options.permissions holds only in encrypted copies; the readers' PDFs "
            "are not encrypted without build --passwords FILE"
        )
    if "docx" in readers:
        notes.append(
            "warning: options.permissions cannot forbid copying or printing a Word copy; "
            "only the readers' PDFs hold it"
        )
    return [Problem(permissions.mark, note) for note in notes]


def prune_kept_renders(folder: Path, encrypted: set[str]) -> None:
    """Remove the kept renders of the pack in ``folder`` whose output is no longer encrypted."""
    root = folder.parent / RENDERED / folder.name
    if root.is_dir():
        for path in sorted(root.rglob("*.*")):  # the PDFs and the Word copies
            relative = path.relative_to(root).as_posix()
            if relative not in encrypted and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
