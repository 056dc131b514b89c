"""What WeasyPrint's PDF needs, before it is written, to be what it claims.

WeasyPrint calls a finisher (``write_pdf(finisher=…)``) with its ``pydyf.PDF``
while the objects are still Python values, so these changes cost no parsing
or writing of their own.  Each was found by ``page``, a PDF/UA-1 and PDF/A
validator briefpack did not write (tests/test_pdf_checkers.py):

* a font that fills in answer fields is embedded whole, and its ToUnicode map
  gives ``.null`` the text U+0000, which PDF/UA-1 forbids, and names only the
  glyphs of the font's ``cmap``: a glyph that shaping chose (Inter's ``¿``
  before capitals) is drawn with no text;
* PDF/A forbids pictures that ask to be interpolated, and forms whose viewer
  must draw their fields (``NeedAppearances``);
* a PDF/A file is tagged as the PDF/UA one is, so it claims PDF/UA-1 as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

#: The variants that claim PDF/A (``--pdf-variant``).
ARCHIVAL_PREFIX = "pdf/a"
#: The text PDF/UA-1 forbids a ToUnicode map to give a code (ISO 14289-1 §7.21.7):
#: U+0000, U+FEFF and U+FFFE, as UTF-16 units in hex.
UNREADABLE_UNITS = frozenset({"0000", "feff", "fffe"})
#: A ``bfchar`` entry whose text holds one of :data:`UNREADABLE_UNITS`.
_UNREADABLE_ENTRY = re.compile(rb"<[0-9a-f]+>\s*<(?:[0-9a-f]{4})*?(?:0000|feff|fffe)", re.I)
#: How WeasyPrint's ToUnicode maps begin (weasyprint/pdf/fonts.py).
_CMAP_START = b"/CIDInit /ProcSet findresource begin"
#: The PDF/UA claim a PDF/A file adds to its XMP, with the description of the
#: ``pdfuaid`` schema that PDF/A asks for any schema it does not predefine
#: (ISO 19005-2 §6.6.2.3.2).
_UA_CLAIM = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" \
pdfuaid:part="1"/><rdf:Description rdf:about="" \
xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag>\
<rdf:li rdf:parseType="Resource"><pdfaSchema:schema>PDF/UA Universal Accessibility Schema\
</pdfaSchema:schema><pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/\
</pdfaSchema:namespaceURI><pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:property>\
<rdf:Seq><rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType><pdfaProperty:category>internal\
</pdfaProperty:category><pdfaProperty:description>Indicates which part of ISO 14289 the file \
conforms to</pdfaProperty:description></rdf:li></rdf:Seq></pdfaSchema:property></rdf:li>\
</rdf:Bag></pdfaExtension:schemas></rdf:Description></rdf:RDF>"""


def finisher(variant: str) -> Callable[[Any, Any], None]:
    """WeasyPrint's finisher for a PDF of ``variant``: what the standards it claims ask.

    Every PDF: :func:`shaped_glyphs_mapped`, :func:`readable_unicode_maps`.
    A PDF/A file also: no picture asks to be interpolated
    (:func:`uninterpolated_images`), every answer field has an appearance
    (:func:`drawn_fields`), and it claims PDF/UA-1 beside PDF/A
    (:func:`claim_pdf_ua`), as its tags are the same.
    """
    archival = variant.startswith(ARCHIVAL_PREFIX)

    def finish(document: Any, pdf: Any) -> None:
        shaped_glyphs_mapped(document, pdf)
        readable_unicode_maps(pdf)
        if archival:
            uninterpolated_images(pdf)
            drawn_fields(pdf)
            claim_pdf_ua(pdf)

    return finish


def readable_unicode_maps(pdf: Any) -> int:
    """No ToUnicode map of ``pdf`` gives a code U+0000, U+FEFF or U+FFFE; return how many changed.

    A font that fills in answer fields is embedded whole, with the text of
    every glyph its ``cmap`` names (weasyprint/pdf/fonts.py), and fonts map
    U+0000 to their ``.null`` glyph: no text draws it, but PDF/UA forbids the
    entry.  Whichever subsetter WeasyPrint found, the whole font is the same.
    """
    changed = 0
    for thing in pdf.objects:
        lines = getattr(thing, "stream", None)
        if not isinstance(lines, list) or lines[:1] != [_CMAP_START]:
            continue
        cmap = b"\n".join(line for line in lines if isinstance(line, bytes))
        if _UNREADABLE_ENTRY.search(cmap):
            thing.stream = [unicode_cmap(unicode_map(cmap))]
            changed += 1
    return changed


