"""A book from parts: separately rendered PDFs joined into one.

The parts are planned in :mod:`briefpack.render.book.parts` and rendered by
:mod:`briefpack.render.book.steps`; this is the join.  What it must keep, and how:

* **Fonts, once.**  WeasyPrint subsets fonts keeping the font's own glyph
  ids (HarfBuzz's retain-gids), so each part's content streams name glyphs as
  the font file does.  Each font is subset once more from its file, to the
  union of the glyphs the parts use, and that one program serves every part
  (:mod:`briefpack.render.book.shared_fonts`): the book is about the single
  document's size.
* **One structure tree.**  Each part's ``Document`` element's children join
  the first part's; the keys of each part's ``ParentTree`` (pages'
  ``StructParents``, annotations' ``StructParent``) move past the keys
  already used (:func:`join_structure`).  The front matter's stand-in
  anchors leave empty spans, which are dropped (:func:`drop_empty_elements`).
* **One outline**, a session that does not open its day nested under the
  day's bookmark, and **one set of named destinations**: later names win,
  so the sessions' real places replace the front matter's stand-ins.
* **Page numbers** laid over every page from a sheet of "Page X of Y"
  footers, marked as artifacts, as a recipient's mark is.
* **The first part's catalogue**: its language, metadata and identifiers.
* **No stream ending in CR** (:mod:`briefpack.render.stream_ends`, for
  single documents too), which PDF/A readers would count a byte short.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pikepdf

from briefpack.render.book.overlay import MARK_NAME, lay_over_every_page, place_page, whole_page
from briefpack.render.book.shared_fonts import share_fonts
from briefpack.render.scrub import scrub_pdf
from briefpack.render.stream_ends import unambiguous_stream_ends
from briefpack.render.tagging import MAX_STRUCTURE_DEPTH, structure_too_deep

#: The deepest a direct value copied from a part may nest (Python recursion stays shallow).
_MAX_DIRECT_DEPTH = 100


def join_parts(
    parts: Sequence[bytes],
    font_files: Sequence[Path],
    numbers: bytes | None = None,
    nested: Sequence[bool] | None = None,
    mark: bytes | None = None,
) -> bytes:
    """One PDF of ``parts`` in order, the first part's catalogue (language, metadata) kept.

    ``numbers``, a PDF of as many pages, is laid over the book page for page
    (its page numbers); ``nested[i]`` puts part ``i``'s bookmarks under the
    book's last one (a session that does not open its day); ``mark``, a
    one-page PDF (a recipient's mark), is drawn over every page as one drawing.
    """
    book = pikepdf.open(io.BytesIO(parts[0]))
    opened = []
    try:
        # The book's outline is read and written once: per part, it would be each time.
        with book.open_outline() as outline:
            for index, data in enumerate(parts[1:], start=1):
                part = pikepdf.open(io.BytesIO(data))
                opened.append(part)
                first_page = len(book.pages)
                with warnings.catch_warnings():
                    # pikepdf warns that named destinations are not copied with the
                    # pages: join_destinations copies them.
                    warnings.filterwarnings("ignore", "Copying pages from another Pdf")
                    book.pages.extend(part.pages)
                join_structure(book, part, first_page)
                join_outline(book, outline, part, bool(nested and nested[index]))
                join_destinations(book, part)
        if numbers is not None:
            sheet = pikepdf.open(io.BytesIO(numbers))
            opened.append(sheet)
            for number, page in enumerate(book.pages):
                name = f"BriefpackPageNumber{number}"
                place_page(page, sheet.pages[number], whole_page(page), name, under=False)
        if mark is not None:
            stamp = pikepdf.open(io.BytesIO(mark))
            opened.append(stamp)
            lay_over_every_page(book, stamp, MARK_NAME)
        share_fonts(book, font_files)
        drop_empty_elements(book)
        # Each part was scrubbed; the joined book is checked once more (scrub.py).
        scrub_pdf(book)
        output = io.BytesIO()
        # Object streams, as WeasyPrint writes them: most of a tagged PDF is small objects.
        book.save(
            output,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return unambiguous_stream_ends(output.getvalue())
    finally:
        for part in opened:
            part.close()
        book.close()


def _next_key(tree: pikepdf.NumberTree) -> int:
    keys = [int(key) for key, _ in tree.items()]
    return max(keys) + 1 if keys else 0


def join_structure(book: pikepdf.Pdf, part: pikepdf.Pdf, first_page: int) -> None:
    """Add ``part``'s structure tree to ``book``'s; its pages are from ``first_page`` on."""
    theirs = part.Root.get("/StructTreeRoot")
    ours = book.Root.get("/StructTreeRoot")
    if theirs is None or ours is None:
        return
    tree = pikepdf.NumberTree(ours.ParentTree)
    offset = _next_key(tree)
    for key, value in pikepdf.NumberTree(theirs.ParentTree).items():
        tree[int(key) + offset] = _copy(book, value)
    for page in book.pages[first_page:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    document = _single(ours.K)
    for kid in _kids(_single(theirs.K)):
        copied = _copy(book, kid)
        copied.P = document
        document.K.append(copied)
    if "/ParentTreeNextKey" in ours:
        ours.ParentTreeNextKey = _next_key(tree)


def _copy(book: pikepdf.Pdf, value: Any, depth: int = 0) -> Any:
    """``value`` from another PDF, made part of ``book``: direct values copied by hand.

    Direct values cannot loop; their depth is bounded all the same (a
    destination is one array, a parent tree entry an array of references).
    """
    if depth > _MAX_DIRECT_DEPTH:
        raise structure_too_deep()
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return book.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(book, item, depth + 1) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary(
            {key: _copy(book, item, depth + 1) for key, item in value.items()}
        )
    return value


def drop_empty_elements(book: pikepdf.Pdf) -> int:
    """Remove spans with nothing in them: the front part's stand-in anchors.

    Only spans: an empty table cell is part of its table's grid.
    """
    root = book.Root.get("/StructTreeRoot")
    if root is None:
        return 0
    dropped = 0
    pending = [(_single(root.K), 0)]
    seen: set[tuple[int, int]] = set()
    while pending:
        element, depth = pending.pop()
        if depth > MAX_STRUCTURE_DEPTH:
            raise structure_too_deep()
        if element.is_indirect:
            if element.objgen in seen:
                continue  # a loop: each element is tidied once
            seen.add(element.objgen)
        kids = element.get("/K")
        if not isinstance(kids, pikepdf.Array):
            continue
        kept = []
        for kid in kids:
            empty = (
                isinstance(kid, pikepdf.Dictionary)
                and kid.get("/S") == pikepdf.Name("/Span")
                and kid.get("/K") in (None, pikepdf.Array())
                and "/Alt" not in kid
                and "/ActualText" not in kid
            )
            if empty:
                dropped += 1
                continue
            kept.append(kid)
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") is not None:
                pending.append((kid, depth + 1))
        if len(kept) != len(kids):
            element.K = pikepdf.Array(kept)
    return dropped


def _single(value: Any) -> Any:
    return value[0] if isinstance(value, pikepdf.Array) else value


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def join_outline(
    book: pikepdf.Pdf, outline: pikepdf.Outline, part: pikepdf.Pdf, nested: bool = False
) -> None:
    """Append ``part``'s bookmarks to ``book``'s ``outline``: at the top, or under its last one."""
    with part.open_outline() as theirs:
        items = [_copy_item(book, item) for item in theirs.root]
    target = outline.root[-1].children if nested and outline.root else outline.root
    target.extend(items)


def _copy_item(book: pikepdf.Pdf, item: Any) -> Any:
    copied = pikepdf.OutlineItem(item.title)
    if item.destination is not None:
        copied.destination = _copy(book, item.destination)
    copied.is_closed = item.is_closed
    copied.children.extend(_copy_item(book, child) for child in item.children)
    return copied


def join_destinations(book: pikepdf.Pdf, part: pikepdf.Pdf) -> None:
    """Add ``part``'s named destinations (its anchors) to ``book``'s."""
    names = part.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return
    if "/Names" not in book.Root:
        book.Root.Names = book.make_indirect(pikepdf.Dictionary())
    if "/Dests" not in book.Root.Names:
        book.Root.Names.Dests = book.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array()))
    ours = pikepdf.NameTree(book.Root.Names.Dests)
    for name, destination in pikepdf.NameTree(names.Dests).items():
        ours[name] = _copy(book, destination)
