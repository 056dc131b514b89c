"""Where things are in the source: a mark for every value, and problems found at marks.

They belong to the model because a validated pack keeps the place of each
value (so that a writer's warning can name its line) and the warnings found
while validating it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Mark:
    """A place in a source file; ``line`` and ``column`` count from 1."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, at the place it was found.

    ``where`` is a :class:`Mark`, a bare path (for a problem with a file as a
    whole), or ``None`` when no file is involved.
    """

    where: Mark | str | None
    message: str

    def __str__(self) -> str:
        if self.where is None:
            return self.message
        return f"{self.where}: {self.message}"