def shaped_glyphs_mapped(document: Any, pdf: Any) -> int:
    """Every glyph a whole-embedded font draws has its text; return how many maps changed.

    A font that fills in answer fields is embedded whole, and WeasyPrint maps
    its glyphs to text from the font's ``cmap`` alone (weasyprint/pdf/fonts.py),
    dropping the text it shaped each drawn glyph from (``Font.to_unicode``).
    A glyph no character names (a contextual or case-sensitive alternate, a
    ligature) is then drawn with no text, which PDF/UA-1 forbids (ISO 14289-1
    §7.21.7).  The shaped text is added for each such glyph; the ``cmap``'s
    own entries stay.
    """
    by_number = {getattr(thing, "number", None): thing for thing in pdf.objects}
    dictionaries = {
        _to_bytes(thing["BaseFont"]): thing
        for thing in pdf.objects
        if isinstance(thing, dict) and thing.get("Type") == "/Font" and "ToUnicode" in thing
    }
    changed = 0
    for font in document.fonts.values():
        dictionary = dictionaries.get(_to_bytes(font.name))
        if not getattr(font, "used_in_forms", False) or dictionary is None:
            continue
        stream: Any = by_number.get(int(_to_bytes(dictionary["ToUnicode"]).split()[0]))
        lines = getattr(stream, "stream", None)
        if not isinstance(lines, list) or lines[:1] != [_CMAP_START]:
            continue
        mapping = unicode_map(b"\n".join(line for line in lines if isinstance(line, bytes)))
        shaped = {
            f"{glyph:04x}": text.encode("utf-16-be").hex()
            for glyph, text in font.to_unicode.items()
            if text and f"{glyph:04x}" not in mapping
        }
        if shaped:
            stream.stream = [unicode_cmap({**mapping, **shaped})]
            changed += 1
    return changed


def uninterpolated_images(pdf: Any) -> int:
    """Every picture of ``pdf`` drawn as it is: ``/Interpolate false``; return how many changed.

    PDF/A forbids ``/Interpolate true`` (ISO 19005-2 §6.2.8.3), which
    WeasyPrint writes for every picture whose ``image-rendering`` is
    ``auto``: attendees' photos, content pictures, a theme's logo and
    pictures, and their soft masks, whatever the template's CSS says.
    """
    changed = 0
    for thing in pdf.objects:
        extra = getattr(thing, "extra", None)
        if not isinstance(extra, dict) or extra.get("Subtype") != "/Image":
            continue
        if extra.get("Interpolate") not in (None, "false"):
            extra["Interpolate"] = "false"
            changed += 1
    return changed


def drawn_fields(pdf: Any) -> int:
    """Give each answer field its own (empty) appearance; return how many were given one.

    PDF/A forbids a form whose viewer must draw its fields (``NeedAppearances
    true``, as WeasyPrint writes) and asks every widget for an appearance
    (ISO 19005-2 §6.4.1): an empty field's is an empty box.  A viewer draws
    what is typed in as it is typed, whatever the flag.
    """
    import pydyf  # type: ignore[import-untyped]

    widgets = [
        thing
        for thing in pdf.objects
        if isinstance(thing, dict) and thing.get("Subtype") == "/Widget" and "AP" not in thing
    ]
    for widget in widgets:
        left, bottom, right, top = (float(value) for value in widget["Rect"])
        box = pydyf.Array([0, 0, abs(right - left), abs(top - bottom)])
        extra = {"Type": "/XObject", "Subtype": "/Form", "BBox": box}
        appearance = pydyf.Stream([b"/Tx BMC", b"EMC"], pydyf.Dictionary(extra))
        pdf.add_object(appearance)
        widget["AP"] = pydyf.Dictionary({"N": appearance.reference})
    form = pdf.catalog.get("AcroForm")
    if isinstance(form, dict):
        form.pop("NeedAppearances", None)
    return len(widgets)


def claim_pdf_ua(pdf: Any) -> None:
    """Add the PDF/UA-1 claim to a PDF/A file's XMP, before its closing ``</rdf:RDF>``.

    WeasyPrint writes one variant's claim per file; a PDF/A file is tagged as
    the PDF/UA one is, and the tests check it against PDF/UA-1 as well.
    """
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return
    metadata = pdf.objects[int(_to_bytes(reference).split()[0])]
    xmp = b"".join(_to_bytes(line) for line in metadata.stream)
    if b"pdfuaid" not in xmp:
        metadata.stream = [xmp.replace(b"</rdf:RDF>", _UA_CLAIM, 1)]


def _to_bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def unicode_map(cmap: bytes) -> dict[str, str]:
    """A ToUnicode map's single-code entries (``bfchar``), code to text, as hex.

    Without the UTF-16 units PDF/UA forbids (:data:`UNREADABLE_UNITS`); a code
    left with no text is left out.
    """
    found: dict[str, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            units = re.findall("....", text.decode().lower())
            readable = "".join(unit for unit in units if unit not in UNREADABLE_UNITS)
            if readable:
                found[code.decode().lower()] = readable
    return found


def unicode_cmap(mapping: dict[str, str]) -> bytes:
    """A ToUnicode CMap of ``mapping``, in the form WeasyPrint writes."""
    entries = sorted(mapping.items())
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        "<< /Registry (Adobe)",
        "/Ordering (UCS)",
        "/Supplement 0",
        ">> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <ffff>",
        "endcodespacerange",
    ]
    # A bfchar block holds at most 100 entries.
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{code}> <{text}>" for code, text in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")
