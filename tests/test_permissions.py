"""What a reader may do with their encrypted PDF: ``options.permissions`` (issue 31, item 4).

Copying and printing may be forbidden (or printing limited to low
resolution) in the readers' encrypted copies; assistive technology may always
extract the text, as PDF/UA requires.  Only encryption binds a reader to
these, so a build that cannot hold them says so at ``permissions:``.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from test_encryption import OMAR, PASSWORDS, READERS, build, decrypted

from conftest import MINIMAL_PACK, run
from pdf_helpers import page_findings

pytestmark = pytest.mark.unchecked_outputs("encrypted: checked after decrypting in the test")

NO_COPY_LOW_PRINT = "  permissions:\n    copy: false\n    print: low\n"


def write(root: Path, permissions: str) -> None:
    (root / "offsite.yaml").write_text(
        READERS + MINIMAL_PACK + "options:\n" + permissions, encoding="utf-8"
    )
    (root / "passwords.yaml").write_text(PASSWORDS, encoding="utf-8")


def allowed(path: Path, password: str) -> pikepdf.Permissions:
    with pikepdf.open(path, password=password) as pdf:
        return pdf.allow


def test_a_readers_pdf_forbids_copying_and_prints_in_low_resolution_only(
    tmp_path: Path,
) -> None:
    write(tmp_path, NO_COPY_LOW_PRINT)
    code, _, err = build(tmp_path, "-f", "pdf")
    assert code == 0, err
    folder = tmp_path / "out" / "offsite"
    for name, password in (("jane-doe", "jane-secret-1"), ("omar-haddad", OMAR)):
        allow = allowed(folder / "recipients" / f"{name}.pdf", password)
        assert allow.accessibility
        assert not allow.extract
        assert allow.print_lowres
        assert not allow.print_highres
        assert not allow.modify_other
        assert not allow.modify_assembly
        assert allow.modify_form
        assert allow.modify_annotation
        data = decrypted(folder / "recipients" / f"{name}.pdf", password)
        assert page_findings(data) == []
    with pikepdf.open(folder / "offsite.pdf") as pdf:
        assert not pdf.is_encrypted


def test_by_default_a_reader_may_copy_and_print_in_full(tmp_path: Path) -> None:
    write(tmp_path, '  version: "1"\n')
    code, _, err = build(tmp_path, "-f", "pdf")
    assert code == 0, err
    allow = allowed(tmp_path / "out" / "offsite" / "recipients" / "jane-doe.pdf", "jane-secret-1")
    assert allow.accessibility
    assert allow.extract
    assert allow.print_lowres
    assert allow.print_highres


def test_new_permissions_re_encrypt_without_rendering(tmp_path: Path) -> None:
    write(tmp_path, NO_COPY_LOW_PRINT)
    code, _, err = build(tmp_path, "-f", "pdf")
    assert code == 0, err
    write(tmp_path, "  permissions:\n    print: none\n")
    code, out, err = build(tmp_path, "-f", "pdf")
    assert code == 0, err
    assert "0 written, 4 up to date" in out
    path = tmp_path / "out" / "offsite" / "recipients" / "omar-haddad.pdf"
    allow = allowed(path, OMAR)
    assert allow.extract
    assert allow.accessibility
    assert not allow.print_lowres
    assert not allow.print_highres
    code, out, _ = run("verify", str(path))
    assert (code, out.strip()) == (0, f"{path}: ok, encrypted")


def test_permissions_that_cannot_hold_are_named_at_their_line(tmp_path: Path) -> None:
    write(tmp_path, NO_COPY_LOW_PRINT)
    pack = tmp_path / "offsite.yaml"
    code, _, err = run("build", str(pack), "-o", str(tmp_path / "out"), "--per-recipient")
    assert code == 0, err
    line = pack.read_text(encoding="utf-8").splitlines().index("  permissions:") + 1
    where = f"{pack}:{line + 1}:5: warning: options.permissions"
    assert f"{where} holds only in encrypted copies" in err
    assert f"{where} cannot forbid copying or printing a Word copy" in err


def test_an_unknown_print_permission_is_refused_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "  permissions:\n    print: sometimes\n    cpy: false\n")
    pack = tmp_path / "offsite.yaml"
    code, _, err = run("validate", str(pack))
    assert code == 1
    line = pack.read_text(encoding="utf-8").splitlines().index("    print: sometimes") + 1
    assert err.splitlines()[:2] == [
        f"{pack}:{line}:12: 'print' must be full or low or none, not 'sometimes'",
        f"{pack}:{line + 1}:5: unknown key 'cpy' in permissions; did you mean 'copy'?",
    ]
