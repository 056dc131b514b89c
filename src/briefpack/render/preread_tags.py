"""Pre-read pages a screen reader reads: a tagged pre-read's structure kept, others described.

A book that is tagged (PDF/UA) keeps one empty page per pre-read page; the
HTML gave each a ``Div`` in the structure tree, under its session's section.
That ``Div``, on the pre-read's first page, becomes the pre-read's section
(``/Sect``, titled with the attachment's title), and holds:

* **for a tagged pre-read** (``/MarkInfo /Marked true`` and a structure
  tree), a copy of the pre-read's own structure: its headings, paragraphs,
  lists, tables and figures, their alternate and actual texts and language,
  the pre-read's ``/Lang`` on the section.  Its pages are written into the
  book pages as content (:mod:`briefpack.render.preread_inline`), so the
  copied elements point at the book page's own marked content, renumbered.
  Headings move down below the session's (the pre-read's ``H1`` sits under
  the attachment's ``H3``); custom types are rewritten to the standard type
  their role map gives; content the pre-read marked as an artifact stays one.
* **for an untagged pre-read**, one ``Figure`` per page, its alternate text
  naming the attachment, its title and the page; the page is drawn (as a
  form, as before) inside that figure's marked content.

Only structure is copied, and only what a structure element may say: its
type, ``/Alt``, ``/ActualText``, ``/E``, ``/T``, ``/Lang`` and plain layout
attributes (a ``/BBox`` moved to where the page is drawn), its children and
marked-content references to kept pages.  A table keeps what tells a
cell's headers: each element's ``/ID`` (prefixed, so that it is unique in the
book, whose own are WeasyPrint's ``N-row-column``) and each cell's
``/Headers`` naming them, and the attributes of its classes (``/C`` through
the ``/ClassMap``) are written into its own ``/A``; without them ``page``
finds a cell whose headers cannot be determined (PDFUA1-TABLE-HEADERS-SCOPE-001),
in a pre-read that passes alone.  Object references (links to annotations,
which are not copied) and anything else the pre-read hangs off its elements
are left behind.  The walk is bounded: each
element is visited once (a loop ends), at most :data:`MAX_ELEMENTS` of them,
and below :data:`MAX_DEPTH` levels an element's content joins its ancestor's
rather than nesting further (a 10,000-deep chain is read, flat, not refused).

Why content rather than a form with ``/Stm`` references: both give the same
tree, and both pass the two checkers (measured on a session pack: the form
kept, its ``/StructParents`` set and the elements reaching its marks through
``/Stm``, ``page`` found it PDF/UA-1 compliant and outloud reported nothing),
but a form's ``/StructParents`` key is not moved when the parts of a book are
joined (:func:`briefpack.render.book.join.join_structure` moves pages' and
annotations' keys only), so the marks of a pre-read in any part but the first
would point at another part's elements.  Written as the page's own content,
they move with the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pikepdf

from briefpack.render.preread_inline import Inlined, Matrix, transformed_box

#: Most structure elements copied from one pre-read.
MAX_ELEMENTS = 200_000
#: Deepest a copied element nests below the pre-read's section.  The book's
#: own tree is a few levels deep, and its walkers refuse beyond 1,000.
MAX_DEPTH = 100
#: Most steps followed through a role map to reach a standard type.
_MAX_ROLE_STEPS = 16

#: Standard structure types (ISO 32000-1, 14.8.4).
STANDARD = frozenset(
    [
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "P",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
    ]
)
#: Types that need an object reference (an annotation, a field), which is not copied.
_NEEDS_OBJECT = {"Link": "Span", "Annot": "Span", "Form": "Div", "Document": "Div"}
#: Text keys a copied element keeps.
_TEXT_KEYS = ("/Alt", "/ActualText", "/E", "/T")
#: Layout and table attributes a copied element keeps (plain values only).
_ATTRIBUTE_KEYS = frozenset(
    [
        "/O",
        "/Placement",
        "/WritingMode",
        "/BBox",
        "/Width",
        "/Height",
        "/SpaceBefore",
        "/SpaceAfter",
        "/StartIndent",
        "/EndIndent",
        "/TextIndent",
        "/TextAlign",
        "/BlockAlign",
        "/InlineAlign",
        "/LineHeight",
        "/BaselineShift",
        "/TextDecorationType",
        "/ListNumbering",
        "/Scope",
        "/RowSpan",
        "/ColSpan",
        "/Summary",
        "/Role",
        "/Checked",
    ]
)
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8}){0,7}")
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def language_of(pdf: pikepdf.Pdf) -> str | None:
    """The pre-read's ``/Lang``, if it is a language tag."""
    value = pdf.Root.get("/Lang")
    if isinstance(value, pikepdf.String) and _LANGUAGE.fullmatch(str(value)):
        return str(value)
    return None


