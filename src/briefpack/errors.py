"""Expected errors: problems in content or usage, reported as ``PATH:LINE:COL: message``.

Anything that is not a :class:`BriefpackError` is a bug in briefpack and is
reported as such by the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

import click

#: The logger for advice about the machine (a missing library), as opposed to
#: warnings about the content; the command line shows each piece of advice once.
ADVICE_LOGGER = "briefpack.advice"


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


class BriefpackError(click.ClickException):
    """An expected failure: bad content, a bad option, a missing file.

    Carries every problem found, so that an author sees them all in one run.
    Each is printed on its own line in the ``PATH:LINE:COL: message`` form that
    editors and CI annotators parse.
    """

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(None, problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def show(self, file: IO[Any] | None = None) -> None:
        """Print one line per problem on standard error, without a prefix."""
        for problem in self.problems:
            click.echo(str(problem), file=file, err=file is None)


def at(mark: Mark | str | None, message: str) -> BriefpackError:
    """Return an error with a single problem at ``mark``."""
    return BriefpackError([Problem(mark, message)])
