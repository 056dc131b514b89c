"""Expected errors: problems in content or usage, reported as ``PATH:LINE:COL: message``.

Anything that is not a :class:`BriefpackError` is a bug in briefpack and is
reported as such by the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

import click

from briefpack.model.marks import Mark, Problem

__all__ = ["ADVICE_LOGGER", "BriefpackError", "Mark", "Problem", "at"]

#: The logger for advice about the machine (a missing library), as opposed to
#: warnings about the content; the command line shows each piece of advice once.
ADVICE_LOGGER = "briefpack.advice"


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
