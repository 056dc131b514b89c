"""Limits that bound what one pack may cost: file size, nesting depth, render time and memory."""

from dataclasses import dataclass

#: Largest pack file read, in bytes, unless ``--max-size`` says otherwise.
DEFAULT_MAX_SIZE = 5 * 1024 * 1024
#: Deepest nesting of lists and mappings accepted; the format itself needs eight.
MAX_DEPTH = 32


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
