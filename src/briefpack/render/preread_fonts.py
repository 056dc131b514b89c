"""A pre-read's unembedded standard fonts, given a metric-compatible program the book embeds.

PDF/UA-1 and PDF/A ask that every font a page draws with be embedded, yet
many pre-reads name the standard 14 fonts (Helvetica, Times, Courier) or
their office cousins (Arial, Times New Roman, Courier New) and leave the
program to the reader: ReportLab's default, many office exporters.  A book
drawing such a page would fail its own claim.  So, when a pre-read page is
drawn into a PDF/UA or PDF/A book, each such font becomes a TrueType font
whose program is a face of Liberation 2 (shipped, cut and renamed, in
``fonts/``; ``tools/subset_substitute_fonts.py``), drawn to the same advance
widths as the font it stands in for: the words stay where they were.

What a reader and a checker look at is rebuilt from the embedded program,
through the font's own encoding (its ``/Encoding``, ``/Differences`` by glyph
name): ``/Widths`` (PDF/A asks them to agree with the program), the
descriptor's metrics, and a ``/ToUnicode`` map (PDF/UA asks that every glyph
map to Unicode).  The font is non-symbolic, with ``/WinAnsiEncoding`` or
``/MacRomanEncoding`` as its base and only glyph names of the Adobe Glyph
List in its differences, found through the program's (3,1) cmap, as PDF/A-2
6.2.11.6 asks of a non-symbolic TrueType font.

Fonts that cannot be stood in for stay as they are, and reading the pack
warns of them: Symbol and ZapfDingbats (no metric-compatible free face),
composite fonts, names not recognised.  The source PDF is changed in place,
as the cleaner changes it (:mod:`briefpack.render.preread`): it is opened for
this book and never written.
"""

from __future__ import annotations

import functools
import io
import re
from collections import deque
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pikepdf

#: Families stood in for, by the name's stem (lower case, without spaces, ``MT``, ``PS``).
FAMILIES = {
    "helvetica": "Sans",
    "arial": "Sans",
    "times": "Serif",
    "timesroman": "Serif",
    "timesnewroman": "Serif",
    "courier": "Mono",
    "couriernew": "Mono",
}
#: Words of a style name that change nothing, the weights and slopes aside.
_PLAIN_STYLES = {"", "roman", "regular", "normal", "book", "mt", "ps", "psmt"}
#: Font subtypes that are simple (one byte a character) and may be stood in for.
_SIMPLE = {"/Type1", "/MMType1", "/TrueType"}
#: Most resource dictionaries and fonts looked at under one page: a bound for crafted files.
MAX_VISITS = 10_000


def substitute_face(base_font: str) -> str | None:
    """The shipped face that stands in for the font named ``base_font``, or ``None``.

    ``Helvetica-BoldOblique``, ``Arial,BoldItalic``, ``ABCDEF+TimesNewRomanPS-ItalicMT``,
    ``Times-Roman``: the family from the stem, bold and italic from the rest.
    ``content.preread_facts`` keeps the same rule (the layers import neither
    the other); tests/test_preread_fonts.py checks that they agree.
    """
    name = base_font.lstrip("/")
    name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
    name = name.replace(" ", "").replace("#20", "").lower()
    stem, _, style = _split(name)
    stem = re.sub(r"(psmt|mt|ps)$", "", stem)
    family = FAMILIES.get(stem)
    if family is None:
        return None
    bold = "bold" in style
    italic = "italic" in style or "oblique" in style
    rest = re.sub(r"bold|italic|oblique", "", style)
    if rest not in _PLAIN_STYLES:
        return None  # Arial Narrow, Arial Black...: other widths
    weight = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic"}
    return f"Briefpack{family}-{weight.get((bold, italic), 'BoldItalic')}"


def _split(name: str) -> tuple[str, str, str]:
    """``name`` cut at its first ``-`` or ``,`` into stem, separator and style."""
    match = re.match(r"^([^-,]*)([-,]?)(.*)$", name)
    assert match is not None
    return match.group(1), match.group(2), match.group(3)


