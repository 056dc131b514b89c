"""The passwords file of ``build --passwords`` (issue 31, item 4), read like a pack.

Each problem is one line at its place in the file, and no message ever shows a
password.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpack.content.passwords_file import load_passwords
from briefpack.errors import BriefpackError


def problems(path: Path, text: str, environ: dict[str, str] | None = None) -> list[str]:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefpackError) as raised:
        load_passwords(path, environ or {})
    return [str(problem) for problem in raised.value.problems]


def test_two_readers_with_one_password_are_refused_at_the_second(tmp_path: Path) -> None:
    path = tmp_path / "passwords.yaml"
    found = problems(
        path,
        'Jane Doe: "shared-secret"\nOmar Haddad:\n  password_env: OMAR\n',
        {"OMAR": "shared-secret"},
    )
    assert found == [
        f"{path}:3:3: 'Omar Haddad' has the same password as 'Jane Doe' (line 1): each "
        "reader's copy must open with their own password only"
    ]
    assert "shared-secret" not in found[0]


def test_readers_with_their_own_passwords_are_read(tmp_path: Path) -> None:
    path = tmp_path / "passwords.yaml"
    path.write_text('Jane Doe: "jane-secret"\nOmar Haddad: "omar-secret"\n', encoding="utf-8")
    assert load_passwords(path, {}) == {"Jane Doe": "jane-secret", "Omar Haddad": "omar-secret"}
