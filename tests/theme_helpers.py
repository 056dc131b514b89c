"""A theme folder beside a minimal pack, and the build and the one problem line its tests read.

Shared by the theme tests (``test_theme_sandbox``, ``test_theme_css``,
``test_theme_validate_as_build``, ``test_theme_svg``), which all make a pack
with a hostile theme and expect one line at the place that is refused.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import MINIMAL_PACK, run


def pack_with_theme(tmp_path: Path, template: str | None = None, theme_yaml: str = "") -> Path:
    """A minimal pack using the theme folder ``brand`` beside it, with ``template`` if given."""
    theme = tmp_path / "brand"
    theme.mkdir(exist_ok=True)
    if template is not None:
        (theme / "pack.html.j2").write_text(template, encoding="utf-8")
        theme_yaml = "template: pack.html.j2\n" + theme_yaml
    (theme / "theme.yaml").write_text(theme_yaml or "name: brand\n", encoding="utf-8")
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK + "options:\n  theme: brand\n", encoding="utf-8")
    return pack


def build_pack(pack: Path, *formats: str, fresh: bool = False) -> tuple[int, str]:
    out = pack.parent / "out"
    args = [arg for format_ in formats or ("html",) for arg in ("-f", format_)]
    code, _, err = (run_fresh if fresh else run)(
        "build", str(pack), "-o", str(out), "--no-sessions", *args
    )
    return code, err


def run_fresh(*args: str) -> tuple[int, str, str]:
    """``briefpack ARGS`` in a new process, as a person runs it.

    For templates that recurse without end: late in a full test run, a worker
    forked from pytest's own process died (exit status 1, its output lost)
    where one forked from a fresh ``briefpack`` reports the recursion.
    """
    done = subprocess.run(
        [sys.executable, "-m", "briefpack.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def one_line_at(err: str, where: str) -> str:
    """The one problem line that starts at ``where``; no traceback anywhere."""
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    lines = [line for line in err.splitlines() if line.startswith(where)]
    assert len(lines) == 1, err
    return lines[0]
