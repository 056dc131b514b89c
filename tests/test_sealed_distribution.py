"""Issue 31's "done when", end to end, on a pack that is not the bundled one.

A French pack over two days (the classic theme, letter paper, answer fields, a
tagged pre-read, names with accents) at version 4.2, with three readers, one of
them kept out of a session, is built once with ``--per-recipient --sign KEY
--passwords FILE`` (one password from an environment variable), PDF and Word.
Then, as a reader and an auditor would see it: every PDF validates in pyHanko
and passes ``page``'s PDF/UA-1, each reader's PDF opens with their password
only and is numbered on its cover, every page carries the version, and
``verify`` accepts every issued file and refuses copies altered after issue.

The output checkers cannot open an encrypted file, so each test here checks the
outputs it reads itself, after decrypting them.
"""

from __future__ import annotations

import functools
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from lxml import etree
from test_signing import PASSWORD, make_key, validate

from briefpack.build.signing import quiet_import

from checkers import accessibility_findings, claimed_profiles, docx_findings, is_pending
from conftest import run
from layout_rules import text_lines, upright_chars
from pdf_helpers import page_findings, page_texts
from pdf_makers import make_tagged_pdf

pytestmark = pytest.mark.unchecked_outputs(
    "readers' copies are encrypted: every output is checked in the tests, after decrypting"
)

PACK = """\
title: Séminaire du Conseil
subtitle: Stratégie et budget 2027
organisation: Société Générale d'Études
author: Secrétariat du Conseil
classification: Confidentiel
recipients:
  - name: Hélène Dubois
  - name: François Müller
    exclude: [remuneration]
  - name: Zoë Ångström
days:
  - date: 2026-11-16
    sessions:
      - title: Résultats du trimestre
        label: Séance 1
        start: "09:00"
        end: "10:30"
        speakers:
          - name: Éric Lefèvre
            role: Directeur financier
        questions:
          - title: Marge opérationnelle
            context: |
              La marge a **baissé** de deux points :

              1. coûts de l'énergie
              2. salaires
            question: Quelles mesures pour rétablir la marge ?
        attachments:
          - file: pre-reads/chiffres.pdf
            title: Chiffres du trimestre
      - title: Rémunération des dirigeants
        id: remuneration
        label: Séance 2
        start: "11:00"
        end: "12:00"
        questions:
          - title: Part variable
            question: La part variable est-elle alignée sur la stratégie ?
  - date: 2026-11-17
    sessions:
      - title: Plan stratégique
        label: Séance 3
        start: "09:30"
        end: "11:00"
        speakers:
          - name: Anaïs Côté
            role: Directrice de la stratégie
        questions:
          - title: Priorités
            question: Quelles sont les trois priorités pour 2027 ?
          - title: Risques
            context: Le marché allemand *ralentit*.
            question: Quel est le plan de repli ?
      - title: Questions diverses
        label: Séance 4
        start: "11:30"
        end: "12:00"
        questions:
          - title: Calendrier
            question: Quand se tient la prochaine réunion ?
options:
  language: fr
  theme: classic
  paper: letter
  answer_fields: true
  version: "4.2"
"""
#: One password is given in the file, one through an environment variable.
PASSWORDS = """\
Hélène Dubois: "hélène-secret-1"
François Müller:
  password_env: FRANCOIS_PDF_PASSWORD
Zoë Ångström: "zoë-geheim-3"
"""
SIGNER = "Secrétariat du Conseil"
REASON = f"Version 4.2 issued by {SIGNER}"
#: The footer's version line, in French, dated by the event's first day.
VERSION_LINE = "Version 4.2 · publiée le 16 nov. 2026"


@dataclass(frozen=True)
class Reader:
    name: str
    slug: str
    password: str
    copy: int


READERS = (
    Reader("Hélène Dubois", "helene-dubois", "hélène-secret-1", 1),
    Reader("François Müller", "francois-muller", "françois-secret-2", 2),
    Reader("Zoë Ångström", "zoe-angstrom", "zoë-geheim-3", 3),
)
BY_SLUG = {reader.slug: reader for reader in READERS}
#: Every file the build issues, as the distribution record names them.
PDFS = (
    "seminaire.pdf",
    "sessions/01-resultats-du-trimestre.pdf",
    "sessions/02-remuneration.pdf",
    "sessions/03-plan-strategique.pdf",
    "sessions/04-questions-diverses.pdf",
    *(f"recipients/{reader.slug}.pdf" for reader in READERS),
)
FILES = tuple(sorted([*PDFS, *(path.replace(".pdf", ".docx") for path in PDFS)]))


