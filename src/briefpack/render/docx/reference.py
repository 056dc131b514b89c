"""Cleaning a company Word template: what it gives the Word copy, and nothing it could run.

A reference .docx is someone else's file.  Its styles, numbering, theme,
fonts table, page setup and the text of its headers and footers are what it is
for; everything that acts when Word opens the copy is dropped before briefpack
writes into it (issue 25): embedded objects and packages, ActiveX controls,
macros and their customisations, add-ins, mail merge, every relationship that
points outside the package (a remote ``attachedTemplate``, a picture linked from
the web, a sub-document, a frame's source) and every field.  Briefpack sets
``updateFields`` so that Word refreshes its own table of contents and page
numbers; a template field such as ``INCLUDETEXT "/etc/passwd"`` or
``INCLUDEPICTURE "http://…"`` would be refreshed too, reading a file or
fetching a URL, so a field keeps only the result it shows, as plain runs.

The cleaning keeps what it knows (an allow-list of relationship types and of
picture formats) rather than dropping what it recognises, so a part type
invented later is dropped too.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from lxml import etree  # type: ignore[import-untyped]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
O_NS = "urn:schemas-microsoft-com:office:office"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

#: The relationships a template may keep, to a part inside the package.  Not
#: here, so dropped: embeddings (oleObject, package), ActiveX (control), the
#: VBA project, keyMapCustomizations, attachedToolbars, glossary documents
#: (building blocks hold fields), customXml, comments, webSettings (frames),
#: embedded fonts, web extensions (add-ins) and Word 2010's stylesWithEffects
#: (a copy of the styles that briefpack's own styles would put out of step).
KEPT_RELATIONSHIPS = frozenset(
    {
        RT.OFFICE_DOCUMENT,
        RT.CORE_PROPERTIES,
        RT.EXTENDED_PROPERTIES,
        RT.CUSTOM_PROPERTIES,
        RT.STYLES,
        RT.NUMBERING,
        RT.THEME,
        RT.SETTINGS,
        RT.FONT_TABLE,
        RT.HEADER,
        RT.FOOTER,
        RT.FOOTNOTES,
        RT.ENDNOTES,
        RT.IMAGE,
    }
)

#: The relationships the package itself may keep: the document and its properties
#: (not a thumbnail, a signature or an add-in's task pane).
PACKAGE_RELATIONSHIPS = frozenset(
    {RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES, RT.EXTENDED_PROPERTIES, RT.CUSTOM_PROPERTIES}
)

#: Pictures a header or a theme may show: raster formats only.  A metafile
#: (EMF, WMF) is what an OLE object shows of itself, and can hold records
#: that reach outside.
KEPT_PICTURES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff", "image/x-png"}
)

#: Elements dropped wherever they are, with what they hold: embedded and
#: linked objects, ActiveX controls, imported documents and field data.
ACTIVE_ELEMENTS = tuple(
    f"{{{W_NS}}}{name}" for name in ("object", "control", "altChunk", "subDoc", "fldData")
)

#: Settings that reach outside or run something: the attached template (and
#: taking its styles on open), a mail merge's data source and query, XML
#: schemas and transforms, macro variables, and the template's own wish to
#: update fields (briefpack asks for it again for its own fields).
DROPPED_SETTINGS = tuple(
    f"{{{W_NS}}}{name}"
    for name in (
        "attachedTemplate",
        "linkStyles",
        "mailMerge",
        "docVars",
        "attachedSchema",
        "saveThroughXslt",
        "useXSLTWhenSaving",
        "updateFields",
    )
)

#: Attributes that name a file or an address outside in VML (a picture's
#: source, a shape's link), whatever namespace they are in.
OUTSIDE_ATTRIBUTES = frozenset({"href", "althref", "src"})

#: The elements a dropped relationship's reference takes with it: the whole
#: picture or object, not half of it.
_WHOLE = (f"{{{W_NS}}}drawing", f"{{{W_NS}}}pict", f"{{{W_NS}}}object")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def clean_reference(document: Document) -> None:
    """Strip ``document``, a just-opened company template, down to what a template gives."""
    package = document.part.package
    _drop_relationships(package, _is_unwanted_package_relationship)
    dropped_by_part = {
        part: _drop_relationships(part, _is_unwanted_relationship)
        for part in list(package.iter_parts())
    }
    # Only the parts still reached are saved, so only those are read.
    for part in list(package.iter_parts()):
        dropped = dropped_by_part.get(part, set())
        root = _xml_of(part)
        if root is None:
            continue
        _drop_references(root, dropped)
        _drop_entities(root)
        _drop_active_elements(root)
        _flatten_fields(root)
        if part is document.part._settings_part:
            _remove_all(root, DROPPED_SETTINGS)
        if not isinstance(part, XmlPart):
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )


def _is_unwanted_package_relationship(relationship: Any) -> bool:
    return bool(relationship.is_external or relationship.reltype not in PACKAGE_RELATIONSHIPS)


def _is_unwanted_relationship(relationship: Any) -> bool:
    if relationship.is_external or relationship.reltype not in KEPT_RELATIONSHIPS:
        return True
    if relationship.reltype == RT.IMAGE:
        return relationship.target_part.content_type not in KEPT_PICTURES
    return False


def _drop_relationships(owner: Any, unwanted: Any) -> set[str]:
    """Remove ``owner``'s relationships that ``unwanted`` picks; their ids.

    A part no relationship reaches is not saved, so this is what drops the
    embedded files and macros from the output.
    """
    rels = owner.rels
    dropped = {rel_id for rel_id, relationship in rels.items() if unwanted(relationship)}
    for rel_id in dropped:
        del rels[rel_id]
        rels._target_parts_by_rId.pop(rel_id, None)
    return dropped


def _xml_of(part: Part) -> Any:
    """The XML tree of ``part`` (python-docx's own for the parts it models), or ``None``."""
    if isinstance(part, XmlPart):
        return part._element
    if not part.content_type.endswith("xml") or part.content_type.startswith("image/"):
        return None
    return etree.fromstring(part.blob, _PARSER)


def _drop_references(root: Any, dropped: set[str]) -> None:
    """Remove what refers to a dropped relationship, so no reference is left dangling.

    A link keeps its text; a picture or object goes whole; anything else (an
    ``attachedTemplate``, an ``altChunk``) goes alone.
    """
    if not dropped:
        return
    for node in list(root.iter()):
        if not any(
            value in dropped
            for name, value in node.attrib.items()
            if name.startswith(f"{{{R_NS}}}") or name == f"{{{O_NS}}}relid"
        ):
            continue
        if node.getparent() is None:
            continue  # already gone with an ancestor
        if node.tag == f"{{{W_NS}}}hyperlink":
            _unwrap(node)
            continue
        whole = next((a for a in node.iterancestors() if a.tag in _WHOLE), node)
        _remove(whole)


def _drop_entities(root: Any) -> None:
    """Remove entity references: read unexpanded, they would be left without their
    declaration, which is not saved, and Word refuses the part as malformed."""
    for entity in list(root.iter(etree.Entity)):
        _remove(entity)


def _drop_active_elements(root: Any) -> None:
    """Remove objects, controls, imported content and VML's outside addresses."""
    _remove_all(root, ACTIVE_ELEMENTS)
    for node in root.iter():
        for name in list(node.attrib):
            if etree.QName(name).localname in OUTSIDE_ATTRIBUTES:
                del node.attrib[name]


def _flatten_fields(root: Any) -> None:
    """Turn every field into the text it shows: no instruction is left for Word to run.

    A simple field gives way to its runs.  A complex field is a run of
    ``begin``, its instruction, ``separate``, its result, ``end``; fields nest
    and may span paragraphs, so the runs are read in document order with a
    stack of open fields, and what lies in any field's instruction goes.
    """
    for simple in list(root.iter(f"{{{W_NS}}}fldSimple")):
        _unwrap(simple)
    open_fields: list[bool] = []  # per open field: is its result being read?
    run_tag, properties = f"{{{W_NS}}}r", f"{{{W_NS}}}rPr"
    for run in list(root.iter(run_tag)):
        for child in list(run):
            if child.tag == f"{{{W_NS}}}fldChar":
                kind = child.get(f"{{{W_NS}}}fldCharType")
                if kind == "begin":
                    open_fields.append(False)
                elif kind == "separate" and open_fields:
                    open_fields[-1] = True
                elif kind == "end" and open_fields:
                    open_fields.pop()
                run.remove(child)
            elif child.tag in (f"{{{W_NS}}}instrText", f"{{{W_NS}}}delInstrText") or (
                child.tag != properties and not all(open_fields)
            ):
                run.remove(child)
        if all(child.tag == properties for child in run):
            _remove(run)


def _remove_all(root: Any, tags: tuple[str, ...]) -> None:
    for node in list(root.iter(*tags)):
        if node.getparent() is not None:
            _remove(node)


def _remove(node: Any) -> None:
    """Remove ``node`` but not the text that follows it (lxml keeps it on the node)."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _unwrap(node: Any) -> None:
    """Put ``node``'s children where it was, without it."""
    parent = node.getparent()
    if parent is None:
        return
    index = parent.index(node)
    for offset, child in enumerate(list(node)):
        parent.insert(index + offset, child)
    parent.remove(node)
