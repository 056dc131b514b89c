"""What a build tells its caller: each output's event as it happens, and the report at the end.

Kept apart from the build itself so that what shows the progress (the
command line's :mod:`briefpack.build.progress`, ``watch``) depends on these
few names and not on the stages that produce them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from briefpack.errors import Problem

Event = Literal["written", "up to date", "failed", "removed"]
#: How a stage of the build tells of one output as it goes: :meth:`Progress.update`.
Notify = Callable[[Event, Path, float], None]


class Progress:
    """Told what a build is doing; the command line shows it. This one shows nothing."""

    def start(self, total: int) -> None:
        """``total`` outputs are about to be rendered."""

    def update(self, event: Event, path: Path, seconds: float) -> None:
        """An output was written, found up to date, failed or removed."""

    def stop(self) -> None:
        """The build is over."""


@dataclass(slots=True)
class BuildReport:
    """What a build did."""

    written: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    failures: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    packs: int = 0
    #: The folders of the themes the packs use: inputs, as the packs are (``watch``).
    theme_folders: set[Path] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        """True when every pack built."""
        return not self.failures
