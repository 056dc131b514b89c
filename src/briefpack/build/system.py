"""The system libraries WeasyPrint needs, looked for without importing WeasyPrint.

WeasyPrint loads Pango, HarfBuzz, fontconfig and GObject with ``dlopen`` as
it is imported.  On a machine that lacks one, the import prints a six-line
banner on standard output and raises ``OSError``, in every process that
tries: a build used to print it twice per PDF and report each PDF as an
"internal error".  So the build looks for the same libraries, by the same
names, with :mod:`ctypes` (a few milliseconds) once, before any render, and
only when a PDF is to be rendered: a build with nothing to render loads
nothing.  What is missing becomes one line, with the command that installs
it on this platform; the PDFs are held back and every other format is built.

Renders on a Dask cluster are left alone: its workers are other machines,
and each checks for itself as it renders (:func:`require_renderer`).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from briefpack.errors import BriefpackError, Problem
from briefpack.render.formats import FORMAT_TABLE

if TYPE_CHECKING:
    from briefpack.build.jobs import Job

#: ``LOAD_LIBRARY_SEARCH_DEFAULT_DIRS``: how WeasyPrint loads a DLL on Windows.
_WINDOWS_SEARCH_DEFAULT_DIRS = 0x00001000
#: Where WeasyPrint looks for DLLs on Windows unless ``WEASYPRINT_DLL_DIRECTORIES`` says.
_WINDOWS_DLL_DIRECTORIES = (
    "C:\\msys64\\ucrt64\\bin;C:\\msys64\\mingw64\\bin;C:\\Program Files\\GTK3-Runtime Win64\\bin"
)
#: What installs Pango (and with it everything else WeasyPrint loads), by ``/etc/os-release`` ID.
_LINUX_COMMANDS = {
    "debian": "apt-get install libpango-1.0-0 libpangoft2-1.0-0",
    "ubuntu": "apt-get install libpango-1.0-0 libpangoft2-1.0-0",
    "fedora": "dnf install pango",
    "rhel": "dnf install pango",
    "centos": "dnf install pango",
    "alpine": "apk add pango",
    "arch": "pacman -S pango",
}
_MACOS_COMMAND = "brew install pango"
_WINDOWS_COMMAND = (
    "pacman -S mingw-w64-ucrt-x86_64-pango in MSYS2 "
    "(with WEASYPRINT_DLL_DIRECTORIES naming its bin folder if MSYS2 is not in C:\\msys64)"
)
#: Where the platform is not known: the usual commands, each with where it applies.
_ANY_COMMAND = (
    f"{_LINUX_COMMANDS['debian']} (Debian, Ubuntu), {_LINUX_COMMANDS['fedora']} (Fedora), "
    f"{_MACOS_COMMAND} (macOS)"
)


@dataclass(frozen=True, slots=True)
class Library:
    """One library WeasyPrint cannot start without."""

    #: What a person calls it: ``Pango``.
    label: str
    #: The names WeasyPrint tries, in its order; the first is the one its error names.
    names: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.label} ({self.names[0]})"


def renderer_libraries() -> tuple[Library, ...]:
    """The libraries WeasyPrint loads as it is imported, in its order, by its names.

    Copied from ``weasyprint/text/ffi.py`` (WeasyPrint 70), leaving out the
    two it may do without (HarfBuzz's subsetter and vector libraries); the
    one place to change when WeasyPrint does, and what tests replace.
    """
    return (
        Library("GObject", ("libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0",
                            "libgobject-2.0.so.0", "libgobject-2.0.0.dylib",
                            "libgobject-2.0-0.dll")),
        Library("Pango", ("libpango-1.0-0", "pango-1.0-0", "pango-1.0", "libpango-1.0.so.0",
                          "libpango-1.0.dylib", "libpango-1.0-0.dll")),
        Library("HarfBuzz", ("libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0",
                             "libharfbuzz.0.dylib", "libharfbuzz-0.dll")),
        Library("fontconfig", ("libfontconfig-1", "fontconfig-1", "fontconfig",
                               "libfontconfig.so.1", "libfontconfig.1.dylib",
                               "libfontconfig-1.dll")),
        Library("PangoFT2", ("libpangoft2-1.0-0", "pangoft2-1.0-0", "pangoft2-1.0",
                             "libpangoft2-1.0.so.0", "libpangoft2-1.0.dylib",
                             "libpangoft2-1.0-0.dll")),
    )  # fmt: skip


def missing_libraries() -> tuple[Library, ...]:
    """The libraries of :func:`renderer_libraries` this machine cannot load, in that order."""
    _add_dll_directories()
    return tuple(library for library in renderer_libraries() if not _loadable(library.names))


@cache
def _loadable(names: tuple[str, ...]) -> bool:
    """Whether ``dlopen`` succeeds for one of ``names`` as cffi resolves them for WeasyPrint.

    cffi opens a name with a dot or a slash as it is, then asks
    :func:`ctypes.util.find_library`.  The names that open as they are come
    first here: on most machines one of them loads, and ``find_library``
    (which may run ``ldconfig`` and a compiler) is not needed.  Once per
    process: a watch rebuilds on warm workers without asking again.
    """
    import ctypes.util

    for name in names:
        if ("." in name or "/" in name or os.sep in name) and _opens(name):
            return True
    for name in names:
        path = ctypes.util.find_library(name)
        if path is not None and _opens(path):
            return True
    return False


def _opens(name: str) -> bool:
    import ctypes

    try:
        if os.name == "nt":
            ctypes.CDLL(name, winmode=_WINDOWS_SEARCH_DEFAULT_DIRS)
        else:
            # RTLD_NOW as cffi does: a library whose own dependencies are missing fails here too.
            ctypes.CDLL(name, mode=os.RTLD_NOW)
    except OSError:
        return False
    return True


def _add_dll_directories() -> None:
    """What WeasyPrint does on Windows before loading, so that both find the same DLLs."""
    add = getattr(os, "add_dll_directory", None)
    if add is None or hasattr(sys, "frozen"):
        return
    for folder in os.environ.get("WEASYPRINT_DLL_DIRECTORIES", _WINDOWS_DLL_DIRECTORIES).split(";"):
        with contextlib.suppress(OSError):
            add(folder)


def install_command(platform: str | None = None, os_release: Path | None = None) -> str:
    """The command that installs Pango and the rest here: by ``sys.platform``, then distribution.

    A Linux distribution is known by the ``ID`` and ``ID_LIKE`` of
    ``/etc/os-release``; where none is known, the usual commands are all given.
    """
    platform = sys.platform if platform is None else platform
    if platform == "darwin":
        return _MACOS_COMMAND
    if platform == "win32":
        return _WINDOWS_COMMAND
    if platform.startswith("linux"):
        for distribution in _distributions(os_release or Path("/etc/os-release")):
            if distribution in _LINUX_COMMANDS:
                return _LINUX_COMMANDS[distribution]
    return _ANY_COMMAND


def _distributions(os_release: Path) -> list[str]:
    """``ID`` then the ``ID_LIKE`` entries of an os-release file; none when it cannot be read."""
    try:
        text = os_release.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        fields[key.strip()] = value.strip().strip("\"'").lower()
    return [fields.get("ID", ""), *fields.get("ID_LIKE", "").split()]


def listed(missing: Sequence[Library]) -> str:
    """``Pango (libpango-1.0-0)``, or ``A (a), B (b) and C (c)``."""
    names = [str(library) for library in missing]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def lacking(missing: Sequence[Library]) -> str:
    """``WeasyPrint needs Pango (libpango-1.0-0), which this machine lacks; to install: ...``."""
    return (
        f"WeasyPrint needs {listed(missing)}, which this machine lacks; "
        f"to install: {install_command()}"
    )


def hold_back(pending: list[Job], executor: str | None) -> tuple[list[Job], tuple[Library, ...]]:
    """The jobs to render here, and the libraries whose absence held the others back.

    Looks only when a job is rendered by WeasyPrint on this machine; a
    cluster's workers are other machines.
    """
    if executor is not None:
        return pending, ()
    if not any(FORMAT_TABLE[job.output_format].uses_weasyprint for job in pending):
        return pending, ()
    missing = missing_libraries()
    if not missing:
        return pending, ()
    kept = [job for job in pending if not FORMAT_TABLE[job.output_format].uses_weasyprint]
    return kept, missing


def not_built(missing: Sequence[Library], done: Iterable[Path]) -> list[Problem]:
    """The one line for a build whose PDFs were held back (none if nothing was missing).

    ``done``: the outputs in place, to say which other formats were built.
    """
    if not missing:
        return []
    kinds = {"docx": "Word", "html": "HTML", "ics": "calendar"}
    suffixes = {path.suffix for path in done}
    built = [
        kinds.get(name, name)
        for name, format_ in FORMAT_TABLE.items()
        if not format_.uses_weasyprint and format_.suffix in suffixes
    ]
    if built:
        others = f"the {' and '.join(built)} copies were still written"
    else:
        others = "nothing else was built"
    return [
        Problem(
            "briefpack",
            f"PDFs not built: {lacking(missing)}; {others}; run briefpack doctor for the rest",
        )
    ]


def require_renderer() -> None:
    """Import the PDF writer, or fail in one line: never WeasyPrint's banner, never a bug.

    For the process that renders (a worker here or on a cluster).  The
    banner is a ``print`` on standard output, so it is caught there, in case
    WeasyPrint fails on something this module does not look for.
    """
    missing = missing_libraries()
    if missing:
        raise BriefpackError(
            [Problem("briefpack", f"PDFs not built: {lacking(missing)}; run briefpack doctor")]
        )
    try:
        quiet_import("briefpack.render.pdf")
    except (ImportError, OSError) as error:
        raise BriefpackError(
            [
                Problem(
                    "briefpack",
                    f"PDFs not built: WeasyPrint cannot start: {error}; run briefpack doctor",
                )
            ]
        ) from None


def quiet_import(module: str) -> ModuleType:
    """Import ``module`` with anything printed on the way (WeasyPrint's banner) left unseen."""
    import importlib

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return importlib.import_module(module)
