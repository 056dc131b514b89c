"""What a command asks of a build, read from the command line's values.

Sizes (:class:`ByteSize`) and a scheduler's address are read as the options
are parsed, so that a mistyped one fails before any work.  The command line
then passes its options through as they are; here they become the packs to
read, the :class:`~briefpack.content.limits.ReadLimits` and the
:class:`~briefpack.build.pipeline.BuildOptions`, with the defaults chosen
where nothing was given.  Cheap to import: the command line imports it at
start-up.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefpack.build.limits import Limits
from briefpack.build.scheduler import check_address
from briefpack.render.formats import DEFAULT_FORMATS

if TYPE_CHECKING:
    from briefpack.build.pipeline import BuildOptions
    from briefpack.content.limits import ReadLimits

#: Where the packs are when no path is given, and where new and imported packs go.
DEFAULT_CONTENT = "content"

#: What each unit of a size stands for, in bytes.
_UNITS = {
    "": 1,
    "b": 1,
    "k": 1024,
    "kb": 1024,
    "m": 1024**2,
    "mb": 1024**2,
    "g": 1024**3,
    "gb": 1024**3,
}


def pack_paths(paths: Sequence[str]) -> Sequence[str]:
    """The pack files and folders given, or the content folder when none is."""
    return paths or (DEFAULT_CONTENT,)


class ByteSize(click.ParamType):  # type: ignore[type-arg]
    """A size in bytes, written plainly or with a unit: 500k, 5MB, 1.5M."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """Return the number of bytes ``value`` stands for."""
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
        unit = match.group(2).lower() if match else ""
        if match is None or unit not in _UNITS or float(match.group(1)) <= 0:
            self.fail(f"{value!r} is not a size such as 500k or 5MB", param, ctx)
        return int(float(match.group(1)) * _UNITS[unit])


def scheduler_address(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    """``--executor``, checked at once: a mistyped address fails before any work, in one line."""
    if value:
        check_address(value)
    return value or None


def read_limits(
    max_size: int,
    max_attachment_pages: int,
    max_pack_attachment_pages: int,
    max_attachment_stream_size: int,
    **_: Any,
) -> ReadLimits:
    """The limits on reading a pack, from the options named after them."""
    from briefpack.content.limits import ReadLimits

    return ReadLimits(
        max_size, max_attachment_pages, max_pack_attachment_pages, max_attachment_stream_size
    )


def build_options(
    out_dir: Path,
    formats: tuple[str, ...],
    paper: str | None,
    notes: bool | None,
    answer_fields: bool | None,
    pdf_variant: str,
    reference_docx: Path | None,
    no_sessions: bool,
    force: bool,
    per_recipient: bool | None,
    changes_since: str | None,
    theme: str | None,
    jobs: int | None,
    executor: str | None,
    connect_timeout: float,
    cache: str | None,
    time_limit: float,
    memory_limit: int,
    **limits: int,
) -> BuildOptions:
    """The options of a build (of ``build``, ``watch`` and ``preview``) from the command line's.

    A format given twice is built once; without ``--jobs``, there are as many
    workers as CPUs; an empty address or cache (``BRIEFPACK_EXECUTOR=``) is none.
    """
    from briefpack.build.pipeline import BuildOptions

    return BuildOptions(
        out_dir=out_dir,
        formats=tuple(dict.fromkeys(formats)) or DEFAULT_FORMATS,
        paper=paper.lower() if paper else None,
        notes=notes,
        answer_fields=answer_fields,
        pdf_variant=pdf_variant,
        reference_docx=reference_docx,
        sessions=not no_sessions,
        per_recipient=per_recipient,
        changes_since=changes_since,
        force=force,
        jobs=jobs or os.cpu_count() or 1,
        read_limits=read_limits(**limits),
        limits=Limits(seconds=time_limit, memory=memory_limit),
        theme=theme,
        executor=executor or None,
        connect_timeout=connect_timeout,
        cache=cache or None,
    )
