"""Every output from parts (issue 29): single documents against book parts, side by side.

Run with ``nox -s bench`` (or ``python benchmarks/bench_outputs.py``; ``--quick``
for one run of each measurement instead of the median of three). Both ways run
in this one process tree, alternating measurement by measurement, so whatever
else loads the machine weighs on both alike: ``--single-documents`` (every PDF
rendered as one document, as briefpack did before) and ``--book-parts`` (each
session rendered once per build, shared by the full pack, the session packs and
the recipients' packs). Every build runs in a fresh process with ``-j2`` and
``--no-word-page-numbers`` (LibreOffice's layout of the Word copies is
``bench_word_pages.py``'s subject), without ``BRIEFPACK_CACHE``. Every cold
build starts from a new, empty output folder; the edits are incremental
rebuilds into the folder a cold build just filled, each timed alone.

On the generated 40 x 10 pack (``bench_build.large_pack``) with 10 recipients,
three of them excluded from sessions, and the targets of issue 29, which apply
to the book parts:

* the cold build of the full pack, its 40 session packs and all Word copies:
  at most 0.8x a bare single-process WeasyPrint render of the full pack's HTML;
* the full pack's PDF alone: at most 0.7x bare; the bundled pack's at most 1.1x
  its own bare render;
* the same cold build with the 10 recipients' packs: the recipients cost at
  most 0.5x the build without them;
* a session title edit at most 15 % of the cold build, a question edit at most
  11 %; a recipient's exclusion edit (no target) as % of the cold build with
  recipients;
* a 160 x 10 pack's full pack PDF: at most 4.4x the CPU of the 40 x 10's and
  at most 1.5x its peak memory.

CPU is user + system time of the build and every process it waited for (the
workers). Peak memory is the largest resident set of any one process of the
build (``wait4``'s ``ru_maxrss``) and, where psutil is installed, the largest
sum over the build's process tree, sampled every 0.1 s.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from bench_build import BUNDLED, clean_environment, large_pack

PYTHON = sys.executable
WAYS = {"single documents": "--single-documents", "book parts": "--book-parts"}
#: What every build of the 40 x 10 pack's outputs asks for, besides the way.
OUTPUTS = ("-j", "2", "-q", "-f", "pdf", "-f", "docx", "--no-word-page-numbers")
FULL_PDF = ("-j", "2", "-q", "-f", "pdf", "--no-sessions", "--no-per-recipient")
READERS = (
    "Ada Brennan", "Bruno Costa", "Chen Wei", "Dana Okafor", "Elif Yilmaz",
    "Farid Haddad", "Grete Lund", "Hiro Tanaka", "Ines Duarte", "Jonas Weber",
)  # fmt: skip
#: Recipients with exclusions, by their index in READERS: the sessions (by index) they miss.
EXCLUDED = {0: (2,), 3: (5, 11), 6: (30, 31, 32, 33, 34)}
#: The sessions the edits change: none of them is excluded, so ids stay valid.
QUESTION_EDITED, TITLE_EDITED = 20, 21


@dataclass(frozen=True)
class Run:
    """One build: wall time, CPU of the whole tree, and its peak memory (kB)."""

    seconds: float
    cpu: float
    largest: int
    tree: int


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # content refuses aliases: write repeated questions out


def sessions_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [session for day in data["days"] for session in day["sessions"]]


def with_recipients(text: str, folder: Path) -> dict[str, Any]:
    """The generated pack's data with 10 recipients, three excluded from some sessions."""
    from briefpack.content.validate import load_pack

    probe = folder / "probe.yaml"
    probe.write_text(text, encoding="utf-8")
    ids = [session.id for session in load_pack(probe).sessions]
    probe.unlink()
    data: dict[str, Any] = yaml.safe_load(text)
    data["recipients"] = [
        {"name": name, **({"exclude": [ids[i] for i in EXCLUDED[n]]} if n in EXCLUDED else {})}
        for n, name in enumerate(READERS)
    ]
    return data


