"""What a pre-read is for a reader of the book, read from its catalogue and fonts.

Whether it is tagged, so that its structure can join the book's and a screen
reader read its pages (:mod:`briefpack.render.preread_tags`), and which fonts
it draws with but leaves out, which no PDF/UA or PDF/A book may draw.  Both
are cheap looks, made when the pack is read, so that ``validate`` and
``build`` warn at the attachment's line.
"""

from __future__ import annotations

from typing import Any

from briefpack.content.page_content import inherited


def is_tagged(pdf: Any) -> bool:
    """Whether ``pdf``'s catalogue says it is tagged: ``/MarkInfo /Marked true``, a structure tree.

    Read from the catalogue alone, so it costs nothing; the same test the book
    makes when it draws the pre-read in.
    """
    import pikepdf

    root = pdf.Root
    marks = root.get("/MarkInfo")
    tree = root.get("/StructTreeRoot")
    return (
        isinstance(marks, pikepdf.Dictionary)
        and _is_true(marks.get("/Marked"))
        and isinstance(tree, pikepdf.Dictionary)
        and "/K" in tree
    )


#: Most fonts looked at for :func:`unembedded_fonts`: enough for any real file.
_MAX_FONTS = 1000


def unembedded_fonts(pdf: Any) -> tuple[str, ...]:
    """The names of the fonts ``pdf``'s pages name without embedding them, each once.

    Read from each page's own font resources (not those of the forms it
    draws): a cheap look that finds what office and report tools leave out,
    the standard fonts (Helvetica, Times) above all.  Type 3 fonts are drawn
    by the file itself.
    """
    import pikepdf

    found: dict[str, None] = {}
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        resources = inherited(page.obj, "/Resources")
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(fonts, pikepdf.Dictionary):
            continue
        for key in list(fonts.keys()):
            font = fonts[key]
            if not isinstance(font, pikepdf.Dictionary) or len(seen) >= _MAX_FONTS:
                continue
            if font.is_indirect:
                if font.objgen in seen:
                    continue
                seen.add(font.objgen)
            if not _embeds(font):
                name = str(font.get("/BaseFont", key)).lstrip("/")
                found[name.partition("+")[2] or name] = None
    return tuple(found)


def _embeds(font: Any) -> bool:
    """Whether a font dictionary carries its program (or draws its own glyphs, Type 3)."""
    import pikepdf

    if font.get("/Subtype") == pikepdf.Name.Type3:
        return True
    descendants = font.get("/DescendantFonts")
    if isinstance(descendants, pikepdf.Array) and len(descendants):
        font = descendants[0]
    descriptor = font.get("/FontDescriptor") if isinstance(font, pikepdf.Dictionary) else None
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def unembedded_warning(label: str, fonts: tuple[str, ...]) -> str:
    """The warning at a pre-read's line whose fonts are not in it: the book cannot claim PDF/UA."""
    names = ", ".join(fonts[:5]) + (", ..." if len(fonts) > 5 else "")
    return (
        f"{label} does not embed the fonts it uses ({names}): the book cannot pass PDF/UA "
        "or PDF/A with it; print it to PDF again with fonts embedded and attach that copy"
    )


def untagged_warning(label: str) -> str:
    """The warning at an untagged pre-read's line: what a reader of the book will not get."""
    return (
        f"{label} is not a tagged PDF: a screen reader cannot read its pages aloud, only "
        "say that each is a page of the pre-read; export it as a tagged (accessible) PDF "
        "and attach that copy"
    )


def _is_true(value: object) -> bool:
    return isinstance(value, bool) and value
