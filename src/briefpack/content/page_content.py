"""How much page content a PDF decodes to, found without ever holding more than a limit of it.

A pre-read's pages are drawn into the book, and drawing a page decodes its
content streams, and those of the forms, patterns and Type 3 glyphs they use.
Compressed, a gigabyte of content fits in a megabyte of file: such a file
took 72 s and 1.1 GB of memory per worker to draw.  So each stream is decoded
here, when the pack is read, in bounded chunks that are counted and
dropped, and reading stops as soon as the total passes the limit.

A page's own content is counted each time a page uses it (drawing the page
decodes it again); a form, pattern or glyph once per file.  Pictures are not
page content and are not counted: they are never decoded to draw a pre-read.

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
#: How many page-tree levels are climbed for an inherited value.
_MAX_NESTING = 32
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


class ContentTooLargeError(Exception):
    """The page content decodes to more than the limit."""


class UncheckableFilterError(Exception):
    """Page content compressed with a filter whose decoded size cannot be bounded."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def page_content_size(pdf: Any, limit: int) -> int:
    """Bytes of page content ``pdf`` (an open ``pikepdf.Pdf``) decodes to, at most ``limit``.

    Raises :class:`ContentTooLargeError` past ``limit``, and
    :class:`UncheckableFilterError` for a filter that cannot be bounded.
    """
    counter = _Counter(limit)
    for page in pdf.pages:
        for stream in _contents(page.obj):
            counter.charge(stream)
        resources = inherited(page.obj, "/Resources")
        counter.walk_resources(resources)
    return counter.total


class _Counter:
    """Keeps the running total, each stream's decoded size, and what was walked."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.total = 0
        #: Decoded size of each stream seen, by object number: decoded once, charged per use.
        self.sizes: dict[tuple[int, int], int] = {}
        #: Resource dictionaries and streams already walked (a form's resources once per file).
        self.walked: set[tuple[int, int]] = set()

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

    def charge_once(self, stream: Any) -> bool:
        """Charge ``stream`` unless it was charged before; whether it was new."""
        key = stream.objgen
        if key != (0, 0) and key in self.walked:
            return False
        if key != (0, 0):
            self.walked.add(key)
        self.charge(stream)
        return True

    def walk_resources(self, resources: Any) -> None:
        """Charge the content streams a resource dictionary brings: forms, patterns, glyphs.

        Walked with a stack and a visited set rather than recursion and a
        depth limit: content nested deeper than a limit would go uncounted,
        and how deep a drawing may nest is the renderer's to refuse
        (:mod:`briefpack.render.preread`).  The walk ends, since each
        dictionary and stream of the file is visited once.
        """
        pending = [resources]
        while pending:
            pending.extend(self._brought_by(pending.pop()))

    def _brought_by(self, resources: Any) -> Iterator[Any]:
        """Charge what ``resources`` holds; yield the resource dictionaries it leads to."""
        import pikepdf

        if not isinstance(resources, pikepdf.Dictionary):
            return
        key = resources.objgen
        if key != (0, 0):
            if key in self.walked:
                return
            self.walked.add(key)
        for category in ("/XObject", "/Pattern"):
            for item in _values(resources.get(category)):
                if not isinstance(item, pikepdf.Stream):
                    continue
                if category == "/XObject" and item.get("/Subtype") != pikepdf.Name.Form:
                    continue  # a picture: not page content
                if self.charge_once(item):
                    yield item.get("/Resources")
        for font in _values(resources.get("/Font")):
            if isinstance(font, pikepdf.Dictionary) and font.get("/Subtype") == pikepdf.Name.Type3:
                for glyph in _values(font.get("/CharProcs")):
                    if isinstance(glyph, pikepdf.Stream):
                        self.charge_once(glyph)
                yield font.get("/Resources")
        for state in _values(resources.get("/ExtGState")):
            mask = state.get("/SMask") if isinstance(state, pikepdf.Dictionary) else None
            group = mask.get("/G") if isinstance(mask, pikepdf.Dictionary) else None
            if isinstance(group, pikepdf.Stream) and self.charge_once(group):
                yield group.get("/Resources")


def _values(mapping: Any) -> Iterator[Any]:
    import pikepdf

    if isinstance(mapping, pikepdf.Dictionary):
        for _, value in mapping.items():
            yield value


def _contents(page: Any) -> list[Any]:
    """The page's content streams, each as often as the page lists it."""
    import pikepdf

    contents = page.get("/Contents")
    if isinstance(contents, pikepdf.Array):
        return list(contents)
    return [contents] if contents is not None else []


def inherited(page: Any, name: str) -> Any:
    """``name`` of ``page``, or of the nearest page-tree node above it that has one."""
    import pikepdf

    node = page
    for _ in range(_MAX_NESTING):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if name in node:
            return node.get(name)
        node = node.get("/Parent")
    return None


def decoded_size(stream: Any, limit: int) -> int:
    """Bytes ``stream`` decodes to; raises :class:`ContentTooLargeError` past ``limit``.

    Data a filter cannot decode (damaged or truncated) counts as far as it
    decoded, as a reader would draw it.
    """
    import pikepdf

    filters = _as_list(stream.get("/Filter"))
    parameters = _as_list(stream.get("/DecodeParms"))
    names = [_FULL_NAMES.get(str(item), str(item)) for item in filters]
    data = bytes(stream.read_raw_bytes())
    for index, name in enumerate(names):
        last = index == len(names) - 1
        if name == "/FlateDecode":
            produced = _inflate(data, limit, keep=not last)
        elif name == "/LZWDecode":
            produced = _unlzw(data, limit, keep=not last, early=_early_change(parameters, index))
        elif name == "/RunLengthDecode":
            produced = _unrun(data, limit, keep=not last)
        elif name in _SHRINKING:
            produced = _with_qpdf(data, name, None)
        else:
            raise UncheckableFilterError(name)
        if isinstance(produced, int):
            return produced
        if len(produced) > limit:
            raise ContentTooLargeError
        predicted = index < len(parameters) and isinstance(parameters[index], pikepdf.Dictionary)
        if predicted and name in ("/FlateDecode", "/LZWDecode"):
            # Known to fit: let qpdf undo the predictor exactly as it will when drawing.
            produced = _with_qpdf(data, name, parameters[index])
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


def _with_qpdf(data: bytes, name: str, parameters: Any) -> bytes:
    """``data`` decoded by qpdf with one filter; empty where qpdf cannot decode it."""
    import pikepdf

    scratch = pikepdf.new()
    stream = pikepdf.Stream(scratch, data)
    stream.Filter = pikepdf.Name(name)
    if parameters is not None:
        stream.DecodeParms = scratch.copy_foreign(parameters)
    try:
        return bytes(stream.read_bytes())
    except pikepdf.PdfError:
        return b""
    finally:
        scratch.close()


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
    except zlib.error:
        pass  # damaged: what decoded is what a reader draws
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
            break  # damaged: stop where a reader would
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
