"""Each font of a joined book made one font: one program, one widths array, one map.

WeasyPrint subsets fonts keeping the font's own glyph ids (HarfBuzz's
retain-gids), so each part of a book (:mod:`briefpack.render.book.parts`) names
glyphs in its content streams as the font file does.  When the parts are
joined (:mod:`briefpack.render.book.join`), each font is subset once more from its
file, to the union of the glyphs the parts use, and that one program serves
every part: the book is about the single document's size, not the sum of its
parts' copies of each font.

Fonts are one font when their whole names agree, subset tag and all: the
parts' copies do (WeasyPrint's tag comes from the font's description), and
a pre-read's fonts never do, since their tags are made from their programs
when the pre-read is opened (:func:`distinct_subset_tags`).  By name alone, a
pre-read made by briefpack in another theme (its ``Briefpack-Body``, under
the same tag, a different program) was taken for the book's own: its pages
drawn with the book's glyphs, and the book's text read through the
pre-read's map ("ConfidCntial").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pikepdf

from briefpack.render.pdf_finish import unicode_cmap, unicode_map


def share_fonts(book: pikepdf.Pdf, font_files: Sequence[Path]) -> int:
    """Make every part's copy of a font one font: one program, one widths array, one map.

    The program is subset by HarfBuzz from the font's file to the glyphs any
    part uses; the widths and the ToUnicode map are the union of the parts'.
    Every page's and drawing's font resources then name that one font.
    Returns how many fonts there are.
    """
    users: dict[str, list[tuple[Any, Any, Any]]] = {}
    for top, font, descriptor in _embedded_fonts(book):
        # WeasyPrint names each subset TAG+NAME; the parts' copies share both.
        name = str(descriptor.get("/FontName", ""))
        if "+" in name:
            users.setdefault(name, []).append((top, font, descriptor))
    originals = {_postscript_name(path.read_bytes()): path for path in font_files}
    replacement: dict[tuple[int, int], Any] = {}
    shared = 0
    for fonts in users.values():
        top, font, descriptor = fonts[0]
        source = originals.get(_postscript_name(descriptor.FontFile2.read_bytes()))
        if source is None:
            continue  # not a theme font (a fallback from this machine): left as it is
        widths: dict[int, Any] = {}
        to_unicode: dict[str, str] = {}
        for other_top, other_font, _ in fonts:
            widths.update(_widths(other_font))
            if "/ToUnicode" in other_top:
                to_unicode.update(unicode_map(other_top.ToUnicode.read_bytes()))
        program = subset_font(source.read_bytes(), {0, *widths})
        stream = book.make_stream(program)
        stream.Length1 = len(program)
        descriptor.FontFile2 = stream
        font.W = pikepdf.Array(
            item for gid in sorted(widths) for item in (gid, pikepdf.Array([widths[gid]]))
        )
        if to_unicode:
            top.ToUnicode = book.make_stream(unicode_cmap(to_unicode))
        for other, _, _ in fonts[1:]:
            replacement[other.objgen] = top
        shared += 1
    _renamed_fonts(book, replacement)
    return shared


#: A subset font's name: a tag of six capitals, a plus, the font's own name.
_SUBSET_NAME = re.compile(r"/[A-Z]{6}\+(.+)")
#: Where a font descriptor keeps its program.
_PROGRAMS = ("/FontFile", "/FontFile2", "/FontFile3")


def distinct_subset_tags(pdf: pikepdf.Pdf) -> int:
    """Give each embedded subset font of ``pdf`` a tag made from its program; return how many.

    A pre-read's subset of a font shares its name, and with WeasyPrint its
    tag, with the book's own subset of a font of that name, yet holds other
    glyphs; retagged from a hash of its program, it never does.  Each
    program is hashed as stored (not decoded), so nothing is charged.  The
    PDF is opened for one book and never written.
    """
    retagged = 0
    for thing in pdf.objects:
        if not isinstance(thing, pikepdf.Dictionary) or thing.get("/Type") != "/Font":
            continue
        fonts = [thing, *thing.get("/DescendantFonts", [])]
        descriptor = fonts[-1].get("/FontDescriptor")
        if not isinstance(descriptor, pikepdf.Dictionary):
            continue
        program = next(
            (
                descriptor[key]
                for key in _PROGRAMS
                if isinstance(descriptor.get(key), pikepdf.Stream)
            ),
            None,
        )
        if program is None:
            continue
        digest = hashlib.sha256(program.read_raw_bytes()).digest()
        tag = "".join(chr(65 + byte % 26) for byte in digest[:6])
        for holder, key in [*((font, "/BaseFont") for font in fonts), (descriptor, "/FontName")]:
            name = _SUBSET_NAME.fullmatch(str(holder.get(key, "")))
            if name is not None:
                holder[key] = pikepdf.Name(f"/{tag}+{name.group(1)}")
                retagged += 1
    return retagged


#: The tables WeasyPrint drops from the fonts it embeds: layout is done, the
#: glyphs are placed.
DROPPED_TABLES = (
    "BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GDEF", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT",
    "SVG ",
)  # fmt: skip


def subset_font(font: bytes, glyphs: set[int]) -> bytes:
    """``font`` with only ``glyphs``, each keeping its glyph id, as WeasyPrint subsets.

    HarfBuzz's subsetter through uharfbuzz, which brings its own HarfBuzz:
    the same program on every machine, whichever subsetter WeasyPrint found,
    and about 70 times faster than fontTools here.  Two passes, as
    WeasyPrint's: keep the glyph ids, then drop the empty glyphs after the
    last one used.
    """
    import uharfbuzz as hb

    flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    kept = hb.SubsetInput()
    kept.glyph_set.update(sorted(glyphs))
    kept.flags = flags | hb.SubsetFlags.RETAIN_GIDS
    kept.drop_table_tag_set.update(int.from_bytes(tag.encode("ascii")) for tag in DROPPED_TABLES)
    face = hb.subset(hb.Face(hb.Blob(font)), kept)
    trimmed = hb.SubsetInput()
    trimmed.glyph_set.update(range(max(glyphs) + 1))
    trimmed.flags = flags | hb.SubsetFlags.NO_HINTING
    face = hb.subset(face, trimmed)
    return bytes(face.blob.data)


def _postscript_name(font: bytes) -> str:
    import uharfbuzz as hb

    return str(hb.Face(hb.Blob(font)).get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME) or "")


def _renamed_fonts(book: pikepdf.Pdf, replacement: dict[tuple[int, int], Any]) -> None:
    """Point every font resource (of pages and of their drawings) at its replacement."""
    for thing in list(book.objects):
        if not isinstance(thing, pikepdf.Dictionary | pikepdf.Stream):
            continue
        holder = thing.stream_dict if isinstance(thing, pikepdf.Stream) else thing
        resources = holder.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary) or "/Font" not in resources:
            continue
        fonts = resources.Font
        for key in sorted(fonts.keys()):
            value = fonts[key]
            if value.is_indirect and value.objgen in replacement:
                fonts[key] = replacement[value.objgen]


def _widths(font: Any) -> dict[int, Any]:
    """A CID font's widths, by glyph id."""
    found: dict[int, Any] = {}
    widths = list(font.get("/W", []))
    index = 0
    while index < len(widths):
        first = int(widths[index])
        following = widths[index + 1]
        if isinstance(following, pikepdf.Array):
            for offset, width in enumerate(following):
                found[first + offset] = width
            index += 2
        else:
            for gid in range(first, int(following) + 1):
                found[gid] = widths[index + 2]
            index += 3
    return found


def _embedded_fonts(book: pikepdf.Pdf) -> list[tuple[Any, Any, Any]]:
    """Each (font, CID font, descriptor) with an embedded TrueType program."""
    found = []
    for thing in book.objects:
        if not isinstance(thing, pikepdf.Dictionary) or thing.get("/Type") != "/Font":
            continue
        for font in thing.get("/DescendantFonts", []):
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor:
                found.append((thing, font, descriptor))
    return found
