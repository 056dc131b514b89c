"""``briefpack harvest``: answers typed into filled copies, filed beside the pack.

Reads every answer field of the filled Word and PDF copies named, finds the
pack they belong to (the one their identity names, else the one whose
questions' keys they carry), and merges them into ``NAME.answers.yaml``
beside it.  The pack file itself is never touched.  Nothing is written that
the build would then refuse, and nothing at all when anything is refused:

* a copy without a pack identity (made before briefpack wrote one, or with
  its document properties removed) is refused: its keys being this pack's
  proves nothing, as another pack may share them;
* a copy of another pack (its identity names another file stem, or a first
  day this pack does not have), or of another version of the answer fields,
  is refused naming both;
* a field, even an empty one, of a question the pack does not have is
  refused: that is how a same-named pack of the same first day is told from
  a copy of this pack;
* a field whose text holds a character the answers file may not hold (a
  control character, a lone surrogate, a noncharacter), or that is longer
  than the build renders in a few seconds
  (:data:`~briefpack.content.answers_file.MAX_ANSWER_CHARACTERS`, and
  :data:`~briefpack.content.answers_file.MAX_WORD_CHARACTERS` without a space a
  line may break at: the answers file's reader refuses the same), is refused
  at the filled copy, naming the field's question;
* answers that would make the answers file hold more than the debrief sets
  in time (:data:`~briefpack.content.answers_file.MAX_ANSWERS_TOTAL`) are refused
  at each copy read;
* an empty field is no answer, and an answer equal to the stored one is nothing new;
* a different answer where one is stored, or two different answers to one
  question in this run's copies, is a conflict: every conflict is reported
  with both texts, at the stored answer's line or the filled copy, and
  nothing is written unless ``--force`` (then the new text wins);
* what is about to be written is read back as the build reads it first.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import click
import yaml

from briefpack.authoring.harvest_pack import NOTHING, pack_for
from briefpack.authoring.harvest_register import harvest_register, write_register
from briefpack.content.filled import Filled, FilledCopy, shown
from briefpack.content.filled_unlock import Passwords
from briefpack.errors import BriefpackError, Problem
from briefpack.model import Pack
from briefpack.model.answers import (
    DIGEST_PREFIX,
    FIELDS_VERSION,
    Answer,
    Answers,
    key_digest,
    parse_identity,
)


def run_harvest(
    files: Sequence[Path],
    into: Path | None,
    force: bool,
    content: str,
    passwords: Path | None = None,
) -> None:
    """Harvest ``files`` into ``into`` (or the answers file of the pack they belong to).

    Encrypted copies are opened with the readers' passwords in the file ``passwords``.
    """
    from briefpack.content.answers_file import answers_path, load_answers
    from briefpack.content.filled import read_filled

    unlock = _passwords(passwords) if passwords is not None else None
    problems: list[Problem] = []
    copies: list[FilledCopy] = []
    for path in files:
        try:
            copies.append(read_filled(path, unlock))
        except BriefpackError as error:
            problems += error.problems
    if problems:
        raise BriefpackError(problems)
    pack_path, pack = pack_for(copies, into, content)
    filled = checked_fields(pack, pack_path, copies)
    # A word processor that drops the placeholder mark (LibreOffice) leaves its
    # text behind: that is no answer.
    placeholders = _placeholders(pack)
    filled = [replace(f, text="") if f.text in placeholders else f for f in filled]
    target = into or answers_path(pack_path)
    stored = load_answers(target) if target.is_file() else Answers(source=str(target))
    merged, conflicts, warnings = merge(pack, stored, filled, dt.date.today(), force)
    recorded = harvest_register(pack, filled, force)
    conflicts += recorded.conflicts if recorded else []
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
        _refuse_total(merged, filled, target)
    if recorded is not None and recorded.register != pack.register:
        write_register(Path(recorded.register.source), recorded.register)
        click.echo(f"{recorded.register.source}: {recorded.added} new actions and decisions")
    if changed:
        _write(target, answers_yaml(pack_path, merged), merged)
    count = sum(1 for field in filled if field.text)
    click.echo(
        f"{target}: {count} filled field{'s' if count != 1 else ''} read from "
        f"{len(files)} file{'s' if len(files) != 1 else ''}; "
        f"{'written' if changed else 'nothing new'}"
    )


def _passwords(path: Path) -> Passwords:
    """The readers' passwords of ``--passwords``, read as ``build --passwords`` reads them."""
    from briefpack.content.passwords_file import load_passwords

    # Each password once, in the file's order: a copy does not say whose it is until open.
    found = load_passwords(path, os.environ)
    return Passwords(str(path), tuple(dict.fromkeys(found.values())))


