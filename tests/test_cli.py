"""The command line: output, exit status, help and version."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import briefpack
from briefpack.cli import EXIT_INTERNAL_ERROR, cli

from conftest import BUNDLED_PACK, MINIMAL_PACK, REPO, run


def test_validate_reports_a_valid_pack_with_its_counts() -> None:
    code, out, err = run("validate", str(BUNDLED_PACK))
    assert (code, err) == (0, "")
    assert out == f"{BUNDLED_PACK}: ok: 2 days, 4 sessions, 27 questions\n"


def test_validate_defaults_to_the_content_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, _ = run("validate")
    assert code == 0
    assert out == "content/aws-devex-2025.yaml: ok: 2 days, 4 sessions, 27 questions\n"


def test_validate_reports_every_pack_and_fails_if_any_is_invalid(tmp_path: Path) -> None:
    (tmp_path / "a-good.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    (tmp_path / "b-bad.yml").write_text(MINIMAL_PACK.replace("end:", "ends:"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a pack", encoding="utf-8")
    code, out, err = run("validate", str(tmp_path))
    bad = tmp_path / "b-bad.yml"
    assert code == 1
    assert out == f"{tmp_path / 'a-good.yaml'}: ok: 1 day, 1 session, 1 question\n"
    assert err.splitlines() == [
        f"{bad}:5:9: a session needs an 'end:' time or a 'duration:' in minutes",
        f"{bad}:7:9: unknown key 'ends' in a session; did you mean 'end'?",
        "1 of 2 packs invalid",
    ]


def test_validate_names_a_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    code, out, err = run("validate", str(missing))
    assert (code, out) == (1, "")
    assert err == f"{missing}: no such file or folder\n"


def test_validate_names_a_folder_without_packs(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path))
    assert code == 1
    assert err == f"{tmp_path}: no pack files (*.yaml, *.yml) in this folder\n"


def test_a_bug_is_reported_briefly_without_debug_and_with_a_traceback_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("briefpack.content.validate.load_pack", broken)
    code, _, err = run("validate", str(BUNDLED_PACK))
    assert code == EXIT_INTERNAL_ERROR
    assert "internal error: RuntimeError: boom" in err
    assert "Traceback" not in err

    result = CliRunner().invoke(cli, ["--debug", "validate", str(BUNDLED_PACK)])
    assert isinstance(result.exception, RuntimeError)


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert out == f"briefpack, version {briefpack.__version__}\n"


@pytest.mark.parametrize("command", [[], ["validate"]])
def test_help_shows_examples(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0
    assert "Examples:" in out
    assert "briefpack validate" in out


def test_an_expected_error_is_its_problems_on_stderr_and_status_1_with_or_without_debug(
    tmp_path: Path,
) -> None:
    existing = tmp_path / "q3.yaml"
    existing.write_text("kept\n", encoding="utf-8")
    for debug in ([], ["--debug"]):
        result = CliRunner().invoke(cli, [*debug, "new", "q3", "--folder", str(tmp_path)])
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == f"{existing}: already exists; nothing was overwritten\n"
    assert existing.read_text(encoding="utf-8") == "kept\n"


def test_the_expected_error_class_does_not_need_click() -> None:
    """content and render raise it: they must not depend on the command line's library."""
    from briefpack.errors import BriefpackError

    assert not issubclass(BriefpackError, click.ClickException)
    assert str(BriefpackError("bad")) == "bad"
    assert BriefpackError.exit_code == 1


def test_a_reader_that_went_away_ends_the_command_quietly_with_status_141() -> None:
    """``briefpack validate | head -0``: no bug report, no traceback, status 128 + SIGPIPE."""
    import os
    import subprocess
    import sys

    reading, writing = os.pipe()
    os.close(reading)  # the reader is gone before briefpack writes a line
    try:
        result = subprocess.run(
            [sys.executable, "-m", "briefpack.cli", "validate", str(BUNDLED_PACK)],
            stdout=writing, stderr=subprocess.PIPE, text=True, check=False, timeout=60,
        )  # fmt: skip
    finally:
        os.close(writing)
    assert result.returncode == 141
    assert result.stderr == ""
