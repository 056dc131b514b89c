"""What each kind of object a pre-read's drawing uses may hold: the allow-lists.

Each kind (a font, a picture, a form, a graphics state...) lists its keys,
from ISO 32000-1, and the role of each key's value: plain data, or another
kind, checked in turn (:mod:`briefpack.render.preread`).  A key that is not
listed is dropped; no kind lists a key that leads to an action, a script, a
file, an annotation, metadata or a catalogue, so none is ever reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: A value role: any number, name, string, boolean or null, or an array of them.
PLAIN = "plain"
#: A role for a dictionary whose every value has the role after the colon.
MAP = "map:"
#: The role of a resource dictionary: trimmed to what its holder's content names.
RESOURCES = "resources"


@dataclass(frozen=True)
class Kind:
    """What an object of one kind may hold: its keys and the role of each key's value."""

    keys: Mapping[str, str]
    #: Accepted ``/Type`` values; an object with any other ``/Type`` is refused.
    types: frozenset[str] = frozenset()
    #: ``True``: must be a stream; ``False``: must not; ``None``: either.
    stream: bool | None = False
    #: Accepted ``/Subtype`` values, when the kind has one: any other is refused,
    #: so a font of ``/Subtype /RichMedia`` goes rather than being kept as a font.
    subtypes: frozenset[str] | None = None
    #: Whether an object of the kind may have no ``/Subtype`` at all.
    subtype_optional: bool = False


def _plain(*keys: str) -> dict[str, str]:
    return {f"/{key}": PLAIN for key in keys}


def _kind(
    keys: Mapping[str, str],
    types: Iterable[str] = (),
    stream: bool | None = False,
    subtypes: Iterable[str] | None = None,
    subtype_optional: bool = False,
) -> Kind:
    # A /Type is kept once it is found to be one of the kind's.
    return Kind(
        {**keys, **({"/Type": PLAIN} if types else {})},
        frozenset(f"/{name}" for name in types),
        stream,
        None if subtypes is None else frozenset(f"/{name}" for name in subtypes),
        subtype_optional,
    )


#: The keys every stream has (ISO 32000-1 table 5), but not ``/F``: data in another file.
STREAM_KEYS = {**_plain("Length", "Filter", "DL"), "/DecodeParms": "decode_parms"}

