"""Benchmark of build --executor: many generated packs, locally and on a 2-worker Dask cluster.

Run with ``nox -s bench`` (or ``python benchmarks/bench_cluster.py``).  The
packs are small (a day, two sessions of three questions, from the bundled
pack's text), as a briefing centre's customer books are; each build writes
every pack's full PDF and Word copy.  The cluster is a scheduler and two
worker processes started on loopback (``LocalCluster``), one render at a time
each, against a local build with ``-j2``: on one machine the cluster can only
show its overhead; across machines it is what lets the work grow.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from bench_build import clean_environment

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "content" / "aws-devex-2025.yaml"


def small_pack(number: int) -> str:
    """Pack ``number``: two sessions of three questions, with its own title."""
    source = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    questions = [q for day in source["days"] for s in day["sessions"] for q in s["questions"]]
    sessions = [
        {
            "title": f"Customer {number} briefing, part {part + 1}",
            "start": f"{9 + 2 * part:02d}:00",
            "end": f"{10 + 2 * part:02d}:00",
            "questions": [
                questions[(number + part * 3 + index) % len(questions)] for index in range(3)
            ],
        }
        for part in range(2)
    ]
    pack = {
        "title": f"Customer book {number}",
        "days": [{"date": "2026-03-02", "sessions": sessions}],
    }
    return yaml.safe_dump(pack, sort_keys=False, allow_unicode=True, width=100)


def build(content: Path, out: Path, *arguments: str) -> float:
    """Seconds of one cold ``briefpack build`` in a fresh process."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefpack.cli", "build", str(content), "-o", str(out),
         "--no-sessions", "-q", *arguments],
        check=True,
        stdout=subprocess.DEVNULL,
        env=clean_environment(),
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    """Build the packs locally, then on the cluster; print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--packs", type=int, default=200)
    packs = parser.parse_args().packs

    import dask
    from distributed import LocalCluster

    work = Path(tempfile.mkdtemp(prefix="briefpack-bench-cluster-"))
    try:
        content = work / "content"
        content.mkdir()
        for number in range(1, packs + 1):
            (content / f"customer-{number:03d}.yaml").write_text(small_pack(number), "utf-8")
        local = build(content, work / "local", "-j2")
        with dask.config.set({"distributed.worker.daemon": False}):
            started = time.perf_counter()
            cluster = LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            )
            start_up = time.perf_counter() - started
            try:
                remote = build(content, work / "remote", "--executor", cluster.scheduler_address)
                warm = build(content, work / "remote", "--executor", cluster.scheduler_address)
            finally:
                cluster.close()
        same = all(
            (work / "local" / path).read_bytes() == (work / "remote" / path).read_bytes()
            for path in (
                p.relative_to(work / "local") for p in (work / "local").rglob("*") if p.is_file()
            )
        )
        print(
            f"build --executor benchmark: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}; {packs} packs, PDF and Word each"
        )
        print()
        print("| build | seconds | per pack |")
        print("| --- | --- | --- |")
        print(f"| local, -j2 | {local:.1f} s | {local / packs * 1000:.0f} ms |")
        print(
            f"| 2-worker cluster, first build | {remote:.1f} s | {remote / packs * 1000:.0f} ms |"
        )
        print(f"| 2-worker cluster, workers warm | {warm:.1f} s | {warm / packs * 1000:.0f} ms |")
        print(f"| (starting the cluster) | {start_up:.1f} s | |")
        print()
        print(f"outputs byte-identical to the local build: {'yes' if same else 'NO'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
