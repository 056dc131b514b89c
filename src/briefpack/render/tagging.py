"""Repairs to WeasyPrint's tagged PDF: lists, running heads, links and table headers.

Repairs found by running the ``outloud`` PDF/UA checker on the bundled pack
(tests/test_accessibility.py runs it on every kind of output), and, for table
headers, by ``page`` (:func:`head_spanned_columns`).  What WeasyPrint's PDF
needs before it is written is :mod:`briefpack.render.pdf_finish`'s.

**Lists.**  A screen reader announces a list item's label ("bullet", "1.")
from its ``Lbl`` element and reads its ``LBody`` as the item; ISO 32000-1
§14.8.4.3.3 allows an ``LI`` nothing else.  WeasyPrint tags a ``::marker`` as
``Lbl`` but leaves the item's content beside it, or nests the ``Lbl`` inside
an ``LBody``: :func:`label_list_items` puts each item in order, its ``Lbl``
first and everything else in one ``LBody``.  (The stylesheet keeps the marker
inside the text, so a copy from any viewer keeps each bullet with its item;
a marker outside is drawn after the whole page.)

**Running heads and footers.**  WeasyPrint gives the text in page margins
marked-content ids but leaves it out of the structure tree (PDF 1.7 cannot
put an artifact in the tree).  Content that is neither in the tree nor an
artifact is what PDF/UA forbids: :func:`mark_pagination_artifacts` rewrites
those sequences as ``/Artifact <</Type /Pagination>>``.

**Links.**  Link annotations are made without the Print flag, which PDF/UA
asks for so that print and screen agree, and are described by their target
(``session-agentcore``), which a screen reader would speak:
:func:`describe_links` sets the flag and describes each internal link by the
heading it leads to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pikepdf

from briefpack.errors import BriefpackError

_LI = pikepdf.Name("/LI")
_LBODY = pikepdf.Name("/LBody")
_NON_STRUCT = pikepdf.Name("/NonStruct")
_LBL = pikepdf.Name("/Lbl")
_L = pikepdf.Name("/L")
_LINK = pikepdf.Name("/Link")
_TABLE = pikepdf.Name("/Table")
_TR = pikepdf.Name("/TR")
_TH = pikepdf.Name("/TH")
_TD = pikepdf.Name("/TD")
_ROW_GROUPS = (pikepdf.Name("/THead"), pikepdf.Name("/TBody"), pikepdf.Name("/TFoot"))
_BDC = pikepdf.Operator("BDC")
#: The annotation flag that makes an annotation print (ISO 32000-1, table 165).
PRINT_FLAG = 4
#: The deepest a structure element is looked for.  CommonMark nests at most 20
#: blocks, so a pack's tree stays under a hundred levels; the limit (with the
#: visited sets) only keeps a loop or a runaway tree from holding the build.
MAX_STRUCTURE_DEPTH = 1000


def structure_too_deep() -> BriefpackError:
    """The refusal of a structure tree deeper than :data:`MAX_STRUCTURE_DEPTH`."""
    return BriefpackError(
        f"the PDF's structure tree nests more than {MAX_STRUCTURE_DEPTH} levels deep; "
        "nest lists and quotes less deeply"
    )


def repair_tags(document: pikepdf.Pdf, descriptions: Mapping[str, str]) -> None:
    """Apply every repair of this module to a tagged ``document``.

    ``descriptions`` says in words what each link target is (by fragment id).
    """
    label_list_items(document)
    mark_pagination_artifacts(document)
    describe_links(document, descriptions)
    links_in_link_elements(document)
    head_spanned_columns(document)


def mark_pagination_artifacts(document: pikepdf.Pdf) -> int:
    """Make marked content outside the structure tree a pagination artifact; return how many."""
    root = document.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return 0
    in_tree = {element.objgen for element in _elements(root)}
    parents = pikepdf.NumberTree(root.ParentTree)
    rewritten = 0
    for page in document.pages:
        key = page.obj.get("/StructParents")
        if key is None or int(key) not in parents:
            continue
        owners = parents[int(key)]
        outside = {
            mcid
            for mcid, owner in enumerate(owners)
            if isinstance(owner, pikepdf.Dictionary) and owner.objgen not in in_tree
        }
        if not outside:
            continue
        instructions = pikepdf.parse_content_stream(page)
        for index, instruction in enumerate(instructions):
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                continue  # an inline image
            if instruction.operator != _BDC or len(instruction.operands) != 2:
                continue
            properties = instruction.operands[1]
            if not isinstance(properties, pikepdf.Dictionary):
                continue
            mcid = properties.get("/MCID")
            if mcid is not None and int(mcid) in outside:
                artifact = pikepdf.Dictionary(Type=pikepdf.Name("/Pagination"))
                instructions[index] = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name("/Artifact"), artifact], _BDC
                )
                owners[int(mcid)] = None
                rewritten += 1
        page.obj.Contents = document.make_stream(pikepdf.unparse_content_stream(instructions))
    return rewritten


def describe_links(document: pikepdf.Pdf, descriptions: Mapping[str, str]) -> int:
    """Set every link's Print flag and describe internal links in words; return how many."""
    flagged = 0
    for page in document.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != pikepdf.Name("/Link"):
                continue
            annotation.F = int(annotation.get("/F", 0)) | PRINT_FLAG
            target = annotation.get("/Dest")
            if isinstance(target, pikepdf.String) and str(target) in descriptions:
                annotation.Contents = pikepdf.String(descriptions[str(target)])
            flagged += 1
    return flagged


