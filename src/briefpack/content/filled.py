"""Filled copies of a pack: the answers typed into its Word content controls or PDF fields.

Both formats name each field after its question's key (``answer:KEY`` and
``follow-up:KEY``), so a full pack, a session's pack and a recipient's pack
all read back the same way, and both carry the pack's identity
(:data:`briefpack.model.answers.IDENTITY_PACK`), which harvest compares with
the pack it files the answers for.

A filled copy comes from outside, so it is read defensively, and what is not
as briefpack wrote it is refused with one line at the file, never a
traceback: a zip that would unpack to more than :data:`MAX_UNPACKED_BYTES` (a
zip bomb posing as a .docx), XML that declares a DOCTYPE in any part, a PDF
that would act when opened, a field whose name briefpack never writes, and
PDF form fields that loop, nest deeper than :data:`MAX_FIELD_DEPTH` or number
more than :data:`MAX_FIELDS` (the fields are walked with a stack and a
visited set, never by recursion).  An encrypted copy is opened with its
reader's password (:mod:`briefpack.content.filled_unlock`), then read as a
plain one, through the same checks.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefpack.content.filled_unlock import Passwords, decrypted_word, is_encrypted_word, open_pdf
from briefpack.errors import BriefpackError, Problem
from briefpack.model.answers import (
    BOOKMARK_LETTERS,
    DIGEST_PREFIX,
    IDENTITY_PACK,
    IDENTITY_VERSION,
    KINDS,
    FieldKind,
)

#: Largest a filled .docx may unpack to, and most it may shrink by when packed.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
#: Largest filled file read at all.
MAX_FILLED_BYTES = 100 * 1024 * 1024
#: Deepest a PDF form field may sit under ``/Fields``: briefpack's are at the top.
MAX_FIELD_DEPTH = 32
#: Most form fields (and widgets) a filled PDF may have: two per question.
MAX_FIELDS = 50_000
_KIND_OF_LETTER = {letter: kind for kind, letter in BOOKMARK_LETTERS.items()}
TAG_PREFIX = "briefpack"
#: A bookmark briefpack writes before a field: ``bp``, its kind's letter, ``_`` and a key's digest.
_BOOKMARK = re.compile(r"bp([afodtc])_([0-9a-f]{16})")
_BOOKMARK_PREFIX = re.compile(r"bp[afodtc]_")
#: Longest a field's name is shown in a message.
_SHOWN = 80


@dataclass(frozen=True)
class Filled:
    """One field as a reader left it: its question's key, its kind and its text, trimmed."""

    key: str
    kind: FieldKind
    text: str
    #: The filled copy's file name, as the answers file records it.
    source: str
    #: The field's name as the copy spells it, and the copy's path: for messages.
    field: str = ""
    where: str = ""


@dataclass(frozen=True)
class FilledCopy:
    """A filled copy: the pack it says it is a copy of, and its fields."""

    where: str
    #: The pack's name and the answer fields' version it carries; ``None`` in a
    #: copy made before briefpack wrote them (or whose reader dropped them, or
    #: where it is not a text), which harvest refuses: it could be any pack's.
    pack: str | None
    version: str | None
    fields: tuple[Filled, ...]


def read_filled(path: Path, passwords: Passwords | None = None) -> FilledCopy:
    """Every answer field of the filled copy at ``path`` (.docx or .pdf), empty ones included.

    An encrypted copy is opened with one of ``passwords``; without them it is refused.
    """
    where = str(path)
    if not path.is_file():
        raise BriefpackError([Problem(where, "no such file")])
    if path.stat().st_size > MAX_FILLED_BYTES:
        raise BriefpackError([Problem(where, "too large to be a filled copy of a pack")])
    suffix = path.suffix.lower()
    if suffix == ".docx":
        copy = _from_docx(path, passwords)
    elif suffix == ".pdf":
        copy = _from_pdf(path, passwords)
    else:
        raise BriefpackError([Problem(where, "harvest reads filled .docx and .pdf copies only")])
    if not copy.fields:
        raise BriefpackError(
            [
                Problem(
                    where,
                    "has no answer fields of a briefpack pack; harvest the copies built "
                    "with --answer-fields (or options: {answer_fields: true})",
                )
            ]
        )
    return copy


