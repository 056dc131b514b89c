"""Harvest into the register: the actions and decisions typed into filled copies.

A pack that names a register (``register: NAME.register.yaml``) gives each
question fields for the action it raised (what, who, by when) and each item
for decision a field for the decision taken (:mod:`briefpack.render.view`).
Harvest files them in the register with the answers, by the same rules:

* a register entry is only ever added to: an action or decision harvested
  before (the same question's action, the same item's decision on that day)
  is found by its source and left alone when it says the same;
* one that says something else is a conflict, reported with both texts at
  the register's line, and nothing is written unless ``--force`` (then the new
  text wins; the entry keeps its id);
* a due date that is not ``YYYY-MM-DD`` is refused at the filled copy;
* the register is read back as the build reads it before it is written.

New entries get the next free id (``A-12``, ``D-8``), the day of their item as
the date they were raised or taken, and their item's heading and session id.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from briefpack.content.filled import Filled
from briefpack.errors import BriefpackError, Mark, Problem
from briefpack.model import Pack, Session
from briefpack.model.register import Action, Decision, Register

#: The kinds of field that go to the register, not to the answers file.
REGISTER_KINDS = ("action", "action-owner", "action-due", "decision")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class RegisterHarvest:
    """The register after a harvest, and what harvest has to say about it."""

    register: Register
    conflicts: list[Problem]
    added: int


def harvest_register(pack: Pack, filled: Sequence[Filled], force: bool) -> RegisterHarvest | None:
    """The pack's register with the harvested actions and decisions; ``None`` if it names none.

    Raises (at the filled copy) for a field that goes nowhere or a due date that is no date.
    """
    fields = [field for field in filled if field.kind in REGISTER_KINDS and field.text]
    register = pack.register
    if register is None:
        if fields:
            raise BriefpackError([Problem(fields[0].where or fields[0].source,
                "holds actions or decisions, but the pack names no register to file them in; "
                "add register: NAME.register.yaml to it")])  # fmt: skip
        return None
    sessions = {session.id: (day.date, session) for day in pack.days for session in day.sessions}
    of_question = {q.key: s.id for _, s in sessions.values() for q in s.questions}
    actions = _actions(fields, of_question, sessions)
    decisions = [
        _decision(field, *sessions[field.key]) for field in fields if field.kind == "decision"
    ]
    return _merged(register, actions, decisions, force)


def _actions(
    fields: Sequence[Filled],
    of_question: dict[str, str],
    sessions: dict[str, tuple[dt.date, Session]],
) -> list[Action]:
    """One action a question whose action field holds text, with its owner and due date."""
    by_key: dict[str, dict[str, Filled]] = {}
    for field in fields:
        if field.kind.startswith("action"):
            by_key.setdefault(field.key, {})[field.kind] = field
    actions = []
    problems = []
    for key, parts in by_key.items():
        if "action" not in parts:
            continue  # an owner or a date without an action says nothing to file
        due_field = parts.get("action-due")
        due = None
        if due_field is not None:
            due = _date(due_field.text)
            if due is None:
                problems.append(Problem(due_field.where or due_field.source,
                    f"'{key}': the action's due date {due_field.text!r} is not a date written "
                    "YYYY-MM-DD; correct it in the copy; nothing was harvested"))  # fmt: skip
                continue
        day, session = sessions[of_question[key]]
        owner = parts.get("action-owner")
        actions.append(
            Action(id="", text=parts["action"].text, owner=owner.text if owner else None,
                   due=due, raised=day, item=_item(session), session=session.id, key=key)
        )  # fmt: skip
    if problems:
        raise BriefpackError(problems)
    return actions


def _decision(field: Filled, day: dt.date, session: Session) -> Decision:
    return Decision(id="", text=field.text, date=day, item=_item(session), session=session.id)


def _item(session: Session) -> str:
    """The item as the register names it: its paper's reference, then its title."""
    return f"{session.paper} {session.title}" if session.paper else session.title


