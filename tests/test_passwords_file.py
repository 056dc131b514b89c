"""The passwords file of ``build --passwords`` (issue 31, item 4), read like a pack.

Each problem is one line at its place in the file, and no message ever shows a
password.
"""

from __future__ import annotations

import unicodedata
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


@pytest.mark.parametrize("escape", ["\\x00", "\\n", "\\t", "\\x1b", "\\x85"])
def test_a_password_with_a_control_character_is_refused_at_its_line_without_showing_it(
    tmp_path: Path, escape: str
) -> None:
    path = tmp_path / "passwords.yaml"
    found = problems(path, f'Omar Haddad: "omar-secret"\nJane Doe: "jane{escape}secret-1"\n')
    assert found == [
        f"{path}:2:11: the password for 'Jane Doe' contains a control character (such as a "
        "NUL, tab or line break) or a byte that is not UTF-8, which a reader could not type"
    ]
    assert "secret-1" not in found[0]


def test_a_password_from_the_environment_with_a_line_break_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "passwords.yaml"
    found = problems(path, "Jane Doe:\n  password_env: JANE\n", {"JANE": "jane-secret\n"})
    assert found == [
        f"{path}:2:3: the password for 'Jane Doe' contains a control character (such as a "
        "NUL, tab or line break) or a byte that is not UTF-8, which a reader could not type"
    ]


def test_a_password_of_only_white_space_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "passwords.yaml"
    found = problems(path, 'Jane Doe: "            "\nOmar Haddad: "\u3000\u3000\u3000\u3000"\n')
    assert found == [
        f"{path}:1:11: the password for 'Jane Doe' is only white space",
        f"{path}:2:14: the password for 'Omar Haddad' is only white space",
    ]


def test_a_password_written_where_the_variable_name_goes_is_refused_without_repeating_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "passwords.yaml"
    found = problems(path, 'Jane Doe: {password_env: "my secret pass 1"}\n')
    assert found == [
        f"{path}:1:26: 'password_env' of 'Jane Doe' must be the name of an environment "
        "variable (letters, digits, _)"
    ]
    assert "secret" not in found[0]


def test_a_password_variable_that_is_set_but_empty_is_said_to_be_empty(tmp_path: Path) -> None:
    path = tmp_path / "passwords.yaml"
    text = "Jane Doe:\n  password_env: JANE\nOmar Haddad:\n  password_env: OMAR\n"
    assert problems(path, text, {"JANE": ""}) == [
        f"{path}:2:17: the password of 'Jane Doe' is in $JANE, which is empty",
        f"{path}:4:17: the password of 'Omar Haddad' is in $OMAR, which is not set",
    ]


def test_a_name_written_with_combining_accents_is_read_in_composed_form(tmp_path: Path) -> None:
    path = tmp_path / "passwords.yaml"
    decomposed = unicodedata.normalize("NFD", "Ana Núñez")
    assert decomposed != "Ana Núñez"
    path.write_text(f'{decomposed}: "ana-secret-3"\n', encoding="utf-8")
    assert load_passwords(path, {}) == {"Ana Núñez": "ana-secret-3"}


def test_one_name_written_composed_and_decomposed_is_given_a_password_twice(
    tmp_path: Path,
) -> None:
    path = tmp_path / "passwords.yaml"
    decomposed = unicodedata.normalize("NFD", "Ana Núñez")
    found = problems(path, f'Ana Núñez: "ana-secret-3"\n{decomposed}: "ana-secret-4"\n')
    assert found == [f"{path}:2:1: 'Ana Núñez' is given a password twice"]


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("ü" * 64, "is longer than 127 bytes (UTF-8), all a PDF keeps of one"),
        (
            unicodedata.normalize("NFD", "Pässwört-1"),
            "has characters a PDF reader changes before using it (combining accents, "
            "ligatures, full-width forms): write it as it is typed, in composed form",
        ),
        (
            "jane-secret-\udcff",
            "contains a control character (such as a NUL, tab or line break) or a byte that "
            "is not UTF-8, which a reader could not type",
        ),
    ],
    ids=["over 127 bytes", "decomposed", "not UTF-8"],
)
def test_a_password_no_pdf_reader_could_type_back_is_refused(
    tmp_path: Path, password: str, problem: str
) -> None:
    path = tmp_path / "passwords.yaml"
    found = problems(path, "Jane Doe:\n  password_env: JANE\n", {"JANE": password})
    assert found == [f"{path}:2:3: the password for 'Jane Doe' {problem}"]


def test_a_127_byte_password_in_composed_form_is_read(tmp_path: Path) -> None:
    path = tmp_path / "passwords.yaml"
    password = "é" * 63 + "x"
    path.write_text(f'Jane Doe: "{password}"\n', encoding="utf-8")
    assert load_passwords(path, {}) == {"Jane Doe": password}