@dataclass
class KeptSource:
    """One pre-read page written into a book page."""

    source_page: Any
    book_page: pikepdf.Page
    inlined: Inlined


@dataclass
class _Copy:
    """A copied element being built: its dictionary, kids in order, its nesting."""

    element: Any
    kids: list[Any] = field(default_factory=list)
    parent: _Copy | None = None
    depth: int = 0
    page: Any = None  # the book page its integer MCIDs are on


@dataclass(frozen=True)
class _Rules:
    """How a pre-read's elements are copied: its maps, and what the book asks of the copies."""

    role_map: Any
    class_map: Any
    heading_shift: int
    figure_alt: str
    #: Put before each of the pre-read's ``/ID`` (and each ``/Headers`` entry).
    id_prefix: bytes


@dataclass
class Graft:
    """A pre-read's structure copied into a book: its top elements and who owns each MCID."""

    kids: list[Any]
    #: Book page (objgen) to its MCIDs' owners.
    owners: dict[tuple[int, int], dict[int, Any]]


def copy_structure(
    book: pikepdf.Pdf,
    source: pikepdf.Pdf,
    pages: Sequence[KeptSource],
    heading_shift: int,
    figure_alt: str,
    id_prefix: str = "",
) -> Graft:
    """Copy ``source``'s structure for its ``pages`` (and only theirs) into ``book``.

    ``id_prefix`` is put before the pre-read's element ids: one no other
    pre-read of the book has (its first page's anchor), so that ids stay unique.
    """
    by_source = {kept.source_page.objgen: kept for kept in pages}
    tree = source.Root.StructTreeRoot
    role_map = tree.get("/RoleMap")
    rules = _Rules(
        role_map, tree.get("/ClassMap"), heading_shift, figure_alt, id_prefix.encode("utf-8")
    )
    top = _Copy(pikepdf.Dictionary(), depth=0, page=pages[0].book_page)
    owners: dict[tuple[int, int], dict[int, Any]] = {}
    copies = [top]
    seen: set[tuple[int, int]] = set()
    visited = 0
    # (source element, where its content goes, kept page of its /Pg, its own copy's depth)
    pending: list[tuple[Any, _Copy, KeptSource | None]] = []
    root = source.Root.StructTreeRoot
    pending.append((root, top, None))
    while pending:
        element, into, page = pending.pop()
        kept = by_source.get(_objgen(element.get("/Pg")), page)
        kids = element.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        later: list[tuple[Any, _Copy, KeptSource | None]] = []
        for item in items:
            if isinstance(item, int) or (
                isinstance(item, pikepdf.Dictionary) and item.get("/Type") == pikepdf.Name.MCR
            ):
                _reference(item, into, kept, by_source, owners)
            elif _is_element(item):
                if item.is_indirect:
                    if item.objgen in seen:
                        continue  # a loop, or an element in two places: copied once
                    seen.add(item.objgen)
                visited += 1
                if visited > MAX_ELEMENTS:
                    continue
                target = into
                kind = _standard_type(str(item.S)[1:], role_map)
                if into.depth < MAX_DEPTH and kind != "Document":
                    target = _new_copy(book, item, into, rules)
                    copies.append(target)
                    into.kids.append(target)
                later.append((item, target, kept))
            # anything else (an object reference, a stray value) is left behind
        pending.extend(reversed(later))
    matrices = {kept.book_page.obj.objgen: kept.inlined.matrix for kept in pages}
    kept_kids = _finished(copies, matrices)
    _link_headers([copy.element for copy in copies[1:] if "/K" in copy.element])
    return Graft([kid.element for kid in kept_kids], owners)


def _objgen(value: Any) -> tuple[int, int] | None:
    return value.objgen if isinstance(value, pikepdf.Object) and value.is_indirect else None


