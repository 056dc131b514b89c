"""Independent checkers of what briefpack writes: ``page`` for PDFs, ``openxml-audit`` for Word.

Word files also go through Word's Accessibility Checker's rules
(:mod:`word_accessibility`), written here from Microsoft's rule list since no
open-source tool checks them.

Neither was written for briefpack, so neither shares its blind spots:
``page`` (PyPI ``page-validation``) checks PDF/UA-1 and PDF/A, and passes the
veraPDF and Isartor corpora; ``openxml-audit`` ports Microsoft's Open XML SDK
validator and adds the cases where Word itself refuses or repairs a file.

A PDF is checked against every standard it claims, read from its XMP, and a
tagged briefpack PDF is always checked against PDF/UA-1, so that dropping a
claim cannot hide a failure.  Results are cached by the file's SHA-256 for the
whole test session: many tests build identical files, and openxml-audit takes
about half a second per file.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import page
import pikepdf
from lxml import etree
from openxml_audit import OpenXmlValidator
from word_accessibility import (
    CONTRAST,
    RULES,
    word_accessibility_findings,
)

#: XMP namespaces of the PDF/A and PDF/UA identification schemas.
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
#: How briefpack signs its PDFs (``/Creator``, XMP ``CreatorTool``) and Word copies
#: (the core properties' description, and ``briefpack`` as the application).
SIGNATURE = "briefpack "
EXTENDED_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

_cache: dict[tuple[str, str], list[str]] = {}
#: A folder the test processes of one run share (pytest-xdist's workers), where
#: each result is also kept, so that a file one worker checked is not checked
#: again by the other: most tests build the same few files.
_shared: list[Path] = []


def share_results_in(folder: Path) -> None:
    """Keep results in ``folder`` too, for the other processes of this run."""
    folder.mkdir(parents=True, exist_ok=True)
    _shared[:] = [folder]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cached(kind: str, path: Path, check: Callable[[Path], list[str]]) -> list[str]:
    key = (kind, _digest(path))
    if key not in _cache:
        kept = _shared[0] / f"{kind}-{key[1]}.json" if _shared else None
        if kept is not None and kept.exists():
            _cache[key] = json.loads(kept.read_text(encoding="utf-8"))
        else:
            _cache[key] = check(path)
            if kept is not None:
                # Whole or not at all: the other worker may read it at any moment.
                partial = kept.with_name(f"{kept.name}.{os.getpid()}")
                partial.write_text(json.dumps(_cache[key]), encoding="utf-8")
                partial.replace(kept)
    return list(_cache[key])


# ---------------------------------------------------------------- PDF


def claimed_profiles(pdf: pikepdf.Pdf) -> list[str]:
    """The ``page`` profiles a PDF claims in its XMP: ``ua1``, ``2b``, ``3u``…"""
    metadata = pdf.open_metadata(set_pikepdf_as_editor=False)
    claims = []
    if str(metadata.get(f"{{{PDFUAID}}}part", "")).strip() == "1":
        claims.append("ua1")
    part = str(metadata.get(f"{{{PDFAID}}}part", "")).strip()
    if part:
        conformance = str(metadata.get(f"{{{PDFAID}}}conformance", "B")).strip().lower()
        claims.append(f"{part}{conformance or 'b'}")
    return claims


def is_briefpack_pdf(pdf: pikepdf.Pdf) -> bool:
    """Whether briefpack wrote this PDF (its ``/Creator`` or XMP ``CreatorTool``)."""
    creator = str(pdf.docinfo.get("/Creator", ""))
    if creator.startswith(SIGNATURE):
        return True
    metadata = pdf.open_metadata(set_pikepdf_as_editor=False)
    return str(metadata.get("xmp:CreatorTool", "")).startswith(SIGNATURE)


def _is_tagged(pdf: pikepdf.Pdf) -> bool:
    mark = pdf.Root.get("/MarkInfo")
    marked = mark is not None and bool(mark.get("/Marked", False))
    return marked or "/StructTreeRoot" in pdf.Root


def _failures(path: Path, profile: str) -> list[str]:
    try:
        report = page.validate_pdf(path, profile=profile)
    except page.PageError as error:
        return [f"{profile}: page could not read the file: {error}"]
    lines = []
    for failure in report.failures:
        where = failure.object_id
        at = f" (object {where.object_number} {where.generation})" if where else ""
        lines.append(f"{failure.rule_id}: {failure.message}{at}")
    # The same rule broken by many objects is read once per object; keep each line once.
    return list(dict.fromkeys(lines))


def _check_pdf(path: Path) -> list[str]:
    try:
        with pikepdf.open(path) as pdf:
            claims = claimed_profiles(pdf)
            ours = is_briefpack_pdf(pdf)
            tagged = _is_tagged(pdf)
    except (pikepdf.PdfError, pikepdf.PasswordError) as error:
        return [f"not a readable PDF: {error}"]
    findings = []
    if ours and tagged and "ua1" not in claims:
        # Every tagged variant briefpack writes (PDF/A too) claims PDF/UA-1.
        findings.append("briefpack PDF is tagged but does not claim PDF/UA-1 in its XMP")
    profiles = list(claims)
    if tagged and "ua1" not in profiles:
        # Every tagged PDF must be readable aloud, whatever it claims.
        profiles.append("ua1")
    for profile in profiles:
        findings.extend(_failures(path, profile))
    return findings


def pdf_findings(path: Path | str) -> list[str]:
    """What ``page`` finds wrong with a PDF, one readable line per rule and object.

    Checked against every standard its XMP claims (``pdfuaid:part`` 1 gives
    PDF/UA-1, ``pdfaid`` part and conformance give ``2b``, ``3u``…), and a
    tagged PDF against PDF/UA-1 even without the claim.  An untagged PDF that
    claims nothing (``--pdf-variant none``) has nothing to fail; a tagged
    briefpack PDF that does not claim PDF/UA-1 is itself a finding.  Empty
    means it passed.
    """
    return _cached("pdf", Path(path), _check_pdf)


# ---------------------------------------------------------------- Word


def _check_docx(path: Path) -> list[str]:
    result = OpenXmlValidator().validate(path)
    return [
        f"{error.id or error.error_type.value} [{error.source_class.value}] "
        f"{error.part_uri}{':' + error.path if error.path else ''}: {error.description}"
        for error in result.errors
    ]


def docx_findings(path: Path | str) -> list[str]:
    """Everything openxml-audit reports in a Word file (every severity, Word's app-compat too).

    Empty means it passed.
    """
    return _cached("docx", Path(path), _check_docx)


#: Word accessibility rules whose findings are reported but fail no test yet,
#: each with the fix it waits for (tests/test_word_accessibility.py holds
#: briefpack's own copies to every rule but these, and marks what is left as
#: strict xfails).  ``BRIEFPACK_WORD_RULES=all`` makes them fail too.
PENDING_WORD_RULES: dict[str, str] = {
    CONTRAST: "python-docx's template, which the tests use as a company template, colours "
    "Heading 2 and 3 #4F81BD (4.0:1 on white): the template's look, kept as it is",
}
assert set(PENDING_WORD_RULES) <= set(RULES), "a pending rule that no check has"
#: Where the pending rules' findings are listed, in the folder results are shared in.
PENDING_LOG = "word-accessibility-pending.txt"


def accessibility_findings(path: Path | str) -> list[str]:
    """What Word's Accessibility Checker's rules find in a Word file, pending rules included."""
    # Without a language given, the document's dc:language is the one its styles must have.
    return _cached("word-a11y", Path(path), word_accessibility_findings)


def is_pending(finding: str) -> bool:
    """Whether ``finding`` is of a rule that is reported but fails nothing yet."""
    if os.environ.get("BRIEFPACK_WORD_RULES") == "all":
        return False
    return finding.split(":", 1)[0] in PENDING_WORD_RULES


def _word_findings(path: Path) -> list[str]:
    found = accessibility_findings(path)
    pending = [finding for finding in found if is_pending(finding)]
    if pending and _shared:
        with (_shared[0] / PENDING_LOG).open("a", encoding="utf-8") as log:
            log.writelines(f"{path}: {finding}\n" for finding in pending)
    return docx_findings(path) + [finding for finding in found if not is_pending(finding)]


def is_briefpack_docx(path: Path) -> bool:
    """Whether briefpack wrote this Word file, and no other program saved it since.

    Briefpack names itself as the application (``docProps/app.xml``) and says
    ``Made with briefpack`` in the core properties; Word and LibreOffice keep
    the description but write their own name when they save a copy (a filled
    copy saved by LibreOffice is a test's input, not briefpack's output).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            core = etree.fromstring(archive.read("docProps/core.xml"))
            application = etree.fromstring(archive.read("docProps/app.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return False
    description = core.findtext("{http://purl.org/dc/elements/1.1/}description") or ""
    made_by = application.findtext(f"{{{EXTENDED_PROPERTIES}}}Application") or ""
    return description.startswith(f"Made with {SIGNATURE}") and made_by == SIGNATURE.strip()


def _is_briefpack_pdf_file(path: Path) -> bool:
    try:
        with pikepdf.open(path) as pdf:
            return is_briefpack_pdf(pdf)
    except (pikepdf.PdfError, pikepdf.PasswordError):
        # Damaged, and perhaps ours: checked, so that the damage is reported.
        return path.read_bytes()[:1024].find(SIGNATURE.encode()) >= 0


# ---------------------------------------------------------------- folders


def briefpack_outputs(folder: Path) -> Iterator[Path]:
    """Every PDF and Word file under ``folder`` that briefpack wrote, test inputs left out.

    Pre-reads made by ``tests/pdf_makers.py`` and reference documents carry no
    briefpack signature, so they are not checked.
    """
    for path in sorted(folder.rglob("*")):
        suffix = path.suffix.lower()
        if suffix not in {".pdf", ".docx"} or not path.is_file() or path.is_symlink():
            continue
        ours = _is_briefpack_pdf_file if suffix == ".pdf" else is_briefpack_docx
        if ours(path):
            yield path


def output_findings(folder: Path) -> dict[Path, list[str]]:
    """Each briefpack output under ``folder`` with what the checkers found in it, if anything.

    A Word file's findings of :data:`PENDING_WORD_RULES` are left out, and
    listed in ``PENDING_LOG`` instead.
    """
    found = {}
    for path in briefpack_outputs(folder):
        findings = pdf_findings(path) if path.suffix.lower() == ".pdf" else _word_findings(path)
        if findings:
            found[path] = findings
    return found


def describe(found: dict[Path, list[str]], limit: int = 8) -> str:
    """The findings as a report, at most ``limit`` lines per file."""
    lines = []
    for path, findings in found.items():
        lines.append(f"{path}:")
        lines.extend(f"  {finding}" for finding in findings[:limit])
        if len(findings) > limit:
            lines.append(f"  … and {len(findings) - limit} more")
    return "\n".join(lines)


def assert_outputs_pass(folder: Path | str) -> None:
    """Fail unless every briefpack PDF and Word file under ``folder`` passes the checkers."""
    found = output_findings(Path(folder))
    assert not found, "independent checkers found problems:\n" + describe(found)
