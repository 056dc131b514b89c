"""A machine without Pango: one line naming it and its package, never WeasyPrint's banner.

Pango cannot be taken off this machine for a test, so a subprocess is made
to lack it: ``WITHOUT_PANGO`` makes every way of loading a library (ctypes,
``ctypes.util.find_library``, cffi's ``dlopen``, which WeasyPrint uses) fail
for Pango's names before briefpack's command line starts.  WeasyPrint itself
then fails as it does on such a machine, banner and all, if anything
imports it.
"""

from __future__ import annotations

import ast
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import briefpack.build.system as system
from briefpack.build.system import Library

from conftest import MINIMAL_PACK

#: Python code run before the command line: this process and its workers lack Pango.
WITHOUT_PANGO = """
import ctypes, ctypes.util, cffi
def gone(name):
    return "pango-1.0" in str(name)
def no_such_file(name):
    return OSError(f"cannot load library '{name}': {name}: cannot open shared object file")
real_cdll, real_find, real_dlopen = ctypes.CDLL.__init__, ctypes.util.find_library, cffi.FFI.dlopen
def cdll(self, name, *args, **kwargs):
    if gone(name):
        raise no_such_file(name)
    real_cdll(self, name, *args, **kwargs)
def dlopen(self, name, *args, **kwargs):
    if gone(name):
        raise no_such_file(name)
    return real_dlopen(self, name, *args, **kwargs)
ctypes.CDLL.__init__ = cdll
ctypes.util.find_library = lambda name: None if gone(name) else real_find(name)
cffi.FFI.dlopen = dlopen
"""
#: Then the command line, and which modules the process that ran it had imported.
RUN_CLI = """
import sys
from briefpack.cli import main
try:
    main()
finally:
    print("weasyprint imported:", "weasyprint" in sys.modules)
"""
#: What WeasyPrint prints when it cannot load a library.
BANNER = "WeasyPrint could not import some external libraries"
#: The command that installs Pango on this machine (the tests run on Debian).
INSTALL = system.install_command()


def briefpack(*args: str, before: str = WITHOUT_PANGO, **popen: Any) -> Any:
    """Run ``briefpack ARGS`` in a subprocess after ``before``; with ``popen``, do not wait."""
    command = [sys.executable, "-c", before + RUN_CLI, *args]
    if popen:
        return subprocess.Popen(command, start_new_session=True, **popen)
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def pango_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "Pango" in line]


def summaries(text: str) -> list[str]:
    """The closing line of each build: ``1 written, 0 up to date, 1 problem, in 0.4 s``."""
    return [line for line in text.splitlines() if re.match(r"\d+ written, ", line)]


def test_a_build_without_pango_says_so_once_and_still_writes_the_word_and_html_copies(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    out = tmp_path / "out"
    result = briefpack(
        "build", str(pack), "-o", str(out), "-f", "pdf", "-f", "docx", "-f", "html", "-j", "2"
    )
    assert result.returncode == 1, result.stderr
    assert BANNER not in result.stdout + result.stderr
    assert "internal error" not in result.stdout + result.stderr
    # The only problem reported, on standard error, then the summary.
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0] == (
        "briefpack: PDFs not built: WeasyPrint needs Pango (libpango-1.0-0), which this "
        f"machine lacks; to install: {INSTALL}; the Word and HTML copies were still written; "
        "run briefpack doctor for the rest"
    )
    assert lines[1].startswith("3 written, 0 up to date, 1 problem, in ")
    assert pango_lines(result.stdout) == []
    # Found in the build's own process, without importing WeasyPrint there.
    assert result.stdout.splitlines()[-1] == "weasyprint imported: False"
    written = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.*"))
    assert "pack/pack.docx" in written
    assert "pack/sessions/01-strategy.docx" in written
    assert "pack/pack.html" in written
    assert not [name for name in written if name.endswith(".pdf")]


