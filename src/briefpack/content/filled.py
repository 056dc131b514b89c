"""Filled copies of a pack: the answers typed into its Word content controls or PDF fields.

Both formats name each field after its question's key (``answer:KEY`` and
``follow-up:KEY``), so a full pack, a session's pack and a recipient's pack
all read back the same way.  A filled copy comes from outside, so it is read
defensively: a zip that would unpack to more than :data:`MAX_UNPACKED_BYTES`
(a zip bomb posing as a .docx), XML that declares entities, and a PDF that
would act when opened are refused with a clear error, never a traceback.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from briefpack.errors import BriefpackError, Problem
from briefpack.model.answers import DIGEST_PREFIX

#: Largest a filled .docx may unpack to, and most it may shrink by when packed.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
#: Largest filled file read at all.
MAX_FILLED_BYTES = 100 * 1024 * 1024
#: Field kinds, as the field names and the content controls' tags spell them.
FieldKind = Literal["answer", "follow-up"]
KINDS: tuple[FieldKind, ...] = ("answer", "follow-up")
TAG_PREFIX = "briefpack"


@dataclass(frozen=True)
class Filled:
    """One field as a reader left it: its question's key, its kind and its text, trimmed."""

    key: str
    kind: FieldKind
    text: str
    source: str


def read_filled(path: Path) -> list[Filled]:
    """Every answer field of the filled copy at ``path`` (.docx or .pdf), empty ones included."""
    where = str(path)
    if not path.is_file():
        raise BriefpackError([Problem(where, "no such file")])
    if path.stat().st_size > MAX_FILLED_BYTES:
        raise BriefpackError([Problem(where, "too large to be a filled copy of a pack")])
    suffix = path.suffix.lower()
    if suffix == ".docx":
        fields = _from_docx(path)
    elif suffix == ".pdf":
        fields = _from_pdf(path)
    else:
        raise BriefpackError([Problem(where, "harvest reads filled .docx and .pdf copies only")])
    if not fields:
        raise BriefpackError(
            [
                Problem(
                    where,
                    "has no answer fields of a briefpack pack; harvest the copies built "
                    "with --answer-fields (or options: {answer_fields: true})",
                )
            ]
        )
    return fields


def _from_docx(path: Path) -> list[Filled]:
    from lxml import etree  # type: ignore[import-untyped]

    where = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
                raise BriefpackError(
                    [Problem(where, "refused: it would unpack to far more than a Word file holds")]
                )
            document = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise BriefpackError([Problem(where, f"not a Word document ({error})")]) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(document, parser)
    except etree.XMLSyntaxError as error:
        raise BriefpackError([Problem(where, f"its document is not valid XML ({error})")]) from None
    fields = []
    # Where a word processor dropped the tags (LibreOffice does), the bookmark
    # before each field names its kind and a digest of its key.
    bookmark: tuple[FieldKind, str] | None = None
    for node in root.iter(_W + "sdt", _W + "bookmarkStart"):
        if node.tag == _W + "bookmarkStart":
            name = node.get(_W + "name") or ""
            if len(name) == 20 and name[:2] == "bp" and name[2] in "af" and name[3] == "_":
                bookmark = ("answer" if name[2] == "a" else "follow-up", name[4:])
            continue
        tag = node.find(f"{_W}sdtPr/{_W}tag")
        parsed = _parse_name(tag.get(_W + "val") if tag is not None else None)
        if parsed is None and tag is None and bookmark is not None:
            parsed = (bookmark[0], DIGEST_PREFIX + bookmark[1])
        bookmark = None
        if parsed is not None:
            fields.append(Filled(parsed[1], parsed[0], _trimmed(_control_text(node)), path.name))
    return fields


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _control_text(control: Any) -> str:
    """What was typed into a content control; nothing while it shows its placeholder.

    Paragraphs and line breaks become newlines, tabs tabs.
    """
    properties = control.find(_W + "sdtPr")
    if properties is not None and properties.find(_W + "showingPlcHdr") is not None:
        return ""
    content = control.find(_W + "sdtContent")
    if content is None:
        return ""
    paragraphs = list(content.iter(_W + "p")) or [content]
    lines = []
    for paragraph in paragraphs:
        parts = []
        for node in paragraph.iter(_W + "t", _W + "br", _W + "tab", _W + "cr"):
            if node.tag == _W + "t":
                parts.append(node.text or "")
            else:
                parts.append("\t" if node.tag == _W + "tab" else "\n")
        lines.append("".join(parts))
    return "\n".join(lines)


def _from_pdf(path: Path) -> list[Filled]:
    import pikepdf

    from briefpack.content.attachments import active_content

    where = str(path)
    try:
        with pikepdf.open(path) as pdf:
            acting = [what for what in active_content(pdf) if what != "form fields"]
            if acting:
                raise BriefpackError([Problem(where, f"refused: it carries {', '.join(acting)}")])
            form = pdf.Root.get("/AcroForm")
            fields = []
            for name, value in _pdf_fields(form.get("/Fields", []) if form is not None else []):
                parsed = _parse_name(name)
                if parsed is not None:
                    fields.append(Filled(parsed[1], parsed[0], _trimmed(value), path.name))
            return fields
    except pikepdf.PasswordError:
        raise BriefpackError([Problem(where, "needs a password to open")]) from None
    except pikepdf.PdfError as error:
        raise BriefpackError([Problem(where, f"not a readable PDF ({error})")]) from None


def _pdf_fields(fields: Any, parent: str = "") -> list[tuple[str, str]]:
    import pikepdf

    found: list[tuple[str, str]] = []
    for field in fields:
        if not isinstance(field, pikepdf.Dictionary):
            continue
        partial = str(field.get("/T", ""))
        name = f"{parent}.{partial}" if parent and partial else partial or parent
        value = field.get("/V")
        if isinstance(value, pikepdf.String):
            # Readers write line breaks as CR or CRLF in field values.
            text = str(value).replace("\r\n", "\n").replace("\r", "\n")
            found.append((name, text))
        elif value is None and "/Kids" not in field:
            found.append((name, ""))
        found += _pdf_fields(field.get("/Kids", []), name)
    return found


def _parse_name(name: str | None) -> tuple[FieldKind, str] | None:
    """``("answer", KEY)`` from ``answer:KEY`` or the tag ``briefpack:answer:KEY``."""
    if not name:
        return None
    parts = name.split(":")
    if len(parts) == 3 and parts[0] == TAG_PREFIX:
        parts = parts[1:]
    if len(parts) == 2 and parts[0] in KINDS and parts[1]:
        kind: FieldKind = "answer" if parts[0] == "answer" else "follow-up"
        return kind, parts[1]
    return None


def _trimmed(text: str) -> str:
    """The text as typed, with only the spaces and line ends around it removed."""
    return text.strip()
