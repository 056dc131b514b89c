"""briefpack against the tools people would pick instead: the targets of the performance issue.

Run with ``nox -s bench`` (or ``python benchmarks/bench_compare.py``). Every
figure is the median of several fresh-process runs; each target is a ratio of
two sides measured side by side in this one run, so it holds on any machine.
Every build starts from an empty output folder, except the no-op build, which
says so. Until issue 29 the rounds after the first rebuilt into the same folder
with ``--force``, which reused the full pack's parts kept in
``OUT/.briefpack-parts``: they timed little more than the parts' join.

1. Overhead: ``briefpack build -f pdf --no-sessions`` at most 1.10x a bare
   ``python -m weasyprint`` render of the HTML briefpack wrote with ``-f html``.
2. The whole job (10 outputs) at most 1.5x that bare render of the full pack.
3. Start-up: ``--help``, ``validate`` and a no-op build each under 0.3 s and
   under 0.15x a cold build, without importing WeasyPrint or python-docx.
4. DOCX at scale: on a 50x pack, writing the .docx costs no more than pandoc's
   markdown->docx of the same text (needs pandoc).
5. Scale: on the 50x pack, PDF time per page at most that of the 1x pack, and
   the peak memory of a render under 1.2x bare WeasyPrint's for the same HTML.
6. Edit loop: from saving an edit to the session's PDF being in place under
   ``briefpack watch``, at most 2x Typst's cold compile of the bundled pack
   (needs the typst package).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_build import BUNDLED, large_pack, median_of, timed

PYTHON = sys.executable
Row = tuple[str, str, str, str]


def briefpack(*args: str) -> list[str]:
    return [PYTHON, "-m", "briefpack.cli", *args]


def from_empty(out: Path, command: list[str]) -> Callable[[], tuple[float, int]]:
    """A measurement of ``command`` that first empties ``out``: every run builds cold."""

    def measure() -> tuple[float, int]:
        shutil.rmtree(out, ignore_errors=True)
        return timed(command)

    return measure


def verdict(ratio: float, limit: float, at_most: bool = True) -> str:
    passed = ratio <= limit if at_most else ratio >= limit
    return f"{'PASS' if passed else 'MISS'} ({'<=' if at_most else '>='} {limit:g})"


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def markdown_of(pack_file: Path) -> str:
    """The pack as Markdown in the seed's shape, for pandoc."""
    import yaml

    pack = yaml.safe_load(pack_file.read_text(encoding="utf-8"))
    lines = [f"# {pack['title']}"]
    for day in pack["days"]:
        lines.append(f"\n## {day['date']}")
        for session in day["sessions"]:
            lines.append(f"\n### {session['title']} ({session['start']} - {session['end']})")
            for number, question in enumerate(session["questions"], start=1):
                lines.append(f"\n#### {number}. {question['title']}")
                if question.get("context"):
                    lines.append(f"\n**Context:** {question['context']}")
                lines.append(f"\n**Question:** {question['question']}")
    return "\n".join(lines) + "\n"


