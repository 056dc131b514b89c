"""``briefpack doctor``: what this machine gives briefpack, and what it lacks.

A build that fails for want of a system library fails late and in
WeasyPrint's words; a build that merely runs slowly (no HarfBuzz subsetter,
PyYAML without libyaml) says nothing at all.  The doctor names each piece
briefpack relies on, the version found, and what to install when it is
missing.  Every check is a function of its own, so that one broken piece
(Pango missing makes WeasyPrint fail at import) never hides the others.
"""

from __future__ import annotations

import io
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

from briefpack import __version__

#: ``ok``: present; ``note``: works, with advice; ``optional``: absent, not needed to
#: build; ``missing``: builds fail or lack something until it is installed.
Status = Literal["ok", "note", "optional", "missing"]

#: The Python packages that briefpack's outputs depend on, by distribution name.
PACKAGES = ("WeasyPrint", "python-docx", "fontTools", "Jinja2", "PyYAML", "markdown-it-py", "click")


@dataclass(frozen=True, slots=True)
class Check:
    """What one check found."""

    name: str
    status: Status
    found: str
    advice: str = ""

    def __str__(self) -> str:
        line = f"{self.status:<9}{self.name}: {self.found}"
        return f"{line}\n{'':9}{self.advice}" if self.advice else line


def run_doctor() -> int:
    """``briefpack doctor``: print the report; 1 when something builds need is missing."""
    import click

    from briefpack.render.builtin_themes import templates_dir

    click.echo(summary_line())
    checks = run_checks(templates_dir())
    for check in checks:
        click.echo(str(check))
    return 1 if any(check.status == "missing" for check in checks) else 0


def run_checks(theme: Path) -> list[Check]:
    """Every check, in the order they are shown; none raises."""
    checks: list[Callable[[], Check]] = [
        _python_packages,
        _yaml_parser,
        _renderer,
        _font_subsetter,
        lambda: _theme_fonts(theme),
        _libreoffice,
    ]
    return [check() for check in checks]


def summary_line() -> str:
    """The first line of the report: briefpack, Python and the platform."""
    return (
        f"briefpack {__version__} on Python {platform.python_version()} "
        f"({sys.executable}), {platform.system()} {platform.machine()}"
    )


def _python_packages() -> Check:
    found, missing = [], []
    for name in PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        return Check(
            "Python packages",
            "missing",
            f"{', '.join(missing)} not installed",
            "reinstall briefpack: pip install briefpack",
        )
    return Check("Python packages", "ok", ", ".join(found))


def _yaml_parser() -> Check:
    import yaml

    if getattr(yaml, "__with_libyaml__", False):
        return Check("YAML parser", "ok", "libyaml (PyYAML's C parser)")
    return Check(
        "YAML parser",
        "note",
        "PyYAML's pure-Python parser, about 13x slower than libyaml's",
        "install a PyYAML wheel built with libyaml, or libyaml-dev before building PyYAML",
    )


def _renderer() -> Check:
    from briefpack.build.system import install_command, listed, missing_libraries, quiet_import

    # Looked for before WeasyPrint is imported: its import on a machine without
    # them prints a banner and takes seconds, and says less than this does.
    missing = missing_libraries()
    if missing:
        return Check(
            "PDF renderer",
            "missing",
            f"WeasyPrint cannot start: this machine lacks {listed(missing)}",
            f"to install: {install_command()}",
        )
    try:
        weasyprint = quiet_import("weasyprint")
        pango = quiet_import("weasyprint.text.ffi").pango
    except (ImportError, OSError) as error:
        return Check(
            "PDF renderer",
            "missing",
            f"WeasyPrint cannot start: {error}",
            f"install Pango: {install_command()}; or reinstall briefpack: pip install briefpack",
        )
    number = int(pango.pango_version())
    pango_version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    return Check(
        "PDF renderer", "ok", f"WeasyPrint {weasyprint.__version__}, Pango {pango_version}"
    )


def _font_subsetter() -> Check:
    from briefpack.build.system import missing_libraries, quiet_import

    unknown = Check("font subsetter", "missing", "unknown: WeasyPrint cannot start")
    if missing_libraries():
        return unknown  # importing WeasyPrint would only say so again, with its banner
    try:
        pdf = quiet_import("briefpack.render.pdf")
    except (ImportError, OSError):
        return unknown
    if pdf.harfbuzz_subsetter_found():
        return Check("font subsetter", "ok", "HarfBuzz's (libharfbuzz-subset)")
    return Check(
        "font subsetter",
        "note",
        "fontTools, the slower fallback: same PDFs, slower builds",
        pdf.SUBSETTER_INSTALL,
    )


def _theme_fonts(theme: Path) -> Check:
    """The theme's theme.yaml is valid, and every font file it names is a font."""
    from fontTools.ttLib import TTFont, TTLibError

    from briefpack.content.theme_file import load_theme
    from briefpack.errors import BriefpackError
    from briefpack.render.theme_css import font_files

    try:
        files = font_files(load_theme(theme))
    except BriefpackError as error:
        problems = "; ".join(str(problem) for problem in error.problems)
        return Check("theme fonts", "missing", problems, "reinstall briefpack")
    broken = []
    for name, path in sorted(files.items()):
        try:
            # Read first: a file TTFont opened itself would stay open when it raises.
            TTFont(io.BytesIO(path.read_bytes()), lazy=True)
        except (OSError, TTLibError) as error:
            broken.append(f"{name} ({error})")
    if broken:
        return Check(
            "theme fonts",
            "missing",
            f"{len(broken)} of {len(files)} unreadable: {'; '.join(broken)}",
            "reinstall briefpack",
        )
    return Check("theme fonts", "ok", f"{len(files)} fonts in {theme}, all readable")


def _libreoffice() -> Check:
    """LibreOffice lays the Word copies out to number their contents; without it they are not."""
    from briefpack.build.word_layout import INSTALL, find_libreoffice

    found = find_libreoffice(os.environ, exact=True)
    if found is None:
        return Check(
            "LibreOffice",
            "optional",
            "not found; the Word copies' contents get no page numbers until Word updates them",
            f"to have them written in, install LibreOffice: {INSTALL}",
        )
    return Check("LibreOffice", "ok", f"{found.version}; numbers the Word copies' contents")
