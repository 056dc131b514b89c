"""A pre-read's content streams, as the book keeps them: names read, and rewritten if they must be.

A content stream draws; it cannot act.  But it can hold inline dictionaries
(a marked-content property list, an inline picture's) with any keys, and
name its resources anything, ``/JavaScript`` included, and the book would
then carry ``/JS`` or ``/OpenAction`` where a reader or a scanner looks for
actions.  So a stream that names any of :data:`SUSPICIOUS` is parsed and
written again: inline dictionaries keep only :data:`INLINE_KEYS`, and each
suspicious name becomes a neutral one (:func:`safe_name`), as the resource
it stands for is renamed (:mod:`briefpack.render.preread`).  Every other
stream is kept byte for byte.
"""

from __future__ import annotations

import re
import warnings
import zlib
from typing import Any

import pikepdf

#: Names that read as active content wherever they are: as keys, as values or as names.
#: Actions, files, forms and media (ISO 32000-1 §12.6.4, §13; Adobe's RichMedia
#: and XFA), none of them a name a drawing needs.  Not ``/Screen``: it is also
#: a blend mode, and a screen annotation never reaches the book anyway.
SUSPICIOUS = frozenset(
    f"/{name}"
    for name in (
        "JS", "JavaScript", "AA", "OpenAction", "Launch", "SubmitForm", "ImportData", "GoToR",
        "GoToE", "EF", "EmbeddedFile", "EmbeddedFiles", "Filespec", "AF", "Catalog", "AcroForm",
        "URI", "Names", "RichMedia", "RichMediaContent", "RichMediaSettings", "3D", "GoTo3DView",
        "XFA", "Sound", "Movie", "Rendition", "Hide", "SetOCGState", "Trans", "Named",
        "ResetForm", "Thread",
    )
)  # fmt: skip

#: What an inline dictionary may keep: a marked-content property list's keys
#: (ISO 32000-1 §14.6, §14.9), an inline picture's (table 93) and its decoding's.
INLINE_KEYS = frozenset(
    f"/{name}"
    for name in (
        "MCID", "ActualText", "Alt", "Lang", "E", "Type", "Subtype", "BBox", "Attached",
        "W", "H", "BPC", "CS", "F", "DP", "D", "I", "IM", "L", "Width", "Height",
        "BitsPerComponent", "ColorSpace", "Filter", "DecodeParms", "Decode", "Interpolate",
        "ImageMask", "Length", "Intent", "Predictor", "Colors", "Columns", "EarlyChange", "K",
        "EndOfLine", "EncodedByteAlign", "Rows", "EndOfBlock", "BlackIs1",
        "DamagedRowsBeforeError",
    )
)  # fmt: skip

#: Deepest an inline object is looked into (qpdf's parser allows far less).
_MAX_INLINE_DEPTH = 100

#: A name token of a content stream (ISO 32000-1 §7.3.5), ``#xx`` escapes and all.
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_ESCAPE = re.compile(rb"#([0-9a-fA-F]{2})")
_INLINE_IMAGE = pikepdf.Operator("INLINE IMAGE")


#: What decoding a stream raises when its data or parameters are bad: qpdf's
#: errors (``QpdfRuntimeError`` is a ``RuntimeError``), pikepdf's ``ValueError``
#: and ``OverflowError`` for numbers out of range.  Not ``MemoryError``: that is
#: the memory limit, reported as such.
UNREADABLE = (pikepdf.PdfError, RuntimeError, ValueError, OverflowError)


class DrawingRefusedError(ValueError):
    """A pre-read whose drawing cannot be kept: the message says why."""


#: The longest row a predictor may ask for, in bytes: qpdf allocates the row
#: before reading any data, so ``/Columns 99999999999`` asks for 100 GB, a
#: memory error that no --memory-limit would cure.  Sixteen megabytes is a row
#: of a million 16-bit CMYK pixels.
MAX_PREDICTOR_ROW = 1 << 24


