"""Each reader's Word copy encrypted for their own password (issue 31, item 4).

With ``build --passwords FILE`` a recipient's ``.docx`` gets Office's own
password protection (ECMA-376 Agile encryption, through msoffcrypto-tool), for
the same password as their PDF.  The output checkers cannot open an encrypted
Word copy, so these tests decrypt it and give openxml-audit the decrypted copy
themselves.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from msoffcrypto.exceptions import DecryptionError
from msoffcrypto.format.ooxml import OOXMLFile
from test_encryption import OMAR, PASSWORDS, READERS, build

from checkers import docx_findings
from conftest import MINIMAL_PACK, libreoffice_with_uno, run

pytestmark = pytest.mark.unchecked_outputs("encrypted: checked after decrypting in the test")

JANE = "jane-secret-1"


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack at version 2 with two readers, their Word copies (and PDFs) encrypted."""
    root = tmp_path_factory.mktemp("word-encryption")
    (root / "offsite.yaml").write_text(
        READERS + MINIMAL_PACK + 'options:\n  version: "2"\n', encoding="utf-8"
    )
    (root / "passwords.yaml").write_text(PASSWORDS, encoding="utf-8")
    code, _, err = build(root)
    assert code == 0, err
    assert "not encrypted" not in err
    return root


def decrypted(path: Path, password: str) -> bytes:
    """The Word copy at ``path`` decrypted with ``password``, its integrity checked."""
    office = OOXMLFile(io.BytesIO(path.read_bytes()))
    assert office.is_encrypted()
    office.load_key(password=password, verify_password=True)
    output = io.BytesIO()
    office.decrypt(output, verify_integrity=True)
    return output.getvalue()


def checked(data: bytes, folder: Path, name: str) -> list[str]:
    """What openxml-audit finds in the Word copy ``data``, written to ``folder/name``."""
    path = folder / name
    path.write_bytes(data)
    return docx_findings(path)


def manifest_entry(root: Path, relative: str) -> dict[str, object]:
    manifest = json.loads((root / "out" / "offsite" / "manifest.json").read_text("utf-8"))
    return next(entry for entry in manifest["outputs"] if entry["path"] == relative)


@pytest.mark.parametrize(
    ("name", "password", "other", "copy"),
    [("jane-doe", JANE, OMAR, 1), ("omar-haddad", OMAR, JANE, 2)],
)
def test_each_readers_word_copy_opens_with_their_own_password_only(
    sealed: Path, tmp_path: Path, name: str, password: str, other: str, copy: int
) -> None:
    path = sealed / "out" / "offsite" / "recipients" / f"{name}.docx"
    assert not zipfile.is_zipfile(path)  # no word processor reads it without the password
    for wrong in ("", other, password.upper()):
        with pytest.raises(DecryptionError):
            decrypted(path, wrong)
    data = decrypted(path, password)
    assert checked(data, tmp_path, f"{name}.docx") == []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = archive.read("word/document.xml").decode()
    assert f"Copy {copy} of 2" in document
    assert "Version 2" in document


def test_the_decrypted_copy_is_the_rendered_copy_byte_for_byte(sealed: Path) -> None:
    relative = "recipients/jane-doe.docx"
    data = decrypted(sealed / "out" / "offsite" / relative, JANE)
    kept = sealed / "out" / ".briefpack-rendered" / "offsite" / relative
    assert kept.read_bytes() == data
    entry = manifest_entry(sealed, relative)
    assert entry["rendered"] == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert (
        entry["sha256"]
        == hashlib.sha256((sealed / "out" / "offsite" / relative).read_bytes()).hexdigest()
    )
    assert entry["sha256"] != hashlib.sha256(data).hexdigest()