def write_pack(path: Path, data: dict[str, Any]) -> None:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def measured(command: list[str]) -> Run:
    """Run ``command`` to its end: wall time, CPU and peak memory of its process tree."""
    try:
        import psutil
    except ImportError:
        psutil = None
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=log, env=clean_environment()
        )
        tree = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if psutil is not None:
                tree = max(tree, _tree_rss(psutil, process.pid))
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            raise SystemExit(f"failed: {' '.join(command)}\n{log.read().decode()}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, tree)


def _tree_rss(psutil: Any, pid: int) -> int:
    """The resident memory (kB) of ``pid`` and all its descendants now."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss
    return total // 1024


def build(pack: Path, out: Path, *args: str) -> Run:
    return measured([PYTHON, "-m", "briefpack.cli", "build", str(pack), "-o", str(out), *args])


class Bench:
    """The measurements of one run, kept by (way, figure), and a supply of empty folders."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.runs: dict[tuple[str, str], list[Run]] = {}
        self._folders: Iterator[int] = itertools.count()

    def empty(self) -> Path:
        """A new output folder that does not exist yet: every cold build starts empty."""
        return self.work / f"out-{next(self._folders)}"

    def keep(self, way: str, figure: str, run: Run) -> None:
        self.runs.setdefault((way, figure), []).append(run)
        # As it goes, so that a long run shows its progress and an interrupted one its figures.
        print(f"{figure}, {way}: {run.seconds:.2f} s, CPU {run.cpu:.2f} s, peak "
              f"{run.largest / 1024:.0f} MB; tree {run.tree / 1024:.0f} MB",
              file=sys.stderr, flush=True)  # fmt: skip

    def median(self, way: str, figure: str, field: str = "seconds") -> float:
        return statistics.median(getattr(run, field) for run in self.runs[(way, figure)])

    def peak(self, way: str, figure: str, field: str) -> int:
        return max(getattr(run, field) for run in self.runs[(way, figure)])


def one_round(bench: Bench, packs: dict[str, Path], scale: bool) -> None:
    """Every measurement once for each way, alternating the ways."""
    for way, flag in WAYS.items():
        bench.keep(way, "bare", measured(bare_command(packs["html40"], bench.work / "bare.pdf")))
        bench.keep(way, "bare bundled", measured(
            bare_command(packs["html bundled"], bench.work / "bare-bundled.pdf")
        ))  # fmt: skip
        outputs_and_edits(bench, way, flag, packs["large"])
        for figure, pack in (("full pdf", packs["large"]), ("bundled pdf", packs["bundled"])):
            out = bench.empty()
            bench.keep(way, figure, build(pack, out, flag, *FULL_PDF))
            shutil.rmtree(out)
        if scale:
            out = bench.empty()
            bench.keep(way, "full pdf 160", build(packs["large160"], out, flag, *FULL_PDF,
                                                  "--time-limit", "3600"))  # fmt: skip
            shutil.rmtree(out)


def outputs_and_edits(bench: Bench, way: str, flag: str, pack: Path) -> None:
    """Cold builds without and with recipients, then each edit after a cold build."""
    data = yaml.safe_load(pack.read_text(encoding="utf-8"))
    out = bench.empty()
    bench.keep(way, "cold", build(pack, out, flag, *OUTPUTS, "--no-per-recipient"))
    edits: dict[str, Callable[[dict[str, Any]], None]] = {
        "question edit": lambda d: _append(sessions_of(d)[QUESTION_EDITED]["questions"][0],
                                           "question", " Edited for the benchmark."),
        "title edit": lambda d: _append(sessions_of(d)[TITLE_EDITED], "title", " (edited)"),
    }  # fmt: skip
    try:
        for figure, edit in edits.items():
            changed = yaml.safe_load(pack.read_text(encoding="utf-8"))
            edit(changed)
            write_pack(pack, changed)
            bench.keep(way, figure, build(pack, out, flag, *OUTPUTS, "--no-per-recipient"))
        write_pack(pack, data)
        shutil.rmtree(out)
        out = bench.empty()
        bench.keep(way, "cold recipients", build(pack, out, flag, *OUTPUTS, "--per-recipient"))
        changed = yaml.safe_load(pack.read_text(encoding="utf-8"))
        reader = changed["recipients"][0]
        reader["exclude"] = [*reader["exclude"], session_ids(pack)[3]]
        write_pack(pack, changed)
        bench.keep(way, "exclusion edit", build(pack, out, flag, *OUTPUTS, "--per-recipient"))
    finally:
        write_pack(pack, data)
        shutil.rmtree(out, ignore_errors=True)


def session_ids(pack: Path) -> list[str]:
    from briefpack.content.validate import load_pack

    return [session.id for session in load_pack(pack).sessions]


def _append(record: dict[str, Any], key: str, text: str) -> None:
    record[key] = f"{record[key]}{text}"


def bare_command(html: Path, pdf: Path) -> list[str]:
    return [PYTHON, "-m", "weasyprint", str(html), str(pdf)]


def html_of(pack: Path, out: Path) -> Path:
    """The full pack's HTML, as briefpack writes it for ``-f html``."""
    build(pack, out, "-f", "html", "--no-sessions", "--no-per-recipient", "-q")
    return out / pack.stem / f"{pack.stem}.html"


def ratio_row(figure: str, bench: Bench, measure: Callable[[str], tuple[str, float]],
              limit: float, unit: str = "x") -> list[str]:  # fmt: skip
    """A row: what each way measured, the target, and whether the book parts meet it."""
    cells = []
    for way in WAYS:
        text, value = measure(way)
        cells.append(f"{text} = {value:.0%}" if unit == "%" else f"{text} = {value:.2f}x")
    _, parts = measure("book parts")
    target = f"<= {limit:.0%}" if unit == "%" else f"<= {limit:g}x"
    return [figure, *cells, target, "met" if parts <= limit else "missed"]


def table(bench: Bench, scale: bool) -> list[list[str]]:
    """The figures of issue 29, each with its target; then the same ratios in CPU time."""
    rows = time_rows(bench, "seconds")
    excluded = _ratio(bench, "seconds", "exclusion edit", "cold recipients")
    rows.append(
        [
            "recipient's exclusion edit, of the cold build with recipients",
            *(f"{excluded(way)[0]} = {excluded(way)[1]:.0%}" for way in WAYS),
            "",
            "",
        ]
    )
    for figure in ("cold", "cold recipients"):
        rows.append([f"peak memory, {figure} build (largest process; whole tree)",
                     *(_memory(bench, way, figure) for way in WAYS), "", ""])  # fmt: skip
    if scale:
        rows += scale_rows(bench)
    # On a busy machine wall time swings with the load; CPU time much less (for information).
    for figure, *cells in time_rows(bench, "cpu"):
        rows.append([f"{figure} (CPU, for information)", *cells[:2], "", ""])
    return rows


def time_rows(bench: Bench, field: str) -> list[list[str]]:
    """The targets that are ratios of two times: wall time (``seconds``) or ``cpu``."""
    bare, bare_bundled = (
        statistics.median(getattr(r, field) for way in WAYS for r in bench.runs[(way, figure)])
        for figure in ("bare", "bare bundled")
    )

    def over(figure: str, base: float) -> Callable[[str], tuple[str, float]]:
        def measure(way: str) -> tuple[str, float]:
            value = bench.median(way, figure, field)
            return f"{value:.2f} s / bare {base:.2f} s", value / base

        return measure

    def recipients(way: str) -> tuple[str, float]:
        cold = bench.median(way, "cold", field)
        extra = bench.median(way, "cold recipients", field) - cold
        return f"+{extra:.2f} s / {cold:.2f} s", extra / cold

    return [
        ratio_row("cold -j2: full pack + 40 session packs + Word copies, against bare",
                  bench, over("cold", bare), 0.8),
        ratio_row("full pack PDF alone -j2, against bare", bench, over("full pdf", bare), 0.7),
        ratio_row("bundled pack PDF alone -j2, against its bare render", bench,
                  over("bundled pdf", bare_bundled), 1.1),
        ratio_row("10 recipients' packs, against the build without them", bench,
                  recipients, 0.5),
        ratio_row("session title edit, of the cold build", bench,
                  _ratio(bench, field, "title edit", "cold"), 0.15, "%"),
        ratio_row("question edit, of the cold build", bench,
                  _ratio(bench, field, "question edit", "cold"), 0.11, "%"),
    ]  # fmt: skip


def _ratio(bench: Bench, field: str, figure: str, of: str) -> Callable[[str], tuple[str, float]]:
    def measure(way: str) -> tuple[str, float]:
        value, base = bench.median(way, figure, field), bench.median(way, of, field)
        return f"{value:.2f} s / {base:.2f} s", value / base

    return measure


def scale_rows(bench: Bench) -> list[list[str]]:
    """The 160 x 10 pack's full pack PDF against the 40 x 10's: CPU and peak memory."""

    def cpu(way: str) -> tuple[str, float]:
        big, small = (bench.median(way, f, "cpu") for f in ("full pdf 160", "full pdf"))
        return f"CPU {big:.1f} s / {small:.1f} s", big / small

    def memory(field: str) -> Callable[[str], tuple[str, float]]:
        def measure(way: str) -> tuple[str, float]:
            big, small = (bench.peak(way, f, field) for f in ("full pdf 160", "full pdf"))
            return f"{big / 1024:.0f} MB / {small / 1024:.0f} MB", big / max(small, 1)

        return measure

    rows = [
        ratio_row("160 x 10 full pack PDF: CPU against 40 x 10", bench, cpu, 4.4),
        ratio_row("160 x 10: peak memory of the largest process against 40 x 10", bench,
                  memory("largest"), 1.5),
    ]  # fmt: skip
    if bench.peak("book parts", "full pdf", "tree"):
        rows.append(ratio_row("160 x 10: peak memory of the whole tree against 40 x 10",
                              bench, memory("tree"), 1.5))  # fmt: skip
    return rows


def _memory(bench: Bench, way: str, figure: str) -> str:
    largest, tree = (bench.peak(way, figure, field) / 1024 for field in ("largest", "tree"))
    return f"{largest:.0f} MB; {tree:.0f} MB" if tree else f"{largest:.0f} MB"


def measurements(bench: Bench) -> list[list[str]]:
    """Every measurement as it was taken: medians of wall time and CPU, peaks of memory."""
    rows = []
    for figure in dict.fromkeys(f for _, f in bench.runs):
        for way in WAYS:
            if (way, figure) in bench.runs:
                rows.append([figure, way, f"{bench.median(way, figure):.2f} s",
                             f"{bench.median(way, figure, 'cpu'):.2f} s",
                             _memory(bench, way, figure)])  # fmt: skip
    return rows


def main() -> None:
    """Measure both ways side by side and print the tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="one run of each measurement")
    parser.add_argument("--no-scale", action="store_true", help="skip the 160 x 10 pack")
    arguments = parser.parse_args()
    runs = 1 if arguments.quick else arguments.runs
    work = Path(tempfile.mkdtemp(prefix="briefpack-bench-outputs-"))
    try:
        bench = Bench(work)
        packs = {"large": work / "large" / "large.yaml", "bundled": work / "bundled" / BUNDLED.name,
                 "large160": work / "large160" / "large160.yaml"}  # fmt: skip
        for pack in packs.values():
            pack.parent.mkdir()
        write_pack(packs["large"], with_recipients(large_pack(40, 10), work))
        shutil.copy(BUNDLED, packs["bundled"])
        packs["large160"].write_text(large_pack(160, 10), encoding="utf-8")
        packs["html40"] = html_of(packs["large"], work / "html40")
        packs["html bundled"] = html_of(packs["bundled"], work / "html-bundled")
        for _ in range(runs):
            one_round(bench, packs, scale=not arguments.no_scale)
        print(
            f"Every output from parts (issue 29): {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, medians of {runs}; -j2, "
            "--no-word-page-numbers; the targets are the book parts'"
        )
        _print(["figure", *WAYS, "target", "book parts"], table(bench, not arguments.no_scale))
        _print(["measurement", "way", "wall", "CPU", "peak memory (largest; tree)"],
               measurements(bench))  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _print(header: list[str], rows: list[list[str]]) -> None:
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
