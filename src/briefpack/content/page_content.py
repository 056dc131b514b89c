"""How much page content a PDF decodes to, found without ever holding more than a limit of it.

A pre-read's pages are drawn into the book, and drawing a page decodes its
content streams, and those of the forms, patterns and Type 3 glyphs they use.
Compressed, a gigabyte of content fits in a megabyte of file: such a file
took 72 s and 1.1 GB of memory per worker to draw.  So each stream is decoded
here, when the pack is read, in bounded chunks that are counted and
dropped, and reading stops as soon as the total passes the limit.

What is counted is everything the book could decode, found generally rather
than by knowing where forms and glyphs hide (a Type 3 font behind a graphics
state's ``/Font``, a form behind a shading pattern's soft mask, a Type 0
font's descendants all slipped past a walk that knew): every stream reachable
from a page's resources and transparency group, by any key at any depth, is
charged, except pictures, which are copied into the book without being
decoded.  A glyph or a pattern is charged even if it calls itself a picture,
since it is drawn.  A page's own content is counted each time a page uses it
(drawing the page decodes it again); any other stream once per file.

A stream that fails to decode (damaged data, a predictor qpdf refuses) is
refused too (:class:`DamagedContentError`): the book's renderer decodes page
content again and would stop there, so ``validate`` says so first.

``/FlateDecode`` (what every current PDF writer uses), ``/LZWDecode`` and
``/RunLengthDecode`` are decoded here, chunk by chunk; ``/ASCIIHexDecode``
and ``/ASCII85Decode`` only shrink, so qpdf decodes them whole.  Any other
filter on page content (a picture's, such as ``/DCTDecode``) is refused: it
cannot be bounded and has no business there.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

#: Bytes decoded at a time: a chunk is counted, then dropped.
_CHUNK = 1 << 20
#: Filters that never make their data larger, decoded whole by qpdf.
_SHRINKING = frozenset({"/ASCIIHexDecode", "/ASCII85Decode"})
#: Short names allowed by inline images, and accepted by some readers everywhere.
_FULL_NAMES = {
    "/Fl": "/FlateDecode",
    "/LZW": "/LZWDecode",
    "/RL": "/RunLengthDecode",
    "/AHx": "/ASCIIHexDecode",
    "/A85": "/ASCII85Decode",
}
#: Keys whose dictionary holds drawings by name: each is drawn, whatever its subtype says.
_DRAWN_MAPS = frozenset({"/CharProcs", "/Pattern"})


class ContentTooLargeError(Exception):
    """The page content decodes to more than the limit."""


class UncheckableFilterError(Exception):
    """Page content compressed with a filter whose decoded size cannot be bounded."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class DamagedContentError(Exception):
    """Content that cannot be decoded; ``reason`` says why, ``page`` (1-based) where."""

    def __init__(self, reason: str, page: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.page = page


def page_content_size(pdf: Any, limit: int) -> int:
    """Bytes of page content ``pdf`` (an open ``pikepdf.Pdf``) decodes to, at most ``limit``.

    Raises :class:`ContentTooLargeError` past ``limit``,
    :class:`UncheckableFilterError` for a filter that cannot be bounded, and
    :class:`DamagedContentError` for a stream that cannot be decoded.
    """
    counter = _Counter(limit)
    for number, page in enumerate(pdf.pages, start=1):
        try:
            for stream in _contents(page.obj):
                counter.charge(stream)
            # What the book keeps of a page besides its content (render/preread.py).
            counter.walk([inherited(page.obj, "/Resources"), page.obj.get("/Group")])
        except DamagedContentError as error:
            error.page = number
            raise
    return counter.total


class _Counter:
    """Keeps the running total, each stream's decoded size, and what was walked."""

    def __init__(self, limit: int) -> None:
        import pikepdf

        self.limit = limit
        self.total = 0
        #: Decoded size of each stream seen, by object number: decoded once, charged per use.
        self.sizes: dict[tuple[int, int], int] = {}
        #: Objects whose members were walked, and streams charged (once per file each).
        self.walked: set[tuple[int, int]] = set()
        self.charged: set[tuple[int, int]] = set()
        self._containers = {pikepdf.ObjectType.dictionary, pikepdf.ObjectType.array}
        self._stream = pikepdf.ObjectType.stream

    def charge(self, stream: Any) -> None:
        """Add ``stream``'s decoded size to the total; raise once it passes the limit."""
        import pikepdf

        if not isinstance(stream, pikepdf.Stream):
            return
        key = stream.objgen
        size = self.sizes.get(key) if key != (0, 0) else None
        if size is None:
            size = decoded_size(stream, self.limit - self.total)
            if key != (0, 0):
                self.sizes[key] = size
        self.total += size
        if self.total > self.limit:
            raise ContentTooLargeError

    def walk(self, roots: list[Any]) -> None:
        """Charge every stream reachable from ``roots`` that the book may decode.

        Any key, any depth, walked with a stack and a visited set rather than
        recursion and a depth limit: content nested deeper than a limit would
        go uncounted, and how deep a drawing may nest is the renderer's to
        refuse (:mod:`briefpack.render.preread`).  The walk ends, since each
        indirect object is walked once, and direct ones cannot loop.
        """
        pending: list[tuple[Any, bool]] = [(root, False) for root in roots]
        while pending:
            value, drawn = pending.pop()
            pending.extend(self._visit(value, drawn))

    def _visit(self, value: Any, drawn: bool) -> Iterator[tuple[Any, bool]]:
        """Charge ``value`` if it is a stream to count; yield its members, once per file."""
        import pikepdf

        if not isinstance(value, pikepdf.Object):
            return
        code = value._type_code
        is_stream = code == self._stream
        if not is_stream and code not in self._containers:
            return  # a number, name, string, boolean or null
        key = value.objgen if value.is_indirect else None
        # A picture is copied into the book, never decoded; a glyph or pattern is drawn.
        picture = is_stream and not drawn and value.get("/Subtype") == pikepdf.Name.Image
        if is_stream and key not in self.charged and not picture:
            if key is not None:
                self.charged.add(key)
            self.charge(value)
        if key is not None:
            if key in self.walked:
                return
            self.walked.add(key)
        if code == pikepdf.ObjectType.array:
            for member in value:
                yield member, False
            return
        for name in list(value.keys()):
            member = value[name]
            if name in _DRAWN_MAPS and isinstance(member, pikepdf.Dictionary):
                for _, drawing in member.items():
                    yield drawing, True
            yield member, False


def _contents(page: Any) -> list[Any]:
    """The page's content streams, each as often as the page lists it."""
    import pikepdf

    contents = page.get("/Contents")
    if isinstance(contents, pikepdf.Array):
        return list(contents)
    return [contents] if contents is not None else []


def inherited(page: Any, name: str) -> Any:
    """``name`` of ``page``, or of the nearest page-tree node above it that has one.

    Climbed as far as the tree goes, as the renderer climbs it, with a
    visited set against a loop: a limit here would leave resources inherited
    from higher up uncounted but drawn.
    """
    import pikepdf

    node = page
    seen: set[tuple[int, int]] = set()
    while isinstance(node, pikepdf.Dictionary) and node.objgen not in seen:
        if name in node:
            return node.get(name)
        if node.is_indirect:
            seen.add(node.objgen)
        node = node.get("/Parent")
    return None


def decoded_size(stream: Any, limit: int) -> int:
    """Bytes ``stream`` decodes to; raises :class:`ContentTooLargeError` past ``limit``.

    Data a filter cannot decode raises :class:`DamagedContentError`, as qpdf
    fails on it when the book is drawn; data that merely stops short (a
    truncated stream) counts as far as it decoded, as qpdf draws it.
    """
    import pikepdf

    filters = _as_list(stream.get("/Filter"))
    parameters = _as_list(stream.get("/DecodeParms"))
    names = [_FULL_NAMES.get(str(item), str(item)) for item in filters]
    try:
        data = bytes(stream.read_raw_bytes())
    except (pikepdf.PdfError, RuntimeError, ValueError, OverflowError) as error:
        raise DamagedContentError(_first_line(error)) from None
    for index, name in enumerate(names):
        predicted = name in ("/FlateDecode", "/LZWDecode") and (
            index < len(parameters) and isinstance(parameters[index], pikepdf.Dictionary)
        )
        # Kept for the next filter, or for qpdf to check the predictor on; else only counted.
        keep = index < len(names) - 1 or predicted
        if name == "/FlateDecode":
            produced = _inflate(data, limit, keep=keep)
        elif name == "/LZWDecode":
            produced = _unlzw(data, limit, keep=keep, early=_early_change(parameters, index))
        elif name == "/RunLengthDecode":
            produced = _unrun(data, limit, keep=keep)
        elif name in _SHRINKING:
            produced = _with_qpdf(data, name, None)
        else:
            raise UncheckableFilterError(name)
        if isinstance(produced, int):
            return produced
        if len(produced) > limit:
            raise ContentTooLargeError
        if predicted:
            # Known to fit, and rows no longer than the data (checked first: qpdf
            # allocates a row as its parameters say): qpdf undoes the predictor
            # exactly as it will when drawing.
            produced = _with_qpdf(data, name, _predictor(parameters[index], len(produced)))
        data = produced
    if len(data) > limit:
        raise ContentTooLargeError
    return len(data)


def _as_list(value: Any) -> list[Any]:
    import pikepdf

    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def _early_change(parameters: list[Any], index: int) -> int:
    import pikepdf

    given = parameters[index] if index < len(parameters) else None
    value = given.get("/EarlyChange") if isinstance(given, pikepdf.Dictionary) else None
    return 0 if isinstance(value, int) and value == 0 else 1


#: A predictor's parameters, as qpdf reads them, and their defaults (ISO 32000-1, table 8).
_PREDICTOR_KEYS = {"/Predictor": 1, "/Colors": 1, "/BitsPerComponent": 8, "/Columns": 1}


def _predictor(parameters: Any, decoded: int) -> dict[str, int] | None:
    """The predictor ``parameters`` ask for, checked; ``None`` for none.

    Raises :class:`DamagedContentError` for parameters qpdf cannot use (not
    whole numbers: it then cannot decode the stream at all) and for a row
    longer than the ``decoded`` bytes it applies to (qpdf would allocate,
    and draw, a row of that size however short the data).
    """
    given: dict[str, int] = {}
    for key, default in _PREDICTOR_KEYS.items():
        value = parameters.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise DamagedContentError(f"its /DecodeParms {key} is not a whole number")
        given[key] = value
    if given["/Predictor"] == 1:
        return None
    if given["/Predictor"] not in (2, 10, 11, 12, 13, 14, 15):
        raise DamagedContentError(f"an unknown /Predictor {given['/Predictor']}")
    colors, bits, columns = given["/Colors"], given["/BitsPerComponent"], given["/Columns"]
    if colors < 1 or columns < 1 or bits not in (1, 2, 4, 8, 16):
        raise DamagedContentError("its /DecodeParms predictor values are out of range")
    row = (colors * bits * columns + 7) // 8
    if row > max(decoded, 1):
        raise DamagedContentError(f"a predictor row of {row:,} bytes, more than its data")
    early = parameters.get("/EarlyChange", 1)
    if isinstance(early, int) and not isinstance(early, bool):
        given["/EarlyChange"] = early
    return given


def _with_qpdf(data: bytes, name: str, parameters: dict[str, int] | None) -> bytes:
    """``data`` decoded by qpdf with one filter; :class:`DamagedContentError` if it cannot be.

    qpdf refuses some parameters by raising what is not a ``PdfError``
    (``/Columns -5`` a ``ValueError``, ``/BitsPerComponent 3`` a runtime
    error): every one of them means the same, content the book cannot draw.
    """
    import pikepdf

    scratch = pikepdf.new()
    try:
        stream = pikepdf.Stream(scratch, data)
        stream.Filter = pikepdf.Name(name)
        if parameters is not None:
            stream.DecodeParms = pikepdf.Dictionary(parameters)
        return bytes(stream.read_bytes())
    except (pikepdf.PdfError, RuntimeError, ValueError, OverflowError) as error:
        raise DamagedContentError(f"{name[1:]}: {_first_line(error)}") from None
    finally:
        scratch.close()


def _first_line(error: Exception) -> str:
    """The first line of ``error``'s message, or its kind if it has none."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _inflate(data: bytes, limit: int, keep: bool) -> bytes | int:
    """zlib-inflate ``data`` a chunk at a time: the bytes if ``keep``, else only their count."""
    inflater = zlib.decompressobj()
    kept: list[bytes] = []
    total = 0
    pending = data
    try:
        while not inflater.eof:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            total += len(chunk)
            if total > limit:
                raise ContentTooLargeError
            if keep:
                kept.append(chunk)
            if not chunk and not pending:
                break
    except zlib.error as error:
        raise DamagedContentError(f"FlateDecode: {error}") from None
    return b"".join(kept) if keep else total


def _unrun(data: bytes, limit: int, keep: bool) -> bytes | int:
    """Undo ``/RunLengthDecode``: a length byte, then that many bytes or one byte repeated."""
    kept = bytearray()
    total = 0
    index = 0
    while index < len(data) and data[index] != 128:
        length = data[index]
        if length < 128:
            piece = data[index + 1 : index + 2 + length]
            index += 2 + length
        else:
            piece = data[index + 1 : index + 2] * (257 - length)
            index += 2
        total += len(piece)
        if total > limit:
            raise ContentTooLargeError
        if keep:
            kept += piece
    return bytes(kept) if keep else total


def _unlzw(data: bytes, limit: int, keep: bool, early: int) -> bytes | int:
    """Undo ``/LZWDecode`` (9- to 12-bit codes, most significant bit first), counting as it goes."""
    kept = bytearray()
    first = [bytes([value]) for value in range(256)] + [b"", b""]
    table = list(first)
    #: The width of the next code, changed as the table grows: read by :func:`_codes`.
    width = [9]
    previous: bytes | None = None
    total = 0
    for code in _codes(data, width):
        if code == 256:
            table, width[0], previous = list(first), 9, None
            continue
        if code == 257:
            break
        if code < len(table):
            entry = table[code]
        elif code == len(table) and previous is not None:
            entry = previous + previous[:1]
        else:
            raise DamagedContentError("LZWDecode: bad code received")
        if previous is not None and len(table) < 4096:
            table.append(previous + entry[:1])
        previous = entry
        total += len(entry)
        if total > limit:
            raise ContentTooLargeError
        if keep:
            kept += entry
        width[0] = min(12, max(9, (len(table) + early).bit_length()))
    return bytes(kept) if keep else total


def _codes(data: bytes, width: list[int]) -> Iterator[int]:
    """The codes in ``data``, each as wide as ``width[0]`` is when it is read."""
    buffer = 0
    bits = 0
    for byte in data:
        buffer = (buffer << 8) | byte
        bits += 8
        while bits >= width[0]:
            bits -= width[0]
            yield buffer >> bits
            buffer &= (1 << bits) - 1
