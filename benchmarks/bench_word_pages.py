"""Benchmark of the Word contents' page numbers: LibreOffice's layout, and what it adds to a build.

Run with ``nox -s bench`` (or ``python benchmarks/bench_word_pages.py``).
Where ``soffice`` is missing it says so and measures nothing. Reported, as
medians of fresh processes:

* one conversion of the bundled pack's Word copy to PDF by LibreOffice (in
  the LibreOffice this process keeps open where LibreOffice's Python has
  ``uno``, else started for it with its profile already made);
* the whole numbering of that copy (:func:`number_contents`: a first layout,
  the numbers filled in, the filled copy laid out again);
* cold builds (``-j2``) of the bundled pack and of the generated 40 x 10 pack
  with ``--word-page-numbers`` and ``--no-word-page-numbers`` side by side,
  and the one-edit rebuild of the large pack, which lays its copy out again.

No target: the cost is LibreOffice's, paid once per Word copy with a
contents, on the workers beside the PDF renders, and cached like any output.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench_build import BUNDLED, large_pack, median_of, run_build

from briefpack.build.word_layout import find_libreoffice, heading_pages, number_contents

Row = tuple[str, str, str]


def conversions(copy: bytes, runs: int, work: Path) -> list[Row]:
    """One layout of ``copy``, and its whole numbering, each a median of ``runs``."""
    libreoffice = find_libreoffice(os.environ)
    assert libreoffice is not None
    folder = work / "layout"
    folder.mkdir()
    heading_pages(copy, libreoffice, folder)  # the profile is made once per copy
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        heading_pages(copy, libreoffice, folder)
        times.append(time.perf_counter() - started)
    whole = []
    for _ in range(runs):
        started = time.perf_counter()
        number_contents(copy, libreoffice)
        whole.append(time.perf_counter() - started)
    return [
        ("bundled", "one LibreOffice layout of the Word copy", f"{statistics.median(times):.2f} s"),
        (
            "bundled",
            "numbering the copy (new profile, layout, fill, layout again)",
            f"{statistics.median(whole):.2f} s",
        ),
    ]


def builds(name: str, content: Path, out: Path, runs: int, edit: str | None) -> list[Row]:
    """Cold builds with and without the page numbers; the one-edit rebuild if ``edit``."""
    rows: list[Row] = []
    pack_file = next(content.glob("*.yaml"))
    original = pack_file.read_text(encoding="utf-8")
    counter = iter(range(1000))
    for flag in ("--no-word-page-numbers", "--word-page-numbers"):

        def cold(flag: str = flag) -> tuple[float, int]:
            shutil.rmtree(out, ignore_errors=True)
            return run_build(content, out, "-j", "2", flag)

        def one_edit(flag: str = flag, phrase: str = edit or "") -> tuple[float, int]:
            changed = original.replace(phrase, f"{phrase} {next(counter)}", 1)
            pack_file.write_text(changed, encoding="utf-8")
            return run_build(content, out, "-j", "2", flag)

        seconds, _ = median_of(runs, cold)
        rows.append((name, f"cold build -j2 {flag}", f"{seconds:.2f} s"))
        if edit is not None:
            seconds, _ = median_of(runs, one_edit)
            pack_file.write_text(original, encoding="utf-8")
            rows.append((name, f"one-edit rebuild (a question's text) {flag}", f"{seconds:.2f} s"))
    return rows


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    runs = parser.parse_args().runs
    libreoffice = find_libreoffice(os.environ, exact=True)
    if libreoffice is None:
        print("Word page numbers: LibreOffice (soffice) not found; nothing measured")
        return
    work = Path(tempfile.mkdtemp(prefix="briefpack-bench-pages-"))
    try:
        bundled = work / "bundled"
        bundled.mkdir()
        shutil.copy(BUNDLED, bundled / BUNDLED.name)
        out = work / "out-bundled"
        run_build(bundled, out, "-f", "docx", "--no-sessions", "--no-word-page-numbers")
        copy = (out / BUNDLED.stem / f"{BUNDLED.stem}.docx").read_bytes()
        rows = conversions(copy, max(runs, 5), work)
        rows += builds("bundled", bundled, work / "out-b", runs, None)
        large = work / "large"
        large.mkdir()
        (large / "large.yaml").write_text(large_pack(), encoding="utf-8")
        phrase = "What frameworks and practices do you recommend"
        rows += builds("large 40x10", large, work / "out-l", runs, phrase)
        print(
            f"Word page numbers benchmark: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, {libreoffice.version}, medians of {runs}"
        )
        print()
        print("| pack | measurement | result |")
        print("| --- | --- | --- |")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