#: Each kind of object a drawing uses, by the role name that leads to it.
KINDS: dict[str, Kind] = {
    "font": _kind(
        {
            **_plain("Subtype", "BaseFont", "Name", "FirstChar", "LastChar", "Widths"),
            **_plain("DW", "W", "DW2", "W2", "FontMatrix", "FontBBox"),
            "/FontDescriptor": "font_descriptor",
            "/Encoding": "encoding",
            "/ToUnicode": "cmap",
            "/DescendantFonts": "font",
            "/CIDSystemInfo": "cid_system_info",
            "/CIDToGIDMap": "data",
            "/CharProcs": MAP + "data",
            # A Type 3 font's, for its glyphs.
            "/Resources": RESOURCES,
        },
        types=["Font"],
        subtypes=["Type1", "MMType1", "TrueType", "Type3", "Type0", "CIDFontType0", "CIDFontType2"],
    ),
    "font_descriptor": _kind(
        {
            **_plain("FontName", "FontFamily", "FontStretch", "FontWeight", "Flags"),
            **_plain("FontBBox", "ItalicAngle", "Ascent", "Descent", "Leading", "CapHeight"),
            **_plain("XHeight", "StemV", "StemH", "AvgWidth", "MaxWidth", "MissingWidth"),
            **_plain("CharSet", "Lang"),
            "/FontFile": "font_file",
            "/FontFile2": "font_file",
            "/FontFile3": "font_file",
            "/Style": "style",
            "/FD": MAP + "font_descriptor",
            "/CIDSet": "data",
        },
        types=["FontDescriptor"],
    ),
    # FontFile and FontFile2 have no /Subtype; FontFile3 names its format.
    "font_file": _kind(
        {**STREAM_KEYS, **_plain("Length1", "Length2", "Length3", "Subtype")},
        stream=True,
        subtypes=["Type1C", "CIDFontType0C", "OpenType"],
        subtype_optional=True,
    ),
    "data": _kind(STREAM_KEYS, (), True),
    "cmap": _kind(
        {
            **STREAM_KEYS,
            **_plain("CMapName", "WMode"),
            "/CIDSystemInfo": "cid_system_info",
            "/UseCMap": "cmap",
        },
        types=["CMap"],
        stream=True,
    ),
    # A simple font's differences, or a composite font's CMap.
    "encoding": _kind(
        {
            **STREAM_KEYS,
            **_plain("BaseEncoding", "Differences", "CMapName", "WMode"),
            "/CIDSystemInfo": "cid_system_info",
            "/UseCMap": "cmap",
        },
        types=["Encoding", "CMap"],
        stream=None,
    ),
    "cid_system_info": _kind(_plain("Registry", "Ordering", "Supplement")),
    "style": _kind(_plain("Panose")),
    "image": _kind(
        {
            **STREAM_KEYS,
            **_plain("Subtype", "Width", "Height", "BitsPerComponent", "Intent", "ImageMask"),
            **_plain("Decode", "Interpolate", "SMaskInData", "Name", "Matte"),
            "/ColorSpace": "colour_space",
            "/Mask": "image",
            "/SMask": "image",
            "/OC": "optional_content",
        },
        types=["XObject"],
        stream=True,
        subtypes=["Image"],
    ),
    "form": _kind(
        {
            **STREAM_KEYS,
            **_plain("Subtype", "FormType", "BBox", "Matrix", "Name"),
            "/Group": "group",
            "/OC": "optional_content",
            "/Resources": RESOURCES,
        },
        types=["XObject"],
        stream=True,
        subtypes=["Form"],
    ),
    "ext_g_state": _kind(
        {
            **_plain("LW", "LC", "LJ", "ML", "D", "RI", "OP", "op", "OPM", "FL", "SM", "SA"),
            **_plain("BM", "CA", "ca", "AIS", "TK", "UseBlackPtComp"),
            # [font size]: the font is checked as a font, the size is a number.
            "/Font": "font",
            **{f"/{key}": "function" for key in ("BG", "BG2", "UCR", "UCR2", "TR", "TR2")},
            "/SMask": "soft_mask",
        },
        types=["ExtGState"],
    ),
    "soft_mask": _kind({**_plain("S", "BC"), "/G": "form", "/TR": "function"}, types=["Mask"]),
    "group": _kind({**_plain("S", "I", "K"), "/CS": "colour_space"}, types=["Group"]),
    "function": _kind(
        {
            **STREAM_KEYS,
            **_plain("FunctionType", "Domain", "Range", "Size", "BitsPerSample", "Order"),
            **_plain("Encode", "Decode", "C0", "C1", "N", "Bounds"),
            "/Functions": "function",
        },
        stream=None,
    ),
    "shading": _kind(
        {
            **STREAM_KEYS,
            **_plain("ShadingType", "Background", "BBox", "AntiAlias", "Domain", "Coords"),
            **_plain("Matrix", "Extend", "BitsPerCoordinate", "BitsPerComponent"),
            **_plain("BitsPerFlag", "Decode", "VerticesPerRow"),
            "/ColorSpace": "colour_space",
            "/Function": "function",
        },
        stream=None,
    ),
    "pattern": _kind(
        {
            **STREAM_KEYS,
            **_plain("PatternType", "PaintType", "TilingType", "BBox", "XStep", "YStep"),
            **_plain("Matrix"),
            "/Shading": "shading",
            "/ExtGState": "ext_g_state",
            "/Resources": RESOURCES,
        },
        types=["Pattern"],
        stream=None,
    ),
    # Optional content (layers), as marked content and forms name it.
    "optional_content": _kind(
        {**_plain("Name", "Intent", "P"), "/OCGs": "optional_content", "/VE": "optional_content"},
        types=["OCG", "OCMD"],
    ),
    "decode_parms": _kind(
        {
            **_plain("Predictor", "Colors", "BitsPerComponent", "Columns", "EarlyChange", "K"),
            **_plain("EndOfLine", "EncodedByteAlign", "Rows", "EndOfBlock", "BlackIs1"),
            **_plain("DamagedRowsBeforeError", "ColorTransform"),
            "/JBIG2Globals": "data",
        }
    ),
    "icc_profile": _kind(
        {**STREAM_KEYS, **_plain("N", "Range"), "/Alternate": "colour_space"}, stream=True
    ),
    "cie_parameters": _kind(_plain("WhitePoint", "BlackPoint", "Gamma", "Matrix", "Range")),
    "device_n_attributes": _kind(
        {**_plain("Subtype"), "/Colorants": MAP + "colour_space", "/Process": "process"},
        subtypes=["DeviceN", "NChannel"],
        subtype_optional=True,
    ),
    "process": _kind({**_plain("Components"), "/ColorSpace": "colour_space"}),
}

#: What each category of a resource dictionary holds.
RESOURCE_ROLES = {
    "/Font": "font",
    "/XObject": "xobject",
    "/ExtGState": "ext_g_state",
    "/ColorSpace": "colour_space",
    "/Pattern": "pattern",
    "/Shading": "shading",
    "/Properties": "optional_content",
}

#: A colour space array's members, by family, after the family's name (ISO 32000-1 §8.6).
COLOUR_SPACE_MEMBERS = {
    "/ICCBased": ("icc_profile",),
    "/Indexed": ("colour_space", PLAIN, "data"),
    "/Separation": (PLAIN, "colour_space", "function"),
    "/DeviceN": (PLAIN, "colour_space", "function", "device_n_attributes"),
    "/Pattern": ("colour_space",),
    "/CalGray": ("cie_parameters",),
    "/CalRGB": ("cie_parameters",),
    "/Lab": ("cie_parameters",),
}