def label_list_items(document: pikepdf.Pdf) -> int:
    """Give each list item its ``Lbl`` first and the rest in one ``LBody``; return how many."""
    root = document.Root.get("/StructTreeRoot")
    if root is None:
        return 0
    elements = _elements(root)
    for element in elements:
        if element.get("/S") == _L:
            _nest_sublists(element)
    tidied = 0
    for item in elements:
        if item.get("/S") != _LI:
            continue
        kids = list(item.get("/K", pikepdf.Array()))
        if not kids or not all(_is_element(kid) for kid in kids):
            continue  # marked content right in the item: leave it as WeasyPrint wrote it
        label = _take_label(kids)
        if label is None and len(kids) == 1 and kids[0].get("/S") == _LBODY:
            continue  # already in order
        ordered = [] if label is None else [label]
        if label is not None:
            label.P = item
        content = []
        for kid in kids:
            content += list(kid.get("/K", pikepdf.Array())) if kid.get("/S") == _LBODY else [kid]
        if content:
            bodies = [kid for kid in kids if kid.get("/S") == _LBODY]
            body = (
                bodies[0]
                if bodies
                else document.make_indirect(
                    pikepdf.Dictionary(Type=pikepdf.Name("/StructElem"), S=_LBODY)
                )
            )
            body.P = item
            body.K = pikepdf.Array(content)
            for kid in content:
                if _is_element(kid):
                    kid.P = body
            ordered.append(body)
        item.K = pikepdf.Array(ordered)
        tidied += 1
    return tidied


def _nest_sublists(listing: Any) -> None:
    """Move a list WeasyPrint left beside the items into the item it follows."""
    kids = list(listing.get("/K", pikepdf.Array()))
    kept: list[Any] = []
    for kid in kids:
        if _is_element(kid) and kid.get("/S") == _L and kept and kept[-1].get("/S") == _LI:
            kept[-1].K = pikepdf.Array([*kept[-1].get("/K", pikepdf.Array()), kid])
            kid.P = kept[-1]
        else:
            kept.append(kid)
    if len(kept) != len(kids):
        listing.K = pikepdf.Array(kept)


def _is_element(thing: Any) -> bool:
    return isinstance(thing, pikepdf.Dictionary) and thing.get("/S") is not None


def _take_label(kids: list[Any]) -> Any:
    """Remove the item's ``Lbl`` from where WeasyPrint put it and return it, or ``None``.

    It is either one of the item's own elements or the first element of an
    ``LBody`` (or of the anonymous ``NonStruct`` a loose item wraps it in).
    """
    for index, kid in enumerate(kids):
        if kid.get("/S") == _LBL:
            return kids.pop(index)
    holder = kids[0]
    for _ in range(MAX_STRUCTURE_DEPTH):
        if holder.get("/S") not in (_LBODY, _NON_STRUCT):
            return None
        inner = list(holder.get("/K", pikepdf.Array()))
        if not inner or not _is_element(inner[0]):
            return None
        if inner[0].get("/S") == _LBL:
            holder.K = pikepdf.Array(inner[1:])
            return inner[0]
        holder = inner[0]
    raise structure_too_deep()


def _elements(root: Any) -> list[Any]:
    """Every structure element under ``root``, parents before their children, each once."""
    found = []
    seen: set[tuple[int, int]] = set()
    pending = [(kid, 1) for kid in reversed(_kids(root))]
    while pending:
        element, depth = pending.pop()
        if element.is_indirect:
            if element.objgen in seen:
                continue  # a loop, or an element in two places: taken once
            seen.add(element.objgen)
        if depth > MAX_STRUCTURE_DEPTH:
            raise structure_too_deep()
        found.append(element)
        pending.extend((kid, depth + 1) for kid in reversed(_kids(element)))
    return found


def _kids(element: Any) -> list[Any]:
    """The structure elements among ``element``'s kids (not its marked content)."""
    kids = element.get("/K")
    if kids is None:
        return []
    if not isinstance(kids, pikepdf.Array):
        kids = [kids]
    return [
        kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") is not None
    ]


