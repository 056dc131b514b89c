"""Filled copies for the harvest tests: the pack built with answer fields, filled in, harvested.

Shared by ``test_harvest_fields``, ``test_harvest_identity`` and
``test_harvest_sizes``: each module builds the copies once (its ``built``
fixture) and fills them in its own way.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
from lxml import etree

from conftest import BUNDLED_PACK, run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIRST = "devops-culture-at-amazon--observability-reliability-engineering"
SECOND = "agentcore--multi-agent-orchestration-at-scale"


#: Another pack that shares one question's key with the bundled pack (FIRST), and no other.
OTHER_PACK = """\
title: Another offsite
days:
  - date: 2026-03-02
    sessions:
      - title: DevOps Culture at Amazon
        start: "09:00"
        end: "10:00"
        questions:
          - title: Observability & Reliability Engineering
            question: Same key, another pack?
          - title: Budget
            question: How much?
"""
STORED = f"answers:\n  {SECOND}:\n    answer: Stored before\n"


def build_copies(root: Path) -> Path:
    """The bundled pack and OTHER_PACK in ``root/content``, built with answer fields to ``out``."""
    (root / "content").mkdir()
    shutil.copy(BUNDLED_PACK, root / "content" / "pack.yaml")
    (root / "content" / "other.yaml").write_text(OTHER_PACK, encoding="utf-8")
    code, _, err = run(
        "build", str(root / "content"), "-o", str(root / "out"), "--answer-fields",
        "--no-sessions", "-f", "pdf", "-f", "docx", "-j", "1",
    )  # fmt: skip
    assert code == 0, err
    return root


def answered_folder(copies: Path, folder: Path) -> Path:
    """``folder`` with the pack and an answers file already holding one answer."""
    shutil.copy(copies / "content" / "pack.yaml", folder / "pack.yaml")
    (folder / "pack.answers.yaml").write_text(STORED, encoding="utf-8")
    return folder


def fill_pdf(
    source: Path, target: Path, values: dict[str, str], edit: Callable[[Any], None] | None = None
) -> Path:
    """The PDF copy with ``values`` typed in (by field name), then changed by ``edit``."""
    with pikepdf.open(source) as pdf:
        for field in pdf.Root.AcroForm.Fields:
            name = str(field.get("/T"))
            if name in values:
                field.V = pikepdf.String(values[name])
        if edit is not None:
            edit(pdf)
        pdf.save(target)
    return target


def fill_docx(
    source: Path,
    target: Path,
    values: dict[str, str],
    edit: Callable[[str, bytes], bytes] | None = None,
) -> Path:
    """The Word copy with ``values`` typed in (by tag), each part then changed by ``edit``."""
    with zipfile.ZipFile(source) as archive:
        items = [(item.filename, archive.read(item.filename)) for item in archive.infolist()]
    output = []
    for name, data in items:
        if name == "word/document.xml":
            document = etree.fromstring(data)
            for control in document.iter(W + "sdt"):
                tag = control.find(f"{W}sdtPr/{W}tag").get(W + "val")
                if tag in values:
                    control.find(W + "sdtPr").remove(control.find(f"{W}sdtPr/{W}showingPlcHdr"))
                    texts = list(control.iter(W + "t"))
                    texts[0].text = values[tag]
            data = etree.tostring(document)
        output.append((name, edit(name, data) if edit is not None else data))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in output:
            archive.writestr(name, data)
    return target


def refused(args: list[str], answers: Path, message: str) -> None:
    """Harvest fails with ``message`` as a whole line, no traceback, the answers file untouched."""
    before = answers.read_bytes() if answers.exists() else None
    code, _, err = run("harvest", *args, "--into", str(answers))
    assert code == 1, err
    assert message in err.splitlines(), err
    assert "Traceback" not in err
    assert "<memory>" not in err
    assert (answers.read_bytes() if answers.exists() else None) == before
    leftovers = [p.name for p in answers.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def harvested(answers: Path) -> Any:
    from briefpack.content.answers_file import load_answers

    return load_answers(answers)
