"""What sealing leaves when it fails, is stopped, or is asked for what cannot be (issue 31).

A reader's copy that is to be encrypted never sits in its place in the clear:
not while the build runs, not after a seal fails, not after the build is
stopped half-way; the record then lists only what was issued as it is.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from test_encryption import OMAR, PASSWORDS, READERS, build
from test_signing import PASSWORD, make_key, validate

from briefpack.errors import BriefpackError

from conftest import MINIMAL_PACK, run
from pdf_helpers import page_findings

pytestmark = pytest.mark.unchecked_outputs("encrypted: checked after decrypting in the test")


def write(root: Path, extra: str = "") -> None:
    (root / "offsite.yaml").write_text(READERS + MINIMAL_PACK + extra, encoding="utf-8")
    (root / "passwords.yaml").write_text(PASSWORDS, encoding="utf-8")


def record(root: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((root / "out" / "offsite" / "distribution.json").read_text("utf-8"))
    return {item["path"]: item for item in data["files"]}


def opens_without_password(path: Path) -> bool:
    try:
        with pikepdf.open(path):
            return True
    except pikepdf.PasswordError:
        return False


def test_a_copy_that_cannot_be_encrypted_is_neither_put_in_place_nor_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefpack.build.encryption as encryption

    real = encryption.encrypt_pdf

    def failing_for_omar(data: bytes, password: str, permissions: Any = None) -> bytes:
        if password == OMAR:
            raise BriefpackError("cannot be encrypted: a test's failure")
        return real(data, password, permissions)

    monkeypatch.setattr(encryption, "encrypt_pdf", failing_for_omar)
    write(tmp_path)
    code, _, err = build(tmp_path, "-f", "pdf")
    assert code == 1
    readers = tmp_path / "out" / "offsite" / "recipients"
    assert f"{readers / 'omar-haddad.pdf'}: cannot be encrypted: a test's failure" in err
    assert not (readers / "omar-haddad.pdf").exists()
    assert not opens_without_password(readers / "jane-doe.pdf")
    assert "recipients/omar-haddad.pdf" not in record(tmp_path)
    assert record(tmp_path)["recipients/jane-doe.pdf"]["encrypted"] is True


def test_a_build_stopped_while_sealing_leaves_no_copy_in_the_clear_and_a_true_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefpack.build.encryption as encryption

    real = encryption.encrypt_pdf

    def interrupted_at_omar(data: bytes, password: str, permissions: Any = None) -> bytes:
        if password == OMAR:
            raise KeyboardInterrupt
        return real(data, password, permissions)

    monkeypatch.setattr(encryption, "encrypt_pdf", interrupted_at_omar)
    write(tmp_path)
    code, _, _ = build(tmp_path, "-f", "pdf")
    assert code != 0
    readers = tmp_path / "out" / "offsite" / "recipients"
    assert not (readers / "omar-haddad.pdf").exists()
    assert not opens_without_password(readers / "jane-doe.pdf")
    issued = record(tmp_path)
    assert "recipients/omar-haddad.pdf" not in issued
    assert issued["recipients/jane-doe.pdf"]["encrypted"] is True
    code, out, _ = run("verify", str(readers / "jane-doe.pdf"))
    assert (code, out.strip()) == (0, f"{readers / 'jane-doe.pdf'}: ok, encrypted")


def test_an_encrypted_pdf_without_object_streams_is_signed(tmp_path: Path) -> None:
    from briefpack.build.encryption import encrypt_pdf
    from briefpack.build.signing import load_signing_key, sign_pdf

    write(tmp_path)
    code, _, err = run(
        "build", str(tmp_path / "offsite.yaml"), "-o", str(tmp_path / "out"), "-f", "pdf"
    )
    assert code == 0, err
    with pikepdf.open(tmp_path / "out" / "offsite" / "offsite.pdf") as pdf:
        plain = io.BytesIO()
        pdf.save(plain, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    key = load_signing_key(make_key(tmp_path / "key.p12"), PASSWORD)
    signed = sign_pdf(encrypt_pdf(plain.getvalue(), OMAR), key, "Issued", OMAR)
    with pikepdf.open(io.BytesIO(signed), password=OMAR) as pdf:
        decrypted = io.BytesIO()
        pdf.save(decrypted)
    from briefpack.build.signing import signature_state

    assert signature_state(signed, OMAR) == (True, "signature valid: Issued")
    assert page_findings(decrypted.getvalue()) == []  # the signature field tagged, as PDF/UA asks


@pytest.mark.parametrize("again", [(), ("--force",)], ids=["sealed again", "rendered again"])
def test_building_without_passwords_again_says_each_copy_is_no_longer_encrypted(
    tmp_path: Path, again: tuple[str, ...]
) -> None:
    write(tmp_path)
    code, _, err = build(tmp_path, "-f", "pdf")
    assert code == 0, err
    pack = str(tmp_path / "offsite.yaml")
    out = str(tmp_path / "out")
    code, _, err = run("build", pack, "-o", out, "-f", "pdf", "--per-recipient", *again)
    assert code == 0, err
    readers = tmp_path / "out" / "offsite" / "recipients"
    for name in ("jane-doe", "omar-haddad"):
        assert (
            f"{readers / name}.pdf: warning: encrypted before, now issued without a password "
            "(no --passwords)"
        ) in err
        assert opens_without_password(readers / f"{name}.pdf")


def test_pdf_a_copies_cannot_be_encrypted_and_nothing_is_built(tmp_path: Path) -> None:
    write(tmp_path)
    code, _, err = build(tmp_path, "-f", "pdf", "--pdf-variant", "pdf/a-2b")
    assert code == 1
    assert (
        "PDF/A-2B forbids encryption: build the readers' copies with --passwords or as PDF/A, "
        "not both"
    ) in err
    assert not (tmp_path / "out" / "offsite").exists()


def test_the_minutes_pdf_is_signed_like_every_pdf(tmp_path: Path) -> None:
    (tmp_path / "offsite.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    key = str(make_key(tmp_path / "key.p12"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFPACK_SIGN_PASSWORD", PASSWORD)
        code, _, err = run(
            "build", str(tmp_path / "offsite.yaml"), "-o", str(tmp_path / "out"),
            "-f", "pdf", "--minutes", "--sign", key,
        )  # fmt: skip
    assert code == 0, err
    minutes = tmp_path / "out" / "offsite" / "offsite.minutes.pdf"
    _, status = validate(minutes.read_bytes())
    assert status.intact
    assert status.valid
    assert record(tmp_path)["offsite.minutes.pdf"]["signed"] is True


def test_a_certificate_whose_name_validators_cannot_read_is_refused_before_building(
    tmp_path: Path,
) -> None:
    write(tmp_path)
    key = make_key(tmp_path / "key.p12", name="Secrétaire du Conseil \N{LOWER LEFT FOUNTAIN PEN}")
    code, _, err = build(tmp_path, "-f", "pdf", "--sign", str(key))
    assert code == 1
    assert err.strip().splitlines() == [
        f"{key}: the signing certificate's name has a character validators cannot read (one "
        "newer than Unicode 3.2, such as an emoji): its signatures could not be checked"
    ]
    assert not (tmp_path / "out").exists()


def test_a_reader_named_with_combining_accents_finds_their_password_and_is_encrypted(
    tmp_path: Path,
) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Ana Núñez")
    (tmp_path / "offsite.yaml").write_text(
        f"recipients:\n  - name: {decomposed}\n" + MINIMAL_PACK, encoding="utf-8"
    )
    (tmp_path / "passwords.yaml").write_text('"Ana Núñez": "ana-secret-1"\n', encoding="utf-8")
    code, _, err = build(tmp_path, "-f", "pdf", "-f", "docx")
    assert code == 0, err
    readers = tmp_path / "out" / "offsite" / "recipients"
    (pdf,) = readers.glob("*.pdf")
    assert not opens_without_password(pdf)
    with pikepdf.open(pdf, password="ana-secret-1"):
        pass
    assert all(item["encrypted"] for item in record(tmp_path).values() if item["recipient"])
    code, out, _ = run("verify", str(pdf), "--passwords", str(tmp_path / "passwords.yaml"))
    assert (code, out.strip()) == (0, f"{pdf}: ok, encrypted")
