"""Reading ``build --passwords FILE``: each reader's password for their encrypted copies.

A YAML mapping from a recipient's name (as in the pack's ``recipients:``) to
their password, or to ``{password_env: NAME}``, the environment variable that
holds it, so that the file itself may hold no secret.  Kept outside the pack
and checked like one: every problem at its line, and no password in any
message.  Names are compared in Unicode's composed form (NFC), so that a
name typed with a combining accent is still its reader's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from briefpack.content.loader import MappingNode, Node, ScalarNode, parse_yaml, read_text
from briefpack.content.record import Checker, problem_order
from briefpack.content.schema import PASSWORD_KEYS
from briefpack.errors import BriefpackError

#: Fewest characters a password may have: AES-256 is only as strong as it.
MIN_PASSWORD_LENGTH = 8
#: Most bytes of a password PDF 2.0's AES-256 encryption uses (UTF-8, after SASLprep):
#: qpdf encrypts with the whole of a longer one, which then no reader can open.
MAX_PASSWORD_BYTES = 127

#: An environment variable's name as a shell can set it: what ``password_env`` must be.
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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
        name = unicodedata.normalize("NFC", name_node.value.strip())
        if name in passwords:
            checker.problem(name_node.mark, f"'{name}' is given a password twice")
            continue
        password = _password(checker, name, value, environ)
        if password is None:
            continue
        weakness = password_problem(password)
        if weakness is not None:
            checker.problem(value.mark, f"the password for '{name}' {weakness}")
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


def password_problem(password: str) -> str | None:
    """What makes ``password`` unusable, in words that never repeat it; ``None`` if nothing.

    A control character (NUL, a tab, a line break) cannot be typed where a
    reader's PDF viewer asks for the password, and the encryption refuses a
    NUL outright: refused here, before anything is rendered.
    """
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in password):
        return (
            "contains a control character (such as a NUL, tab or line break) or a byte "
            "that is not UTF-8, which a reader could not type"
        )
    if not password.strip():
        return "is only white space"
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"is shorter than {MIN_PASSWORD_LENGTH} characters"
    if unicodedata.normalize("NFKC", password) != password:
        # PDF readers prepare a typed password with SASLprep (NFKC) before using it;
        # one that prepares to other bytes than it was encrypted with never opens.
        return (
            "has characters a PDF reader changes before using it (combining accents, "
            "ligatures, full-width forms): write it as it is typed, in composed form"
        )
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return f"is longer than {MAX_PASSWORD_BYTES} bytes (UTF-8), all a PDF keeps of one"
    return None


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
    mark = record.mark("password_env") or record.node.mark
    if not _VARIABLE_NAME.fullmatch(variable):
        # Not repeated: it may be the password itself, written in the wrong place.
        checker.problem(
            mark,
            f"'password_env' of '{name}' must be the name of an environment variable "
            "(letters, digits, _)",
        )
        return None
    password = environ.get(variable)
    if not password:
        state = "not set" if password is None else "empty"
        checker.problem(mark, f"the password of '{name}' is in ${variable}, which is {state}")
        return None
    return password