def _date(text: str) -> dt.date | None:
    if not _ISO_DATE.fullmatch(text.strip()):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _merged(
    register: Register, actions: list[Action], decisions: list[Decision], force: bool
) -> RegisterHarvest:
    """Each harvested entry added, or found already there (same source) and compared."""
    kept_actions, kept_decisions = list(register.actions), list(register.decisions)
    conflicts: list[Problem] = []
    added = 0
    for action in actions:
        index = next((n for n, a in enumerate(kept_actions) if a.key == action.key), None)
        if index is None:
            kept_actions.append(replace(action, id=_next_id("A", kept_actions)))
            added += 1
            continue
        stored = kept_actions[index]
        new = replace(stored, text=action.text, owner=action.owner, due=action.due)
        if new != stored:
            conflicts.append(
                _conflict(stored.mark, f"action {stored.id}", stored.text, action.text)
            )
            if force:
                kept_actions[index] = new
    for decision in decisions:
        same = (decision.session, decision.date)
        index = next((n for n, d in enumerate(kept_decisions) if (d.session, d.date) == same), None)
        if index is None:
            kept_decisions.append(replace(decision, id=_next_id("D", kept_decisions)))
            added += 1
            continue
        stored_decision = kept_decisions[index]
        if stored_decision.text != decision.text:
            conflicts.append(_conflict(stored_decision.mark, f"decision {stored_decision.id}",
                                       stored_decision.text, decision.text))  # fmt: skip
            if force:
                kept_decisions[index] = replace(stored_decision, text=decision.text)
    merged = replace(register, actions=tuple(kept_actions), decisions=tuple(kept_decisions))
    return RegisterHarvest(merged, conflicts, added)


def _next_id(prefix: str, entries: Sequence[Action] | Sequence[Decision]) -> str:
    """``A-13`` after ``A-12``: one more than the highest number of the prefix's ids."""
    numbers = [
        int(match[1])
        for entry in entries
        if (match := re.fullmatch(rf"{prefix}-(\d+)", entry.id)) is not None
    ]
    return f"{prefix}-{max(numbers, default=0) + 1}"


def _conflict(where: Mark, what: str, stored: str, new: str) -> Problem:
    return Problem(where, f"{what}: the register says otherwise than the copy\n"
                          f"  stored: {stored!r}\n  in the copy: {new!r}")  # fmt: skip


def register_yaml(register: Register) -> str:
    """The register as a file: every entry, its keys in the format's order."""
    actions = [
        _present({"id": a.id, "text": a.text, "owner": a.owner, "due": a.due,
                  "status": a.status if a.status != "open" else None, "raised": a.raised,
                  "item": a.item, "closed": a.closed, "session": a.session, "key": a.key})
        for a in register.actions
    ]  # fmt: skip
    decisions = [
        _present({"id": d.id, "text": d.text, "date": d.date, "item": d.item,
                  "session": d.session})
        for d in register.decisions
    ]  # fmt: skip
    data = {"actions": actions, "decisions": decisions}
    return "# The running record: actions and decisions (briefpack harvest adds to it).\n" + (
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    )


def _present(entry: dict[str, object]) -> dict[str, str]:
    """The keys given, each as text (a date as YYYY-MM-DD), so that it reads back as written."""
    return {
        key: value.isoformat() if isinstance(value, dt.date) else str(value)
        for key, value in entry.items()
        if value is not None
    }


def write_register(path: Path, register: Register) -> None:
    """Write ``register`` to ``path`` once it reads back, as the build reads it, as the same."""
    from briefpack.build.files import write_atomically
    from briefpack.content.register_file import register_from_text

    text = register_yaml(register)
    again = register_from_text(text, str(path), path.parent)
    if again != register:
        raise BriefpackError(
            [
                Problem(
                    str(path), "the register would not read back as written; nothing was harvested"
                )
            ]
        )
    write_atomically(path, text.encode("utf-8"))