def _is_element(item: Any) -> bool:
    return isinstance(item, pikepdf.Dictionary) and isinstance(item.get("/S"), pikepdf.Name)


def _reference(
    item: Any,
    into: _Copy,
    kept: KeptSource | None,
    by_source: dict[Any, KeptSource],
    owners: dict[tuple[int, int], dict[int, Any]],
) -> None:
    """Add a marked-content reference to ``into``, if its page was kept and its MCID drawn."""
    if isinstance(item, pikepdf.Dictionary):
        if "/Stm" in item:
            return  # content of a form: the cleaner's forms carry no structure
        kept = by_source.get(_objgen(item.get("/Pg")), kept)
        mcid = item.get("/MCID")
    else:
        mcid = item
    if kept is None or not isinstance(mcid, int):
        return
    new = kept.inlined.mcids.get(int(mcid))
    page = kept.book_page
    claimed = owners.setdefault(page.obj.objgen, {})
    if new is None or new in claimed:
        return  # not drawn, or claimed by another element already
    claimed[new] = into
    if into.page is None:
        into.page = page
    if into.page.obj.objgen == page.obj.objgen:
        into.kids.append(new)
    else:
        into.kids.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page.obj, MCID=new))


def _new_copy(book: pikepdf.Pdf, source: Any, parent: _Copy, rules: _Rules) -> _Copy:
    """A copy of element ``source``: its standard type and the keys it may keep, no kids yet."""
    kind = _standard_type(str(source.S)[1:], rules.role_map)
    if kind in _NEEDS_OBJECT:
        kind = _NEEDS_OBJECT[kind]
    if re.fullmatch(r"H[1-6]", kind):
        kind = f"H{min(6, int(kind[1]) + rules.heading_shift)}"
    element = pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name(f"/{kind}"))
    for key in _TEXT_KEYS:
        value = source.get(key)
        if isinstance(value, pikepdf.String):
            element[key] = pikepdf.String(str(value))
    language = source.get("/Lang")
    if isinstance(language, pikepdf.String) and _LANGUAGE.fullmatch(str(language)):
        element.Lang = pikepdf.String(str(language))
    if kind in ("Figure", "Formula") and "/Alt" not in element and "/ActualText" not in element:
        element.Alt = pikepdf.String(rules.figure_alt)
    identifier = source.get("/ID")
    if isinstance(identifier, pikepdf.String):
        element.ID = pikepdf.String(rules.id_prefix + bytes(identifier))
    copy = _Copy(book.make_indirect(element), parent=parent, depth=parent.depth + 1)
    attributes = _attributes(_classes(source.get("/C"), rules.class_map), source.get("/A"), rules)
    if attributes is not None:
        copy.element.A = attributes
    return copy


def _standard_type(kind: str, role_map: Any) -> str:
    """``kind``, or the standard type the role map leads it to; ``Span`` if none."""
    for _ in range(_MAX_ROLE_STEPS):
        if kind in STANDARD:
            return kind
        mapped = role_map.get(f"/{kind}") if isinstance(role_map, pikepdf.Dictionary) else None
        if not isinstance(mapped, pikepdf.Name):
            break
        kind = str(mapped)[1:]
    return kind if kind in STANDARD else "Span"


def _classes(value: Any, class_map: Any) -> list[Any]:
    """The attribute objects of the classes ``/C`` names, through the ``/ClassMap``, in order."""
    if not isinstance(class_map, pikepdf.Dictionary):
        return []
    names = list(value)[:8] if isinstance(value, pikepdf.Array) else [value]
    found: list[Any] = []
    for name in names:  # revision numbers among the names are skipped with the rest
        attributes = class_map.get(str(name)) if isinstance(name, pikepdf.Name) else None
        found += list(attributes)[:8] if isinstance(attributes, pikepdf.Array) else [attributes]
    return found


