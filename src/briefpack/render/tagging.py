"""Repairs to WeasyPrint's structure tree, so lists read as PDF/UA lists.

A screen reader announces a list item's label ("bullet", "1.") from its
``Lbl`` element and reads its ``LBody`` as the item.  WeasyPrint makes an
``Lbl`` only of a ``::marker`` box; but a marker outside the text is drawn
after the whole page, so copying a list from most viewers puts every bullet
at the end.  The stylesheet therefore draws the markers in the flow, with
``li::before``, which WeasyPrint tags ``NonStruct`` at the start of the item's
``LBody``.  This stage moves that element out of ``LBody`` and names it
``Lbl``: ``LI`` then holds ``Lbl`` and ``LBody``, as ISO 32000-1 §14.8.4.3.3
asks, and the drawing and the copy order stay as they were.
"""

from __future__ import annotations

from typing import Any

import pikepdf

_LI = pikepdf.Name("/LI")
_LBODY = pikepdf.Name("/LBody")
_NON_STRUCT = pikepdf.Name("/NonStruct")


def label_list_items(document: pikepdf.Pdf) -> int:
    """Turn the in-flow marker of each list item into its ``Lbl``; return how many."""
    root = document.Root.get("/StructTreeRoot")
    if root is None:
        return 0
    labelled = 0
    for item in _elements(root):
        if item.get("/S") != _LI:
            continue
        kids = _kids(item)
        if len(kids) != 1 or kids[0].get("/S") != _LBODY:
            continue
        marker, holder = _leading_non_struct(kids[0])
        if marker is None or holder is None:
            continue
        rest = list(holder.K)[1:]
        holder.K = pikepdf.Array(rest)
        marker.S = pikepdf.Name("/Lbl")
        marker.P = item
        item.K = pikepdf.Array([marker, kids[0]])
        labelled += 1
    return labelled


def _elements(root: Any) -> list[Any]:
    """Every structure element under ``root``, parents before their children."""
    found = []
    pending = list(reversed(_kids(root)))
    while pending:
        element = pending.pop()
        found.append(element)
        pending.extend(reversed(_kids(element)))
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


def _leading_non_struct(body: Any) -> tuple[Any, Any]:
    """The item's in-flow marker, if it has one, and the element holding it.

    The marker is the innermost ``NonStruct`` reached by first kids from
    ``LBody`` (a loose item wraps it, with its first paragraph, in one more
    anonymous ``NonStruct``) that holds content rather than other elements.
    """
    holder = body
    while True:
        kids = body.get("/K")
        first = kids[0] if isinstance(kids, pikepdf.Array) and len(kids) else None
        if not isinstance(first, pikepdf.Dictionary) or first.get("/S") != _NON_STRUCT:
            return None, None
        inner = _kids(first)
        if not inner or inner[0].get("/S") != _NON_STRUCT:
            return first, holder
        holder, body = first, first
