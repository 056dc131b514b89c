"""Shared helpers: write a pack to a temporary folder and collect what validation says."""

from __future__ import annotations

import gc
import logging
import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefpack.build.pipeline import Job
from briefpack.content.validate import load_pack
from briefpack.errors import BriefpackError
from briefpack.model import Pack
from briefpack.render.formats import Rendered

#: Builds shared by the whole run (the combination matrix, the bundled pack),
#: started as soon as collection ends.
pytest_plugins = ["shared_builds"]
#: No LibreOffice layout of each Word copy (a second or two each): tests/test_word_pages.py
#: turns it on where it checks the numbers.
os.environ["BRIEFPACK_WORD_PAGE_NUMBERS"] = "0"

REPO = Path(__file__).resolve().parent.parent
#: Run by another Python (LibreOffice's, with ``uno``), never imported by pytest.
collect_ignore = ["lo_accept.py"]
BUNDLED_PACK = REPO / "content" / "aws-devex-2025.yaml"
BUNDLED_SOURCE = REPO / "content" / "sources" / "aws-devex-2025.md"

MINIMAL_PACK = """\
title: Offsite
days:
  - date: 2026-03-02
    sessions:
      - title: Strategy
        start: "09:00"
        end: "10:00"
        questions:
          - title: Direction
            question: Where are we going?
"""
#: Two sessions, with no speakers and no pre-reads: tables without those columns.
TWO_SESSIONS_PACK = (
    MINIMAL_PACK
    + """\
      - title: Budget
        start: "10:30"
        end: "11:00"
        questions:
          - title: Spend
            question: What do we cut?
"""
)

#: A pack with every kind of Markdown the writers render, for the golden files.
RICH_PACK = """\
title: Board Offsite
subtitle: Spring planning
organisation: Example Corp
author: Board Office
classification: Confidential
days:
  - date: 2026-03-02
    sessions:
      - title: Capital allocation
        label: Session 1
        start: "9:30"
        end: "11:00"
        speakers:
          - name: Dana Ruiz
            role: CFO
        questions:
          - title: Priorities
            context: |
              Three things, in **this** order:

              1. Cash *conversion*
              2. Debt `maturity`

              - one
              - ***both***

              3. restarts at three
              4. four
            question: See [the memo](https://example.com/memo) before **committing**.
"""

WritePack = Callable[[str], Path]
#: Python code that makes WeasyPrint fall back to fontTools, as on a machine
#: without libharfbuzz-subset0; run it in a subprocess before briefpack's CLI.
WITHOUT_HARFBUZZ_SUBSET = "import weasyprint.pdf.fonts as fonts; fonts.harfbuzz_subset = None; "
GOLDEN = Path(__file__).parent / "golden"