def test_the_record_says_the_word_copies_are_encrypted_and_verify_finds_them_as_issued(
    sealed: Path,
) -> None:
    folder = sealed / "out" / "offsite"
    record = json.loads((folder / "distribution.json").read_text(encoding="utf-8"))
    words = {item["path"]: item for item in record["files"] if item["format"] == "docx"}
    assert {path: item["encrypted"] for path, item in words.items()} == {
        "offsite.docx": False,
        "recipients/jane-doe.docx": True,
        "recipients/omar-haddad.docx": True,
        "sessions/01-strategy.docx": False,
    }
    assert not any(item["signed"] for item in words.values())
    assert zipfile.is_zipfile(folder / "offsite.docx")  # the issuer's copy stays as it was
    jane = folder / "recipients" / "jane-doe.docx"
    code, out, _ = run("verify", str(jane), str(folder / "offsite.docx"))
    assert code == 0, out
    assert out.splitlines() == [f"{jane}: ok, encrypted", f"{folder / 'offsite.docx'}: ok"]


def test_a_new_password_re_encrypts_the_word_copy_without_rendering(
    sealed: Path, tmp_path: Path
) -> None:
    root = tmp_path
    for name in ("offsite.yaml", "passwords.yaml"):
        (root / name).write_bytes((sealed / name).read_bytes())
    code, _, err = build(root, "-f", "docx")
    assert code == 0, err
    folder = root / "out" / "offsite"
    jane = (folder / "recipients" / "jane-doe.docx").read_bytes()
    code, out, err = build(root, "-f", "docx", omar="a-new-password")
    assert code == 0, err
    assert "0 written, 4 up to date" in out
    assert (folder / "recipients" / "jane-doe.docx").read_bytes() == jane  # left alone
    path = folder / "recipients" / "omar-haddad.docx"
    with pytest.raises(DecryptionError):
        decrypted(path, OMAR)
    rendered = decrypted(path, "a-new-password")
    assert checked(rendered, tmp_path, "omar-decrypted.docx") == []
    code, out, _ = run("verify", str(path))
    assert code == 0, out
    # Without --passwords, the rendered copies come back, and nothing is kept for them.
    code, out, err = run(
        "build", str(root / "offsite.yaml"), "-o", str(root / "out"), "-f", "docx",
        "--per-recipient",
    )  # fmt: skip
    assert code == 0, err
    assert "0 written, 4 up to date" in out
    assert path.read_bytes() == rendered
    assert docx_findings(path) == []
    assert list((root / "out" / ".briefpack-rendered" / "offsite" / "recipients").iterdir()) == []
    code, out, _ = run("verify", str(path))
    assert out == f"{path}: ok\n"


def test_a_reader_with_only_a_word_copy_to_build_still_needs_a_password(tmp_path: Path) -> None:
    (tmp_path / "offsite.yaml").write_text(READERS + MINIMAL_PACK, encoding="utf-8")
    (tmp_path / "passwords.yaml").write_text(f'Jane Doe: "{JANE}"\n', encoding="utf-8")
    code, _, err = build(tmp_path, "-f", "docx")
    assert code == 1
    assert f"'Omar Haddad' has no password in {tmp_path / 'passwords.yaml'}" in err
    assert not (tmp_path / "out" / "offsite" / "recipients").exists()


@pytest.mark.skipif(
    not libreoffice_with_uno(), reason="needs LibreOffice and its python3-uno (Debian packages)"
)
def test_libreoffice_opens_a_readers_word_copy_with_their_password_and_not_without(
    sealed: Path, tmp_path: Path
) -> None:
    path = sealed / "out" / "offsite" / "recipients" / "jane-doe.docx"
    script = Path(__file__).with_name("lo_open.py")
    opened = {
        password: subprocess.run(
            ["/usr/bin/python3", str(script), str(path), password],
            capture_output=True,
            text=True,
            timeout=180,
        )
        for password in (JANE, OMAR)
    }
    assert opened[JANE].returncode == 0, opened[JANE].stderr
    assert "Copy 1 of 2" in opened[JANE].stdout
    assert opened[OMAR].returncode == 3
    converted = subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(path)],
        capture_output=True, stdin=subprocess.DEVNULL, timeout=180,
    )  # fmt: skip
    assert not (tmp_path / "pdf" / "jane-doe.pdf").exists(), converted.stdout
