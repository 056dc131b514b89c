"""briefpack doctor: each piece named with its version, and what to install when it is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefpack.doctor import run_checks
from briefpack.render.builtin_themes import templates_dir
from briefpack.render.pdf import SUBSETTER_INSTALL

from conftest import WITHOUT_HARFBUZZ_SUBSET

RUN_CLI = "from briefpack.cli import main; main()"


def doctor(before: str = "", path: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``briefpack doctor`` after the Python code ``before``, with ``PATH`` if given."""
    environ = dict(os.environ)
    if path is not None:
        environ["PATH"] = path
    return subprocess.run(
        [sys.executable, "-c", before + RUN_CLI, "doctor"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )


def lines_by_check(output: str) -> dict[str, str]:
    """The report's check lines, by check name: ``{'PDF renderer': 'ok ...'}``."""
    checks = {}
    for line in output.splitlines()[1:]:
        if not line.startswith(" ") and ": " in line:
            status, rest = line.split(None, 1)
            checks[rest.split(": ", 1)[0]] = f"{status} {rest.split(': ', 1)[1]}"
    return checks


def test_a_working_machine_is_reported_check_by_check() -> None:
    result = doctor()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("briefpack ")
    checks = lines_by_check(result.stdout)
    assert list(checks) == [
        "Python packages",
        "YAML parser",
        "PDF renderer",
        "font subsetter",
        "theme fonts",
        "LibreOffice",
    ]
    assert checks["PDF renderer"].startswith("ok WeasyPrint ")
    assert ", Pango 1." in checks["PDF renderer"]
    assert "fontTools " in checks["Python packages"]
    assert checks["theme fonts"].startswith("ok 10 fonts in ")


def test_the_fonttools_fallback_is_a_note_with_the_package_to_install() -> None:
    result = doctor(WITHOUT_HARFBUZZ_SUBSET)
    assert result.returncode == 0
    assert lines_by_check(result.stdout)["font subsetter"].startswith("note fontTools")
    assert SUBSETTER_INSTALL in result.stdout
    assert "libharfbuzz-subset0" in SUBSETTER_INSTALL


def test_a_renderer_that_cannot_start_is_missing_and_fails() -> None:
    # What a machine without Pango gives: WeasyPrint fails as it is imported.
    result = doctor("import sys; sys.modules['weasyprint'] = None; ")
    assert result.returncode == 1
    checks = lines_by_check(result.stdout)
    assert checks["PDF renderer"].startswith("missing WeasyPrint cannot start")
    assert "libpango-1.0-0" in result.stdout
    assert checks["theme fonts"].startswith("ok")  # the other checks still ran


def test_libreoffice_is_optional_and_its_absence_says_what_the_word_copy_lacks(
    tmp_path: Path,
) -> None:
    result = doctor(path=str(tmp_path))
    assert result.returncode == 0
    line = lines_by_check(result.stdout)["LibreOffice"]
    assert line.startswith("optional not found; the Word copies' contents get no page numbers")
    assert "apt-get install libreoffice-writer-nogui" in result.stdout


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_an_installed_libreoffice_is_reported_with_what_it_does() -> None:
    check = next(check for check in run_checks(templates_dir()) if check.name == "LibreOffice")
    assert check.found.startswith("LibreOffice ")
    assert "; numbers the Word copies' contents" in check.found
    assert check.status == "ok"


def test_a_broken_theme_font_is_named(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(templates_dir(), theme)
    font = theme / "fonts" / "Inter-Bold.ttf"
    font.write_bytes(font.read_bytes()[:100])
    check = next(check for check in run_checks(theme) if check.name == "theme fonts")
    assert check.status == "missing"
    assert check.found.startswith("1 of 10 unreadable: Inter-Bold.ttf (")


def test_a_missing_theme_font_is_named_at_its_line(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(templates_dir(), theme)
    (theme / "fonts" / "NotoSerif-Italic.ttf").unlink()
    lines = (theme / "theme.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "fonts/NotoSerif-Italic.ttf" in text)
    check = next(check for check in run_checks(theme) if check.name == "theme fonts")
    assert check.status == "missing"
    assert check.found.endswith(
        f"theme.yaml:{line}:13: 'italic': no such file 'fonts/NotoSerif-Italic.ttf' "
        "in the theme's folder"
    )
