"""How many words a pre-read's pages hold, for its session's pre-reading time.

Its text is read with pypdf, once per file: the count is kept by the file's
SHA-256 digest for the life of the process, so a file attached to two
sessions, or a pack read again (``watch``, ``validate`` then ``build``), is
not read twice; a build keeps the counts beside its outputs between runs
(:func:`remember_words`, :func:`words_known`; :mod:`briefpack.build.loading`), so
a rebuild reads no pre-read's text again.  pypdf is pure Python, so what reading may cost can be
bounded from here, which a library in C (pdfium hung for minutes on a
form-in-form bomb that qpdf's checks let through) does not allow:

- a page whose content (its own streams and the forms it draws, each once)
  decodes to more than :data:`MAX_PAGE_CONTENT` is not read: pypdf parses a
  stream whole before anything can stop it;
- at most :data:`MAX_CONTENT` of page content and :data:`MAX_OPERATIONS`
  drawing operations are read per file (a dense 300-page report is 7 MB and
  13 s of CPU): pages are read in an order spread over the whole file, and
  the pages left unread are counted at the average of those read, which is
  all a time rounded to minutes needs;
- pypdf's own cap on forms drawn per page stops a form drawn a million times.

Every budget counts bytes and operations, never seconds, so the same file
gives the same count on every machine.  A file whose text cannot be read at
all counts ``None`` (its attachment, no words, and a warning at its line).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefpack.content.page_content import (
    ContentTooLargeError,
    DamagedContentError,
    UncheckableFilterError,
    decoded_size,
    inherited,
)
from briefpack.content.preread_files import MAX_ATTACHMENT_BYTES
from briefpack.content.read_limits import read_regular_file

#: Most decoded page content read for words from one file, and from one page.
MAX_CONTENT = 1024 * 1024
MAX_PAGE_CONTENT = 512 * 1024
#: Most drawing operations read for words from one file (forms drawn again count again).
MAX_OPERATIONS = 150_000
#: Most form XObjects looked at to size one page.
_MAX_FORMS = 200
#: A word: a run of characters without spaces, holding a letter or a digit.
_WORD = re.compile(r"\S*[^\W_]\S*")

#: Words of each file read in this process, by its SHA-256 digest; ``None``: unreadable.
_WORDS: dict[str, int | None] = {}


def remember_words(known: Mapping[str, int | None]) -> None:
    """Take in counts made before, by digest (a build keeps them between runs)."""
    for digest, words in known.items():
        _WORDS.setdefault(digest, words)


def words_known() -> dict[str, int | None]:
    """Every count this process holds, by digest: what a build keeps for the next run."""
    return dict(_WORDS)


def count_words(text: str) -> int:
    """How many words ``text`` holds: runs without spaces that hold a letter or a digit."""
    return len(_WORD.findall(text))


def preread_words(data: bytes, digest: str) -> int | None:
    """The words of the PDF ``data`` (whose SHA-256 is ``digest``); ``None`` if unreadable.

    Read once per digest in a process; never raises for what the file holds.
    """
    if digest not in _WORDS:
        _WORDS[digest] = _read_words(data)
    return _WORDS[digest]


def _read_words(data: bytes) -> int | None:
    """Count the words of ``data``, pypdf's and qpdf's complaints silenced."""
    # pypdf logs what it repairs as warnings, which Python prints when nothing is set up.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _sampled_words(data)
    except Exception:  # whatever a hostile file makes pypdf raise: unreadable
        return None
    finally:
        pypdf_log.setLevel(level)


class _OutOfOperationsError(Exception):
    """The file's budget of drawing operations is spent: stop reading.

    Raised again at every operation after, so that pypdf, which carries on past
    an error inside a form, still stops at the page.
    """


def _sampled_words(data: bytes) -> int | None:
    """The words of the pages read within the budgets, the unread ones at their average."""
    import pypdf

    sizes = _page_sizes(data)
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    pages = reader.pages
    operations = [0]

    def count(*_: object) -> None:
        operations[0] += 1
        if operations[0] > MAX_OPERATIONS:
            raise _OutOfOperationsError

    words = read = content = 0
    for index in spread(len(sizes)):
        size = sizes[index]
        if size > MAX_PAGE_CONTENT or content + size > MAX_CONTENT:
            continue
        try:
            text = pages[index].extract_text(visitor_operand_before=count)
        except _OutOfOperationsError:
            break
        content += size
        words += count_words(text)
        read += 1
    if not read:
        return None
    return round(words * len(sizes) / read)


def _page_sizes(data: bytes) -> list[int]:
    """Each page's decoded content, its forms' included (each once), read with qpdf."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [_page_size(page.obj) for page in pdf.pages]


def _page_size(page: Any) -> int:
    """The decoded size of a page's content and of the forms it may draw, capped one past
    :data:`MAX_PAGE_CONTENT`."""
    import pikepdf

    limit = MAX_PAGE_CONTENT + 1
    contents = page.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    total = 0
    for stream in streams:
        if isinstance(stream, pikepdf.Stream):
            total += _size(stream, limit - total)
            if total >= limit:
                return limit
    pending = [inherited(page, "/Resources")]
    seen: set[tuple[int, int]] = set()
    while pending and len(seen) < _MAX_FORMS:
        resources = pending.pop()
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(xobjects, pikepdf.Dictionary):
            continue
        for key in list(xobjects.keys()):
            form = xobjects[key]
            if not isinstance(form, pikepdf.Stream) or form.get("/Subtype") != pikepdf.Name.Form:
                continue
            if form.objgen in seen:
                continue
            seen.add(form.objgen)
            total += _size(form, limit - total)
            if total >= limit:
                return limit
            pending.append(form.get("/Resources"))
    return total if len(seen) < _MAX_FORMS else limit


def _size(stream: Any, limit: int) -> int:
    """The decoded size of ``stream``; ``limit`` past it, or if it cannot be decoded (not read)."""
    try:
        return decoded_size(stream, limit)
    except (ContentTooLargeError, DamagedContentError, UncheckableFilterError):
        return limit


def spread(pages: int) -> list[int]:
    """Every page index once, in an order whose every start is spread over the whole file.

    The van der Corput order (0, 1/2, 1/4, 3/4, ...) of the file's length: a
    sample cut short by the budget still has pages from its start, middle
    and end, not its first chapter alone.
    """
    order: dict[int, None] = {}
    step = 0
    while len(order) < pages and step < 4 * pages:
        order.setdefault(int(_radical_inverse(step) * pages), None)
        step += 1
    order.update(dict.fromkeys(range(pages)))
    return list(order)


def _radical_inverse(number: int) -> float:
    """``number``'s binary digits mirrored after the point: 1 -> 0.5, 2 -> 0.25, 3 -> 0.75."""
    result, unit = 0.0, 0.5
    while number:
        if number & 1:
            result += unit
        number >>= 1
        unit /= 2
    return result


def file_words(path: Path, digest: str) -> int | None:
    """The words of the pre-read at ``path``, known by its ``digest``; ``None`` if unreadable.

    The file is read again only if no file of that digest was read in this
    process (its checks read it once already, into memory they let go).
    """
    if digest in _WORDS:
        return _WORDS[digest]
    try:
        data = read_regular_file(path, MAX_ATTACHMENT_BYTES)
    except OSError:
        return None
    if data is None:
        return None
    return preread_words(data, hashlib.sha256(data).hexdigest())
