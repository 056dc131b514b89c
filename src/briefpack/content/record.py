"""Reading a mapping of a file against its table of keys, and collecting what is wrong.

A :class:`Checker` is one file's reading: it gathers every problem and
warning, so that they are reported together once the file is read, in the
order of their lines (:func:`problem_order`), and it resolves the files the
file names inside one folder.  A :class:`Record` is
one mapping of that file checked against a table of
:mod:`briefpack.content.schema` (unknown, missing and duplicate keys), each
value read by its key's kind with :mod:`briefpack.content.values`.  Packs,
themes and answers files are all read this way, so a key of an existing
kind is checked alike wherever it appears.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from briefpack.content.images import resolve_image
from briefpack.content.loader import MappingNode, Node, ScalarNode, SequenceNode
from briefpack.content.markdown import parse_markdown
from briefpack.content.read_limits import not_a_regular_file
from briefpack.content.schema import Key
from briefpack.content.values import (
    Report,
    describe,
    read_choice,
    read_colour,
    read_date,
    read_flag,
    read_language,
    read_millimetres,
    read_minutes,
    read_points,
    read_rate,
    read_slug,
    read_text,
    read_time,
    read_timezone,
)
from briefpack.errors import Mark, Problem
from briefpack.model.rich_text import Markdown, images_in

T = TypeVar("T")


class Checker:
    """One file's reading: its problems and warnings, and the folder its paths are in."""

    def __init__(
        self, folder: Path, folder_label: str = "the pack's folder", fallback: Path | None = None
    ) -> None:
        self.folder = folder
        #: How messages name ``folder``.
        self.folder_label = folder_label
        #: A second folder a file may be found in when it is not in ``folder``.
        self.fallback = fallback
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def problem(self, mark: Mark, message: str) -> None:
        """Note what is wrong at ``mark``; the file is refused once it is all read."""
        self.problems.append(Problem(mark, message))

    def warning(self, mark: Mark, message: str) -> None:
        """Note what the author should know at ``mark``; the file is still read."""
        self.warnings.append(Problem(mark, f"warning: {message}"))

    def record(self, node: Node, keys: Sequence[Key], what: str) -> Record | None:
        """``node`` read as the mapping ``what`` with ``keys``; ``None`` if it is no mapping."""
        if not isinstance(node, MappingNode):
            self.problem(node.mark, f"{what} must be a mapping of keys, not {describe(node)}")
            return None
        return Record(self, node, keys, what)

    def local_file(
        self, mark: Mark, name: str, written: str, suffixes: Sequence[str]
    ) -> Path | None:
        """Resolve a path written in a file; it must be a file inside this checker's folder."""
        folder = self.folder.resolve()
        # resolve() follows symbolic links: a link inside that leads outside is outside.
        path = (folder / written).resolve()
        listed = " or ".join(suffixes)
        if not path.is_relative_to(folder):
            self.problem(mark, f"'{name}' must be a file in {self.folder_label}, not {written!r}")
        elif path.suffix.lower() not in suffixes:
            self.problem(mark, f"'{name}' must be a {listed} file, not {written!r}")
        elif not path.is_file() and (inherited := self._in_fallback(written)) is not None:
            return inherited
        elif (kind := not_a_regular_file(path)) is not None:
            # Never opened to find out: opening a named pipe waits for a writer.
            self.problem(mark, f"'{name}': {written!r} is {kind}; name a file")
        elif not path.is_file():
            self.problem(mark, f"'{name}': no such file {written!r} in {self.folder_label}")
        else:
            return path
        return None

    def _in_fallback(self, written: str) -> Path | None:
        if self.fallback is None:
            return None
        root = self.fallback.resolve()
        path = (root / written).resolve()
        return path if path.is_relative_to(root) and path.is_file() else None


def problem_order(problem: Problem) -> tuple[int, int]:
    """Sort key: problems in the order of their lines; file-wide ones first."""
    where = problem.where
    return (where.line, where.column) if isinstance(where, Mark) else (0, 0)


