"""Each reader's Word copy encrypted with their own password (``build --passwords FILE``).

Office's own password protection, ECMA-376 Agile encryption (MS-OFFCRYPTO:
AES-256, SHA-512, 100,000 spins, as Word 2013 and later write it), through
msoffcrypto-tool: Word and LibreOffice ask for the password and open the
copy, and nothing else can read it.  The encrypted file is an OLE compound
file holding the zipped copy as it was rendered, byte for byte, so the copy
the reader sees is the one the build checked.  Its salts and key are random,
so the bytes differ at each encryption: the seal step (:mod:`briefpack.build.seal`)
encrypts only when the rendered copy or the password changed, and finds a
changed password by trying it on the file, never by storing it.
"""

from __future__ import annotations

import io
from pathlib import Path

from briefpack.content.filled_unlock import password_verifies
from briefpack.errors import BriefpackError


def encrypt_docx(data: bytes, password: str) -> bytes:
    """The Word copy ``data`` encrypted for ``password`` with ECMA-376 Agile encryption."""
    from msoffcrypto import exceptions
    from msoffcrypto.format.ooxml import OOXMLFile

    output = io.BytesIO()
    try:
        OOXMLFile(io.BytesIO(data)).encrypt(password, output)
    except (exceptions.FileFormatError, exceptions.EncryptionError) as error:
        # Never the password: only what is wrong with the file.
        raise BriefpackError(f"cannot be encrypted: {error}") from None
    return output.getvalue()


def docx_opens_with(source: Path | bytes, password: str) -> bool:
    """Whether the Word copy at ``source`` (a path, or its bytes) is encrypted for ``password``.

    Checks the password's verifier only (one round of 100,000 spins, about a
    tenth of a second), not the whole copy: the seal step asks only of a file
    whose hash is the one it wrote.
    """
    from msoffcrypto import exceptions
    from msoffcrypto.format.ooxml import OOXMLFile

    try:
        with io.BytesIO(source) if isinstance(source, bytes) else source.open("rb") as file:
            office = OOXMLFile(file)
            return bool(office.is_encrypted()) and password_verifies(office, password)
    except (OSError, ValueError, KeyError, exceptions.DecryptionError, exceptions.FileFormatError):
        return False