@dataclass(frozen=True)
class _Face:
    """What a shipped face gives a PDF font: its program, advances and descriptor metrics."""

    name: str
    program: bytes
    #: Advance widths in thousandths of an em, by glyph name.
    advances: dict[str, int]
    #: The glyph drawn for each character, from the (3,1) cmap.
    glyph_of: dict[int, str]
    flags: int
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int
    x_height: int
    italic_angle: float
    stem_v: int


@functools.lru_cache(maxsize=12)
def _face(name: str) -> _Face:
    """The shipped face ``name`` (``BriefpackSans-Bold``), read once a process."""
    from fontTools.ttLib import TTFont

    program = resources.files("briefpack.render").joinpath("fonts", f"{name}.ttf").read_bytes()
    font = TTFont(io.BytesIO(program))
    scale = 1000 / int(font["head"].unitsPerEm)

    def scaled(value: float) -> int:
        return round(float(value) * scale)

    metrics = font["hmtx"].metrics
    os2, head = font["OS/2"], font["head"]
    italic_angle = float(font["post"].italicAngle)
    flags = 32  # non-symbolic: its glyphs are named by a standard Latin encoding
    flags |= 1 if "Mono" in name else 0
    flags |= 2 if "Serif" in name else 0
    flags |= 64 if "Italic" in name else 0
    return _Face(
        name=name,
        program=program,
        advances={glyph: scaled(advance) for glyph, (advance, _) in metrics.items()},
        glyph_of=dict(font.getBestCmap()),
        flags=flags,
        bbox=(scaled(head.xMin), scaled(head.yMin), scaled(head.xMax), scaled(head.yMax)),
        ascent=scaled(font["hhea"].ascent),
        descent=scaled(font["hhea"].descent),
        cap_height=scaled(os2.sCapHeight),
        x_height=scaled(os2.sxHeight),
        italic_angle=italic_angle,
        # The usual estimate from the weight class: PDF readers use it only to embolden.
        stem_v=round(10 + 220 * (os2.usWeightClass - 50) / 900),
    )


@functools.lru_cache(maxsize=4)
def _encoding(name: str) -> tuple[str | None, ...]:
    """The glyph name of each code (0 to 255) of PDF's standard encoding ``name``."""
    from fontTools import agl
    from fontTools.encodings.MacRoman import MacRoman
    from fontTools.encodings.StandardEncoding import StandardEncoding

    if name == "/StandardEncoding":
        table = list(StandardEncoding)
    elif name == "/MacRomanEncoding":
        table = list(MacRoman)
    else:
        table = []
        for code in range(256):
            try:
                character = bytes([code]).decode("cp1252")
            except UnicodeDecodeError:
                table.append(None)
                continue
            table.append(agl.UV2AGL.get(ord(character)))
        # WinAnsiEncoding's names for the no-break space and the soft hyphen (ISO 32000-1, D.2).
        table[0xA0], table[0xAD] = "space", "hyphen"
    return tuple(
        None if glyph in (None, ".notdef") or code < 32 else glyph
        for code, glyph in enumerate(table)
    )


def _wanted_names(font: Any) -> tuple[str, list[str | None]] | None:
    """The base encoding to write and the glyph name the font gives each code, or ``None``.

    A font without ``/Encoding`` uses its program's built-in one: for the
    fonts stood in for, Standard, whatever its descriptor's flags say.  An
    encoding with glyphs no Latin face has (MacExpert) cannot be stood in for.
    """
    encoding = font.get("/Encoding")
    differences: Any = None
    if isinstance(encoding, pikepdf.Dictionary):
        differences = encoding.get("/Differences")
        encoding = encoding.get("/BaseEncoding")
    base = str(encoding) if isinstance(encoding, pikepdf.Name) else "/StandardEncoding"
    if base not in ("/StandardEncoding", "/WinAnsiEncoding", "/MacRomanEncoding"):
        return None
    names = list(_encoding(base))
    if isinstance(differences, pikepdf.Array):
        code = 0
        for item in list(differences)[:512]:
            if isinstance(item, int | pikepdf.Object) and not isinstance(item, pikepdf.Name):
                try:
                    code = int(item)
                except (TypeError, ValueError):
                    continue  # not a code: a reader skips it as well
            elif isinstance(item, pikepdf.Name):
                if 0 <= code < 256:
                    names[code] = str(item).lstrip("/")
                code += 1
    written = "/MacRomanEncoding" if base == "/MacRomanEncoding" else "/WinAnsiEncoding"
    return written, names


