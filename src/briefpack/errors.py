"""Expected errors: problems in content or usage, reported as ``PATH:LINE:COL: message``.

Anything that is not a :class:`BriefpackError` is a bug in briefpack and is
reported as such by the CLI.  This is a plain exception, so that the layers
that raise it (content, render) need not know about the command line: the
CLI turns it into click's error, with the same message and exit status.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from briefpack.model.marks import Mark, Problem

__all__ = ["ADVICE_LOGGER", "BriefpackError", "Mark", "Problem", "at"]

#: The logger for advice about the machine (a missing library), as opposed to
#: warnings about the content; the command line shows each piece of advice once.
ADVICE_LOGGER = "briefpack.advice"


class BriefpackError(Exception):
    """An expected failure: bad content, a bad option, a missing file.

    Carries every problem found, so that an author sees them all in one run.
    Its text is a line per problem in the ``PATH:LINE:COL: message`` form that
    editors and CI annotators parse, which the command line prints as it is.
    """

    #: The exit status of a command that ends on this error, as for a usage error.
    exit_code: ClassVar[int] = 1

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(None, problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def at(mark: Mark | str | None, message: str) -> BriefpackError:
    """Return an error with a single problem at ``mark``."""
    return BriefpackError([Problem(mark, message)])
