"""Starting a pack from the commented example, and writing a new file without overwriting.

Packs imported from Markdown are :mod:`briefpack.authoring.importer`'s.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from briefpack.errors import BriefpackError, Problem

STARTER = Path(__file__).with_name("starter.yaml")


def run_new(name: str, folder: Path) -> None:
    """``briefpack new``: write the example pack and say how to check it."""
    path = write_starter(name, folder)
    click.echo(f"wrote {path}; check it with: briefpack validate {path}")


def write_starter(name: str, folder: Path) -> Path:
    """Write the commented example pack as ``folder/name.yaml``; never overwrite."""
    from briefpack.content.validate import check_pack_name

    name = name.removesuffix(".yaml").removesuffix(".yml")
    check_pack_name(name, name)
    title = name.replace("-", " ").replace("_", " ")
    title = title[:1].upper() + title[1:]
    text = STARTER.read_text(encoding="utf-8").replace(
        "__TITLE__", json.dumps(title, ensure_ascii=False)
    )
    target = folder / f"{name}.yaml"
    write_new(target, text, force=False)
    return target


def write_new(target: Path, text: str, force: bool = False) -> None:
    """Write ``text`` to ``target``, which must not exist unless ``force``."""
    from briefpack.build.files import write_atomically

    if target.exists() and not force:
        raise BriefpackError([Problem(str(target), "already exists; nothing was overwritten")])
    write_atomically(target, text.encode("utf-8"))
