"""Signed PDFs (issue 31, item 3): ``build --sign FILE.p12``.

Every PDF carries a PAdES B-B signature naming the version, appended as an
incremental update to the rendered bytes, in a signature field that is tagged and
described, so that the signed file still passes PDF/UA-1 (the autouse checker runs
``page`` on every PDF written here).  Tests make their own self-signed certificate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from briefpack.build.signing import quiet_import

from conftest import MINIMAL_PACK, run
from pdf_helpers import page_findings

PASSWORD = "correct horse"
READERS = "recipients:\n  - name: Jane Doe\n  - name: Omar Haddad\n"


def make_key(path: Path, name: str = "Board Secretary", start_days: int = -1) -> Path:
    """A PKCS#12 file with a new self-signed certificate, valid for 30 days from ``start_days``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=start_days)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(PASSWORD.encode())
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"k", key, cert, None, encryption))
    return path


def build(pack: Path, out: Path, *options: str) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFPACK_SIGN_PASSWORD", PASSWORD)
        return run("build", str(pack), "-o", str(out), "--per-recipient", "-v", *options)


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small pack at version 2 with two readers, built and signed: its output folder."""
    root = tmp_path_factory.mktemp("signing")
    pack = root / "offsite.yaml"
    pack.write_text(READERS + MINIMAL_PACK + 'options:\n  version: "2"\n', encoding="utf-8")
    code, _, err = build(pack, root / "out", "--sign", str(make_key(root / "key.p12")))
    assert code == 0, err
    return root / "out" / "offsite"


def validate(data: bytes) -> tuple[Any, Any]:
    """pyHanko's validation of the PDF's one signature, trusting its own certificate."""
    with quiet_import():
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

    signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert len(signatures) == 1
    context = ValidationContext(trust_roots=[signatures[0].signer_cert])
    return signatures[0], validate_pdf_signature(signatures[0], context)


def pdfs(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.pdf"))


def test_every_pdf_validates_with_the_version_and_signer_in_its_reason(signed: Path) -> None:
    assert len(pdfs(signed)) == 4
    for path in pdfs(signed):
        signature, status = validate(path.read_bytes())
        assert status.intact, path
        assert status.valid, path
        assert status.coverage.name == "ENTIRE_FILE"
        assert signature.sig_object["/Reason"] == "Version 2 issued by Board Secretary"
        assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_the_signature_is_an_update_appended_to_the_rendered_bytes(signed: Path) -> None:
    manifest = json.loads((signed / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["outputs"]:
        data = (signed / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        if entry["format"] == "pdf":
            rendered = data[: entry["rendered"]["size"]]
            assert hashlib.sha256(rendered).hexdigest() == entry["rendered"]["sha256"]
            assert len(data) > len(rendered)


def test_the_signature_field_is_tagged_and_described_for_pdf_ua(signed: Path) -> None:
    with pikepdf.open(signed / "recipients" / "jane-doe.pdf") as pdf:
        (field,) = pdf.Root.AcroForm.Fields
        assert str(field.TU)
        parents = pdf.Root.StructTreeRoot.ParentTree.Nums
        keys = [int(parents[index]) for index in range(0, len(parents), 2)]
        element = parents[2 * keys.index(int(field.StructParent)) + 1]
        assert element.S == "/Form"
        assert element.K.Type == "/OBJR"
        assert element.K.Obj.objgen == field.objgen


def test_the_record_says_which_files_are_signed_and_verify_checks_the_signatures(
    signed: Path,
) -> None:
    record = json.loads((signed / "distribution.json").read_text(encoding="utf-8"))
    assert {item["path"]: item["signed"] for item in record["files"]} == {
        "offsite.pdf": True,
        "offsite.docx": False,
        "sessions/01-strategy.pdf": True,
        "sessions/01-strategy.docx": False,
        "recipients/jane-doe.pdf": True,
        "recipients/jane-doe.docx": False,
        "recipients/omar-haddad.pdf": True,
        "recipients/omar-haddad.docx": False,
    }
    code, out, _ = run("verify", *map(str, pdfs(signed)))
    assert code == 0, out
    for line in out.splitlines():
        assert line.endswith(": ok, signature valid: Version 2 issued by Board Secretary")


@pytest.mark.unchecked_outputs("damaged on purpose: copies with a byte changed and re-saved")
def test_verify_refuses_one_changed_byte_and_a_copy_resaved_by_another_tool(
    signed: Path,
) -> None:
    original = signed / "recipients" / "jane-doe.pdf"
    data = bytearray(original.read_bytes())
    data[len(data) // 3] ^= 0x01
    changed = signed / "recipients" / "changed.pdf"
    resaved = signed / "recipients" / "resaved.pdf"
    try:
        changed.write_bytes(bytes(data))
        with pikepdf.open(original) as pdf:
            pdf.save(resaved)
        record = json.loads((signed / "distribution.json").read_text(encoding="utf-8"))
        # As if the changed copies were the ones named in the record.
        for name in ("changed", "resaved"):
            for item in record["files"]:
                if item["path"] == "recipients/jane-doe.pdf":
                    record["files"].append({**item, "path": f"recipients/{name}.pdf"})
                    break
        (signed / "distribution.json").write_text(json.dumps(record), encoding="utf-8")
        code, out, _ = run("verify", str(original), str(changed), str(resaved))
    finally:
        changed.unlink(missing_ok=True)
        resaved.unlink(missing_ok=True)
    assert code == 1
    ok, byte, saved = out.splitlines()
    assert ok.endswith(": ok, signature valid: Version 2 issued by Board Secretary")
    assert byte.startswith(f"{changed}: changed since it was issued (")
    assert saved.startswith(f"{resaved}: changed since it was issued (")
    assert "signature valid" not in byte + saved


def test_a_new_key_re_signs_without_rendering_and_no_key_unsigns(tmp_path: Path) -> None:
    pack = tmp_path / "offsite.yaml"
    pack.write_text(MINIMAL_PACK + 'options:\n  version: "2"\n', encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = build(pack, out, "-f", "pdf", "--sign", str(make_key(tmp_path / "a.p12")))
    assert code == 0, err
    first = (out / "offsite" / "offsite.pdf").read_bytes()
    key = make_key(tmp_path / "b.p12", name="Company Secretary")
    code, printed, err = build(pack, out, "-f", "pdf", "--sign", str(key))
    assert code == 0, err
    assert "0 written, 2 up to date" in printed
    again = (out / "offsite" / "offsite.pdf").read_bytes()
    signature, status = validate(again)
    assert status.intact
    assert signature.sig_object["/Reason"] == "Version 2 issued by Company Secretary"
    manifest = json.loads((out / "offsite" / "manifest.json").read_text(encoding="utf-8"))
    size = manifest["outputs"][0]["rendered"]["size"]
    assert again[:size] == first[:size]
    code, printed, err = build(pack, out, "-f", "pdf")
    assert code == 0, err
    assert "0 written, 2 up to date" in printed
    assert (out / "offsite" / "offsite.pdf").read_bytes() == first[:size]
    code, out_text, _ = run("verify", str(out / "offsite" / "offsite.pdf"))
    assert (code, out_text.strip()) == (0, f"{out / 'offsite' / 'offsite.pdf'}: ok")


def test_the_same_render_time_and_key_sign_to_the_same_bytes(tmp_path: Path) -> None:
    pack = tmp_path / "offsite.yaml"
    pack.write_text(MINIMAL_PACK + 'options:\n  version: "2"\n', encoding="utf-8")
    key = str(make_key(tmp_path / "key.p12"))
    signed = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1760000000")
        for name in ("one", "two"):
            code, _, err = build(pack, tmp_path / name, "-f", "pdf", "--sign", key)
            assert code == 0, err
            signed.append((tmp_path / name / "offsite" / "offsite.pdf").read_bytes())
    assert signed[0] == signed[1]
    signature, status = validate(signed[0])
    assert status.intact
    assert status.valid
    assert signature.sig_object["/M"] == "D:20251009085320Z"
    assert signature.self_reported_timestamp == dt.datetime.fromtimestamp(1760000000, dt.UTC)


def test_without_source_date_epoch_a_signature_states_the_time_it_was_made(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "offsite.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        code, _, err = build(
            pack, tmp_path / "out", "-f", "pdf", "--sign", str(make_key(tmp_path / "k.p12"))
        )
    assert code == 0, err
    signature, _ = validate((tmp_path / "out" / "offsite" / "offsite.pdf").read_bytes())
    assert before <= signature.self_reported_timestamp <= dt.datetime.now(dt.UTC)


@pytest.mark.parametrize(
    ("make", "password", "message"),
    [
        (make_key, "Tr0ub4dor&3", "cannot open the signing key: wrong password, or not a PKCS#12"),
        (lambda path: path.write_bytes(b"not a key") and path, PASSWORD, "not a PKCS#12"),
        (lambda path: make_key(path, start_days=-60), PASSWORD, "signing certificate is valid"),
    ],
    ids=["wrong password", "not a key", "expired"],
)
def test_an_unusable_key_stops_the_build_in_one_line_before_anything_is_written(
    tmp_path: Path, make: Any, password: str, message: str
) -> None:
    pack = tmp_path / "offsite.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    key = tmp_path / "key.p12"
    make(key)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFPACK_SIGN_PASSWORD", password)
        code, out, err = run("build", str(pack), "-o", str(tmp_path / "out"), "--sign", str(key))
    assert code == 1
    assert err.strip().splitlines() == [err.strip()]
    assert err.startswith(f"{key}: ")
    assert message in err
    assert password not in out + err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_signed_pdf_a_keeps_its_metadata_and_passes_pdf_a(tmp_path: Path) -> None:
    """pyHanko would rewrite the XMP, dropping the PDF/UA schema PDF/A declares."""
    pack = tmp_path / "offsite.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    options = ("-f", "pdf", "--no-sessions", "--pdf-variant", "pdf/a-2b")
    code, _, err = build(pack, out, *options)
    assert code == 0, err
    with pikepdf.open(out / "offsite" / "offsite.pdf") as pdf:
        rendered = bytes(pdf.Root.Metadata.read_bytes())
    code, _, err = build(pack, out, *options, "--sign", str(make_key(tmp_path / "key.p12")))
    assert code == 0, err
    with pikepdf.open(out / "offsite" / "offsite.pdf") as pdf:
        assert bytes(pdf.Root.Metadata.read_bytes()) == rendered
    assert page_findings(out / "offsite" / "offsite.pdf", "2b") == []
    validate((out / "offsite" / "offsite.pdf").read_bytes())


def test_an_untagged_pdf_is_signed_too(tmp_path: Path) -> None:
    pack = tmp_path / "offsite.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    key = str(make_key(tmp_path / "key.p12"))
    code, _, err = build(pack, out, "-f", "pdf", "--pdf-variant", "none", "--sign", key)
    assert code == 0, err
    _, status = validate((out / "offsite" / "offsite.pdf").read_bytes())
    assert status.intact


def test_a_pdf_that_cannot_be_signed_is_one_problem_and_keeps_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefpack.build.signing as signing

    def broken(writer: Any) -> None:
        raise KeyError("/StructTreeRoot")

    monkeypatch.setattr(signing, "_tag_field", broken)
    pack = tmp_path / "offsite.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    key = str(make_key(tmp_path / "key.p12"))
    code, _, err = build(pack, out, "-f", "pdf", "--no-sessions", "--sign", key)
    assert code == 1
    assert f"{out / 'offsite' / 'offsite.pdf'}: cannot sign the PDF: KeyError" in err
    assert "Traceback" not in err
    record = json.loads((out / "offsite" / "distribution.json").read_text(encoding="utf-8"))
    assert [item["signed"] for item in record["files"]] == [False]
