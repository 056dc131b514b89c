"""``briefpack harvest``: answers typed into filled copies, filed beside the pack.

Reads every answer field of the filled Word and PDF copies named, finds the
pack they belong to (the one whose questions' keys they carry), and merges
them into ``NAME.answers.yaml`` beside it.  The pack file itself is never
touched.  Merging is careful:

* an empty field is no answer, and an answer equal to the stored one is nothing new;
* a different answer where one is stored is a conflict: every conflict is
  reported with both texts and the stored one's line, and nothing is written
  unless ``--force`` (then the new text wins);
* a key the pack does not have is reported, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import click
import yaml

from briefpack.content.filled import Filled
from briefpack.errors import BriefpackError, Problem
from briefpack.model import Pack
from briefpack.model.answers import DIGEST_PREFIX, Answer, Answers, key_digest


def run_harvest(files: Sequence[Path], into: Path | None, force: bool, content: str) -> None:
    """Harvest ``files`` into ``into`` (or the answers file of the pack they belong to)."""
    from briefpack.build.files import write_atomically
    from briefpack.content.answers import answers_path, load_answers
    from briefpack.content.filled import read_filled

    problems: list[Problem] = []
    filled = []
    for path in files:
        try:
            filled += read_filled(path)
        except BriefpackError as error:
            problems += error.problems
    if problems:
        raise BriefpackError(problems)
    pack_path, pack = _pack_for({field.key for field in filled}, into, content)
    # Fields known only by a digest of their key (their tags were dropped) get it back.
    by_digest = {DIGEST_PREFIX + key_digest(q.key): q.key for q in pack.questions}
    filled = [replace(field, key=by_digest.get(field.key, field.key)) for field in filled]
    # A word processor that drops the placeholder mark (LibreOffice) leaves its
    # text behind: that is no answer.
    placeholders = _placeholders(pack)
    filled = [replace(f, text="") if f.text in placeholders else f for f in filled]
    target = into or answers_path(pack_path)
    stored = load_answers(target) if target.is_file() else Answers(source=str(target))
    merged, conflicts, warnings = merge(pack, stored, filled, dt.date.today(), force)
    for warning in warnings:
        click.echo(str(warning), err=True)
    if conflicts and not force:
        raise BriefpackError(
            [*conflicts, Problem(None, f"nothing written to {target}; --force takes the new text")]
        )
    for conflict in conflicts:
        click.echo(f"{conflict} (replaced, --force)", err=True)
    changed = merged != stored.answers
    if changed:
        write_atomically(target, answers_yaml(pack_path, merged).encode("utf-8"))
    count = sum(1 for field in filled if field.text)
    click.echo(
        f"{target}: {count} filled field{'s' if count != 1 else ''} read from "
        f"{len(files)} file{'s' if len(files) != 1 else ''}; "
        f"{'written' if changed else 'nothing new'}"
    )


def merge(
    pack: Pack,
    stored: Answers,
    filled: Sequence[Filled],
    today: dt.date,
    force: bool,
) -> tuple[tuple[Answer, ...], list[Problem], list[Problem]]:
    """The answers after taking in ``filled``: the answers, the conflicts and the warnings."""
    keys = {question.key for question in pack.questions}
    answers: dict[str, Answer] = {answer.key: answer for answer in stored.answers}
    conflicts: list[Problem] = []
    warnings: list[Problem] = []
    for answer in stored.answers:
        if answer.key not in keys:
            warnings.append(
                Problem(answer.mark, f"warning: the pack has no question '{answer.key}' any more")
            )
    unknown: set[tuple[str, str]] = set()
    for field in filled:
        if field.key not in keys:
            if (field.key, field.source) not in unknown:
                unknown.add((field.key, field.source))
                warnings.append(
                    Problem(
                        field.source,
                        f"warning: the pack has no question '{field.key}'; its fields are left out",
                    )
                )
            continue
        if not field.text:
            continue  # an empty field is no answer
        attribute = "answer" if field.kind == "answer" else "follow_up"
        current = answers.get(field.key) or Answer(key=field.key)
        before = getattr(current, attribute)
        if before == field.text:
            continue
        if before:
            mark = current.answer_mark if attribute == "answer" else current.follow_up_mark
            conflicts.append(
                Problem(
                    mark or current.mark or stored.source,
                    f"'{field.key}': the stored {field.kind} differs from {field.source}'s\n"
                    f"  stored: {before!r}\n  in {field.source}: {field.text!r}",
                )
            )
            if not force:
                continue
        if attribute == "answer":
            current = replace(current, answer=field.text)
        else:
            current = replace(current, follow_up=field.text)
        answers[field.key] = replace(current, source=field.source, harvested=today)
    order = {question.key: number for number, question in enumerate(pack.questions)}
    ordered = sorted(answers.values(), key=lambda answer: order.get(answer.key, len(order)))
    return tuple(ordered), conflicts, warnings


def answers_yaml(pack_path: Path, answers: Sequence[Answer]) -> str:
    """The answers file's text: a comment, then each answer under its key, text as block scalars."""

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    entries: dict[str, dict[str, object]] = {}
    for answer in answers:
        entry: dict[str, object] = {}
        if answer.answer:
            entry["answer"] = answer.answer
        if answer.follow_up:
            entry["follow_up"] = answer.follow_up
        if answer.source:
            entry["source"] = answer.source
        if answer.harvested:
            entry["harvested"] = answer.harvested.isoformat()
        entries[answer.key] = entry
    body = yaml.dump(
        {"answers": entries}, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000
    )
    header = (
        f"# Answers to the questions of {pack_path.name}, harvested from filled copies\n"
        "# by briefpack harvest. Keyed by each question's key; edit as you like.\n"
    )
    return header + body


def _placeholders(pack: Pack) -> set[str]:
    """The texts an empty answer field shows, in the pack's language."""
    from briefpack.render.wording import wording_for

    wording = wording_for(pack.options.language, pack.options.time_format)
    return {wording.gettext("Type the answer here."), wording.gettext("Type any follow-ups here.")}


def _pack_for(keys: set[str], into: Path | None, content: str) -> tuple[Path, Pack]:
    """The pack the harvested keys belong to: the one beside ``into``, else the best match."""
    from briefpack.build.discover import find_packs
    from briefpack.content.answers import ANSWERS_SUFFIX
    from briefpack.content.validate import load_pack

    if into is not None:
        if not into.name.endswith(ANSWERS_SUFFIX):
            raise BriefpackError(
                [Problem(str(into), f"an answers file is named NAME{ANSWERS_SUFFIX}")]
            )
        stem = into.name[: -len(ANSWERS_SUFFIX)]
        for suffix in (".yaml", ".yml"):
            candidate = into.with_name(stem + suffix)
            if candidate.is_file():
                return candidate, load_pack(candidate)
        raise BriefpackError([Problem(str(into), f"no pack {stem}.yaml beside it")])
    best: tuple[int, Path, Pack] | None = None
    for path in find_packs([content]):
        try:
            pack = load_pack(path)
        except BriefpackError:
            continue
        known = {question.key for question in pack.questions}
        known |= {DIGEST_PREFIX + key_digest(key) for key in known}
        matched = len(keys & known)
        if matched and (best is None or matched > best[0]):
            best = (matched, path, pack)
    if best is None:
        raise BriefpackError(
            [
                Problem(
                    None,
                    f"no pack in {content} has these questions; name its answers file "
                    "with --into content/NAME.answers.yaml",
                )
            ]
        )
    return best[1], best[2]