def shown(name: str) -> str:
    """A name from a filled copy as a message shows it: quoted, escaped, never too long."""
    short = name if len(name) <= _SHOWN else name[:_SHOWN] + "…"
    return repr(short) if short.isprintable() else ascii(short)


# ---------------------------------------------------------------- Word


def _from_docx(path: Path, passwords: Passwords | None) -> FilledCopy:
    where = str(path)
    # The decrypted package is checked as a plain one is: sizes, ratio, DOCTYPEs.
    package = io.BytesIO(decrypted_word(path, passwords)) if is_encrypted_word(path) else path
    try:
        with zipfile.ZipFile(package) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
                raise BriefpackError(
                    [Problem(where, "refused: it would unpack to far more than a Word file holds")]
                )
            _refuse_doctypes(archive, where)
            document = archive.read("word/document.xml")
            names = set(archive.namelist())
            custom = archive.read(_CUSTOM) if _CUSTOM in names else None
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError,
            NotImplementedError, zlib.error) as error:  # fmt: skip
        raise BriefpackError([Problem(where, f"not a Word document ({error})")]) from None
    root = _parse_xml(document, where, "word/document.xml")
    fields = _docx_fields(root, path)
    identity = _docx_identity(_parse_xml(custom, where, _CUSTOM)) if custom is not None else {}
    return FilledCopy(
        where, identity.get(IDENTITY_PACK), identity.get(IDENTITY_VERSION), tuple(fields)
    )


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CUSTOM = "docProps/custom.xml"
_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
#: ``<!DOCTYPE`` as bytes in each encoding an XML part may use.
_DOCTYPES = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _refuse_doctypes(archive: zipfile.ZipFile, where: str) -> None:
    """Refuse a copy any of whose parts declares a DOCTYPE: Word never writes one.

    A DOCTYPE is how XML declares entities (billion laughs, external files),
    so it is refused outright, in every part, whether or not a part is read.
    """
    for entry in archive.infolist():
        data = archive.read(entry)
        if any(doctype in data for doctype in _DOCTYPES):
            raise BriefpackError(
                [Problem(where, f"refused: its part {shown(entry.filename)} declares a DOCTYPE")]
            )


def _parse_xml(data: bytes, where: str, part: str) -> Any:
    from lxml import etree  # type: ignore[import-untyped]

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise BriefpackError([Problem(where, f"its {part} is not valid XML ({error})")]) from None
    if root.getroottree().docinfo.doctype:
        raise BriefpackError([Problem(where, f"refused: its part {part} declares a DOCTYPE")])
    return root


def _docx_identity(root: Any) -> dict[str, str]:
    """The briefpack identity among the Word copy's custom properties."""
    found: dict[str, str] = {}
    for node in root.iter(_CUSTOM_NS + "property"):
        name = node.get("name")
        if name in (IDENTITY_PACK, IDENTITY_VERSION) and len(node):
            found[name] = "".join(node[0].itertext())
    return found


