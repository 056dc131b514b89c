"""Encrypted filled copies, opened with their reader's password (``harvest --passwords FILE``).

A reader's copy may come back encrypted: the PDF as ``build --passwords``
encrypted it (AES-256, or whatever a PDF tool kept), the Word copy with the
standard Office encryption (ECMA-376, an OLE compound file around the
encrypted package).  A copy does not say whose it is until it is open, so
each password of the file is tried in turn: the work is bounded by the
file's size.  What comes out is read as a plain copy is, through the same
checks (:mod:`briefpack.content.filled`).

An encrypted Word copy comes from outside, and msoffcrypto-tool and olefile
were not written for hostile input: before they see it, its compound file
header must describe a file of its size (olefile would otherwise grow its
sector table without bound), its ``EncryptionInfo`` must be small and
declare no DOCTYPE (it is parsed with minidom), and its password hash no
more rounds than :data:`MAX_SPIN_COUNT`.  Whatever they raise on a damaged
file becomes one line at the copy.  No message ever holds a password.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from briefpack.errors import BriefpackError, Problem

#: How an OLE compound file (an encrypted Office document) begins.
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Largest ``EncryptionInfo`` stream read: Word's is about 1 KB.
MAX_INFO_BYTES = 64 * 1024
#: Most rounds of the password hash: Word and LibreOffice use 100,000; the
#: format allows 10,000,000, over 10 s in Python for each password tried.
MAX_SPIN_COUNT = 1_000_000
_DAMAGED = "refused: it is damaged, or not an encrypted Word document"


@dataclass(frozen=True)
class Passwords:
    """The passwords a copy may be encrypted with, and the file they came from, for messages."""

    source: str
    #: Never shown: kept out of the representation, and so out of any report.
    values: tuple[str, ...] = field(repr=False)


def is_encrypted_word(path: Path) -> bool:
    """Whether the .docx at ``path`` is an OLE compound file: encrypted, if it is Word's at all."""
    try:
        with path.open("rb") as stream:
            return stream.read(len(CFB_SIGNATURE)) == CFB_SIGNATURE
    except OSError:
        return False  # then unreadable as a zip too, which says so


def decrypted_word(path: Path, passwords: Passwords | None) -> bytes:
    """The Word package inside the encrypted copy at ``path``, opened with one of ``passwords``."""
    where = str(path)
    with path.open("rb") as stream:
        _check_header(stream.read(512), path.stat().st_size, where)
        try:
            office = _office_file(stream, where)
        except BriefpackError:
            raise
        except Exception:  # whatever olefile and msoffcrypto raise on a damaged file
            raise BriefpackError([Problem(where, _DAMAGED)]) from None
        if passwords is None:
            raise _needs_passwords(where)
        for password in passwords.values:
            try:
                if not _opens(office, password):
                    continue
                output = io.BytesIO()
                office.decrypt(output)
            except Exception:  # the password was right: the package is damaged
                raise BriefpackError([Problem(where, _DAMAGED)]) from None
            return output.getvalue()
    raise _none_opens(where, passwords)


def _check_header(header: bytes, size: int, where: str) -> None:
    """Refuse a compound file whose header claims more sectors than its size holds.

    olefile appends every sector table the header lists, copying the whole
    table each time: a header listing millions of them in a small file would
    hang it.  A sound file needs one table sector per ``sector size / 4``
    sectors, and one list of them (DIFAT) per ``sector size / 4 - 1`` tables.
    """
    if len(header) < 512:
        raise BriefpackError([Problem(where, _DAMAGED)])
    (shift,) = struct.unpack_from("<H", header, 0x1E)
    (tables,) = struct.unpack_from("<I", header, 0x2C)
    (mini_tables,) = struct.unpack_from("<I", header, 0x40)
    (lists,) = struct.unpack_from("<I", header, 0x48)
    if shift not in (9, 12):
        raise BriefpackError([Problem(where, _DAMAGED)])
    sector = 1 << shift
    sectors = (size + sector - 1) // sector
    per_table = sector // 4
    if (
        tables > sectors // per_table + 1
        or lists > tables // (per_table - 1) + 1
        or mini_tables > sectors
    ):
        raise BriefpackError([Problem(where, _DAMAGED)])


