"""Harvesting readers' encrypted copies: ``harvest --passwords FILE`` (issue 31, item 4).

A reader's PDF comes back encrypted as ``build --passwords`` made it, their
Word copy encrypted as Word keeps it (ECMA-376 Agile, made here with
msoffcrypto-tool); harvest opens each with the password of its reader,
found by trying the passwords file's, and reads it as a plain copy.  An
encrypted copy it cannot open, or a damaged one, is one line at the copy,
nothing is written, and no password is ever shown.  The checkers cannot open
encrypted files, so the built copies are checked here once decrypted.
"""

from __future__ import annotations

import io
import shutil
import struct
import time
from pathlib import Path

import msoffcrypto
import pikepdf
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from msoffcrypto.method.ecma376_agile import ECMA376Agile

from checkers import assert_outputs_pass
from conftest import MINIMAL_PACK, run
from harvest_copies import fill_docx, harvested, refused

pytestmark = pytest.mark.unchecked_outputs("encrypted: checked after decrypting in the fixture")

READERS = "recipients:\n  - name: Jane Doe\n  - name: Omar Haddad\n"
JANE = "jane-secret-1"
OMAR = "omar-secret-2"
PASSWORDS = f'Jane Doe: "{JANE}"\nOmar Haddad:\n  password_env: OMAR_PASSWORD\n'
KEY = "strategy--direction"
ANSWER = f"answer:{KEY}"
FOLLOW_UP = f"follow-up:{KEY}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack with two readers, built with answer fields and their PDFs encrypted."""
    root = tmp_path_factory.mktemp("harvest-encrypted")
    (root / "offsite.yaml").write_text(READERS + MINIMAL_PACK, encoding="utf-8")
    (root / "passwords.yaml").write_text(PASSWORDS, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMAR_PASSWORD", OMAR)
        code, _, err = run(
            "build", str(root / "offsite.yaml"), "-o", str(root / "out"), "--answer-fields",
            "--per-recipient", "--no-sessions", "--passwords", str(root / "passwords.yaml"),
            "-f", "pdf", "-f", "docx", "-j", "1",
        )  # fmt: skip
    assert code == 0, err
    checked = root / "decrypted"
    checked.mkdir()
    for name, password in (("jane-doe", JANE), ("omar-haddad", OMAR)):
        (checked / f"{name}.pdf").write_bytes(plain_pdf(reader(root, name, "pdf"), password))
        (checked / f"{name}.docx").write_bytes(plain_word(reader(root, name, "docx"), password))
    shutil.copy(root / "out" / "offsite" / "offsite.pdf", checked)
    shutil.copy(root / "out" / "offsite" / "offsite.docx", checked)
    assert_outputs_pass(checked)
    return root


@pytest.fixture
def folder(built: Path, tmp_path: Path) -> Path:
    """A fresh folder with the pack and its passwords file, and no answers yet."""
    for name in ("offsite.yaml", "passwords.yaml"):
        shutil.copy(built / name, tmp_path / name)
    return tmp_path


@pytest.fixture(autouse=True)
def _omar(monkeypatch: pytest.MonkeyPatch) -> None:
    """Omar's password is in the environment, as the passwords file says."""
    monkeypatch.setenv("OMAR_PASSWORD", OMAR)


def reader(root: Path, name: str, suffix: str) -> Path:
    return root / "out" / "offsite" / "recipients" / f"{name}.{suffix}"


def plain_pdf(path: Path, password: str) -> bytes:
    with pikepdf.open(path, password=password) as pdf:
        assert pdf.is_encrypted
        output = io.BytesIO()
        pdf.save(output)
        return output.getvalue()


def plain_word(path: Path, password: str) -> bytes:
    """The reader's Word copy as a zip: decrypted, if the build encrypted it."""
    data = path.read_bytes()
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        return data
    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    office.load_key(password=password, verify_password=True)
    output = io.BytesIO()
    office.decrypt(output)
    return output.getvalue()


def filled_pdf(source: Path, target: Path, password: str, values: dict[str, str]) -> Path:
    """The reader's PDF with ``values`` typed in, saved encrypted as a reader's tool keeps it."""
    with pikepdf.open(source, password=password) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            if str(field.T) in values:
                field.V = pikepdf.String(values[str(field.T)])
        pdf.save(target, encryption=pikepdf.Encryption(user=password, owner="owner-1234", R=6))
    return target


def encrypted_word(data: bytes, password: str) -> bytes:
    output = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, output)
    return output.getvalue()


