"""Benchmark of briefpack build: cold, no-op and one-edit rebuilds, -j1 against -j2, memory.

Run with ``nox -s bench`` (or ``python benchmarks/bench_build.py``). Every
measurement runs ``briefpack build`` in a fresh process, as a user would, and
reports the median of several runs. Cold builds start from an empty output folder
(and without ``BRIEFPACK_CACHE``); the no-op and one-edit rebuilds are
incremental, into the folder a build just filled. Targets (for a 2-core machine):

* no-op rebuild under 0.3 s;
* one-edit rebuild at most 25 % of a cold build;
* ``-j2`` at least 1.7x faster than ``-j1`` on the large pack set, and at
  least 1.6x on its full pack alone (``--no-sessions``), whose parts render
  in parallel.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "content" / "aws-devex-2025.yaml"
Row = tuple[str, str, str, str]


def large_pack(sessions: int = 40, questions: int = 10) -> str:
    """A pack of ``sessions`` x ``questions`` made of the bundled pack's real text."""
    import yaml

    source = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    pool = [q for day in source["days"] for s in day["sessions"] for q in s["questions"]]
    speakers = [sp for day in source["days"] for s in day["sessions"] for sp in s["speakers"]]
    days = []
    per_day = 5
    for number in range(sessions):
        if number % per_day == 0:
            date = dt.date(2026, 3, 2) + dt.timedelta(days=len(days))
            days.append({"date": date.isoformat(), "sessions": []})
        start = 8 + number % per_day * 2
        days[-1]["sessions"].append(
            {
                "title": f"Session topic {number + 1}: {pool[number % len(pool)]['title']}",
                "label": f"Session {number + 1}",
                "start": f"{start:02d}:00",
                "end": f"{start + 1:02d}:30",
                "speakers": [speakers[number % len(speakers)]],
                "questions": [
                    pool[(number * questions + index) % len(pool)] for index in range(questions)
                ],
            }
        )
    pack = {"title": "Large benchmark pack", "subtitle": "Generated", "days": days}

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: object) -> bool:
            return True  # content refuses aliases: write repeated questions out

    return yaml.dump(pack, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


def clean_environment() -> dict[str, str]:
    """This environment without ``BRIEFPACK_CACHE``: a shared cache would make a cold build warm."""
    return {name: value for name, value in os.environ.items() if name != "BRIEFPACK_CACHE"}


def timed(command: list[str]) -> tuple[float, int]:
    """Seconds and peak resident memory (kB, of the largest process) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_environment()
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        assert process.stderr is not None
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss


def run_build(content: Path, out: Path, *args: str) -> tuple[float, int]:
    """Seconds and peak memory of one ``briefpack build``, in a fresh process."""
    return timed(
        [sys.executable, "-m", "briefpack.cli", "build", str(content), "-o", str(out), *args]
    )


def median_of(runs: int, measure: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    results = [measure() for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


#: Two edits, each made to the first place it is found: the text of one question
#: (only its session's pages change), and a title (the contents change too; in
#: the generated pack it is a session's, so at a glance and the session's name too).
EDITS = {
    "one-edit rebuild (a question's text)": "What frameworks and practices do you recommend",
    "one-edit rebuild (a title)": "Observability & Reliability Engineering",
}


def measure(name: str, content: Path, out: Path, count: int, compare_jobs: bool) -> list[Row]:
    """Cold, no-op and one-edit builds of the packs in ``content``; -j1 against -j2 if asked."""

    def cold(jobs: str = "2", *args: str) -> tuple[float, int]:
        shutil.rmtree(out, ignore_errors=True)
        return run_build(content, out, "-j", jobs, *args)

    cold_time, cold_memory = median_of(count, cold)
    run_build(content, out)
    noop_time, _ = median_of(count, lambda: run_build(content, out))
    rows = [
        (name, "cold build (-j2)", f"{cold_time:.2f} s", f"peak {cold_memory / 1024:.0f} MB"),
        (name, "no-op rebuild", f"{noop_time:.2f} s", _verdict(noop_time < 0.3, "< 0.3 s")),
    ]
    pack_file = next(content.glob("*.yaml"))
    original = pack_file.read_text(encoding="utf-8")
    for label, phrase in EDITS.items():
        edits = iter(range(1000))

        def one_edit(phrase: str = phrase, edits: Iterator[int] = edits) -> tuple[float, int]:
            pack_file.write_text(
                original.replace(phrase, f"{phrase} {next(edits)}", 1), encoding="utf-8"
            )
            return run_build(content, out)

        assert phrase in original, phrase
        edit_time, _ = median_of(count, one_edit)
        pack_file.write_text(original, encoding="utf-8")
        run_build(content, out)
        rows.append(
            (
                name,
                label,
                f"{edit_time:.2f} s ({edit_time / cold_time:.0%} of cold)",
                # The target is for a big book: a small pack's builds are mostly start-up.
                _verdict(edit_time <= 0.25 * cold_time, "<= 25 % of cold") if compare_jobs else "",
            )
        )
    if compare_jobs:
        serial, serial_memory = median_of(count, lambda: cold("1"))
        rows += [
            (name, "cold build -j1", f"{serial:.2f} s", f"peak {serial_memory / 1024:.0f} MB"),
            (
                name,
                "-j2 speed-up over -j1",
                f"{serial / cold_time:.2f}x",
                _verdict(serial / cold_time >= 1.7, ">= 1.7x"),
            ),
        ]
        alone = {jobs: median_of(count, lambda jobs=jobs: cold(jobs, "--no-sessions"))[0]
                 for jobs in ("1", "2")}  # fmt: skip
        rows += [
            (name, "full pack alone (--no-sessions) -j1", f"{alone['1']:.2f} s", ""),
            (name, "full pack alone (--no-sessions) -j2", f"{alone['2']:.2f} s", ""),
            (
                name,
                "full pack alone: -j2 speed-up over -j1",
                f"{alone['1'] / alone['2']:.2f}x",
                _verdict(alone["1"] / alone["2"] >= 1.6, ">= 1.6x"),
            ),
        ]
    return rows


def main() -> None:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    runs = parser.parse_args().runs
    large_runs = max(3, runs // 2)

    work = Path(tempfile.mkdtemp(prefix="briefpack-bench-"))
    try:
        bundled_dir = work / "bundled"
        bundled_dir.mkdir()
        shutil.copy(BUNDLED, bundled_dir / BUNDLED.name)
        large_dir = work / "large"
        large_dir.mkdir()
        (large_dir / "large.yaml").write_text(large_pack(), encoding="utf-8")
        rows = measure("bundled", bundled_dir, work / "out-bundled", runs, compare_jobs=False)
        rows += measure("large 40x10", large_dir, work / "out-large", large_runs, compare_jobs=True)
        print(
            f"briefpack build benchmark: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, medians of {runs} (large pack: {large_runs})"
        )
        print()
        print("| pack | measurement | result | target |")
        print("| --- | --- | --- | --- |")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _verdict(passed: bool, target: str) -> str:
    return f"{'PASS' if passed else 'MISS'} ({target})"


if __name__ == "__main__":
    main()
