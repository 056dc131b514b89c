"""Starting a pack: the commented example, and packs imported from Markdown."""

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


def run_import(source: Path, output: Path | None, strict: bool, force: bool) -> None:
    """``briefpack import``: write the pack, and report every line that was skipped."""
    path, skipped = import_file(source, output, strict=strict, force=force)
    for problem in skipped:
        click.echo(str(problem), err=True)
    click.echo(f"wrote {path}")


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


def import_file(
    source: Path, output: Path | None, strict: bool, force: bool
) -> tuple[Path, list[Problem]]:
    """Import the Markdown agenda ``source`` and write it as a validated pack.

    Returns the path written and the lines that were skipped.  With
    ``strict``, skipped lines are an error and nothing is written.
    """
    from briefpack.authoring.importer import import_markdown
    from briefpack.authoring.yaml_writer import dump_pack
    from briefpack.content.loader import parse_yaml, read_text
    from briefpack.content.validate import check_pack_name, validate_pack

    label = str(source)
    result = import_markdown(read_text(source, label), label)
    if strict and result.skipped:
        raise BriefpackError([*result.skipped, Problem(None, "nothing written (--strict)")])
    target = output or Path("content") / f"{source.stem}.yaml"
    check_pack_name(target.stem, str(target))
    for day in result.pack.get("days", []):
        for session in day["sessions"]:
            if not session["speakers"]:
                del session["speakers"]
    text = dump_pack(result.pack, header=f"Imported by briefpack from {source.name}.")
    try:
        validate_pack(parse_yaml(text, str(target)), str(target), target.stem, target.parent)
    except BriefpackError as error:
        raise BriefpackError(
            [
                *result.skipped,
                *error.problems,
                Problem(None, f"nothing written: the import of {source} is not a valid pack"),
            ]
        ) from None
    write_new(target, text, force=force)
    return target, result.skipped


def write_new(target: Path, text: str, force: bool = False) -> None:
    """Write ``text`` to ``target``, which must not exist unless ``force``."""
    from briefpack.build.files import write_atomically

    if target.exists() and not force:
        raise BriefpackError([Problem(str(target), "already exists; nothing was overwritten")])
    write_atomically(target, text.encode("utf-8"))