def _attributes(classes: list[Any], value: Any, rules: _Rules) -> Any:
    """The plain layout and table attributes of the classes, then of ``/A``: one per owner.

    ``/A`` may be a dictionary or an array of them; its values win over the
    classes' (ISO 32000-1, 14.7.5.2), each owner's merged into one dictionary.
    """
    found = [*classes, *(list(value)[:8] if isinstance(value, pikepdf.Array) else [value])]
    kept: dict[str, Any] = {}
    for item in found:
        if not isinstance(item, pikepdf.Dictionary) or isinstance(item, pikepdf.Stream):
            continue
        owner = item.get("/O")
        if not isinstance(owner, pikepdf.Name):
            continue
        copied = kept.setdefault(str(owner), pikepdf.Dictionary())
        for key in item.keys():  # noqa: SIM118 - typed for a pikepdf Dictionary
            plain = _plain(item[key])
            if key in _ATTRIBUTE_KEYS and plain is not None:
                copied[key] = plain
        headers = item.get("/Headers")
        if isinstance(headers, pikepdf.Array):
            copied.Headers = pikepdf.Array(
                pikepdf.String(rules.id_prefix + bytes(header))
                for header in headers
                if isinstance(header, pikepdf.String)
            )
    if not kept:
        return None
    values = list(kept.values())
    return values[0] if len(values) == 1 else pikepdf.Array(values)


def _link_headers(elements: list[Any]) -> None:
    """Each id kept once, and each cell's ``/Headers`` naming only ids the book holds.

    A header left out (empty, or beyond the bounds of the walk) is dropped
    from the cells that named it; a cell left naming none says nothing, and
    its headers are found from the table's rows and columns.
    """
    known: set[bytes] = set()
    for element in elements:
        identifier = element.get("/ID")
        if identifier is None:
            continue
        if bytes(identifier) in known:
            del element["/ID"]  # a second element of the same id: the first keeps it
        else:
            known.add(bytes(identifier))
    for element in elements:
        attributes = element.get("/A")
        for item in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
            if not isinstance(item, pikepdf.Dictionary) or "/Headers" not in item:
                continue
            named = dict.fromkeys(bytes(header) for header in item.Headers)
            kept = [pikepdf.String(header) for header in named if header in known]
            if kept:
                item.Headers = pikepdf.Array(kept)
            else:
                del item["/Headers"]


def _plain(value: Any) -> Any:
    """``value`` if it is a number, name, string or boolean, or a short array of them."""
    if isinstance(value, pikepdf.Name):
        return pikepdf.Name(str(value))
    if isinstance(value, pikepdf.String):
        return pikepdf.String(str(value))
    if isinstance(value, bool | int | Decimal):
        return value
    if isinstance(value, pikepdf.Array) and len(value) <= 8:
        items = [_plain(item) for item in value]
        if all(item is not None and not isinstance(item, pikepdf.Array) for item in items):
            return pikepdf.Array(items)
    return None


def _finished(copies: list[_Copy], matrices: dict[tuple[int, int], Matrix]) -> list[_Copy]:
    """Write each copy's kids, leaving out elements with nothing to read; the top's kids.

    An empty table cell is kept all the same: it is part of its table's grid.

    A layout ``/BBox`` moves by its page's matrix (``matrices``), to where the
    page is drawn in the book.
    """
    first = next(iter(matrices.values()), _IDENTITY)
    empty: set[int] = set()
    for copy in reversed(copies):  # children were made after their parents
        kids = [kid for kid in copy.kids if not (isinstance(kid, _Copy) and id(kid) in empty)]
        copy.kids = kids
        if copy.parent is not None and not kids:
            text = "/Alt" in copy.element or "/ActualText" in copy.element
            cell = copy.element.S in (pikepdf.Name.TD, pikepdf.Name.TH)
            if not cell and (not text or copy.page is None):
                empty.add(id(copy))
                continue
        if copy.parent is None:
            continue
        if copy.page is not None:
            copy.element.Pg = copy.page.obj
        _move_boxes(copy.element, matrices.get(copy.page.obj.objgen, first) if copy.page else first)
        copy.element.K = pikepdf.Array(
            [kid.element if isinstance(kid, _Copy) else kid for kid in kids]
        )
        for kid in kids:
            if isinstance(kid, _Copy):
                kid.element.P = copy.element
    return [kid for kid in copies[0].kids if isinstance(kid, _Copy)]


def _move_boxes(element: Any, matrix: Matrix) -> None:
    """Move ``element``'s ``/BBox`` attributes by ``matrix`` (pre-read page to book page)."""
    attributes = element.get("/A")
    found = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
    for item in found:
        if isinstance(item, pikepdf.Dictionary) and "/BBox" in item:
            box = transformed_box(item.BBox, matrix)
            if box is None:
                del item["/BBox"]
            else:
                item.BBox = pikepdf.Array(box)
