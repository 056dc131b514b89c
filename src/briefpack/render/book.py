"""A book from parts: separately rendered PDFs joined into one.

The parts are planned in :mod:`briefpack.render.parts` and rendered by
:mod:`briefpack.render.pdf`; this is the join.  What it must keep, and how:

* **Fonts, once.**  WeasyPrint subsets fonts keeping the font's own glyph
  ids (HarfBuzz's retain-gids), so each part's content streams name glyphs as
  the font file does.  Each font is subset once more from its file, to the
  union of the glyphs the parts use, and that one program serves every part
  (:func:`share_fonts`): the book is about the single document's size.
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
* **No stream ending in CR** (:func:`unambiguous_stream_ends`, for single
  documents too), which PDF/A readers would count a byte short.
"""

from __future__ import annotations

import io
import re
import warnings
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pikepdf

from briefpack.render.overlay import place_page, whole_page
from briefpack.render.pdf_finish import unicode_cmap, unicode_map
from briefpack.render.scrub import scrub_pdf
from briefpack.render.tagging import MAX_STRUCTURE_DEPTH, structure_too_deep

#: The deepest a direct value copied from a part may nest (Python recursion stays shallow).
_MAX_DIRECT_DEPTH = 100


def join_parts(
    parts: Sequence[bytes],
    font_files: Sequence[Path],
    numbers: bytes | None = None,
    nested: Sequence[bool] | None = None,
) -> bytes:
    """One PDF of ``parts`` in order, the first part's catalogue (language, metadata) kept.

    ``numbers``, a PDF of as many pages, is laid over the book page for page
    (its page numbers); ``nested[i]`` puts part ``i``'s bookmarks under the
    book's last one (a session that does not open its day).
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


def share_fonts(book: pikepdf.Pdf, font_files: Sequence[Path]) -> int:
    """Make every part's copy of a font one font: one program, one widths array, one map.

    The program is subset by HarfBuzz from the font's file to the glyphs any
    part uses; the widths and the ToUnicode map are the union of the parts'.
    Every page's and drawing's font resources then name that one font.
    Returns how many fonts there are.
    """
    users: dict[str, list[tuple[Any, Any, Any]]] = {}
    for top, font, descriptor in _embedded_fonts(book):
        # WeasyPrint names each subset TAG+NAME; the parts' copies share the NAME.
        name = str(descriptor.get("/FontName", "")).partition("+")[2]
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
        for key in list(fonts.keys()):
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


#: Stream data ending in a carriage return, then the line feed written before ``endstream``.
_CR_BEFORE_ENDSTREAM = re.compile(rb"\r\nendstream")


def unambiguous_stream_ends(data: bytes) -> bytes:
    """``data`` with no stream's data ending in a carriage return, re-encoded if one did.

    qpdf and pydyf write a line feed before ``endstream``; after data that
    ends in CR a reader takes CR LF for that end of line and counts the
    stream a byte short of its ``/Length``, which PDF/A forbids (ISO 19005-2
    §6.1.7.1; ``page``'s STREAM-LENGTH rule).  A compressed stream ends in CR
    about once in 256 (the last byte of its checksum), so most files are
    returned as they are, after one search.
    """
    if not _CR_BEFORE_ENDSTREAM.search(data):
        return data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for thing in pdf.objects:
            if isinstance(thing, pikepdf.Stream) and thing.read_raw_bytes().endswith(b"\r"):
                _reencoded(thing)
        for mode in (pikepdf.ObjectStreamMode.preserve, pikepdf.ObjectStreamMode.disable):
            output = io.BytesIO()
            pdf.save(output, deterministic_id=True, object_stream_mode=mode)
            # An object stream qpdf wrote may end so too: then none is written.
            if not _CR_BEFORE_ENDSTREAM.search(output.getvalue()):
                break
    return output.getvalue()


def _reencoded(stream: pikepdf.Stream) -> None:
    """Compress ``stream`` (raw or Flate) again so that its data does not end in CR.

    Its last byte is that of zlib's checksum of what it holds, whatever the
    compression, so the data compressed is changed, not its meaning: one row
    of the PNG predictor "Up", whose first row is the bytes as they are,
    after a type byte of 2 that adds two to the checksum.  qpdf keeps Flate
    data as it is when it writes the file.
    """
    if stream.get("/Filter") not in (None, pikepdf.Name.FlateDecode):
        return  # a JPEG ends in FF D9; other filters are not WeasyPrint's
    data = stream.read_bytes()
    encoded = zlib.compress(b"\x02" + data, 9)
    if data and not encoded.endswith(b"\r"):
        parameters = pikepdf.Dictionary(Predictor=12, Columns=len(data))
        stream.write(encoded, filter=pikepdf.Name.FlateDecode, decode_parms=parameters)
