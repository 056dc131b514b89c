"""One PDF page drawn onto another as an artifact: pre-read pages, page numbers, a mark.

Three stages of the book draw a page of one PDF onto a page of another: a
pre-read's page under the page the HTML kept for it
(:mod:`briefpack.render.book.pre_reads`), the sheet of "Page X of Y" footers over
each page of a joined book (:mod:`briefpack.render.book.join`), and a recipient's
mark over every page.  They share this one way of doing it, so that all three
are marked as artifacts and named the same deterministic way.

pikepdf is imported only when a page is drawn, as in the stages that call
this: what only plans a book loads no PDF library.
"""

from __future__ import annotations

from typing import Any

#: The names a recipient's mark is drawn under, with the page's number.
MARK_NAME = "BriefpackMark"


def place_page(page: Any, other: Any, area: Any, name: str, under: bool) -> None:
    """Draw ``other`` under (or over) ``page``'s own marks, scaled to fit ``area``, centred.

    pikepdf's ``Page.add_underlay`` and ``add_overlay``, with one change: the
    drawing's resource ``name`` is given rather than random, so that the same
    book gives the same bytes.  It must differ between pages: WeasyPrint's
    pages share one resource dictionary.  ``other`` is a page, or a drawing
    made once (:func:`one_drawing`) that many pages name.
    """
    import pikepdf

    drawing = other if isinstance(other, pikepdf.Stream) else other.as_form_xobject()
    placed = page.add_resource(drawing, pikepdf.Name.XObject, pikepdf.Name(f"/{name}"))
    placement = page.calc_form_xobject_placement(
        drawing, placed, area, allow_shrink=True, allow_expand=True
    )
    # Outside the structure tree: an artifact, as a tagged (PDF/UA) book needs
    # every drawing to be tagged or marked so.
    placement = b"/Artifact BMC\n" + placement + b"\nEMC\n"
    if under:
        page.contents_add(placement, prepend=True)
    else:
        # Whatever state the page's drawing leaves must not change the overlay's.
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n" + placement, prepend=False)
    page.contents_coalesce()


def whole_page(page: Any) -> Any:
    """The area of all of ``page`` (its media box), for a drawing laid over the whole of it."""
    import pikepdf

    return pikepdf.Rectangle(*(float(value) for value in page.mediabox))


def one_drawing(book: Any, other: Any) -> Any:
    """``other`` (a page of another PDF) as one drawing of ``book``, for every page to name.

    A recipient's mark is the same on every page: one form XObject, not one
    copy of it per page.
    """
    return book.copy_foreign(other.as_form_xobject())


def lay_over_every_page(book: Any, stamp: Any, prefix: str) -> None:
    """The one page of ``stamp`` (a recipient's mark) drawn over every page of ``book``."""
    drawing = one_drawing(book, stamp.pages[0])
    for number, page in enumerate(book.pages):
        place_page(page, drawing, whole_page(page), f"{prefix}{number}", under=False)
