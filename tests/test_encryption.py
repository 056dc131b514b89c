"""Encrypted copies per reader (issue 31, item 4): ``build --passwords FILE``.

Each recipient's PDF is encrypted with AES-256 for their own password, from a file
outside the pack (as written, or from a named environment variable), before it is
signed; a screen reader may still read it.  The output checkers cannot open an
encrypted PDF, so these tests check a decrypted copy with ``page`` themselves.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from test_signing import PASSWORD, make_key, validate

from conftest import MINIMAL_PACK, run
from pdf_helpers import page_findings, page_texts

pytestmark = pytest.mark.unchecked_outputs("encrypted: checked after decrypting in the test")

READERS = "recipients:\n  - name: Jane Doe\n  - name: Omar Haddad\n"
PASSWORDS = """\
Jane Doe: "jane-secret-1"
Omar Haddad:
  password_env: OMAR_PDF_PASSWORD
"""
OMAR = "omar-secret-2"


def build(root: Path, *options: str, omar: str = OMAR) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMAR_PDF_PASSWORD", omar)
        patch.setenv("BRIEFPACK_SIGN_PASSWORD", PASSWORD)
        return run(
            "build",
            str(root / "offsite.yaml"),
            "-o",
            str(root / "out"),
            "--per-recipient",
            "--passwords",
            str(root / "passwords.yaml"),
            *options,
        )


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack at version 2 with two readers, their PDFs encrypted and every PDF signed."""
    root = tmp_path_factory.mktemp("encryption")
    (root / "offsite.yaml").write_text(
        READERS + MINIMAL_PACK + 'options:\n  version: "2"\n', encoding="utf-8"
    )
    (root / "passwords.yaml").write_text(PASSWORDS, encoding="utf-8")
    code, _, err = build(root, "--sign", str(make_key(root / "key.p12")))
    assert code == 0, err
    assert "not encrypted" not in err  # the Word copies are too (tests/test_word_encryption.py)
    return root


def decrypted(path: Path, password: str) -> bytes:
    with pikepdf.open(path, password=password) as pdf:
        assert pdf.is_encrypted
        assert pdf.encryption.P is not None
        assert pdf.allow.accessibility
        output = io.BytesIO()
        pdf.save(output)
        return output.getvalue()


@pytest.mark.parametrize(
    ("name", "password", "copy"), [("jane-doe", "jane-secret-1", 1), ("omar-haddad", OMAR, 2)]
)
def test_each_readers_pdf_opens_with_their_own_password_only(
    sealed: Path, name: str, password: str, copy: int
) -> None:
    path = sealed / "out" / "offsite" / "recipients" / f"{name}.pdf"
    for wrong in ("", "jane-secret-1" if copy == 2 else OMAR):
        with pytest.raises(pikepdf.PasswordError):
            pikepdf.open(path, password=wrong)
    with pikepdf.open(path, password=password) as pdf:
        assert pdf.encryption.stream_method.name == "aesv3"
        assert pdf.encryption.bits == 256
    data = decrypted(path, password)
    assert page_findings(data) == []
    assert f"Copy {copy} of 2" in page_texts(data)[0]
    assert "Version 2" in page_texts(data)[0]


def test_an_encrypted_copy_is_signed_over_its_encrypted_bytes(sealed: Path) -> None:
    from briefpack.build.signing import quiet_import

    with quiet_import():
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext
    data = (sealed / "out" / "offsite" / "recipients" / "jane-doe.pdf").read_bytes()
    reader = PdfFileReader(io.BytesIO(data))
    reader.decrypt("jane-secret-1")
    (signature,) = reader.embedded_signatures
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[signature.signer_cert])
    )
    assert status.intact
    assert status.valid
    assert status.coverage.name == "ENTIRE_FILE"
    assert signature.sig_object["/Reason"] == "Version 2 issued by Board Secretary"


def test_the_full_pack_stays_unencrypted_and_the_record_says_which_copies_are(
    sealed: Path,
) -> None:
    folder = sealed / "out" / "offsite"
    with pikepdf.open(folder / "offsite.pdf") as pdf:
        assert not pdf.is_encrypted
    validate((folder / "offsite.pdf").read_bytes())
    jane = folder / "recipients" / "jane-doe"
    code, out, _ = run("verify", f"{jane}.pdf", f"{jane}.docx")
    assert code == 0, out
    assert out.splitlines() == [
        f"{jane}.pdf: ok, encrypted and signed",
        f"{jane}.docx: ok, encrypted",
    ]


