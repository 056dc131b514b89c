"""``python -m briefpack``: the command line without the console script on PATH."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import briefpack

from conftest import MINIMAL_PACK


def run_module(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m briefpack ARGS`` in a fresh interpreter, as a user would type it."""
    return subprocess.run(
        [sys.executable, "-m", "briefpack", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )


def test_python_dash_m_briefpack_prints_the_version_under_the_commands_name() -> None:
    result = run_module("--version")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"briefpack, version {briefpack.__version__}\n"


def test_python_dash_m_briefpack_shows_the_commands_help_named_briefpack() -> None:
    result = run_module("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: briefpack [OPTIONS] COMMAND [ARGS]...")
    assert "__main__" not in result.stdout
    for command in ("build", "validate", "watch", "doctor"):
        assert f"\n  {command} " in result.stdout


def test_python_dash_m_briefpack_runs_a_command_and_returns_its_exit_status(
    tmp_path: Path,
) -> None:
    (tmp_path / "good.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(MINIMAL_PACK.replace("end:", "ends:"), encoding="utf-8")
    good = run_module("validate", "good.yaml", cwd=tmp_path)
    assert (good.returncode, good.stdout) == (0, "good.yaml: ok: 1 day, 1 session, 1 question\n")
    bad = run_module("validate", "bad.yaml", cwd=tmp_path)
    assert bad.returncode == 1
    assert "bad.yaml:5:9: a session needs an 'end:' time or a 'duration:' in minutes" in bad.stderr
