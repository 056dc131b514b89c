"""Limits that bound what reading one pack may cost: file sizes, pages, decoded content, nesting.

They travel together, as one :class:`ReadLimits`, from the command line's
options to every place a pack is read (``validate``, ``build``, an earlier
version for ``--changes-since``), so that no way of reading a pack skips one.
The limits on rendering (time, memory) are :mod:`briefpack.build.render_limits`.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

#: Largest pack file read, in bytes, unless ``--max-size`` says otherwise.
DEFAULT_MAX_SIZE = 5 * 1024 * 1024
#: Most pages one pre-read may have unless ``--max-attachment-pages`` says otherwise.
DEFAULT_MAX_ATTACHMENT_PAGES = 500
#: Most pre-read pages one pack may draw in, each attachment counted each time it
#: is attached: 10 copies of a 500-page file took 230 s and 875 MB to render.
DEFAULT_MAX_PACK_ATTACHMENT_PAGES = 2000
#: Most page content (content streams, decoded) one pre-read may hold.  A real
#: 500-page report holds 5-30 MB; a 1 MB file can decode to 1 GB, which took
#: 72 s and 1.1 GB of memory per worker to draw.
DEFAULT_MAX_ATTACHMENT_STREAM_SIZE = 100 * 1024 * 1024
#: Deepest nesting of lists and mappings accepted; the format itself needs eight.
MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Every limit on reading a pack, each named after the option that sets it."""

    #: ``--max-size``: bytes of any pack file read, from disk or from git.
    max_size: int = DEFAULT_MAX_SIZE
    #: ``--max-attachment-pages``: pages of one pre-read.
    max_attachment_pages: int = DEFAULT_MAX_ATTACHMENT_PAGES
    #: ``--max-pack-attachment-pages``: pre-read pages of a whole pack.
    max_pack_attachment_pages: int = DEFAULT_MAX_PACK_ATTACHMENT_PAGES
    #: ``--max-attachment-stream-size``: decoded page content of one pre-read, in bytes.
    max_attachment_stream_size: int = DEFAULT_MAX_ATTACHMENT_STREAM_SIZE


def megabytes(size: int) -> str:
    """``size`` bytes as a message shows them: ``5 MB``, ``51.0 MB``, ``0.5 MB``."""
    value = size / 1024**2
    return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"


def not_a_regular_file(path: Path) -> str | None:
    """What ``path`` is, when it exists but is not a regular file; ``None`` otherwise.

    Asked with ``stat``, which follows links but never opens: opening a FIFO
    to find out would block until something writes to it.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    )
    kind = next((name for test, name in kinds if test(mode)), "something else")
    return f"not a regular file ({kind})"


def read_regular_file(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of the regular file at ``path``, or ``None`` if it holds more than ``max_bytes``.

    Opened without blocking and checked on the open file, so a FIFO or device
    put in its place after a check is refused rather than waited on, and read
    with a cap, so a file that grows after its size was taken is refused too.
    Raises :class:`OSError` (``NotRegularFileError`` for anything not a file).
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegularFileError(not_a_regular_file(path) or "not a regular file")
        file = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with file:
        data = file.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


class NotRegularFileError(OSError):
    """A path that names a folder, pipe, socket or device where a file was expected."""