def filled_word(source: Path, target: Path, password: str, values: dict[str, str]) -> Path:
    """The reader's Word copy with ``values`` typed in (by field name), saved encrypted."""
    plain = target.with_name("plain.docx")
    plain.write_bytes(plain_word(source, password))
    tags = {f"briefpack:{name}": text for name, text in values.items()}
    fill_docx(plain, plain, tags)
    target.write_bytes(encrypted_word(plain.read_bytes(), password))
    plain.unlink()
    return target


def harvest(folder: Path, *args: str) -> tuple[int, str, str]:
    return run("harvest", *args, "--into", str(folder / "offsite.answers.yaml"))


def no_password_in(*texts: str) -> None:
    for text in texts:
        assert JANE not in text
        assert OMAR not in text


def test_readers_encrypted_pdfs_are_harvested_each_with_their_own_password(
    built: Path, folder: Path
) -> None:
    jane = filled_pdf(reader(built, "jane-doe", "pdf"), folder / "jane.pdf", JANE, {ANSWER: "Up"})
    omar = filled_pdf(
        reader(built, "omar-haddad", "pdf"), folder / "omar.pdf", OMAR, {FOLLOW_UP: "Check"}
    )
    passwords = str(folder / "passwords.yaml")
    code, out, err = harvest(folder, str(jane), str(omar), "--passwords", passwords)
    assert code == 0, err
    assert "2 filled fields read from 2 files; written" in out
    answer = harvested(folder / "offsite.answers.yaml").get(KEY)
    assert (answer.answer, answer.follow_up) == ("Up", "Check")
    assert answer.source == "omar.pdf"
    no_password_in(out, err, (folder / "offsite.answers.yaml").read_text(encoding="utf-8"))


def test_a_readers_encrypted_word_copy_is_harvested_with_the_passwords_file(
    built: Path, folder: Path
) -> None:
    filled = filled_word(
        reader(built, "omar-haddad", "docx"), folder / "omar.docx", OMAR, {ANSWER: "From Word"}
    )
    assert filled.read_bytes().startswith(b"\xd0\xcf\x11\xe0")  # a compound file, not a zip
    code, out, err = harvest(folder, str(filled), "--passwords", str(folder / "passwords.yaml"))
    assert code == 0, err
    assert harvested(folder / "offsite.answers.yaml").get(KEY).answer == "From Word"
    no_password_in(out, err)


def test_a_plain_copy_harvests_with_passwords_given_too(built: Path, folder: Path) -> None:
    plain = folder / "full.docx"
    fill_docx(built / "out" / "offsite" / "offsite.docx", plain, {f"briefpack:{ANSWER}": "Plain"})
    code, _, err = harvest(folder, str(plain), "--passwords", str(folder / "passwords.yaml"))
    assert code == 0, err
    assert harvested(folder / "offsite.answers.yaml").get(KEY).answer == "Plain"


@pytest.fixture(params=["pdf", "docx"])
def encrypted_copy(request: pytest.FixtureRequest, built: Path, folder: Path) -> Path:
    """Jane's copy, filled and encrypted with her password, in each format."""
    if request.param == "pdf":
        return filled_pdf(
            reader(built, "jane-doe", "pdf"), folder / "jane.pdf", JANE, {ANSWER: "X"}
        )
    return filled_word(reader(built, "jane-doe", "docx"), folder / "jane.docx", JANE, {ANSWER: "X"})


def test_an_encrypted_copy_without_passwords_is_refused_in_one_line(
    encrypted_copy: Path, folder: Path
) -> None:
    refused(
        [str(encrypted_copy)],
        folder / "offsite.answers.yaml",
        f"{encrypted_copy}: encrypted; give the passwords file with --passwords FILE",
    )
    assert not (folder / "offsite.answers.yaml").exists()