def drawing_bytes(stream: Any) -> bytes:
    """A content stream's decoded bytes (a page's, a form's, a glyph's, a pattern's).

    Raises :class:`DrawingRefusedError` saying why if it cannot be decoded:
    a picture (never decoded), damaged data, or a predictor whose parameters
    are impossible or ask for rows longer than :data:`MAX_PREDICTOR_ROW`.
    """
    if stream.get("/Subtype") == pikepdf.Name.Image:
        # Pictures are never decoded here, nor charged by the load-time counter
        # (content/page_content.py): one standing in for a drawing is refused.
        raise DrawingRefusedError("its content is a picture, not a drawing")
    parameters = stream.get("/DecodeParms")
    for each in parameters if isinstance(parameters, pikepdf.Array) else [parameters]:
        if isinstance(each, pikepdf.Dictionary) and int_or(each.get("/Predictor"), 1) > 1:
            columns = int_or(each.get("/Columns"), 1)
            colours = int_or(each.get("/Colors"), 1)
            bits = int_or(each.get("/BitsPerComponent"), 8)
            if min(columns, colours, bits) < 1 or columns * colours * bits > 8 * MAX_PREDICTOR_ROW:
                raise DrawingRefusedError(
                    f"its content cannot be read (a predictor of {columns} columns, "
                    f"{colours} colours, {bits} bits)"
                )
    try:
        return bytes(stream.read_bytes())
    except UNREADABLE as error:
        raise DrawingRefusedError(f"its content cannot be read ({_reason(error)})") from None


def int_or(value: Any, default: int) -> int:
    """``value`` if it is a whole number (pikepdf gives PDF integers as ``int``), else ``default``.

    qpdf reads a parameter of another type as absent too.
    """
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _reason(error: Exception) -> str:
    """qpdf's message without the file and object it names (the line names the file)."""
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    return message.rpartition("): ")[2] if "(object " in message else message


def names_in(content: bytes) -> set[str]:
    """Every name a content stream could mean, as resource keys spell them (``/F1``).

    Read generously, every ``/Name`` token, strings and comments included, so
    that a name in use is never missed; one more kept resource is harmless.
    """
    found = set()
    for token in {match[1] for match in _NAME.finditer(content)}:
        raw = _ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), token)
        found.add("/" + raw.decode("latin-1"))
        found.add("/" + raw.decode("utf-8", "replace"))
    return found


def safe_name(name: str) -> str:
    """``name``, or for a suspicious one a stand-in made from it (the same each time)."""
    if name not in SUSPICIOUS:
        return name
    return f"/BriefpackR{zlib.crc32(name.encode('utf-8')):08x}"


def needs_rewriting(content: bytes) -> bool:
    """Whether ``content`` names anything in :data:`SUSPICIOUS`."""
    return not SUSPICIOUS.isdisjoint(names_in(content))


def rewritten(content: bytes) -> bytes:
    """``content`` with inline dictionaries cut to :data:`INLINE_KEYS`, suspicious names renamed.

    Raises :class:`DrawingRefusedError` if it cannot be parsed.
    """
    scratch = pikepdf.new()  # held while the stream it owns is parsed
    try:
        # pikepdf reports a stream cut short as a Python warning, which would reach
        # the terminal as two lines of its own; what can be parsed is kept.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            instructions = pikepdf.parse_content_stream(scratch.make_stream(content))
    except UNREADABLE:
        raise DrawingRefusedError("its drawing cannot be read") from None
    finally:
        scratch.close()
    kept: list[Any] = []
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            image = instruction.iimage
            # pikepdf keeps an inline picture's dictionary as key, value, key, value...
            pairs = list(image._image_object)
            entries = [
                item
                for key, value in zip(pairs[::2], pairs[1::2], strict=True)
                if str(key) in INLINE_KEYS
                for item in (key, _neutral(value, 0))
            ]
            picture = pikepdf.PdfInlineImage(image_data=image._data, image_object=tuple(entries))
            kept.append(([picture], _INLINE_IMAGE))
        else:
            operands = [_neutral(operand, 0) for operand in instruction.operands]
            kept.append(pikepdf.ContentStreamInstruction(operands, instruction.operator))
    return bytes(pikepdf.unparse_content_stream(kept))


def _neutral(value: Any, depth: int) -> Any:
    """An operand with suspicious names renamed and inline dictionaries cut to their keys."""
    if depth > _MAX_INLINE_DEPTH:
        raise DrawingRefusedError("its drawing nests an inline dictionary too deep")
    if isinstance(value, pikepdf.Name):
        return pikepdf.Name(safe_name(str(value)))
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_neutral(item, depth + 1) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary(
            {key: _neutral(item, depth + 1) for key, item in value.items() if key in INLINE_KEYS}
        )
    return value
