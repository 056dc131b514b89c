"""The Word copy laid out by LibreOffice, so that its contents carry real page numbers.

A Word writer cannot know on which page a heading lands; a layout engine
can.  Where LibreOffice is installed, each Word copy with a contents is
converted headless to PDF in a temporary folder (its own profile, its own
``HOME``; our file is only read), with Writer's bookmarks exported as the
PDF's named destinations.  The page of each destination is the page of the
heading it marks; those numbers go into the contents' ``PAGEREF`` fields
(:func:`~briefpack.build.contents_pages.fill_contents_pages`).  As the
numbers' widths could move a line, the filled copy is laid out again, until
its pages agree with the numbers it shows (three rounds at most).

The numbers are LibreOffice's pagination of the final copy; Word's agrees as
far as both lay the copy out alike.  Where LibreOffice is missing the copy is
left as the writer made it (Word updates its fields on opening), and the
build says once how to get the numbers.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefpack.errors import ADVICE_LOGGER

logger = logging.getLogger("briefpack")
#: How to get LibreOffice on Debian and Ubuntu: Writer alone, without a desktop.
INSTALL = "apt-get install libreoffice-writer-nogui"
#: What ``build`` says, once, where LibreOffice is missing.
ADVICE = (
    "note: the Word copies' contents have no page numbers until Word updates their fields; "
    f"install LibreOffice ({INSTALL}) to have them written in, or pass --no-word-page-numbers"
)
#: ``--convert-to``'s filter: a PDF whose named destinations are Writer's bookmarks.
PDF_FILTER = (
    'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
)
#: Seconds one conversion may take before LibreOffice is stopped.
CONVERSION_TIMEOUT = 120.0
#: Layouts of one copy at most: the first, and the filled copy until its pages agree.
ROUNDS = 3
#: The exit status of a first start that made its profile and wants to be started again.
_RESTART = 81
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class LibreOffice:
    """An installed LibreOffice: the program to run and its version (an input of the copy)."""

    program: str
    version: str


def find_libreoffice(environ: Mapping[str, str], exact: bool = False) -> LibreOffice | None:
    """LibreOffice as ``soffice`` on ``environ``'s ``PATH``, with its version; ``None`` if absent.

    The launcher script starts ``soffice.bin`` as its child, out of reach of
    the signal that ends it with the worker: the program itself is run.  The
    version is read from the installation's files, which costs a build
    nothing (asking the program takes 0.1 to 0.2 s, more than a no-op
    rebuild may); with ``exact``, or where those files are missing, the
    program is asked.
    """
    found = shutil.which("soffice", path=environ.get("PATH", os.defpath))
    if found is None:
        return None
    launcher = Path(found).resolve()
    binary = launcher.with_name("soffice.bin")
    program = binary if binary.is_file() else launcher
    version = None if exact else _installed_version(program)
    if version is None:
        with tempfile.TemporaryDirectory(prefix="briefpack-lo-") as home:
            try:
                result = run_program([str(program), "--version"], Path(home), 30.0)
            except (OSError, subprocess.SubprocessError):
                return None
        answer = result.stdout.decode("utf-8", "replace").strip()
        version = answer if result.returncode == 0 and answer else None
    return LibreOffice(str(program), version) if version else None


def _installed_version(program: Path) -> str | None:
    """What names this installation: its product and build (``versionrc``), and its program.

    The sizes and times of its program and main library change with any
    upgrade, also one that keeps the build number (a distribution's patch).
    """
    try:
        facts = [
            line.strip()
            for name in ("bootstraprc", "versionrc")
            for line in (program.parent / name).read_text(encoding="utf-8").splitlines()
            if line.startswith(("ProductKey=", "buildid="))
        ]
        # The program, and the library that holds most of LibreOffice where there is one.
        files = [program, *(p for p in [program.parent / "libmergedlo.so"] if p.exists())]
        stamps = [f"{path.name}={path.stat().st_size}:{path.stat().st_mtime_ns}" for path in files]
    except (OSError, UnicodeDecodeError):
        return None
    return " ".join([*facts, *stamps]) if facts else None


def advise(needed: bool, found: LibreOffice | None) -> None:
    """Say once, if page numbers are ``needed`` (and wanted) but cannot be had, how to get them."""
    if needed and found is None:
        logging.getLogger(ADVICE_LOGGER).warning(ADVICE)


def numbered_copy(docx: bytes, libreoffice: LibreOffice, name: str) -> bytes:
    """``docx`` numbered by :func:`number_contents`; as it is, with a warning, if that fails.

    LibreOffice is an aid, not a requirement: one that crashes, hangs past
    its timeout or is missing on a cluster's worker costs the copy its
    numbers (Word still updates them on opening), not the copy itself.
    """
    try:
        return number_contents(docx, libreoffice)
    except MemoryError:
        raise
    except Exception as error:  # LibreOffice's failure, whatever form it takes
        logger.warning(
            "%s: the contents keep no page numbers: LibreOffice could not lay the copy out (%s)",
            name,
            error,
        )
        return docx


def numbering_failed(libreoffice: LibreOffice | None, data: bytes) -> bool:
    """Whether a copy meant to be numbered by ``libreoffice`` came out without its numbers.

    Such a copy is written, but neither cached nor recorded as up to date:
    the next build tries the layout again rather than keep it.
    """
    from briefpack.build.contents_pages import awaits_numbers

    return libreoffice is not None and awaits_numbers(data)


def number_contents(docx: bytes, libreoffice: LibreOffice) -> bytes:
    """``docx`` with its contents' page numbers as LibreOffice paginates the numbered copy.

    Raises :class:`RuntimeError` if the filled copy never paginates as its
    numbers say (a number's width moving a heading back and forth).
    """
    from briefpack.build.contents_pages import fill_contents_pages, page_references

    if not page_references(docx):
        return docx
    with tempfile.TemporaryDirectory(prefix="briefpack-layout-") as folder:
        work = Path(folder)
        pages: dict[str, str] | None = None
        filled = docx
        for _ in range(ROUNDS):
            laid_out = heading_pages(filled, libreoffice, work)
            if laid_out == pages:
                return filled  # the numbers it shows are the pages it has
            pages = laid_out
            filled = fill_contents_pages(docx, pages)
    # Numbers that move their own headings: none rather than wrong ones.
    raise RuntimeError(f"its page numbers did not settle in {ROUNDS} layouts")


def heading_pages(docx: bytes, libreoffice: LibreOffice, work: Path) -> dict[str, str]:
    """The number of the page each bookmark of ``docx`` lands on, as that page shows it."""
    import pikepdf

    from briefpack.build.contents_pages import SECTION_MARK, page_labels, with_section_marks

    marked, numbering = with_section_marks(docx)
    source = work / "copy.docx"
    source.write_bytes(marked)
    pdf_path = convert(source, libreoffice, work)
    with pikepdf.open(pdf_path) as pdf:
        index = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        places: dict[str, int] = {}
        for name, destination in _destinations(pdf):
            with contextlib.suppress(Exception):
                places[name] = index[destination[0].objgen]
        count = len(pdf.pages)
    pdf_path.unlink()
    first_pages = {
        int(name[len(SECTION_MARK) :]): page
        for name, page in places.items()
        if name.startswith(SECTION_MARK)
    }
    labels = page_labels(first_pages, numbering, count)
    return {
        name: labels[page - 1] for name, page in places.items() if not name.startswith(SECTION_MARK)
    }


def _destinations(pdf: Any) -> list[tuple[str, Any]]:
    """The PDF's named destinations: the catalogue's ``/Dests``, or its name tree."""
    import pikepdf

    found: list[tuple[str, Any]] = []
    dests = pdf.Root.get("/Dests")
    if isinstance(dests, pikepdf.Dictionary):
        found += [(str(key)[1:], _explicit(value)) for key, value in dests.items()]
    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/Dests" in names:
        tree = pikepdf.NameTree(names.Dests)
        found += [(str(key), _explicit(value)) for key, value in tree.items()]
    return found


def _explicit(destination: Any) -> Any:
    """An explicit destination (``[page /XYZ …]``), also when given as ``<< /D [...] >>``."""
    import pikepdf

    if isinstance(destination, pikepdf.Dictionary) and "/D" in destination:
        return destination.D
    return destination


def convert(source: Path, libreoffice: LibreOffice, work: Path) -> Path:
    """``source`` converted to PDF in ``work`` by a LibreOffice of its own, its profile in ``work``.

    A fresh LibreOffice for each layout, as ``soffice --convert-to`` is run
    by anyone who checks the numbers: one kept open between copies kept the
    first copy's embedded fonts for the next (a Greek copy laid out after
    an English one fell back to DejaVu) and paginated long keep-together
    chains differently, so its numbers were wrong.  A first start only
    makes the profile and asks to be started again (status 81), as the
    launcher would.
    """
    target = work / (source.stem + ".pdf")
    profile = (work / "profile").as_uri()
    command = [
        libreoffice.program,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        PDF_FILTER,
        "--outdir",
        str(work),
        str(source),
    ]
    for _ in range(2):
        result = run_program(command, work, CONVERSION_TIMEOUT)
        if result.returncode != _RESTART:
            break
    if result.returncode != 0 or not target.is_file():
        output = (result.stdout + result.stderr).decode("utf-8", "replace").strip()
        raise RuntimeError(
            f"LibreOffice could not lay out the Word copy (status {result.returncode}): {output}"
        )
    return target


def run_program(
    command: list[str], home: Path, timeout: float
) -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` in its own process group, ended with it on timeout, error or our death.

    Whatever it starts in its group is killed once it returns, so nothing of
    LibreOffice outlives a layout; a parent-death signal ends it with a
    worker that is killed meanwhile.
    """
    environment = {**os.environ, "HOME": str(home)}
    environment.pop("SAL_USE_VCLPLUGIN", None)
    with subprocess.Popen(  # the program found on PATH, no shell
        command,
        cwd=home,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_die_with_parent,  # workers are single-threaded
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except BaseException:
            _kill_group(process.pid)
            process.communicate()
            raise
        finally:
            # Whatever the program started in its group goes with it.
            _kill_group(process.pid)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _kill_group(group: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def _die_with_parent() -> None:
    """In the child, before exec: SIGKILL when the process that started it dies (Linux)."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