def links_in_link_elements(document: pikepdf.Pdf) -> int:
    """Put each link annotation in its ``Link`` element; return how many were moved.

    WeasyPrint gives an element inside a link (``<a><del>…</del></a>``, a
    removed question in the contents) an annotation of its own, held by that
    element (``NonStruct``) rather than by the ``Link``: PDF/UA asks every
    link annotation to be in a ``Link``.  It moves to the nearest ``Link``
    above, which then holds both; the parent tree says so.
    """
    root = document.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return 0
    tree = pikepdf.NumberTree(root.ParentTree)
    moved = 0
    for page in document.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link" or "/StructParent" not in annotation:
                continue
            key = int(annotation.StructParent)
            element = tree.get(key, None)
            if not isinstance(element, pikepdf.Dictionary) or element.get("/S") == _LINK:
                continue
            link = _link_above(element)
            kids = _all_kids(element)
            held = [kid for kid in kids if _refers_to(kid, annotation)]
            if link is None or not held:
                continue
            element.K = pikepdf.Array([kid for kid in kids if not _refers_to(kid, annotation)])
            link.K = pikepdf.Array(_all_kids(link) + held)
            tree[key] = link
            moved += 1
    return moved


def _link_above(element: Any) -> Any:
    """The nearest ``Link`` element above ``element``, or ``None``."""
    parent = element.get("/P")
    for _ in range(MAX_STRUCTURE_DEPTH):
        if not isinstance(parent, pikepdf.Dictionary):
            return None
        if parent.get("/S") == _LINK:
            return parent
        parent = parent.get("/P")
    raise structure_too_deep()


def _all_kids(element: Any) -> list[Any]:
    """Every kid of ``element``: elements, marked-content ids and object references."""
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _refers_to(kid: Any, annotation: Any) -> bool:
    """Whether ``kid`` is an object reference (``OBJR``) to ``annotation``."""
    if not isinstance(kid, pikepdf.Dictionary) or kid.get("/Type") != "/OBJR":
        return False
    target = kid.get("/Obj")
    return target is not None and target.is_indirect and target.objgen == annotation.objgen


def head_spanned_columns(document: pikepdf.Pdf) -> int:
    """Make a column header that spans columns head each of them; return the cells given one.

    WeasyPrint lists a header among a data cell's ``Headers`` only for the
    header's first column, so a cell under the second column of "Section"
    (``colspan="2"``) had none, which PDF/UA forbids (a cell whose headers
    cannot be found).  A spanning header is a column header when a cell of
    its first column names it; a row header spanning columns is left alone.
    """
    root = document.Root.get("/StructTreeRoot")
    if root is None:
        return 0
    changed = 0
    for table in _elements(root):
        if table.get("/S") != _TABLE:
            continue
        cells = _table_cells(table)
        for _, column, span, header in cells:
            key = header.get("/ID")
            if header.get("/S") != _TH or span < 2 or key is None:
                continue
            heads = [
                cell
                for _, first, width, cell in cells
                if first <= column < first + width and key in _headers(cell)
            ]
            if not heads:
                continue  # a row header
            for _, first, width, cell in cells:
                under = first < column + span and column < first + width
                if under and cell.get("/S") == _TD and key not in _headers(cell):
                    _table_attributes(cell).Headers.append(key)
                    changed += 1
    return changed


def _table_cells(table: Any) -> list[tuple[int, int, int, Any]]:
    """Each cell of ``table``: its row, first column, columns spanned, and the element."""
    rows = []
    for kid in _kids(table):
        if kid.get("/S") == _TR:
            rows.append(kid)
        elif kid.get("/S") in _ROW_GROUPS:
            rows += [row for row in _kids(kid) if row.get("/S") == _TR]
    taken: set[tuple[int, int]] = set()
    cells = []
    for number, row in enumerate(rows):
        column = 0
        for cell in _kids(row):
            if cell.get("/S") not in (_TH, _TD):
                continue
            while (number, column) in taken:
                column += 1
            span = max(1, int(_attribute(cell, "/ColSpan", 1)))
            rowspan = max(1, int(_attribute(cell, "/RowSpan", 1)))
            for down in range(rowspan):
                taken.update((number + down, column + across) for across in range(span))
            cells.append((number, column, span, cell))
            column += span
    return cells


def _table_attributes(cell: Any) -> Any:
    """The cell's table attributes (``/O /Table``), made if it has none; ``Headers`` an array."""
    found = cell.get("/A")
    candidates = list(found) if isinstance(found, pikepdf.Array) else [found]
    for attributes in candidates:
        if isinstance(attributes, pikepdf.Dictionary) and attributes.get("/O") == _TABLE:
            break
    else:
        attributes = pikepdf.Dictionary(O=_TABLE)
        cell.A = pikepdf.Array([*candidates, attributes]) if found is not None else attributes
    if not isinstance(attributes.get("/Headers"), pikepdf.Array):
        attributes.Headers = pikepdf.Array()
    return attributes


def _headers(cell: Any) -> list[str]:
    return [str(key) for key in _attribute(cell, "/Headers", [])]


def _attribute(cell: Any, key: str, default: Any) -> Any:
    """A table attribute of ``cell`` (from its ``/O /Table`` attributes), else ``default``."""
    found = cell.get("/A")
    for attributes in list(found) if isinstance(found, pikepdf.Array) else [found]:
        if isinstance(attributes, pikepdf.Dictionary) and attributes.get("/O") == _TABLE:
            return attributes.get(key, default)
    return default