def test_a_new_password_re_encrypts_without_rendering(sealed: Path, tmp_path: Path) -> None:
    root = tmp_path
    for name in ("offsite.yaml", "passwords.yaml"):
        (root / name).write_bytes((sealed / name).read_bytes())
    code, _, err = build(root, "-f", "pdf")
    assert code == 0, err
    code, out, err = build(root, "-f", "pdf", omar="a-new-password")
    assert code == 0, err
    assert "0 written, 4 up to date" in out
    path = root / "out" / "offsite" / "recipients" / "omar-haddad.pdf"
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(path, password=OMAR)
    assert page_findings(decrypted(path, "a-new-password")) == []
    code, out, _ = run("verify", str(path))
    assert code == 0, out
    kept = root / "out" / ".briefpack-rendered" / "offsite" / "recipients"
    assert sorted(p.name for p in kept.iterdir()) == ["jane-doe.pdf", "omar-haddad.pdf"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMAR_PDF_PASSWORD", OMAR)
        code, _, err = run(
            "build",
            str(root / "offsite.yaml"),
            "-o",
            str(root / "out"),
            "-f",
            "pdf",
            "--per-recipient",
        )
    assert code == 0, err
    assert list(kept.iterdir()) == []
    with pikepdf.open(path) as pdf:
        assert not pdf.is_encrypted


def test_a_reader_without_a_password_stops_the_build_before_anything_is_written(
    tmp_path: Path,
) -> None:
    (tmp_path / "offsite.yaml").write_text(READERS + MINIMAL_PACK, encoding="utf-8")
    (tmp_path / "passwords.yaml").write_text('Jane Doe: "jane-secret-1"\n', encoding="utf-8")
    code, _, err = build(tmp_path)
    assert code == 1
    assert f"'Omar Haddad' has no password in {tmp_path / 'passwords.yaml'}" in err
    assert err.startswith(f"{tmp_path / 'offsite.yaml'}:3:")
    assert "jane-secret-1" not in err
    assert not (tmp_path / "out" / "offsite" / "recipients").exists()


def test_a_passwords_file_is_checked_at_its_lines(tmp_path: Path) -> None:
    (tmp_path / "offsite.yaml").write_text(READERS + MINIMAL_PACK, encoding="utf-8")
    path = tmp_path / "passwords.yaml"
    path.write_text(
        'Jane Doe: "short"\nOmar Haddad:\n  password_env: NOT_SET_ANYWHERE\n', encoding="utf-8"
    )
    code, _, err = build(tmp_path)
    assert code == 1
    assert err.splitlines() == [
        f"{path}:1:11: the password for 'Jane Doe' is shorter than 8 characters",
        f"{path}:3:17: the password of 'Omar Haddad' is in $NOT_SET_ANYWHERE, which is not set",
    ]
    assert not (tmp_path / "out").exists()


def test_verify_checks_an_encrypted_copys_signature_with_its_readers_password(
    sealed: Path,
) -> None:
    folder = sealed / "out" / "offsite" / "recipients"
    jane, omar = folder / "jane-doe.pdf", folder / "omar-haddad.pdf"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMAR_PDF_PASSWORD", OMAR)
        passwords = ("--passwords", str(sealed / "passwords.yaml"))
        code, out, _ = run("verify", str(jane), str(omar), *passwords)
        assert code == 0, out
        assert out.splitlines() == [
            f"{path}: ok, encrypted, signature valid: Version 2 issued by Board Secretary"
            for path in (jane, omar)
        ]
        patch.setenv("OMAR_PDF_PASSWORD", "not-omars-password")
        code, out, _ = run("verify", str(omar), *passwords)
    assert code == 1
    assert out.strip() == f"{omar}: encrypted, and the password does not open it"
    assert "not-omars-password" not in out


def test_passwords_that_encrypt_nothing_are_named_once(
    tmp_path: Path,
) -> None:
    (tmp_path / "offsite.yaml").write_text(READERS + MINIMAL_PACK, encoding="utf-8")
    (tmp_path / "passwords.yaml").write_text(PASSWORDS, encoding="utf-8")
    source = tmp_path / "passwords.yaml"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMAR_PDF_PASSWORD", OMAR)
        code, _, err = run(
            "build", str(tmp_path / "offsite.yaml"), "-o", str(tmp_path / "out"),
            "-f", "pdf", "--passwords", str(source),
        )  # fmt: skip
    assert code == 0, err
    nothing = (
        f"{source}: warning: no reader's copy of offsite is built, so none is encrypted; "
        "build the readers' packs with --per-recipient"
    )
    assert err.count(nothing) == 1
    code, _, err = build(tmp_path, "-f", "pdf")
    assert code == 0, err
    assert str(source) not in err


def test_verify_tries_the_password_on_an_unsigned_encrypted_copy_too(tmp_path: Path) -> None:
    (tmp_path / "offsite.yaml").write_text(READERS + MINIMAL_PACK, encoding="utf-8")
    (tmp_path / "passwords.yaml").write_text(PASSWORDS, encoding="utf-8")
    code, _, err = build(tmp_path)
    assert code == 0, err
    folder = tmp_path / "out" / "offsite" / "recipients"
    copies = [folder / "omar-haddad.pdf", folder / "omar-haddad.docx"]
    passwords = ("--passwords", str(tmp_path / "passwords.yaml"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMAR_PDF_PASSWORD", OMAR)
        code, out, _ = run("verify", *map(str, copies), *passwords)
        assert (code, out.splitlines()) == (0, [f"{path}: ok, encrypted" for path in copies])
        patch.setenv("OMAR_PDF_PASSWORD", "not-omars-password")
        code, out, _ = run("verify", *map(str, copies), *passwords)
    assert code == 1
    assert out.splitlines() == [
        f"{path}: encrypted, and the password does not open it" for path in copies
    ]
