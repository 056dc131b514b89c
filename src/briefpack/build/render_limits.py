"""Limits that bound what one render may cost: time and memory.

The limits on reading a pack (file size, nesting depth) are
:mod:`briefpack.content.read_limits`.
"""

from dataclasses import dataclass

#: Seconds one output may take to render, unless ``--time-limit`` says otherwise.
DEFAULT_TIME_LIMIT = 300.0
#: Address space of a rendering worker, unless ``--memory-limit`` says otherwise.
DEFAULT_MEMORY_LIMIT = 4 * 1024**3


@dataclass(frozen=True, slots=True)
class Limits:
    """What one render may cost; a 1,000-question pack fits well within the defaults."""

    #: Seconds of wall-clock time for one output.
    seconds: float = DEFAULT_TIME_LIMIT
    #: Bytes of address space for a worker process.
    memory: int = DEFAULT_MEMORY_LIMIT
