"""The theme is found from a wheel and from an editable install of the checkout."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from briefpack.render.builtin_themes import THEME_MARKER, templates_dir

from conftest import REPO

# Run without the test environment's site-packages (-S), so that only the
# install under test can provide briefpack.
FIND_THEME = (
    "import sys, site; {setup}; "
    "from briefpack.render.builtin_themes import templates_dir; print(templates_dir())"
)


def pip(*args: str, cwd: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def find_theme(setup: str, cwd: Path) -> Path:
    completed = subprocess.run(
        [sys.executable, "-S", "-c", FIND_THEME.format(setup=setup)],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(completed.stdout.strip())


def test_checkout_theme_is_the_repository_templates_folder() -> None:
    assert templates_dir() == REPO / "templates"


@pytest.mark.slow
def test_wheel_carries_the_theme_inside_the_package(tmp_path: Path) -> None:
    pip(
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        str(tmp_path / "dist"),
        str(REPO),
        cwd=tmp_path,
    )
    (wheel,) = (tmp_path / "dist").glob("briefpack-*.whl")
    target = tmp_path / "site"
    pip("install", "--no-deps", "--target", str(target), str(wheel), cwd=tmp_path)

    theme = find_theme(f"sys.path.insert(0, {str(target)!r})", cwd=tmp_path)

    assert theme == target / "briefpack" / "templates"
    assert (theme / THEME_MARKER).read_bytes() == (REPO / "templates" / THEME_MARKER).read_bytes()


@pytest.mark.slow
def test_editable_install_finds_the_checkout_theme(tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    pip(
        "install",
        "--no-deps",
        "--no-build-isolation",
        "--ignore-installed",
        "--prefix",
        str(prefix),
        "-e",
        str(REPO),
        cwd=tmp_path,
    )
    relative = Path(sysconfig.get_path("purelib")).relative_to(sysconfig.get_path("data"))
    site_packages = prefix / relative

    theme = find_theme(f"site.addsitedir({str(site_packages)!r})", cwd=tmp_path)

    assert theme == REPO / "templates"