def _office_file(stream: BinaryIO, where: str) -> Any:
    """msoffcrypto's view of the compound file ``stream``, once its encryption info looks sound."""
    import msoffcrypto
    import olefile  # type: ignore[import-untyped]

    stream.seek(0)
    # Strict: every defect of the file is refused here, before msoffcrypto reads it leniently.
    with olefile.OleFileIO(stream, raise_defects=olefile.DEFECT_INCORRECT) as ole:
        if not (ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage")):
            raise BriefpackError(
                [Problem(where, "refused: an OLE file, but not an encrypted Word document")]
            )
        if ole.get_size("EncryptionInfo") > MAX_INFO_BYTES:
            raise BriefpackError([Problem(where, f"{_DAMAGED} (its EncryptionInfo is too large)")])
        info = ole.openstream("EncryptionInfo").read(MAX_INFO_BYTES + 1)
    if b"<!DOCTYPE" in info or b"<!ENTITY" in info:
        raise BriefpackError([Problem(where, "refused: its EncryptionInfo declares a DOCTYPE")])
    stream.seek(0)
    office = msoffcrypto.OfficeFile(stream)
    if office.format != "ooxml" or getattr(office, "type", None) not in ("agile", "standard"):
        raise BriefpackError([Problem(where, _DAMAGED)])
    if office.type == "agile" and not 0 <= office.info["spinValue"] <= MAX_SPIN_COUNT:
        raise BriefpackError(
            [Problem(where, f"refused: its password is hashed over {MAX_SPIN_COUNT:,} times")]
        )
    return office


def _opens(office: Any, password: str) -> bool:
    """Whether ``password`` opens ``office``; its key is then loaded."""
    if not password_verifies(office, password):
        return False
    office.load_key(password=password)
    return True


def password_verifies(office: Any, password: str) -> bool:
    """Whether ``password`` is that of the encrypted Office file ``office`` (msoffcrypto's).

    For Agile encryption only its verifier is checked, one round of the
    password's hashing (msoffcrypto's own check makes the key too: two), so
    that a wrong password, or the build's check that a copy still has its
    reader's, costs half as much.
    """
    if office.type == "agile":
        from msoffcrypto.method.ecma376_agile import ECMA376Agile

        info = office.info
        return bool(
            ECMA376Agile.verify_password(
                password,
                info["passwordSalt"],
                info["passwordHashAlgorithm"],
                info["encryptedVerifierHashInput"],
                info["encryptedVerifierHashValue"],
                info["spinValue"],
                info["passwordKeyBits"],
            )
        )
    from msoffcrypto.exceptions import InvalidKeyError

    try:
        office.load_key(password=password, verify_password=True)
    except InvalidKeyError:
        return False
    return True


def open_pdf(path: Path, passwords: Passwords | None) -> Any:
    """The PDF at ``path`` opened with pikepdf: as it is, else with one of ``passwords``.

    A PDF that is not encrypted, or only against changes (no password to
    open), opens as it is.  A damaged one raises pikepdf's error, as opening
    it plainly would.
    """
    import pikepdf

    where = str(path)
    try:
        return pikepdf.open(path)
    except pikepdf.PasswordError:
        pass
    if passwords is None:
        raise _needs_passwords(where)
    for password in passwords.values:
        try:
            return pikepdf.open(path, password=password)
        except pikepdf.PasswordError:
            continue
    raise _none_opens(where, passwords)


def _needs_passwords(where: str) -> BriefpackError:
    return BriefpackError(
        [Problem(where, "encrypted; give the passwords file with --passwords FILE")]
    )


def _none_opens(where: str, passwords: Passwords) -> BriefpackError:
    return BriefpackError(
        [Problem(where, f"encrypted, and none of the passwords in {passwords.source} opens it")]
    )