@dataclass(frozen=True)
class Sealed:
    folder: Path  # OUT/seminaire
    key: Path


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Sealed:
    """The pack built once, signed, with each reader's PDF encrypted for them."""
    root = tmp_path_factory.mktemp("sealed")
    (root / "pre-reads").mkdir()
    make_tagged_pdf(root / "pre-reads" / "chiffres.pdf")
    (root / "seminaire.yaml").write_text(PACK, encoding="utf-8")
    (root / "passwords.yaml").write_text(PASSWORDS, encoding="utf-8")
    key = make_key(root / "key.p12", name=SIGNER)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRANCOIS_PDF_PASSWORD", READERS[1].password)
        patch.setenv("BRIEFPACK_SIGN_PASSWORD", PASSWORD)
        code, _, err = run(
            "build",
            str(root / "seminaire.yaml"),
            "-o",
            str(root / "out"),
            *("-f", "pdf", "-f", "docx"),
            "--per-recipient",
            *("--sign", str(key)),
            *("--passwords", str(root / "passwords.yaml")),
        )
    assert code == 0, err
    # Nothing but, perhaps, the one line that says the Word copies are not encrypted.
    assert [line for line in err.splitlines() if "Word copies" not in line] == []
    return Sealed(root / "out" / "seminaire", key)


def reader_of(path: str) -> Reader | None:
    return BY_SLUG.get(Path(path).stem) if path.startswith("recipients/") else None


@functools.cache
def plain(path: Path, password: str = "") -> bytes:
    """The PDF's bytes, decrypted when it is encrypted (its permissions checked on the way)."""
    with pikepdf.open(path, password=password) as pdf:
        if not pdf.is_encrypted:
            return path.read_bytes()
        # PDF/UA: assistive technology must be allowed to read an encrypted file.
        assert pdf.allow.accessibility, path
        output = io.BytesIO()
        pdf.save(output)
        return output.getvalue()


@functools.cache
def texts(data: bytes) -> tuple[str, ...]:
    """The text of every page (read once per file: several tests read the same PDFs)."""
    return tuple(page_texts(data))


def opened(sealed: Sealed, path: str) -> bytes:
    """A PDF of the distribution as its holder reads it: with their password, if it has one."""
    reader = reader_of(path)
    return plain(sealed.folder / path, reader.password if reader else "")


def signature_of(data: bytes, password: str) -> tuple[Any, Any]:
    """pyHanko's validation of an encrypted PDF's one signature, once opened with the password."""
    with quiet_import():
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data))
    reader.decrypt(password)
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[signature.signer_cert])
    return signature, validate_pdf_signature(signature, context)


def test_the_record_lists_every_file_with_its_reader_copy_version_and_seal(
    sealed: Sealed,
) -> None:
    record = json.loads((sealed.folder / "distribution.json").read_text(encoding="utf-8"))
    files = {item["path"]: item for item in record["files"]}
    assert sorted(files) == list(FILES)
    for path, item in files.items():
        reader = reader_of(path)
        assert item["version"] == "4.2", path
        assert item["recipient"] == (reader.name if reader else None), path
        assert item["copy"] == ({"number": reader.copy, "of": 3} if reader else None), path
        assert item["signed"] == path.endswith(".pdf"), path
        if path.endswith(".pdf"):
            assert item["encrypted"] == (reader is not None), path
        else:
            # Whether the Word copies are encrypted is the build's choice; the record must be true.
            assert item["encrypted"] == (not zipfile.is_zipfile(sealed.folder / path)), path


def test_every_pdf_validates_in_pyhanko_with_the_version_in_its_reason(sealed: Sealed) -> None:
    certificate = pkcs12.load_key_and_certificates(sealed.key.read_bytes(), PASSWORD.encode())[1]
    assert certificate is not None
    for path in PDFS:
        data = (sealed.folder / path).read_bytes()
        reader = reader_of(path)
        signature, status = signature_of(data, reader.password) if reader else validate(data)
        assert status.intact, path
        assert status.valid, path
        assert status.coverage.name == "ENTIRE_FILE", path
        assert signature.sig_object["/Reason"] == REASON, path
        assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached", path
        assert signature.signer_cert.dump() == certificate.public_bytes(Encoding.DER), path