def _glyph(face: _Face, name: str | None) -> str | None:
    """The glyph of ``face`` a reader draws for glyph name ``name``: by Unicode, as PDF says."""
    from fontTools import agl

    if name is None:
        return None
    text = agl.toUnicode(name)
    if len(text) == 1 and ord(text) in face.glyph_of:
        return face.glyph_of[ord(text)]
    return name if name in face.advances and name != ".notdef" else None


def _agl_name(name: str) -> str:
    """``name`` as the Adobe Glyph List spells its character (PDF/A's differences need it)."""
    from fontTools import agl

    if name in agl.LEGACY_AGL2UV:
        return name
    text = agl.toUnicode(name)
    return agl.UV2AGL.get(ord(text), name) if len(text) == 1 else name


@dataclass
class FontSubstituter:
    """Stands in for the unembedded standard fonts of one source PDF, each font object once."""

    pdf: pikepdf.Pdf
    #: The program stream of each face, made once in ``pdf`` and shared by its fonts.
    _programs: dict[str, pikepdf.Object] = field(default_factory=dict)
    _done: set[tuple[int, int]] = field(default_factory=set)

    def page(self, page: pikepdf.Page) -> None:
        """Every font ``page`` draws with, in its resources or those of its forms, seen to."""
        pending: deque[Any] = deque([page.obj.get("/Resources")])
        seen: set[tuple[int, int]] = set()
        visits = 0
        while pending and visits < MAX_VISITS:
            resources_ = pending.popleft()
            visits += 1
            if not isinstance(resources_, pikepdf.Dictionary) or isinstance(
                resources_, pikepdf.Stream
            ):
                continue
            if resources_.is_indirect:
                if resources_.objgen in seen:
                    continue
                seen.add(resources_.objgen)
            for font in _fonts_in(resources_):
                visits += 1
                self.font(font)
                if font.get("/Subtype") == pikepdf.Name.Type3:
                    pending.append(font.get("/Resources"))
            for category in ("/XObject", "/Pattern"):
                entries = resources_.get(category)
                if isinstance(entries, pikepdf.Dictionary):
                    for key in sorted(entries.keys()):
                        entry = entries[key]
                        if isinstance(entry, pikepdf.Dictionary | pikepdf.Stream):
                            pending.append(entry.get("/Resources"))

    def font(self, font: Any) -> bool:
        """Stand in for ``font`` if it needs it and can be; whether it was."""
        if font.is_indirect:
            if font.objgen in self._done:
                return False
            self._done.add(font.objgen)
        if str(font.get("/Subtype")) not in _SIMPLE or has_program(font):
            return False
        base_font = font.get("/BaseFont")
        face_name = substitute_face(str(base_font)) if isinstance(base_font, pikepdf.Name) else None
        wanted = _wanted_names(font) if face_name is not None else None
        if face_name is None or wanted is None:
            return False
        face = _face(face_name)
        base, names = wanted
        unicode_map = _rewrite(font, face, base, names, self._program(face))
        if "/ToUnicode" not in font:
            # PDF/UA: every glyph maps to Unicode; a map the font came with is the author's.
            font.ToUnicode = self.pdf.make_stream(unicode_map)
        return True

    def _program(self, face: _Face) -> pikepdf.Object:
        program = self._programs.get(face.name)
        if program is None:
            program = self.pdf.make_stream(face.program, Length1=len(face.program))
            self._programs[face.name] = program
        return program


