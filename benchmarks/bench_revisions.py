"""Two revisions of briefpack side by side, in one run: did a change make anything slower?

Run with ``python benchmarks/bench_revisions.py --before REV`` (``--after``
defaults to the working tree).  The earlier revision is checked out into a
temporary git worktree; both are run from their source with ``PYTHONPATH``,
so one environment serves both.  Each round runs every measurement once on
each side, alternating, so that whatever else loads the machine weighs on
both alike; the table shows medians and the ratio after/before.  A refactor
that should not change speed should show ratios near 1.00.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_build import BUNDLED, REPO, clean_environment, large_pack

#: A pack's earlier version for the changes build: the bundled one with a question retitled.
RETITLED = ("title: Automated Incident Management", "title: Automated Incident Handling")


def main() -> None:
    """Measure both revisions and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--before", required=True, help="the git revision to compare against")
    parser.add_argument("--after", default=None, help="a git revision; default: the work tree")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (median)")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefpack-revisions-"))
    worktrees = []
    try:
        trees = {}
        for label, revision in (("before", arguments.before), ("after", arguments.after)):
            if revision is None:
                trees[f"{label} (work tree)"] = REPO / "src"
                continue
            checkout = work / label
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "-q", "--detach",
                            str(checkout), revision], check=True)  # fmt: skip
            worktrees.append(checkout)
            trees[f"{label} ({revision})"] = checkout / "src"
        measures = _measures(work)
        medians = _measure(trees, measures, arguments.rounds)
        _print(trees, measures, medians, arguments.rounds)
    finally:
        for checkout in worktrees:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force",
                            str(checkout)], check=False)  # fmt: skip
        shutil.rmtree(work, ignore_errors=True)


def _measures(work: Path) -> dict[str, Callable[[Path, Path], list[str]]]:
    """Each measurement: the command line it runs, given a source tree and an output folder."""
    bundled, large = work / "bundled", work / "large"
    bundled.mkdir()
    shutil.copy(BUNDLED, bundled / BUNDLED.name)
    large.mkdir()
    (large / "large.yaml").write_text(large_pack(), encoding="utf-8")
    earlier = work / "earlier.yaml"
    earlier.write_text(BUNDLED.read_text(encoding="utf-8").replace(*RETITLED), encoding="utf-8")
    return {
        "--help": lambda src, out: ["--help"],
        "validate, bundled": lambda src, out: ["validate", str(bundled)],
        "cold build, bundled (-j2)": lambda src, out: ["build", str(bundled), "-o", str(out)],
        "no-op rebuild, bundled": lambda src, out: ["build", str(bundled), "-o", str(out)],
        "changes build, bundled full pack (-j2)": lambda src, out: [
            "build", str(bundled), "-o", f"{out}-changes", "--no-sessions",
            "--changes-since", str(earlier),
        ],
        "cold build, 40 x 10 full pack (-j2)": lambda src, out: [
            "build", str(large), "-o", f"{out}-large", "--no-sessions",
        ],
    }  # fmt: skip


def _measure(
    trees: dict[str, Path], measures: dict[str, Callable[[Path, Path], list[str]]], rounds: int
) -> dict[tuple[str, str], float]:
    seconds: dict[tuple[str, str], list[float]] = {}
    for round_ in range(rounds):
        for index, (label, src) in enumerate(trees.items()):
            out = (
                Path(tempfile.gettempdir())
                / f"briefpack-revisions-out-{os.getpid()}-{round_}-{index}"
            )
            try:
                for name, command in measures.items():
                    seconds.setdefault((name, label), []).append(_timed(src, command(src, out)))
            finally:
                for suffix in ("", "-changes", "-large"):
                    shutil.rmtree(f"{out}{suffix}", ignore_errors=True)
    return {key: statistics.median(values) for key, values in seconds.items()}


def _timed(src: Path, arguments: list[str]) -> float:
    environment = dict(clean_environment(), PYTHONPATH=str(src), SOURCE_DATE_EPOCH="1760000000")
    command = [sys.executable, "-m", "briefpack.cli", *arguments]
    if arguments[0] == "build":
        command.append("-j2")
    start = time.perf_counter()
    subprocess.run(command, env=environment, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - start


def _print(
    trees: dict[str, Path],
    measures: dict[str, Callable[[Path, Path], list[str]]],
    medians: dict[tuple[str, str], float],
    rounds: int,
) -> None:
    before, after = trees
    print(f"{os.cpu_count()} CPUs, medians of {rounds} alternating rounds, seconds")
    print()
    print(f"| measurement | {before} | {after} | after / before |")
    print("| --- | --- | --- | --- |")
    for name in measures:
        old, new = medians[(name, before)], medians[(name, after)]
        print(f"| {name} | {old:.2f} | {new:.2f} | {new / old:.2f} |")


if __name__ == "__main__":
    main()
