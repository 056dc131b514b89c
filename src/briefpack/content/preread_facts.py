"""What a pre-read is for a reader of the book, read from its catalogue and fonts.

Whether it is tagged, so that its structure can join the book's and a screen
reader read its pages (:mod:`briefpack.render.preread_tags`), and which fonts
it draws with but leaves out and the book cannot embed in their place, which
no PDF/UA or PDF/A book may draw.  Both are cheap looks, made when the pack
is read, so that ``validate`` and ``build`` warn at the attachment's line.
"""

from __future__ import annotations

import re
from typing import Any

from briefpack.content.page_content import inherited


def is_tagged(pdf: Any) -> bool:
    """Whether ``pdf``'s catalogue says it is tagged: ``/MarkInfo /Marked true``, a structure tree.

    Read from the catalogue alone, so it costs nothing, once, when the pack is
    read: the model's ``Attachment.tagged`` tells the book how to draw it in.
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
    """The fonts ``pdf``'s pages name without embedding them that the book cannot embed, each once.

    Read from each page's own font resources (not those of the forms it
    draws): a cheap look.  What office and report tools leave out most, the
    standard fonts (Helvetica, Times, Courier, and Arial, Times New Roman,
    Courier New), a PDF/UA or PDF/A book embeds in their place
    (:mod:`briefpack.render.preread_fonts`), so they are not named; Symbol,
    ZapfDingbats, composite fonts and other names are.  Type 3 fonts are
    drawn by the file itself.
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
            if not _embeds(font) and not stood_in_for(font):
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


#: Families the book stands in for, by the name's stem: as render/preread_fonts.py's FAMILIES.
_FAMILIES = frozenset(
    {"helvetica", "arial", "times", "timesroman", "timesnewroman", "courier", "couriernew"}
)
_PLAIN_STYLES = frozenset({"", "roman", "regular", "normal", "book", "mt", "ps", "psmt"})
_BASE_ENCODINGS = frozenset({"/StandardEncoding", "/WinAnsiEncoding", "/MacRomanEncoding"})


def stood_in_for(font: Any) -> bool:
    """Whether a PDF/UA or PDF/A book embeds a face in place of unembedded ``font``.

    The rule of :func:`briefpack.render.preread_fonts.substitute_face` (the
    layers import neither the other; tests/test_preread_fonts.py checks that
    the two agree): a simple font named for Helvetica, Times or Courier, or
    Arial, Times New Roman or Courier New, bold or italic or neither, drawn
    through a Latin encoding.
    """
    import pikepdf

    if str(font.get("/Subtype")) not in ("/Type1", "/MMType1", "/TrueType"):
        return False
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Dictionary):
        encoding = encoding.get("/BaseEncoding")
    if isinstance(encoding, pikepdf.Name) and str(encoding) not in _BASE_ENCODINGS:
        return False
    name = font.get("/BaseFont")
    return isinstance(name, pikepdf.Name) and standard_name(str(name))


def standard_name(base_font: str) -> bool:
    """Whether ``base_font`` names a font the book stands in for (see :func:`stood_in_for`)."""
    name = base_font.lstrip("/")
    name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
    name = name.replace(" ", "").replace("#20", "").lower()
    match = re.match(r"^([^-,]*)[-,]?(.*)$", name)
    assert match is not None
    stem = re.sub(r"(psmt|mt|ps)$", "", match.group(1))
    rest = re.sub(r"bold|italic|oblique", "", match.group(2))
    return stem in _FAMILIES and rest in _PLAIN_STYLES


def unembedded_warning(label: str, fonts: tuple[str, ...]) -> str:
    """The warning at a pre-read's line whose fonts the book cannot embed: no PDF/UA or PDF/A."""
    names = ", ".join(fonts[:5]) + (", ..." if len(fonts) > 5 else "")
    return (
        f"{label} does not embed the fonts it uses ({names}), and briefpack has no "
        "substitute for them (it embeds one for Helvetica, Times, Courier, Arial, Times New "
        "Roman and Courier New): a PDF/UA or PDF/A book with it fails that standard; "
        "print it to PDF again with fonts embedded and attach that copy"
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