def checked_fields(pack: Pack, pack_path: Path, copies: Sequence[FilledCopy]) -> list[Filled]:
    """The fields of ``copies``, each under its question's key, once every copy is found sound.

    Raises with every problem of every copy: another pack's or a newer
    briefpack's copy, a field, even an empty one, that answers no question of
    the pack, a text the answers file may not hold.
    """
    keys = {question.key: question.title for question in pack.questions}
    # An item's decision is filed under its session's id.
    items = {session.id: session.title for session in pack.sessions}
    by_digest = {DIGEST_PREFIX + key_digest(key): key for key in (*keys, *items)}
    problems: list[Problem] = []
    fields: list[Filled] = []
    for copy in copies:
        identity = _identity_problems(copy, pack, pack_path)
        if identity:
            problems += identity
            continue
        resolved = [replace(f, key=by_digest.get(f.key, f.key)) for f in copy.fields]
        unknown = [field for field in resolved if field.key not in _titles(field, keys, items)]
        # Even an empty one: a same-named pack elsewhere would share the identity.
        problems += [
            Problem(
                copy.where,
                f"the field {shown(field.field)} answers no question of {pack_path.name}: a copy "
                f"of another pack, or of this one before the question was removed (restore it "
                f"to harvest this copy); {NOTHING}",
            )
            for field in unknown
        ]
        known = [field for field in resolved if field.key in _titles(field, keys, items)]
        problems += _text_problems(copy, known, {**keys, **items})
        fields += known
    if problems:
        raise BriefpackError(problems)
    return fields


def _identity_problems(copy: FilledCopy, pack: Pack, pack_path: Path) -> list[Problem]:
    """Whether ``copy`` says it is a copy of ``pack``, with answer fields this briefpack reads."""
    if copy.version is not None and copy.version != FIELDS_VERSION:
        return [
            Problem(
                copy.where,
                f"its answer fields are of version {shown(copy.version)}, made by another "
                f"briefpack; this one reads version {FIELDS_VERSION}; {NOTHING}",
            )
        ]
    named = parse_identity(copy.pack) if copy.pack is not None else None
    if named is None or copy.version is None:
        # A copy that does not say which pack it is could be any pack's whose
        # keys it happens to share: refused rather than guessed.
        return [
            Problem(
                copy.where,
                "has no briefpack pack identity: it was made by an earlier briefpack or its "
                "document properties were removed; fill a copy built by this briefpack; "
                f"{NOTHING}",
            )
        ]
    # A recipient's copy starts at the first day they are shown.
    days = {day.date for day in pack.days}
    if named[0] != pack.name or named[1] not in days:
        first = f" of {min(days).isoformat()}" if days else ""
        return [
            Problem(
                copy.where,
                f"is a copy of {shown(named[0])} of {named[1].isoformat()}, not of "
                f"{shown(pack.name)}{first} ({pack_path}); {NOTHING}",
            )
        ]
    return []


def _titles(field: Filled, questions: dict[str, str], items: dict[str, str]) -> dict[str, str]:
    """The titles a field's key may name: an item's for a decision, else a question's."""
    return items if field.kind == "decision" else questions


def _text_problems(
    copy: FilledCopy, fields: Sequence[Filled], titles: Mapping[str, str]
) -> list[Problem]:
    """Every text of ``copy`` the answers file may not hold, at the copy, naming the question."""
    from briefpack.content.answers_file import described, refused_character, too_long

    problems: list[Problem] = []
    name = Path(copy.where).name
    refused = refused_character(name)
    if refused is not None:
        held = described(refused, "a")
        problems.append(Problem(copy.where, f"its file name holds {held}; rename it; {NOTHING}"))
    for field in fields:
        refused = refused_character(field.text)
        what = f'the {field.kind} to "{titles[field.key]}" ({field.key})'
        if refused is not None:
            held = described(refused, "a")
            problems.append(Problem(copy.where, f"{what} holds {held}; {NOTHING}"))
        length = too_long(field.text)
        if length is not None:
            problems.append(Problem(copy.where, f"{what} {length}; {NOTHING}"))
    return problems


def _refuse_total(answers: Sequence[Answer], filled: Sequence[Filled], target: Path) -> None:
    """Refuse, at each copy read, answers whose texts together the debrief could not set in time."""
    from briefpack.content.answers_file import ANSWER_TEXTS, debrief_weight, total_too_long

    total = sum(
        debrief_weight(getattr(answer, name) or "") for answer in answers for name in ANSWER_TEXTS
    )
    over = total_too_long(total)
    if over is None:
        return
    wheres = dict.fromkeys(field.where or field.source for field in filled if field.text)
    raise BriefpackError(
        [Problem(where, f"with its answers in {target}, {over}; {NOTHING}") for where in wheres]
    )