def test_a_build_of_pdfs_alone_without_pango_says_nothing_else_was_built(
    tmp_path: Path,
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    result = briefpack("build", str(pack), "-o", str(tmp_path / "out"), "-f", "pdf")
    assert result.returncode == 1
    [line] = pango_lines(result.stderr)
    assert "; nothing else was built; run briefpack doctor for the rest" in line
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_a_worker_that_cannot_start_weasyprint_fails_each_pdf_in_one_line_without_the_banner(
    tmp_path: Path,
) -> None:
    # The build's check finds nothing missing (it looks for no library at all), so
    # the worker imports WeasyPrint, which fails as on a machine without Pango.
    blind = WITHOUT_PANGO + "import briefpack.build.system as s; s.renderer_libraries = tuple\n"
    pack = tmp_path / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    result = briefpack(
        "build", str(pack), "-o", str(tmp_path / "out"), "--no-sessions", before=blind
    )
    assert result.returncode == 1
    assert BANNER not in result.stdout + result.stderr
    assert "internal error" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if "PDFs not built" in line]
    assert line.startswith("briefpack: PDFs not built: WeasyPrint cannot start: ")
    assert "libpango-1.0-0" in line
    assert line.endswith("; run briefpack doctor")
    assert (tmp_path / "out" / "pack" / "pack.docx").is_file()


def test_doctor_without_pango_names_it_and_its_package_without_the_banner() -> None:
    started = time.perf_counter()
    result = briefpack("doctor")
    elapsed = time.perf_counter() - started
    assert result.returncode == 1
    assert BANNER not in result.stdout + result.stderr
    assert result.stderr == ""
    assert (
        "missing  PDF renderer: WeasyPrint cannot start: this machine lacks Pango "
        f"(libpango-1.0-0)\n         to install: {INSTALL}\n"
    ) in result.stdout
    assert "missing  font subsetter: unknown: WeasyPrint cannot start" in result.stdout
    assert "ok       theme fonts: " in result.stdout  # the other checks still ran
    assert result.stdout.splitlines()[-1] == "weasyprint imported: False"
    assert elapsed < 20  # not a timing test: WeasyPrint's failing import took seconds


