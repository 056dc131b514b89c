"""Each pre-read's place in a tagged book's structure tree: its section, its pages' marks.

The HTML keeps one empty page per pre-read page, tagged as an empty ``Div``
under its session's section; the one on the pre-read's first page becomes
the pre-read's section (:mod:`briefpack.render.preread_tags` says what goes
in it).  Each page's marked content is recorded in the parent tree under the
page's own ``/StructParents`` key, after what the page had, so that the
join of a book's parts moves it with the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pikepdf

from briefpack.model import Attachment
from briefpack.render.preread_inline import (
    IDENTITY,
    fitted,
    inline_page,
    multiply,
    transformed_box,
)
from briefpack.render.preread_tags import (
    KeptSource,
    copy_structure,
    language_of,
)

#: The deepest the book's own tree is searched for a pre-read's place.
_MAX_BOOK_DEPTH = 1000


@dataclass(frozen=True)
class PrereadPage:
    """One pre-read page to draw: where in the book, from which page, fitted to what."""

    book_page: int
    source_page: int
    area: pikepdf.Rectangle
    drawing: pikepdf.Page


@dataclass(frozen=True)
class Wordings:
    """How the pre-read is described, in the book's language."""

    #: "Pre-read: Q3 figures (q3.pdf)".
    named: str
    #: "Page %(page)s of %(pages)s".
    page_of: str


def empty_divs(book: pikepdf.Pdf) -> dict[tuple[int, int], Any]:
    """The first empty ``Div`` on each page of ``book``'s structure tree: the kept pages'."""
    root = book.Root.get("/StructTreeRoot")
    found: dict[tuple[int, int], Any] = {}
    if not isinstance(root, pikepdf.Dictionary):
        return found
    seen: set[tuple[int, int]] = set()
    pending = [(root, 0)]
    while pending:
        element, depth = pending.pop()
        if depth > _MAX_BOOK_DEPTH:
            continue
        kids = element.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in reversed(items):
            if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                continue
            if kid.is_indirect:
                if kid.objgen in seen:
                    continue
                seen.add(kid.objgen)
            page = kid.get("/Pg")
            content = kid.get("/K")
            if (
                pikepdf.Name.Div == kid.S
                and isinstance(page, pikepdf.Dictionary)
                and (content is None or (isinstance(content, pikepdf.Array) and not len(content)))
            ):
                found.setdefault(page.objgen, kid)
            pending.append((kid, depth + 1))
    return found


def _owners(book: pikepdf.Pdf, page: pikepdf.Page) -> tuple[int, list[Any]]:
    """The page's parent-tree key (made if it has none) and its MCIDs' owners so far."""
    root = book.Root.StructTreeRoot
    if "/ParentTree" not in root:
        root.ParentTree = book.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array()))
    tree = pikepdf.NumberTree(root.ParentTree)
    own = page.obj.get("/StructParents")
    if isinstance(own, int) and own in tree:
        owners = tree[own]
        return own, list(owners) if isinstance(owners, pikepdf.Array) else []
    keys = [int(number) for number, _ in tree.items()]
    key = max([*keys, int(root.get("/ParentTreeNextKey", 0)) - 1]) + 1
    page.obj.StructParents = key
    return key, []


def _record(book: pikepdf.Pdf, key: int, owners: list[Any]) -> None:
    """Write a page's MCIDs' owners under its parent-tree ``key``."""
    root = book.Root.StructTreeRoot
    tree = pikepdf.NumberTree(root.ParentTree)
    tree[key] = book.make_indirect(pikepdf.Array(owners))
    if "/ParentTreeNextKey" in root:
        root.ParentTreeNextKey = max(int(root.ParentTreeNextKey), key + 1)


