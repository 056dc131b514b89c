"""Reading ``build --passwords FILE``: each reader's password for their encrypted copies.

A YAML mapping from a recipient's name (as in the pack's ``recipients:``) to
their password, or to ``{password_env: NAME}``, the environment variable that
holds it, so that the file itself may hold no secret.  Kept outside the pack
and checked like one: every problem at its line, and no password in any
message.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from briefpack.content.loader import MappingNode, Node, ScalarNode, parse_yaml, read_text
from briefpack.content.record import Checker, problem_order
from briefpack.content.schema import PASSWORD_KEYS
from briefpack.errors import BriefpackError

#: Fewest characters a password may have: AES-256 is only as strong as it.
MIN_PASSWORD_LENGTH = 8


def load_passwords(path: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """Each reader's password from the passwords file at ``path``; raise with every problem."""
    label = str(path)
    root = parse_yaml(read_text(path, label), label)
    checker = Checker(path.parent)
    passwords: dict[str, str] = {}
    #: Whose each password is, and its line: a copy must open with its reader's only.
    owners: dict[str, tuple[str, int]] = {}
    if not isinstance(root, MappingNode):
        checker.problem(root.mark, "a passwords file must map each recipient's name to a password")
        raise BriefpackError(checker.problems)
    for name_node, value in root.pairs:
        name = name_node.value.strip()
        if name in passwords:
            checker.problem(name_node.mark, f"'{name}' is given a password twice")
            continue
        password = _password(checker, name, value, environ)
        if password is None:
            continue
        if len(password) < MIN_PASSWORD_LENGTH:
            checker.problem(
                value.mark,
                f"the password for '{name}' is shorter than {MIN_PASSWORD_LENGTH} characters",
            )
            continue
        if password in owners:
            other, line = owners[password]
            checker.problem(
                value.mark,
                f"'{name}' has the same password as '{other}' (line {line}): each reader's "
                "copy must open with their own password only",
            )
            continue
        owners[password] = (name, value.mark.line)
        passwords[name] = password
    if checker.problems:
        raise BriefpackError(sorted(checker.problems, key=problem_order))
    return passwords


def _password(checker: Checker, name: str, value: Node, environ: Mapping[str, str]) -> str | None:
    """The password ``value`` gives ``name``: as written, or from its environment variable."""
    if isinstance(value, ScalarNode):
        return value.value
    record = checker.record(value, PASSWORD_KEYS, f"the password of '{name}'")
    if record is None:
        return None
    variable = record.value("password_env")
    if not isinstance(variable, str) or not variable:
        return None
    password = environ.get(variable)
    if not password:
        checker.problem(
            record.mark("password_env") or record.node.mark,
            f"the password of '{name}' is in ${variable}, which is not set",
        )
        return None
    return password