def _write(target: Path, text: str, answers: Sequence[Answer]) -> None:
    """Write ``text`` to ``target`` once it reads back, as the build reads it, as ``answers``.

    The texts were checked field by field; this is the guarantee that the
    build never refuses what harvest wrote (its size included).
    """
    from briefpack.build.files import write_atomically
    from briefpack.content.answers_file import answers_from_text
    from briefpack.content.read_limits import DEFAULT_MAX_SIZE

    data = text.encode("utf-8")
    if len(data) > DEFAULT_MAX_SIZE:
        raise BriefpackError(
            [
                Problem(
                    str(target),
                    f"the answers would make it {len(data) / 1024 / 1024:.1f} MB, over the "
                    f"{DEFAULT_MAX_SIZE / 1024 / 1024:.1f} MB a build reads; {NOTHING}",
                )
            ]
        )
    try:
        again = answers_from_text(text, str(target), target.parent).answers
    except BriefpackError as error:
        again = None
        reason = error.problems[0].message
    if again != tuple(answers):
        why = reason if again is None else "they read back differently"
        raise BriefpackError(
            [Problem(str(target), f"the answers would not read back ({why}); {NOTHING}")]
        )
    write_atomically(target, data)


def merge(
    pack: Pack,
    stored: Answers,
    filled: Sequence[Filled],
    today: dt.date,
    force: bool,
) -> tuple[tuple[Answer, ...], list[Problem], list[Problem]]:
    """The answers after taking in ``filled``: the answers, the conflicts and the warnings.

    ``filled`` holds only fields of the pack's questions (:func:`checked_fields`).
    A conflict with a stored answer is reported at its line; two different
    texts for one field in this run's copies, at the filled copy read last.
    """
    keys = {question.key for question in pack.questions}
    answers: dict[str, Answer] = {answer.key: answer for answer in stored.answers}
    conflicts: list[Problem] = []
    warnings: list[Problem] = []
    for answer in stored.answers:
        if answer.key not in keys:
            warnings.append(
                Problem(answer.mark, f"warning: the pack has no question '{answer.key}' any more")
            )
    # The field of this run each text was taken from, by key and kind.
    taken: dict[tuple[str, str], Filled] = {}
    for field in filled:
        if field.key not in keys or not field.text or field.kind not in ("answer", "follow-up"):
            continue  # an empty field is no answer; actions and decisions go to the register
        attribute = "answer" if field.kind == "answer" else "follow_up"
        current = answers.get(field.key) or Answer(key=field.key)
        before = getattr(current, attribute)
        if before == field.text:
            continue
        earlier = taken.get((field.key, field.kind))
        if earlier is not None:
            conflicts.append(_run_conflict(earlier, field))
            if not force:
                continue
        elif before:
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
        taken[(field.key, field.kind)] = field
        if attribute == "answer":
            current = replace(current, answer=field.text)
        else:
            current = replace(current, follow_up=field.text)
        answers[field.key] = replace(current, source=field.source, harvested=today)
    order = {question.key: number for number, question in enumerate(pack.questions)}
    ordered = sorted(answers.values(), key=lambda answer: order.get(answer.key, len(order)))
    return tuple(ordered), conflicts, warnings


def _run_conflict(earlier: Filled, later: Filled) -> Problem:
    """Two different texts for one field in this run: at the copy read last, naming the other."""
    first = _short(earlier.text)
    if earlier.where == later.where:
        message = (
            f"'{later.key}': two fields {shown(later.field)} of this copy hold different "
            f"{later.kind}s: {first} and {_short(later.text)}"
        )
    else:
        message = (
            f"'{later.key}': its {later.kind} {_short(later.text)} differs from "
            f"{earlier.where}'s {first}"
        )
    return Problem(later.where or later.source, message)


def _short(text: str) -> str:
    """A text in a one-line message: quoted, escaped, at most 60 characters shown."""
    return repr(text if len(text) <= 60 else text[:60] + "…")


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
    from briefpack.render.view.labels import labels_for
    from briefpack.render.wording import wording_for

    wording = wording_for(pack.options.language, pack.options.time_format)
    labels = labels_for(wording)
    return {labels.type_answer, labels.type_follow_ups, labels.type_action, labels.type_owner,
            labels.type_due, labels.type_decision}  # fmt: skip
