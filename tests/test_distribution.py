"""The distribution record and ``briefpack verify`` (issue 31, item 5).

``OUT/NAME/distribution.json`` lists every file issued with its SHA-256, whose copy it
is and which version; ``verify`` says of each file, in one line, whether it is the one
issued, and fails when any is not.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import MINIMAL_PACK, run

READERS = "recipients:\n  - name: Jane Doe\n  - name: Omar Haddad\n"


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small pack at version 2 with two readers, built once: its output folder."""
    root = tmp_path_factory.mktemp("distribution")
    pack = root / "offsite.yaml"
    pack.write_text(READERS + MINIMAL_PACK + 'options:\n  version: "2"\n', encoding="utf-8")
    code, _, err = run("build", str(pack), "-o", str(root / "out"), "--per-recipient")
    assert code == 0, err
    return root / "out" / "offsite"


def record(folder: Path) -> dict[str, dict[str, object]]:
    data = json.loads((folder / "distribution.json").read_text(encoding="utf-8"))
    return {item["path"]: item for item in data["files"]}


def test_the_record_lists_every_output_with_its_hash_reader_copy_and_version(
    issued: Path,
) -> None:
    files = record(issued)
    manifest = json.loads((issued / "manifest.json").read_text(encoding="utf-8"))
    assert set(files) == {entry["path"] for entry in manifest["outputs"]}
    for path, item in files.items():
        assert item["sha256"] == hashlib.sha256((issued / path).read_bytes()).hexdigest()
        assert item["version"] == "2"
        assert item["signed"] is False
        assert item["encrypted"] is False
    jane = files["recipients/jane-doe.pdf"]
    assert jane["recipient"] == "Jane Doe"
    assert jane["copy"] == {"number": 1, "of": 2}
    assert files["recipients/omar-haddad.docx"]["copy"] == {"number": 2, "of": 2}
    assert files["offsite.pdf"]["recipient"] is None
    assert files["offsite.pdf"]["copy"] is None


def test_the_record_is_sorted_and_unchanged_by_a_build_with_nothing_to_do(issued: Path) -> None:
    before = (issued / "distribution.json").read_bytes()
    stamp = (issued / "distribution.json").stat().st_mtime_ns
    pack = issued.parent.parent / "offsite.yaml"
    code, _, err = run("build", str(pack), "-o", str(issued.parent), "--per-recipient")
    assert code == 0, err
    assert (issued / "distribution.json").read_bytes() == before
    assert (issued / "distribution.json").stat().st_mtime_ns == stamp
    paths = [item["path"] for item in json.loads(before)["files"]]
    assert paths == sorted(paths)


def test_verify_accepts_every_issued_file(issued: Path) -> None:
    files = sorted(str(issued / path) for path in record(issued))
    code, out, _ = run("verify", *files)
    assert code == 0, out
    assert out.splitlines() == [f"{path}: ok" for path in files]


def test_verify_refuses_a_copy_with_one_byte_changed(issued: Path, tmp_path: Path) -> None:
    copy = issued / "recipients" / "tampered.pdf"
    data = bytearray((issued / "offsite.pdf").read_bytes())
    data[len(data) // 2] ^= 1
    target = issued / "offsite.docx"
    original = target.read_bytes()
    changed = bytearray(original)
    changed[100] ^= 1
    try:
        target.write_bytes(bytes(changed))
        copy.write_bytes(bytes(data))
        code, out, _ = run("verify", str(issued / "offsite.pdf"), str(target), str(copy))
    finally:
        target.write_bytes(original)
        copy.unlink()
    assert code == 1
    assert out.splitlines() == [
        f"{issued / 'offsite.pdf'}: ok",
        f"{target}: changed since it was issued",
        f"{copy}: not in the distribution record, and no file in it has its SHA-256",
    ]


def test_verify_says_when_there_is_no_record_above_a_file(tmp_path: Path) -> None:
    stray = tmp_path / "stray.pdf"
    stray.write_bytes(b"%PDF-1.7\n")
    code, out, _ = run("verify", str(stray), str(tmp_path / "missing.pdf"))
    assert code == 1
    assert out.splitlines() == [
        f"{stray}: no distribution.json found above it; name one with --record",
        f"{tmp_path / 'missing.pdf'}: no such file",
    ]


def test_a_copy_from_elsewhere_is_found_by_its_hash_in_a_named_record_and_names_its_reader(
    issued: Path, tmp_path: Path
) -> None:
    downloaded = tmp_path / "Downloads" / "board pack.pdf"
    downloaded.parent.mkdir()
    downloaded.write_bytes((issued / "recipients" / "omar-haddad.pdf").read_bytes())
    renamed = issued / "sessions" / "renamed.docx"
    renamed.write_bytes((issued / "recipients" / "jane-doe.docx").read_bytes())
    stranger = tmp_path / "other.pdf"
    stranger.write_bytes(b"%PDF-1.7\n% not issued\n")
    try:
        code, out, _ = run(
            "verify", str(downloaded), str(renamed), str(stranger),
            "--record", str(issued / "distribution.json"),
        )  # fmt: skip
    finally:
        renamed.unlink()
    assert code == 1
    assert out.splitlines() == [
        f"{downloaded}: ok; issued as recipients/omar-haddad.pdf (Omar Haddad, copy 2 of 2)",
        f"{renamed}: ok; issued as recipients/jane-doe.docx (Jane Doe, copy 1 of 2)",
        f"{stranger}: not in the distribution record, and no file in it has its SHA-256",
    ]


@pytest.mark.parametrize(
    ("copy", "whose"),
    [
        ({"of": 3}, "(Jane Doe)"),
        ("2", "(Jane Doe)"),
        ({"number": "1", "of": 3}, "(Jane Doe)"),
        ({"number": True, "of": 3}, "(Jane Doe)"),
        ({"number": 2, "of": 3}, "(Jane Doe, copy 2 of 3)"),
    ],
)
def test_verify_names_the_reader_of_a_record_whose_copy_numbers_are_not_briefpacks(
    tmp_path: Path, copy: object, whose: str
) -> None:
    stray = tmp_path / "stray.pdf"
    stray.write_bytes(b"%PDF-1.7\n% a copy\n")
    digest = hashlib.sha256(stray.read_bytes()).hexdigest()
    entry = {"path": "a.pdf", "sha256": digest, "recipient": "Jane Doe", "copy": copy}
    foreign = tmp_path / "record" / "distribution.json"
    foreign.parent.mkdir()
    foreign.write_text(json.dumps({"files": [entry]}), encoding="utf-8")
    code, out, err = run("verify", str(stray), "--record", str(foreign))
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"{stray}: ok; issued as a.pdf {whose}"]


