"""Custom document properties (``docProps/custom.xml``), which python-docx does not write.

Word and LibreOffice keep a document's custom properties when they save it,
which is why a copy with answer fields carries its pack's identity there
(:data:`briefpack.model.answers.IDENTITY_PACK`): it survives being filled in.
A company template's own custom properties are kept; only the names set here
are replaced.  Reference: ECMA-376 Part 1, section 22.3 (custom properties).
"""

from __future__ import annotations

from collections.abc import Mapping

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree  # type: ignore[import-untyped]

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
#: The format identifier every user-defined property carries (ECMA-376 22.3.2.2).
USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PART_NAME = "/docProps/custom.xml"
#: Property ids 0 and 1 are reserved: the first user-defined one is 2.
FIRST_PID = 2


def set_custom_properties(document: Document, values: Mapping[str, str]) -> None:
    """Give ``document`` a text custom property per item of ``values``, replacing any so named."""
    package = document.part.package
    part = next(
        (
            relationship.target_part
            for relationship in package.rels.values()
            if relationship.reltype == RELATIONSHIP_TYPE.CUSTOM_PROPERTIES
            and not relationship.is_external
        ),
        None,
    )
    if part is None:
        part = Part(PackURI(PART_NAME), CONTENT_TYPE.OFC_CUSTOM_PROPERTIES, b"", package)
        package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    else:
        # The template's part: read as the user's own file, never fetching or expanding.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(part.blob, parser)
    for existing in list(root):
        if existing.get("name") in values:
            root.remove(existing)
    pids = [int(pid) for pid in (node.get("pid") for node in root) if pid and pid.isdigit()]
    pid = max([FIRST_PID - 1, *pids]) + 1
    for offset, (name, value) in enumerate(values.items()):
        node = etree.SubElement(
            root, f"{{{CUSTOM_NS}}}property", fmtid=USER_DEFINED, pid=str(pid + offset), name=name
        )
        etree.SubElement(node, f"{{{VT_NS}}}lpwstr").text = value
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


#: The custom properties that name a copy's version (``options.version``, ``build --issue``)
#: and its whole line, as its footers print it: kept by Word when a reader saves the copy.
VERSION_PROPERTY = "BriefpackVersion"
ISSUE_PROPERTY = "BriefpackIssue"


def set_version_properties(document: Document, version: str | None, line: str | None) -> None:
    """The version in the copy's properties: the core ``version``, and two custom ones.

    Nothing without a version, so that a pack without one keeps its bytes.
    """
    if not version:
        return
    document.core_properties.version = version
    set_custom_properties(document, {VERSION_PROPERTY: version, ISSUE_PROPERTY: line or version})