def test_an_encrypted_copy_no_password_opens_is_refused_without_showing_one(
    encrypted_copy: Path, folder: Path
) -> None:
    wrong = folder / "wrong.yaml"
    wrong.write_text(f'Omar Haddad: "{OMAR}"\nSomeone Else: "another-secret"\n', encoding="utf-8")
    refused(
        [str(encrypted_copy), "--passwords", str(wrong)],
        folder / "offsite.answers.yaml",
        f"{encrypted_copy}: encrypted, and none of the passwords in {wrong} opens it",
    )
    code, out, err = harvest(folder, str(encrypted_copy), "--passwords", str(wrong))
    assert code == 1
    assert err.count("\n") == 1
    no_password_in(out, err)
    assert "another-secret" not in out + err


def test_the_passwords_file_is_read_as_builds_is_each_problem_at_its_line(
    encrypted_copy: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OMAR_PASSWORD")
    code, _, err = harvest(
        folder, str(encrypted_copy), "--passwords", str(folder / "passwords.yaml")
    )
    assert code == 1
    assert err.splitlines() == [
        f"{folder / 'passwords.yaml'}:3:17: the password of 'Omar Haddad' is in "
        "$OMAR_PASSWORD, which is not set"
    ]


def _table_bomb(data: bytes) -> bytes:
    """A 2.5 KB compound file listing 12,809 sector tables: olefile spent 17 to 33 s on it here.

    Its table lists (DIFAT) are one sector that lists sector 0 127 times and
    then itself as the next list, 100 times over.
    """
    bomb = bytearray(data[:512]) + bytearray(4 * 512)
    struct.pack_into("<109I", bomb, 0x4C, *([0] * 109))
    struct.pack_into("<I", bomb, 0x2C, 109 + 127 * 100)
    struct.pack_into("<II", bomb, 0x44, 1, 100)
    struct.pack_into("<128I", bomb, 1024, *([0] * 127), 1)
    return bytes(bomb)


def _flipped(data: bytes) -> bytes:
    """The encrypted package's last bytes changed: the right password opens a damaged zip."""
    changed = bytearray(data)
    for index in range(len(changed) - 20_000, len(changed) - 2_000, 7):
        changed[index] ^= 0x55
    return bytes(changed)


def _many_rounds(data: bytes) -> bytes:
    """Encrypted with 2,000,000 rounds of password hashing (the format allows 10,000,000: 13 s)."""
    return bytes(ECMA376Agile.encrypt(JANE, io.BytesIO(data), spin_count=2_000_000))


DAMAGED = "refused: it is damaged, or not an encrypted Word document"
#: Damaged encrypted Word copies, and the line each is refused with.
DAMAGED_WORD = {
    "cut in half": (lambda data: data[: len(data) // 2], DAMAGED),
    "header listing thousands of tables": (_table_bomb, DAMAGED),
    "no encryption inside": (lambda data: data[:8] + bytes(4096), DAMAGED),
    "package changed": (_flipped, None),
    "hashed too many times": (_many_rounds, "refused: its password is hashed over 1,000,000 times"),
}


@pytest.mark.parametrize("damage", DAMAGED_WORD)
def test_a_damaged_encrypted_word_copy_is_refused_in_one_line_at_once(
    built: Path, folder: Path, damage: str
) -> None:
    change, message = DAMAGED_WORD[damage]
    plain = plain_word(reader(built, "jane-doe", "docx"), JANE)
    if damage == "hashed too many times":
        data = change(plain)
    else:
        data = change(encrypted_word(plain, JANE))
    copy = folder / "jane.docx"
    copy.write_bytes(data)
    started = time.monotonic()
    code, out, err = harvest(folder, str(copy), "--passwords", str(folder / "passwords.yaml"))
    assert time.monotonic() - started < 10
    assert code == 1
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert err.startswith(f"{copy}: ")
    if message is not None:
        assert err.splitlines() == [f"{copy}: {message}"]
    no_password_in(out, err)
    assert not (folder / "offsite.answers.yaml").exists()


def test_a_damaged_encrypted_pdf_is_refused_in_one_line(built: Path, folder: Path) -> None:
    data = reader(built, "jane-doe", "pdf").read_bytes()
    copy = folder / "jane.pdf"
    copy.write_bytes(data[: len(data) // 3])
    code, out, err = harvest(folder, str(copy), "--passwords", str(folder / "passwords.yaml"))
    assert code == 1
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"{copy}: ")
    no_password_in(out, err)
    assert not (folder / "offsite.answers.yaml").exists()