def _docx_fields(root: Any, path: Path) -> list[Filled]:
    where = str(path)
    fields = []
    # Where a word processor dropped the tags (LibreOffice does), the bookmark
    # before each field names its kind and a digest of its key.
    bookmark: tuple[FieldKind, str] | None = None
    for node in root.iter(_W + "sdt", _W + "bookmarkStart"):
        if node.tag == _W + "bookmarkStart":
            name = node.get(_W + "name") or ""
            if _BOOKMARK_PREFIX.match(name):
                match = _BOOKMARK.fullmatch(name)
                if match is None:
                    raise _not_ours(where, "bookmark", name)
                bookmark = (_KIND_OF_LETTER[match[1]], match[2])
            continue
        tag = node.find(f"{_W}sdtPr/{_W}tag")
        value = tag.get(_W + "val") if tag is not None else None
        parsed = _parse_name(value, tagged=True) if value is not None else None
        if value is not None and parsed is None and _looks_like_ours(value):
            raise _not_ours(where, "content control", value)
        label = value or ""
        if parsed is None and tag is None and bookmark is not None:
            parsed = (bookmark[0], DIGEST_PREFIX + bookmark[1])
            label = f"bp{BOOKMARK_LETTERS[bookmark[0]]}_{bookmark[1]}"
        bookmark = None
        if parsed is not None:
            text = _trimmed(_control_text(node))
            fields.append(Filled(parsed[1], parsed[0], text, path.name, label, where))
    return fields


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


# ---------------------------------------------------------------- PDF


def _from_pdf(path: Path, passwords: Passwords | None) -> FilledCopy:
    import pikepdf

    from briefpack.content.preread_files import active_content

    where = str(path)
    try:
        with open_pdf(path, passwords) as pdf:
            acting = [what for what in active_content(pdf) if what != "form fields"]
            if acting:
                raise BriefpackError([Problem(where, f"refused: it carries {', '.join(acting)}")])
            form = pdf.Root.get("/AcroForm")
            fields = []
            for name, value in _pdf_fields(form, where) if form is not None else []:
                parsed = _parse_name(name, tagged=False)
                if parsed is None:
                    raise _not_ours(where, "form field", name)
                fields.append(Filled(parsed[1], parsed[0], _trimmed(value), path.name, name, where))
            pack, version = _pdf_identity(pdf)
            return FilledCopy(where, pack, version, tuple(fields))
    except pikepdf.PdfError as error:
        raise BriefpackError([Problem(where, f"not a readable PDF ({error})")]) from None
    except RecursionError:
        # Nothing here recurses in Python, but a damaged file must never end in a traceback.
        raise BriefpackError([Problem(where, "refused: its structure nests too deeply")]) from None


def _pdf_identity(pdf: Any) -> tuple[str | None, str | None]:
    """The pack's name and the answer fields' version, from the document information."""
    import pikepdf

    info = pdf.trailer.get("/Info")
    if not isinstance(info, pikepdf.Dictionary):
        return None, None
    found = []
    for key in (IDENTITY_PACK, IDENTITY_VERSION):
        value = info.get("/" + key)
        found.append(str(value) if isinstance(value, pikepdf.String) else None)
    return found[0], found[1]


def _pdf_fields(form: Any, where: str) -> list[tuple[str, str]]:
    """Every terminal text field of the AcroForm ``form``: its full name and its value.

    Walked with a stack and a visited set: a ``/Kids`` loop, a field listed
    twice, nesting deeper than :data:`MAX_FIELD_DEPTH` and more than
    :data:`MAX_FIELDS` fields are refused.  A signature field (a reader adds one
    when the copy is signed) is no answer and is left alone.
    """
    import pikepdf

    if not isinstance(form, pikepdf.Dictionary):
        raise BriefpackError([Problem(where, "refused: its form is damaged (not a dictionary)")])
    if "/XFA" in form:
        raise BriefpackError([Problem(where, "refused: it carries an XFA form")])
    found: list[tuple[str, str]] = []
    seen: set[tuple[int, int]] = set()
    count = 0
    # (field, parent's full name, inherited field type, depth); popped in document order.
    stack: list[tuple[Any, str, Any, int]] = [
        (field, "", None, 1) for field in reversed(_array(form.get("/Fields"), where))
    ]
    while stack:
        field, parent, inherited, depth = stack.pop()
        if not isinstance(field, pikepdf.Dictionary):
            continue
        if field.is_indirect:
            if field.objgen in seen:
                raise BriefpackError(
                    [Problem(where, "refused: its form lists a field twice (a loop in /Kids)")]
                )
            seen.add(field.objgen)
        count += 1
        if depth > MAX_FIELD_DEPTH:
            message = f"its form fields nest over {MAX_FIELD_DEPTH} levels deep"
            raise BriefpackError([Problem(where, f"refused: {message}")])
        if count > MAX_FIELDS:
            message = f"its form has over {MAX_FIELDS:,} fields, far more than a pack has"
            raise BriefpackError([Problem(where, f"refused: {message}")])
        if "/T" not in field:
            continue  # a widget of its parent, not a field
        partial = field.get("/T")
        if not isinstance(partial, pikepdf.String):
            raise _not_ours(where, "form field", f"{parent}.?" if parent else "?")
        name = f"{parent}.{partial}" if parent else str(partial)
        kind = field.get("/FT", inherited)
        kids = [kid for kid in _array(field.get("/Kids"), where) if _is_field(kid)]
        if kids:
            stack += [(kid, name, kind, depth + 1) for kid in reversed(kids)]
        elif kind != pikepdf.Name.Sig:
            found.append((name, _field_text(field, kind, name, where)))
    return found