def place_pre_read(
    book: pikepdf.Pdf,
    source: pikepdf.Pdf,
    attachment: Attachment,
    pages: Sequence[PrereadPage],
    places: dict[tuple[int, int], Any],
    wordings: Wordings,
    id_prefix: str = "",
) -> None:
    """Draw one attachment's ``pages`` into a tagged ``book`` with their structure.

    ``places`` are the kept pages' empty ``Div`` elements (:func:`empty_divs`);
    ``id_prefix``, before each of the pre-read's element ids, is this
    attachment's alone in the book, so that a table's headers name its own.
    """
    first = book.pages[pages[0].book_page]
    section = places.get(first.obj.objgen)
    if section is None:
        section = _new_section(book, first)
    if attachment.tagged:
        kids = _tagged(book, source, attachment, pages, wordings, id_prefix)
        language = language_of(source)
        if language is not None:
            section.Lang = pikepdf.String(language)
    else:
        kids = _figures(book, pages, wordings)
    section.S = pikepdf.Name.Sect
    section.T = pikepdf.String(attachment.title)
    section.K = pikepdf.Array(kids)
    for kid in kids:
        kid.P = section


def _new_section(book: pikepdf.Pdf, page: pikepdf.Page) -> Any:
    """A section at the end of the book's document, where no empty ``Div`` marks the place."""
    root = book.Root.StructTreeRoot
    document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    section = book.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Sect, P=document)
    )
    section.Pg = page.obj
    kids = document.get("/K")
    document.K = pikepdf.Array([*(kids if isinstance(kids, pikepdf.Array) else [kids]), section])
    return section


def _tagged(
    book: pikepdf.Pdf,
    source: pikepdf.Pdf,
    attachment: Attachment,
    pages: Sequence[PrereadPage],
    wordings: Wordings,
    id_prefix: str,
) -> list[Any]:
    """Write the pages in as content and copy the pre-read's structure; the section's kids."""
    kept = []
    keys = []
    for item in pages:
        page = book.pages[item.book_page]
        key, owners = _owners(book, page)
        prefix = f"BriefpackPreRead{item.book_page}"
        inlined = inline_page(book, page, source, item.drawing, item.area, prefix, len(owners))
        kept.append(KeptSource(source.pages[item.source_page].obj, page, inlined))
        keys.append((key, owners))
    shift = 3 if attachment.divider else 2
    graft = copy_structure(book, source, kept, shift, wordings.named, id_prefix)
    kids = list(graft.kids)
    for (key, owners), done in zip(keys, kept, strict=True):
        claimed = graft.owners.get(done.book_page.obj.objgen, {})
        loose = sorted(set(done.inlined.mcids.values()) - set(claimed))
        if loose:
            # Marked in the content, claimed by no element: read all the same.
            span = book.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem,
                    S=pikepdf.Name.Span,
                    Pg=done.book_page.obj,
                    K=pikepdf.Array(loose),
                )
            )
            kids.append(span)
            claimed = {**claimed, **{mcid: span for mcid in loose}}
        total = len(owners) + len(done.inlined.mcids)
        owners += [None] * (total - len(owners))
        for mcid, owner in claimed.items():
            owners[mcid] = owner.element if hasattr(owner, "element") else owner
        _record(book, key, owners)
    return kids


def _figures(book: pikepdf.Pdf, pages: Sequence[PrereadPage], wordings: Wordings) -> list[Any]:
    """Draw each page as a figure described in words; the figures."""
    figures = []
    for number, item in enumerate(pages, start=1):
        page = book.pages[item.book_page]
        key, owners = _owners(book, page)
        name = f"BriefpackPreRead{item.book_page}"
        form = item.drawing.as_form_xobject()
        placed = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/{name}"))
        placement, place, own = fitted(page, form, str(placed)[1:], item.area)
        mcid = len(owners)
        marked = f"/Figure <</MCID {mcid}>> BDC\n".encode("ascii") + placement + b"\nEMC\n"
        page.contents_add(marked, prepend=True)
        description = f"{wordings.named}. " + wordings.page_of % {
            "page": number,
            "pages": len(pages),
        }
        figure = book.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem,
                S=pikepdf.Name.Figure,
                Alt=pikepdf.String(description),
                Pg=page.obj,
                K=pikepdf.Array([mcid]),
            )
        )
        box = transformed_box(form.BBox, multiply(own, place) if place else IDENTITY)
        if box is not None:
            figure.A = pikepdf.Dictionary(O=pikepdf.Name.Layout, BBox=pikepdf.Array(box))
        figures.append(figure)
        _record(book, key, [*owners, figure])
    return figures
