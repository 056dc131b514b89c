"""Write pack data as YAML for people: keys in the format's order, long text as blocks.

Every scalar is checked by reading it back; a value that YAML would read
differently (``No``, ``1.10``, ``9:30``) is quoted.
"""

from __future__ import annotations

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


def dump_pack(pack: Mapping[str, Any], header: str = "") -> str:
    """YAML text for ``pack`` (plain data: dicts, lists and strings)."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += _mapping(pack, "pack", 0)
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
    elif prose and len(prefix) + len(key) + len(value) > WIDTH:
        wrapped = textwrap.wrap(
            value, width=WIDTH - len(body), break_long_words=False, break_on_hyphens=False
        )
        candidates.append([f"{prefix}{key}: >-", *(body + line for line in wrapped)])
    candidates.append([f"{prefix}{key}: {value}"])
    candidates.append([f"{prefix}{key}: {json.dumps(value, ensure_ascii=False)}"])
    for lines in candidates:
        if _reads_back(lines, prefix, key, value):
            return lines
    raise ValueError(f"cannot write {value!r} as YAML")  # pragma: no cover - JSON always reads back


def _reads_back(lines: list[str], prefix: str, key: str, value: str) -> bool:
    # Read the lines alone, as the mapping they start, with the list marker made a space.
    snippet = "\n".join(lines).replace(prefix, " " * len(prefix), 1)
    try:
        loaded = yaml.safe_load(textwrap.dedent(snippet))
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get(key) == value