def matches_golden(name: str, actual: str) -> None:
    """Compare ``actual`` with ``tests/golden/NAME``.

    With ``BRIEFPACK_UPDATE_GOLDEN`` set, write it there instead and skip:
    comparing a file with what was just written into it would prove nothing.
    """
    golden = GOLDEN / name
    if os.environ.get("BRIEFPACK_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
        pytest.skip(f"wrote {golden}; review it with git diff")
    assert actual == golden.read_text(encoding="utf-8")


def run(*args: str) -> tuple[int, str, str]:
    """Run ``briefpack ARGS`` in this process: exit status, standard output, standard error."""
    from click.testing import CliRunner

    from briefpack.cli import cli

    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _fail_on_renderer_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail any test during which WeasyPrint reported a problem (a theme or writer bug)."""
    # Attached to the logger itself: the CLI turns propagation off for its own output.
    logger = logging.getLogger("briefpack")
    logger.addHandler(caplog.handler)
    try:
        yield
    finally:
        logger.removeHandler(caplog.handler)
    messages = [record.getMessage() for record in caplog.get_records("call")]
    renderer = [message for message in messages if "renderer:" in message]
    assert renderer == [], "WeasyPrint reported problems"


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test() -> Iterator[None]:
    """Report anything a test leaves unclosed (a socket, a file) against that test.

    Left to the garbage collector, a leaked object is finalized at some later
    moment, and its ResourceWarning fails whichever test happens to be running.
    """
    yield
    gc.collect()


#: Top-level folders of the session's temporary folder whose outputs were checked (or excused).
_CHECKED_FOLDERS: set[str] = set()


@pytest.fixture(autouse=True)
def _check_outputs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Fail a test whose briefpack PDFs or Word files fail the independent checkers.

    At teardown, every PDF and .docx briefpack wrote into a temporary folder
    made since the last check (the test's ``tmp_path``, ``tmp_path_factory``
    folders) goes through ``page``, or openxml-audit and Word's accessibility
    rules (tests/checkers.py, tests/word_accessibility.py).
    ``BRIEFPACK_CHECK_OUTPUTS=0`` turns it off, to find quickly whether a
    failure is a checker's.  A test that damages an output on purpose says why
    with ``@pytest.mark.unchecked_outputs("reason")``.
    """
    yield
    if os.environ.get("BRIEFPACK_CHECK_OUTPUTS") == "0":
        return
    from checkers import describe, output_findings, share_results_in

    base = tmp_path_factory.getbasetemp()
    # pytest-xdist's workers each have a folder under the run's: they share results there.
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    share_results_in(shared / "checker-results")
    folders = [
        folder
        for folder in sorted(base.iterdir())
        # Skipping pytest's ``…current`` links to folders listed anyway.
        if folder.is_dir() and not folder.is_symlink() and folder.name not in _CHECKED_FOLDERS
    ]
    _CHECKED_FOLDERS.update(folder.name for folder in folders)
    excused = request.node.get_closest_marker("unchecked_outputs")
    if excused is not None:
        reason = str(excused.args[0]).strip() if excused.args else ""
        assert reason, "unchecked_outputs needs a reason"
        return
    found = {path: lines for folder in folders for path, lines in output_findings(folder).items()}
    if found:
        pytest.fail("independent checkers found problems:\n" + describe(found), pytrace=False)


@pytest.fixture
def write_pack(tmp_path: Path) -> WritePack:
    """Write dedented YAML text to ``pack.yaml`` in a temporary folder."""

    def write(text: str, name: str = "pack.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


def problems(path: Path) -> list[str]:
    """Validate ``path`` and return every reported problem as ``NAME:LINE:COL: message``.

    The path is shown by its file name so that expectations do not depend on
    the temporary folder.
    """
    try:
        load_pack(path, label=path.name)
    except BriefpackError as error:
        return [str(problem) for problem in error.problems]
    raise AssertionError(f"{path} validated, but problems were expected")


def valid(path: Path) -> Pack:
    """Validate ``path``, failing the test with the problems if it is invalid."""
    try:
        return load_pack(path, label=path.name)
    except BriefpackError as error:
        raise AssertionError("\n".join(str(p) for p in error.problems)) from None


def interfere(
    monkeypatch: pytest.MonkeyPatch, when: Callable[[Job], bool], action: Callable[[Job], None]
) -> None:
    """Run ``action`` before rendering every job ``when`` picks; it may sleep, hoard or raise.

    Patched before the build forks its workers, so the workers inherit it.
    """
    import briefpack.build.pipeline

    real = briefpack.build.pipeline.render_job

    def render(job: Job) -> Rendered:
        if when(job):
            action(job)
        return real(job)

    monkeypatch.setattr(briefpack.build.pipeline, "render_job", render)


def libreoffice_with_uno() -> bool:
    """Whether LibreOffice and the Python that can drive it (Debian's python3-uno) are here."""
    import shutil
    import subprocess

    if shutil.which("soffice") is None or not Path("/usr/bin/python3").is_file():
        return False
    probe = subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True)
    return probe.returncode == 0
