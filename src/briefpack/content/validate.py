"""Check a pack file against the content format and build the immutable model.

Every problem of a file is collected before anything is reported, so that an
author fixes them all in one pass; :func:`validate_pack` then raises one
:class:`BriefpackError` that lists them in file order.  This module holds
only the order of the work, the entry points the rest of briefpack calls:

* :mod:`briefpack.content.record` reads each mapping against its key table,
  its values by kind with :mod:`briefpack.content.values`, and collects the
  problems;
* :mod:`briefpack.content.entities` (with
  :mod:`briefpack.content.attachment_entries` for pre-reads) builds each
  entry of the pack into its model object;
* :mod:`briefpack.content.cross_checks` then checks what the entries say
  about each other, and fills in the ids and keys that depend on them all.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Literal

from briefpack.content.cross_checks import (
    check_attendees,
    check_day_order,
    check_question_ids,
    check_recipients,
    with_question_keys,
    with_session_ids,
)
from briefpack.content.entities import PackEntries
from briefpack.content.loader import Node, ScalarNode, load_file
from briefpack.content.read_limits import ReadLimits
from briefpack.content.record import Checker, problem_order
from briefpack.content.register_file import REGISTER_SUFFIX, read_register
from briefpack.content.schema import PACK_KEYS
from briefpack.errors import BriefpackError, Mark, Problem
from briefpack.model import Pack
from briefpack.model.register import Register

# A pack's file name names its output folder: nothing hidden, no separators or controls.
_PACK_NAME = re.compile(r"[^./\\\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]{0,99}")


def load_pack(path: Path, label: str | None = None, limits: ReadLimits | None = None) -> Pack:
    """Read, parse and validate the pack file at ``path``.

    ``label`` is how the path is shown in messages (default: ``path`` as given);
    ``limits`` bound what reading it may cost (default: the options' defaults).
    Raises :class:`BriefpackError` listing every problem found.
    """
    label = str(path) if label is None else label
    limits = limits or ReadLimits()
    name = path.stem
    check_pack_name(name, label)
    root = load_file(path, label, limits.max_size)
    return validate_pack(root, label, name=name, folder=path.parent, limits=limits)


def check_pack_name(name: str, where: str) -> None:
    """A pack's name names its output folder: refuse one that cannot, or would escape."""
    if not _PACK_NAME.fullmatch(name):
        raise BriefpackError(
            [Problem(where, f"{name!r} cannot name a pack's output folder; rename the file")]
        )


def validate_pack(
    root: Node,
    source: str,
    name: str,
    folder: Path | None = None,
    limits: ReadLimits | None = None,
) -> Pack:
    """Build a :class:`Pack` from a parsed file, or raise with every problem found.

    ``folder`` is the pack's folder: paths in the pack are resolved against it
    and must stay inside it.  Its pre-reads are read within ``limits``.
    """
    checker = Checker(folder or Path.cwd())
    pack = _read_pack(PackEntries(checker, limits or ReadLimits()), root, source, name)
    if checker.problems or pack is None:
        raise BriefpackError(sorted(checker.problems, key=problem_order))
    return replace(pack, warnings=tuple(sorted(checker.warnings, key=problem_order)))


def _read_pack(entries: PackEntries, root: Node, source: str, name: str) -> Pack | None:
    """Each entry of the pack built, then the checks across them; ``None`` if any is wrong."""
    checker = entries.checker
    if isinstance(root, ScalarNode) and root.is_null:
        checker.problem(root.mark, "the file is empty; a pack needs at least 'title' and 'days'")
        return None
    record = checker.record(root, PACK_KEYS, "the pack")
    if record is None:
        return None
    title = record.value("title")
    subtitle = record.value("subtitle")
    organisation = record.value("organisation")
    author = record.value("author")
    classification = record.value("classification")
    days = record.items("days", entries.day)
    attendees = record.items("attendees", entries.attendee)
    recipients = record.items("recipients", entries.recipient)
    options = entries.options(record.mapping("options"))
    register = _register(checker, record.value("register"), record.mark("register"), source)
    if days is not None:
        check_day_order(checker, days)
        check_question_ids(checker, days)
        answer_fields = bool(options and options.answer_fields)
        days = with_question_keys(checker, with_session_ids(checker, days), answer_fields)
    if attendees is not None:
        check_attendees(checker, attendees, entries.named_attendees)
    if recipients is not None and days is not None:
        check_recipients(checker, recipients, days, entries.excluded)
    if (
        title is None
        or days is None
        or options is None
        or attendees is None
        or recipients is None
        or register is False
    ):
        return None
    return Pack(
        title=title,
        attendees=attendees,
        recipients=recipients,
        subtitle=subtitle,
        organisation=organisation,
        author=author,
        classification=classification,
        location=record.value("location"),
        register=register or None,
        agenda=entries.agenda or bool(register),
        days=days,
        options=options,
        name=name,
        source=source,
    )


def _register(
    checker: Checker, written: str | None, mark: Mark | None, source: str
) -> Register | Literal[False] | None:
    """The register the pack names, read and checked; ``False`` once its problems are reported.

    Its problems are the pack's, each at its line of the register file, named
    beside the pack as the pack is named (``content/board.register.yaml``).
    """
    if written is None or mark is None:
        return None
    if not written.endswith(REGISTER_SUFFIX):
        checker.problem(mark, f"'register' must name a file NAME{REGISTER_SUFFIX}, not {written!r}")
        return False
    path = checker.local_file(mark, "register", written, (".yaml",))
    if path is None:
        return False
    label = str(Path(source).parent / written)
    register, problems = read_register(path, label)
    for problem in problems:
        (checker.warnings if problem.message.startswith("warning: ") else checker.problems).append(
            problem
        )
    return register if register is not None else False