def test_watch_without_pango_keeps_building_the_word_copy_and_says_why(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    pack = content / "pack.yaml"
    pack.write_text(MINIMAL_PACK, encoding="utf-8")
    stdout, stderr = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = briefpack(
            "watch", str(content), "-o", str(tmp_path / "out"), "--no-sessions", "-j", "1",
            stdout=out, stderr=err,
        )  # fmt: skip
    try:
        wait_for(lambda: "watching" in stdout.read_text(), "the first build")
        first_builds = len(summaries(stderr.read_text()))
        assert first_builds >= 1
        docx = tmp_path / "out" / "pack" / "pack.docx"
        first = docx.read_bytes()
        pack.write_text(MINIMAL_PACK.replace("Where are we going?", "What changed?"), "utf-8")
        wait_for(lambda: docx.read_bytes() != first, "the Word copy to be rebuilt")
        wait_for(lambda: len(summaries(stderr.read_text())) > first_builds, "the rebuild's end")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    # Each build says it once, and says nothing else is wrong.
    builds = summaries(stderr.read_text())
    assert len(pango_lines(stderr.read_text())) == len(builds)
    assert all(", 1 problem, in " in line for line in builds)
    assert BANNER not in stdout.read_text() + stderr.read_text()
    assert "internal error" not in stderr.read_text()
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_preview_without_pango_serves_the_html_page(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "pack.yaml").write_text(MINIMAL_PACK, encoding="utf-8")
    output = tmp_path / "output.txt"
    with output.open("w") as out:
        process = briefpack(
            "preview", str(content), "-o", str(tmp_path / "out"), "--port", "0",
            "--no-sessions", "-j", "1", stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for(lambda: "watching" in output.read_text(), "the first build")
        found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", output.read_text())
        assert found, output.read_text()
        with urllib.request.urlopen(found.group(1) + "pack/pack.html", timeout=10) as page:
            assert "Where are we going?" in page.read().decode("utf-8")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    text = output.read_text()
    assert len(pango_lines(text)) == len(summaries(text)) >= 1
    assert BANNER not in text
    assert text.splitlines()[-1] == "weasyprint imported: False"


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


# ---------------------------------------------------------------- in this process


def weasyprint_required_names() -> list[tuple[str, ...]]:
    """The names of each library WeasyPrint's ffi.py loads without ``allow_fail``, in order."""
    import weasyprint.text.ffi

    tree = ast.parse(Path(weasyprint.text.ffi.__file__).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "_dlopen"
            and not any(keyword.arg == "allow_fail" for keyword in node.keywords)
        ):
            found.append((node.lineno, tuple(ast.literal_eval(arg) for arg in node.args[1:])))
    return [names for _, names in sorted(found)]


def test_the_libraries_looked_for_are_those_weasyprint_cannot_start_without() -> None:
    expected = weasyprint_required_names()
    assert len(expected) == 5
    assert [library.names for library in system.renderer_libraries()] == expected


def test_this_machine_lacks_none_and_a_library_it_cannot_load_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert system.missing_libraries() == ()
    absent = Library("Absent", ("libbriefpack-absent-0", "briefpack-absent", "libabsent.so.0"))
    real = system.renderer_libraries()
    monkeypatch.setattr(system, "renderer_libraries", lambda: (real[0], absent, *real[1:]))
    assert system.missing_libraries() == (absent,)
    assert str(absent) == "Absent (libbriefpack-absent-0)"


def os_release(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "os-release"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("platform", "release", "command"),
    [
        ("linux", 'ID=debian\nVERSION_ID="12"\n', "apt-get install libpango-1.0-0 libpangoft2"),
        ("linux", "ID=linuxmint\nID_LIKE='ubuntu debian'\n", "apt-get install libpango-1.0-0 "),
        ("linux", 'ID="rocky"\nID_LIKE="rhel centos fedora"\n', "dnf install pango"),
        ("linux", "ID=fedora\n", "dnf install pango"),
        ("linux", "ID=alpine\n", "apk add pango"),
        ("linux", "ID=arch\n", "pacman -S pango"),
        ("darwin", "ID=debian\n", "brew install pango"),
        ("win32", "", "pacman -S mingw-w64-ucrt-x86_64-pango in MSYS2 (with WEASYPRINT_DLL"),
    ],
)  # fmt: skip
def test_the_install_command_is_the_platforms_own(
    tmp_path: Path, platform: str, release: str, command: str
) -> None:
    assert system.install_command(platform, os_release(tmp_path, release)).startswith(command)


@pytest.mark.parametrize("release", ["ID=gentoo\n", None])
def test_an_unknown_platform_is_given_every_usual_command(
    tmp_path: Path, release: str | None
) -> None:
    path = os_release(tmp_path, release) if release else tmp_path / "no-such-file"
    assert system.install_command("linux", path) == (
        "apt-get install libpango-1.0-0 libpangoft2-1.0-0 (Debian, Ubuntu), "
        "dnf install pango (Fedora), brew install pango (macOS)"
    )
    assert system.install_command("freebsd14", path).endswith("brew install pango (macOS)")


def test_two_missing_libraries_are_named_together(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(system, "install_command", lambda: "CMD")
    pango, _, fontconfig = system.renderer_libraries()[1:4]
    assert system.lacking([pango, fontconfig]) == (
        "WeasyPrint needs Pango (libpango-1.0-0) and fontconfig (libfontconfig-1), "
        "which this machine lacks; to install: CMD"
    )


def jobs(*formats: str) -> list[Any]:
    return [SimpleNamespace(output_format=name) for name in formats]


def test_without_a_pdf_to_render_no_library_is_looked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    def looked() -> tuple[Library, ...]:
        raise AssertionError("looked for libraries")

    monkeypatch.setattr(system, "renderer_libraries", looked)
    pending = jobs("docx", "html")
    assert system.hold_back(pending, None) == (pending, ())
    # A cluster's workers are other machines: what this one lacks says nothing about them.
    pending = jobs("pdf", "docx")
    assert system.hold_back(pending, "tcp://scheduler:8786") == (pending, ())


def test_only_the_pdfs_are_held_back(monkeypatch: pytest.MonkeyPatch) -> None:
    absent = Library("Absent", ("libbriefpack-absent-0",))
    monkeypatch.setattr(system, "renderer_libraries", lambda: (absent,))
    pending = jobs("pdf", "docx", "pdf", "html")
    kept, missing = system.hold_back(pending, None)
    assert [job.output_format for job in kept] == ["docx", "html"]
    assert missing == (absent,)
    [problem] = system.not_built(missing, [Path("out/pack/pack.docx")])
    assert "the Word copies were still written" in str(problem)
    assert system.not_built((), [Path("out/pack/pack.docx")]) == []
