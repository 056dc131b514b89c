"""Read a YAML file into a tree of nodes that remember where they came from.

The tree is built from libyaml's event stream rather than from PyYAML's
constructed objects, for three reasons:

* every node keeps its file, line and column, so that validation can point at
  the exact place of a problem;
* scalars stay as the author wrote them: ``9:30`` is not the YAML 1.1
  sexagesimal integer 570, ``No`` is not ``False`` and ``1.10`` is not ``1.1``;
  the validator decides what each value means from the field it is in;
* mappings keep every pair, so duplicate keys are reported instead of the
  earlier value being silently dropped.

Aliases are refused: content never needs them, and expanding them is how an
"alias bomb" turns a small file into an enormous tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import yaml

from briefpack.content.read_limits import (
    DEFAULT_MAX_SIZE,
    MAX_DEPTH,
    NotRegularFileError,
    read_regular_file,
)
from briefpack.errors import BriefpackError, Mark, Problem, at

try:
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader

#: The only explicit tag content may use: it forces a value to stay text.
STRING_TAG = "tag:yaml.org,2002:str"
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True, slots=True)
class ScalarNode:
    """A single value, exactly as written (``plain`` when unquoted)."""

    value: str
    mark: Mark
    plain: bool

    @property
    def is_null(self) -> bool:
        """True for an empty value, ``~`` or ``null`` written without quotes."""
        return self.plain and self.value in _NULL_WORDS


@dataclass(frozen=True, slots=True)
class SequenceNode:
    """A list of nodes."""

    items: tuple[Node, ...]
    mark: Mark


@dataclass(frozen=True, slots=True)
class MappingNode:
    """Key/value pairs in file order, duplicates included."""

    pairs: tuple[tuple[ScalarNode, Node], ...]
    mark: Mark


Node: TypeAlias = ScalarNode | SequenceNode | MappingNode


def read_text(path: Path, label: str, max_size: int = DEFAULT_MAX_SIZE) -> str:
    """Read ``path`` as UTF-8 text (a byte-order mark is allowed).

    ``label`` is how the path is shown in messages.  A file larger than
    ``max_size`` bytes is refused before it is read; a named pipe, socket,
    device or folder is refused without being opened for long enough to block.
    """
    try:
        size = path.stat().st_size
        if size > max_size:
            raise _too_large(label, size, max_size)
        data = read_regular_file(path, max_size)
    except FileNotFoundError:
        raise at(label, "no such file") from None
    except NotRegularFileError as error:
        raise at(label, str(error)) from None
    except OSError as error:
        raise at(label, f"cannot be read: {error.strerror}") from None
    if data is None:  # it grew after its size was taken
        raise _too_large(label, max_size + 1, max_size)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        raise at(
            Mark(label, line, column),
            f"the file is not UTF-8 text (byte 0x{byte:02x}); save it with UTF-8 encoding",
        ) from None


def parse_yaml(text: str, label: str) -> Node:
    """Parse one YAML document into a node tree.

    Raises :class:`BriefpackError` for syntax errors, an empty file, several
    documents in one file, aliases and explicit tags other than ``!!str``.
    """
    events = _EventStream(yaml.parse(text, Loader=_Parser))
    try:
        return _Composer(events, label).document()
    except yaml.YAMLError as error:
        raise _syntax_error(error, text, label) from None


def load_file(path: Path, label: str | None = None, max_size: int = DEFAULT_MAX_SIZE) -> Node:
    """Read and parse the YAML file at ``path``."""
    label = str(path) if label is None else label
    return parse_yaml(read_text(path, label, max_size), label)


def _too_large(label: str, size: int, max_size: int) -> BriefpackError:
    return at(
        label,
        f"the file is {_megabytes(size)}, over the limit of {_megabytes(max_size)} "
        "for a pack (--max-size raises it)",
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


class _EventStream:
    """An iterator of YAML events with one event of look-ahead."""

    def __init__(self, events: object) -> None:
        self._events = iter(events)  # type: ignore[call-overload]
        self._next: yaml.Event | None = None

    def peek(self) -> yaml.Event:
        if self._next is None:
            self._next = next(self._events)
        return self._next

    def take(self) -> yaml.Event:
        event = self.peek()
        self._next = None
        return event


class _Composer:
    def __init__(self, events: _EventStream, label: str) -> None:
        self._events = events
        self._label = label

    def _mark(self, event: yaml.Event) -> Mark:
        start = event.start_mark
        assert start is not None, "libyaml marks every event"
        return Mark(self._label, start.line + 1, start.column + 1)

    def document(self) -> Node:
        self._events.take()  # StreamStartEvent
        if isinstance(self._events.peek(), yaml.StreamEndEvent):
            raise at(
                Mark(self._label, 1, 1),
                "the file is empty; a pack needs at least 'title' and 'days'",
            )
        self._events.take()  # DocumentStartEvent
        root = self._node()
        self._events.take()  # DocumentEndEvent
        following = self._events.take()
        if not isinstance(following, yaml.StreamEndEvent):
            raise at(
                self._mark(following),
                "a pack file holds one YAML document; remove the second '---' "
                "or split the packs into separate files",
            )
        return root

    def _node(self, depth: int = 0) -> Node:
        event = self._events.take()
        mark = self._mark(event)
        if depth > MAX_DEPTH:
            raise at(mark, f"nesting deeper than {MAX_DEPTH} levels; a pack needs far fewer")
        if isinstance(event, yaml.AliasEvent):
            raise at(
                mark,
                f"aliases (*{event.anchor}) are not supported in content; "
                "write the value out in full",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, yaml.ScalarEvent) and tag == STRING_TAG):
            raise at(mark, f"YAML tags ({tag}) are not supported in content")
        if isinstance(event, yaml.ScalarEvent):
            return ScalarNode(event.value, mark, plain=event.implicit[0] and not event.style)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Node] = []
            while not isinstance(self._events.peek(), yaml.SequenceEndEvent):
                items.append(self._node(depth + 1))
            self._events.take()
            return SequenceNode(tuple(items), mark)
        if isinstance(event, yaml.MappingStartEvent):
            pairs: list[tuple[ScalarNode, Node]] = []
            while not isinstance(self._events.peek(), yaml.MappingEndEvent):
                key = self._node(depth + 1)
                if not isinstance(key, ScalarNode):
                    raise at(key.mark, "a key must be a plain name, not a list or mapping")
                pairs.append((key, self._node(depth + 1)))
            self._events.take()
            return MappingNode(tuple(pairs), mark)
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover


def _syntax_error(error: yaml.YAMLError, text: str, label: str) -> BriefpackError:
    """Turn a PyYAML error into a located problem."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        where = Mark(label, mark.line + 1, mark.column + 1)
        message = error.problem or "invalid YAML"
        if message.startswith("mapping values are not allowed"):
            message += "; if the value is text containing ': ', put it in double quotes"
        if error.context and error.context_mark is not None:
            context_line = error.context_mark.line + 1
            message = f"{message} ({error.context} at line {context_line})"
        return BriefpackError([Problem(where, f"YAML syntax: {message}")])
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        character = error.character
        code = character if isinstance(character, int) else ord(character)
        return at(
            Mark(label, line, column),
            f"character U+{code:04X} is not allowed here: {error.reason}",
        )
    return at(label, f"YAML: {error}")  # pragma: no cover - every libyaml error is marked