def test_verify_keeps_to_one_line_for_a_record_whose_reader_name_has_line_breaks(
    tmp_path: Path,
) -> None:
    stray = tmp_path / "stray.pdf"
    stray.write_bytes(b"%PDF-1.7\n% a copy\n")
    digest = hashlib.sha256(stray.read_bytes()).hexdigest()
    entry = {"path": "a.pdf", "sha256": digest, "recipient": "Jane\nother.pdf: ok\x1b[2K"}
    foreign = tmp_path / "distribution.json"
    foreign.write_text(json.dumps({"files": [entry]}), encoding="utf-8")
    code, out, _ = run("verify", str(stray), "--record", str(foreign))
    assert code == 0
    assert out.splitlines() == [f"{stray}: ok; issued as a.pdf (Jane other.pdf: ok [2K)"]


def unencrypted_key(path: Path) -> Path:
    """A PKCS#12 file saved without a password (``NoEncryption``), its certificate valid today."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Board Secretary")])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    none = serialization.NoEncryption()
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"k", key, cert, None, none))
    return path


def test_a_key_file_without_a_password_is_read_with_an_empty_sign_password(
    tmp_path: Path,
) -> None:
    from briefpack.build.request import signing_key

    key = signing_key(unencrypted_key(tmp_path / "key.p12"), {"BRIEFPACK_SIGN_PASSWORD": ""})
    assert key.name == "Board Secretary"


def test_a_key_file_without_a_password_is_read_when_enter_is_pressed_at_the_prompt(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from briefpack.build.request import signing_key

    path = unencrypted_key(tmp_path / "key.p12")
    with CliRunner().isolation(input="\n") as streams:
        key = signing_key(path, {})
        asked = streams[1].getvalue().decode()
    assert key.name == "Board Secretary"
    assert asked == f"Password for {path} (Enter if it has none): \n"


def test_a_wrong_sign_password_for_a_key_file_without_one_is_refused_in_one_line(
    tmp_path: Path,
) -> None:
    from briefpack.build.request import signing_key
    from briefpack.errors import BriefpackError

    path = unencrypted_key(tmp_path / "key.p12")
    with pytest.raises(BriefpackError) as raised:
        signing_key(path, {"BRIEFPACK_SIGN_PASSWORD": "wrong-password"})
    assert str(raised.value) == (
        f"{path}: cannot open the signing key: wrong password, or not a PKCS#12 (.p12) file"
    )


def test_a_record_not_as_briefpack_writes_it_never_crashes_verify_nor_adds_lines(
    issued: Path, tmp_path: Path
) -> None:
    data = (issued / "offsite.pdf").read_bytes()
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(data)
    forged = tmp_path / "forged.json"
    entry = {"path": "a\nb.pdf: ok", "sha256": hashlib.sha256(data).hexdigest(), "recipient": []}
    forged.write_text(json.dumps({"files": [entry]}), encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    passwords = tmp_path / "passwords.yaml"
    passwords.write_text('Jane Doe: "jane-secret-1"\n', encoding="utf-8")
    for options in ((), ("--passwords", str(passwords))):
        code, out, _ = run("verify", str(copy), "--record", str(forged), *options)
        assert (code, out.splitlines()) == (0, [f"{copy}: ok; issued as a b.pdf: ok"])
    code, out, _ = run("verify", str(copy), "--record", str(deep))
    assert (code, out.splitlines()) == (1, [f"{copy}: {deep} cannot be read"])