def typst_of(pack_file: Path) -> str:
    """The pack as Typst markup: the same headings and paragraphs."""
    import yaml

    def escape(text: str) -> str:
        return re.sub(r"([#$*_`<>@\[\]\\/~\"'=+-])", r"\\\1", str(text))

    pack = yaml.safe_load(pack_file.read_text(encoding="utf-8"))
    lines = ['#set page(paper: "a4", numbering: "1 / 1")', f"= {escape(pack['title'])}"]
    for day in pack["days"]:
        lines.append(f"\n== {escape(day['date'])}")
        for session in day["sessions"]:
            lines.append(f"\n#pagebreak()\n=== {escape(session['title'])}")
            for number, question in enumerate(session["questions"], start=1):
                lines.append(f"\n==== {number}. {escape(question['title'])}")
                if question.get("context"):
                    lines.append(f"\n*Context:* {escape(question['context'])}")
                lines.append(f"\n*Question:* {escape(question['question'])}")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Measure every target and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="briefpack-compare-"))
    rows: list[Row] = []
    try:
        content = work / "content"
        content.mkdir()
        pack = content / BUNDLED.name
        shutil.copy(BUNDLED, pack)
        html_out = work / "html"
        timed(briefpack("build", str(pack), "-o", str(html_out), "-f", "html", "--no-sessions"))
        html = html_out / "aws-devex-2025" / "aws-devex-2025.html"

        bare, _ = median_of(
            runs, lambda: timed([PYTHON, "-m", "weasyprint", str(html), str(work / "bare.pdf")])
        )
        single, _ = median_of(
            runs,
            from_empty(
                work / "one",
                briefpack(
                    "build", str(pack), "-o", str(work / "one"), "-f", "pdf", "--no-sessions"
                ),
            ),
        )
        rows.append(
            (
                "1 overhead",
                f"briefpack {single:.2f} s, bare WeasyPrint {bare:.2f} s",
                f"{single / bare:.2f}x",
                verdict(single / bare, 1.10),
            )
        )

        whole, _ = median_of(
            runs, from_empty(work / "all", briefpack("build", str(pack), "-o", str(work / "all")))
        )
        rows.append(
            (
                "2 whole job (10 outputs)",
                f"{whole:.2f} s against {bare:.2f} s",
                f"{whole / bare:.2f}x",
                verdict(whole / bare, 1.5),
            )
        )

        # As on this machine: PYTHONDONTWRITEBYTECODE=1, so briefpack's own modules
        # (an editable install) are compiled at every start; its dependencies
        # were compiled by pip when installed.
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        empty_cache = work / "no-bytecode"
        empty_cache.mkdir()
        for name, args in (
            ("--help", ("--help",)),
            ("validate", ("validate", str(pack))),
            ("no-op build", ("build", str(pack), "-o", str(work / "all"))),
        ):
            command = briefpack(*args)
            seconds, _ = median_of(runs, lambda command=command: timed(command))
            passed = seconds < 0.3 and seconds < 0.15 * whole
            rows.append(
                (
                    f"3 start-up: {name}",
                    f"{seconds:.2f} s",
                    f"{seconds / whole:.2f}x cold",
                    f"{'PASS' if passed else 'MISS'} (< 0.3 s, < 0.15x)",
                )
            )
            # For information: no bytecode cached at all, not even the dependencies'
            # (an installer that does not compile, such as uv without --compile-bytecode).
            uncached = [PYTHON, "-X", f"pycache_prefix={empty_cache}", *command[1:]]
            seconds, _ = median_of(runs, lambda command=uncached: timed(command))
            rows.append((f"3 start-up: {name}, no bytecode at all", f"{seconds:.2f} s", "", ""))
        probe = (
            "import sys\nfrom briefpack.cli import cli\n"
            f"for args in (['--help'], ['validate', {str(pack)!r}], "
            f"['build', {str(pack)!r}, '-o', {str(work / 'all')!r}]):\n"
            "    try: cli(args)\n    except SystemExit: pass\n"
            "print(sorted(m for m in ('weasyprint', 'docx') if m in sys.modules))\n"
        )
        loaded = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, check=True)
        renderers = loaded.stdout.strip().splitlines()[-1]
        rows.append(
            ("3 renderers imported", renderers, "", "PASS" if renderers == "[]" else "MISS")
        )

        big_dir = work / "big"
        big_dir.mkdir()
        big = big_dir / "big.yaml"
        big.write_text(large_pack(sessions=200, questions=7), encoding="utf-8")
        big_runs = max(1, runs // 2)
        if shutil.which("pandoc"):
            (work / "big.md").write_text(markdown_of(big), encoding="utf-8")
            pandoc, _ = median_of(
                big_runs,
                lambda: timed(
                    ["pandoc", str(work / "big.md"), "-o", str(work / "big-pandoc.docx")]
                ),
            )
            docx_out = work / "big-docx"
            docx, _ = median_of(
                big_runs,
                from_empty(
                    docx_out,
                    briefpack(
                        "build", str(big), "-o", str(docx_out), "-f", "docx", "--no-sessions"
                    ),
                ),
            )
            rows.append(
                (
                    "4 DOCX, 1,400 questions",
                    f"briefpack {docx:.2f} s, pandoc {pandoc:.2f} s",
                    f"{docx / pandoc:.2f}x",
                    verdict(docx / pandoc, 1.0),
                )
            )
        else:
            rows.append(("4 DOCX, 1,400 questions", "pandoc not installed", "", "not measured"))

        big_pdf, big_memory = median_of(
            big_runs,
            from_empty(
                work / "big-pdf",
                briefpack(
                    "build",
                    str(big),
                    "-o",
                    str(work / "big-pdf"),
                    "-f",
                    "pdf",
                    "--no-sessions",
                    "--time-limit",
                    "3600",
                ),
            ),
        )
        big_pages = pdf_pages(work / "big-pdf" / "big" / "big.pdf")
        small_pages = pdf_pages(work / "one" / "aws-devex-2025" / "aws-devex-2025.pdf")
        growth = (big_pdf / big_pages) / (single / small_pages)
        rows.append(
            (
                "5 scale: time per page",
                f"{big_pages} pages {big_pdf:.1f} s, {small_pages} pages {single:.2f} s",
                f"{growth:.2f}x",
                verdict(growth, 1.0),
            )
        )
        timed(
            briefpack(
                "build", str(big), "-o", str(work / "big-html"), "-f", "html", "--no-sessions"
            )
        )
        _, bare_big_memory = median_of(
            1,
            lambda: timed(
                [
                    PYTHON,
                    "-m",
                    "weasyprint",
                    str(work / "big-html" / "big" / "big.html"),
                    str(work / "big-bare.pdf"),
                ]
            ),
        )
        memory_ratio = big_memory / bare_big_memory
        rows.append(
            (
                "5 scale: peak memory",
                f"{big_memory / 1024:.0f} MB, bare {bare_big_memory / 1024:.0f} MB",
                f"{memory_ratio:.2f}x",
                verdict(memory_ratio, 1.2),
            )
        )

        rows.append(edit_loop(work, pack, runs))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"briefpack against other tools: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, medians of {runs}"
    )
    print()
    print("| target | measured | ratio | verdict |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def edit_loop(work: Path, pack: Path, runs: int) -> Row:
    """Save-to-PDF time under ``briefpack watch``, against Typst's cold compile."""
    try:
        import typst  # noqa: F401
    except ImportError:
        return ("6 edit loop", "typst not installed", "", "not measured")
    source = work / "pack.typ"
    source.write_text(typst_of(pack), encoding="utf-8")
    compile_typst = [
        PYTHON,
        "-c",
        f"import typst; typst.compile({str(source)!r}, output={str(work / 'typst.pdf')!r})",
    ]
    typst_time, _ = median_of(runs, lambda: timed(compile_typst))

    out = work / "watch"
    target = out / "aws-devex-2025" / "sessions" / "02-agentcore.pdf"
    log = (work / "watch.log").open("w")
    process = subprocess.Popen(
        briefpack("watch", str(pack.parent), "-o", str(out)),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    original = pack.read_text(encoding="utf-8")
    times = []
    try:
        _wait(lambda: "watching" in (work / "watch.log").read_text(), 120)
        for run in range(runs):
            before = target.stat().st_mtime_ns
            started = time.perf_counter()
            pack.write_text(
                original.replace("Agent Mesh for Lifecycle Management", f"Agent Mesh, edit {run}"),
                encoding="utf-8",
            )
            _wait(lambda before=before: target.stat().st_mtime_ns != before, 120)
            times.append(time.perf_counter() - started)
            time.sleep(3)  # let the full pack finish before the next edit
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        log.close()
    loop = statistics.median(times)
    return (
        "6 edit loop (watch)",
        f"save to session PDF {loop:.2f} s, Typst cold {typst_time:.2f} s",
        f"{loop / typst_time:.2f}x",
        verdict(loop / typst_time, 2.0),
    )


def _wait(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise SystemExit("timed out")


if __name__ == "__main__":
    main()
