"""Reading ``NAME.register.yaml``: the actions and decisions of a series of meetings.

A register is read and checked like a pack: every problem of the file is
collected and reported at its line, then the read fails once.  Beyond each
entry's keys, the checks are those a register edited by hand can break: an id
given twice, an action done without the date it was closed (or closed while
still open), closed or due before it was raised.
"""

from __future__ import annotations

from pathlib import Path

from briefpack.content.loader import Node, ScalarNode, parse_yaml, read_text
from briefpack.content.read_limits import DEFAULT_MAX_SIZE
from briefpack.content.record import Checker, Record, problem_order
from briefpack.content.schema import ACTION_KEYS, DECISION_KEYS, REGISTER_KEYS
from briefpack.errors import BriefpackError, Mark, Problem
from briefpack.model.register import Action, ActionStatus, Decision, Register

#: What a register file is called: ``board.register.yaml``.
REGISTER_SUFFIX = ".register.yaml"


def is_register_file(path: Path) -> bool:
    """Whether ``path`` is a register rather than a pack."""
    return path.name.endswith(REGISTER_SUFFIX)


def load_register(path: Path, label: str, max_size: int = DEFAULT_MAX_SIZE) -> Register:
    """Read and check the register at ``path`` (shown as ``label``); raise with every problem."""
    register, problems = read_register(path, label, max_size)
    if problems or register is None:
        raise BriefpackError(problems)
    return register


def read_register(
    path: Path, label: str, max_size: int = DEFAULT_MAX_SIZE
) -> tuple[Register | None, list[Problem]]:
    """The register at ``path`` and its problems and warnings, for a pack that names it.

    Problems come first in the list's order of the file; the register is
    ``None`` when any is not a warning.
    """
    try:
        text = read_text(path, label, max_size)
        root = parse_yaml(text, label)
    except BriefpackError as error:
        return None, list(error.problems)
    return register_from_root(root, label, path.parent)


def register_from_text(text: str, label: str, folder: Path) -> Register:
    """The register in ``text`` (shown as ``label``), checked; raise with every problem.

    Harvest reads what it is about to write with this, so that what it writes
    is exactly what the build will read.
    """
    register, problems = register_from_root(parse_yaml(text, label), label, folder)
    if register is None:
        raise BriefpackError(problems)
    return register


def register_from_root(
    root: Node, label: str, folder: Path
) -> tuple[Register | None, list[Problem]]:
    """The register a parsed file holds, and its problems then warnings."""
    checker = Checker(folder)
    if isinstance(root, ScalarNode) and root.is_null:
        return Register(source=label), []
    record = checker.record(root, REGISTER_KEYS, "the register")
    actions = decisions = None
    if record is not None:
        actions = record.items("actions", lambda node: _action(checker, node))
        decisions = record.items("decisions", lambda node: _decision(checker, node))
        _check_ids(checker, [*(actions or ()), *(decisions or ())])
    found = sorted(checker.problems, key=problem_order)
    warnings = sorted(checker.warnings, key=problem_order)
    if found or actions is None or decisions is None:
        return None, found + warnings
    return Register(actions, decisions, source=label), warnings


def _action(checker: Checker, node: Node) -> Action | None:
    record = checker.record(node, ACTION_KEYS, "an action")
    if record is None:
        return None
    identifier, text = record.value("id"), record.value("text")
    status: ActionStatus = "done" if record.value("status") == "done" else "open"
    raised, due, closed = record.value("raised"), record.value("due"), record.value("closed")
    if identifier is None or text is None or _wrong(record, "due", "raised", "closed", "status"):
        return None
    mark = record.node.mark
    if status == "done" and closed is None:
        checker.problem(
            record.mark("status") or mark,
            f"action {identifier} is done but has no 'closed:' date; add the date it was done",
        )
        return None
    if status == "open" and closed is not None:
        checker.problem(
            record.mark("closed") or mark,
            f"action {identifier} is open but has a 'closed:' date; set 'status: done', "
            "or remove the date",
        )
        return None
    for name, date in (("closed", closed), ("due", due)):
        if date is not None and raised is not None and date < raised:
            checker.problem(
                record.mark(name) or mark,
                f"action {identifier}: '{name}' {date.isoformat()} is before it was raised "
                f"on {raised.isoformat()}",
            )
            return None
    return Action(
        id=identifier,
        text=text,
        owner=record.value("owner"),
        due=due,
        status=status,
        raised=raised,
        item=record.value("item"),
        closed=closed,
        session=record.value("session"),
        key=record.value("key"),
        mark=mark,
    )


def _decision(checker: Checker, node: Node) -> Decision | None:
    record = checker.record(node, DECISION_KEYS, "a decision")
    if record is None:
        return None
    identifier, text, date = record.value("id"), record.value("text"), record.value("date")
    if identifier is None or text is None or date is None:
        return None
    return Decision(
        identifier, text, date, record.value("item"), record.value("session"), record.node.mark
    )


def _wrong(record: Record, *names: str) -> bool:
    """Whether any of ``names`` is written but could not be read (already reported)."""
    return any(record.mark(name) is not None and record.value(name) is None for name in names)


def _check_ids(checker: Checker, entries: list[Action | Decision]) -> None:
    """Each id once in the register: an action and a decision are named apart by it."""
    seen: dict[str, Mark] = {}
    for entry in entries:
        if entry.id in seen:
            checker.problem(
                entry.mark,
                f"duplicate id '{entry.id}' (also at line {seen[entry.id].line}); "
                "give each action and decision its own",
            )
        seen.setdefault(entry.id, entry.mark)
