"""Benchmark of change-marked packs: their cost against a normal build, and the diff alone.

Run with ``nox -s bench`` (or ``python benchmarks/bench_changes.py``). In one
process, warm (fonts and stylesheet loaded), the median of several runs:

1. the bundled pack's PDF and Word copy, plain, against the same outputs
   change-marked since a version with the seven kinds of change of issue 15
   (target: at most 1.3x);
2. ``compare`` alone on the generated 40 x 10 pack, against a version with
   one edit per session.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))


def median_seconds(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    from bench_build import large_pack

    from briefpack.build.chosen_settings import resolve_settings
    from briefpack.content.loader import parse_yaml
    from briefpack.content.validate import validate_pack
    from briefpack.model.changes import compare
    from briefpack.render.docx.writer import render_docx
    from briefpack.render.pdf import render_pdf

    from test_changes import version_pair

    with tempfile.TemporaryDirectory() as folder:
        old, new = version_pair(Path(folder))
        settings = resolve_settings(new, {})
        marked = compare(old, new)
        tracked = replace(settings, changes_since="pack-v2.yaml", changes_date=new.days[0].date)
        render_pdf(new, settings)  # warm: fonts and stylesheet loaded once per process
        rows = []
        plain_pdf = median_seconds(runs, lambda: render_pdf(new, settings))
        marked_pdf = median_seconds(runs, lambda: render_pdf(marked, tracked))
        plain_docx = median_seconds(runs, lambda: render_docx(new, settings))
        marked_docx = median_seconds(runs, lambda: render_docx(marked, tracked))
        rows.append(("PDF, bundled pack", plain_pdf, marked_pdf))
        rows.append(("Word copy, bundled pack", plain_docx, marked_docx))
        rows.append(("both", plain_pdf + plain_docx, marked_pdf + marked_docx))

        text = large_pack(40, 10)
        large = validate_pack(parse_yaml(text, "large.yaml"), "large.yaml", name="large")
        edited_text = text.replace("title: Session topic", "title: Edited session topic")
        edited = validate_pack(parse_yaml(edited_text, "large.yaml"), "large.yaml", name="large")
        diff = median_seconds(runs, lambda: compare(large, edited))

    print(f"{'output':<28} {'plain':>8} {'changes':>9} {'ratio':>7}  target")
    for label, plain, changes in rows:
        print(f"{label:<28} {plain:>7.2f}s {changes:>8.2f}s {changes / plain:>6.2f}x  <= 1.3x")
    print(f"compare() on the 40 x 10 pack ({len(large.questions)} questions): {diff * 1000:.0f} ms")


if __name__ == "__main__":
    main()