class Record:
    """A mapping checked against a table of keys, each value read as its kind says."""

    _READERS: ClassVar[dict[str, Callable[[Record, str], Any]]]

    def __init__(self, checker: Checker, node: MappingNode, keys: Sequence[Key], what: str):
        self.checker = checker
        self.node = node
        self.what = what
        self.values: dict[str, Node] = {}
        self.keys = {key.name: key for key in keys}
        known = self.keys
        first_seen: dict[str, ScalarNode] = {}
        for key_node, value in node.pairs:
            name = key_node.value
            if name in first_seen:
                checker.problem(
                    key_node.mark,
                    f"duplicate key '{name}' (first given at line {first_seen[name].mark.line}); "
                    "YAML would silently keep only the last one",
                )
                continue
            first_seen[name] = key_node
            if name not in known:
                checker.problem(key_node.mark, _unknown_key_message(name, keys, what))
                continue
            self.values[name] = value
        for key in keys:
            if key.required and key.name not in first_seen:
                checker.problem(node.mark, f"{what} is missing required key '{key.name}'")
        self.read = self._read_values()

    def mark(self, name: str) -> Mark | None:
        """Where the value of ``name`` is written; ``None`` if it is not given."""
        node = self.values.get(name)
        return None if node is None else node.mark

    def value(self, name: str) -> Any:
        """The value of ``name``, read as its kind in the schema says; ``None`` if absent or wrong.

        Typed ``Any`` because the kind is data: the reader for each kind
        below says what it returns.
        """
        return self.read.get(name)

    def _read_values(self) -> dict[str, Any]:
        """Read every value given, by its kind: a key added to the schema is checked at once."""
        read: dict[str, Any] = {}
        for name in self.values:
            key = self.keys[name]
            if key.kind == "choice":
                read[name] = self.choice(name, key.choices)
            elif key.kind not in ("list", "mapping"):
                read[name] = self._READERS[key.kind](self, name)
        return read

    def _given(self, name: str, read: Callable[[Node, str, Report], T | None]) -> T | None:
        """``read`` applied to the value of ``name``; ``None`` if it is not given."""
        node = self.values.get(name)
        return None if node is None else read(node, name, self.checker.problem)

    def text(self, name: str) -> str | None:
        """The text value of ``name``, exactly as written; ``None`` if absent or empty."""
        node = self.values.get(name)
        if node is None:
            return None
        return read_text(node, name, self.keys[name].required, self.checker.problem)

    def language(self, name: str) -> str | None:
        """A language tag such as ``en`` or ``en-GB``."""
        language = self.text(name)
        if language is None:
            return None
        mark = self.mark(name)
        assert mark is not None
        return read_language(language, mark, name, self.checker.problem)

    def colour(self, name: str) -> str | None:
        """A colour written ``#rrggbb``, returned in lower case."""
        return self._given(name, read_colour)

    def points(self, name: str) -> float | None:
        """A type size in points: ``11.5`` or ``11.5pt``, above 0 and at most 200."""
        return self._given(name, read_points)

    def millimetres(self, name: str) -> float | None:
        """A length in millimetres: ``20`` or ``20mm``, from 0 to 100."""
        return self._given(name, read_millimetres)

    def file(self, name: str) -> Path | None:
        """A file inside the folder being read, of one of the suffixes the schema allows."""
        written = self.text(name)
        if written is None:
            return None
        mark = self.mark(name)
        assert mark is not None
        return self.checker.local_file(mark, name, written, self.keys[name].choices)

    def markdown(self, name: str) -> Markdown | None:
        """The Markdown value of ``name``, parsed; refused links and images are warnings."""
        text = self.text(name)
        if text is None:
            return None
        folder = self.checker.folder
        markdown, notes = parse_markdown(text, lambda src: resolve_image(src, folder))
        mark = self.mark(name)
        assert mark is not None
        for note in notes:
            self.checker.warning(mark, f"in '{name}': {note}")
        for image in images_in(markdown.blocks):
            if not image.alt.strip():
                self.checker.warning(
                    mark,
                    f"in '{name}': a picture has no alt text, so screen readers skip it; "
                    "write ![what it shows](file)",
                )
        return markdown

    def flag(self, name: str) -> bool | None:
        """The ``true``/``false`` value of ``name``."""
        return self._given(name, read_flag)

    def choice(self, name: str, choices: Sequence[str]) -> str | None:
        """The value of ``name``, one of ``choices`` (compared without regard to case)."""
        node = self.values.get(name)
        return None if node is None else read_choice(node, name, choices, self.checker.problem)

    def date(self, name: str) -> dt.date | None:
        """The ISO date value of ``name``."""
        return self._given(name, read_date)

    def time(self, name: str) -> dt.time | None:
        """The 24-hour ``HH:MM`` time value of ``name``."""
        return self._given(name, read_time)

    def minutes(self, name: str) -> int | None:
        """A whole number of minutes: a duration or a break."""
        return self._given(name, read_minutes)

    def rate(self, name: str) -> int | None:
        """A reading rate, in words a minute."""
        return self._given(name, read_rate)

    def timezone(self, name: str) -> str | None:
        """An IANA time zone name."""
        return self._given(name, read_timezone)

    def slug(self, name: str) -> str | None:
        """The id value of ``name``: ``[a-z0-9-]+``."""
        text = self.text(name)
        if text is None:
            return None
        mark = self.mark(name)
        assert mark is not None
        return read_slug(text, mark, name, self.checker.problem)

    def items(self, name: str, build: Callable[[Node], T | None]) -> tuple[T, ...] | None:
        """Build each item of the list ``name``; ``None`` if any item is wrong.

        A required list needs at least one item; its items are named as the
        schema says.
        """
        key = self.keys[name]
        noun, at_least_one = key.item, key.required
        node = self.values.get(name)
        if node is None:
            return () if not at_least_one else None
        if isinstance(node, ScalarNode) and node.is_null:
            if at_least_one:
                self.checker.problem(node.mark, f"'{name}' needs at least one {noun}")
                return None
            return ()
        if not isinstance(node, SequenceNode):
            self.checker.problem(
                node.mark,
                f"'{name}' must be a list of {noun}s (lines starting with '- '), "
                f"not {describe(node)}",
            )
            return None
        if at_least_one and not node.items:
            self.checker.problem(node.mark, f"'{name}' needs at least one {noun}")
            return None
        built = [build(item) for item in node.items]
        if any(item is None for item in built):
            return None
        return tuple(item for item in built if item is not None)

    def mapping(self, name: str) -> MappingNode | None:
        """The mapping under ``name``, to read as a record; else ``None`` (reported if wrong)."""
        node = self.values.get(name)
        if node is None or (isinstance(node, ScalarNode) and node.is_null):
            return None
        if not isinstance(node, MappingNode):
            self.checker.problem(node.mark, f"'{name}' must be a mapping, not {describe(node)}")
            return None
        return node


#: How each kind of value in the schema is read.
Record._READERS = {
    "text": Record.text,
    "path": Record.text,
    "language": Record.language,
    "markdown": Record.markdown,
    "date": Record.date,
    "time": Record.time,
    "slug": Record.slug,
    "flag": Record.flag,
    "colour": Record.colour,
    "points": Record.points,
    "millimetres": Record.millimetres,
    "file": Record.file,
    "minutes": Record.minutes,
    "rate": Record.rate,
    "timezone": Record.timezone,
}


def _unknown_key_message(name: str, keys: Sequence[Key], what: str) -> str:
    names = [key.name for key in keys]
    if not names:
        return f"unknown key '{name}': {what} takes no keys yet"
    by_lowercase = {known.lower(): known for known in names}
    close = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6)
    suggestion = by_lowercase.get(name.lower()) or (close[0] if close else None)
    if suggestion:
        return f"unknown key '{name}' in {what}; did you mean '{suggestion}'?"
    return f"unknown key '{name}' in {what}; expected one of: {', '.join(names)}"