def test_every_pdf_passes_pdf_ua_1_in_page_with_no_findings(sealed: Sealed) -> None:
    found = {}
    for path in PDFS:
        data = opened(sealed, path)
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert "ua1" in claimed_profiles(pdf), path
            assert str(pdf.Root.Lang) == "fr", path
        if findings := page_findings(data):
            found[path] = findings
    assert found == {}


def test_each_readers_pdf_opens_with_their_own_password_and_no_other(sealed: Sealed) -> None:
    for reader in READERS:
        path = sealed.folder / "recipients" / f"{reader.slug}.pdf"
        others = [other.password for other in READERS if other != reader]
        for wrong in ["", *others]:
            with pytest.raises(pikepdf.PasswordError):
                pikepdf.open(path, password=wrong)
        with pikepdf.open(path, password=reader.password) as pdf:
            assert pdf.encryption.stream_method.name == "aesv3"
            assert pdf.encryption.bits == 256
    for path in PDFS:
        if reader_of(path) is None:
            with pikepdf.open(sealed.folder / path) as pdf:
                assert not pdf.is_encrypted, path


def test_each_readers_cover_says_copy_n_of_3_in_french_and_names_them(sealed: Sealed) -> None:
    for reader in READERS:
        cover = texts(opened(sealed, f"recipients/{reader.slug}.pdf"))[0]
        assert f"Exemplaire {reader.copy} sur 3 · Préparé pour {reader.name}" in cover
        assert "Copy" not in cover
    for path in PDFS:
        if reader_of(path) is None:
            assert "Exemplaire" not in texts(opened(sealed, path))[0], path


def test_a_reader_kept_out_of_a_session_never_sees_it(sealed: Sealed) -> None:
    for reader in READERS:
        text = " ".join(texts(opened(sealed, f"recipients/{reader.slug}.pdf")))
        sees = reader.slug != "francois-muller"
        assert ("Rémunération des dirigeants" in text) == sees
        assert ("Part variable" in text) == sees
        assert ("2 jours, 4 sessions" if sees else "2 jours, 3 sessions") in text


def footer_lines(data: bytes) -> list[str]:
    """Each page's footer, read from the bottom tenth of the page (the reader's mark left out)."""
    lines = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            assert (page.width, page.height) == (612, 792)  # letter paper
            bottom = [c for c in upright_chars(page) if c["top"] >= 0.9 * float(page.height)]
            lines.append(" ".join(text_lines(bottom)))
    return lines


def test_the_footer_of_every_page_of_every_pdf_shows_the_version(sealed: Sealed) -> None:
    for path in PDFS:
        data = opened(sealed, path)
        pages = texts(data)
        assert all(VERSION_LINE in text for text in pages), path
        # The cover says it under its dates; every later page in its footer, by its number.
        footers = footer_lines(data)
        total = len(footers)
        assert total == len(pages), path
        for number, footer in enumerate(footers[1:], start=2):
            assert footer.endswith(f"{VERSION_LINE} · Page {number} sur {total}"), (path, footer)
    # Pre-read pages too: that session's pack is its cover, its question, a divider, and the
    # pre-read's two pages.
    assert len(texts(opened(sealed, "sessions/01-resultats-du-trimestre.pdf"))) == 5


def verify(*paths: Path) -> tuple[int, list[str]]:
    code, out, _ = run("verify", *map(str, paths))
    return code, out.splitlines()


def test_verify_accepts_every_file_of_the_distribution_record(sealed: Sealed) -> None:
    code, lines = verify(*(sealed.folder / path for path in FILES))
    assert code == 0, lines
    expected = []
    for path in FILES:
        if path.endswith(".docx"):
            encrypted = not zipfile.is_zipfile(sealed.folder / path)
            found = "ok, encrypted" if encrypted else "ok"
        elif reader_of(path):
            found = "ok, encrypted and signed"
        else:
            found = f"ok, signature valid: {REASON}"
        expected.append(f"{sealed.folder / path}: {found}")
    assert lines == expected


def received(sealed: Sealed, tmp_path: Path, path: str, data: bytes) -> Path:
    """``data`` as the copy of ``path`` someone holds, beside a copy of the record."""
    folder = tmp_path / "received" / "seminaire"
    (folder / path).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sealed.folder / "distribution.json", folder / "distribution.json")
    (folder / path).write_bytes(data)
    return folder / path