def has_program(font: Any) -> bool:
    """Whether a simple font dictionary carries its program (``/FontFile``, 2 or 3)."""
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _fonts_in(resources_: Any) -> list[Any]:
    """The font dictionaries of a resource dictionary: its ``/Font`` and its states' fonts."""
    found = []
    fonts = resources_.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        found += [fonts[key] for key in sorted(fonts.keys())]
    states = resources_.get("/ExtGState")
    if isinstance(states, pikepdf.Dictionary):
        for key in sorted(states.keys()):
            state = states[key]
            chosen = state.get("/Font") if isinstance(state, pikepdf.Dictionary) else None
            if isinstance(chosen, pikepdf.Array) and len(chosen):
                found.append(chosen[0])
    return [
        font
        for font in found
        if isinstance(font, pikepdf.Dictionary) and not isinstance(font, pikepdf.Stream)
    ]


def _rewrite(
    font: Any, face: _Face, base: str, wanted: list[str | None], program: pikepdf.Object
) -> bytes:
    """``font`` made a TrueType font drawn by ``face``, its glyphs those ``wanted`` names.

    Returns its ToUnicode map.
    """
    base_names = _encoding(base)
    drawn: list[str | None] = []
    differences: list[Any] = []
    for code, name in enumerate(wanted):
        if name is None or name == base_names[code]:
            drawn.append(base_names[code])
            continue
        spelt = _agl_name(name)
        drawn.append(spelt)
        if differences and differences[-1][0] + len(differences[-1][1]) == code:
            differences[-1][1].append(spelt)
        else:
            differences.append((code, [spelt]))
    widths = [face.advances[glyph] if (glyph := _glyph(face, name)) else 0 for name in drawn]
    used = [code for code, width in enumerate(widths) if width or _glyph(face, drawn[code])]
    first, last = (used[0], used[-1]) if used else (32, 32)
    font.Subtype = pikepdf.Name.TrueType
    font.BaseFont = pikepdf.Name(f"/{face.name}")
    font.FirstChar, font.LastChar = first, last
    font.Widths = pikepdf.Array(widths[first : last + 1])
    if differences:
        array: list[Any] = []
        for code, names in differences:
            array += [code, *(pikepdf.Name(f"/{name}") for name in names)]
        font.Encoding = pikepdf.Dictionary(
            Type=pikepdf.Name.Encoding,
            BaseEncoding=pikepdf.Name(base),
            Differences=pikepdf.Array(array),
        )
    else:
        font.Encoding = pikepdf.Name(base)
    font.FontDescriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name(f"/{face.name}"),
        Flags=face.flags,
        FontBBox=pikepdf.Array(face.bbox),
        ItalicAngle=face.italic_angle,
        Ascent=face.ascent,
        Descent=face.descent,
        CapHeight=face.cap_height,
        XHeight=face.x_height,
        StemV=face.stem_v,
        FontFile2=program,
    )
    for key in ("/FontMatrix", "/FontBBox", "/CharProcs", "/Resources"):
        # A Type 3's keys, from a font whose subtype lied; a TrueType font has none of them.
        if key in font:
            del font[key]
    return _to_unicode(drawn, first, last)


def _to_unicode(drawn: list[str | None], first: int, last: int) -> bytes:
    """A ToUnicode CMap of the characters ``drawn``'s glyph names stand for."""
    from fontTools import agl

    pairs = []
    for code in range(first, last + 1):
        name = drawn[code]
        text = agl.toUnicode(name) if name else ""
        if text and all(ord(c) >= 0x20 and ord(c) not in (0xFEFF, 0xFFFE) for c in text):
            hexed = text.encode("utf-16-be").hex().upper()
            pairs.append(f"<{code:02X}> <{hexed}>")
    chunks = [pairs[at : at + 100] for at in range(0, len(pairs), 100)]
    body = "".join(
        f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n" for chunk in chunks
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        f"{body}endcmap\nCMapName currentdict /CMapResource defineresource pop\nend\nend\n"
    ).encode("ascii")