def _array(value: Any, where: str) -> list[Any]:
    import pikepdf

    if value is None:
        return []
    if not isinstance(value, pikepdf.Array):
        raise BriefpackError([Problem(where, "refused: its form is damaged (a list that is not)")])
    return list(value)


def _is_field(kid: Any) -> bool:
    import pikepdf

    return isinstance(kid, pikepdf.Dictionary) and "/T" in kid


def _field_text(field: Any, kind: Any, name: str, where: str) -> str:
    """A terminal field's text: empty where nothing was typed; a field not of text refused."""
    import pikepdf

    value = field.get("/V")
    if kind != pikepdf.Name.Tx or not (value is None or isinstance(value, pikepdf.String)):
        raise BriefpackError(
            [Problem(where, f"refused: the form field {shown(name)} is not a text field")]
        )
    return "" if value is None else str(value)


# ---------------------------------------------------------------- names and text


def _not_ours(where: str, what: str, name: str) -> BriefpackError:
    return BriefpackError(
        [Problem(where, f"refused: the {what} {shown(name)} is not one briefpack wrote")]
    )


def _parse_name(name: str, tagged: bool) -> tuple[FieldKind, str] | None:
    """``("answer", KEY)`` from the field name ``answer:KEY``, or the tag ``briefpack:answer:KEY``.

    Only the spelling briefpack writes: a PDF field is never tagged, a content
    control always is.  Whether KEY is a question of the pack is harvest's to say.
    """
    parts = name.split(":")
    if tagged:
        if len(parts) != 3 or parts[0] != TAG_PREFIX:
            return None
        parts = parts[1:]
    if len(parts) == 2 and parts[1]:
        for kind in KINDS:
            if parts[0] == kind:
                return kind, parts[1]
    return None


def _looks_like_ours(tag: str) -> bool:
    """Whether a content control's tag claims to be briefpack's: then it must be exactly so.

    A control of the reader's own (another tag, or none) is no answer and is left alone.
    The tag is compared folded (NFKC, case) and without spaces and invisible
    format characters, and any tag naming briefpack anywhere claims to be
    ours: a leading space, a zero-width space or a fullwidth colon would
    otherwise hide a forged field, and harvest would quietly read nothing.
    """
    folded = "".join(
        character
        for character in unicodedata.normalize("NFKC", tag).casefold()
        if unicodedata.category(character)[0] not in "ZC"
    )
    kinds = tuple(f"{kind}:" for kind in KINDS)
    return TAG_PREFIX in folded or folded.startswith(kinds)


def _trimmed(text: str) -> str:
    """The text as typed, line breaks as newlines, only the spaces and line ends around it removed.

    Readers write line breaks as CR or CRLF (in PDF field values, and in Word
    text a CR may be typed as one): an answers file holds newlines.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