def one_byte_changed(data: bytes) -> bytes:
    """The space in an object's ``N 0 obj`` made a line break: one byte, still a PDF."""
    at = data.index(b" 0 obj", len(data) // 3)
    return data[:at] + b"\n" + data[at + 1 :]


@pytest.mark.parametrize(
    ("path", "note"),
    [("seminaire.pdf", " (signature broken)"), ("recipients/zoe-angstrom.pdf", "")],
    ids=["signed", "encrypted"],
)
def test_verify_refuses_a_copy_with_one_byte_changed(
    sealed: Sealed, tmp_path: Path, path: str, note: str
) -> None:
    data = one_byte_changed((sealed.folder / path).read_bytes())
    copy = received(sealed, tmp_path, path, data)
    reader = reader_of(path)
    with pikepdf.open(copy, password=reader.password if reader else "") as pdf:
        assert len(pdf.pages) == len(texts(opened(sealed, path)))
    assert verify(copy) == (1, [f"{copy}: changed since it was issued{note}"])


def resaved_encrypted(source: Path, password: str) -> bytes:
    output = io.BytesIO()
    with pikepdf.open(source, password=password) as pdf:
        pdf.save(output, encryption=pikepdf.Encryption(user=password, owner=password, R=6))
    return output.getvalue()


def test_verify_refuses_a_copy_re_saved_by_another_tool(sealed: Sealed, tmp_path: Path) -> None:
    output = io.BytesIO()
    with pikepdf.open(sealed.folder / "seminaire.pdf") as pdf:
        pdf.save(output)
    full = received(sealed, tmp_path, "seminaire.pdf", output.getvalue())
    reader = READERS[0]
    path = f"recipients/{reader.slug}.pdf"
    theirs = received(
        sealed, tmp_path, path, resaved_encrypted(sealed.folder / path, reader.password)
    )
    assert verify(full, theirs) == (
        1,
        [
            f"{full}: changed since it was issued (signature broken)",
            f"{theirs}: changed since it was issued",
        ],
    )


def appended_comment(data: bytes) -> bytes:
    return data + b"% a line added after signing\n"


def incremental_update(data: bytes) -> bytes:
    """An update another tool appends: the document's language changed to German."""
    with quiet_import():
        from pyhanko.pdf_utils.generic import NameObject, TextStringObject
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    writer.root[NameObject("/Lang")] = TextStringObject("de")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    assert output.getvalue().startswith(data)
    return output.getvalue()


@pytest.mark.parametrize(
    "append", [appended_comment, incremental_update], ids=["a comment", "an incremental update"]
)
def test_verify_refuses_a_signed_copy_with_bytes_appended(
    sealed: Sealed, tmp_path: Path, append: Callable[[bytes], bytes]
) -> None:
    path = "sessions/03-plan-strategique.pdf"
    copy = received(sealed, tmp_path, path, append((sealed.folder / path).read_bytes()))
    code, lines = verify(copy)
    assert code == 1
    assert lines == [
        f"{copy}: changed since it was issued "
        f"(signature intact, but the file was changed after signing ({REASON}))"
    ]


def word_copy(path: Path, password: str | None, folder: Path) -> Path:
    """The Word file as its reader opens it: a zip as it is, an encrypted one decrypted."""
    if zipfile.is_zipfile(path):
        return path
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", f"{path}: not a .docx"
    assert password is not None, f"{path}: encrypted, but it is nobody's copy"
    msoffcrypto = pytest.importorskip("msoffcrypto")
    with path.open("rb") as source:
        office = msoffcrypto.OfficeFile(source)
        office.load_key(password=password)
        decrypted = folder / path.name
        with decrypted.open("wb") as target:
            office.decrypt(target)
    return decrypted


def document_text(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(etree.fromstring(archive.read(part)).itertext())


def test_every_word_copy_passes_openxml_audit_and_shows_the_version(
    sealed: Sealed, tmp_path: Path
) -> None:
    found = {}
    for path in FILES:
        if not path.endswith(".docx"):
            continue
        reader = reader_of(path)
        docx = word_copy(sealed.folder / path, reader.password if reader else None, tmp_path)
        findings = docx_findings(docx) + [
            finding for finding in accessibility_findings(docx) if not is_pending(finding)
        ]
        if findings:
            found[path] = findings
        with zipfile.ZipFile(docx) as archive:
            footers = [name for name in archive.namelist() if name.startswith("word/footer")]
        assert any(VERSION_LINE in document_text(docx, name) for name in footers), path
        if reader:
            body = document_text(docx, "word/document.xml")
            assert f"Exemplaire {reader.copy} sur 3 · Préparé pour {reader.name}" in body
    assert found == {}
