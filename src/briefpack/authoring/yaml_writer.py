"""Write pack data as YAML for people: keys in the format's order, long text as blocks.

Every scalar is checked by reading it back; a value that YAML would read
differently (``No``, ``1.10``, ``9:30``) is quoted.
"""

from __future__ import annotations

import functools
import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from briefpack.content.schema import RECORDS, Key

WIDTH = 88
# Key order for each mapping, by the key it sits under: lists are named by the
# plural of what they hold ("days" holds days); the top level is the pack.
_ORDER: dict[str, tuple[Key, ...]] = {
    "pack": RECORDS["pack"],
    "options": RECORDS["options"],
    **{f"{name}s": keys for name, keys in RECORDS.items() if name not in ("pack", "options")},
}
#: Keys whose values may run long and read best as blocks.
_PROSE = frozenset({"context", "question", "subtitle"})
#: Marks that mean nothing to YAML inside a plain scalar in block context (only in
#: flow context, or at a scalar's start, where a letter or digit stands instead).
_PLAIN_MARKS = frozenset(" .,()'/&+-_")
_RESOLVER = yaml.resolver.Resolver()


def dump_pack(pack: Mapping[str, Any], header: str = "") -> str:
    """YAML text for ``pack`` (plain data: dicts, lists and strings)."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    try:
        lines += _mapping(pack, "pack", 0)
    finally:
        # The answers are kept for one pack's repeated values, not its text for ever.
        _snippet_reads_back.cache_clear()
    return "\n".join(lines) + "\n"


def _mapping(data: Mapping[str, Any], kind: str, indent: int, first: str = "") -> list[str]:
    lines: list[str] = []
    keys = [key.name for key in _ORDER[kind] if key.name in data]
    keys += [key for key in data if key not in keys]
    for position, key in enumerate(keys):
        value = data[key]
        prefix = first if position == 0 and first else " " * indent
        if isinstance(value, Mapping):
            lines.append(f"{prefix}{key}:")
            lines += _mapping(value, key, indent + 2)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            if kind == "pack" and key == "days":
                lines.append("")
            lines.append(f"{prefix}{key}:")
            for item in value:
                lines += _mapping(item, key, indent + 4, first=" " * (indent + 2) + "- ")
        else:
            lines += _scalar(prefix, key, str(value), indent, prose=key in _PROSE)
    return lines


def _scalar(prefix: str, key: str, value: str, indent: int, prose: bool) -> list[str]:
    """The lines of ``key: value``, in the most readable form that reads back exactly."""
    body = " " * (indent + 2)
    candidates: list[list[str]] = []
    if key == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        # briefpack reads dates as written; unquoted they read best.
        return [f"{prefix}{key}: {value}"]
    if key in ("start", "end"):
        # Quoted always: YAML 1.1 reads 10:00 as the number 600 (09:00 stays text).
        return [f"{prefix}{key}: {json.dumps(value)}"]
    if "\n" in value:
        candidates.append(
            [f"{prefix}{key}: |-", *(body + line if line else "" for line in value.split("\n"))]
        )
        if _plain_as_is(key) and _literal_as_is(value):
            # An imported paragraph of 500,000 lines is known to read back without a parse.
            return candidates[0]
    elif prose and len(prefix) + len(key) + len(value) > WIDTH:
        wrapped = textwrap.wrap(
            value, width=WIDTH - len(body), break_long_words=False, break_on_hyphens=False
        )
        candidates.append([f"{prefix}{key}: >-", *(body + line for line in wrapped)])
    elif _plain_as_is(key) and _plain_as_is(value):
        # Most values (names, roles, titles) are known to read back without a parse.
        return [f"{prefix}{key}: {value}"]
    candidates.append([f"{prefix}{key}: {value}"])
    quoted = json.dumps(value, ensure_ascii=False)
    candidates.append([f"{prefix}{key}: {quoted}"])
    # YAML reads no DEL, C1 control or line separator raw (an agenda can hold them):
    # escaped, as YAML's double quotes allow, the text reads back whatever it holds.
    candidates.append([f"{prefix}{key}: {''.join(map(_escaped, quoted))}"])
    for lines in candidates:
        if _reads_back(lines, prefix, key, value):
            return lines
    raise ValueError(f"cannot write {value!r} as YAML")  # pragma: no cover - escapes read back


def _escaped(character: str) -> str:
    """``character`` as it stands if printable, else as a YAML escape: ``\\x7f``, ``\\u2028``."""
    if character.isprintable():
        return character
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _plain_as_is(text: str) -> bool:
    """Whether ``text``, written plain after ``key: ``, is sure to read back as itself.

    Letters and digits, with spaces and :data:`_PLAIN_MARKS` between them: the
    scanner takes such a line as it stands.  Whether the scalar is then text,
    not a number, date, boolean or null, is the answer of PyYAML's resolver,
    the one that types it when it is read back.
    """
    if not text[:1].isalnum() or text.endswith(" "):
        return False
    if not all(character.isalnum() or character in _PLAIN_MARKS for character in text):
        return False
    # (True, False): a plain scalar's; PyYAML's resolver is untyped.
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag == "tag:yaml.org,2002:str"


def _literal_as_is(value: str) -> bool:
    """Whether ``value``, written as a ``|-`` block, is sure to read back as itself.

    A block keeps its lines as they are, once their indentation is taken off:
    so no line may begin or end with a space (the first line's spaces would
    be taken for indentation), none holds a character YAML reads as a line
    break or refuses, and no line break stands first or last (``-`` drops the last).
    """
    if value.startswith("\n") or value.endswith("\n") or not value.replace("\n", "").isprintable():
        return False
    return all(line == line.strip() for line in value.split("\n"))


def _reads_back(lines: list[str], prefix: str, key: str, value: str) -> bool:
    # Read the lines alone, as the mapping they start, with the list marker made a space.
    snippet = "\n".join(lines).replace(prefix, " " * len(prefix), 1)
    return _snippet_reads_back(textwrap.dedent(snippet), key, value)


@functools.lru_cache(maxsize=4096)
def _snippet_reads_back(snippet: str, key: str, value: str) -> bool:
    """Whether PyYAML's own parser reads ``snippet`` as ``{key: value}``; asked once per snippet.

    Not libyaml's, though it is twenty times faster: it takes tabs in plain
    text that PyYAML's refuses, and briefpack reads packs with PyYAML's where
    libyaml is missing.
    """
    try:
        loaded = yaml.safe_load(snippet)
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get(key) == value
